"""The medical disclaimer that goes with every reply giving medical information.

The first one in a conversation is the full text; later ones are a one-line reminder. The
`disclaimer_shown` slot records that the full text has been shown (it is reset by a restart).
"""

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import Knowledge

DISCLAIMER_SHOWN_SLOT = "disclaimer_shown"
ANSWER_DELIVERED_SLOT = "answer_delivered"


def disclaimer_text(tracker: Tracker, knowledge: Knowledge) -> Text:
    if tracker.get_slot(DISCLAIMER_SHOWN_SLOT):
        return knowledge.reminder_disclaimer
    return knowledge.full_disclaimer


def send_medical_reply(
    dispatcher: CollectingDispatcher, tracker: Tracker, knowledge: Knowledge, text: Text
) -> List[Dict[Text, Any]]:
    """Sends `text` followed by its disclaimer, as one unit: both or neither reach the user.

    Returns the events that record it; `answer_delivered` tells the rules that the reply went
    out (see data/rules/answers.yml).
    """
    dispatcher.utter_message(text=text)
    dispatcher.utter_message(text=disclaimer_text(tracker, knowledge))
    return [SlotSet(DISCLAIMER_SHOWN_SLOT, True), SlotSet(ANSWER_DELIVERED_SLOT, True)]
