"""The medical disclaimer that goes with every reply giving medical information.

The first one in a conversation is the full text; later ones are a reminder. The
`disclaimer_shown` slot records that the full text has been shown (it is reset by a restart).
"""

import json
from typing import Any, Dict, List, Sequence, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import Knowledge, knowledge
from actions.slots import ANSWER_DELIVERED, DISCLAIMER_SHOWN


def disclaimer_text(tracker: Tracker, knowledge: Knowledge) -> Text:
    if tracker.get_slot(DISCLAIMER_SHOWN):
        return knowledge.reminder_disclaimer
    return knowledge.full_disclaimer


def send_medical_reply(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    knowledge: Knowledge,
    texts: Sequence[Text],
    answer: Text,
) -> List[Dict[Text, Any]]:
    """Sends `texts`, one disclaimer and "Was this helpful?" about `answer` (its key), as one
    unit: all or nothing reaches the user.

    Returns the events that record it; `answer_delivered` tells the rules that the reply went
    out (see data/rules/answers.yml).
    """
    for text in texts:
        dispatcher.utter_message(text=text)
    dispatcher.utter_message(text=disclaimer_text(tracker, knowledge))
    dispatcher.utter_message(text=knowledge.feedback.question, buttons=feedback_buttons(answer))
    return [SlotSet(DISCLAIMER_SHOWN, True), SlotSet(ANSWER_DELIVERED, True)]


def feedback_buttons(answer: Text) -> List[Dict[Text, Text]]:
    """Yes and No, each sending its intent with the answer it is about (actions/feedback.py)."""
    entity = json.dumps({"answer": answer})
    return [
        {"title": "Yes", "payload": f"/feedback_helpful{entity}"},
        {"title": "No", "payload": f"/feedback_not_helpful{entity}"},
    ]


class ActionAddDisclaimer(Action):
    """The disclaimer after a safety reply that makes a medical statement (doses, diagnosis,
    buying). The reply itself is a domain response, so it goes out even without this server."""

    def name(self) -> Text:
        return "action_add_disclaimer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=disclaimer_text(tracker, knowledge()))
        # Not `answer_delivered`: no apology rule waits on this action (data/rules/safety.yml).
        return [SlotSet(DISCLAIMER_SHOWN, True)]
