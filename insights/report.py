"""The report's figures, computed from the rows of Rasa's `events` table.

`build_report` takes an SQLTrackerStore, an SQLAlchemy engine or rows (`store.EventRow`) and
returns a `Report`, whose `as_dict()` is what `--json` prints and what the HTML shows.

A conversation is one Rasa session: the events of one sender from one `session_started` to the
next (a sender who comes back after the session expired starts a new conversation). Only
conversations with at least one user message in the date range count, on the day (UTC) of
their first such message. Dates and hours are UTC.
"""

import datetime
import json
import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Union

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore

from insights import outcomes
from insights.grouping import group_texts
from insights.masking import mask
from insights.outcomes import DomainNames, Turn, check_domain, domain_names
from insights.store import EventRow, day_start, read_events

# Groups of unanswered questions the report lists (the JSON says how many there were).
MAX_GROUPS = 40
MAX_TEXTS_PER_GROUP = 8


@dataclass
class Report:
    since: Optional[str]
    until: Optional[str]
    first_message: Optional[str] = None
    last_message: Optional[str] = None
    conversations: int = 0
    user_messages: int = 0
    per_day: List[Dict[str, Any]] = field(default_factory=list)
    outcomes: Dict[str, int] = field(default_factory=dict)
    outcome_shares: Dict[str, float] = field(default_factory=dict)
    safety: Dict[str, int] = field(default_factory=dict)
    answers_by_topic: Dict[str, int] = field(default_factory=dict)
    unanswered_total: int = 0
    unanswered_groups: List[Dict[str, Any]] = field(default_factory=list)
    unanswered_group_count: int = 0
    feedback: Dict[str, Dict[str, Any]] = field(default_factory=dict)
    median_conversation_length: Optional[float] = None
    conversation_lengths: Dict[str, int] = field(default_factory=dict)
    busiest_hours: Dict[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.user_messages == 0

    def as_dict(self) -> Dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)


Source = Union[SQLTrackerStore, sa.engine.Engine, Iterable[EventRow]]


def build_report(
    source: Source,
    since: Optional[datetime.date] = None,
    until: Optional[datetime.date] = None,
    domain: Optional[DomainNames] = None,
    progress: bool = False,
) -> Report:
    """The report on the conversations with user messages between `since` and `until`.

    Raises outcomes.ForeignStoreError when the store is another assistant's.
    """
    if isinstance(source, SQLTrackerStore):
        source = source.engine
    rows: Iterable[EventRow]
    if isinstance(source, sa.engine.Engine):
        rows = read_events(source, since, until, progress=progress)
    else:
        rows = source
    counter = _Counter(since, until)
    for row in rows:
        counter.add(row)
    counter.finish_turn()
    check_domain(counter.intents, counter.actions, domain or domain_names())
    return counter.report()


