"""Load on Rasa's REST channel: concurrent conversations from an asyncio + aiohttp client.

Each virtual user plays a short scripted conversation under its own sender id, sending the next
message as soon as the previous reply arrives (no think time: the worst case for the server),
then starts a new conversation with a new sender id. Real conversations are short; one sender
talking for minutes would instead measure how slowly an ever longer tracker loads.
"""

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

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

REQUEST_TIMEOUT_S = 30  # a reply slower than this counts as an error


@dataclass
class LevelResult:
    users: int
    duration_s: float  # planned duration
    elapsed_s: float = 0.0  # until the last in-flight request came back
    latencies_ms: List[float] = field(default_factory=list)  # successful requests only
    errors: Counter = field(default_factory=Counter)  # kind -> count
    conversations: int = 0

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


def webhook(rasa_url: str) -> str:
    return f"{rasa_url}/webhooks/rest/webhook"


async def send(
    session: aiohttp.ClientSession, url: str, sender: str, text: str
) -> Tuple[Optional[str], float]:
    """Posts one message; returns (error kind or None, round trip in ms)."""
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
    # Every message deserves an answer: silence is an error too.
    if not isinstance(body, list) or not any(reply.get("text") for reply in body):
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
) -> None:
    script = CONVERSATIONS[user % len(CONVERSATIONS)]
    conversation = 0
    while time.monotonic() < deadline:
        sender = f"bench-{result.users}u-{user}-{conversation}"
        result.conversations += 1
        for text in script:
            if time.monotonic() >= deadline:
                return
            error, elapsed_ms = await send(session, url, sender, text)
            if error:
                result.errors[error] += 1
            else:
                result.latencies_ms.append(elapsed_ms)
            if think_s:
                await asyncio.sleep(think_s)
        conversation += 1


async def run_level(
    rasa_url: str, users: int, duration_s: float, think_s: float = 0.0
) -> LevelResult:
    """`users` concurrent conversations for `duration_s` seconds."""
    result = LevelResult(users=users, duration_s=duration_s)
    started = time.monotonic()
    deadline = started + duration_s
    async with _session(users) as session:
        await asyncio.gather(
            *(
                _virtual_user(session, webhook(rasa_url), user, deadline, think_s, result)
                for user in range(users)
            )
        )
    result.elapsed_s = time.monotonic() - started
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


async def warm_up(rasa_url: str) -> Dict[str, int]:
    """Plays every scripted conversation once, so that every code path has run once."""
    errors: Counter = Counter()
    async with _session(1) as session:
        for index, script in enumerate(CONVERSATIONS):
            for text in script:
                error, _ = await send(session, webhook(rasa_url), f"bench-warm-up-{index}", text)
                if error:
                    errors[error] += 1
    return dict(errors)
