"""The chat widget on the web page, in Chromium, talking to the real Rasa server over socket.io."""

import json
from pathlib import Path

from actions.knowledge import knowledge
from insights.store import engine_from_settings, read_events
from tests.browser.chatpage import (
    BOT_MESSAGES,
    DISCLAIMER,
    EMERGENCY,
    INPUT,
    LAUNCHER,
    REPLY_BUTTONS,
    REPLY_TIMEOUT_MS,
)

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT = ROOT / "docs" / "widget-conversation.png"
FEEDBACK = knowledge().feedback


def test_page_is_a_patient_information_page_with_the_safety_notes(chat):
    chat.goto()
    page = chat.page
    assert "Dystonia" in page.title()
    assert page.locator("h1").inner_text().strip()
    text = page.inner_text("body")
    assert "not medical advice" in text
    for number in ("911", "112", "999"):
        assert number in text
    assert "Kalapa Clinic" in text  # the article's claims are attributed to it
    chat.assert_clean()


def test_widget_opens_with_title_note_greeting_and_suggested_questions(chat):
    chat.open()
    header = chat.page.inner_text(".rw-header")
    assert "Dystonia information assistant" in header
    assert "Automated assistant" in header and "not medical advice" in header
    greeting = chat.bot_messages()[0]
    assert greeting.startswith("Hello")
    assert len(chat.page.locator(REPLY_BUTTONS).all()) >= 2
    # The greeting came from initPayload "/greet", not from a message shown as the user's.
    assert chat.user_messages() == []
    chat.assert_clean()


def test_suggested_question_button_gets_its_answer_with_the_disclaimer(chat):
    chat.open()
    before = len(chat.bot_messages())
    chat.click_reply("What is dystonia?")
    assert "What is dystonia?" in chat.user_messages()
    answer = chat.wait_for_bot_message("movement disorder", after=before)
    assert answer
    chat.wait_for_bot_message(DISCLAIMER, after=before)
    chat.assert_clean()


def test_typed_question_gets_an_answer(chat):
    chat.open()
    answer = chat.ask("what causes dystonia?", expect="basal ganglia")
    assert "unknown" in answer.lower() or "basal ganglia" in answer.lower()
    chat.assert_clean()


def test_emergency_reply_comes_first_in_bold_and_stands_out(chat):
    chat.open()
    before = len(chat.bot_messages())
    chat.send("my throat is closing and I can't breathe")
    chat.wait_for_bot_message(EMERGENCY, after=before)

    first = chat.bot_messages()[before]
    assert first.startswith(EMERGENCY), f"first reply to an emergency was: {first!r}"

    message = chat.page.locator(BOT_MESSAGES).nth(before)
    strong = message.locator("strong").first
    assert strong.inner_text().strip().startswith(EMERGENCY)
    weight = strong.evaluate("e => parseInt(getComputedStyle(e).fontWeight, 10)")
    assert weight >= 700

    # Visibly different from an ordinary reply: its own colours and a frame.
    styles = chat.page.evaluate(
        """([selector, index]) => {
            const all = document.querySelectorAll(selector);
            const style = e => { const s = getComputedStyle(e);
                return {bg: s.backgroundColor, border: s.borderLeftWidth,
                        color: s.borderLeftColor}; };
            return {greeting: style(all[0]), emergency: style(all[index]),
                    marked: all[index].closest('.rw-message').classList.contains('dy-emergency')};
        }""",
        [BOT_MESSAGES, before],
    )
    assert styles["marked"]
    # Screen readers hear it at once (an assertive live region outside the widget).
    chat.page.wait_for_function(
        "t => document.getElementById('chat-announcer').textContent.startsWith(t)", arg=EMERGENCY
    )
    assert styles["emergency"]["bg"] != styles["greeting"]["bg"]
    assert float(styles["emergency"]["border"].rstrip("px")) >= 4
    chat.assert_clean()


def test_conversation_survives_a_page_reload(chat):
    chat.open()
    chat.click_reply("What is dystonia?")
    chat.wait_for_bot_message(DISCLAIMER, after=1)
    chat.wait_until_quiet()
    bot_before, user_before = chat.bot_messages(), chat.user_messages()
    session = chat.session_id()
    assert session

    chat.page.reload()
    chat.page.wait_for_selector(LAUNCHER, state="visible")
    if not chat.is_open():
        chat.page.click(LAUNCHER)
    chat.page.wait_for_function(
        "([selector, n]) => document.querySelectorAll(selector).length >= n",
        arg=[BOT_MESSAGES, len(bot_before)],
    )
    assert chat.bot_messages()[: len(bot_before)] == bot_before
    assert chat.user_messages() == user_before
    assert chat.session_id() == session

    # The same session goes on: the bot answers, and does not greet again.
    chat.ask("what causes dystonia?", expect="basal ganglia")
    assert sum(m.startswith("Hello!") for m in chat.bot_messages()) == 1
    chat.assert_clean()


def test_no_console_errors_and_no_requests_to_other_hosts(chat):
    chat.open()
    chat.click_reply("What is dystonia?")
    chat.wait_for_bot_message(DISCLAIMER, after=1)
    chat.ask("what causes dystonia?", expect="basal ganglia")
    chat.page.reload()
    chat.page.wait_for_selector(BOT_MESSAGES)
    chat.wait_until_quiet()
    assert any(url.startswith(chat.web_url) for url in chat.requests)
    assert any("/socket.io/" in url for url in chat.requests)
    chat.assert_clean()


