"""An NLU component that recognises feedback typed in the chat, and the answer to "what was
missing?".

Typed feedback ("that was really helpful", "this answer isn't useful to me") is short, asks
nothing, names no subject, and says "helpful", "useful" or "helped", with or without a
negation: DIET, trained on few such messages, reads many of them as something else. Such a
message gets `feedback_helpful` or `feedback_not_helpful` whatever DIET says (not when it is a
safety message, or says thanks). "Is CBD helpful?" asks something, "CBD helped my
pain" names a subject, and "I need help" says neither word: all are left alone.

After a "No" to "Was this helpful?", the assistant asks, optionally, what was missing
(actions/feedback.py). The reply is free text ("it didn't say how long it lasts", "too
technical") that no intent describes: DIET is unsure of it, redirects it, or mistakes it for a
question. This component, which reads the conversation's tracker, gives such a message
`feedback_not_helpful` when it answers that question, so that action_record_feedback keeps it.
A message that asks something, such as the next question, is answered as usual, and so are
safety messages and small talk; the safety check runs after this and still wins.
"""

import re
from typing import List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.context import OWN_SUBJECT
from actions.knowledge import knowledge
from components.configured import ConfiguredComponent
from components.honest_fallback import FALLBACK, NOT_COVERED, OUT_OF_SCOPE
from components.safety_patterns import SAFETY_INTENTS, normalise
from components.two_questions import question_clauses

NOT_HELPFUL = "feedback_not_helpful"
HELPFUL = "feedback_helpful"
FEEDBACK_MAX_WORDS = 10
_SAYS_HELPFUL = re.compile(
    r"\b(?:helped|helpful+|useful+|useless|unhelpful|(?:no|of|much|any) help)\b"
)
# "Not (very) helpful", "didn't really help", "wasn't useful", "no help", "useless".
_SAYS_NOT_HELPFUL = re.compile(
    r"\b(?:unhelpful|useless|no (?:help|use)|not (?:\w+ )?(?:a )?(?:help|helpful+|useful+)"
    r"|(?:didn'?t|doesn'?t|did not|does not|won'?t|hasn'?t) (?:\w+ )?help"
    r"|(?:wasn'?t|isn'?t|was not|is not|aren'?t|weren'?t) (?:\w+ )?"
    r"(?:helpful+|useful+|(?:much |any |a )?help))"
)
# "Thx, ur actually helpful": thanks, whatever DIET makes of it.
_THANKS = re.compile(r"\b(?:thanks?|thx|ty|cheers|ta)\b")
# A subject of its own: "CBD helped my pain" is not feedback on an answer.
_NAMES_SUBJECT = re.compile(rf"{OWN_SUBJECT.pattern}|\b(?:pain|spasms?|neck|symptoms?)\b")
# What DIET makes of free text it has no intent for.
_REDIRECTS = {FALLBACK, NOT_COVERED, OUT_OF_SCOPE}
# Intents whose own reply is right even after "what was missing?".
_KEEP = {intent for intent, _ in SAFETY_INTENTS} | {
    "diagnosis",
    "buying_cannabis",
    "greet",
    "goodbye",
    "thank",
    "feedback_helpful",
}


# Typed feedback is read as such unless it is a safety message or thanks ("thanks, that
# helped" is thanks); "no help at all, bye" is feedback before it is a goodbye.
_KEEP_OVER_TYPED_FEEDBACK = {intent for intent, _ in SAFETY_INTENTS} | {"thank"}


def asked_what_was_missing(tracker: Optional[DialogueStateTracker]) -> bool:
    utterance = tracker.latest_bot_utterance if tracker is not None else None
    return utterance is not None and utterance.text == knowledge().feedback.what_was_missing


def typed_feedback(text: Text) -> Optional[Text]:
    """`feedback_helpful` or `feedback_not_helpful` for typed feedback on an answer, else None."""
    lowered = normalise(text)
    if (
        len(lowered.split()) > FEEDBACK_MAX_WORDS
        or not _SAYS_HELPFUL.search(lowered)
        and not _SAYS_NOT_HELPFUL.search(lowered)
        or question_clauses(lowered) > 0
        or _NAMES_SUBJECT.search(lowered)
        or _THANKS.search(lowered)
    ):
        return None
    return NOT_HELPFUL if _SAYS_NOT_HELPFUL.search(lowered) else HELPFUL


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class FeedbackContext(ConfiguredComponent):
    def process(
        self, messages: List[Message], tracker: Optional[DialogueStateTracker] = None
    ) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            feedback = typed_feedback(message.get(TEXT) or "")
            if feedback and intent not in _KEEP_OVER_TYPED_FEEDBACK:
                self._set(message, feedback)
        if not asked_what_was_missing(tracker):
            return messages
        for message in messages:
            classified = message.get(INTENT) or {}
            ranking = message.get(INTENT_RANKING_KEY) or [{}]
            unsure = ranking[0].get(INTENT_NAME_KEY) == FALLBACK
            intent = classified.get(INTENT_NAME_KEY)
            # A reply that asks nothing answers the question just asked, whatever DIET makes
            # of it ("it was too vague" is not the symptoms question); safety and small talk
            # keep their own replies.
            statement = question_clauses(message.get(TEXT) or "") == 0 and intent not in _KEEP
            if unsure or intent in _REDIRECTS or statement:
                self._set(message, NOT_HELPFUL)
        return messages

    @staticmethod
    def _set(message: Message, intent: Text) -> None:
        classified = message.get(INTENT) or {}
        message.set(
            INTENT,
            {INTENT_NAME_KEY: intent, "confidence": classified.get("confidence", 0.0)},
            add_to_output=True,
        )
