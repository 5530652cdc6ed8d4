"""What the form of a short follow-up says it asks, read from its words alone.

components/follow_up_context.py decides what a follow-up gets in the light of the answer it
follows; these functions say what kind of follow-up a message is: "does it work?", "go on",
"source?", "in kids?", "how about CBD?", "why?", "wow, really?", a question about one aspect
of the last subject ("what about addiction?"), a comment that asks nothing ("wow. only five"),
whether something was tested or can be trusted, whether what was said holds for dystonia too.
Each is narrow on purpose: short messages made only of the words that ask it.
"""

import re
from typing import Optional, Text

from actions.context import OWN_SUBJECT, points_back
from components.answer_subject import (
    ASKS_ABOUT_TRUST,
    NAMES_CANNABIS,
    NAMES_USUAL_TREATMENT,
    OTHER_CONDITIONS,
    TESTED_WORDS,
    names_dystonia,
)
from components.two_questions import asking_clauses, asks_something, question_sentence

# Openings that continue the conversation rather than start a new subject, and a closing
# "then" ("who should I see then?").
_CONTINUES = re.compile(r"^\W*(?:and|so|but|then|or|what about|how about|what if)\b|.*\bthen\W*$")

# "Does it work?": the words that asks it, and the only other words it may contain. Any other
# word names a subject of its own ("does exercise help?"), which the rule leaves to DIET.
_HELPS = re.compile(
    r"\b(?:work|works|worked|working|help|helps|helped|helping|helpful|effective|proof|prove|proves|proven)\b"
)

_DOES_IT_HELP_WORDS = frozenset(
    re.findall(
        r"\S+",
        """a actually all also and any anything at but can could did do does doesnt don't dont
    doesn't dystonia even for good i is isnt isn't it it's its just me mean means mine my no
    or proof prove proves proven really so something that that's the then there this those
    tho though to too what whats what's will with work works worked working help helps helped
    helping helpful effective would at least ok okay right side of things part bit case in
    with people patients hmm anyone anybody everyone""",
    )
)

# "How do you know?", "says who?", "source?": asking for the sources of what was just said.
_ASKS_FOR_SOURCES = re.compile(
    r"^\W*(?:(?:and|so|but|ok|okay|hmm|right)\W+)*"
    r"(?:how (?:do|would|can|could) (?:you|they|we) (?:know|tell)"
    r"(?!\s+(?:if|when|whether|what|which|how|where)\b)"
    r"|says who|who says|according to (?:who|whom|what)"
    r"|what(?:'s| is) (?:your|the) source(?!s? of (?!(?:that|this|it|those|these)\b))"
    r"|where(?:'s| is| does) (?:that|this|it)(?: come)? from"
    # "where's the fda thing from": a word for a claim, not a subject ("where does pain come from")
    r"|where(?:'s| is| does| did) the (?:\w+ ){0,2}(?:thing|bit|claim|info|information|figure|"
    r"number|numbers|stat|stats|statistic|study|quote|part)(?: come)? from"
    r"|what(?:'s|s| is) (?:that|this|it) based on|based on what"
    # "wheres the 16 per 100k from": a figure just given.
    r"|where(?:'?s| is| does| did) (?:the|that|this|your) [\w%.,/ ]{0,20}\d[\w%.,/ ]{0,20}"
    r" (?:come )?from(?=\W*$)"
    # "where was that case published?"
    r"|where (?:was|were|is) (?:that|this|it|the) (?:\w+ )?(?:published|reported)"
    r")\b"
    # A bare "source?", "sources please", "source for this bit?", "any references?".
    r"|^\W*(?:any )?(?:source|sources|reference|references|citation|citations)"
    r"(?: (?:for|of|on) (?:it|that|this|those|these)(?: \w+)?)?(?: (?:please|pls|plz))?\W*$"
)

