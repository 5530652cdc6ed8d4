"""Load on Rasa's REST channel: concurrent conversations from an asyncio + aiohttp client.

`run_level`: each virtual user plays a short scripted conversation under its own sender id,
sending the next message as soon as the previous reply arrives (or after a think time), then
starts a new conversation with a new sender id, until the level's time is up.
`run_long`: each virtual user sends a fixed number of turns under one sender id, cycling
through all the scripted messages, to see how latency grows with the tracker's length.
"""

import asyncio
import itertools
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

import aiohttp
import numpy

# A realistic mix: medical questions, follow-ups, small talk and one line out of scope.
CONVERSATIONS: List[List[str]] = [
    [
        "hi",
        "what is dystonia",
        "tell me more",
        "does cbd help dystonia",
        "what's the evidence?",
        "thanks",
        "bye",
    ],
    [
        "hello there",
        "what causes dystonia",
        "which parts of the body can it affect",
        "tell me more",
        "how common is dystonia",
        "thank you",
    ],
    [
        "hey",
        "is cbd safe",
        "can you get addicted to cbd",
        "what's the weather like today?",
        "what treatments are there for dystonia",
        "tell me more",
        "goodbye",
    ],
    [
        "good morning",
        "what are the symptoms of dystonia",
        "does stress make it worse",
        "is dystonia painful",
        "are you a bot?",
        "ok thanks",
    ],
]

# The long conversations cycle through every scripted message in order.
LONG_MESSAGES: List[str] = [text for script in CONVERSATIONS for text in script]

REQUEST_TIMEOUT_S = 30  # a reply slower than this counts as an error
PROGRESS_EVERY_S = 10
Progress = Optional[Callable[[str], None]]


@dataclass
class LevelResult:
    users: int
    duration_s: float  # planned duration
    elapsed_s: float = 0.0  # until the last in-flight request came back
    latencies_ms: List[float] = field(default_factory=list)  # successful requests only
    errors: Counter = field(default_factory=Counter)  # kind -> count
    conversations: int = 0
    # run_long only: turn number (1-based) -> latencies of that turn over all users.
    by_turn: Dict[int, List[float]] = field(default_factory=lambda: defaultdict(list))

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + sum(self.errors.values())

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def throughput(self) -> float:
        """Successful replies per second."""
        return len(self.latencies_ms) / self.elapsed_s if self.elapsed_s else 0.0

    def p(self, q: float) -> Optional[float]:
        """The q-th percentile (0-100) of the latencies, interpolated between ranks."""
        return float(numpy.percentile(self.latencies_ms, q)) if self.latencies_ms else None

    def turns_median(self, first: int, last: int) -> Optional[float]:
        """The median latency of turns `first` to `last` (1-based, inclusive), over all users."""
        latencies = [ms for turn in range(first, last + 1) for ms in self.by_turn.get(turn, [])]
        return float(numpy.median(latencies)) if latencies else None

    def record(self, error: Optional[str], elapsed_ms: float, turn: int = 0) -> None:
        if error:
            self.errors[error] += 1
        else:
            self.latencies_ms.append(elapsed_ms)
            if turn:
                self.by_turn[turn].append(elapsed_ms)


def webhook(rasa_url: str) -> str:
    return f"{rasa_url}/webhooks/rest/webhook"


async def send(
    session: aiohttp.ClientSession, url: str, sender: str, text: str, require_text: bool = True
) -> Tuple[Optional[str], float]:
    """Posts one message; returns (error kind or None, round trip in ms).

    `require_text=False` accepts an empty reply: the stock `rasa init` bot has nothing to say
    to most of these messages, and that is its normal behaviour, not a failure."""
    started = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            body = await response.json(content_type=None) if response.status == 200 else None
            elapsed_ms = (time.perf_counter() - started) * 1000
            if response.status != 200:
                return f"HTTP {response.status}", elapsed_ms
    except asyncio.TimeoutError:
        return "timeout", (time.perf_counter() - started) * 1000
    except (aiohttp.ClientError, ValueError) as error:
        return type(error).__name__, (time.perf_counter() - started) * 1000
    if not isinstance(body, list):
        return "not a list", elapsed_ms
    # Every message deserves an answer: silence is an error too.
    if require_text and not any(reply.get("text") for reply in body):
        return "empty reply", elapsed_ms
    return None, elapsed_ms


def _session(users: int) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=max(users, 1)),
        timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S),
    )


