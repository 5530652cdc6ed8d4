"""Starts and stops the assistant's processes: action server, Rasa server and web page.

Used by `make run`, the end-to-end tests and the benchmark, so that all three run the
assistant the same way. Each stack writes its own endpoints and credentials (ports, tracker
database, allowed origins) into its run directory, derived from the project's files.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Type

import yaml

from serving.ports import check_free

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# Offline and quiet: no telemetry, no TensorFlow chatter.
QUIET_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",  # its 2.0 migration warning, raised by Rasa 3.6
}


class StartFailed(RuntimeError):
    """A server exited or did not answer while starting; the message ends with its log."""


class StartGuard:
    """Wraps starting a stack: which server is starting, and, when one fails, everything
    stopped and the failure turned into StartFailed with the end of that server's log.

        with StartGuard(stack, (RuntimeError, TimeoutError)) as starting:
            starting.name = "rasa"
            ...

    Ctrl-C or SIGTERM while starting also stops everything, and is passed on."""

    def __init__(self, stack: Any, failures: Tuple[Type[BaseException], ...]) -> None:
        self.stack = stack
        self.failures = failures
        self.name = ""

    def __enter__(self) -> "StartGuard":
        return self

    def __exit__(self, kind: Any, failure: Optional[BaseException], traceback: Any) -> None:
        if failure is None:
            return
        self.stack.stop()
        if isinstance(failure, self.failures):
            raise StartFailed(
                f"{failure}. The end of {self.name}.log:\n{self.stack.log_tail(self.name)}"
            ) from failure


@dataclass
class Ports:
    rasa: int = 5005
    actions: int = 5055
    web: int = 8080


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now, for tests and the benchmark."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, timeout: float, process: Optional[subprocess.Popen] = None) -> None:
    """Waits until `url` answers 2xx; fails early if `process` has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process for {url} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if 200 <= response.status < 300:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def spawn(
    command: List[str], log: Path, cwd: Path = ROOT, env: Optional[Dict[str, str]] = None
) -> subprocess.Popen:
    """Starts a server quietly and offline in a session of its own, output appended to `log`;
    `env` is added to this process's environment."""
    with open(log, "ab") as output:  # the child keeps its own copy of the file
        return subprocess.Popen(
            command,
            cwd=cwd,
            env={**os.environ, **QUIET_ENV, **(env or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so that stopping it stops its children too
        )


def terminate(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
    """Stops a process started by `spawn` and its children: `sig`, then SIGKILL if need be."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def actions_command(port: int) -> List[str]:
    return [str(BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)]


def rasa_command(
    model: Path, host: str, port: int, run_dir: Path, web_origins: List[str]
) -> List[str]:
    """`rasa run` with the endpoints and credentials written into `run_dir`."""
    return [
        str(BIN / "python"),
        "-m",
        "serving.quiet_rasa",
        "run",
        "--model",
        str(model),
        "--interface",
        host,
        "--port",
        str(port),
        "--endpoints",
        str(run_dir / "endpoints.yml"),
        "--credentials",
        str(run_dir / "credentials.yml"),
        "--cors",
        *web_origins,
    ]


def web_command(host: str, port: int, bot_url: str) -> List[str]:
    return [
        str(BIN / "python"),
        "web/serve.py",
        "--host",
        host,
        "--port",
        str(port),
        "--bot-url",
        bot_url,
    ]


def write_credentials(config_dir: Path, run_dir: Path, web_origins: List[str]) -> None:
    """The project's credentials.yml, with socket.io allowing only the page's origins."""
    credentials = yaml.safe_load((config_dir / "credentials.yml").read_text()) or {}
    for channel in credentials.values():
        if isinstance(channel, dict) and "cors_allowed_origins" in channel:
            channel["cors_allowed_origins"] = web_origins
    (run_dir / "credentials.yml").write_text(yaml.safe_dump(credentials))


def log_tail(log: Path, lines: int = 12) -> str:
    """The last lines of a server's log, indented, for an error message."""
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join("    " + line for line in text.splitlines()[-lines:])


@dataclass
class Stack:
    run_dir: Path
    ports: Ports = field(default_factory=Ports)
    host: str = "127.0.0.1"
    model: Path = ROOT / "models"
    config_dir: Path = ROOT  # where endpoints.yml and credentials.yml are read from
    with_web: bool = True
    # False for a bot without custom actions (the benchmark's stock `rasa init` bot).
    with_actions: bool = True
    processes: Dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.ports.rasa}"

    @property
    def actions_url(self) -> str:
        return f"http://{self.host}:{self.ports.actions}"

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.ports.web}/"

    @property
    def web_origins(self) -> List[str]:
        return [f"http://{host}:{self.ports.web}" for host in ("127.0.0.1", "localhost")]

    @property
    def tracker_db(self) -> Path:
        return self.run_dir / "tracker.db"

    # -- configuration -------------------------------------------------------------------

    def write_config(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        endpoints = yaml.safe_load((self.config_dir / "endpoints.yml").read_text()) or {}
        if self.with_actions:
            endpoints["action_endpoint"]["url"] = f"{self.actions_url}/webhook"
        # A project without a tracker_store (`rasa init`'s) keeps Rasa's default, in memory.
        if endpoints.get("tracker_store"):
            endpoints["tracker_store"]["db"] = str(self.tracker_db)
        (self.run_dir / "endpoints.yml").write_text(yaml.safe_dump(endpoints))

        write_credentials(self.config_dir, self.run_dir, self.web_origins)

    # -- processes -----------------------------------------------------------------------

    def _start(self, name: str, command: List[str]) -> subprocess.Popen:
        process = spawn(command, self.run_dir / f"{name}.log")
        self.processes[name] = process
        return process

    def _stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        process = self.processes.pop(name, None)
        if process is not None:
            terminate(process, sig)

    def start_actions(self, timeout: float = 60) -> None:
        process = self._start("actions", actions_command(self.ports.actions))
        wait_for_http(f"{self.actions_url}/health", timeout, process)

    def stop_actions(self) -> None:
        self._stop("actions")

    def start_rasa(self, timeout: float = 180) -> None:
        process = self._start(
            "rasa",
            rasa_command(self.model, self.host, self.ports.rasa, self.run_dir, self.web_origins),
        )
        # The webhook answers only once the model is loaded.
        wait_for_http(f"{self.rasa_url}/webhooks/rest/", timeout, process)

    def stop_rasa(self) -> None:
        self._stop("rasa")

    def kill_rasa(self) -> None:
        """Stops Rasa the hard way, as a crash would."""
        self._stop("rasa", signal.SIGKILL)

    def start_web(self, timeout: float = 30) -> None:
        process = self._start("web", web_command(self.host, self.ports.web, self.rasa_url))
        wait_for_http(self.web_url, timeout, process)

    def stop_web(self) -> None:
        self._stop("web")

    def start(self) -> "Stack":
        """Starts every server, or none: a taken port stops it before anything starts."""
        ports = {"Rasa server": self.ports.rasa}
        if self.with_actions:
            ports["action server"] = self.ports.actions
        if self.with_web:
            ports["web page"] = self.ports.web
        check_free(self.host, ports)
        self.write_config()
        with StartGuard(self, (RuntimeError, TimeoutError)) as starting:
            starting.name = "actions"
            if self.with_actions:
                self.start_actions()
            if self.with_web:
                starting.name = "web"
                self.start_web()
            starting.name = "rasa"
            self.start_rasa()
        return self

    def all_running(self) -> bool:
        return all(process.poll() is None for process in self.processes.values())

    def log_tail(self, name: str, lines: int = 12) -> str:
        return log_tail(self.run_dir / f"{name}.log", lines)

    def stop(self) -> None:
        for name in list(self.processes):
            self._stop(name)