# "Ok, more please", "go on then", "can you say a bit more?": asking for more, and nothing else.
_ASKS_FOR_MORE = re.compile(
    r"\b(?:more|go on|carry on|continue|elaborate|keep going|expand|what comes next|what'?s next)\b"
)

_MORE_WORDS = frozenset(
    re.findall(
        r"\S+",
        """a about and bit can continue could detail details elaborate expand go going
    carry info it keep little me more ok okay on please pls plz right say so tell that then
    this yes yeah you go on further explain hmm mm ah oh well what comes next what's whats
    bout abt""",
    )
)

# "Tell me more about the treatments": more about an answer it names.
MORE_ABOUT = re.compile(r"\b(?:tell me|say|explain|know) (?:a (?:bit|little) )?more about\b")

# "In kids?", "and for men?": the same question about a narrower group.
_NARROWS = re.compile(
    r"^\W*(?:(?:and|but|so|ok|what about|how about)\W+)?(?:in|for|among|during|at)\s+\w"
)

NARROWING_MAX_WORDS = 4

# "How about CBD?", "is cbd?", "and botox?": a short message that only names cannabis or a usual
# treatment, and words like these.
_SWITCH_WORDS = frozenset(
    re.findall(
        r"\S+",
        """a about also and any are but do does for hmm how instead is of oil ok okay re so
    that the then tho though too using what with""",
    )
)

SUBJECT_ONLY_MAX_WORDS = 5

# "Why?", "but why is that?", "how come?": why the previous answer's claim holds, which the
# article never explains; DIET reads the bare word as the causes.
_ASKS_WHY = re.compile(r"\b(?:why|how come)\b")

_WHY_WORDS = frozenset(
    re.findall(r"\S+", "why how come is that so but though tho ok okay really hmm then and it's it")
)

# "Wow, really?", "seriously??", "is that true?": surprise at what was just said, which the
# sources behind it answer.
_REACTION = re.compile(r"\b(?:really|seriously|sure|true|way|wow|srsly|legit)\b")

_REACTION_WORDS = frozenset(
    re.findall(
        r"\S+",
        """wow really seriously srsly legit no way is that it this true are you sure omg oh huh
        hmm what ok okay so""",
    )
)

REACTION_MAX_WORDS = 5

_ASPECTS = {
    "addiction": re.compile(
        r"\b(?:addict\w*|hooked|habit[- ]forming|dependen(?:ce|cy|t)|withdrawals?)\b"
    ),
    "safety": re.compile(r"\b(?:side[- ]effects?|safe|safety|risks?|risky|dangerous|harmful)\b"),
    # Only about "it": "what about painkillers?" names the usual ones.
    "pain": re.compile(r"\b(?:painkiller|pain killer|pain reliever|analgesic)\b"),
}

_ASPECT_WORDS = frozenset(
    re.findall(
        r"\S+",
        """a an and any are as but can could do does good great how is isn't it it's its just
    ok okay really so strong that the then there they them though tho too very what whats
    what's about of with you get from cause causes have has much serious real proper big
    effective effects effect side safe safety risk risks risky dangerous harmful addictive
    addiction addicted hooked habit forming dependence dependency dependent withdrawal
    withdrawals painkiller pain killer reliever analgesic also actually hmm right yeah""",
    )
)

ASPECT_MAX_WORDS = 8

CBD_FOR_DYSTONIA = "cbd_for_dystonia"

TREATMENTS = "treatments"


def follows_on(text: Text, max_words: int) -> bool:
    """A short message, or question after an aside ("sorry, cat on the keyboard. is it ...?"),
    that points back at what was said, or continues it."""
    lowered = (question_sentence(text) or text).lower()
    return len(lowered.split()) <= max_words and (
        points_back(lowered) or bool(_CONTINUES.match(lowered))
    )


def asks_if_it_helps(text: Text) -> bool:
    """A short question whether "it" works or what helps, naming no subject of its own."""
    words = re.findall(r"[a-z']+", text.lower())
    return (
        0 < len(words) <= 10
        and bool(_HELPS.search(text.lower()))
        and asks_something(text)
        and set(words) <= _DOES_IT_HELP_WORDS
    )


