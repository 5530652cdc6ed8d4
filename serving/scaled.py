"""`make run-scaled`: several Rasa replicas behind HAProxy, sharing PostgreSQL and Redis.

A local rehearsal of a scaled deployment (README, Deploying): any replica can answer any turn
of a conversation because the conversations are in PostgreSQL (not in one process's SQLite
file), and Rasa's RedisLockStore makes replicas take turns on one conversation, so that two
messages sent at once are never handled from the same stale tracker. One action server serves
them all; it keeps no state. Ctrl-C or SIGTERM stops everything started here.

Passwords come from DYSTONIA_DB_PASSWORD and DYSTONIA_REDIS_PASSWORD; the defaults below are
for this machine only. endpoints.yml refers to them as ${...}, so they are never written to disk.
"""

import argparse
import os
import signal
import subprocess
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

import yaml

from serving.haproxy import HAProxy
from serving.ports import check_free
from serving.postgres import PostgresServer
from serving.redis import RedisServer
from serving.run import serve_until_stopped
from serving.stack import (
    ROOT,
    StartGuard,
    actions_command,
    free_port,
    log_tail,
    rasa_command,
    spawn,
    terminate,
    wait_for_http,
    web_command,
    write_credentials,
)

DB_PASSWORD_VARIABLE = "DYSTONIA_DB_PASSWORD"
REDIS_PASSWORD_VARIABLE = "DYSTONIA_REDIS_PASSWORD"
LOCAL_DB_PASSWORD = "dystonia-local-db"
LOCAL_REDIS_PASSWORD = "dystonia-local-redis"
DATABASE = "dystonia"  # also the role's name


@dataclass
class ScaledPorts:
    rasa: int = 5005  # HAProxy: the public one
    actions: int = 5055
    web: int = 8080
    postgres: int = 5433
    redis: int = 6380
    replicas: List[int] = field(default_factory=lambda: [5101, 5102])

    @classmethod
    def free(cls, replicas: int) -> "ScaledPorts":
        """Ports nothing listens on now, for tests and the benchmark."""
        return cls(
            rasa=free_port(),
            actions=free_port(),
            web=free_port(),
            postgres=free_port(),
            redis=free_port(),
            replicas=[free_port() for _ in range(replicas)],
        )


