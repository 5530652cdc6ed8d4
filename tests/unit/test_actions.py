"""The custom actions, run with a real rasa_sdk Tracker and CollectingDispatcher."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_question import ActionAnswerQuestion
from actions.follow_ups import ActionShowEvidence, ActionTellMore
from actions.knowledge import knowledge

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
FULL = knowledge().full_disclaimer
REMINDER = knowledge().reminder_disclaimer


def make_tracker(intent: str, **slots) -> Tracker:
    values = {"disclaimer_shown": False, "last_answer": None, "answer_delivered": False, **slots}
    return Tracker(
        sender_id="unit-test",
        slots=values,
        latest_message={"text": "a question", "intent": {"name": intent, "confidence": 0.9}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    # In a thread of its own: the browser tests' Playwright keeps an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        events = pool.submit(asyncio.run, action.run(dispatcher, tracker, DOMAIN)).result()
    return dispatcher.messages, events


def texts(messages):
    return [m.get("text") for m in messages]


@pytest.mark.parametrize("intent", sorted(knowledge().answers))
def test_every_answer_is_sent_with_the_full_disclaimer_first_time(intent):
    messages, events = run(ActionAnswerQuestion(), make_tracker(intent))
    assert texts(messages) == [knowledge().answers[intent].text, FULL]
    assert SlotSet("disclaimer_shown", True) in events
    assert SlotSet("answer_delivered", True) in events
    assert SlotSet("last_answer", intent) in events


def test_later_answers_carry_the_reminder():
    messages, _ = run(ActionAnswerQuestion(), make_tracker("symptoms", disclaimer_shown=True))
    assert texts(messages)[-1] == REMINDER
    assert "not medical advice" in REMINDER


def test_an_intent_without_an_answer_falls_back_instead_of_guessing():
    messages, events = run(ActionAnswerQuestion(), make_tracker("greet"))
    assert [m["response"] for m in messages] == ["utter_fallback"]
    assert SlotSet("last_answer", "greet") not in events


def test_tell_more_gives_the_more_text_with_a_disclaimer():
    tracker = make_tracker("tell_me_more", last_answer="treatments", disclaimer_shown=True)
    messages, events = run(ActionTellMore(), tracker)
    assert texts(messages) == [knowledge().answers["treatments"].more, REMINDER]
    assert SlotSet("answer_delivered", True) in events


def test_tell_more_says_honestly_when_the_article_has_nothing_more():
    assert knowledge().answers["pain"].more is None
    messages, _ = run(ActionTellMore(), make_tracker("tell_me_more", last_answer="pain"))
    assert [m["response"] for m in messages] == ["utter_not_covered"]


def test_tell_more_before_any_answer_offers_the_topics():
    messages, events = run(ActionTellMore(), make_tracker("tell_me_more"))
    assert [m["response"] for m in messages] == ["utter_capabilities"]
    assert SlotSet("answer_delivered", True) in events


def test_evidence_quotes_the_article_and_lists_the_references():
    tracker = make_tracker("ask_evidence", last_answer="cbd_for_dystonia")
    messages, _ = run(ActionShowEvidence(), tracker)
    evidence, disclaimer = texts(messages)
    assert "there is a clear role for medicinal cannabis-based products" in evidence
    for ref in ("R3", "R6", "R7", "R8"):
        assert f"[{ref}] {knowledge().references[ref]}" in evidence
    assert "not supported" in evidence  # the evidence sheet's verdict on the claim
    assert disclaimer == FULL


def test_evidence_before_any_answer_explains_the_sources():
    messages, _ = run(ActionShowEvidence(), make_tracker("ask_evidence"))
    assert "Kalapa Clinic" in texts(messages)[0]
    assert "[R8]" in texts(messages)[0]


def test_responses_the_actions_use_exist_in_the_domain():
    for name in ("utter_fallback", "utter_not_covered", "utter_capabilities"):
        assert name in DOMAIN["responses"]


@pytest.mark.parametrize("name", sorted(knowledge().answers))
def test_each_answer_is_one_message(name):
    # Rasa's channels split a text at blank lines; an answer must arrive whole, before its
    # disclaimer, not as fragments.
    answer = knowledge().answers[name]
    for text in filter(None, (answer.text, answer.more)):
        assert "\n\n" not in text
