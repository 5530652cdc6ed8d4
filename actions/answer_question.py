"""Answers a question from the article, with the medical disclaimer."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.disclaimer import ANSWER_DELIVERED_SLOT, send_medical_reply
from actions.knowledge import knowledge

LAST_ANSWER_SLOT = "last_answer"


class ActionAnswerQuestion(Action):
    def name(self) -> Text:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        answer = knowledge().answers.get(intent)
        if answer is None:
            # A rule sent an intent here that has no answer: ask again rather than guess.
            dispatcher.utter_message(response="utter_fallback")
            return [SlotSet(ANSWER_DELIVERED_SLOT, True)]
        events = send_medical_reply(dispatcher, tracker, knowledge(), answer.text)
        return events + [SlotSet(LAST_ANSWER_SLOT, answer.name)]
