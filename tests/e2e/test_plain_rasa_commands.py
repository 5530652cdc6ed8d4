"""A fresh clone run with the plain Rasa commands keeps its conversations (issue 8).

Rasa users start an assistant with `rasa run actions` and `rasa run`, not with our Makefile.
These tests do that in a copy of the checkout's files (what a fresh clone holds) with the
shared trained model, and only give the servers free ports.
"""

import sqlite3
import subprocess
from pathlib import Path
from typing import List

import pytest
import yaml

from serving.stack import BIN, free_port, spawn, terminate, wait_for_http
from tests.support.chat import ASK_HELPFUL, FULL_DISCLAIMER, REMINDER, Chat, answer_text

ROOT = Path(__file__).resolve().parents[2]


def checkout_files() -> List[str]:
    """Tracked files plus new ones not yet committed: what a clone of this work would hold."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory, trained_model) -> Path:
    clone = tmp_path_factory.mktemp("clone")
    for name in checkout_files():
        target = clone / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((ROOT / name).read_bytes())
    (clone / "models").mkdir()
    (clone / "models" / trained_model.name).symlink_to(trained_model)
    assert not (clone / "run").exists()  # as after `git clone`
    return clone


def test_rasa_run_and_rasa_run_actions_keep_state_on_a_fresh_clone(fresh_clone):
    actions_port, rasa_port = free_port(), free_port()
    endpoints = fresh_clone / "endpoints.yml"
    config = yaml.safe_load(endpoints.read_text())
    config["action_endpoint"]["url"] = f"http://localhost:{actions_port}/webhook"
    endpoints.write_text(yaml.safe_dump(config))

    actions = spawn(
        [str(BIN / "rasa"), "run", "actions", "--port", str(actions_port)],
        fresh_clone / "actions.log",
        cwd=fresh_clone,
    )
    rasa = spawn(
        [str(BIN / "rasa"), "run", "--port", str(rasa_port)],
        fresh_clone / "rasa.log",
        cwd=fresh_clone,
    )
    try:
        wait_for_http(f"http://localhost:{actions_port}/health", 60, actions)
        wait_for_http(f"http://localhost:{rasa_port}/webhooks/rest/", 180, rasa)
        chat = Chat(f"http://localhost:{rasa_port}")
        first = chat.texts("what causes dystonia?")
        second = chat.texts("what are the symptoms of dystonia?")
    finally:
        terminate(rasa)
        terminate(actions)

    assert first == [answer_text("causes"), FULL_DISCLAIMER, ASK_HELPFUL]
    # The disclaimer slot was kept between the two messages, so the second gets the reminder.
    assert second == [answer_text("symptoms"), REMINDER, ASK_HELPFUL]
    with sqlite3.connect(fresh_clone / "run" / "tracker.db") as db:
        (kept,) = db.execute(
            "SELECT count(*) FROM events WHERE sender_id = ?", (chat.sender,)
        ).fetchone()
    assert kept > 0
    assert "InMemoryTrackerStore" not in (fresh_clone / "rasa.log").read_text()


def test_a_tracker_store_that_cannot_be_opened_stops_rasa_with_the_reason(fresh_clone, tmp_path):
    endpoints = yaml.safe_load((fresh_clone / "endpoints.yml").read_text())
    (tmp_path / "not-a-folder").write_text("a file where the database folder should be")
    endpoints["tracker_store"]["db"] = str(tmp_path / "not-a-folder" / "tracker.db")
    broken = tmp_path / "endpoints.yml"
    broken.write_text(yaml.safe_dump(endpoints))

    rasa = spawn(
        [str(BIN / "rasa"), "run", "--port", str(free_port()), "--endpoints", str(broken)],
        tmp_path / "rasa.log",
        cwd=fresh_clone,
    )
    try:
        returncode = rasa.wait(timeout=180)
    finally:
        terminate(rasa)

    output = (tmp_path / "rasa.log").read_text()
    assert returncode != 0
    assert "The conversation store in endpoints.yml" in output
    assert "not-a-folder" in output
