"""An NLU component that reads an unsure short message in the light of the answer it follows.

"How do you know it's safe?" after the CBD safety answer, or "and in kids?" after the causes,
mean little on their own: DIET is unsure, and the message would be redirected as not covered, or
as off-topic. In the conversation they are plain follow-ups. Rasa gives an NLU component the
conversation's tracker when its `process` asks for it, so this component, which runs after the
honest redirects (components/honest_fallback.py) and before the safety check, resolves them:

- a question about the very answer just given (DIET's best guess is that answer again) that DIET
  also thinks may ask for sources, or for more, is that follow-up: `ask_evidence` or
  `tell_me_more` (they then refer to the previous answer: actions/follow_ups.py);
- a follow-up the previous answer expects (its `follow_ups` and `subject_switches` in
  knowledge/answers.yml), when it is DIET's best guess, is given: "are they addictive?" after the
  treatments is then answered about the treatments (actions/context.py);
- a short "does it work?", "so is that proof it works?" or "what helps?", made only of such
  words, asks what the previous answer's `does_it_help` says (after the cannabis research:
  whether cannabis helps dystonia; after the pain: the treatments). DIET reads these few
  common words with no subject as anything ("does that mean it works?" -> the definition), even
  confidently, so this applies whatever DIET says, except to safety, feedback, "more" and
  "sources" intents;
- a short question whether cannabis or a usual treatment works, naming nothing else ("what
  about CBD, does that help?", "does botox help with that?"), asks whether it helps dystonia:
  cannabis's answer (DIET hears CBD's other properties) or the treatments;
- a short question about addiction, side effects or pain relief that names no subject of its
  own ("what about addiction?", "and the side effects?", "is it a good painkiller though?") asks
  it about the previous answer's subject, whatever DIET says: after CBD's safety, CBD's
  addiction; after the treatments, their side effects; after CBD's properties, the painkiller
  claim among them. DIET hears the aspect and loses the subject;
- after an answer about another condition (cannabis for MS), a short question that takes what
  was said over to dystonia ("and does that apply to dystonia?", "and for dystonia, is it the
  same?") asks the answer's subject switch to dystonia: what the research says about cannabis
  for dystonia. DIET hears "dystonia" and gives the definition;
- after an answer about cannabis, a short question whether "it" has been tested or studied in
  people ("has that been tested on people with dystonia?", "any proper studies?") asks what the
  research says about cannabis for dystonia, whatever DIET says (it hears "not covered");
- after the answer about the article's source, a short "is it reliable then?" or "can I trust
  it?" asks about that source again (the answer says why it overstates some points);
- a short "wow, really?" or "is that true?" asks what the previous answer rests on: its sources;
- a short comment that asks nothing ("wow. only five", "that's a bit depressing tbh") gets
  "not sure I understood" with suggested questions, not an answer or the sources DIET hears in
  "that";
- a short "how do you know?", "says who?", "where's that from?" or "source?" asks for the sources of
  the previous answer (`ask_evidence`), whatever DIET says, as "does it work?" does;
- a short "ok, more please" or "go on then" asks for more (`tell_me_more`), whatever DIET says;
- a short "in kids?" or "for men?" asks the previous answer's question about a narrower group,
  which the article never answers: the honest `not_covered`, unless the answer records it as a
  subject switch. DIET reads these two words as anything (even "sources?");
- a short message that only names cannabis or a usual treatment ("how about CBD?", "is cbd?",
  "and botox?") asks the previous answer's question about it: the answer's one subject switch to
  that subject, whatever DIET says (after the side effects, CBD's safety; after "are those
  addictive?", CBD's addiction);
- a short question about someone's outlook ("will I get better?") that DIET calls off-topic is
  about dystonia, which no answer here covers: the honest `not_covered`;
- a bare "why?" or "how come?" asks why the previous answer's claim holds, which the article
  never explains: the honest `not_covered` (DIET reads it as the causes);
- "what about stress?" is a follow-up, not a question about what the assistant can do: a
  subject switch that DIET reads as `capabilities` is treated as unsure;
- any other short follow-up that points back or continues ("and ...?", "so ...?", "what about
  ...?") is about dystonia, since the conversation is: the honest `not_covered` instead of
  `out_of_scope`. One that points back ("how long does it last?") is, even when DIET is sure it
  is off-topic.

Apart from "does it work?", "more" and sources, only unsure messages are touched (DIET below the
fallback threshold, or overruled by the second opinion, or small talk for a subject switch), and
only right after an article answer.
"""

