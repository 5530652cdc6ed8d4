"""Follow-ups to the previous answer: "tell me more" and "what's the evidence?"."""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import MULTI_INTENT_SEPARATOR
from actions.disclaimer import send_medical_reply
from actions.history import last_response
from actions.knowledge import Answer, Knowledge, knowledge
from actions.slots import ANSWER_DELIVERED, LAST_ANSWER

# What "what's the evidence?" gets when no answer has been given yet.
SOURCE_ANSWER = "about_source"
EVIDENCE_PREFIX = "evidence:"


def _previous_answers(tracker: Tracker, knowledge: Knowledge) -> List[Answer]:
    keys = (tracker.get_slot(LAST_ANSWER) or "").split(MULTI_INTENT_SEPARATOR)
    found = (knowledge.find(key) for key in keys)
    return [answer for answer in found if answer is not None]


def evidence_text(answer: Answer, knowledge: Knowledge) -> Text:
    """The article passages an answer rests on, the evidence verdicts, and its references."""
    quoted = "\n".join(f'"{passage.strip(" •")}"' for passage in answer.passages)
    lines = [f"That answer rests on this part of the Kalapa Clinic article:\n{quoted}"]
    verdicts = [knowledge.verdicts[row] for row in answer.evidence_rows]
    if verdicts:
        lines.append(
            "What I added comes from this assistant's evidence notes, a summary of published "
            "research, which rate the article's claim: " + ", ".join(verdicts) + "."
        )
    if answer.references:
        cited = "\n".join(f"- [{ref}] {knowledge.references[ref]}" for ref in answer.references)
        lines.append(f"References:\n{cited}")
    elif not verdicts:
        lines.append("No study is cited for this point beyond the article itself.")
    # One message: channels split a text into separate messages at blank lines.
    return "\n".join(lines)


def _more_of(answers: List[Answer]) -> Optional[Answer]:
    """What "tell me more" adds to the previous reply: the last part's more, if it has one."""
    return answers[-1].more if answers else None


class ActionTellMore(Action):
    def name(self) -> Text:
        return "action_tell_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        previous = _previous_answers(tracker, knowledge())
        if not previous:
            # After "the article doesn't cover that", more of it is still not covered; with
            # nothing said yet, say what can be asked.
            not_covered = last_response(tracker) == "utter_not_covered"
            dispatcher.utter_message(
                response="utter_not_covered" if not_covered else "utter_capabilities"
            )
            return [SlotSet(ANSWER_DELIVERED, True)]
        more = _more_of(previous)
        if more is None:
            # The article says nothing more: say so honestly and point to reliable sources.
            dispatcher.utter_message(response="utter_not_covered")
            return [SlotSet(ANSWER_DELIVERED, True)]
        events = send_medical_reply(dispatcher, tracker, knowledge(), [more.text], more.name)
        # "What's the evidence?" now explains what was just said.
        return events + [SlotSet(LAST_ANSWER, more.name)]


class ActionShowEvidence(Action):
    def name(self) -> Text:
        return "action_show_evidence"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        answers = _previous_answers(tracker, knowledge())
        if not answers:
            # Nothing said yet, so no "that answer" to source: where all the answers come from.
            # Asked again, the evidence then explains this answer.
            source = knowledge().answers[SOURCE_ANSWER]
            events = send_medical_reply(
                dispatcher, tracker, knowledge(), [source.text], source.name
            )
            return events + [SlotSet(LAST_ANSWER, source.name)]
        texts = [evidence_text(answer, knowledge()) for answer in answers]
        # Rated as the evidence for its answers: "evidence:pain".
        key = EVIDENCE_PREFIX + MULTI_INTENT_SEPARATOR.join(answer.name for answer in answers)
        return send_medical_reply(dispatcher, tracker, knowledge(), texts, key)
