"""What happened to each user message: answered, not covered, fell back, a safety reply, ...

A user message's outcome is read from what the assistant did next, up to the next user
message: the actions Rasa ran (their names are in domain.yml and data/rules/) and the slots
the actions set. The names below are this assistant's; `check_domain` refuses a store whose
intents and actions are mostly not in domain.yml (another assistant's conversations).
"""

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Set

import yaml
from rasa.shared.core.constants import DEFAULT_ACTION_NAMES, DEFAULT_INTENTS

DOMAIN_FILE = Path(__file__).resolve().parent.parent / "domain.yml"

ANSWERED = "answered"
NOT_COVERED = "not_covered"
FALLBACK = "fallback"
OUT_OF_SCOPE = "out_of_scope"
SAFETY = "safety"
CONVERSATION = "conversation"  # greetings, thanks, "what can you do?", ...
FEEDBACK = "feedback"  # a click on "Was this helpful?"
UNAVAILABLE = "unavailable"  # the action server did not answer (utter_answer_unavailable)
NO_REPLY = "no_reply"

# In the order the report shows them.
OUTCOMES = (
    ANSWERED,
    NOT_COVERED,
    FALLBACK,
    OUT_OF_SCOPE,
    SAFETY,
    CONVERSATION,
    FEEDBACK,
    UNAVAILABLE,
    NO_REPLY,
)
# The questions that got no answer.
UNANSWERED = (NOT_COVERED, FALLBACK, OUT_OF_SCOPE)

# Safety replies (data/rules/safety.yml) -> the kind of escalation.
SAFETY_REPLIES = {
    "utter_emergency": "emergency",
    "utter_self_harm": "self_harm",
    "utter_overdose": "overdose",
    "utter_crisis_contacts": "crisis_contacts",
    "utter_medication_advice": "medication_advice",
    "utter_diagnosis": "diagnosis",
    "utter_buying_cannabis": "buying_cannabis",
    "utter_rules_refusal": "rules_override",
}
SAFETY_KINDS = tuple(dict.fromkeys(SAFETY_REPLIES.values()))
NO_ANSWER_REPLIES = {
    "utter_not_covered": NOT_COVERED,
    "utter_fallback": FALLBACK,
    "utter_out_of_scope": OUT_OF_SCOPE,
    "utter_answer_unavailable": UNAVAILABLE,
}
# The custom actions that send article answers (actions/).
ANSWER_ACTIONS = {"action_answer_question", "action_tell_more", "action_show_evidence"}
# Slots the answer actions and the feedback buttons set.
LAST_ANSWER = "last_answer"
ANSWER_DELIVERED = "answer_delivered"
FEEDBACK_SLOT = "feedback"
FEEDBACK_MISSING_SLOT = "feedback_missing"
MORE_SUFFIX = ":more"
ANSWER_SEPARATOR = "+"
# Actions that are bookkeeping, not a reply.
SILENT_ACTIONS = {"action_listen", "action_session_start", "action_extract_slots"}


@dataclass
class Turn:
    """A user message and what the assistant did until the next one."""

    conversation: int
    timestamp: float
    text: str
    intent: Optional[str]
    actions: List[str] = field(default_factory=list)
    # Responses sent from inside a custom action (bot events' metadata "utter_action").
    action_responses: List[str] = field(default_factory=list)
    last_answer: Optional[str] = None
    delivered: bool = False
    feedback: bool = False

    def outcome(self) -> str:
        for action in self.actions:
            if action in SAFETY_REPLIES:
                return SAFETY
        for action in self.actions:
            if action in NO_ANSWER_REPLIES:
                return NO_ANSWER_REPLIES[action]
            if action in ANSWER_ACTIONS:
                return self._answer_outcome(action)
        if self.feedback:
            return FEEDBACK
        if any(a not in SILENT_ACTIONS for a in self.actions):
            return CONVERSATION
        return NO_REPLY

    def _answer_outcome(self, action: str) -> str:
        if self.last_answer:
            return ANSWERED
        # The action may have declined with a domain response (the fallback for an intent
        # without an answer, "not covered" for "tell me more" with nothing more to say).
        for response in self.action_responses:
            if response in NO_ANSWER_REPLIES:
                return NO_ANSWER_REPLIES[response]
        if action == "action_show_evidence" and self.delivered:
            return ANSWERED
        return UNAVAILABLE if not self.delivered else FALLBACK

    def safety_kind(self) -> Optional[str]:
        return next((SAFETY_REPLIES[a] for a in self.actions if a in SAFETY_REPLIES), None)

    def topics(self) -> List[str]:
        """The article answers given: "causes+pain" -> causes, pain; "pain:more" -> pain."""
        if not self.last_answer:
            return []
        keys = self.last_answer.split(ANSWER_SEPARATOR)
        return [key[: -len(MORE_SUFFIX)] if key.endswith(MORE_SUFFIX) else key for key in keys]


def bot_response_name(data: Optional[str]) -> Optional[str]:
    """The domain response a bot event sent ("utter_action" in its metadata), if any."""
    if not data or '"utter_action"' not in data:
        return None
    metadata = json.loads(data).get("metadata") or {}
    return metadata.get("utter_action")


def slot_value(data: Optional[str]) -> Any:
    return json.loads(data).get("value") if data else None


@dataclass(frozen=True)
class DomainNames:
    intents: Set[str]
    actions: Set[str]


@lru_cache(maxsize=4)
def domain_names(domain_file: Path = DOMAIN_FILE) -> DomainNames:
    domain = yaml.safe_load(domain_file.read_text(encoding="utf-8"))
    intents = {next(iter(i)) if isinstance(i, dict) else i for i in domain.get("intents", [])}
    actions = set(domain.get("actions", [])) | set(domain.get("responses", {}))
    return DomainNames(
        intents=intents | set(DEFAULT_INTENTS), actions=actions | set(DEFAULT_ACTION_NAMES)
    )


class ForeignStoreError(Exception):
    """The store holds another assistant's conversations."""


def check_domain(intents: Dict[str, int], actions: Dict[str, int], names: DomainNames) -> None:
    """Raises ForeignStoreError when most intents and actions are not this domain's.

    A few unknown names are expected (a store kept across domain changes, new feedback
    intents); a majority means the report would count another assistant's conversations.
    """
    total = sum(intents.values()) + sum(actions.values())
    unknown: Dict[str, int] = {}
    for counts, known in ((intents, names.intents), (actions, names.actions)):
        unknown.update({n: c for n, c in counts.items() if n not in known})
    if total and sum(unknown.values()) * 2 > total:
        examples = ", ".join(sorted(unknown, key=lambda n: -unknown[n])[:5])
        raise ForeignStoreError(
            f"This store does not hold this assistant's conversations: "
            f"{sum(unknown.values())} of {total} intents and actions are not in domain.yml "
            f"(for example {examples}). Check `tracker_store` in the endpoints file."
        )
