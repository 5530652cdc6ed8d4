"""The page's server (web/serve.py) and the socket.io channel's origin check, over plain HTTP."""

import asyncio
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from channels.socketio import RestrictedSocketIOInput
from serving.stack import free_port

ROOT = Path(__file__).resolve().parents[2]
BOT = "http://127.0.0.1:5999"


def fetch(url: str, method: str = "GET", headers: dict = None):
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def web():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "web/serve.py", "--port", str(port), "--bot-url", BOT],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        first_line = process.stdout.readline()
        yield f"http://127.0.0.1:{port}", first_line
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_server_prints_the_page_url(web):
    url, first_line = web
    assert f"{url}/" in first_line


def test_page_has_a_restrictive_content_security_policy(web):
    url, _ = web
    status, headers, body = fetch(url + "/")
    assert status == 200 and b"<html" in body
    assert headers["Content-Type"].startswith("text/html")
    csp = headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["connect-src"].split() == ["'self'", BOT, "ws://127.0.0.1:5999"]
    assert directives["default-src"] == "'self'"
    assert "*" not in csp and "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"


def test_config_tells_the_page_the_bot_url(web):
    url, _ = web
    status, headers, body = fetch(url + "/config.js")
    assert status == 200 and "javascript" in headers["Content-Type"]
    assert f'"botUrl": "{BOT}"'.encode() in body


def test_widget_bundle_is_served_locally_without_web_fonts(web):
    url, _ = web
    status, headers, body = fetch(url + "/vendor/rasa-webchat.js")
    assert status == 200 and "javascript" in headers["Content-Type"]
    assert len(body) > 100_000
    assert b"WebChat" in body
    assert b"fonts.googleapis.com" not in body


@pytest.mark.parametrize("path", [
    "/serve.py", "/package.json", "/package-lock.json", "/README.md",
    "/node_modules/rasa-webchat/lib/index.js", "/../credentials.yml", "/%2e%2e/credentials.yml",
    "/.gitignore", "/nothing-here.html",
])
def test_only_the_page_files_are_served(web, path):
    url, _ = web
    status, _, _ = fetch(url + path)
    assert status == 404


def test_other_methods_are_refused(web):
    url, _ = web
    status, headers, _ = fetch(url + "/", method="POST")
    assert status == 405
    assert headers["Allow"] == "GET, HEAD"


def test_bad_bot_url_is_refused():
    result = subprocess.run(
        [sys.executable, "web/serve.py", "--bot-url", "localhost:5005"],
        cwd=ROOT, capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 2 and "not an http(s) URL" in result.stderr


# -- the socket.io channel -------------------------------------------------------------------


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


def handshake(rasa_url: str, origin: str = None):
    headers = {"Origin": origin} if origin else {}
    return fetch(f"{rasa_url}/socket.io/?EIO=4&transport=polling", headers=headers)


def test_socketio_accepts_the_page_origin_with_one_cors_header(web_stack):
    page_origin = web_stack.web_url.rstrip("/")
    status, headers, body = handshake(web_stack.rasa_url, page_origin)
    assert status == 200 and b'"sid"' in body
    assert headers.get_all("Access-Control-Allow-Origin") == [page_origin]


def test_socketio_refuses_other_origins(web_stack):
    status, headers, _ = handshake(web_stack.rasa_url, "http://evil.example")
    assert status == 400
    assert headers.get_all("Access-Control-Allow-Origin") is None


class FakeServer:
    """Stands in for the channel's socketio.AsyncServer: records rooms joined and events sent."""

    def __init__(self, sio, coroutine_enter_room: bool):
        self.handlers = sio.handlers["/"]
        self.joined, self.emitted = [], []
        if coroutine_enter_room:  # python-socketio >= 5.10
            async def enter_room(sid, room, namespace=None):
                self.joined.append((sid, room))
        else:  # python-socketio 5.9
            def enter_room(sid, room, namespace=None):
                self.joined.append((sid, room))
        sio.enter_room = enter_room
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

    channel = RestrictedSocketIOInput(session_persistence=True,
                                      cors_allowed_origins=["http://localhost:8080"])
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
        ("hello", "abc123", "socketio")]


def test_new_or_implausible_session_ids_get_a_fresh_one():
    server, _ = channel_with_fake_server(coroutine_enter_room=True)
    server.call("session_request", "sid-1", None)
    server.call("session_request", "sid-2", {"session_id": "../../etc x"})
    new_ids = [data for _, data, _ in server.emitted]
    assert all(len(i) == 32 and i.isalnum() for i in new_ids) and new_ids[0] != new_ids[1]


@pytest.mark.parametrize("data", [
    "not an object", None, {"message": 42, "session_id": "abc"}, {"message": "hi"},
    {"message": "x" * 20_001, "session_id": "abc"}, {"message": "hi", "session_id": "bad id!"},
])
def test_malformed_messages_are_ignored(data):
    server, received = channel_with_fake_server(coroutine_enter_room=False)
    server.call("user_uttered", "sid-1", data)
    assert received == []
