"""'Was this helpful?' through the running servers, and the insights report on what they stored.

The conversations go over REST, as the widget's do; the feedback is then read back from the
tracker store Rasa wrote, with Rasa's own store class and with `insights`.
"""

import asyncio
import json
import uuid

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain

from actions.knowledge import knowledge
from insights.report import build_report
from insights.store import engine_from_settings, read_events
from tests.support.chat import ASK_HELPFUL, ROOT, Chat, answer_text, response_text

TEXTS = knowledge().feedback


def payload(reply, title):
    return next(b["payload"] for b in reply["buttons"] if b["title"] == title)


def stored_tracker(stack, sender):
    store = SQLTrackerStore(
        Domain.load(str(ROOT / "domain.yml")), dialect="sqlite", db=str(stack.tracker_db)
    )
    return asyncio.run(store.retrieve(sender))


@pytest.fixture
def chat(stack):
    return Chat(stack.rasa_url, sender=f"feedback-{uuid.uuid4().hex}")


def test_a_medical_answer_ends_with_was_this_helpful_and_yes_no_buttons(chat):
    replies = chat.say("what causes dystonia?")
    assert replies[0]["text"] == answer_text("causes")
    assert replies[-1]["text"] == ASK_HELPFUL
    assert [b["title"] for b in replies[-1]["buttons"]] == ["Yes", "No"]
    yes = payload(replies[-1], "Yes")
    assert yes.startswith("/feedback_helpful")
    assert json.loads(yes[yes.index("{") :]) == {"answer": "causes"}


@pytest.mark.parametrize(
    "message",
    [
        "hello",
        "I can't breathe and my throat is closing",
        "qwzx plorf vvvt",
        "is dystonia hereditary?",
        "do i have dystonia?",
        "thanks",
    ],
)
def test_greetings_safety_replies_and_redirects_ask_for_no_feedback(chat, message):
    assert ASK_HELPFUL not in chat.texts(message)


def test_yes_and_no_are_kept_in_the_conversation_for_the_answer_they_are_about(stack, chat):
    first = chat.say("what causes dystonia?")
    assert chat.texts(payload(first[-1], "Yes")) == [TEXTS.thanks]
    second = chat.say("is cbd addictive?")
    assert chat.texts(payload(second[-1], "No")) == [TEXTS.what_was_missing]
    assert chat.texts("it was too vague for me") == [TEXTS.noted]
    tracker = stored_tracker(stack, chat.sender)
    ratings = [e.value for e in tracker.events if getattr(e, "key", None) == "feedback"]
    assert ratings == [
        {"answer": "causes", "helpful": True},
        {"answer": "cbd_addiction", "helpful": False},
    ]
    assert tracker.get_slot("feedback_missing") == {
        "answer": "cbd_addiction",
        "text": "it was too vague for me",
    }


def test_the_buttons_can_be_ignored_and_the_next_question_is_answered(chat):
    chat.say("what causes dystonia?")
    assert chat.texts("what are the symptoms?")[0] == answer_text("symptoms")
    # After a No, the next question is answered, not taken as what was missing.
    replies = chat.say("is cbd safe?")
    chat.say(payload(replies[-1], "No"))
    assert chat.texts("how is dystonia treated?")[0] == answer_text("treatments")


def test_a_crisis_written_as_what_was_missing_still_gets_the_safety_reply(chat):
    replies = chat.say("is cbd safe?")
    chat.say(payload(replies[-1], "No"))
    texts = chat.texts("nothing helps, I want to end my life")
    assert texts[0] == response_text("utter_self_harm")


def test_the_insights_report_counts_what_the_running_assistant_stored(stack):
    senders = [f"insights-{uuid.uuid4().hex}" for _ in range(3)]
    answered, redirected, safety = (Chat(stack.rasa_url, sender=s) for s in senders)
    replies = answered.say("what causes dystonia?")
    answered.say(payload(replies[-1], "Yes"))
    replies = answered.say("is cbd safe?")
    answered.say(payload(replies[-1], "No"))
    answered.say("it didn't say if I can drive, call me on 07700 900123")
    redirected.say("is dystonia hereditary?")  # not covered
    redirected.say("qwzx plorf vvvt")  # fallback
    redirected.say("what's the weather like in paris tomorrow")  # off-topic
    safety.say("I can't breathe and my throat is closing")

    engine = engine_from_settings({"dialect": "sqlite", "db": str(stack.tracker_db)})
    rows = [row for row in read_events(engine) if row.sender_id in senders]
    report = build_report(rows)

    assert report.conversations == 3
    assert report.outcomes["answered"] == 2
    assert report.outcomes["not_covered"] == 1
    assert report.outcomes["fallback"] == 1
    assert report.outcomes["out_of_scope"] == 1
    assert {kind: n for kind, n in report.safety.items() if n} == {"emergency": 1}
    assert report.answers_by_topic == {"causes": 1, "cbd_safety": 1}
    assert report.feedback["causes"]["yes"] == 1
    assert report.feedback["cbd_safety"]["no"] == 1
    unanswered = [t["text"] for group in report.unanswered_groups for t in group["texts"]]
    assert "is dystonia hereditary?" in unanswered
    [missing] = report.feedback["cbd_safety"]["missing"]
    assert missing["text"].startswith("it didn't say if I can drive")
    assert "07700" not in missing["text"]  # the phone number is masked
