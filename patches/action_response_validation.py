"""Validate action-server responses against a schema that is checked once, not every call.

Rasa 3.6's `RemoteAction._validate_action_result` (rasa/core/actions/action.py, 3.6.21) calls
`jsonschema.validate(result, schema)`, and `jsonschema.validate` first checks the schema itself
against the JSON-Schema meta-schema, on every custom action call. The schema is a constant, so
that check is pure waste; under load it was 43 % of the Rasa server's CPU (py-spy, issue 9).

This keeps the validation and its error message: the schema is checked once, its validator is
kept, and a malformed response still raises `jsonschema.ValidationError`, which Rasa reports
as before. Upstream, jsonschema documents the same advice: create the validator once
(`validator_for(schema)(schema)`) when validating many instances.
"""

import functools
from typing import Any, Dict, Text

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@functools.lru_cache(maxsize=1)
def response_validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # once, instead of on every response
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """`RemoteAction._validate_action_result`, with the schema checked once."""
    # best_match picks the same error jsonschema.validate would raise.
    error = best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def apply() -> None:
    RemoteAction._validate_action_result = validate_action_result


__all__ = ["ValidationError", "apply", "response_validator", "validate_action_result"]
