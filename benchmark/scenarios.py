"""The load levels, the same for the project and the stock bot, and how each one is run."""

import asyncio
from dataclasses import dataclass
from typing import List

from benchmark import load

TEN = 10  # the "10 concurrent conversations"
CROWD = 100  # "100 concurrent conversations for 2 minutes"
LONG_WINDOW = 5  # turns 1-5 against the last 5: a median of 5 × 10 users, not 10 numbers


@dataclass(frozen=True)
class Scenario:
    key: str  # names the level in the table, the chart and the log
    users: int
    seconds: float = 0  # timed level: new conversations until the time is up
    think_s: float = 0
    turns: int = 0  # long conversations: this many turns per user, under one sender id

    @property
    def label(self) -> str:
        return f"{self.key} ({self.seconds:g} s)" if self.seconds else self.key

    def run(self, rasa_url: str, require_text: bool, progress: load.Progress) -> load.LevelResult:
        if self.turns:
            return asyncio.run(
                load.run_long(
                    rasa_url, self.users, self.turns, self.think_s, require_text, progress
                )
            )
        return asyncio.run(
            load.run_level(rasa_url, self.users, self.seconds, self.think_s, require_text, progress)
        )


def scenarios(short_s: float, crowd_s: float, think_s: float, turns: int) -> List[Scenario]:
    return [
        Scenario("1 user", 1, short_s),
        Scenario(f"{TEN} users", TEN, short_s),
        Scenario(f"{TEN} users, {think_s:g} s think time", TEN, short_s, think_s=think_s),
        Scenario(f"{CROWD} users", CROWD, crowd_s),
        # With a think time: back to back, the first and last turns would measure the users
        # all starting at once and finishing one by one (queueing), not the tracker's length.
        Scenario(
            f"{TEN} users × {turns} turns, {think_s:g} s think time",
            TEN,
            think_s=think_s,
            turns=turns,
        ),
    ]
