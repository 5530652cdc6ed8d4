"""The fixes in patches/ keep Rasa's behaviour: only the cost changes."""

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

import components  # noqa: F401  (applies the patches, as loading the model does)
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
