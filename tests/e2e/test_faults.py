"""Faults: the action server going down or answering nonsense, and Rasa killed mid-conversation."""

import http.server
import json
import threading

import pytest

from tests.support.chat import DISCLAIMERS, REMINDER, Chat, answer_text, response_text


@pytest.fixture
def chat(stack):
    return Chat(stack.rasa_url)


@pytest.fixture
def actions_down(stack):
    stack.stop_actions()
    try:
        yield
    finally:
        stack.start_actions()


def test_without_the_action_server_medical_answers_become_an_apology(stack, chat, actions_down):
    texts = chat.texts("what are the symptoms of dystonia?")
    assert texts == [response_text("utter_answer_unavailable")]
    assert answer_text("symptoms") not in texts  # never an answer without its disclaimer


def test_without_the_action_server_other_replies_still_work(stack, chat, actions_down):
    assert chat.texts("hello")[0] == response_text("utter_greet")
    assert chat.texts("I can't breathe")[0].startswith("**Call your local emergency number now")
    assert chat.texts("tell me more") == [response_text("utter_answer_unavailable")]
    # A safety reply still goes out without its disclaimer, which the action server adds.
    assert chat.texts("do i have dystonia?") == [response_text("utter_diagnosis")]
    assert chat.texts("what's a good cbd brand?") == [response_text("utter_buying_cannabis")]


def test_answers_come_back_with_the_action_server_without_restarting_rasa(stack, chat):
    stack.stop_actions()
    assert chat.texts("what causes dystonia") == [response_text("utter_answer_unavailable")]
    stack.start_actions()
    texts = chat.texts("what causes dystonia")
    assert texts[0] == answer_text("causes") and texts[1] in DISCLAIMERS


def test_conversation_and_slots_survive_rasa_being_killed(stack, chat):
    chat.say("what is dystonia")
    chat.say("is cbd safe")
    stack.kill_rasa()
    stack.start_rasa()
    texts = chat.texts("where's the evidence for that")
    assert "[R3] U.S. Food and Drug Administration" in texts[0]  # last_answer kept
    assert texts[1] == REMINDER  # disclaimer_shown kept


class MalformedActionServer(http.server.BaseHTTPRequestHandler):
    """Answers every action call with a body that breaks Rasa's response schema."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps({"events": "not a list", "responses": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture
def malformed_action_server(stack):
    stack.stop_actions()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", stack.ports.actions), MalformedActionServer
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        stack.start_actions()


def test_a_malformed_action_server_response_is_refused_cleanly(
    stack, chat, malformed_action_server
):
    # Rasa still validates every response (patches/action_response_validation.py): the
    # malformed one is refused and the user gets the apology, not a half-applied answer.
    assert chat.texts("what causes dystonia?") == [response_text("utter_answer_unavailable")]
    log = (stack.run_dir / "rasa.log").read_text(errors="replace")
    assert "Failed to validate Action server response" in log
