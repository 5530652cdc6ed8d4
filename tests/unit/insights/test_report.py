"""`build_report` and `python -m insights` on stores written by Rasa's SQLTrackerStore."""

import datetime
import json
import re

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet

from insights.__main__ import main
from insights.generate import write_store as write_generated_store
from insights.render import SECTIONS, render_html
from insights.report import build_report
from tests.unit.insights.conftest import (
    Conversation,
    at,
    endpoints_file,
    open_store,
    sqlite_store,
    write_store,
)

SAFETY_REPLIES = {
    "emergency": ["utter_emergency"],
    "self_harm": ["utter_self_harm"],
    "overdose": ["utter_overdose", "utter_crisis_contacts"],
    "medication_advice": ["utter_medication_advice", "action_add_disclaimer"],
    "diagnosis": ["utter_diagnosis", "action_add_disclaimer"],
    "buying_cannabis": ["utter_buying_cannabis", "action_add_disclaimer"],
    "rules_override": ["utter_rules_refusal"],
}
SENDERS = ["alice-0001", "bob-0002", "carol-0003"]


def conversations():
    """Three conversations on 1, 2 and 3 November 2026 with every kind of outcome."""
    alice = (
        Conversation(at("2026-11-01", 9))
        .user("hello", "greet")
        .reply("utter_greet")
        .user("how is dystonia treated?", "treatments")
        .answer("treatments")
        .user("Yes", "feedback")
        .slot("feedback", {"answer": "treatments", "helpful": True})
        .listen()
        .user("what causes it and does it hurt?", "causes+pain")
        .answer("causes+pain")
        .user("tell me more", "tell_me_more")
        .answer("pain:more", action="action_tell_more")
        .user("No", "feedback")
        .slot("feedback", {"answer": "pain", "helpful": False})
        .listen()
        .user("nothing on exercise, mail me at al@example.com", "feedback")
        .slot(
            "feedback_missing",
            {"answer": "pain", "text": "nothing on exercise, mail me at al@example.com"},
        )
        .listen()
    )
    bob = Conversation(at("2026-11-02", 14))
    bob.user("can I drive with dystonia? call 07700 900123", "not_covered").reply(
        "utter_not_covered"
    )
    bob.user("can you drive if you have dystonia", "not_covered").reply("utter_not_covered")
    bob.user("asdf qwerty", "nlu_fallback").reply("utter_fallback")
    bob.user("what's the weather like", "out_of_scope").reply("utter_out_of_scope")
    for intent, replies in SAFETY_REPLIES.items():
        bob.user(f"a {intent} message", intent).reply(*replies)
    carol = (
        Conversation(at("2026-11-03", 20))
        .user("is cbd safe?", "cbd_safety")
        .answer("cbd_safety")
        .user("Yes", "feedback")
        .slot("feedback", {"answer": "cbd_safety", "helpful": True})
        .listen()
        .user("thanks", "thank")
        .reply("utter_thank")
    )
    return list(zip(SENDERS, [alice, bob, carol], strict=True))


@pytest.fixture
def store(tmp_path):
    store = sqlite_store(tmp_path / "tracker.db")
    write_store(store, conversations())
    return store


def test_each_outcome_is_counted(store):
    report = build_report(store)
    assert report.conversations == 3
    assert report.user_messages == 21
    assert report.outcomes == {
        "answered": 4,  # treatments, causes+pain, pain:more, cbd_safety
        "not_covered": 2,
        "fallback": 1,
        "out_of_scope": 1,
        "safety": 7,
        "conversation": 2,  # hello, thanks
        "feedback": 4,  # three clicks and one "what was missing"
        "unavailable": 0,
        "no_reply": 0,
    }
    assert report.outcome_shares["not_covered"] == round(2 / 21, 4)
    assert report.outcome_shares["answered"] == round(4 / 21, 4)


def test_each_safety_kind_is_counted_once(store):
    # The overdose reply is followed by the crisis contacts: still one overdose escalation.
    assert build_report(store).safety == {
        "emergency": 1,
        "self_harm": 1,
        "overdose": 1,
        "crisis_contacts": 0,
        "medication_advice": 1,
        "diagnosis": 1,
        "buying_cannabis": 1,
        "rules_override": 1,
    }


def test_answers_are_counted_by_topic(store):
    # "causes+pain" is two answers; "pain:more" counts for pain.
    assert build_report(store).answers_by_topic == {
        "pain": 2,
        "causes": 1,
        "cbd_safety": 1,
        "treatments": 1,
    }


