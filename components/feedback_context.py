"""An NLU component that recognises the answer to "what was missing?".

After a "No" to "Was this helpful?", the assistant asks, optionally, what was missing
(actions/feedback.py). The reply is free text ("it didn't say how long it lasts", "too
technical") that no intent describes: DIET is unsure of it, or redirects it. This component,
which reads the conversation's tracker, gives such a message `feedback_not_helpful` when it
answers that question, so that action_record_feedback keeps it. A message DIET understands, such
as the next question, is answered as usual; the safety check runs after this and still wins.
"""

from typing import List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from actions.knowledge import knowledge
from components.configured import ConfiguredComponent
from components.honest_fallback import FALLBACK, NOT_COVERED, OUT_OF_SCOPE

NOT_HELPFUL = "feedback_not_helpful"
# What DIET makes of free text it has no intent for.
_REDIRECTS = {FALLBACK, NOT_COVERED, OUT_OF_SCOPE}


def asked_what_was_missing(tracker: Optional[DialogueStateTracker]) -> bool:
    utterance = tracker.latest_bot_utterance if tracker is not None else None
    return utterance is not None and utterance.text == knowledge().feedback.what_was_missing


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class FeedbackContext(ConfiguredComponent):
    def process(
        self, messages: List[Message], tracker: Optional[DialogueStateTracker] = None
    ) -> List[Message]:
        if not asked_what_was_missing(tracker):
            return messages
        for message in messages:
            classified = message.get(INTENT) or {}
            ranking = message.get(INTENT_RANKING_KEY) or [{}]
            unsure = ranking[0].get(INTENT_NAME_KEY) == FALLBACK
            if unsure or classified.get(INTENT_NAME_KEY) in _REDIRECTS:
                message.set(
                    INTENT,
                    {INTENT_NAME_KEY: NOT_HELPFUL, "confidence": classified.get("confidence", 0.0)},
                    add_to_output=True,
                )
        return messages
