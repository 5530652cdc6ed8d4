"""Tracker stores for the insights tests, written by Rasa's own SQLTrackerStore.

`write_store` saves DialogueStateTrackers built from Rasa's event classes, so the rows are
exactly what a running assistant writes. The `postgres` fixture runs a real PostgreSQL 15 for
the session (initdb in a temporary folder, as the `postgres` user) and always stops it.
"""

import asyncio
import datetime
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Iterator, List, Sequence

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from serving.postgres import PostgresServer, PostgresUnavailable, check_installed
from serving.stack import free_port


def at(day: str, hour: int = 10, minute: int = 0) -> float:
    """Unix time of `day` (YYYY-MM-DD) at hour:minute UTC."""
    moment = datetime.datetime.fromisoformat(f"{day}T{hour:02d}:{minute:02d}:00+00:00")
    return moment.timestamp()


class Conversation:
    """The events Rasa records for one conversation, turn by turn (as in a real run/tracker.db:
    user message, `answer_delivered` reset, the actions with their bot messages and slots)."""

    def __init__(self, start: float) -> None:
        self.clock = start
        self.events: List[Event] = [
            ActionExecuted("action_session_start", timestamp=self.tick()),
            SessionStarted(timestamp=self.tick()),
            ActionExecuted("action_listen", timestamp=self.tick()),
        ]

    def tick(self, seconds: float = 0.01) -> float:
        self.clock += seconds
        return self.clock

    def user(self, text: str, intent: str) -> "Conversation":
        parsed = {"name": intent, "confidence": 0.93}
        self.events += [
            UserUttered(
                text,
                intent=parsed,
                parse_data={"intent": parsed, "entities": [], "text": text},
                timestamp=self.tick(20),
            ),
            SlotSet("answer_delivered", False, timestamp=self.tick()),
        ]
        return self

    def reply(self, *responses: str) -> "Conversation":
        for response in responses:
            self.events += [
                ActionExecuted(
                    response, policy="RulePolicy", confidence=1.0, timestamp=self.tick()
                ),
                BotUttered("...", metadata={"utter_action": response}, timestamp=self.tick()),
            ]
        return self.listen()

    def answer(self, key: str, action: str = "action_answer_question") -> "Conversation":
        self.events += [
            ActionExecuted(action, policy="RulePolicy", confidence=1.0, timestamp=self.tick()),
            BotUttered("The answer.", timestamp=self.tick()),
            BotUttered("Please note: this is general information.", timestamp=self.tick()),
            SlotSet("disclaimer_shown", True, timestamp=self.tick()),
            SlotSet("answer_delivered", True, timestamp=self.tick()),
            SlotSet("last_answer", key, timestamp=self.tick()),
        ]
        return self.listen()

    def slot(self, name: str, value: object) -> "Conversation":
        self.events.append(SlotSet(name, value, timestamp=self.tick()))
        return self

    def listen(self) -> "Conversation":
        self.events.append(ActionExecuted("action_listen", timestamp=self.tick()))
        return self

    def new_session(self, start: float) -> "Conversation":
        self.clock = start
        self.events += [
            ActionExecuted("action_session_start", timestamp=self.tick()),
            SessionStarted(timestamp=self.tick()),
            ActionExecuted("action_listen", timestamp=self.tick()),
        ]
        return self


def write_store(store: SQLTrackerStore, conversations: Sequence[tuple]) -> None:
    """Saves (sender_id, Conversation) pairs through `store.save`, as Rasa does."""
    for sender_id, conversation in conversations:
        tracker = DialogueStateTracker.from_events(sender_id, conversation.events)
        asyncio.run(store.save(tracker))


def sqlite_store(path: Path) -> SQLTrackerStore:
    return SQLTrackerStore(dialect="sqlite", db=str(path))


def endpoints_file(
    folder: Path, store_type: str = "stores.sql.CheckedSQLTrackerStore", **settings: object
) -> Path:
    lines = ["tracker_store:", f"  type: {store_type}"]
    lines += [f"  {key}: {value}" for key, value in settings.items()]
    path = folder / "endpoints.yml"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="session")
def postgres() -> Iterator[dict]:
    """A PostgreSQL 15 server for the session: {"host", "port", "username"} (trust auth)."""
    try:
        check_installed()
    except PostgresUnavailable as missing:
        pytest.skip(str(missing))
    folder = Path(tempfile.mkdtemp(prefix="insights-pg-"))  # reachable by `postgres`
    server = PostgresServer(folder, port=free_port(), fast=True)
    try:
        server.start()
        yield {"host": "127.0.0.1", "port": server.port, "username": "postgres"}
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


_database_number = iter(range(1, 10**6))


@pytest.fixture
def postgres_db(postgres) -> dict:
    """A new, empty database on the session's server: the tracker_store settings for it."""
    name = f"rasa_{os.getpid()}_{next(_database_number)}_{int(time.time())}"
    server = sa.create_engine(
        f"postgresql://postgres@{postgres['host']}:{postgres['port']}/postgres",
        isolation_level="AUTOCOMMIT",
    )
    with server.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return {"dialect": "postgresql", "db": name, **postgres}


@pytest.fixture(params=["sqlite", "postgresql"])
def store_settings(request, tmp_path) -> dict:
    """tracker_store settings of a new, empty store, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return {"dialect": "sqlite", "db": str(tmp_path / "tracker.db")}
    return request.getfixturevalue("postgres_db")


def open_store(settings: dict) -> SQLTrackerStore:
    return SQLTrackerStore(**settings)
