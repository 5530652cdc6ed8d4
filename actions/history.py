"""What the assistant last said in a conversation, read from the tracker's events."""

from typing import Any, Dict, Optional, Text

from rasa_sdk import Tracker


def _last_bot_event(tracker: Tracker) -> Dict[Text, Any]:
    return next((e for e in reversed(tracker.events) if e.get("event") == "bot"), {})


def last_response(tracker: Tracker) -> Optional[Text]:
    """The domain response the assistant last sent ("utter_not_covered"), if any."""
    return (_last_bot_event(tracker).get("metadata") or {}).get("utter_action")


def last_text(tracker: Tracker) -> Optional[Text]:
    """The text of the assistant's last message, if any."""
    return _last_bot_event(tracker).get("text")
