"""An NLU component that gives an answer only when the answer knows the word the question
turns on.

DIET matches the form of a question: "does alcohol make dystonia worse?" gets what makes
dystonia worse, "is dystonia contagious?" the definition, "is dystonia an autoimmune disease?"
the related conditions, "does dystonia get worse with age?" what makes it worse. Each is a
confident answer to a different question. In three common forms the question turns on one
phrase, and that phrase is easy to find:

- "is/are <dystonia, it, they> (a/an) X?", "can <dystonia, it> be X?": X;
- "does X make <dystonia, it, my symptoms> worse/better?", "does it get worse with X?", "X
  makes my spasms worse, is that a thing?": X;
- "what is X?", "what are X?", "what does X mean?": X (the definition of dystonia itself is
  components/answer_subject.py's check).

The answer is given only when it knows at least one word of X (stemmed): its training examples
or its own text use it ("does Charlotte's Web CBD oil help?" is about CBD, whatever the brand).
Otherwise the message becomes `nlu_fallback`, and
components/honest_fallback.py redirects it honestly (not covered, or off-topic). Words that many
intents' examples use ("normal", "right", "typical", "known") are how people ask, not what they
ask about, and are never the turning point; nor are common English words.

The other way round, a message DIET took for a request for sources or for more ("what's the
evidence?", "tell me more") that uses words only DIET's next answer knows asks that answer's
question: "the study with five patients, tell me about that one" is the 1986 study, not the
sources of the previous answer.

Why this generalises: the vocabulary is learned from the training data and the answers, not
listed here, and the check needs no example of the uncovered subject; it fires on any word the
chosen answer has never been asked about in that slot.
"""

import hashlib
import re
from collections import defaultdict
from typing import Any, Dict, FrozenSet, List, Optional, Set, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from actions.context import CANNABIS_WORDS, USUAL_TREATMENT_WORDS
from actions.knowledge import KNOWLEDGE_DIR, load_knowledge
from components.answer_subject import ASKS_WHAT, mark_unsure, names_dystonia, term_words
from components.configured import JsonStoredComponent
from components.honest_fallback import FOLLOW_UPS
from components.safety_patterns import normalise
from components.second_opinion import QUESTIONS_KEY
from components.two_questions import SEPARATOR, question_sentence

