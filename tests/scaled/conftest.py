"""One scaled stack for these tests: HAProxy, two Rasa replicas, PostgreSQL and Redis.

The tests install what is missing (apt-get, as `make run-scaled` does) and skip, saying why,
only when that is impossible here.
"""

import os
import shutil
import subprocess
from pathlib import Path
from typing import Iterator, List

import pytest
import sqlalchemy as sa

from serving.postgres import PostgresUnavailable, check_installed
from serving.scaled import ScaledPorts, ScaledStack, temporary_postgres_dir

PACKAGES = {"redis-server": "redis-server", "haproxy": "haproxy"}


def _install_missing() -> None:
    missing = [package for binary, package in PACKAGES.items() if shutil.which(binary) is None]
    if not missing:
        return
    if os.geteuid() != 0 and shutil.which("sudo") is None:
        pytest.skip(f"{', '.join(missing)} missing, and apt-get needs root (no sudo here)")
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *missing]):
        done = subprocess.run([*prefix, *command], capture_output=True, env=environment)
        if done.returncode != 0:
            pytest.skip(f"cannot install {', '.join(missing)}: {done.stderr.decode()[-300:]}")


@pytest.fixture(scope="session")
def scaled(tmp_path_factory, trained_model) -> Iterator[ScaledStack]:
    _install_missing()
    try:
        check_installed()
    except PostgresUnavailable as missing:
        pytest.skip(str(missing))
    postgres_dir = temporary_postgres_dir()
    stack = ScaledStack(
        run_dir=tmp_path_factory.mktemp("scaled"),
        ports=ScaledPorts.free(replicas=2),
        model=trained_model,
        with_web=True,  # the chat page, for the widget tests
        postgres_dir=postgres_dir,
    )
    try:
        yield stack.start()
    finally:
        stack.stop()
        shutil.rmtree(postgres_dir, ignore_errors=True)


@pytest.fixture(autouse=True)
def replicas_up(scaled) -> None:
    """Brings back a replica or the database an earlier test stopped."""
    if not scaled.postgres.running():
        scaled.postgres.start()
    for number in range(1, len(scaled.ports.replicas) + 1):
        if not scaled.replica_alive(number):
            scaled.start_replica(number)


def stored_events(stack: ScaledStack, sender: str) -> List[dict]:
    """The conversation as the replicas stored it in PostgreSQL, in order."""
    import json

    settings = stack.tracker_store_settings()
    url = sa.engine.URL.create(
        "postgresql",
        username=str(settings["username"]),
        password=str(settings["password"]),
        host=str(settings["host"]),
        port=int(str(settings["port"])),
        database=str(settings["db"]),
    )
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id"),
                {"sender": sender},
            )
            return [json.loads(row[0]) for row in rows]
    finally:
        engine.dispose()


def haproxy_log(stack: ScaledStack) -> str:
    return (Path(stack.run_dir) / "haproxy.log").read_text(errors="replace")
