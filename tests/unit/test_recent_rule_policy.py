"""policies/recent_rule_policy.py: the recent turns give the same dialogue states as the whole
conversation, for as many turns as the rules can look at."""

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from policies.recent_rule_policy import applied_since_session_start, recent_turns

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(ROOT / "domain.yml")
INTENTS = ["greet", "pain", "tell_me_more", "ask_evidence", "thank", "causes"]


def conversation(turns: int) -> DialogueStateTracker:
    """A conversation as Rasa stores it: user turns, answer actions, and their slots."""
    events = [ActionExecuted("action_session_start"), ActionExecuted("action_listen")]
    for turn in range(turns):
        intent = INTENTS[turn % len(INTENTS)]
        events += [
            UserUttered(f"message {turn}", {"name": intent, "confidence": 0.9}),
            SlotSet("answer_delivered", False),
            ActionExecuted("action_answer_question"),
            SlotSet("answer_delivered", turn % 3 != 0),
            ActionExecuted("action_listen"),
        ]
    return DialogueStateTracker.from_events("long", events, slots=DOMAIN.slots)


@pytest.mark.parametrize("actions", [2, 4, 7])
def test_the_last_states_are_those_of_the_whole_conversation(actions):
    whole = conversation(40)
    recent = recent_turns(whole, actions)
    assert len(recent.events) < len(whole.events) / 5
    expected = whole.past_states(DOMAIN)[-actions:]
    assert recent.past_states(DOMAIN)[-actions:] == expected


def test_a_slot_set_before_the_cut_keeps_its_value():
    whole = conversation(40)
    # Set once, early, and never again: the cut tracker must still have it.
    whole.events.insert(3, SlotSet("last_answer", "pain"))
    whole = DialogueStateTracker.from_events("long", list(whole.events), slots=DOMAIN.slots)
    recent = recent_turns(whole, 3)
    assert recent.get_slot("last_answer") == "pain"
    assert recent.current_slot_values() == whole.current_slot_values()


def test_a_short_conversation_is_left_as_it_is():
    short = conversation(2)
    assert recent_turns(short, 10) is short


def with_events(tracker: DialogueStateTracker, position: int, *events) -> DialogueStateTracker:
    all_events = list(tracker.events)
    all_events[position:position] = events
    return DialogueStateTracker.from_events("long", all_events, slots=DOMAIN.slots)


@pytest.mark.parametrize(
    "tracker",
    [
        conversation(40),
        # A restart, a new session, or an undone user turn somewhere in the conversation.
        with_events(conversation(40), 60, Restarted(), ActionExecuted("action_listen")),
        with_events(conversation(40), 60, SessionStarted(), ActionExecuted("action_listen")),
        with_events(conversation(40), -1, UserUtteranceReverted()),
    ],
)
def test_the_applied_events_are_rasas_own(tracker):
    assert applied_since_session_start(tracker) == tracker.applied_events()
    assert recent_turns(tracker, 4).past_states(DOMAIN)[-4:] == tracker.past_states(DOMAIN)[-4:]
