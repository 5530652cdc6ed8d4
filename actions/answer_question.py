"""Answers a question from the article, with the medical disclaimer."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import MULTI_INTENT_SEPARATOR, requested_answers
from actions.disclaimer import send_medical_reply
from actions.knowledge import knowledge
from actions.slots import ANSWER_DELIVERED, LAST_ANSWER


class ActionAnswerQuestion(Action):
    def name(self) -> Text:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        message = tracker.latest_message
        answers = requested_answers(
            intent=(message.get("intent") or {}).get("name") or "",
            text=message.get("text") or "",
            last_answer=tracker.get_slot(LAST_ANSWER),
            knowledge=knowledge(),
            questions=message.get("questions"),
        )
        if answers is None:
            # A rule sent an intent here that has no answer: ask again rather than guess.
            dispatcher.utter_message(response="utter_fallback")
            return [SlotSet(ANSWER_DELIVERED, True)]
        key = MULTI_INTENT_SEPARATOR.join(a.name for a in answers)
        events = send_medical_reply(
            dispatcher, tracker, knowledge(), [a.text for a in answers], key
        )
        return events + [SlotSet(LAST_ANSWER, key)]
