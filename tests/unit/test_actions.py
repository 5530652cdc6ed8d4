"""The custom actions, run with a real rasa_sdk Tracker and CollectingDispatcher."""

import asyncio
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_question import ActionAnswerQuestion
from actions.disclaimer import ActionAddDisclaimer
from actions.feedback import ActionRecordFeedback
from actions.follow_ups import ActionShowEvidence, ActionTellMore, evidence_text
from actions.knowledge import knowledge
from actions.slots import ANSWER_DELIVERED, DISCLAIMER_SHOWN, LAST_ANSWER
from tests.support.chat import more_text

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
FULL = knowledge().full_disclaimer
REMINDER = knowledge().reminder_disclaimer
ASK_HELPFUL = knowledge().feedback.question


def make_tracker(intent: str, text: str = "a question", **slots) -> Tracker:
    values = {DISCLAIMER_SHOWN: False, LAST_ANSWER: None, ANSWER_DELIVERED: False, **slots}
    return Tracker(
        sender_id="unit-test",
        slots=values,
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.9}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return dispatcher.messages, events


def texts(messages):
    return [m.get("text") for m in messages]


@pytest.mark.parametrize("intent", sorted(knowledge().answers))
def test_every_answer_is_sent_with_the_full_disclaimer_first_time(intent):
    messages, events = run(ActionAnswerQuestion(), make_tracker(intent))
    assert texts(messages) == [knowledge().answers[intent].text, FULL, ASK_HELPFUL]
    assert SlotSet(DISCLAIMER_SHOWN, True) in events
    assert SlotSet(ANSWER_DELIVERED, True) in events
    assert SlotSet(LAST_ANSWER, intent) in events


def test_later_answers_carry_the_reminder():
    messages, _ = run(ActionAnswerQuestion(), make_tracker("symptoms", disclaimer_shown=True))
    assert texts(messages)[-2:] == [REMINDER, ASK_HELPFUL]
    assert "not medical advice" in REMINDER


def test_an_intent_without_an_answer_falls_back_instead_of_guessing():
    messages, events = run(ActionAnswerQuestion(), make_tracker("greet"))
    assert [m["response"] for m in messages] == ["utter_fallback"]
    assert SlotSet(LAST_ANSWER, "greet") not in events


def test_tell_more_gives_the_more_text_with_a_disclaimer():
    tracker = make_tracker("tell_me_more", last_answer="treatments", disclaimer_shown=True)
    messages, events = run(ActionTellMore(), tracker)
    assert texts(messages) == [more_text("treatments"), REMINDER, ASK_HELPFUL]
    assert SlotSet(ANSWER_DELIVERED, True) in events
    # "What's the evidence?" now refers to what was just said.
    assert SlotSet(LAST_ANSWER, "treatments:more") in events


def test_evidence_after_tell_more_explains_the_more_part():
    tracker = make_tracker("ask_evidence", last_answer="cbd_for_dystonia:more")
    messages, _ = run(ActionShowEvidence(), tracker)
    evidence = texts(messages)[0]
    assert "a patient with dystonia secondary to Wilson's disease" in evidence
    assert f"[R5] {knowledge().references['R5']}" in evidence


def test_tell_more_after_tell_more_says_honestly_there_is_nothing_more():
    tracker = make_tracker("tell_me_more", last_answer="define_dystonia:more")
    messages, _ = run(ActionTellMore(), tracker)
    assert [m["response"] for m in messages] == ["utter_not_covered"]


def test_a_two_part_question_gets_both_answers_and_one_disclaimer():
    messages, events = run(ActionAnswerQuestion(), make_tracker("causes+cbd_for_dystonia"))
    answers = knowledge().answers
    assert texts(messages) == [
        answers["causes"].text,
        answers["cbd_for_dystonia"].text,
        FULL,
        ASK_HELPFUL,
    ]
    assert SlotSet(LAST_ANSWER, "causes+cbd_for_dystonia") in events


def test_each_question_nlu_found_in_a_message_is_answered_in_order():
    tracker = make_tracker(
        "cbd_addiction", "Is dystonia painful? And separately, is CBD addictive?"
    )
    tracker.latest_message["questions"] = ["pain", "cbd_addiction"]
    messages, events = run(ActionAnswerQuestion(), tracker)
    answers = knowledge().answers
    assert texts(messages) == [
        answers["pain"].text,
        answers["cbd_addiction"].text,
        FULL,
        ASK_HELPFUL,
    ]
    assert SlotSet(LAST_ANSWER, "pain+cbd_addiction") in events
    # Stale: the intent was changed after NLU listed the questions; the intent wins.
    tracker.latest_message["intent"] = {"name": "causes", "confidence": 0.9}
    messages, _ = run(ActionAnswerQuestion(), tracker)
    assert texts(messages)[0] == answers["causes"].text