def test_unanswered_questions_are_listed_masked_and_grouped(store):
    report = build_report(store)
    assert report.unanswered_total == 4
    texts = [[t["text"] for t in group["texts"]] for group in report.unanswered_groups]
    # The two driving questions are one group, the largest, listed first.
    assert texts[0] == [
        "can I drive with dystonia? call [phone]",
        "can you drive if you have dystonia",
    ]
    assert report.unanswered_groups[0]["count"] == 2
    assert sorted(texts[1:]) == [["asdf qwerty"], ["what's the weather like"]]


def test_feedback_is_counted_per_answer_with_what_was_missing(store):
    assert build_report(store).feedback == {
        "cbd_safety": {"yes": 1, "no": 0, "missing": []},
        "pain": {
            "yes": 0,
            "no": 1,
            "missing": [{"text": "nothing on exercise, mail me at [email]", "count": 1}],
        },
        "treatments": {"yes": 1, "no": 0, "missing": []},
    }


def test_days_hours_and_conversation_length(store):
    report = build_report(store)
    assert report.per_day == [
        {"date": "2026-11-01", "conversations": 1, "messages": 7},
        {"date": "2026-11-02", "conversations": 1, "messages": 11},
        {"date": "2026-11-03", "conversations": 1, "messages": 3},
    ]
    assert report.median_conversation_length == 7
    assert report.busiest_hours["9"] == 7
    assert report.busiest_hours["14"] == 11
    assert report.busiest_hours["20"] == 3
    assert sum(report.busiest_hours.values()) == 21


def test_a_new_session_is_a_new_conversation(tmp_path):
    store = sqlite_store(tmp_path / "tracker.db")
    again = Conversation(at("2026-11-01", 9)).user("hi", "greet").reply("utter_greet")
    again.new_session(at("2026-11-05", 9)).user("what is dystonia", "define_dystonia").answer(
        "define_dystonia"
    )
    write_store(store, [("dave", again)])
    report = build_report(store)
    assert report.conversations == 2
    assert [d["date"] for d in report.per_day] == ["2026-11-01", "2026-11-05"]


def test_the_date_range_keeps_only_messages_inside_it(store):
    report = build_report(store, since=datetime.date(2026, 11, 2), until=datetime.date(2026, 11, 2))
    assert report.conversations == 1
    assert report.user_messages == 11
    assert report.answers_by_topic == {}
    assert report.feedback == {}
    assert report.safety["emergency"] == 1
    assert build_report(store, since=datetime.date(2026, 11, 3)).user_messages == 3
    assert build_report(store, until=datetime.date(2026, 11, 1)).user_messages == 7


def test_the_html_has_every_section_and_chart_and_no_sender_id(store):
    page = render_html(build_report(store))
    for section in SECTIONS:
        assert f'<section id="{section}">' in page
    charts = set(re.findall(r'data-chart="([\w-]+)"><svg', page))
    assert charts == {"per-day", "topics", "outcomes", "safety", "feedback", "length", "hours"}
    assert "No data" not in page
    # Self-contained: no scripts, nothing loaded from elsewhere.
    assert "<script" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
    for sender in SENDERS:
        assert sender not in page
    assert "07700 900123" not in page and "al@example.com" not in page
    assert "can I drive with dystonia? call [phone]" in page


