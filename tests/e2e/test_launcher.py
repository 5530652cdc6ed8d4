"""`make run` as people and supervisors use it: a taken port, and stopping with SIGTERM."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Dict

import pytest

from serving.ports import is_free
from serving.stack import free_port, wait_for_http

ROOT = Path(__file__).resolve().parents[2]


def make_run(ports: Dict[str, int], run_dir: Path) -> subprocess.Popen:
    """`make run` in its own process group; install and train are done by `make test`."""
    return subprocess.Popen(
        [
            "make",
            "--no-print-directory",
            "-o",
            "install",
            "-o",
            "train",
            "run",
            f"RASA_PORT={ports['rasa']}",
            f"ACTIONS_PORT={ports['actions']}",
            f"WEB_PORT={ports['web']}",
            f"RUN_DIR={run_dir}",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def all_free(ports: Dict[str, int], within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if all(is_free("127.0.0.1", port) for port in ports.values()):
            return True
        time.sleep(0.5)
    return False


@pytest.fixture
def ports() -> Dict[str, int]:
    return {"rasa": free_port(), "actions": free_port(), "web": free_port()}


def test_a_taken_port_is_named_with_its_holder_and_nothing_starts(ports, tmp_path):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", ports["rasa"]))
        squatter.listen()
        launcher = make_run(ports, tmp_path)
        output, _ = launcher.communicate(timeout=60)

    assert launcher.returncode != 0
    assert f"port {ports['rasa']} (Rasa server) is taken by process {os.getpid()}" in output
    assert "Ready" not in output
    assert not list(tmp_path.glob("*.log"))  # no server was started


@pytest.mark.parametrize("when", ["while starting", "when ready"])
def test_sigterm_to_the_process_group_stops_every_server(ports, tmp_path, when):
    launcher = make_run(ports, tmp_path)
    try:
        if when == "when ready":
            wait_for_http(f"http://127.0.0.1:{ports['rasa']}/webhooks/rest/", 180, launcher)
        else:
            wait_for_http(f"http://127.0.0.1:{ports['actions']}/health", 60, launcher)
        os.killpg(launcher.pid, signal.SIGTERM)
        launcher.wait(timeout=30)
        assert all_free(ports, within=30), f"still listening: {ports}"
    finally:
        if launcher.poll() is None:
            os.killpg(launcher.pid, signal.SIGKILL)


def test_a_conversation_store_that_cannot_be_written_stops_make_run_with_the_reason(
    ports, tmp_path
):
    (tmp_path / "tracker.db").mkdir()  # where the SQLite file should be
    launcher = make_run(ports, tmp_path)
    output, _ = launcher.communicate(timeout=180)

    assert launcher.returncode != 0
    assert "Nothing is running" in output
    assert "The conversation store in endpoints.yml" in output
    assert "Ready" not in output
    assert all_free(ports, within=5)