def named_subject_helps(text: Text) -> Optional[Text]:
    """For a short question whether cannabis or a usual treatment works, naming nothing else
    ("what about CBD, does that help?", "does botox help with that?"), the answer that says
    whether it helps dystonia: not CBD's other properties, not "not covered"."""
    lowered = text.lower()
    cannabis = bool(NAMES_CANNABIS.search(lowered))
    usual = bool(NAMES_USUAL_TREATMENT.search(lowered))
    if cannabis == usual:
        return None
    words = re.findall(r"[a-z']+", NAMES_USUAL_TREATMENT.sub(" ", NAMES_CANNABIS.sub(" ", lowered)))
    asks = (
        0 < len(words) <= 10
        and bool(_HELPS.search(lowered))
        and asks_something(text)
        and set(words) <= _DOES_IT_HELP_WORDS | _SWITCH_WORDS
    )
    if not asks:
        return None
    return CBD_FOR_DYSTONIA if cannabis else TREATMENTS


def reacts(text: Text) -> bool:
    """A short "wow, really?" or "is that true?" about what was just said."""
    words = re.findall(r"[a-z']+", text.lower())
    return (
        "?" in text
        and 0 < len(words) <= REACTION_MAX_WORDS
        and bool(_REACTION.search(text.lower()))
        and set(words) <= _REACTION_WORDS
    )


def aspect_asked(text: Text) -> Optional[Text]:
    """ "addiction", "safety" or "pain" for a short question about that one aspect of the
    previous answer's subject, naming no subject of its own; None otherwise."""
    lowered = text.lower()
    words = re.findall(r"[a-z']+", lowered)
    if not (0 < len(words) <= ASPECT_MAX_WORDS and set(words) <= _ASPECT_WORDS):
        return None
    found = [aspect for aspect, pattern in _ASPECTS.items() if pattern.search(lowered)]
    if len(found) != 1 or (found == ["pain"] and not points_back(lowered.replace("pain", ""))):
        return None
    return found[0]


# "Wow. Only five", "that's a bit depressing tbh": how the last answer struck someone.
_COMMENT = re.compile(
    r"\b(?:wow|depressing|sad|shame|pity|disappointing|interesting|crazy|scary|wild|lol|damn"
    r"|ugh|typical|only|bummer|harsh|yikes|jeez|gosh|blimey|awful|terrible|amazing|shocking"
    r"|surprising|worrying|frightening|bleak|grim|insane|mad)\b"
)

COMMENT_MAX_WORDS = 6


def only_comments(text: Text) -> bool:
    """A short comment on what was just said that asks nothing and names no subject."""
    lowered = text.lower()
    words = re.findall(r"[a-z']+", lowered)
    return (
        0 < len(words) <= COMMENT_MAX_WORDS
        and "?" not in text
        and not asking_clauses(text)
        and bool(_COMMENT.search(lowered))
        and not OWN_SUBJECT.search(lowered)
        and not _ASKS_FOR_MORE.search(lowered)
    )


# "Has it been tested against a dummy pill?", "any proper studies?": the research in people.
_ASKS_IF_TESTED = re.compile(rf"\b(?:{TESTED_WORDS}|research(?:ed)?)\b")

TESTED_MAX_WORDS = 14


def asks_if_tested(text: Text) -> bool:
    """A short question whether what was just talked about has been tested in people, naming
    no usual treatment or other condition of its own."""
    lowered = text.lower()
    # (A dummy pill is the placebo, not a usual treatment.)
    named = re.sub(r"\b(?:dummy|sugar|placebo) pills?\b", " ", lowered)
    return (
        0 < len(lowered.split()) <= TESTED_MAX_WORDS
        and asks_something(text)
        and bool(_ASKS_IF_TESTED.search(lowered))
        and not NAMES_USUAL_TREATMENT.search(named)
        and not OTHER_CONDITIONS.search(named)
    )


