"""stores.cached: a conversation read incrementally is the one Rasa's full retrieve reads.

Each test drives real stores on one database (SQLite, and PostgreSQL when it can be started):
the cached store under test, Rasa's own `SQLTrackerStore` as the reference, and a second
cached store standing for another replica.
"""

import asyncio
from pathlib import Path
from typing import Any, List, Optional

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from stores.cached import CachedSQLTrackerStore

# A new, empty store's settings, on SQLite and on PostgreSQL (started once per session).
from tests.unit.insights.conftest import (  # noqa: F401 (fixtures)
    postgres,
    postgres_db,
    store_settings,
)

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))
SENDER = "patient-1"


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def tick(self) -> float:
        self.now += 1.0
        return self.now


def turn(clock: Clock, text: str, answer: str) -> List[Event]:
    intent = {"name": "ask", "confidence": 0.9}
    return [
        UserUttered(text, intent, parse_data={"intent": intent}, timestamp=clock.tick()),
        SlotSet("answer_delivered", False, timestamp=clock.tick()),
        ActionExecuted("action_answer_question", timestamp=clock.tick()),
        BotUttered(f"About {answer}.", timestamp=clock.tick()),
        SlotSet("last_answer", answer, timestamp=clock.tick()),
        ActionExecuted("action_listen", timestamp=clock.tick()),
    ]


def session_start(clock: Clock) -> List[Event]:
    return [
        ActionExecuted("action_session_start", timestamp=clock.tick()),
        SessionStarted(timestamp=clock.tick()),
        ActionExecuted("action_listen", timestamp=clock.tick()),
    ]


def message(store: SQLTrackerStore, events: List[Event]) -> DialogueStateTracker:
    """What the processor does with one message: get or create, update, save."""
    tracker = run(store.get_or_create_tracker(SENDER, append_action_listen=False))
    for event in events:
        tracker.update(event, DOMAIN)
    run(store.save(tracker))
    return tracker


def state(tracker: Optional[DialogueStateTracker]) -> Optional[dict]:
    return None if tracker is None else tracker.current_state(EventVerbosity.ALL)


def assert_same_as_rasa(store: CachedSQLTrackerStore, reference: SQLTrackerStore) -> None:
    assert state(run(store.retrieve(SENDER))) == state(run(reference.retrieve(SENDER)))


@pytest.fixture
def stores(store_settings):  # noqa: F811 (the fixture imported above)
    cached = CachedSQLTrackerStore(domain=DOMAIN, **store_settings)
    replica = CachedSQLTrackerStore(domain=DOMAIN, **store_settings)
    reference = SQLTrackerStore(domain=DOMAIN, **store_settings)
    yield cached, replica, reference
    for store in (cached, replica, reference):
        store.engine.dispose()


def test_reads_only_new_rows_and_matches_the_full_retrieve(stores):
    cached, _, reference = stores
    clock = Clock()
    message(cached, session_start(clock) + turn(clock, "what is dystonia", "dystonia"))
    tracker = run(cached.retrieve(SENDER))  # a full retrieve: the tracker is kept from here
    for event in turn(clock, "is cbd safe", "cbd_safety"):
        tracker.update(event, DOMAIN)
    run(cached.save(tracker))

    again = run(cached.retrieve(SENDER))

    assert again is tracker  # caught up, not rebuilt
    assert state(again) == state(run(reference.retrieve(SENDER)))
    assert again.get_slot("last_answer") == "cbd_safety"
    # each event once; Rasa starts the session at SessionStarted, after action_session_start
    assert len(again.events) == 2 + 6 + 6


def test_rows_another_replica_appended_are_read(stores):
    cached, replica, reference = stores
    clock = Clock()
    message(cached, session_start(clock) + turn(clock, "hi", "greeting"))
    before = message(cached, turn(clock, "what is dystonia", "dystonia"))

    message(replica, turn(clock, "is cbd safe", "cbd_safety"))  # this turn went elsewhere
    tracker = message(cached, turn(clock, "tell me more", "cbd_safety_more"))

    assert tracker is before  # caught up with the replica's rows, not rebuilt

    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == [
        "hi",
        "what is dystonia",
        "is cbd safe",
        "tell me more",
    ]
    assert_same_as_rasa(cached, reference)


def test_a_deleted_conversation_does_not_come_back(stores):
    cached, replica, reference = stores
    clock = Clock()
    message(cached, session_start(clock) + turn(clock, "what is dystonia", "dystonia"))
    message(cached, turn(clock, "is cbd safe", "cbd_safety"))

    forget(cached)
    message(replica, turn(clock, "hello again", "greeting"))  # new rows, the old ones gone

    tracker = run(cached.retrieve(SENDER))
    assert tracker.get_slot("last_answer") == "greeting"
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["hello again"]
    assert_same_as_rasa(cached, reference)

    forget(cached)
    assert run(cached.retrieve(SENDER)) is None


def forget(store: SQLTrackerStore) -> None:
    """Deletes the conversation, as `make forget SENDER=...` does."""
    events = SQLTrackerStore.SQLEvent.__table__
    with store.engine.begin() as connection:
        connection.execute(events.delete().where(events.c.sender_id == SENDER))


def test_a_new_session_is_read_as_rasa_reads_it(stores):
    cached, replica, reference = stores
    clock = Clock()
    message(cached, session_start(clock) + turn(clock, "what is dystonia", "dystonia"))
    message(cached, turn(clock, "is cbd safe", "cbd_safety"))

    message(replica, session_start(clock) + turn(clock, "back again", "greeting"))

    assert_same_as_rasa(cached, reference)
    # and a new session begun by this store itself
    message(cached, session_start(clock) + turn(clock, "and once more", "dystonia"))
    assert_same_as_rasa(cached, reference)
    assert len(run(cached.retrieve(SENDER)).events) == 2 + 6


def test_changes_that_were_never_saved_are_dropped(stores):
    cached, _, reference = stores
    clock = Clock()
    message(cached, session_start(clock) + turn(clock, "what is dystonia", "dystonia"))
    saved = message(cached, turn(clock, "is cbd safe", "cbd_safety"))
    saved.update(SlotSet("last_answer", "changed after the save"), DOMAIN)
    assert run(cached.retrieve(SENDER)).get_slot("last_answer") == "cbd_safety"

    failed = run(cached.retrieve(SENDER))
    for event in turn(clock, "this message failed", "lost"):
        failed.update(event, DOMAIN)  # and the processor raised before saving
    assert run(cached.retrieve(SENDER)).get_slot("last_answer") == "cbd_safety"
    assert_same_as_rasa(cached, reference)


def test_database_errors_are_raised_as_before(stores):
    cached, _, _ = stores
    clock = Clock()
    message(cached, session_start(clock) + turn(clock, "what is dystonia", "dystonia"))
    message(cached, turn(clock, "is cbd safe", "cbd_safety"))

    with cached.engine.begin() as connection:
        connection.execute(sa.text("ALTER TABLE events RENAME TO events_elsewhere"))
    with pytest.raises(sa.exc.SQLAlchemyError):
        run(cached.retrieve(SENDER))
