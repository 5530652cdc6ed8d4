"""Whether an emergency the message names is happening now, or is only talked about.

Patients recount past episodes ("last year my throat locked up ... I've been fine since"), ask
what a frightening term means ("what is status dystonicus?") and ask whether something can
cause a symptom ("can botox make it hard to swallow?"). Sending them the emergency instruction
answers a different question. These checks are narrow on purpose: they only ever apply to an
emergency (never to self-harm or an overdose, where the assistant leans towards escalating), and
any sign that it is happening now keeps the emergency reply.
"""

import re
from typing import Text

from components.safety_patterns import normalise, safety_intents
from components.two_questions import asking_clauses

# When the episode happened: a time in the past.
_IN_THE_PAST = re.compile(
    r"\b(?:(?:\d+|a|one|two|three|four|five|a few|a couple of|some|several|many) "
    r"(?:years?|months?|weeks?) ago|years ago|last (?:year|month|summer|winter|spring|autumn|fall)"
    r"|in (?:19|20)\d\d|back in|when i was|as a (?:child|kid|teenager)|once)\b"
)
# That it is over.
_RESOLVED = re.compile(
    r"\b(?:long over|(?:it'?s|it is|that'?s|all) over|fine (?:since|now|ever since|after)"
    r"|been (?:fine|ok|okay|stable|well)|stable (?:for|since|ever)|(?:it |all )?(?:passed|settled)"
    r"|cleared up|went away|wore off|recovered|(?:they|doctors?|the hospital) treated it)\b"
)
# Any sign that it is happening now, or again.
_NOW = re.compile(
    r"\b(?:now (?:i|he|she|they|it|my|his|her)\b|right now|at the moment|currently|happening"
    r"|again|still|this (?:morning|afternoon|evening)|tonight|today|just (?:now|started|had)"
    r"|it'?s back|getting worse|worse now)"
)
# "What is status dystonicus?": what a term means, not a report.
_TERM = r"(?:status dystonicus|dystonic storm|(?:an? )?acute dystonic reaction)"
_ASKS_WHAT_TERM_IS = re.compile(
    rf"\b(?:what(?:'s| is| are)|whats|what does|what do|meaning of|explain)\b.{{0,20}}{_TERM}"
    # "the leaflet mentions 'status dystonicus' ..., what is it?"
    rf"|{_TERM}.{{0,80}}\bwhat(?:'s| is| does) (?:it|that|this)(?: mean)?\W*$"
)
# "Can botox make it hard to swallow?", "is trouble swallowing part of dystonia?": whether
# something causes a symptom, asked about no one in particular.
_ASKS_WHAT_CAUSES = re.compile(
    r"\b(?:make|makes|cause|causes|lead to|leads to|part of|symptom of|sign of|affect|affects)\b"
)
_SOMEONE = re.compile(
    r"\b(?:i|i'?m|i'?ve|me|my|we|our|he|she|his|her|him|they|their|mum|mom|dad|son|daughter"
    r"|wife|husband|partner|child|baby)\b"
)
# Something happening now after all: "it passed, but he's burning up", "he's fine now, though
# his lips are swelling". A contrast after the reassurance, or someone in the middle of
# something, keeps the emergency reply.
# (Not a contrast that opens a question: "it's long over now, but can drugs like that ...?",
# "..., but it made me curious: what causes ...?")
_CONTRAST = re.compile(
    r"\b(?:but|though|although|however|except|apart from|yet)\b,?"
    r"(?! (?:can|could|is|are|does|do|did|what|why|how|will|would|should|i'?m curious|i wonder"
    r"|(?:it |that )?(?:made|got|makes|gets) me (?:curious|wonder\w*|think\w*))\b)"
)
_IN_PROGRESS = re.compile(
    r"\b(?:he|she|i|they|we|it|my \w+|his \w+|her \w+)(?:'s|'re|'m| is| are| am) (?:\w+ )?\w+ing\b"
)


def _names_emergency(text: Text) -> bool:
    return "emergency" in safety_intents(text)


# "Update: he's fine now, A&E gave him an injection": someone says all is well again.
_FINE_NOW = re.compile(
    r"\b(?:he|she|i|they|we|it)(?:'s|'m|'re| is| am| are) (?:\w+ )?(?:fine|ok|okay|alright"
    r"|all right|better|stable|safe) now\b"
)


def over_and_done(text: Text) -> bool:
    """A past episode the message says is over ("years ago ... it's long over now"), or news
    that someone is fine now, naming no emergency itself."""
    lowered = normalise(text)
    if _NOW.search(lowered) or _IN_PROGRESS.search(lowered) or _after_reassurance(lowered):
        return False
    past_and_resolved = bool(_IN_THE_PAST.search(lowered)) and bool(_RESOLVED.search(lowered))
    return past_and_resolved or (bool(_FINE_NOW.search(lowered)) and not _names_emergency(lowered))


def _after_reassurance(lowered: Text) -> bool:
    """A contrast after the first words that say it is over or fine."""
    reassured = _RESOLVED.search(lowered) or _FINE_NOW.search(lowered)
    return bool(reassured and _CONTRAST.search(lowered, reassured.end()))


def only_asked_about(text: Text) -> bool:
    """The emergency words are only in a question about a term or about what causes a
    symptom, with no one in it: "what is status dystonicus?", "can botox make it hard to
    swallow?". Every sentence that names an emergency must be such a question."""
    lowered = normalise(text)
    sentences = [s for s in re.split(r"(?<=[.!?\n])\s*", lowered) if _names_emergency(s)]
    if not sentences:
        return False
    for sentence in sentences:
        if _ASKS_WHAT_TERM_IS.search(sentence) and not _SOMEONE.search(sentence):
            continue
        clauses = [c for c in asking_clauses(sentence) if _names_emergency(c)]
        if not clauses or any(
            not _ASKS_WHAT_CAUSES.search(c) or _SOMEONE.search(c) for c in clauses
        ):
            return False
        # A clause naming the emergency outside the question keeps it a report.
        if _names_emergency(re.sub("|".join(map(re.escape, clauses)), " ", sentence)):
            return False
    return not _NOW.search(lowered)
