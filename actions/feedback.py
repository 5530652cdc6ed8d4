"""Records the answer to "Was this helpful?", asked after every medical answer.

The Yes and No buttons send `feedback_helpful` / `feedback_not_helpful` with the answer they are
about as the `answer` entity (actions/disclaimer.py); typed "that helped" or "not really" works
too, and is taken to be about the last answer. After a No the assistant asks, optionally, what
was missing; the next message is that text when components/feedback_context.py recognised it as
such (it then arrives as `feedback_not_helpful` again). Everything is kept in the conversation's
own slots, so it goes wherever the tracker store is, and `make insights` counts it per answer.
"""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.history import last_text
from actions.knowledge import knowledge
from actions.slots import ANSWER_DELIVERED, FEEDBACK, FEEDBACK_MISSING, LAST_ANSWER

HELPFUL = "feedback_helpful"


def rated_answer(tracker: Tracker) -> Optional[Text]:
    """The answer the feedback is about: the button's, else the last answer given."""
    return next(tracker.get_latest_entity_values("answer"), None) or tracker.get_slot(LAST_ANSWER)


class ActionRecordFeedback(Action):
    def name(self) -> Text:
        return "action_record_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        message = tracker.latest_message
        clicked = (message.get("text") or "").startswith("/")
        texts = knowledge().feedback
        if last_text(tracker) == texts.what_was_missing and not clicked:
            rated = tracker.get_slot(FEEDBACK) or {}
            missing = {"answer": rated.get("answer"), "text": message.get("text") or ""}
            dispatcher.utter_message(text=texts.noted)
            return [SlotSet(FEEDBACK_MISSING, missing), SlotSet(ANSWER_DELIVERED, True)]
        helpful = (message.get("intent") or {}).get("name") == HELPFUL
        dispatcher.utter_message(text=texts.thanks if helpful else texts.what_was_missing)
        rating = {"answer": rated_answer(tracker), "helpful": helpful}
        return [SlotSet(FEEDBACK, rating), SlotSet(ANSWER_DELIVERED, True)]
