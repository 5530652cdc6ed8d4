"""The project behind HAProxy on PostgreSQL and Redis (serving/scaled.py), 1 and 2 replicas.

Each replica count gets a fresh ScaledStack (its own cluster, Redis and HAProxy on free ports)
that is stopped before the next one starts, also when a level fails or SIGTERM arrives.
"""

import asyncio
import shutil
import time
from pathlib import Path
from typing import Callable, Optional, Tuple

from benchmark import load
from serving.postgres import PostgresUnavailable, check_installed
from serving.scaled import ScaledPorts, ScaledStack, temporary_postgres_dir


def missing() -> Optional[str]:
    """What keeps the scaled stack from starting here, checked before a run spends minutes
    training; None when everything is installed."""
    try:
        check_installed()
    except PostgresUnavailable as unavailable:
        return str(unavailable)
    for binary in ("redis-server", "haproxy"):
        if not (shutil.which(binary) or Path(f"/usr/sbin/{binary}").exists()):
            return f"{binary} is not installed"
    return None


def scenario_key(replicas: int) -> str:
    return f"10 users, PostgreSQL, {replicas} replica{'s' if replicas > 1 else ''}"


def run(
    model: Path,
    work: Path,
    replicas: int,
    users: int,
    seconds: float,
    log: Callable[[str], None],
) -> Tuple[load.LevelResult, float]:
    """`users` conversations back to back for `seconds` through HAProxy; returns the level and
    the start-up time of the whole stack."""
    # The cluster folder must be reachable by the `postgres` user: not under a root-only tmp.
    postgres_dir = temporary_postgres_dir()
    stack = ScaledStack(
        run_dir=work / f"scaled-{replicas}",
        ports=ScaledPorts.free(replicas),
        model=model,
        with_web=False,
        postgres_dir=postgres_dir,
    )
    try:
        name = scenario_key(replicas)
        log(f"{name}: starting PostgreSQL, Redis, HAProxy and Rasa (logs in {stack.run_dir})")
        started = time.monotonic()
        stack.start()
        startup_s = time.monotonic() - started
        errors = asyncio.run(load.warm_up(stack.rasa_url))
        log(f"{name}: up in {startup_s:.0f} s, warm-up errors {errors or 'none'}; load")
        level = asyncio.run(load.run_level(stack.rasa_url, users, seconds, progress=log))
        return level, startup_s
    finally:
        stack.stop()
        shutil.rmtree(postgres_dir, ignore_errors=True)
