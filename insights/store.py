"""Opens the tracker store that endpoints.yml configures and reads its events.

The store is Rasa's SQL tracker store (stores/sql.py is a thin subclass of it). This module
builds the database URL with Rasa's own `SQLTrackerStore.get_db_url` and uses Rasa's own table
definition (`SQLTrackerStore.SQLEvent`), but reads the `events` table with one SQLAlchemy
query instead of `SQLTrackerStore.retrieve_full_tracker`: that would run a query and rebuild a
full tracker per conversation (slow for thousands of them), and constructing an
`SQLTrackerStore` creates an empty database where the configured one is missing, which would
hide a wrong path. Rows come ordered by conversation and event id, as Rasa wrote them.
"""

import datetime
from pathlib import Path
from typing import Any, Dict, Iterator, NamedTuple, Optional, Union

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.utils.endpoints import read_endpoint_config
from tqdm import tqdm

# The tracker store types whose events live in Rasa's SQL `events` table.
SQL_STORE_TYPES = {
    "sql",
    "stores.sql.CheckedSQLTrackerStore",
    "stores.cached.CachedSQLTrackerStore",
}
# The events the report needs; bot texts and featurisation markers are left in the database.
READ_TYPES = ("user", "action", "slot", "session_started", "bot")

EVENTS = SQLTrackerStore.SQLEvent.__table__


class StoreError(Exception):
    """The configured store cannot be read; the message says why and what to do."""


class EventRow(NamedTuple):
    """One row of Rasa's `events` table."""

    id: int
    sender_id: str
    type_name: str
    timestamp: float
    intent_name: Optional[str]
    action_name: Optional[str]
    data: Optional[str]


def engine_from_endpoints(endpoints: Union[str, Path]) -> sa.engine.Engine:
    """An engine on the database of the `tracker_store` in `endpoints`."""
    if not Path(endpoints).is_file():
        raise StoreError(f"{endpoints} does not exist: give the endpoints file with --endpoints.")
    config = read_endpoint_config(str(endpoints), "tracker_store")
    # Rasa reads the type case-insensitively ("SQL" and "sql" are its SQL store).
    if config is None or str(config.type).lower() not in {t.lower() for t in SQL_STORE_TYPES}:
        found = config.type if config else "none"
        raise StoreError(
            f"{endpoints} configures no SQL tracker store (tracker_store type: {found}); "
            f"insights reads Rasa's SQL store (type: SQL, stores.sql.CheckedSQLTrackerStore "
            f"or stores.cached.CachedSQLTrackerStore)."
        )
    return engine_from_settings(config.kwargs, base=Path(endpoints).resolve().parent)


def engine_from_settings(settings: Dict[str, Any], base: Optional[Path] = None) -> sa.engine.Engine:
    """An engine from the keys Rasa's SQL store takes (dialect, host, port, db, ...).

    A relative SQLite path is taken from the current directory, as Rasa does; it must exist.
    """
    dialect = settings.get("dialect", "sqlite")
    host = settings.get("host")
    db = str(settings.get("db", "rasa.db"))
    is_file = dialect == "sqlite" and not (host and "://" in host) and db != ":memory:"
    if is_file and not Path(db).expanduser().is_file():
        raise StoreError(
            f"The conversation database {db} does not exist (the sqlite `db` of the "
            f"tracker_store, relative to {Path.cwd()}). Nothing has been recorded yet, or "
            f"the path is wrong."
        )
    url = SQLTrackerStore.get_db_url(
        dialect,
        host,
        settings.get("port"),
        db,
        settings.get("username"),
        settings.get("password"),
        settings.get("login_db"),
        settings.get("query"),
    )
    return sa.create_engine(url, **create_engine_kwargs(url))


def check_events_table(engine: sa.engine.Engine) -> None:
    """Raises StoreError when the database cannot be opened or has no `events` table."""
    try:
        tables = sa.inspect(engine).get_table_names()
    except sa.exc.SQLAlchemyError as error:
        raise StoreError(f"Cannot open the conversation database: {error}") from error
    if "events" not in tables:
        raise StoreError(
            f"The database {engine.url!r} has no `events` table: it is not a Rasa tracker store."
        )


def _time_range(
    since: Optional[datetime.date], until: Optional[datetime.date], margin: float = 0.0
) -> sa.sql.ClauseElement:
    conditions = []
    if since:
        conditions.append(EVENTS.c.timestamp >= day_start(since))
    if until:
        conditions.append(EVENTS.c.timestamp < day_start(until) + 86400 + margin)
    return sa.and_(sa.true(), *conditions)


def day_start(day: datetime.date) -> float:
    """The Unix time at which `day` starts in UTC (the report's time zone)."""
    return datetime.datetime.combine(day, datetime.time(), datetime.timezone.utc).timestamp()


def read_events(
    engine: sa.engine.Engine,
    since: Optional[datetime.date] = None,
    until: Optional[datetime.date] = None,
    progress: bool = False,
) -> Iterator[EventRow]:
    """The events the report needs, by conversation then id, streamed from the database.

    Events up to an hour after `until` are included so that a reply to the day's last message
    is not cut off; the report itself counts only user messages inside the range.
    """
    check_events_table(engine)
    where = sa.and_(EVENTS.c.type_name.in_(READ_TYPES), _time_range(since, until, margin=3600))
    with engine.connect() as connection:
        total = connection.execute(sa.select(sa.func.count()).where(where)).scalar() or 0
        query = (
            sa.select(
                EVENTS.c.id,
                EVENTS.c.sender_id,
                EVENTS.c.type_name,
                EVENTS.c.timestamp,
                EVENTS.c.intent_name,
                EVENTS.c.action_name,
                EVENTS.c.data,
            )
            .where(where)
            .order_by(EVENTS.c.sender_id, EVENTS.c.id)
        )
        result = connection.execution_options(stream_results=True).execute(query)
        bar = tqdm(
            total=total, unit=" events", desc="Reading", disable=not progress or total < 10000
        )
        with bar:
            for chunk in result.partitions(5000):
                for row in chunk:
                    yield EventRow(*row)
                bar.update(len(chunk))
