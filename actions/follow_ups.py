"""Follow-ups to the previous answer: "tell me more" and "what's the evidence?"."""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_question import LAST_ANSWER_SLOT
from actions.disclaimer import ANSWER_DELIVERED_SLOT, send_medical_reply
from actions.knowledge import Answer, Knowledge, knowledge

# What "what's the evidence?" explains when no answer has been given yet.
SOURCE_ANSWER = "about_source"


def _previous_answer(tracker: Tracker, knowledge: Knowledge) -> Optional[Answer]:
    return knowledge.answers.get(tracker.get_slot(LAST_ANSWER_SLOT) or "")


def evidence_text(answer: Answer, knowledge: Knowledge) -> Text:
    """The article passages an answer rests on, the evidence verdicts, and its references."""
    quoted = "\n".join(f'"{passage.strip(" •")}"' for passage in answer.passages)
    lines = [f"That answer rests on this part of the Kalapa Clinic article:\n{quoted}"]
    verdicts = [knowledge.verdicts[row] for row in answer.evidence_rows]
    if verdicts:
        lines.append("How published evidence rates the article's claim: " + ", ".join(verdicts) + ".")
    if answer.references:
        cited = "\n".join(f"- [{ref}] {knowledge.references[ref]}" for ref in answer.references)
        lines.append(f"References:\n{cited}")
    else:
        lines.append("No study is cited for this point beyond the article itself.")
    # One message: channels split a text into separate messages at blank lines.
    return "\n".join(lines)


class ActionTellMore(Action):
    def name(self) -> Text:
        return "action_tell_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        answer = _previous_answer(tracker, knowledge())
        if answer is None:
            dispatcher.utter_message(response="utter_capabilities")
            return [SlotSet(ANSWER_DELIVERED_SLOT, True)]
        if answer.more is None:
            # The article says nothing more: say so honestly and point to reliable sources.
            dispatcher.utter_message(response="utter_not_covered")
            return [SlotSet(ANSWER_DELIVERED_SLOT, True)]
        return send_medical_reply(dispatcher, tracker, knowledge(), answer.more)


class ActionShowEvidence(Action):
    def name(self) -> Text:
        return "action_show_evidence"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        answer = _previous_answer(tracker, knowledge()) or knowledge().answers[SOURCE_ANSWER]
        return send_medical_reply(dispatcher, tracker, knowledge(), evidence_text(answer, knowledge()))