# Words and numbers ("the 1986 study", "5 patients").
_WORD = re.compile(r"[a-z][a-z']*|\d+")
# Small numbers are written both ways: "5 patients" is "five patients".
_NUMBER_WORDS = {
    str(number): word
    for number, word in enumerate(
        re.findall(
            r"\S+",
            """zero one two three four five six seven eight nine ten eleven twelve thirteen
            fourteen fifteen sixteen seventeen eighteen nineteen twenty""",
        )
    )
}
_SUBJECT = (
    r"(?:dystonia|it|this|that|they|these|those|cd|(?:my|his|her|the) (?:dystonia|condition)"
    # "is musician's dystonia career-ending?", "is cervical dystonia hereditary?", "is
    # Wilson's disease curable?"
    r"|[a-z']+ (?:dystonia|disease|syndrome))"
)
# "is dystonia contagious?", "are they addictive?", "can it be cured?"
_PREDICATE = re.compile(
    rf"^(?:(?:so|and|but|ok|okay|also|then),? )*"
    rf"(?:(?:is|are|was) {_SUBJECT} (?:an? )?|(?:can|could|will) {_SUBJECT} (?:ever )?be )"
    r"(?P<phrase>[^?.!,;:]+)"
)
# What gets worse, besides dystonia itself: "my spasms get way worse before my period".
_SYMPTOMS = r"(?:my|his|her|their|the) (?:spasms|symptoms|tremors?|neck|twisting|pulling)"
_HOW_MUCH = r"(?:any |much |way |a lot |even |really |far |so much )?"
_WHEN = r"with|as|after|from|when|if|in|at|on|for|than|during|before|around|because of"
# "does alcohol make dystonia worse?", "does dystonia get worse with age?", "my spasms get
# way worse before my period"
_WORSE = re.compile(
    r"\b(?:does|do|can|could|will|would|might) (?P<cause>[a-z' ]+?) "
    r"(?:make|worsen|aggravate|trigger|help|improve) (?:my |the |his |her |their )?"
    r"(?:dystonia|it|symptoms|spasms|condition)\b"
    rf"|\b(?:{_SUBJECT}|{_SYMPTOMS}) (?:get|gets|getting|become|becomes|go|goes|is|are) "
    rf"{_HOW_MUCH}(?:worse|better) (?:(?:{_WHEN}) )?(?P<when>[^?.!,;:]+)"
    # "cold weather makes my spasms worse, is that a thing?"
    r"|^(?P<stated>[a-z' ]+?) (?:makes|made|is making|triggers|worsens) (?:my |the |his |her )?"
    r"(?:dystonia|symptoms|spasms|condition|neck|twisting)\b"
)
# "is there a link between dystonia and anxiety?", "is dystonia related to ADHD?", "can
# dystonia cause memory problems?", "can it affect your breathing?"
_LINKED = re.compile(
    r"\b(?:link|links|connection|relationship|association) between "
    rf"(?:{_SUBJECT}) and (?P<linked>[^?.!,;:]+)"
    rf"|\b(?:is|are|was) {_SUBJECT} (?:linked|related|connected|associated|tied) (?:to|with) "
    r"(?P<related>[^?.!,;:]+)"
    rf"|\b(?:does|do|can|could|will) {_SUBJECT} (?:cause|lead to|give you|bring on) "
    r"(?P<caused>[^?.!,;:]+)"
    # "can dystonia affect your breathing?"
    rf"|\b(?:does|do|can|could|will) {_SUBJECT} (?:affect|spread to|reach|involve) "
    r"(?P<affected>[^?.!,;:]+)"
)
# Nouns that frame a question rather than name its subject: "what's the deal with Botox?".
_ASKING_NOUNS = frozenset(
    re.findall(
        r"\S+",
        """deal story point matter thing things stuff truth situation score difference link
        connection relationship option options chance chances way ways""",
    )
)
_OTHER = frozenset({"other", "another", "different", "any"})
_NAMED_TREATMENT = re.compile(f"{CANNABIS_WORDS}|{USUAL_TREATMENT_WORDS}")
# Word endings taken off before comparing, so that "curable" meets "cure", "genes" "gene".
_SUFFIXES = (
    "ically", "ities", "ness", "ment", "ical", "ally", "ious", "able", "ible", "ity", "ing",
    "ies", "ous", "ed", "es", "ly", "al", "ic", "s", "y", "e",
)  # fmt: skip


def stem(word: Text) -> Text:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def words(text: Text) -> List[Text]:
    """The words of a text; "wilson's" as "wilson", "dopa-responsive" as two words, "5" as
    "five"."""
    return [
        _NUMBER_WORDS.get(w) or (w[:-2] if w.endswith("'s") else w.strip("'"))
        for w in _WORD.findall(normalise(text))
    ]


