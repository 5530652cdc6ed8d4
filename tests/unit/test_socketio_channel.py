"""The socket.io channel (channels/socketio.py) with a stand-in server: no network."""

import asyncio
from pathlib import Path
from typing import Any, List, Tuple

import pytest
import yaml

from channels.socketio import MAX_PACKET_BYTES, RestrictedSocketIOInput

ROOT = Path(__file__).resolve().parents[2]


def test_credentials_configure_the_restricted_socketio_channel():
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text())
    assert "channels.rest.ValidatedRestInput" in credentials
    settings = credentials["channels.socketio.RestrictedSocketIOInput"]
    assert settings["session_persistence"] is True
    assert settings["user_message_evt"] == "user_uttered"
    assert settings["bot_message_evt"] == "bot_uttered"
    channel = RestrictedSocketIOInput.from_credentials(settings)
    assert channel.cors_allowed_origins == settings["cors_allowed_origins"]
    assert channel.cors_allowed_origins and "*" not in channel.cors_allowed_origins


def test_a_wildcard_origin_is_refused():
    with pytest.raises(ValueError):
        RestrictedSocketIOInput.from_credentials({"cors_allowed_origins": ["*"]})
    with pytest.raises(ValueError):
        RestrictedSocketIOInput.from_credentials({"cors_allowed_origins": "*"})


class FakeServer:
    """Stands in for the channel's socketio.AsyncServer: records rooms joined and events sent."""

    def __init__(self, sio, coroutine_enter_room: bool):
        self.handlers = sio.handlers["/"]
        self.joined: List[Tuple[str, str]] = []
        self.emitted: List[Tuple[str, Any, Any]] = []

        def enter_room(sid, room, namespace=None):
            self.joined.append((sid, room))

        async def enter_room_coroutine(sid, room, namespace=None):
            enter_room(sid, room)

        # python-socketio 5.10+ made enter_room a coroutine; 5.9 has a plain method.
        sio.enter_room = enter_room_coroutine if coroutine_enter_room else enter_room
        sio.rooms = lambda sid, namespace=None: [sid] + [r for s, r in self.joined if s == sid]

        async def emit(event, data=None, **kwargs):
            self.emitted.append((event, data, kwargs.get("room")))

        sio.emit = emit

    def call(self, event, *args):
        return asyncio.run(self.handlers[event](*args))


def channel_with_fake_server(coroutine_enter_room: bool):
    received = []

    async def on_new_message(message):
        received.append(message)

    channel = RestrictedSocketIOInput.from_credentials(
        {"session_persistence": True, "cors_allowed_origins": ["http://localhost:8080"]}
    )
    channel.blueprint(on_new_message)
    return FakeServer(channel.sio, coroutine_enter_room), received


@pytest.mark.parametrize("coroutine_enter_room", [False, True])
def test_session_request_joins_the_session_room_on_any_socketio_version(coroutine_enter_room):
    server, received = channel_with_fake_server(coroutine_enter_room)
    server.call("session_request", "sid-1", {"session_id": "abc123"})
    assert server.joined == [("sid-1", "abc123")]
    assert server.emitted == [("session_confirm", "abc123", "sid-1")]

    server.call("user_uttered", "sid-1", {"message": "hello", "session_id": "abc123"})
    assert [(m.text, m.sender_id, m.input_channel) for m in received] == [
        ("hello", "abc123", "socketio")
    ]


def test_new_or_implausible_session_ids_get_a_fresh_one():
    server, _ = channel_with_fake_server(coroutine_enter_room=True)
    server.call("session_request", "sid-1", None)
    server.call("session_request", "sid-2", {"session_id": "../../etc x"})
    new_ids = [data for _, data, _ in server.emitted]
    assert all(len(i) == 32 and i.isalnum() for i in new_ids) and new_ids[0] != new_ids[1]


@pytest.mark.parametrize(
    "data",
    [
        "not an object",
        None,
        {"message": 42, "session_id": "abc"},
        {"message": "hi"},
        {"message": "hi", "session_id": "bad id!"},
        {"message": ["hi"], "session_id": "abc"},
    ],
)
def test_malformed_messages_are_ignored(data):
    server, received = channel_with_fake_server(coroutine_enter_room=False)
    server.call("user_uttered", "sid-1", data)
    assert received == []


def test_the_origin_list_and_the_size_limit_reach_socketio():
    channel = RestrictedSocketIOInput.from_credentials(
        {"cors_allowed_origins": ["http://localhost:8080/"]}
    )
    channel.blueprint(lambda message: None)
    assert channel.sio.eio.cors_allowed_origins == ["http://localhost:8080"]
    assert channel.sio.eio.max_http_buffer_size == MAX_PACKET_BYTES


def test_no_origins_means_no_browser_origin_rather_than_no_check():
    channel = RestrictedSocketIOInput.from_credentials({})
    channel.blueprint(lambda message: None)
    assert channel.sio.eio.cors_allowed_origins not in ([], None, "*")


def test_metadata_sent_as_json_text_or_garbage_reaches_rasa_as_a_dict():
    server, received = channel_with_fake_server(coroutine_enter_room=False)
    server.call("session_request", "sid-1", {"session_id": "abc"})
    for metadata in ['{"page": "faq"}', "not json", 42]:
        server.call(
            "user_uttered", "sid-1", {"message": "hi", "session_id": "abc", "metadata": metadata}
        )
    assert [m.metadata for m in received] == [{"page": "faq"}, {}, {}]
