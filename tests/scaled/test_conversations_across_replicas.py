"""Replicas share conversations: any replica answers any turn, and they take turns on one."""

import asyncio
import json
import threading
from typing import Dict, List

import pytest
import requests
from websockets.client import connect

from tests.scaled.conftest import stored_events
from tests.support.chat import (
    ASK_HELPFUL,
    FULL_DISCLAIMER,
    REMINDER,
    Chat,
    answer_text,
    response_text,
)

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


# The widget's socket.io, through HAProxy: long polling stays on one replica, and websocket
# upgrades pass.
SOCKET_IO = "/socket.io/?EIO=4&transport="


def test_socketio_long_polling_through_haproxy_stays_on_one_replica(scaled):
    origin = {"Origin": scaled.web_origins[0]}
    opened = requests.get(scaled.rasa_url + SOCKET_IO + "polling", headers=origin, timeout=10)
    sid = json.loads(opened.text[1:])["sid"]
    url = f"{scaled.rasa_url}{SOCKET_IO}polling&sid={sid}"
    # Each request on a connection of its own, as a browser may send them: with round robin
    # every other one reaches the replica that does not know this session ("Invalid session").
    polled = []
    for packet in ["40", '42["session_request",' + json.dumps({"session_id": sid}) + "]"]:
        sent = requests.post(url, data=packet, headers=origin, timeout=10)
        assert sent.status_code == 200, sent.text
        polled.append(requests.get(url, headers=origin, timeout=10))
        assert polled[-1].status_code == 200, polled[-1].text
    assert "session_confirm" in polled[-1].text


def test_socketio_websocket_through_haproxy(scaled):
    async def chat() -> str:
        url = scaled.rasa_url.replace("http", "ws") + SOCKET_IO + "websocket"
        async with connect(url, origin=scaled.web_origins[0]) as socket:
            await socket.recv()  # engine.io open
            await socket.send("40")
            await socket.recv()  # socket.io connect
            await socket.send('42["session_request",{"session_id":"websocket-test"}]')
            await socket.recv()  # session_confirm
            await socket.send(
                '42["user_uttered",{"message":"hello","session_id":"websocket-test"}]'
            )
            reply = ""
            while "bot_uttered" not in reply:  # skipping engine.io pings
                reply = str(await asyncio.wait_for(socket.recv(), 30))
            return reply

    reply = asyncio.run(chat())
    assert json.loads(reply[2:])[1]["text"] == response_text("utter_greet")