def turning_phrase(text: Text) -> Optional[List[Text]]:
    """The words of the phrase the question turns on, in the forms above; None otherwise.
    Only the sentence that asks the question is read."""
    asked = normalise(question_sentence(text) or text)
    linked = _LINKED.search(asked)
    if linked:
        return term_words(next(group for group in linked.groups() if group))
    predicate = _PREDICATE.search(asked)
    if predicate:
        return term_words(predicate.group("phrase"))
    worse = _WORSE.search(asked)
    if worse:
        return term_words(next(group for group in worse.groups() if group))
    what = ASKS_WHAT.search(asked)
    if what:
        term = term_words(next(group for group in what.groups() if group))
        # "what's supposed to help?", "what's used for it?" ask what is done, not what X is.
        return None if term and term[0].endswith("ed") else term
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class AnswerFocusCheck(JsonStoredComponent):
    state_file = "answer_vocabulary.json"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # A word that this many intents' examples use is a way of asking, not a subject.
            "asking_word_spread": 6,
            # How sure DIET must be of an answer, below a request for sources or for more,
            # for the words it alone knows to make the message that answer's question.
            "named_answer_confidence": 0.03,
        }

    # Set by train() or load(): {answer: stems it knows}, the stems of asking words, and
    # {follow-up intent: stems its examples use}.
    _known_by_answer: Dict[Text, FrozenSet[Text]] = {}
    _asking: FrozenSet[Text] = frozenset()
    _follow_up_words: Dict[Text, FrozenSet[Text]] = {}

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        # The answers' texts are learned too, and Rasa's training cache does not know them:
        # an edit to knowledge/answers.yml must retrain this component.
        answers = hashlib.sha256((KNOWLEDGE_DIR / "answers.yml").read_bytes()).hexdigest()
        return f"{super().fingerprint_addon(config)}-{answers}"

    def train(self, training_data: TrainingData) -> Resource:
        knowledge = load_knowledge()
        by_intent: Dict[Text, Set[Text]] = defaultdict(set)
        for example in training_data.intent_examples:
            # What an answer is asked about is in the sentence that asks: the context before
            # it ("doctors told me it was anxiety. What actually is dystonia?") is not.
            text = example.get(TEXT) or ""
            stems = {stem(w) for w in words(question_sentence(text) or text)}
            for intent in (example.get(INTENT) or "").split(SEPARATOR):
                by_intent[intent] |= stems
        spread: Dict[Text, int] = defaultdict(int)
        for stems in by_intent.values():
            for s in stems:
                spread[s] += 1
        asking = {s for s, n in spread.items() if n >= self._config["asking_word_spread"]}
        known = {}
        for name, answer in knowledge.answers.items():
            texts = [answer.text] + ([answer.more.text] if answer.more else [])
            known[name] = sorted(by_intent[name] | {stem(w) for t in texts for w in words(t)})
        follow_ups = {intent: sorted(by_intent[intent]) for intent in FOLLOW_UPS}
        return self.store({"answers": known, "asking": sorted(asking), "follow_ups": follow_ups})

    def restore(self, state: Dict[Text, Any]) -> None:
        self._known_by_answer = {n: frozenset(s) for n, s in state["answers"].items()}
        self._asking = frozenset(state["asking"])
        self._follow_up_words = {n: frozenset(s) for n, s in state["follow_ups"].items()}

    def unknown_phrase(
        self, answer: Text, text: Text, also_answered: Optional[List[Text]] = None
    ) -> List[Text]:
        """The words of the phrase the question turns on, when `answer` knows none of them
        ("does cold weather make it worse?"); else none. One known word is enough: "does
        Charlotte's Web CBD oil help?" is about CBD, whatever the brand. A message that asks
        several things gets every answer in `also_answered` too ("why does my neck get worse
        when I'm tired, and does CBD ...?"): one of them is enough."""
        answers = [answer, *answer.split(SEPARATOR), *(also_answered or [])]
        known_by_any = [self._known_by_answer[a] for a in answers if a in self._known_by_answer]
        phrase = turning_phrase(text)
        if not known_by_any or not phrase:
            return []
        known = frozenset().union(*known_by_any)
        subject = [
            word
            for word in words(" ".join(phrase))
            if len(word) >= 3
            and word not in ENGLISH_STOP_WORDS | _ASKING_NOUNS
            and not names_dystonia(word)
            # Cannabis and the usual treatments are subjects however many intents name them.
            and (stem(word) not in self._asking or _NAMED_TREATMENT.fullmatch(word))
        ]
        if phrase[0] in _OTHER and any(stem(word) in known for word in words(" ".join(phrase))):
            # "related to other neurological diseases": the kind of thing the answer is about.
            return []
        return [] if any(stem(word) in known for word in subject) else subject

    def named_answer(self, follow_up: Text, text: Text, ranking: List[Dict]) -> Optional[Text]:
        """For a message DIET took for a request for sources or for more, the answer it names:
        DIET's next answer, when the message uses words that answer knows and requests of
        that kind never do ("the study with five patients, what was that?")."""
        asked_for = self._follow_up_words.get(follow_up)
        threshold = self._config["named_answer_confidence"]
        answers = [r for r in ranking if r.get(INTENT_NAME_KEY) in self._known_by_answer]
        if asked_for is None or not answers or answers[0].get("confidence", 0.0) < threshold:
            return None
        answer = answers[0][INTENT_NAME_KEY]
        own = [
            word
            for word in words(text)
            # (Number words are English stop words, and here they matter: "five patients".)
            if len(word) >= 3
            and stem(word) not in self._asking
            and stem(word) in self._known_by_answer[answer]
            and stem(word) not in asked_for
        ]
        return answer if own else None

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            name = intent.get(INTENT_NAME_KEY)
            text = message.get(TEXT) or ""
            named = name and self.named_answer(name, text, message.get(INTENT_RANKING_KEY) or [])
            if named:
                message.set(INTENT, {**intent, INTENT_NAME_KEY: named}, add_to_output=True)
            elif name and self.unknown_phrase(name, text, message.get(QUESTIONS_KEY)):
                mark_unsure(message)
        return messages
