"""Replicas share conversations: any replica answers any turn, and they take turns on one."""

import threading
from typing import Dict, List

import pytest

from tests.scaled.conftest import stored_events
from tests.support.chat import ASK_HELPFUL, FULL_DISCLAIMER, REMINDER, Chat, answer_text

pytestmark = pytest.mark.scaled


def test_a_conversation_moves_between_replicas_with_its_slots_and_history(scaled):
    first, second = Chat(scaled.replica_url(1)), Chat(scaled.replica_url(2))
    second.sender = first.sender

    texts = first.texts("what is dystonia")
    assert texts[0] == answer_text("define_dystonia")
    assert texts[1:] == [FULL_DISCLAIMER, ASK_HELPFUL]

    texts = second.texts("is cbd safe")  # the other replica knows the disclaimer was shown
    assert texts[1:] == [REMINDER, ASK_HELPFUL]

    texts = first.texts("what's the evidence?")  # and which answer came last
    assert "[R3] U.S. Food and Drug Administration" in texts[0]
    assert texts[1] == REMINDER


MESSAGES = [
    "what is dystonia",
    "hello",
    "what causes dystonia",
    "is cbd safe",
    "what are the symptoms of dystonia?",
    "thanks",
    "how is dystonia treated",
    "is dystonia genetic",
]


def test_messages_sent_at_once_to_both_replicas_are_handled_one_at_a_time(scaled):
    """Without the Redis lock both replicas would read the same tracker and each save its own
    continuation of it: events lost, duplicated or interleaved."""
    chats = [Chat(scaled.replica_url(1)), Chat(scaled.replica_url(2))]
    chats[1].sender = chats[0].sender
    replies: Dict[str, List[str]] = {}
    failures: List[BaseException] = []
    barrier = threading.Barrier(len(MESSAGES))

    def send(number: int, text: str) -> None:
        try:
            barrier.wait()
            replies[text] = chats[number % 2].texts(text)
        except BaseException as failure:  # reported below, in the test's thread
            failures.append(failure)

    threads = [threading.Thread(target=send, args=item) for item in enumerate(MESSAGES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures
    assert sorted(replies) == sorted(MESSAGES)

    events = stored_events(scaled, chats[0].sender)
    users = [i for i, event in enumerate(events) if event["event"] == "user"]
    assert sorted(events[i]["text"] for i in users) == sorted(MESSAGES)  # once each
    for start, end in zip(users, [*users[1:], len(events)], strict=True):
        turn = events[start + 1 : end]
        # Each message's replies come right after it, before the next message, and are the
        # ones its sender got back.
        bot_texts = [event.get("text") or "" for event in turn if event["event"] == "bot"]
        assert bot_texts == replies[events[start]["text"]], events[start]["text"]
        assert turn[-1] == {**turn[-1], "event": "action", "name": "action_listen"}
