"""What the assistant last said in a conversation, read from the tracker's events."""

from typing import Optional, Text

from rasa_sdk import Tracker


def last_response(tracker: Tracker) -> Optional[Text]:
    """The domain response the assistant last sent ("utter_not_covered"), if any."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return (event.get("metadata") or {}).get("utter_action")
    return None
