"""An NLU component that turns "I didn't understand" into an honest redirect where it can.

When the intent classifier is unsure (the FallbackClassifier's `nlu_fallback`), the message is
rarely unintelligible: usually it is a dystonia question that no answer covers, or something
off-topic. This component, which runs after the FallbackClassifier, decides which:

- about dystonia -> `not_covered` (the article doesn't cover it; a neurologist, the patient
  organisations, suggested questions). A message is about dystonia when it uses a word that the
  training data uses only in dystonia questions and follow-ups to them (learned at training
  time: "spasms", "botox", "opioid", ...), or when the classifier's confidence is mostly on
  dystonia intents;
- otherwise, if it is made of words at all -> `out_of_scope`;
- only a message with (almost) no known words gets `nlu_fallback` ("please rephrase"), even
  when the classifier is confident: character n-grams make DIET sure of itself on keyboard mash.
"""

import re
from collections import Counter
from typing import Any, Dict, FrozenSet, List, Optional, Set, Text, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from components.configured import JsonStoredComponent
from components.safety_patterns import normalise

FALLBACK = "nlu_fallback"
NOT_COVERED = "not_covered"
OUT_OF_SCOPE = "out_of_scope"
# Intents that are not about dystonia: small talk and the off-topic intent.
NOT_ABOUT_DYSTONIA = frozenset(
    {
        OUT_OF_SCOPE,
        "greet",
        "goodbye",
        "thank",
        "bot_challenge",
        "capabilities",
        "privacy",
        "start_over",
        "tell_me_more",
        "ask_evidence",
        FALLBACK,
    }
)
# Follow-ups to an answer ("how do you know botox isn't addictive?") name an answer's subject
# now and then: only the words they use repeatedly ("what's", "source") are conversation words.
FOLLOW_UPS = frozenset({"tell_me_more", "ask_evidence"})

_WORD = re.compile(r"[a-z][a-z']+")


def words(text: Text) -> List[Text]:
    return _WORD.findall(normalise(text))


def _deletions(word: Text) -> Set[Tuple[Text, int]]:
    """The word with each of its letters left out, and where."""
    return {(word[:i] + word[i + 1 :], i) for i in range(len(word))}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class HonestFallback(JsonStoredComponent):
    state_file = "vocabulary.json"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # Share of the classifier's confidence on dystonia intents that makes an unsure
            # message "about dystonia".
            "dystonia_share": 0.5,
            # Share of a message's words that must be known for it to count as intelligible.
            "known_share": 0.5,
            # A word is a dystonia word when dystonia examples use it this often, no other
            # example uses it (follow-ups: at most once) and it is not a common English word.
            "min_dystonia_count": 2,
        }

    # Set by train() or load(): every word of the training data, and the dystonia words.
    _known: FrozenSet[Text] = frozenset()
    _deletions_cache: Optional[Tuple[FrozenSet[Text], FrozenSet[Tuple[Text, int]]]] = None
    _dystonia_words: FrozenSet[Text] = frozenset()

    def train(self, training_data: TrainingData) -> Resource:
        in_dystonia: Counter = Counter()
        elsewhere: Set[Text] = set()
        in_follow_ups: Counter = Counter()
        for example in training_data.intent_examples:
            intent = example.get(INTENT) or ""
            tokens = set(words(example.get(TEXT) or ""))
            if intent in FOLLOW_UPS:
                in_follow_ups.update(tokens)
            elif intent in NOT_ABOUT_DYSTONIA:
                elsewhere |= tokens
            else:
                in_dystonia.update(tokens)
        min_count = self._config["min_dystonia_count"]
        elsewhere |= {word for word, count in in_follow_ups.items() if count >= min_count}
        known = elsewhere | set(in_follow_ups) | set(in_dystonia)
        dystonia_words = {
            word
            for word, count in in_dystonia.items()
            if count >= min_count and word not in elsewhere and word not in ENGLISH_STOP_WORDS
        }
        # "opioid" as well as "opioids", unless the singular is used elsewhere.
        singulars = {w[:-1] for w in dystonia_words if w.endswith("s") and not w.endswith("ss")}
        dystonia_words |= singulars - elsewhere
        return self.store({"known": sorted(known), "dystonia": sorted(dystonia_words)})

    def restore(self, state: Dict[Text, Any]) -> None:
        self._known = frozenset(state["known"])
        self._dystonia_words = frozenset(state["dystonia"])

    def intelligible(self, text: Text) -> bool:
        """Made of words this assistant knows, at least half of them; a word one typo away
        from a known word ("comon"), or two known words run together ("goodnight"), counts."""
        tokens = words(text)
        known = [t for t in tokens if self.recognises(t)]
        return bool(tokens) and len(known) >= self._config["known_share"] * len(tokens)

    def recognises(self, word: Text) -> bool:
        if word in self._known:
            return True
        if len(word) >= 4:
            # One letter added, missing, or changed (at the same place) from a known word.
            deletions = _deletions(word)
            if self._known.intersection(text for text, _ in deletions):
                return True
            shortened, shortened_at = self._known_deletions
            if word in shortened or shortened_at.intersection(deletions):
                return True
        return any(
            word[:i] in self._known and word[i:] in self._known for i in range(3, len(word) - 2)
        )

    @property
    def _known_deletions(self) -> Tuple[FrozenSet[Text], FrozenSet[Tuple[Text, int]]]:
        """Known words of 3 letters or more with one letter left out, without and with the
        place it was taken from."""
        if self._deletions_cache is None:
            placed = {d for w in self._known if len(w) >= 3 for d in _deletions(w)}
            self._deletions_cache = (frozenset(t for t, _ in placed), frozenset(placed))
        return self._deletions_cache

    def uses_dystonia_words(self, text: Text) -> bool:
        return bool(self._dystonia_words.intersection(words(text)))

    def redirect(self, text: Text, ranking: List[Dict[Text, Any]]) -> Text:
        """The intent an unsure message gets: not_covered, out_of_scope or nlu_fallback."""
        if not self.intelligible(text):
            return FALLBACK
        if self.uses_dystonia_words(text):
            return NOT_COVERED
        dystonia_share = sum(
            r.get("confidence", 0)
            for r in ranking
            if r.get(INTENT_NAME_KEY) not in NOT_ABOUT_DYSTONIA
        )
        return NOT_COVERED if dystonia_share >= self._config["dystonia_share"] else OUT_OF_SCOPE

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            classified = message.get(INTENT) or {}
            if classified.get(INTENT_NAME_KEY) == FALLBACK:
                ranking = [
                    r
                    for r in message.get(INTENT_RANKING_KEY) or []
                    if r.get(INTENT_NAME_KEY) != FALLBACK
                ]
                intent = self.redirect(text, ranking)
            elif not self.intelligible(text):
                intent = FALLBACK
            else:
                continue
            # The confidence stays the classifier's own: this is a redirect, not a certainty.
            confidence = classified.get("confidence", 0.0)
            message.set(
                INTENT, {INTENT_NAME_KEY: intent, "confidence": confidence}, add_to_output=True
            )
        return messages
