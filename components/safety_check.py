"""An NLU component that makes sure a crisis reaches the safety replies, however it is phrased.

Three signals, each able to escalate on its own, because missing a crisis is the worst thing
this assistant can do:

1. Word patterns (components/safety_patterns.py): clear red-flag phrases, always escalated.
2. The intent classifier's own view: a crisis intent (emergency, self-harm, overdose) with
   enough confidence anywhere in DIET's ranking escalates, even when another intent is on top.
3. A crisis classifier of its own, trained with the model on the same NLU data (crisis intents
   against everything else, the near-misses included), applied to every sentence and clause of
   the message separately as well as to the whole. It uses word and character n-grams, so it
   recognises typos and new combinations of words it has seen ("cant get air", "swalow"), and
   scoring each sentence on its own means a crisis written into a long FAQ question is not
   outweighed by the rest of the message, as it is for the whole-message classifier.

The two learned signals also escalate together when each is less sure on its own.

An emergency together with signs of self-harm, or an overdose, gets the `overdose` reply: the
emergency instruction first, then the crisis contacts. An emergency the message only tells
about (over and done, or asked about: components/crisis_context.py) is not escalated, and gets
the honest "not covered" reply if DIET itself chose the emergency. When no crisis is found, the
patterns for dose questions and attempts to talk the assistant out of its rules still apply.
"""

import re
from typing import Any, Dict, Iterable, List, Optional, Set, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.crisis_context import only_asked_about, over_and_done
from components.honest_fallback import NOT_COVERED
from components.ngram_classifier import NgramClassifierComponent, fit_ngram_classifier
from components.safety_patterns import CRISIS_INTENTS, normalise, safety_intents
from components.spelling import AS_TYPED_KEY

NOT_A_CRISIS = "none"
OVERDOSE = "overdose"
EMERGENCY = "emergency"
SIGNALS_KEY = "crisis_signals"

# Sentences and clauses: after . ! ? ; , or a line break, and before "but".
_SEGMENT_BREAK = re.compile(r"[.!?;,\n]+|\s+but\s+")


def segments(text: Text) -> List[Text]:
    """The message as a whole, then each of its sentences and clauses of two words or more."""
    parts = [p.strip() for p in _SEGMENT_BREAK.split(text)]
    return [text] + [p for p in parts if len(p.split()) >= 2 and p != text]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SafetyCheck(NgramClassifierComponent):
    model_file = "crisis_classifier.skops"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Set on the real-style tuning set (tuning/messages.yml) with the model trained from
        # data/: every crisis probe there clears one of these rules with a margin, and ordinary
        # messages (DIET puts at most 0.33 on a crisis intent for them, the classifier up to
        # 0.95 for one sentence) stay below (README, "Safety").
        return {
            # DIET's confidence in a crisis intent, alone.
            "ranking_threshold": 0.6,
            # The crisis classifier's probability for one sentence, alone.
            "classifier_threshold": 0.97,
            # Both learned signals together, each less sure.
            "agreement_classifier_threshold": 0.4,
            "agreement_ranking_threshold": 0.3,
        }

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = [], []
        for example in training_data.intent_examples:
            intent = example.get(INTENT)
            texts.append(normalise(example.get(TEXT)))
            labels.append(intent if intent in CRISIS_INTENTS else NOT_A_CRISIS)
        # Balanced: crises are rare among the examples, and must not be outvoted by them.
        return self.keep(fit_ngram_classifier(texts, labels, balanced=True))

    def signals(
        self, text: Text, ranking: Iterable[Dict[Text, Any]], as_typed: Optional[Text] = None
    ) -> Dict[Text, Any]:
        """What each of the three signals says about the crisis intents, before any threshold.
        The patterns read the message `as_typed` too, before components/spelling.py mended it."""
        confidences = {r.get(INTENT_NAME_KEY): r.get("confidence", 0.0) for r in ranking}
        probabilities: Dict[Text, float] = {}
        if self._classifier is not None:
            parts = [normalise(part) for part in segments(text)]
            # The most worrying sentence counts, not the average over the message.
            highest = self.probabilities(parts).max(axis=0)
            probabilities = dict(
                zip(self._classifier.classes_, highest.round(3).tolist(), strict=True)
            )
        return {
            "patterns": [
                intent
                for intent in dict.fromkeys(safety_intents(text) + safety_intents(as_typed or ""))
                if intent in CRISIS_INTENTS
            ],
            "ranking": {c: round(confidences.get(c, 0.0), 3) for c in sorted(CRISIS_INTENTS)},
            "classifier": {c: probabilities.get(c, 0.0) for c in sorted(CRISIS_INTENTS)},
        }

    def crises(self, signals: Dict[Text, Any]) -> Set[Text]:
        """The crisis intents that the patterns, either learned signal, or both together find."""
        config = self._config
        found = set(signals["patterns"])
        for crisis, confidence in signals["ranking"].items():
            probability = signals["classifier"][crisis]
            if (
                confidence >= config["ranking_threshold"]
                or probability >= config["classifier_threshold"]
                or (
                    probability >= config["agreement_classifier_threshold"]
                    and confidence >= config["agreement_ranking_threshold"]
                )
            ):
                found.add(crisis)
        return found

    def talked_about(self, text: Text, signals: Dict[Text, Any]) -> bool:
        """An emergency that is not happening now: over and done, or only asked about (then
        the learned signals must not find one either)."""
        if self.crises(signals) != {EMERGENCY}:
            return False
        learned = self.crises({**signals, "patterns": []})
        return over_and_done(text) or (not learned and only_asked_about(text))

    def decide(
        self, text: Text, signals: Dict[Text, Any], chosen: Optional[Text] = None
    ) -> Optional[Text]:
        """The safety intent the message must get whatever the classifier says, or None. An
        emergency only talked about is not one; if DIET `chosen` a crisis intent for it, the
        honest "not covered"."""
        talked_about = self.talked_about(text, signals)
        crises = set() if talked_about else self.crises(signals)
        if OVERDOSE in crises or {"emergency", "self_harm"} <= crises:
            return OVERDOSE
        for intent in ("emergency", "self_harm"):
            if intent in crises:
                return intent
        others = [intent for intent in safety_intents(text) if intent not in CRISIS_INTENTS]
        if others:
            return others[0]
        return NOT_COVERED if talked_about and chosen in CRISIS_INTENTS else None

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            ranking = message.get(INTENT_RANKING_KEY) or []
            signals = self.signals(message.get(TEXT) or "", ranking, message.get(AS_TYPED_KEY))
            # Kept with the message, and so in the tracker store: why it escalated, or not.
            message.set(SIGNALS_KEY, signals, add_to_output=True)
            text = message.get(TEXT) or ""
            chosen = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            intent = self.decide(text, signals, chosen)
            if intent is None or chosen == intent:
                continue
            decided = {INTENT_NAME_KEY: intent, "confidence": 1.0}
            ranking = [r for r in ranking if r.get(INTENT_NAME_KEY) != intent]
            message.set(INTENT, decided, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [decided] + ranking, add_to_output=True)
        return messages
