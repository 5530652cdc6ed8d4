"""An NLU component that gives red-flag messages their safety intent.

It runs after the FallbackClassifier, so a clear emergency is never lost to a low-confidence
fallback, and it keeps the classifier's ranking below its own decision for inspection.
"""

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.safety_patterns import safety_intent


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SafetyIntentOverride(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SafetyIntentOverride":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = safety_intent(message.get(TEXT) or "")
            if intent is None:
                continue
            decided = {"name": intent, "confidence": 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
            message.set(INTENT, decided, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [decided] + ranking, add_to_output=True)
        return messages
