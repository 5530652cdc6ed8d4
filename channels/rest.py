"""Rasa's REST channel, refusing malformed or oversized requests with a clean 4xx.

The stock channel assumes a JSON object with string fields and answers anything else with a
500. The webhook path stays `/webhooks/rest/webhook`.
"""

from typing import Any, Dict, Optional, Text

from rasa.core.channels.rest import RestInput
from sanic.exceptions import InvalidUsage, PayloadTooLarge
from sanic.request import Request

# Far more than any real question; beyond this a request is refused before NLU sees it.
MAX_BODY_BYTES = 64 * 1024
MAX_MESSAGE_CHARS = 20_000
MAX_SENDER_CHARS = 1_000


class ValidatedRestInput(RestInput):
    @staticmethod
    def _payload(request: Request) -> Dict[Text, Any]:
        if len(request.body or b"") > MAX_BODY_BYTES:
            raise PayloadTooLarge(f"Request body larger than {MAX_BODY_BYTES} bytes.")
        if "json" not in (request.content_type or ""):
            raise InvalidUsage("Send JSON (Content-Type: application/json).")
        payload = request.json  # raises InvalidUsage on malformed JSON
        if not isinstance(payload, dict):
            raise InvalidUsage('Send a JSON object: {"sender": "...", "message": "..."}.')
        return payload

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        sender = self._payload(req).get("sender")
        if sender is not None and (not isinstance(sender, str) or len(sender) > MAX_SENDER_CHARS):
            raise InvalidUsage(
                f'"sender" must be a string of at most {MAX_SENDER_CHARS} characters.'
            )
        return sender

    def _extract_message(self, req: Request) -> Optional[Text]:
        message = self._payload(req).get("message")
        if not isinstance(message, str):
            raise InvalidUsage('"message" must be a string.')
        if len(message) > MAX_MESSAGE_CHARS:
            raise PayloadTooLarge(f'"message" longer than {MAX_MESSAGE_CHARS} characters.')
        return message

    def _extract_input_channel(self, req: Request) -> Text:
        channel = self._payload(req).get("input_channel")
        return channel if isinstance(channel, str) and channel else self.name()
