"""`python -m insights.forget` deletes exactly what it is asked to, on SQLite and PostgreSQL."""

import asyncio
import datetime

import pytest
import sqlalchemy as sa

from insights.forget import BadDuration, forget_older_than, forget_sender, main, parse_duration
from insights.masking import short_hash
from insights.store import EVENTS
from tests.unit.insights.conftest import (
    Conversation,
    at,
    endpoints_file,
    open_store,
    write_store,
)

NOW = at("2026-11-26", 12)


def conversations():
    """old: over 30 days ago; long: began 40 days ago, last message 2 days ago; new: today."""
    old = Conversation(NOW - 40 * 86400).user("what is dystonia", "define_dystonia")
    old.answer("define_dystonia")
    long = Conversation(NOW - 40 * 86400).user("hi", "greet").reply("utter_greet")
    long.new_session(NOW - 2 * 86400).user("is cbd safe", "cbd_safety").answer("cbd_safety")
    new = Conversation(NOW - 3600).user("does it hurt", "pain").answer("pain")
    return [("old-sender", old), ("long-sender", long), ("new-sender", new)]


def events_by_sender(engine):
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(EVENTS.c.sender_id, EVENTS.c.id, EVENTS.c.data).order_by(EVENTS.c.id)
        )
        found: dict = {}
        for sender, _, data in rows:
            found.setdefault(sender, []).append(data)
        return found


def full_tracker_events(store, sender):
    tracker = asyncio.run(store.retrieve_full_tracker(sender))
    return [event.as_dict() for event in tracker.events] if tracker else None


@pytest.fixture
def store(store_settings):
    store = open_store(store_settings)
    write_store(store, conversations())
    return store


def test_older_than_deletes_conversations_whose_last_event_is_older(store):
    before = events_by_sender(store.engine)
    kept = {s: full_tracker_events(store, s) for s in ("long-sender", "new-sender")}
    deleted = forget_older_than(store.engine, datetime.timedelta(days=30), now=NOW)
    assert deleted.senders == ["old-sender"]
    assert deleted.events == len(before["old-sender"])
    after = events_by_sender(store.engine)
    assert set(after) == {"long-sender", "new-sender"}
    # The others are untouched: the same rows, and Rasa reads back the same trackers.
    for sender in after:
        assert after[sender] == before[sender]
        assert full_tracker_events(store, sender) == kept[sender]
    assert full_tracker_events(store, "old-sender") is None


def test_older_than_a_shorter_age_keeps_only_the_newest(store):
    deleted = forget_older_than(store.engine, parse_duration("1d"), now=NOW)
    assert sorted(deleted.senders) == ["long-sender", "old-sender"]
    assert set(events_by_sender(store.engine)) == {"new-sender"}


def test_sender_deletes_one_conversation_with_all_its_sessions(store):
    before = events_by_sender(store.engine)
    deleted = forget_sender(store.engine, "long-sender")
    assert deleted.senders == ["long-sender"]
    assert deleted.events == len(before["long-sender"])
    after = events_by_sender(store.engine)
    assert after == {s: before[s] for s in ("old-sender", "new-sender")}
    assert forget_sender(store.engine, "long-sender").events == 0


@pytest.mark.parametrize(
    "text, seconds",
    [("30d", 30 * 86400), ("12h", 12 * 3600), ("2w", 14 * 86400), ("1d", 86400)],
)
def test_durations(text, seconds):
    assert parse_duration(text).total_seconds() == seconds


@pytest.mark.parametrize(
    "text", ["30", "d", "30x", "-1d", "1.5d", "30 days", "0d", "", "30dd", "d30", "2m"]
)
def test_malformed_durations_are_refused_and_nothing_is_deleted(
    text, store, store_settings, tmp_path, capsys
):
    with pytest.raises(BadDuration):
        parse_duration(text)
    before = events_by_sender(store.engine)
    endpoints = endpoints_file(tmp_path, **store_settings)
    assert main(["--endpoints", str(endpoints), f"--older-than={text}"]) == 2
    assert "not a duration" in capsys.readouterr().err
    assert events_by_sender(store.engine) == before


def test_without_an_argument_it_refuses_with_usage(store, store_settings, tmp_path, capsys):
    before = events_by_sender(store.engine)
    endpoints = endpoints_file(tmp_path, **store_settings)
    assert main(["--endpoints", str(endpoints)]) == 2
    error = capsys.readouterr().err
    assert "usage:" in error and "nothing deleted" in error
    assert events_by_sender(store.engine) == before


def test_the_command_says_what_it_deleted(store, store_settings, tmp_path, capsys):
    endpoints = endpoints_file(tmp_path, **store_settings)
    events = len(events_by_sender(store.engine)["new-sender"])
    assert main(["--endpoints", str(endpoints), "--sender", "new-sender"]) == 0
    printed = capsys.readouterr().out
    assert printed == f"Deleted 1 conversation ({short_hash('new-sender')}), {events} events.\n"
    assert main(["--endpoints", str(endpoints), "--older-than", "9999w"]) == 0
    assert capsys.readouterr().out == "Deleted 0 conversations, 0 events.\n"
    assert main(["--endpoints", str(endpoints), "--sender", "nobody"]) == 0
    assert "No conversation" in capsys.readouterr().out
    assert set(events_by_sender(store.engine)) == {"old-sender", "long-sender"}


def test_a_missing_database_is_named(tmp_path, capsys):
    endpoints = endpoints_file(tmp_path, dialect="sqlite", db=str(tmp_path / "none.db"))
    assert main(["--endpoints", str(endpoints), "--older-than", "30d"]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()
