"""An NLU component that keeps a two-part intent ("causes+cbd_for_dystonia") only for a message
that really asks two things.

Rasa's multi-intent classification builds a two-part label from the labels of its parts, so it
sometimes gives one to a single question that touches two topics ("what treatments are there for
him?" -> symptoms+treatments). A message asks two things when it has two question clauses: two
sentences or clauses, split at ? . ; : and at "and" / "also" / "plus", that each ask something.
Otherwise the part the classifier ranks higher on its own is kept.
"""

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

SEPARATOR = "+"
# (Not at ", who" or ", which": those open relative clauses, not questions.)
_CLAUSE_BREAK = re.compile(r"[?.;:!\n]+|\b\d[).]\s+|,?\s+(?:and|also|plus|but)\s+|,\s+(?=(?:what|why|how|is|are|can|does|do|could|will)\b)")
_ASKS = re.compile(
    r"^(?:so |and |also |plus |but |then |ok |okay |oh )*(?:what|what's|whats|why|how|is|isn't|are|aren't|can|can't|could|does|doesn't|do|did|will|would|should|who|which|where|when|any|tell me|explain|i'd like to know|i want to know|i wonder|wondering)\b"
)


def question_clauses(text: Text) -> int:
    """How many clauses of the message ask something (end in "?" or open like a question)."""
    count = 0
    for match in re.finditer(r"[^?.;!\n]+[?.;!\n]*", text.lower()):
        sentence = match.group(0)
        clauses = [c.strip() for c in _CLAUSE_BREAK.split(sentence) if c.strip()]
        asking = [c for c in clauses if _ASKS.match(c)]
        if asking:
            count += len(asking)
        elif sentence.rstrip().endswith("?"):
            count += 1
    return count


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class TwoQuestionsCheck(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TwoQuestionsCheck":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            name = intent.get(INTENT_NAME_KEY) or ""
            if SEPARATOR not in name or question_clauses(message.get(TEXT) or "") >= 2:
                continue
            parts = name.split(SEPARATOR)
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) in parts]
            kept = ranking[0][INTENT_NAME_KEY] if ranking else parts[0]
            message.set(INTENT, {**intent, INTENT_NAME_KEY: kept}, add_to_output=True)
        return messages