TRUST_MAX_WORDS = 8


def asks_if_trusted(text: Text) -> bool:
    """A short question whether what was just talked about can be trusted, naming nothing else."""
    lowered = text.lower()
    return (
        0 < len(lowered.split()) <= TRUST_MAX_WORDS
        and asks_something(text)
        and bool(ASKS_ABOUT_TRUST.search(lowered))
        and not OWN_SUBJECT.search(lowered)
    )


# "Does that apply ...", "is it the same ...", "... too?": what was just said, taken over ("why
# hasn't anyone tested it for dystonia?" asks something else).
_TAKES_OVER = re.compile(r"\b(?:same|apply|applies|too|also|as well|similar|likewise)\b")


def takes_over_to_dystonia(text: Text, max_words: int) -> bool:
    """A short question that asks whether what was just said holds for dystonia too."""
    lowered = text.lower()
    words = re.findall(r"[a-z']+", lowered)
    return (
        0 < len(words) <= max_words
        and asks_something(text)
        and any(names_dystonia(word) for word in words)
        and bool(_TAKES_OVER.search(lowered))
    )


def asks_for_more(text: Text) -> bool:
    """A short "ok more please" or "go on then", made only of such words."""
    words = re.findall(r"[a-z']+", text.lower())
    return (
        0 < len(words) <= 8
        and bool(_ASKS_FOR_MORE.search(text.lower()))
        and set(words) <= _MORE_WORDS
    )


def narrows(text: Text) -> bool:
    """A short "in kids?": the previous question, about a narrower group."""
    return len(text.split()) <= NARROWING_MAX_WORDS and bool(_NARROWS.match(text.lower()))


def named_subject_only(text: Text) -> Optional[Text]:
    """ "cannabis" or "usual" for a short message that only names that subject ("is cbd?",
    "how about botox?"); None otherwise."""
    lowered = text.lower()
    cannabis = bool(NAMES_CANNABIS.search(lowered))
    usual = bool(NAMES_USUAL_TREATMENT.search(lowered))
    words = re.findall(r"[a-z']+", lowered)
    rest = set(NAMES_USUAL_TREATMENT.sub(" ", NAMES_CANNABIS.sub(" ", " ".join(words))).split())
    if cannabis == usual or len(words) > SUBJECT_ONLY_MAX_WORDS or not rest <= _SWITCH_WORDS:
        return None
    return "cannabis" if cannabis else "usual"


def asks_why(text: Text) -> bool:
    """A bare "why?" or "but how come?" about what was just said."""
    words = re.findall(r"[a-z']+", text.lower())
    return bool(_ASKS_WHY.search(text.lower())) and 0 < len(words) <= 5 and set(words) <= _WHY_WORDS


# "Will I get better?", "can she recover?", "does it go away?": how someone's dystonia will go.
_OUTLOOK = re.compile(
    r"\b(?:get|getting|be|feel|feeling) (?:better|worse|well|normal)\b|\brecover\w*"
    r"|\b(?:be|get|got|is|it'?s) cured\b|\bcurable\b"
    r"|\bheal\w*|\bgo(?:es)? away\b|\bimprove\w*|\boutlook\b|\bprognosis\b"
)


def asks_about_outlook(text: Text, max_words: int) -> bool:
    """A short question how someone's dystonia will go: their outlook."""
    return (
        len(text.split()) <= max_words
        and asks_something(text)
        and bool(_OUTLOOK.search(text.lower()))
    )


def asks_for_sources(text: Text, max_words: int) -> bool:
    """A short "how do you know (it's safe)?" or "says who?", alone or after a reaction
    ("1%?? that's loads. how do you know?")."""
    asked = question_sentence(text) or text
    return len(asked.split()) <= max_words and bool(_ASKS_FOR_SOURCES.match(asked.lower()))
