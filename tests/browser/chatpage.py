"""Drives the chat page in a real browser: opens the widget, sends messages, reads replies.

Also records every request the page makes and every console error, so that a test can check
that the page talks to no other host than its own and the bot's.
"""

from typing import Iterable, List, Set
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import ConsoleMessage, Page, Request, WebSocket

REPLY_TIMEOUT_MS = 45_000  # the first reply of a fresh Rasa server can take a few seconds
PAGE_TIMEOUT_MS = 20_000

# Bot bubbles, not the "typing" indicator (which the widget also draws as a response).
BOT_MESSAGES = ".rw-message:not(.rw-typing-indication) .rw-response"
USER_MESSAGES = ".rw-client"
INPUT = ".rw-new-message"
LAUNCHER = ".rw-launcher"
REPLY_BUTTONS = ".rw-reply"
EMERGENCY = "Call your local emergency number now"
DISCLAIMER = "not medical advice"


def origin(url: str) -> str:
    parts = urlsplit(url)
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    return f"{scheme}://{parts.netloc}"


class ChatPage:
    def __init__(self, page: Page, web_url: str, rasa_url: str) -> None:
        self.page = page
        self.web_url = web_url
        self.allowed_origins = {origin(web_url), origin(rasa_url)}
        self.requests: List[str] = []
        self.console_errors: List[str] = []
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        page.on("request", self._on_request)
        page.on("websocket", self._on_websocket)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"page error: {error}"))

    # -- recording ---------------------------------------------------------------------------

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _on_websocket(self, websocket: WebSocket) -> None:
        self.requests.append(websocket.url)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            # "Failed to load resource" names its URL only in the message's location.
            url = (message.location or {}).get("url", "")
            self.console_errors.append(f"console error: {message.text} ({url})")

    def foreign_requests(self) -> List[str]:
        return [
            url
            for url in self.requests
            if not url.startswith(("data:", "blob:")) and origin(url) not in self.allowed_origins
        ]

    def abandoned_socket_sessions(self) -> Set[str]:
        """The engine.io session ids (`sid`) of the page's earlier socket.io connections: all
        but the last one used, which is the connection in use."""
        queries = (parse_qs(urlsplit(url).query) for url in self.requests)
        used = list(dict.fromkeys(sid for query in queries for sid in query.get("sid", [])))
        return set(used[:-1])

    def assert_clean(self, ignoring_sessions: Iterable[str] = ()) -> None:
        """No console error and no request to another host. Errors about the socket.io sessions
        `ignoring_sessions` (a page that has since been left) do not count."""
        ignored = tuple(ignoring_sessions)
        errors = [e for e in self.console_errors if not any(f"sid={s}" in e for s in ignored)]
        assert errors == [], "\n".join(errors)
        assert self.foreign_requests() == [], f"requests to other hosts: {self.foreign_requests()}"

    # -- the widget ----------------------------------------------------------------------------

    def goto(self) -> None:
        self.page.goto(self.web_url)
        self.page.wait_for_selector(LAUNCHER, state="visible")

    def is_open(self) -> bool:
        return self.page.locator(".rw-conversation-container").count() > 0

    def open(self) -> None:
        """Loads the page, opens the widget and waits for the greeting with its buttons."""
        self.goto()
        if not self.is_open():
            self.page.click(LAUNCHER)
        self.wait_for_bot_message(containing="", after=0)
        self.page.wait_for_selector(REPLY_BUTTONS, state="visible", timeout=REPLY_TIMEOUT_MS)

    def bot_messages(self) -> List[str]:
        return self.page.eval_on_selector_all(
            BOT_MESSAGES, "els => els.map(e => e.innerText.trim())"
        )

    def user_messages(self) -> List[str]:
        return self.page.eval_on_selector_all(
            USER_MESSAGES, "els => els.map(e => e.innerText.trim())"
        )

    def wait_for_bot_message(
        self, containing: str, after: int, timeout: int = REPLY_TIMEOUT_MS
    ) -> str:
        """Waits for a bot message, among those after the first `after`, containing the text
        (case-insensitive); returns it."""
        handle = self.page.wait_for_function(
            """([selector, after, text]) => {
                const found = Array.from(document.querySelectorAll(selector)).slice(after)
                    .map(e => e.innerText.trim())
                    .find(t => t.toLowerCase().includes(text.toLowerCase()));
                return found === undefined ? false : found;
            }""",
            arg=[BOT_MESSAGES, after, containing],
            timeout=timeout,
        )
        return handle.json_value()

    def wait_until_quiet(self, quiet_ms: int = 1500, timeout: int = REPLY_TIMEOUT_MS) -> None:
        """Waits until no new bot message has appeared, and none is being typed, for a while."""
        self.page.wait_for_function(
            """([selector, quietMs]) => {
                const count = document.querySelectorAll(selector).length;
                const typing = document.querySelector('.rw-typing-indication') !== null;
                const now = Date.now();
                if (window.__dyCount !== count || typing) {
                    window.__dyCount = count; window.__dySince = now; return false;
                }
                return now - window.__dySince >= quietMs;
            }""",
            arg=[BOT_MESSAGES, quiet_ms],
            polling=250,
            timeout=timeout,
        )

    def send(self, text: str) -> None:
        box = self.page.locator(INPUT)
        box.wait_for(state="visible")
        self.page.wait_for_function(f"() => !document.querySelector('{INPUT}').disabled")
        box.fill(text)
        box.press("Enter")
        self.page.wait_for_function(
            "([selector, text]) => Array.from(document.querySelectorAll(selector))"
            ".some(e => e.innerText.trim() === text)",
            arg=[USER_MESSAGES, text],
        )

    def ask(self, text: str, expect: str) -> str:
        """Sends `text`; returns the first new bot message containing `expect`."""
        before = len(self.bot_messages())
        self.send(text)
        return self.wait_for_bot_message(containing=expect, after=before)

    def click_reply(self, title: str) -> None:
        self.page.locator(REPLY_BUTTONS, has_text=title).first.click()

    def session_id(self) -> str:
        return self.page.evaluate(
            """() => {
                const raw = window.localStorage.getItem('chat_session');
                return raw ? JSON.parse(raw).session_id : null;
            }"""
        )
