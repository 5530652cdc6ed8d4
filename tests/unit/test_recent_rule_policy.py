"""policies/recent_rule_policy.py: the recent turns give the same dialogue states as the whole
conversation, for as many turns as the rules can look at."""

import json
from pathlib import Path

import pytest
from rasa.core.policies.rule_policy import RULES, RulePolicy
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
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

from policies.recent_rule_policy import (
    RecentRulePolicy,
    applied_since_session_start,
    recent_turns,
)

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


# -- the rule index -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trained_policy(trained_model, tmp_path_factory):
    """The RecentRulePolicy of the trained model, loaded as Rasa loads it."""
    storage, metadata = LocalModelStorage.from_model_archive(
        tmp_path_factory.mktemp("model"), trained_model
    )
    node = next(n for n in metadata.predict_schema.nodes.values() if n.uses is RecentRulePolicy)
    config = {**RecentRulePolicy.get_default_config(), **node.config}
    context = ExecutionContext(metadata.predict_schema)
    return RecentRulePolicy.load(config, storage, node.resource, context)


def tuples(state):
    """A state read from a rule key as a conversation has it: JSON turned its tuples (slot
    values) into lists."""
    return {
        part: {k: tuple(v) if isinstance(v, list) else v for k, v in sub.items()}
        for part, sub in state.items()
    }


def states_to_try(policy):
    """Every rule's own states, also with other intents; every intent after every action
    that a rule names, each after the earlier states of one of the rules; and a
    conversation's first state."""
    rules = [[tuples(state) for state in json.loads(key)] for key in policy.lookup[RULES]]
    actions = {s.get("prev_action", {}).get("action_name") for rule in rules for s in rule}
    yield from rules
    for rule in rules:  # its last state with any intent: some rules do not name one
        for intent in DOMAIN.intents[::3]:
            yield [*rule[:-1], {**rule[-1], "user": {"intent": intent}}]
    for number, intent in enumerate(DOMAIN.intents):
        for action in sorted(a for a in actions if a) + ["action_never_in_a_rule"]:
            rule = rules[(number * 7 + len(action)) % len(rules)]
            current = {**rule[-1], "user": {"intent": intent}}
            current["prev_action"] = {"action_name": action}
            yield [*rule[:-1], current]
    yield [{"user": {"intent": "greet"}}]  # no action yet


def test_the_index_leaves_the_rules_that_match_exactly_as_rasa_finds_them(trained_policy):
    lookup = trained_policy.lookup[RULES]
    tried, matched = 0, 0
    for states in states_to_try(trained_policy):
        rasa = RulePolicy._get_possible_keys(trained_policy, lookup, states)
        assert trained_policy._get_possible_keys(lookup, states) == rasa, states
        tried, matched = tried + 1, matched + bool(rasa)
    assert tried > 1_000 and matched > 500