def test_evidence_after_a_two_part_answer_covers_both_parts():
    tracker = make_tracker("ask_evidence", last_answer="causes+cbd_for_dystonia")
    messages, _ = run(ActionShowEvidence(), tracker)
    answers = knowledge().answers
    assert texts(messages) == [
        evidence_text(answers["causes"], knowledge()),
        evidence_text(answers["cbd_for_dystonia"], knowledge()),
        FULL,
        ASK_HELPFUL,
    ]


@pytest.mark.parametrize(
    "previous, intent, text, expected",
    [
        ("treatments", "cbd_addiction", "are they addictive?", "treatment_side_effects"),
        ("pain", "cbd_safety", "are those safe?", "treatment_side_effects"),
        ("cbd_for_dystonia", "treatment_side_effects", "does it have side effects?", "cbd_safety"),
        ("treatments:more", "cbd_addiction", "are they addictive?", "treatment_side_effects"),
        # Too short to have a subject: about the previous answer's subject.
        ("cbd_properties", "treatment_side_effects", "any side effects?", "cbd_safety"),
        ("treatments", "cbd_safety", "any risks?", "treatment_side_effects"),
        # Longer, or naming a subject: as classified.
        (
            "cbd_properties",
            "treatment_side_effects",
            "what side effects do the prescribed tablets have?",
            "treatment_side_effects",
        ),
        # A follow-up that names its own subject is about that subject.
        ("treatments", "cbd_addiction", "is cbd addictive?", "cbd_addiction"),
        # No previous answer, or no follow-up recorded for this intent: as classified.
        (None, "cbd_addiction", "are they addictive?", "cbd_addiction"),
        ("define_dystonia", "pain", "is it painful?", "pain"),
    ],
)
def test_a_follow_up_pointing_back_is_answered_about_the_previous_answer(
    previous, intent, text, expected
):
    messages, events = run(
        ActionAnswerQuestion(), make_tracker(intent, text=text, last_answer=previous)
    )
    assert texts(messages)[0] == knowledge().answers[expected].text
    assert SlotSet(LAST_ANSWER, expected) in events


@pytest.mark.parametrize(
    "previous, intent, text, expected",
    [
        ("cbd_multiple_sclerosis", "define_dystonia", "and dystonia?", "cbd_for_dystonia"),
        (
            "dose_response_study",
            "prevalence",
            "how many people were in that?",
            "dose_response_study",
        ),
        (
            "cbd_addiction",
            "treatments",
            "what about the usual medicines?",
            "treatment_side_effects",
        ),
        # A full question is answered as asked, and so is a switch no answer records.
        (
            "cbd_multiple_sclerosis",
            "define_dystonia",
            "and what is dystonia, exactly, in plain words?",
            "define_dystonia",
        ),
        ("pain", "define_dystonia", "and dystonia?", "define_dystonia"),
        ("treatment_side_effects", "cbd_properties", "how about CBD?", "cbd_safety"),
        ("treatments", "cbd_properties", "and cbd?", "cbd_for_dystonia"),
    ],
)
def test_and_what_about_asks_the_previous_question_about_a_new_subject(
    previous, intent, text, expected
):
    messages, events = run(
        ActionAnswerQuestion(), make_tracker(intent, text=text, last_answer=previous)
    )
    assert texts(messages)[0] == knowledge().answers[expected].text
    assert SlotSet(LAST_ANSWER, expected) in events


def test_tell_more_says_honestly_when_the_article_has_nothing_more():
    assert knowledge().answers["pain"].more is None
    messages, _ = run(ActionTellMore(), make_tracker("tell_me_more", last_answer="pain"))
    assert [m["response"] for m in messages] == ["utter_not_covered"]


