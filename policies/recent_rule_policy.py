"""Rasa's RulePolicy, matching rules against the conversation's recent turns only.

Rasa 3.6's RulePolicy turns the whole conversation into dialogue states before every prediction
(`Policy._prediction_states` -> `DialogueStateTracker.past_states`) and then walks all of them
for every rule (`RulePolicy._get_possible_keys`), although a rule can only constrain as many
turns as it has states. So each reply costs more the longer the conversation: about a tenth of
the Rasa server's time at turn 60 (docs/profile.svg, benchmark/long_conversations.py).

This subclass hands RulePolicy a tracker cut to the last turns that the longest rule can look
at, plus one, with the slots and the active loop as they were where it was cut. Every rule
then matches exactly as on the whole conversation: a state further back than a rule's length
is "applicable" without being compared (`RulePolicy._is_rule_applicable`), and the extra turn
keeps the cut tracker's own start out of every rule's reach, so it is never taken for the start
of the conversation (`conversation_start: true` rules).

It also compares the current state only with the rules whose last state could match it: the
rest name another intent or previous action (RuleIndex, `_get_possible_keys`).
"""

import json
from collections import defaultdict
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import (
    ACTION_LISTEN_NAME,
    PREVIOUS_ACTION,
    SHOULD_NOT_BE_SET,
    USER,
)
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ACTION_NAME, INTENT


def applied_since_session_start(tracker: DialogueStateTracker) -> List[Event]:
    """`tracker.applied_events()`, read backwards from the end to the session start in one
    pass: Rasa's own method walks the whole conversation twice and was a tenth of the server's
    time at turn 80. Rasa's method is used when anything was undone or a loop (form) ran."""
    since: List[Event] = []
    for event in reversed(tracker.events):
        if isinstance(event, (Restarted, SessionStarted)):
            break
        if isinstance(event, (ActionReverted, UserUtteranceReverted, ActiveLoop)):
            return tracker.applied_events()
        since.append(event)
    since.reverse()
    return since


def recent_turns(tracker: DialogueStateTracker, actions: int) -> DialogueStateTracker:
    """A tracker with the events of the last `actions` actions, cut before a user turn as
    Rasa's memoization cuts (`_get_max_applied_events_for_max_history`), starting from the
    slots and active loop the full tracker had there."""
    applied = applied_since_session_start(tracker)
    seen = 0
    cut = None
    for index in range(len(applied) - 1, -1, -1):
        event = applied[index]
        if isinstance(event, ActionExecuted):
            seen += 1
            if seen > actions and event.action_name == ACTION_LISTEN_NAME:
                cut = index
                break
    if cut is None:
        return tracker
    carried: Dict[Any, Event] = {}
    for event in applied[:cut]:
        if isinstance(event, SlotSet):
            carried[event.key] = event
        elif isinstance(event, ActiveLoop):
            carried[ActiveLoop] = event
    recent = tracker.init_copy()
    for event in [*carried.values(), *applied[cut:]]:
        recent.update(event)
    return recent


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class RecentRulePolicy(RulePolicy):
    _longest_rule: Optional[int] = None
    # Per lookup (rules, unhappy-path rules): its keys by what their last state requires.
    _indexes: Optional[Dict[int, Tuple[Dict[Text, Text], "RuleIndex"]]] = None

    def _prediction_states(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        use_text_for_last_user_input: bool = False,
        rule_only_data: Optional[Dict[Text, Any]] = None,
    ) -> List[State]:
        return super()._prediction_states(
            recent_turns(tracker, self.longest_rule() + 1),
            domain,
            use_text_for_last_user_input,
            rule_only_data,
        )

    def longest_rule(self) -> int:
        """How many states the longest learned rule has (each state follows one action)."""
        if self._longest_rule is None:
            keys = [*self.lookup.get(RULES, {}), *self.lookup.get(RULES_FOR_LOOP_UNHAPPY_PATH, {})]
            self._longest_rule = max((len(json.loads(key)) for key in keys), default=0)
        return self._longest_rule

    def _get_possible_keys(self, lookup: Dict[Text, Text], states: List[State]) -> set:
        """Rasa's filter, over the rules whose last state can match the current one.

        Rasa compares the current state with every rule (143 here, four times a reply: 4 %
        of the server's time). A rule whose last state names another intent or another
        previous action fails that comparison whatever else it holds
        (`RulePolicy._does_rule_match_state`), so those are left out beforehand; the rest
        go through Rasa's own filter, which decides as before."""
        current = states[-1] if states else {}
        if not current.get(PREVIOUS_ACTION):
            # A conversation's first state matches rules without comparing them.
            return super()._get_possible_keys(lookup, states)
        candidates = self._index(lookup).candidates(current)
        return super()._get_possible_keys({key: lookup[key] for key in candidates}, states)

    def _index(self, lookup: Dict[Text, Text]) -> "RuleIndex":
        if self._indexes is None:
            self._indexes = {}
        kept = self._indexes.get(id(lookup))
        if kept is None or kept[0] is not lookup:
            kept = (lookup, RuleIndex([*lookup], self._rule_key_to_state))
            self._indexes[id(lookup)] = kept
        return kept[1]


def _required(state: State) -> Tuple[Optional[Text], Optional[Text]]:
    """The intent and the previous action a state requires, None where it requires neither."""
    intent = state.get(USER, {}).get(INTENT)
    action = state.get(PREVIOUS_ACTION, {}).get(ACTION_NAME)
    return (
        intent if intent and intent != SHOULD_NOT_BE_SET else None,
        action if action and action != SHOULD_NOT_BE_SET else None,
    )


class RuleIndex:
    """Rule keys by the intent and previous action that their last state requires."""

    def __init__(self, keys: List[Text], key_to_states: Any) -> None:
        self._keys: Dict[Tuple[Optional[Text], Optional[Text]], List[Text]] = defaultdict(list)
        for key in keys:
            states = key_to_states(key)
            self._keys[_required(states[-1]) if states else (None, None)].append(key)

    def candidates(self, current: State) -> List[Text]:
        """The keys whose last state does not require another intent or previous action."""
        intent = current.get(USER, {}).get(INTENT)
        action = current.get(PREVIOUS_ACTION, {}).get(ACTION_NAME)
        pairs = dict.fromkeys([(intent, action), (intent, None), (None, action), (None, None)])
        return [key for pair in pairs for key in self._keys.get(pair, [])]
