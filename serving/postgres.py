"""A PostgreSQL 15 server of the project's own: its cluster in a folder, on a port of its own.

Used by `make run-scaled` (the replicas' shared tracker store) and by the tests. It never
touches the system's cluster: initdb, pg_ctl and the unix socket all live in `folder`.
initdb refuses to run as root, so when we are root the server runs as the `postgres` user,
which must then be able to reach `folder` (pytest's own temporary folders are root-only).
"""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional

PG_BIN = Path("/usr/lib/postgresql/15/bin")


class PostgresUnavailable(RuntimeError):
    """PostgreSQL 15 is missing, or cannot be run here."""


def _as_postgres(*command: str) -> subprocess.CompletedProcess:
    """Runs a server command as `postgres` when we are root (initdb refuses root), else as us."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    try:
        return subprocess.run([*prefix, *command], check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as failed:
        raise PostgresUnavailable(f"{' '.join(command[:2])} failed: {failed.stderr}") from failed


def check_installed() -> None:
    if not (PG_BIN / "initdb").exists():
        raise PostgresUnavailable(f"PostgreSQL 15 is not installed in {PG_BIN}")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        raise PostgresUnavailable("running as root without runuser: initdb needs another user")


@dataclass
class PostgresServer:
    """`folder` holds data/, sockets/ and server.log. With a `password`, TCP logins need it
    (scram) and `database` is created for `username`; without one, everything is trusted
    (tests only). Local socket logins are trusted: only the owner of `folder` reaches them."""

    folder: Path
    port: int = 5433
    username: str = "postgres"
    password: Optional[str] = None
    database: Optional[str] = None
    fast: bool = False  # fsync off: for throwaway test clusters only

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def sockets(self) -> Path:
        return self.folder / "sockets"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def settings(self) -> Dict[str, object]:
        """The connection part of a `tracker_store` entry (Rasa's SQLTrackerStore keys)."""
        settings: Dict[str, object] = {
            "dialect": "postgresql",
            "host": "127.0.0.1",
            "port": self.port,
            "username": self.username,
        }
        if self.database:
            settings["db"] = self.database
        if self.password is not None:
            settings["password"] = self.password
        return settings

    def _init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.sockets.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            for path in (self.folder, self.sockets):
                shutil.chown(path, "postgres", "postgres")
        if (self.data / "PG_VERSION").exists():
            return  # kept from an earlier run: conversations survive a restart
        # Local (socket) logins trusted, TCP logins by password when there is one.
        host_auth = "scram-sha-256" if self.password is not None else "trust"
        _as_postgres(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth-local=trust", f"--auth-host={host_auth}",
        )  # fmt: skip

    def start(self) -> "PostgresServer":
        check_installed()
        self._init()
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1"
        if self.fast:
            options += " -c fsync=off"
        _as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "start",
            "-o", options,
        )  # fmt: skip
        try:
            if self.password is not None:
                self._create_login()
        except BaseException:
            self.stop()
            raise
        return self

    def _create_login(self) -> None:
        """The role and database the replicas use; its password follows the environment
        on every start, so changing the variable is enough to change it."""
        import psycopg2
        from psycopg2 import sql

        # Over the socket as `postgres` (trusted), so no password is ever on a command line.
        connection = psycopg2.connect(
            host=str(self.sockets), port=self.port, user="postgres", dbname="postgres"
        )
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                role = sql.Identifier(self.username)
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (self.username,))
                verb = "ALTER" if cursor.fetchone() else "CREATE"
                cursor.execute(
                    sql.SQL(verb + " ROLE {} LOGIN PASSWORD %s").format(role), (self.password,)
                )
                if self.database:
                    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (self.database,))
                    if not cursor.fetchone():
                        cursor.execute(
                            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                                sql.Identifier(self.database), role
                            )
                        )
        finally:
            connection.close()

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def stop(self) -> None:
        if self.running():
            _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
