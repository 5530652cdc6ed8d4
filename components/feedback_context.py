"""An NLU component that recognises the answer to "what was missing?".

After a "No" to "Was this helpful?", the assistant asks, optionally, what was missing
(actions/feedback.py). The reply is free text ("it didn't say how long it lasts", "too
technical") that no intent describes: DIET is unsure of it, redirects it, or mistakes it for a
question. This component, which reads the conversation's tracker, gives such a message
`feedback_not_helpful` when it answers that question, so that action_record_feedback keeps it.
A message that asks something, such as the next question, is answered as usual, and so are
safety messages and small talk; the safety check runs after this and still wins.
"""

from typing import List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.knowledge import knowledge
from components.configured import ConfiguredComponent
from components.honest_fallback import FALLBACK, NOT_COVERED, OUT_OF_SCOPE
from components.safety_patterns import SAFETY_INTENTS
from components.two_questions import question_clauses

NOT_HELPFUL = "feedback_not_helpful"
# What DIET makes of free text it has no intent for.
_REDIRECTS = {FALLBACK, NOT_COVERED, OUT_OF_SCOPE}
# Intents whose own reply is right even after "what was missing?".
_KEEP = {intent for intent, _ in SAFETY_INTENTS} | {
    "diagnosis",
    "buying_cannabis",
    "greet",
    "goodbye",
    "thank",
    "feedback_helpful",
}


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
            intent = classified.get(INTENT_NAME_KEY)
            # A reply that asks nothing answers the question just asked, whatever DIET makes
            # of it ("it was too vague" is not the symptoms question); safety and small talk
            # keep their own replies.
            statement = question_clauses(message.get(TEXT) or "") == 0 and intent not in _KEEP
            if unsure or intent in _REDIRECTS or statement:
                message.set(
                    INTENT,
                    {INTENT_NAME_KEY: NOT_HELPFUL, "confidence": classified.get("confidence", 0.0)},
                    add_to_output=True,
                )
        return messages
