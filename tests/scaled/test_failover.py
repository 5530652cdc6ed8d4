"""A replica crashing behind HAProxy: the others carry on, with the conversations."""

import threading
import time
from typing import List, Tuple

import pytest

from tests.scaled.conftest import haproxy_log
from tests.support.chat import FULL_DISCLAIMER, REMINDER, Chat

pytestmark = pytest.mark.scaled


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