def test_json_has_the_same_figures_as_the_report(store, tmp_path, capsys, monkeypatch):
    endpoints = endpoints_file(tmp_path, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    out = tmp_path / "out" / "insights.html"
    assert main(["--endpoints", str(endpoints), "--out", str(out), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == build_report(store).as_dict()
    assert out.is_file()
    for sender in SENDERS:
        assert sender not in json.dumps(printed)


def test_the_command_prints_a_summary_and_takes_dates(store, tmp_path, capsys):
    endpoints = endpoints_file(tmp_path, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    out = tmp_path / "insights.html"
    args = ["--endpoints", str(endpoints), "--out", str(out), "--since", "2026-11-03"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "1 conversations, 3 user messages" in printed
    assert str(out) in printed


@pytest.mark.parametrize(
    "store_type",
    ["SQL", "sql", "stores.sql.CheckedSQLTrackerStore", "stores.cached.CachedSQLTrackerStore"],
)
def test_rasas_own_sql_store_type_is_read_in_any_case(tmp_path, store_type):
    sqlite_store(tmp_path / "tracker.db")
    db = str(tmp_path / "tracker.db")
    endpoints = endpoints_file(tmp_path, store_type=store_type, dialect="sqlite", db=db)
    assert main(["--endpoints", str(endpoints), "--out", str(tmp_path / "r.html")]) == 0


def test_an_empty_store_gives_an_empty_report(tmp_path, capsys):
    sqlite_store(tmp_path / "tracker.db")  # Rasa creates the table, nothing is said yet
    endpoints = endpoints_file(tmp_path, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    out = tmp_path / "insights.html"
    assert main(["--endpoints", str(endpoints), "--out", str(out)]) == 0
    assert "No user messages" in capsys.readouterr().out
    page = out.read_text()
    for section in SECTIONS:
        assert f'<section id="{section}">' in page
    assert page.count("No data in this period.") == len(SECTIONS)


def test_another_assistants_store_is_refused(tmp_path, capsys):
    store = sqlite_store(tmp_path / "tracker.db")
    pizza = Conversation(at("2026-11-01"))
    for _ in range(3):
        pizza.user("a large margherita", "order_pizza").reply("utter_pizza_ordered")
    write_store(store, [("pizza-lover", pizza)])
    endpoints = endpoints_file(tmp_path, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    out = tmp_path / "insights.html"
    assert main(["--endpoints", str(endpoints), "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert "does not hold this assistant's conversations" in error
    assert "order_pizza" in error
    assert not out.exists()


def test_a_missing_database_is_named_and_not_created(tmp_path, capsys):
    missing = tmp_path / "nowhere" / "tracker.db"
    endpoints = endpoints_file(tmp_path, dialect="sqlite", db=str(missing))
    assert main(["--endpoints", str(endpoints), "--out", str(tmp_path / "r.html")]) == 1
    assert f"{missing} does not exist" in capsys.readouterr().err
    assert not missing.exists()


def test_a_missing_endpoints_file_is_named(tmp_path, capsys):
    assert main(["--endpoints", str(tmp_path / "endpoints.yml")]) == 1
    assert "endpoints.yml does not exist" in capsys.readouterr().err


def test_bad_dates_are_refused(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["--since", "1 Nov"])
    assert exit.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_the_same_report_from_postgresql(postgres_db, store, tmp_path, capsys):
    write_store(open_store(postgres_db), conversations())
    endpoints = endpoints_file(tmp_path, **postgres_db)
    assert main(["--endpoints", str(endpoints), "--out", str(tmp_path / "pg.html"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == build_report(store).as_dict()


def test_an_answer_action_that_declines_or_fails_is_not_counted_as_answered(tmp_path):
    store = sqlite_store(tmp_path / "tracker.db")
    talk = Conversation(at("2026-11-01"))
    # The action had no answer for the intent and sent the fallback response itself.
    talk.user("what about greet?", "greet").slot("answer_delivered", False)
    talk.events += [
        ActionExecuted("action_answer_question", policy="RulePolicy", timestamp=talk.tick()),
        BotUttered("Sorry...", metadata={"utter_action": "utter_fallback"}, timestamp=talk.tick()),
        SlotSet("answer_delivered", True, timestamp=talk.tick()),
    ]
    talk.listen()
    # The action server did not answer: the rule apologised.
    talk.user("what are the symptoms", "symptoms")
    talk.events.append(
        ActionExecuted("action_answer_question", policy="RulePolicy", timestamp=talk.tick())
    )
    talk.reply("utter_answer_unavailable")
    write_store(store, [("erin", talk)])
    report = build_report(store)
    assert report.outcomes["fallback"] == 1
    assert report.outcomes["unavailable"] == 1
    assert report.outcomes["answered"] == 0
    assert report.answers_by_topic == {}
    assert [g["label"] for g in report.unanswered_groups] == ["what about greet?"]


def test_a_generated_store_reports_every_conversation(tmp_path):
    db = tmp_path / "generated.db"
    events = write_generated_store(db, conversations=200, days=10, seed=3, end=at("2026-11-26"))
    report = build_report(sqlite_store(db))
    assert events > 200 * 5
    assert report.conversations == 200
    assert sum(report.outcomes.values()) == report.user_messages
    assert all(report.outcomes[o] > 0 for o in ("answered", "not_covered", "fallback"))
    assert report.unanswered_groups and report.feedback
    assert "[phone]" in json.dumps(report.as_dict()) or "[email]" in json.dumps(report.as_dict())
