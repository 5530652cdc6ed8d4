"""`python -m insights.forget`: deletes conversations from the tracker store.

    python -m insights.forget --older-than 30d   # conversations whose last event is older
    python -m insights.forget --sender <id>      # one person's conversation

A conversation here is everything Rasa keeps for one sender id (all its sessions). Durations
are a whole number and a unit: h (hours), d (days) or w (weeks). The deletion runs in one
transaction and prints how many conversations and events it deleted; senders are shown as
short hashes. Works on any SQL store Rasa supports (SQLite, PostgreSQL).
"""

import argparse
import datetime
import re
import sys
import time
from dataclasses import dataclass
from typing import List, Optional

import sqlalchemy as sa

from insights import quiet_dependency_warnings
from insights.masking import short_hash
from insights.store import EVENTS, StoreError, check_events_table, engine_from_endpoints

DURATION = re.compile(r"^(\d+)([hdw])$")
UNIT_SECONDS = {"h": 3600, "d": 86400, "w": 7 * 86400}
# Rows per DELETE statement (bound parameters are limited: 999 in older SQLite).
CHUNK = 500


class BadDuration(ValueError):
    pass


def parse_duration(text: str) -> datetime.timedelta:
    """'30d' -> 30 days; 'h', 'd' and 'w' units; anything else raises BadDuration."""
    match = DURATION.match(text.strip())
    if not match or int(match.group(1)) == 0:
        raise BadDuration(
            f"not a duration: {text!r}. Use a whole number and a unit: 12h, 30d or 2w."
        )
    return datetime.timedelta(seconds=int(match.group(1)) * UNIT_SECONDS[match.group(2)])


@dataclass
class Deleted:
    senders: List[str]
    events: int

    def describe(self) -> str:
        hashes = ", ".join(short_hash(s) for s in self.senders[:10])
        more = f" and {len(self.senders) - 10} more" if len(self.senders) > 10 else ""
        listed = f" ({hashes}{more})" if self.senders else ""
        count = len(self.senders)
        return (
            f"Deleted {count} conversation{'' if count == 1 else 's'}{listed}, "
            f"{self.events} event{'' if self.events == 1 else 's'}."
        )


def _delete(connection: sa.engine.Connection, senders: List[str]) -> int:
    events = 0
    for start in range(0, len(senders), CHUNK):
        chunk = senders[start : start + CHUNK]
        events += connection.execute(EVENTS.delete().where(EVENTS.c.sender_id.in_(chunk))).rowcount
    return events


def forget_older_than(
    engine: sa.engine.Engine, age: datetime.timedelta, now: Optional[float] = None
) -> Deleted:
    """Deletes every conversation whose last event is older than `age`."""
    check_events_table(engine)
    cutoff = (now if now is not None else time.time()) - age.total_seconds()
    last_event = sa.func.max(EVENTS.c.timestamp)
    query = (
        sa.select(EVENTS.c.sender_id)
        .group_by(EVENTS.c.sender_id)
        .having(last_event < cutoff)
        .order_by(EVENTS.c.sender_id)
    )
    with engine.begin() as connection:
        senders = [row[0] for row in connection.execute(query)]
        return Deleted(senders, _delete(connection, senders))


def forget_sender(engine: sa.engine.Engine, sender_id: str) -> Deleted:
    """Deletes one sender's conversation (all its sessions)."""
    check_events_table(engine)
    with engine.begin() as connection:
        events = _delete(connection, [sender_id])
    return Deleted([sender_id] if events else [], events)


def main(argv: Optional[List[str]] = None) -> int:
    quiet_dependency_warnings()
    parser = argparse.ArgumentParser(
        prog="python -m insights.forget",
        description="Delete conversations from the tracker store that endpoints.yml names.",
        epilog="Give --older-than or --sender, e.g. --older-than 30d (h, d or w).",
    )
    parser.add_argument("--endpoints", default="endpoints.yml", help="default: %(default)s")
    parser.add_argument("--older-than", metavar="AGE", help="e.g. 30d, 12h, 2w")
    parser.add_argument("--sender", metavar="ID", help="the sender id of one conversation")
    args = parser.parse_args(argv)
    if args.older_than is None and args.sender is None:
        parser.print_usage(sys.stderr)
        print(
            "forget: nothing deleted. Say what to delete: --older-than 30d (make forget "
            "OLDER_THAN=30d) or --sender ID (make forget SENDER=ID).",
            file=sys.stderr,
        )
        return 2
    try:
        age = parse_duration(args.older_than) if args.older_than is not None else None
    except BadDuration as error:
        print(f"forget: {error} Nothing deleted.", file=sys.stderr)
        return 2
    try:
        engine = engine_from_endpoints(args.endpoints)
        if args.sender is not None:
            deleted = forget_sender(engine, args.sender)
            print(
                deleted.describe()
                if deleted.events
                else f"No conversation with id {args.sender!r}."
            )
        if age is not None:
            print(forget_older_than(engine, age).describe())
    except (StoreError, sa.exc.SQLAlchemyError) as error:
        print(f"forget: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
