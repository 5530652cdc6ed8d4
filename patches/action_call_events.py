"""Send the action server the recent events only, when endpoints.yml asks for it.

Rasa 3.6's `RemoteAction._action_call_format` (rasa/core/actions/action.py, 3.6.21) sends the
whole tracker with every custom action call: `tracker.current_state(EventVerbosity.ALL)`, every
event of the conversation with its full parse data. Each call serialises, sends and parses more
than the last, so a reply gets slower as the conversation grows (issue 9, docs/benchmark.md).

This project's actions read the slots, the latest message and what the assistant said last
(actions/history.py), never older events. With

    action_endpoint:
      send_events: since_previous_message

in endpoints.yml, the call carries the events from the user's previous message on (this turn
and the one before it); everything else in the call is as Rasa builds it. Without the key,
Rasa's own behaviour is kept: all events. Rasa reads other action_endpoint keys the same way
(`enable_selective_domain`).
"""

from typing import Any, Dict, List, Text

import rasa
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

SEND_EVENTS = "send_events"
SINCE_PREVIOUS_MESSAGE = "since_previous_message"

_rasa_action_call_format = RemoteAction._action_call_format


def since_previous_message(tracker: DialogueStateTracker) -> List[Event]:
    """The events from the user's message before the latest one on (all, if there is none)."""
    messages_seen = 0
    for index in range(len(tracker.events) - 1, -1, -1):
        if isinstance(tracker.events[index], UserUttered):
            messages_seen += 1
            if messages_seen == 2:
                return list(tracker.events)[index:]
    return list(tracker.events)


def action_call_format(
    self: RemoteAction, tracker: DialogueStateTracker, domain: Domain
) -> Dict[Text, Any]:
    """`RemoteAction._action_call_format`, with the recent events only when configured."""
    endpoint = self.action_endpoint
    if endpoint is None or endpoint.kwargs.get(SEND_EVENTS) != SINCE_PREVIOUS_MESSAGE:
        return _rasa_action_call_format(self, tracker, domain)
    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = [event.as_dict() for event in since_previous_message(tracker)]
    result: Dict[Text, Any] = {
        "next_action": self._name,
        "sender_id": tracker.sender_id,
        "tracker": state,
        "version": rasa.__version__,
    }
    if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(
        self.name()
    ):
        result["domain"] = domain.as_dict()
    return result


def apply() -> None:
    RemoteAction._action_call_format = action_call_format
