"""Bad input over the REST channel: no 5xx, no crash, no lost conversation."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.support.chat import DISCLAIMERS, Chat, answer_text


@pytest.fixture
def chat(stack):
    return Chat(stack.rasa_url)


def assert_still_answers(chat):
    """The same conversation still gets a proper answer afterwards."""
    texts = chat.texts("what is dystonia")
    assert texts[0] == answer_text("define_dystonia") and texts[1] in DISCLAIMERS


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   \n\t ",
        "dystonia " * 1111,  # about 10,000 characters
        "😣😣 my neck 🤕 what is dystonia?",
        "ما هو خلل التوتر العضلي؟",  # right-to-left
        "what\u200b is\u200d dys\u200ctonia\u2060?",  # zero-width characters
        "\u202eaitnotsyd si tahw",  # right-to-left override
        "Z̷̢̛a̸͎̓l̶̰̈g̵̱̈́o̴̝͝ text",
    ],
    ids=["empty", "whitespace", "10k-chars", "emoji", "rtl", "zero-width", "rtl-override", "zalgo"],
)
def test_odd_messages_get_a_reply_and_the_conversation_goes_on(chat, message):
    response = chat.send(message)
    assert response.status_code == 200
    assert isinstance(response.json(), list)
    assert_still_answers(chat)


@pytest.mark.parametrize(
    "message",
    ["<script>alert('x')</script> what is dystonia", "<img src=x onerror=alert(1)>", "<b>hi</b>"],
)
def test_markup_is_never_echoed_back(chat, message):
    response = chat.send(message)
    assert response.status_code == 200
    body = response.text.lower()
    assert (
        "<script" not in body and "onerror" not in body and "<img" not in body and "<b>" not in body
    )


def test_a_1mb_body_is_refused_cleanly(stack, chat):
    response = chat.send("a" * 1_000_000)
    assert response.status_code == 413
    assert_still_answers(chat)


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b'{"sender": "x", "message": ', "application/json"),
        (b"not json at all", "application/json"),
        (b"sender=x&message=hello", "application/x-www-form-urlencoded"),
        (b"hello", "text/plain"),
        (b"[1, 2, 3]", "application/json"),
        (b'{"sender": "x"}', "application/json"),
        (b'{"sender": "x", "message": 42}', "application/json"),
    ],
    ids=["truncated-json", "not-json", "form", "text", "json-list", "no-message", "number-message"],
)
def test_malformed_requests_get_a_clean_4xx(stack, body, content_type):
    response = requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": content_type},
        timeout=30,
    )
    assert 400 <= response.status_code < 500
    assert requests.get(f"{stack.rasa_url}/webhooks/rest/", timeout=10).status_code == 200


@pytest.mark.parametrize(
    "sender",
    [
        "../../etc/passwd",
        "'; DROP TABLE events; --",
        "ünïcødé-👩‍⚕️",
        "a" * 500,
        "with space\nand newline",
    ],
)
def test_odd_sender_ids_keep_their_conversation(stack, sender):
    chat = Chat(stack.rasa_url, sender=sender)
    chat.say("what is dystonia")
    texts = chat.texts("what's the evidence?")
    assert "neurological movement disorder" in texts[0]  # it remembered the previous answer


def test_twenty_conversations_at_once(stack):
    chats = [Chat(stack.rasa_url) for _ in range(20)]

    def converse(chat):
        first = chat.texts("what causes dystonia")
        second = chat.texts("tell me more")
        return first, second

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(converse, chats))
    for first, second in results:
        assert first[0] == answer_text("causes") and first[1] in DISCLAIMERS
        assert "Parkinson" in second[0]