class _Counter:
    """Walks the rows in (sender, id) order, turn by turn, and counts."""

    def __init__(self, since: Optional[datetime.date], until: Optional[datetime.date]) -> None:
        self.since, self.until = since, until
        self.start = day_start(since) if since else float("-inf")
        self.end = day_start(until) + 86400 if until else float("inf")
        self.sender: Optional[str] = None
        self.conversation = 0  # a number per (sender, session)
        self.turn: Optional[Turn] = None
        self.intents: Counter = Counter()
        self.actions: Counter = Counter()
        self.outcomes: Counter = Counter()
        self.safety: Counter = Counter()
        self.topics: Counter = Counter()
        self.unanswered: Counter = Counter()
        self.messages_per_day: Counter = Counter()
        self.conversation_day: Dict[int, str] = {}
        self.conversation_length: Counter = Counter()
        self.hours: Counter = Counter()
        self.feedback: Dict[str, Counter] = defaultdict(Counter)
        self.missing: Dict[str, Counter] = defaultdict(Counter)
        self.first: Optional[float] = None
        self.last: Optional[float] = None

    def in_range(self, timestamp: Optional[float]) -> bool:
        return timestamp is not None and self.start <= timestamp < self.end

    def add(self, row: EventRow) -> None:
        if row.sender_id != self.sender:
            self.finish_turn()
            self.sender = row.sender_id
            self.conversation += 1
        kind = row.type_name
        if kind == "session_started":
            self.finish_turn()
            self.conversation += 1
        elif kind == "user":
            self.finish_turn()
            if self.in_range(row.timestamp):
                data = json.loads(row.data or "{}")
                self.turn = Turn(
                    self.conversation, row.timestamp, data.get("text") or "", row.intent_name
                )
                self.intents[row.intent_name] += 1
        elif kind == "action" and row.action_name:
            if row.action_name not in outcomes.SILENT_ACTIONS:
                self.actions[row.action_name] += 1
            if self.turn:
                self.turn.actions.append(row.action_name)
        elif kind == "bot" and self.turn:
            response = outcomes.bot_response_name(row.data)
            if response:
                self.turn.action_responses.append(response)
        elif kind == "slot":
            self.add_slot(row)

    def add_slot(self, row: EventRow) -> None:
        name = row.action_name
        if name == outcomes.LAST_ANSWER and self.turn:
            self.turn.last_answer = outcomes.slot_value(row.data)
        elif name == outcomes.ANSWER_DELIVERED and self.turn:
            self.turn.delivered = bool(outcomes.slot_value(row.data))
        elif name in (outcomes.FEEDBACK_SLOT, outcomes.FEEDBACK_MISSING_SLOT):
            if not self.in_range(row.timestamp):
                return
            value = outcomes.slot_value(row.data)
            if not isinstance(value, dict) or not value.get("answer"):
                return
            if self.turn:
                self.turn.feedback = True
            answer = str(value["answer"])
            if name == outcomes.FEEDBACK_SLOT and isinstance(value.get("helpful"), bool):
                self.feedback[answer]["yes" if value["helpful"] else "no"] += 1
            elif name == outcomes.FEEDBACK_MISSING_SLOT and str(value.get("text") or "").strip():
                self.missing[answer][mask(str(value["text"]).strip())] += 1

    def finish_turn(self) -> None:
        turn, self.turn = self.turn, None
        if turn is None:
            return
        moment = datetime.datetime.fromtimestamp(turn.timestamp, datetime.timezone.utc)
        day = moment.date().isoformat()
        self.first = min(self.first or turn.timestamp, turn.timestamp)
        self.last = max(self.last or turn.timestamp, turn.timestamp)
        self.messages_per_day[day] += 1
        self.conversation_day.setdefault(turn.conversation, day)
        self.conversation_length[turn.conversation] += 1
        self.hours[moment.hour] += 1
        outcome = turn.outcome()
        self.outcomes[outcome] += 1
        if outcome == outcomes.SAFETY:
            self.safety[turn.safety_kind()] += 1
        elif outcome == outcomes.ANSWERED:
            self.topics.update(turn.topics())
        elif outcome in outcomes.UNANSWERED:
            self.unanswered[mask(turn.text)] += 1

    def report(self) -> Report:
        total = sum(self.outcomes.values())
        conversations_per_day = Counter(self.conversation_day.values())
        days = sorted(self.messages_per_day)
        groups = group_texts(self.unanswered)
        lengths = list(self.conversation_length.values())
        answers = sorted(set(self.feedback) | set(self.missing))

        def iso(timestamp: Optional[float]) -> Optional[str]:
            if timestamp is None:
                return None
            moment = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc)
            return moment.isoformat(timespec="seconds")

        return Report(
            since=self.since.isoformat() if self.since else None,
            until=self.until.isoformat() if self.until else None,
            first_message=iso(self.first),
            last_message=iso(self.last),
            conversations=len(self.conversation_day),
            user_messages=total,
            per_day=[
                {
                    "date": day,
                    "conversations": conversations_per_day[day],
                    "messages": self.messages_per_day[day],
                }
                for day in days
            ],
            outcomes={name: self.outcomes[name] for name in outcomes.OUTCOMES},
            outcome_shares={
                name: round(self.outcomes[name] / total, 4) if total else 0.0
                for name in outcomes.OUTCOMES
            },
            safety={kind: self.safety[kind] for kind in outcomes.SAFETY_KINDS},
            answers_by_topic=dict(sorted(self.topics.items(), key=lambda i: (-i[1], i[0]))),
            unanswered_total=sum(self.unanswered.values()),
            unanswered_groups=[
                {"count": g.count, "label": g.label, "texts": g.texts[:MAX_TEXTS_PER_GROUP]}
                for g in groups[:MAX_GROUPS]
            ],
            unanswered_group_count=len(groups),
            feedback={
                answer: {
                    "yes": self.feedback[answer]["yes"],
                    "no": self.feedback[answer]["no"],
                    "missing": [
                        {"text": text, "count": count}
                        for text, count in sorted(
                            self.missing[answer].items(), key=lambda i: (-i[1], i[0])
                        )
                    ],
                }
                for answer in answers
            },
            median_conversation_length=statistics.median(lengths) if lengths else None,
            conversation_lengths={str(n): c for n, c in sorted(Counter(lengths).items())},
            busiest_hours={str(hour): self.hours[hour] for hour in range(24)},
        )
