"""Faults behind HAProxy: PostgreSQL restarting, and a replica crashing."""

import threading
import time
from typing import List, Tuple

import pytest

from tests.scaled.conftest import haproxy_log
from tests.support.chat import DISCLAIMERS, FULL_DISCLAIMER, REMINDER, Chat, answer_text

pytestmark = pytest.mark.scaled


def test_a_postgresql_restart_gives_safe_replies_and_the_conversation_continues(scaled):
    chat = Chat(scaled.rasa_url)
    assert chat.texts("what is dystonia")[1] == FULL_DISCLAIMER
    assert chat.texts("is cbd safe")[1] == REMINDER
    scaled.postgres.stop()
    try:
        # Rasa's FailSafeTrackerStore answers from an empty in-memory conversation meanwhile
        # (not kept): a full answer, never one without its disclaimer.
        texts = chat.texts("what causes dystonia")
        assert texts[0] == answer_text("causes")
        assert texts[1] in DISCLAIMERS
    finally:
        scaled.postgres.start()
    texts = chat.texts("what's the evidence?")  # the stored conversation, from before
    assert "[R3] U.S. Food and Drug Administration" in texts[0]
    assert texts[1] == REMINDER


def test_haproxy_moves_conversations_to_the_survivor_when_a_replica_is_killed(scaled):
    chat = Chat(scaled.rasa_url)
    assert chat.texts("what is dystonia")[1] == FULL_DISCLAIMER

    # Other people keep chatting through HAProxy meanwhile.
    results: List[Tuple[float, bool]] = []
    stop = threading.Event()

    def traffic() -> None:
        while not stop.is_set():
            try:
                ok = Chat(scaled.rasa_url).send("hello", timeout=30).status_code == 200
            except OSError:
                ok = False
            results.append((time.monotonic(), ok))

    thread = threading.Thread(target=traffic)
    thread.start()
    try:
        time.sleep(1)
        killed = time.monotonic()
        scaled.kill_replica(1)
        deadline = killed + 10
        while "replica1 is DOWN" not in haproxy_log(scaled):
            assert time.monotonic() < deadline, "HAProxy did not notice the dead replica"
            time.sleep(0.2)
        noticed = time.monotonic() - killed
        texts = chat.texts("is cbd safe")  # on the survivor, with the conversation's slots
        time.sleep(1)
    finally:
        stop.set()
        thread.join(timeout=60)

    assert noticed < 5
    assert texts[1] == REMINDER
    failed_after = [at - killed for at, ok in results if not ok]
    assert results and all(seconds < 5 for seconds in failed_after), failed_after
    assert any(ok and at > killed + noticed for at, ok in results)
