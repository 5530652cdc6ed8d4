"""The checked SQL tracker store, reading only the events it has not seen yet.

Rasa 3.6's `SQLTrackerStore.retrieve` (rasa/core/tracker_store.py, 3.6.21) loads every event
of the current session on every message and replays them into a new `DialogueStateTracker`,
and `save` counts those rows again to know which events are new. Both grow with the
conversation: at turn 50 a reply took 1.8 to 4 times as long as at turn 1 (issue 9).

Here each process keeps the trackers of its most recently active conversations, each with the
last event row it has applied. A retrieve still asks the database, but only for that row and
the rows after it, and applies the new ones to the kept tracker:
- rows that another replica appended are read like any other new row;
- when that row is gone or changed (the conversation was deleted, `make forget`), or a new
  session started, it falls back to Rasa's full retrieve, so no stale state comes back;
- a database error is raised as before: nothing is ever answered from memory alone.

The processor changes the tracker it gets, so a kept tracker is lent out, not copied
(a deep copy took 18 ms for 300 events): the store knows the tracker again when it is saved,
writes only the events after those it lent, without Rasa's count of the stored rows, and keeps
it for the next message. The next retrieve reads those rows back with any newer ones and
checks them against the saved events (type and timestamp). A tracker that is never saved, or
another retrieve of the same conversation meanwhile, only costs the next message a full
retrieve.

Use it from endpoints.yml with `type: stores.cached.CachedSQLTrackerStore`, the keys of
Rasa's `type: SQL`, and optionally `cached_trackers` (default 200) per process.
"""

import itertools
import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Iterator, List, Optional, Text, Tuple

from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

from stores.sql import CheckedSQLTrackerStore

Row = Any  # an SQLAlchemy row with id, type_name, timestamp and data


@dataclass
class KeptTracker:
    tracker: DialogueStateTracker
    last_row: Tuple[int, Optional[float]]  # id and timestamp of the newest row applied
    session_start: Optional[float]  # Rasa's filter: the latest SessionStarted's timestamp
    saved_events: int  # len(tracker.events) when it matched the database
    written: int = 0  # the last events, saved by this store after last_row: rows not read yet
    lent: bool = False  # handed out by retrieve and not saved since


class CachedSQLTrackerStore(CheckedSQLTrackerStore):
    def __init__(self, *args: Any, cached_trackers: int = 200, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cached_trackers = cached_trackers
        self._kept: OrderedDict[Text, KeptTracker] = OrderedDict()

    # -- retrieve -------------------------------------------------------------------------

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        kept = self._kept.pop(sender_id, None)
        with self.session_scope() as session:
            if kept is not None and not kept.lent and self._catch_up(session, kept):
                self._keep(sender_id, kept)
                return kept.tracker
            return self._retrieve_all(session, sender_id)

    def _retrieve_all(self, session: Any, sender_id: Text) -> Optional[DialogueStateTracker]:
        """Rasa's retrieve (the rows of the latest session), keeping the tracker."""
        rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
        rows = rows.with_entities(*self._row_columns()).all()
        if not rows or not self.domain:
            return None
        tracker = DialogueStateTracker.from_dict(
            sender_id, [json.loads(row.data) for row in rows], self.domain.slots
        )
        starts = [row.timestamp for row in rows if row.type_name == SessionStarted.type_name]
        kept = KeptTracker(
            tracker=tracker,
            last_row=(rows[-1].id, rows[-1].timestamp),
            session_start=max(starts) if starts else None,
            saved_events=len(tracker.events),
        )
        self._keep(sender_id, kept)
        return tracker

    def _catch_up(self, session: Any, kept: KeptTracker) -> bool:
        """Applies the rows after the kept tracker's last one; False if it cannot be trusted."""
        if len(kept.tracker.events) != kept.saved_events:
            return False  # changed after its last save
        sender_id = kept.tracker.sender_id
        rows = (
            session.query(*self._row_columns())
            .filter(self.SQLEvent.sender_id == sender_id, self.SQLEvent.id >= kept.last_row[0])
            .order_by(self.SQLEvent.id)
            .all()
        )
        # SQLite may reuse the ids of deleted rows: the timestamp tells them apart.
        if not rows or (rows[0].id, rows[0].timestamp) != kept.last_row:
            return False
        # This store's own last save comes first (the lock store kept other writers out).
        written = list(
            itertools.islice(kept.tracker.events, kept.saved_events - kept.written, None)
        )
        rows_written = rows[1 : 1 + len(written)]
        if [(row.type_name, row.timestamp) for row in rows_written] != [
            (event.type_name, event.timestamp) for event in written
        ]:
            return False
        new_rows = rows[1 + len(written) :]
        if any(row.type_name == SessionStarted.type_name for row in new_rows):
            return False  # Rasa's retrieve would start from the new session
        for event in self._events(self._in_session(new_rows, kept.session_start)):
            kept.tracker.update(event)
        kept.last_row = (rows[-1].id, rows[-1].timestamp)
        kept.saved_events = len(kept.tracker.events)
        kept.written = 0
        return True

    @staticmethod
    def _in_session(rows: List[Row], session_start: Optional[float]) -> List[Row]:
        """The rows Rasa's query keeps: timestamp at or after the session's start."""
        if session_start is None:
            return rows
        return [row for row in rows if row.timestamp is not None and row.timestamp >= session_start]

    @staticmethod
    def _events(rows: List[Row]) -> List[Event]:
        return [Event.from_parameters(json.loads(row.data)) for row in rows]

    def _row_columns(self) -> List[Any]:
        event = self.SQLEvent
        return [event.id, event.type_name, event.timestamp, event.data]

    def _keep(self, sender_id: Text, kept: KeptTracker) -> None:
        kept.lent = True
        self._kept[sender_id] = kept
        while len(self._kept) > self.cached_trackers:
            self._kept.popitem(last=False)

    # -- save -----------------------------------------------------------------------------

    async def save(self, tracker: DialogueStateTracker) -> None:
        kept = self._kept.get(tracker.sender_id)
        if kept is None or kept.tracker is not tracker or self.event_broker is not None:
            # Not a tracker this store lent (or the broker's diff needs a fresh retrieve).
            self._kept.pop(tracker.sender_id, None)
            await super().save(tracker)
            return
        new_events = list(itertools.islice(tracker.events, kept.saved_events, None))
        try:
            await super().save(tracker)  # writes what _additional_events returns
        except BaseException:
            self._kept.pop(tracker.sender_id, None)
            raise
        if any(isinstance(event, SessionStarted) for event in new_events):
            self._kept.pop(tracker.sender_id, None)  # Rasa's retrieve then starts afresh
            return
        # The new rows' ids are not known here; the next retrieve reads them with the others'.
        kept.written += len(new_events)
        kept.saved_events = len(tracker.events)
        kept.lent = False

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        """The events after those lent, instead of Rasa's count of the stored rows.

        The lock store lets one message per conversation run at a time, across replicas, so
        the rows cannot change between the retrieve and this save."""
        kept = self._kept.get(tracker.sender_id)
        if kept is None or kept.tracker is not tracker:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, kept.saved_events, None)
