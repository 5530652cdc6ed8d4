"""The page's server (web/serve.py) and the socket.io channel's checks, over plain HTTP."""

import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Optional

import pytest

from actions.knowledge import knowledge
from serving.stack import free_port

ROOT = Path(__file__).resolve().parents[2]
BOT = "http://127.0.0.1:5999"


def fetch(url: str, method: str = "GET", headers: Optional[dict] = None):
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
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
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
    # When the answers were last reviewed, from knowledge/answers.yml: the page shows it.
    assert f'"lastReviewed": "{knowledge().last_reviewed.isoformat()}"'.encode() in body


def test_widget_bundle_is_served_locally_without_web_fonts(web):
    url, _ = web
    status, headers, body = fetch(url + "/vendor/rasa-webchat.js")
    assert status == 200 and "javascript" in headers["Content-Type"]
    assert len(body) > 100_000
    assert b"WebChat" in body
    assert b"fonts.googleapis.com" not in body


@pytest.mark.parametrize(
    "path",
    [
        "/serve.py",
        "/package.json",
        "/package-lock.json",
        "/README.md",
        "/node_modules/rasa-webchat/lib/index.js",
        "/../credentials.yml",
        "/%2e%2e/credentials.yml",
        "/.gitignore",
        "/nothing-here.html",
    ],
)
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
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and "not an http(s) URL" in result.stderr


# -- the socket.io channel -------------------------------------------------------------------


def handshake(rasa_url: str, origin: Optional[str] = None):
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