import re
from typing import Any, Dict, List, Optional, Set, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.context import (
    OWN_SUBJECT,
    points_back,
    refers_back,
    switches_subject,
    topic_of,
)
from actions.knowledge import knowledge
from actions.slots import LAST_ANSWER
from components.answer_subject import (
    ABOUT_SOURCE,
    ADDICTION,
    ASKS_ABOUT_TRUST,
    CANNABIS_ANSWERS,
    NAMES_CANNABIS,
    NAMES_USUAL_TREATMENT,
    OTHER_CONDITIONS,
    names_dystonia,
)
from components.configured import ConfiguredComponent
from components.honest_fallback import FALLBACK, NOT_COVERED, OUT_OF_SCOPE
from components.safety_patterns import SAFETY_INTENTS
from components.two_questions import asking_clauses, asks_something, question_sentence

ASK_EVIDENCE = "ask_evidence"
TELL_ME_MORE = "tell_me_more"
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
USUAL_TREATMENT_ANSWERS = frozenset({"treatments", "treatment_side_effects"})
# The answers about cannabis, and about the usual treatments, whose subject a short question
# about one aspect of it refers to; and the answer for each aspect.
_ABOUT_CANNABIS = CANNABIS_ANSWERS | {
    "cbd_multiple_sclerosis",
    "wilson_case_report",
    "dose_response_study",
}
_ASPECT_ANSWERS = {
    "cannabis": {"addiction": "cbd_addiction", "safety": "cbd_safety", "pain": "cbd_properties"},
    "usual": {"addiction": "treatment_side_effects", "safety": "treatment_side_effects"},
}
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
CAPABILITIES = "capabilities"
# Intents these rules never replace. (The diagnosis and buying replies may be: none of the words
# allowed can ask for a diagnosis or to buy something.)
_SAFETY = {intent for intent, _ in SAFETY_INTENTS} - {"diagnosis"}
_KEPT = _SAFETY | {
    "feedback_helpful",
    "feedback_not_helpful",
    "tell_me_more",
    "ask_evidence",
}


def expected_follow_ups(previous: Text, text: Text) -> Set[Text]:
    """The intents that knowledge/answers.yml resolves against `previous` for this message."""
    answer = knowledge().answers.get(previous)
    if answer is None:
        return set()
    # The answers the follow-ups lead to count too: "are they addictive?" after the treatments,
    # unsure as treatment_side_effects, is that follow-up already resolved.
    if refers_back(text):
        return set(answer.follow_ups) | set(answer.follow_ups.values())
    if switches_subject(text):
        return set(answer.subject_switches) | set(answer.subject_switches.values())
    return set()


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


def answer_for_aspect(previous: Text, aspect: Text) -> Optional[Text]:
    """The answer about `aspect` of the subject of the answer `previous`, if there is one."""
    if previous in _ABOUT_CANNABIS:
        return _ASPECT_ANSWERS["cannabis"].get(aspect)
    if previous in USUAL_TREATMENT_ANSWERS | {"pain"}:
        return _ASPECT_ANSWERS["usual"].get(aspect)
    return None


# "Wow. Only five", "that's a bit depressing tbh": how the last answer struck someone.
_COMMENT = re.compile(
    r"\b(?:wow|depressing|sad|shame|pity|disappointing|interesting|crazy|scary|wild|lol|damn"
    r"|ugh|typical|only|bummer|harsh|yikes|jeez|gosh|blimey|awful|terrible|amazing|shocking"
    r"|surprising|worrying|frightening|bleak|grim|insane|mad)\b"
)
COMMENT_MAX_WORDS = 6
# What DIET makes of such a comment, wrongly: the sources, more, an answer, or off-topic; not
# thanks, hello or goodbye ("wow, thanks").
_NOT_A_COMMENT = (_KEPT - {ASK_EVIDENCE, TELL_ME_MORE}) | {"greet", "thank", "goodbye"}


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
_ASKS_IF_TESTED = re.compile(
    r"\b(?:tested|trialled|trialed|trials?|studies|studys|studied|placebo|dummy pills?"
    r"|research(?:ed)?)\b"
)
TESTED_MAX_WORDS = 14
# The research answers that already say what was tested.
_ABOUT_THE_RESEARCH = frozenset({"cbd_for_dystonia", "research_difficulty", "dose_response_study"})


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


DYSTONIA_ITSELF = "define_dystonia"
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


