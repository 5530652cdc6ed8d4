"""The fixes in patches/ keep Rasa's behaviour: only the cost changes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

import components  # noqa: F401  (applies the patches, as loading the model does)
from patches import action_call_events
from patches.action_response_validation import validate_action_result

VALID = [
    {},
    {"events": [], "responses": []},
    {
        "events": [{"event": "slot", "name": "last_answer", "value": "causes"}],
        "responses": [{"text": "hello", "buttons": [], "image": None}],
    },
]
MALFORMED = [
    {"events": "not a list"},
    {"events": [{"name": "no event type"}]},
    {"responses": {"text": "not a list"}},
    {"events": [{"event": 42}]},
]


def test_loading_the_components_applies_the_patch():
    assert RemoteAction._validate_action_result is validate_action_result


@pytest.mark.parametrize("response", VALID)
def test_a_valid_response_passes(response):
    jsonschema.validate(response, RemoteAction.action_response_format_spec())  # as upstream
    assert RemoteAction("action_x", None)._validate_action_result(response) is True


@pytest.mark.parametrize("response", MALFORMED)
def test_a_malformed_response_is_still_refused_with_rasas_message(response):
    with pytest.raises(jsonschema.ValidationError) as upstream:
        jsonschema.validate(response, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError) as patched:
        RemoteAction("action_x", None)._validate_action_result(response)
    assert patched.value.message.startswith(upstream.value.message)
    assert "Failed to validate Action server response" in patched.value.message


# -- action_call_events -------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(ROOT / "domain.yml")


def long_conversation(turns):
    events = []
    for turn in range(turns):
        events += [
            ActionExecuted("action_listen"),
            UserUttered(f"question {turn}", {"name": "causes", "confidence": 0.9}),
            BotUttered(f"answer {turn}"),
            SlotSet("last_answer", "causes" if turn else "pain"),
        ]
    return DialogueStateTracker.from_events("patch-test", events, slots=DOMAIN.slots)


def call(tracker, **endpoint_keys):
    endpoint = EndpointConfig("http://localhost:5055/webhook", **endpoint_keys)
    return RemoteAction("action_answer_question", endpoint)._action_call_format(tracker, DOMAIN)


def test_loading_the_components_applies_the_events_patch():
    assert RemoteAction._action_call_format is action_call_events.action_call_format


def test_without_the_setting_the_call_is_rasas_own():
    tracker = long_conversation(5)
    endpoint = EndpointConfig("http://localhost:5055/webhook")
    upstream = action_call_events._rasa_action_call_format(
        RemoteAction("action_answer_question", endpoint), tracker, DOMAIN
    )
    assert call(tracker) == upstream
    assert len(upstream["tracker"]["events"]) == len(tracker.events)


def test_with_the_setting_only_the_last_two_turns_are_sent_and_the_state_is_kept():
    tracker = long_conversation(30)
    full = call(tracker)
    recent = call(tracker, send_events="since_previous_message", enable_selective_domain=True)
    events = recent["tracker"]["events"]
    # This turn and the one before: the previous reply is still there for actions/history.py.
    assert [e["event"] for e in events] == ["user", "bot", "slot", "action", "user", "bot", "slot"]
    assert events[0]["text"] == "question 28" and events[-2]["text"] == "answer 29"
    # Everything else the actions read is Rasa's own.
    for key in ("slots", "latest_message", "sender_id", "latest_action_name"):
        assert recent["tracker"][key] == full["tracker"][key]
    assert recent["tracker"]["slots"]["last_answer"] == "causes"
    assert "domain" not in recent and "domain" in full


def test_a_first_message_sends_every_event():
    tracker = long_conversation(1)
    events = call(tracker, send_events="since_previous_message")["tracker"]["events"]
    assert len(events) == len(tracker.events)


# -- frozen_model -------------------------------------------------------------------------------

# Loads the trained model as `rasa run` does and reports, around two messages, how often
# gc.freeze() was called and how many objects the permanent generation holds. In a child
# process: the test process must not hold TensorFlow, and a freeze there would change every
# other test's collections.
FREEZE_PROBE = """
import asyncio, gc, json, sys
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

calls, unfrozen = [], []
freeze, unfreeze = gc.freeze, gc.unfreeze
gc.freeze = lambda: calls.append(1) or freeze()
gc.unfreeze = lambda: unfrozen.append(1) or unfreeze()
agent = Agent.load(sys.argv[1])
report = {"calls": [len(calls)], "frozen": [gc.get_freeze_count()], "replies": []}
for text in ("hello", "thanks"):
    output = CollectingOutputChannel()
    asyncio.run(agent.handle_message(UserMessage(text, output, sender_id="freeze-probe")))
    report["calls"].append(len(calls))
    report["frozen"].append(gc.get_freeze_count())
    report["replies"].append(len(output.messages))
# The model replaced, as PUT /model does: the first model's objects go back to the collector.
agent.load_model(sys.argv[1])
output = CollectingOutputChannel()
asyncio.run(agent.handle_message(UserMessage("hello", output, sender_id="freeze-probe")))
replies = len(output.messages)
report["replaced"] = {"calls": len(calls), "unfrozen": len(unfrozen), "replies": replies}
print(json.dumps(report))
"""


def test_the_loaded_model_is_frozen_once_before_its_first_message(trained_model):
    probe = subprocess.run(
        [sys.executable, "-c", FREEZE_PROBE, str(trained_model)],
        cwd=ROOT,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert probe.returncode == 0, probe.stderr[-3000:]
    report = json.loads(probe.stdout.strip().splitlines()[-1])
    assert report["calls"] == [0, 1, 1]  # not while loading, then once per model
    assert report["frozen"][0] == 0
    assert report["frozen"][1] > 100_000  # the model, TensorFlow and the modules
    assert report["replies"] == [1, 1]  # the messages are answered as before
    # A replaced model: the old one unfrozen (to be collected), the new one frozen, once.
    assert report["replaced"] == {"calls": 2, "unfrozen": 1, "replies": 1}
