"""The chat page's widget in Chromium, through HAProxy to two Rasa replicas.

socket.io opens with long polling and then upgrades to a websocket. Both must work through the
load balancer: polling requests of one session must reach the replica that holds it (sticky
sessions), or the session is unknown there. The second test refuses the websocket in the
browser, so the whole conversation runs over polling, as behind a proxy without websockets.
"""

import re
from typing import Iterator

import pytest

from tests.browser.chatpage import ChatPage
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT

SOCKET_IO_WEBSOCKET = re.compile(r".*/socket\.io/.*transport=websocket.*")


# Module scope: Playwright's sync API runs an event loop in this thread while it is open.
@pytest.fixture(scope="module")
def browser() -> Iterator["object"]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    yield context.new_page()
    context.close()


def converse(chat: ChatPage) -> None:
    """Opens the widget and has a three-turn conversation through the load balancer."""
    chat.open()
    chat.ask("what causes dystonia?", expect="basal ganglia")
    chat.ask("is cbd safe?", expect="adverse effects")
    chat.ask("tell me more", expect="")


def session_requests(chat: ChatPage, transport: str) -> list:
    """The socket.io requests of an established session (with its sid) over `transport`."""
    return [url for url in chat.requests if f"transport={transport}" in url and "sid=" in url]


def test_the_widget_works_through_haproxy_over_websocket(scaled, page):
    chat = ChatPage(page, scaled.web_url, scaled.rasa_url)
    converse(chat)
    assert session_requests(chat, "websocket"), chat.requests
    chat.assert_clean()


def test_the_widget_works_through_haproxy_over_long_polling_alone(scaled, page):
    page.route_web_socket(SOCKET_IO_WEBSOCKET, lambda websocket: websocket.close())
    chat = ChatPage(page, scaled.web_url, scaled.rasa_url)
    converse(chat)
    # Every turn went over polling requests of one session, each answered by its replica.
    assert len(session_requests(chat, "polling")) >= 6, chat.requests
    assert chat.foreign_requests() == []