@dataclass
class ScaledStack:
    run_dir: Path
    ports: ScaledPorts = field(default_factory=ScaledPorts)
    host: str = "127.0.0.1"
    model: Path = ROOT / "models"
    with_web: bool = True
    # The cluster's folder; the `postgres` user must reach it when we are root.
    postgres_dir: Optional[Path] = None
    processes: Dict[str, subprocess.Popen] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.db_password = os.environ.get(DB_PASSWORD_VARIABLE, LOCAL_DB_PASSWORD)
        self.redis_password = os.environ.get(REDIS_PASSWORD_VARIABLE, LOCAL_REDIS_PASSWORD)
        self.postgres = PostgresServer(
            self.postgres_dir or self.run_dir / "postgres",
            port=self.ports.postgres,
            username=DATABASE,
            password=self.db_password,
            database=DATABASE,
        )
        self.redis = RedisServer(self.run_dir, self.ports.redis, self.redis_password)
        self.haproxy = HAProxy(self.run_dir, self.ports.rasa, self.ports.replicas, self.host)

    # -- addresses -----------------------------------------------------------------------

    @property
    def rasa_url(self) -> str:
        """HAProxy's address: what clients and the page use."""
        return f"http://{self.host}:{self.ports.rasa}"

    def replica_url(self, number: int) -> str:
        """Replica `number` (1-based) directly, bypassing HAProxy."""
        return f"http://{self.host}:{self.ports.replicas[number - 1]}"

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.ports.web}/"

    @property
    def web_origins(self) -> List[str]:
        return [f"http://{host}:{self.ports.web}" for host in ("127.0.0.1", "localhost")]

    def tracker_store_settings(self) -> Dict[str, object]:
        """SQLTrackerStore keys for the shared database, password included (for tests)."""
        return self.postgres.settings()

    # -- configuration -------------------------------------------------------------------

    def write_config(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text())
        endpoints["action_endpoint"]["url"] = f"http://{self.host}:{self.ports.actions}/webhook"
        database = self.postgres.settings()
        # Rasa passes `url` to a store class as its `host` argument.
        database["url"] = database.pop("host")
        endpoints["tracker_store"] = {
            "type": "stores.cached.CachedSQLTrackerStore",
            **database,
            "password": f"${{{DB_PASSWORD_VARIABLE}}}",  # Rasa reads it from the environment
        }
        endpoints["lock_store"] = {
            **self.redis.settings(),
            "password": f"${{{REDIS_PASSWORD_VARIABLE}}}",
        }
        (self.run_dir / "endpoints.yml").write_text(yaml.safe_dump(endpoints))
        write_credentials(ROOT, self.run_dir, self.web_origins)

    def create_tables(self) -> None:
        """Creates the events table once, before the replicas start: replicas that create it
        at the same moment collide, and Rasa then waits 5 s before trying again. This also
        proves the database can be written before anything else starts."""
        os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
        from stores.sql import CheckedSQLTrackerStore

        with warnings.catch_warnings():  # Rasa 3.6's use of SQLAlchemy APIs 2.0 deprecates
            warnings.simplefilter("ignore")
            CheckedSQLTrackerStore(**self.tracker_store_settings()).engine.dispose()  # type: ignore[arg-type]

    # -- processes -----------------------------------------------------------------------

    def _spawn(self, name: str, command: List[str]) -> subprocess.Popen:
        secrets = {
            DB_PASSWORD_VARIABLE: self.db_password,
            REDIS_PASSWORD_VARIABLE: self.redis_password,
        }
        process = spawn(command, self.run_dir / f"{name}.log", env=secrets)
        self.processes[name] = process
        return process

    def _spawn_replica(self, number: int) -> subprocess.Popen:
        port = self.ports.replicas[number - 1]
        command = rasa_command(self.model, self.host, port, self.run_dir, self.web_origins)
        return self._spawn(f"rasa{number}", command)

    def start_replica(self, number: int, timeout: float = 180) -> None:
        process = self._spawn_replica(number)
        wait_for_http(f"{self.replica_url(number)}/webhooks/rest/", timeout, process)

    def kill_replica(self, number: int) -> None:
        """Stops a replica the hard way, as a crash would."""
        process = self.processes.pop(f"rasa{number}", None)
        if process is not None:
            terminate(process, signal.SIGKILL)

    def replica_alive(self, number: int) -> bool:
        process = self.processes.get(f"rasa{number}")
        return process is not None and process.poll() is None

    def start(self, timeout: float = 240) -> "ScaledStack":
        """Starts everything, or nothing: a taken port stops it before anything starts."""
        ports = {
            "HAProxy": self.ports.rasa,
            "action server": self.ports.actions,
            "PostgreSQL": self.ports.postgres,
            "Redis": self.ports.redis,
            **{f"Rasa replica {n}": p for n, p in enumerate(self.ports.replicas, start=1)},
        }
        if self.with_web:
            ports["web page"] = self.ports.web
        check_free(self.host, ports)
        self.write_config()
        with StartGuard(self, (Exception,)) as starting:
            starting.name = "postgres"
            self.postgres.start()
            starting.name = "redis"
            self.redis.start()
            starting.name = "actions"
            actions = self._spawn("actions", actions_command(self.ports.actions))
            starting.name = "postgres"
            self.create_tables()
            # The replicas load the model at the same time; then wait for each.
            replicas = [self._spawn_replica(n) for n in range(1, len(self.ports.replicas) + 1)]
            starting.name = "haproxy"
            self.haproxy.start()
            if self.with_web:
                starting.name = "web"
                web = self._spawn("web", web_command(self.host, self.ports.web, self.rasa_url))
                wait_for_http(self.web_url, 30, web)
            starting.name = "actions"
            wait_for_http(f"http://{self.host}:{self.ports.actions}/health", 60, actions)
            for number, process in enumerate(replicas, start=1):
                starting.name = f"rasa{number}"
                wait_for_http(f"{self.replica_url(number)}/webhooks/rest/", timeout, process)
            starting.name = "haproxy"
            # Each backend's health checks mark the replicas up on their own schedule.
            for path in ("/webhooks/rest/", "/socket.io/?EIO=4&transport=polling"):
                wait_for_http(self.rasa_url + path, 30, self.haproxy.process)
        return self

    def log_tail(self, name: str, lines: int = 12) -> str:
        log = self.postgres.log if name == "postgres" else self.run_dir / f"{name}.log"
        return log_tail(log, lines)

    def stop(self) -> None:
        """Stops everything started, the entry point first and the databases last."""
        self.haproxy.stop()
        for name in list(self.processes):
            terminate(self.processes.pop(name))
        self.redis.stop()
        self.postgres.stop()

    def all_running(self) -> bool:
        processes = [*self.processes.values(), self.haproxy.process, self.redis.process]
        return all(p is not None and p.poll() is None for p in processes) and (
            self.postgres.running()
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--rasa-port", type=int, default=ScaledPorts.rasa, help="HAProxy's")
    parser.add_argument(
        "--replica-ports-from", type=int, default=5101, help="first replica's port; then +1"
    )
    parser.add_argument("--actions-port", type=int, default=ScaledPorts.actions)
    parser.add_argument("--web-port", type=int, default=ScaledPorts.web)
    parser.add_argument("--pg-port", type=int, default=ScaledPorts.postgres)
    parser.add_argument("--redis-port", type=int, default=ScaledPorts.redis)
    parser.add_argument("--run-dir", type=Path, default=ROOT / "run")
    args = parser.parse_args()

    ports = ScaledPorts(
        rasa=args.rasa_port,
        actions=args.actions_port,
        web=args.web_port,
        postgres=args.pg_port,
        redis=args.redis_port,
        replicas=[args.replica_ports_from + n for n in range(args.replicas)],
    )
    stack = ScaledStack(run_dir=args.run_dir.resolve(), ports=ports)
    replicas = ", ".join(str(p) for p in ports.replicas)
    serve_until_stopped(
        stack,
        f"Starting PostgreSQL, Redis, the action server and {args.replicas} Rasa replicas...",
        [
            f"Chat page:     {stack.web_url}",
            f"REST channel:  {stack.rasa_url}/webhooks/rest/webhook   (HAProxy)",
            f"Replicas:      ports {replicas}",
            f"PostgreSQL:    port {ports.postgres}, cluster in {stack.postgres.folder}",
        ],
        args.run_dir,
    )


def temporary_postgres_dir() -> Path:
    """A folder the `postgres` user can own, for clusters outside the run directory."""
    return Path(tempfile.mkdtemp(prefix="dystonia-pg-"))


if __name__ == "__main__":
    main()