async def _virtual_user(
    session: aiohttp.ClientSession,
    url: str,
    user: int,
    deadline: float,
    think_s: float,
    result: LevelResult,
    require_text: bool,
    run_id: str,
) -> None:
    script = CONVERSATIONS[user % len(CONVERSATIONS)]
    conversation = 0
    # With a think time, users start spread over it, as people do, rather than in one burst
    # that the think time would then repeat every round.
    await asyncio.sleep(think_s * user / result.users)
    while time.monotonic() < deadline:
        sender = f"bench-{run_id}-{user}-{conversation}"
        result.conversations += 1
        for text in script:
            if time.monotonic() >= deadline:
                return
            result.record(*await send(session, url, sender, text, require_text))
            if think_s:
                await asyncio.sleep(think_s)
        conversation += 1


async def _report_progress(result: LevelResult, started: float, total: str, progress) -> None:
    """A line every PROGRESS_EVERY_S seconds, so that a long level visibly moves."""
    while True:
        await asyncio.sleep(PROGRESS_EVERY_S)
        progress(
            f"  {time.monotonic() - started:.0f} s{total}: {len(result.latencies_ms)} replies, "
            f"{result.error_count} errors"
        )


async def _with_progress(work, result: LevelResult, total: str, progress: Progress) -> None:
    started = time.monotonic()
    reporter = (
        asyncio.create_task(_report_progress(result, started, total, progress))
        if progress
        else None
    )
    try:
        await work
    finally:
        if reporter:
            reporter.cancel()
    result.elapsed_s = time.monotonic() - started


async def run_level(
    rasa_url: str,
    users: int,
    duration_s: float,
    think_s: float = 0.0,
    require_text: bool = True,
    progress: Progress = None,
) -> LevelResult:
    """`users` concurrent conversations for `duration_s` seconds."""
    result = LevelResult(users=users, duration_s=duration_s)
    deadline = time.monotonic() + duration_s
    # Sender ids unique per level: a later level must not continue an earlier one's trackers.
    run_id = f"{users}u-{time.time_ns()}"
    async with _session(users) as session:
        work = asyncio.gather(
            *(
                _virtual_user(
                    session,
                    webhook(rasa_url),
                    user,
                    deadline,
                    think_s,
                    result,
                    require_text,
                    run_id,
                )
                for user in range(users)
            )
        )
        await _with_progress(work, result, f" of {duration_s:g}", progress)
    return result


async def _long_user(
    session: aiohttp.ClientSession,
    url: str,
    sender: str,
    user: int,
    users: int,
    turns: int,
    think_s: float,
    result: LevelResult,
    require_text: bool,
) -> None:
    # Users start at different points of the messages and at different moments: otherwise
    # every turn number is one message sent by all users at once, and turns 1-5 against the
    # last 5 would compare those messages and bursts rather than short and long trackers.
    start = user * len(LONG_MESSAGES) // users
    messages = itertools.islice(itertools.cycle(LONG_MESSAGES), start, None)
    await asyncio.sleep(think_s * user / users)
    for turn in range(1, turns + 1):
        result.record(*await send(session, url, sender, next(messages), require_text), turn=turn)
        if think_s:
            await asyncio.sleep(think_s)


async def run_long(
    rasa_url: str,
    users: int,
    turns: int,
    think_s: float = 0.0,
    require_text: bool = True,
    progress: Progress = None,
) -> LevelResult:
    """`users` concurrent conversations of `turns` messages each, one sender id per
    conversation, `think_s` after each reply; `by_turn` holds the latencies per turn number."""
    result = LevelResult(users=users, duration_s=0, conversations=users)
    run_id = f"long-{time.time_ns()}"
    async with _session(users) as session:
        work = asyncio.gather(
            *(
                _long_user(
                    session,
                    webhook(rasa_url),
                    f"bench-{run_id}-{user}",
                    user,
                    users,
                    turns,
                    think_s,
                    result,
                    require_text,
                )
                for user in range(users)
            )
        )
        await _with_progress(work, result, f", {users} × {turns} turns", progress)
    return result


async def first_answer(rasa_url: str, timeout_s: float) -> None:
    """Returns once a greeting gets a non-empty reply; raises TimeoutError otherwise."""
    deadline = time.monotonic() + timeout_s
    async with _session(1) as session:
        while time.monotonic() < deadline:
            error, _ = await send(session, webhook(rasa_url), "bench-first-answer", "hello")
            if error is None:
                return
            await asyncio.sleep(0.1)
    raise TimeoutError(f"no answer from {rasa_url} within {timeout_s:.0f} s")


async def warm_up(rasa_url: str, require_text: bool = True) -> Dict[str, int]:
    """Plays every scripted conversation once, so that every code path has run once."""
    errors: Counter = Counter()
    async with _session(1) as session:
        for index, script in enumerate(CONVERSATIONS):
            sender = f"bench-warm-up-{index}-{time.time_ns()}"
            for text in script:
                error, _ = await send(session, webhook(rasa_url), sender, text, require_text)
                if error:
                    errors[error] += 1
    return dict(errors)
