"""Fixtures for the browser tests: Debian's Chromium driven by Playwright, against the stack.

The stack (action server, Rasa, web page) is the session-wide `stack` fixture from
tests/conftest.py. To run these tests against servers that are already running (for example
`make run`), set BROWSER_TEST_WEB_URL and BROWSER_TEST_RASA_URL.
"""

import os
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 900}


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the web page in Chromium (tests/browser)")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def web_stack(request):
    """Where the page and the bot are: the test stack, or servers given by the environment."""
    web_url = os.environ.get("BROWSER_TEST_WEB_URL")
    rasa_url = os.environ.get("BROWSER_TEST_RASA_URL")
    if web_url and rasa_url:
        return SimpleNamespace(web_url=web_url, rasa_url=rasa_url.rstrip("/"))
    return request.getfixturevalue("stack")


# Package scope: Playwright's sync API keeps an event loop running in this thread while it is
# open, so it closes when the browser tests end and other tests can use asyncio.run.
@pytest.fixture(scope="package")
def browser() -> Iterator["object"]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "The browser tests need Playwright: pip install -r requirements-browser.txt",
            pytrace=False,
        )
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM} (apt-get install chromium)",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_chat(browser, web_stack):
    """Makes a ChatPage in a fresh browser context (no stored conversation)."""
    from tests.browser.chatpage import ChatPage

    contexts = []

    def make(**context_options):
        context = browser.new_context(viewport=VIEWPORT, locale="en-US", **context_options)
        contexts.append(context)
        return ChatPage(context.new_page(), web_stack.web_url, web_stack.rasa_url)

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def chat(new_chat):
    return new_chat()