def test_widget_has_no_serious_accessibility_violations(new_chat):
    # The page's CSP allows only its own scripts; the test's axe-core script is let through.
    chat = new_chat(bypass_csp=True)
    chat.open()
    chat.wait_until_quiet()
    chat.page.add_script_tag(path=str(AXE))
    results = chat.page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], "\n".join(serious)


def test_keyboard_only_open_the_widget_use_a_button_and_send_a_message(chat):
    chat.goto()
    page = chat.page

    def focused(selector: str) -> bool:
        return page.evaluate(
            "s => !!document.activeElement && document.activeElement.matches(s)", selector
        )

    for _ in range(120):  # Tab through the page to the chat launcher
        if focused(LAUNCHER):
            break
        page.keyboard.press("Tab")
    assert focused(LAUNCHER), "the chat launcher cannot be reached with Tab"
    page.keyboard.press("Enter")
    chat.wait_for_bot_message("", after=0)
    page.wait_for_selector(REPLY_BUTTONS, state="visible", timeout=REPLY_TIMEOUT_MS)

    for _ in range(20):  # to the text box
        if focused(INPUT):
            break
        page.keyboard.press("Tab")
    assert focused(INPUT), "the message box cannot be reached with Tab"

    # A suggested question, by keyboard: back from the text box to the last button.
    for _ in range(10):
        if focused(REPLY_BUTTONS):
            break
        page.keyboard.press("Shift+Tab")
    assert focused(REPLY_BUTTONS), "the suggested questions cannot be reached with Tab"
    title = page.evaluate("() => document.activeElement.innerText.trim()")
    before = len(chat.bot_messages())
    page.keyboard.press("Enter")
    page.wait_for_function(
        "([s, t]) => Array.from(document.querySelectorAll(s)).some(e => e.innerText.trim() === t)",
        arg=[".rw-client", title],
    )
    chat.wait_for_bot_message(DISCLAIMER, after=before)
    chat.wait_until_quiet()

    for _ in range(30):
        if focused(INPUT):
            break
        page.keyboard.press("Tab")
    assert focused(INPUT)
    before = len(chat.bot_messages())
    page.keyboard.type("what causes dystonia?")
    page.keyboard.press("Enter")
    chat.wait_for_bot_message("basal ganglia", after=before)
    assert "what causes dystonia?" in chat.user_messages()
    chat.assert_clean()


def test_screenshot_of_a_conversation(new_chat):
    """Writes docs/widget-conversation.png (the README shows it); overwritten on each run."""
    chat = new_chat()
    chat.page.set_viewport_size({"width": 1280, "height": 860})
    chat.open()
    chat.click_reply("What is dystonia?")
    chat.wait_for_bot_message(DISCLAIMER, after=1)
    chat.wait_until_quiet()
    chat.ask("what causes dystonia?", expect="basal ganglia")
    chat.wait_until_quiet()
    chat.page.evaluate("() => document.activeElement && document.activeElement.blur()")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    chat.page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000
    chat.assert_clean()


def test_clear_the_conversation_starts_afresh(chat):
    chat.open()
    chat.ask("what causes dystonia?", expect="basal ganglia")
    chat.wait_until_quiet()
    session = chat.session_id()
    chat.assert_clean()
    with chat.page.expect_navigation():
        chat.page.click("#clear-chat")
    chat.open()  # a new greeting in a new session
    assert chat.session_id() != session
    assert chat.user_messages() == []
    assert len([m for m in chat.bot_messages() if "basal ganglia" in m]) == 0
    # Around the reload the widget may start a connection and drop it while socket.io is still
    # upgrading it to a websocket, which the server then refuses (400). Only errors about the
    # connection in use count.
    chat.assert_clean(ignoring_sessions=chat.abandoned_socket_sessions())


def test_feedback_buttons_follow_an_answer_and_a_click_is_recorded(chat, web_stack):
    chat.open()
    chat.ask("what causes dystonia?", expect="basal ganglia")
    before = len(chat.bot_messages())
    chat.wait_for_bot_message(FEEDBACK.question, after=before - 3)
    chat.wait_until_quiet()
    assert chat.page.locator(REPLY_BUTTONS, has_text="No").count() == 1
    chat.click_reply("Yes")
    chat.wait_for_bot_message(FEEDBACK.thanks, after=before)
    tracker_db = getattr(web_stack, "tracker_db", None)  # the stack the tests started
    if tracker_db is not None:
        # Read with SQLAlchemy: Playwright's event loop is running in this thread.
        engine = engine_from_settings({"dialect": "sqlite", "db": str(tracker_db)})
        ratings = [
            json.loads(row.data or "{}").get("value")
            for row in read_events(engine)
            if row.sender_id == chat.session_id() and row.action_name == "feedback"
        ]
        assert ratings == [{"answer": "causes", "helpful": True}]
    chat.assert_clean()


def test_page_shows_when_the_content_was_last_reviewed(chat):
    chat.goto()
    line = chat.page.locator("#last-reviewed")
    line.wait_for(state="visible")
    reviewed = knowledge().last_reviewed
    assert line.locator("time").get_attribute("datetime") == reviewed.isoformat()
    assert f"{reviewed.day} {reviewed:%B %Y}" in line.inner_text()
    chat.assert_clean()