def switched_to(answer: Any, subject: Text, asked_before: Text) -> Optional[Text]:
    """The previous answer's question about the subject named: its one subject switch to an
    answer about that subject. After "are those addictive?", CBD's safety is CBD's addiction."""
    answers = CANNABIS_ANSWERS if subject == "cannabis" else USUAL_TREATMENT_ANSWERS
    targets = {target for target in answer.subject_switches.values() if target in answers}
    if len(targets) != 1:
        return None
    [target] = targets
    if target == "cbd_safety" and ADDICTION.search(asked_before.lower()):
        return "cbd_addiction"
    return target


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


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class FollowUpContext(ConfiguredComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Set on the tuning conversations (tuning/conversations.yml).
        return {
            # Longer messages say what they are about themselves.
            "max_words": 10,
            # How far down DIET's ranking a follow-up intent may be and still be chosen.
            "follow_up_rank": 4,
        }

    def process(
        self, messages: List[Message], tracker: Optional[DialogueStateTracker] = None
    ) -> List[Message]:
        if tracker is None:
            return messages
        previous = topic_of(tracker.get_slot(LAST_ANSWER))
        if not previous:
            return messages
        # Parsing comes before the message joins the tracker: this is the question before.
        asked_before = (tracker.latest_message.text if tracker.latest_message else None) or ""
        for message in messages:
            intent = self.in_context(message, previous, asked_before)
            if intent is not None:
                classified = message.get(INTENT) or {}
                message.set(
                    INTENT,
                    {INTENT_NAME_KEY: intent, "confidence": classified.get("confidence", 0.0)},
                    add_to_output=True,
                )
        return messages

    def in_context(
        self, message: Message, previous: Text, asked_before: Text = ""
    ) -> Optional[Text]:
        """The intent an unsure follow-up to the answer `previous` gets, or None to keep it."""
        ranking = message.get(INTENT_RANKING_KEY) or []
        text = message.get(TEXT) or ""
        answer = knowledge().answers.get(previous)
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        # "Is that proof it works?" asks whether it works, though DIET hears "proof": sources.
        helps_kept = _KEPT - {ASK_EVIDENCE}
        if answer and answer.does_it_help and intent not in helps_kept and asks_if_it_helps(text):
            return answer.does_it_help
        helps = named_subject_helps(text)
        if intent not in helps_kept and helps:
            return helps
        to_dystonia = (answer.subject_switches if answer else {}).get(DYSTONIA_ITSELF)
        if (
            to_dystonia
            and intent not in _KEPT
            and takes_over_to_dystonia(text, self._config["max_words"])
        ):
            return to_dystonia
        # (After cannabis for MS, only when it asks about dystonia.)
        about_dystonia = previous != "cbd_multiple_sclerosis" or "dyston" in text.lower()
        if (
            previous in _ABOUT_CANNABIS
            and about_dystonia
            and intent not in _KEPT | _ABOUT_THE_RESEARCH
            and asks_if_tested(text)
        ):
            return CBD_FOR_DYSTONIA
        if previous == ABOUT_SOURCE and intent not in _KEPT and asks_if_trusted(text):
            return ABOUT_SOURCE
        aspect = aspect_asked(text)
        if aspect and intent not in _KEPT:
            about_subject = answer_for_aspect(previous, aspect)
            if about_subject:
                return about_subject
        if intent not in _KEPT and reacts(text):
            return ASK_EVIDENCE
        if intent not in _KEPT and asks_for_sources(text, self._config["max_words"]):
            return ASK_EVIDENCE
        if intent not in _KEPT and asks_for_more(text):
            return TELL_ME_MORE
        if answer and answer.more and intent == previous and MORE_ABOUT.search(text.lower()):
            # "Tell me more about the treatments" right after the treatments.
            return TELL_ME_MORE
        if intent not in _NOT_A_COMMENT and only_comments(text):
            return FALLBACK
        if intent not in _KEPT and asks_why(text):
            return NOT_COVERED
        subject = named_subject_only(text)
        if answer and subject and intent not in _KEPT:
            switched = switched_to(answer, subject, asked_before)
            if switched:
                return switched
        if intent not in _SAFETY and narrows(text):
            switched = (answer.subject_switches if answer else {}).get(intent or "")
            return switched or NOT_COVERED
        if intent == OUT_OF_SCOPE and asks_about_outlook(text, self._config["max_words"]):
            # "Will I get better?" after an answer is about dystonia, which has no answer here.
            return NOT_COVERED
        unsure = bool(ranking) and ranking[0].get(INTENT_NAME_KEY) == FALLBACK
        small_talk = intent == CAPABILITIES and switches_subject(text)
        # "How long does it last?" is about what was just said, not off-topic.
        off_topic = intent == OUT_OF_SCOPE and points_back(question_sentence(text) or text)
        if not (unsure or small_talk or off_topic) or not follows_on(
            text, self._config["max_words"]
        ):
            return None
        if off_topic:
            # DIET's ranking below a confident "off-topic" says nothing about which follow-up.
            return NOT_COVERED
        guesses = [
            r[INTENT_NAME_KEY]
            for r in ranking
            if r.get(INTENT_NAME_KEY) not in (FALLBACK, CAPABILITIES, OUT_OF_SCOPE)
        ]
        nearest = guesses[: self._config["follow_up_rank"]]
        if guesses and guesses[0] == previous:
            for follow_up in (ASK_EVIDENCE, TELL_ME_MORE):
                if follow_up in nearest:
                    return follow_up
        if guesses and guesses[0] in expected_follow_ups(previous, text):
            # A follow-up this answer expects ("are they addictive?" after the treatments):
            # action_answer_question answers it about the previous answer.
            return guesses[0]
        return NOT_COVERED if intent in (OUT_OF_SCOPE, CAPABILITIES) else None