def test_tell_more_after_an_honest_redirect_stays_honest():
    tracker = make_tracker("tell_me_more")
    tracker.events = [
        {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_not_covered"}}
    ]
    messages, _ = run(ActionTellMore(), tracker)
    assert [m["response"] for m in messages] == ["utter_not_covered"]


def test_tell_more_before_any_answer_offers_the_topics():
    messages, events = run(ActionTellMore(), make_tracker("tell_me_more"))
    assert [m["response"] for m in messages] == ["utter_capabilities"]
    assert SlotSet(ANSWER_DELIVERED, True) in events


def test_evidence_quotes_the_article_and_lists_the_references():
    tracker = make_tracker("ask_evidence", last_answer="cbd_for_dystonia")
    messages, _ = run(ActionShowEvidence(), tracker)
    evidence, disclaimer, ask_helpful = texts(messages)
    assert ask_helpful == ASK_HELPFUL
    assert "there is a clear role for medicinal cannabis-based products" in evidence
    for ref in ("R3", "R6", "R7", "R8"):
        assert f"[{ref}] {knowledge().references[ref]}" in evidence
    assert "not supported" in evidence  # the evidence sheet's verdict on the claim
    assert disclaimer == FULL


def test_evidence_without_references_names_the_evidence_notes_as_the_source():
    # The causes answer adds context from the evidence sheet but cites no study.
    messages, _ = run(ActionShowEvidence(), make_tracker("ask_evidence", last_answer="causes"))
    evidence = texts(messages)[0]
    assert "evidence notes" in evidence and "accurate, simplified" in evidence
    assert "No study is cited" not in evidence


@pytest.mark.parametrize("shown, expected", [(False, FULL), (True, REMINDER)])
def test_safety_replies_get_the_disclaimer_full_first_then_the_reminder(shown, expected):
    messages, events = run(
        ActionAddDisclaimer(), make_tracker("medication_advice", disclaimer_shown=shown)
    )
    assert texts(messages) == [expected]
    assert events == [SlotSet(DISCLAIMER_SHOWN, True)]


def test_the_reminder_still_says_it_does_not_replace_a_doctor_and_gives_the_emergency_line():
    assert "not medical advice" in REMINDER
    assert "doctor" in REMINDER and "emergency number" in REMINDER


def test_evidence_before_any_answer_explains_where_the_answers_come_from():
    messages, events = run(ActionShowEvidence(), make_tracker("ask_evidence"))
    assert texts(messages)[0] == knowledge().answers["about_source"].text
    assert "That answer" not in texts(messages)[0]
    # Asked again, "what's the evidence?" sources this answer.
    assert {"event": "slot", "name": "last_answer", "value": "about_source"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


def test_responses_the_actions_use_exist_in_the_domain():
    for name in ("utter_fallback", "utter_not_covered", "utter_capabilities"):
        assert name in DOMAIN["responses"]


@pytest.mark.parametrize("name", sorted(knowledge().answers))
def test_each_answer_is_one_message(name):
    # Rasa's channels split a text at blank lines; an answer must arrive whole, before its
    # disclaimer, not as fragments.
    answer = knowledge().answers[name]
    for text in (answer.text, answer.more.text if answer.more else ""):
        assert "\n\n" not in text


# -- Feedback ----------------------------------------------------------------------------------

FEEDBACK_TEXTS = knowledge().feedback


def feedback_tracker(intent, text, entities=(), events=(), **slots):
    tracker = make_tracker(intent, text=text, **slots)
    tracker.latest_message["entities"] = [{"entity": "answer", "value": v} for v in entities]
    tracker.events = list(events)
    return tracker


def test_every_medical_reply_ends_with_was_this_helpful_about_its_answer():
    messages, _ = run(ActionAnswerQuestion(), make_tracker("causes"))
    assert messages[-1]["text"] == FEEDBACK_TEXTS.question
    assert [b["payload"] for b in messages[-1]["buttons"]] == [
        '/feedback_helpful{"answer": "causes"}',
        '/feedback_not_helpful{"answer": "causes"}',
    ]
    messages, _ = run(ActionShowEvidence(), make_tracker("ask_evidence", last_answer="pain"))
    assert '"evidence:pain"' in messages[-1]["buttons"][0]["payload"]


def test_yes_is_recorded_for_the_answer_on_the_button():
    tracker = feedback_tracker("feedback_helpful", "/feedback_helpful", ["pain"], last_answer="x")
    messages, events = run(ActionRecordFeedback(), tracker)
    assert texts(messages) == [FEEDBACK_TEXTS.thanks]
    assert SlotSet("feedback", {"answer": "pain", "helpful": True}) in events


def test_a_typed_no_is_about_the_last_answer_and_asks_what_was_missing():
    tracker = feedback_tracker("feedback_not_helpful", "not really", last_answer="causes")
    messages, events = run(ActionRecordFeedback(), tracker)
    assert texts(messages) == [FEEDBACK_TEXTS.what_was_missing]
    assert SlotSet("feedback", {"answer": "causes", "helpful": False}) in events


def test_the_reply_to_what_was_missing_is_kept_with_its_answer():
    asked = [{"event": "bot", "text": FEEDBACK_TEXTS.what_was_missing}]
    rated = {"answer": "causes", "helpful": False}
    tracker = feedback_tracker("feedback_not_helpful", "too short", events=asked, feedback=rated)
    messages, events = run(ActionRecordFeedback(), tracker)
    assert texts(messages) == [FEEDBACK_TEXTS.noted]
    assert SlotSet("feedback_missing", {"answer": "causes", "text": "too short"}) in events
