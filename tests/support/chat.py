"""Talking to the running assistant over Rasa's REST channel, as a web or app client does."""

import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional

import requests
import yaml

from actions.knowledge import knowledge

ROOT = Path(__file__).resolve().parents[2]
RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]


def response_text(name: str) -> str:
    """The text of a domain response, as Rasa sends it."""
    return RESPONSES[name][0]["text"]


def answer_text(name: str) -> str:
    return knowledge().answers[name].text


def more_text(name: str) -> str:
    more = knowledge().answers[name].more
    assert more is not None, f"{name} has no 'tell me more' part"
    return more.text


FULL_DISCLAIMER = knowledge().full_disclaimer
REMINDER = knowledge().reminder_disclaimer
DISCLAIMERS = {FULL_DISCLAIMER, REMINDER}
# "Was this helpful?", after the disclaimer of every medical answer.
ASK_HELPFUL = knowledge().feedback.question


class Chat:
    """One conversation (one sender id) with the assistant."""

    def __init__(self, rasa_url: str, sender: Optional[str] = None) -> None:
        self.url = f"{rasa_url}/webhooks/rest/webhook"
        self.sender = sender or f"test-{uuid.uuid4().hex[:12]}"

    def send(self, message: Any, timeout: float = 60) -> requests.Response:
        return requests.post(
            self.url, json={"sender": self.sender, "message": message}, timeout=timeout
        )

    def say(self, text: str) -> List[Dict[str, Any]]:
        response = self.send(text)
        response.raise_for_status()
        return response.json()

    def texts(self, text: str) -> List[str]:
        return [reply.get("text", "") for reply in self.say(text)]
