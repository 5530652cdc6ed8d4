"""The slots the actions read and write (declared in domain.yml)."""

# The full disclaimer has been shown in this conversation: later ones are a reminder.
DISCLAIMER_SHOWN = "disclaimer_shown"
# Set by the answer actions once the answer and its disclaimer went out; every user message
# resets it, so a rule can apologise when the action server did not answer.
ANSWER_DELIVERED = "answer_delivered"
# What "tell me more", "what's the evidence?" and pointing-back follow-ups refer to: an answer
# key ("treatments", "treatments:more"), or several joined by "+" after a multi-part question.
LAST_ANSWER = "last_answer"
# How a person rated an answer with "Was this helpful?": {"answer": key, "helpful": bool}.
FEEDBACK = "feedback"
# What they said was missing after a "No": {"answer": key, "text": their words}.
FEEDBACK_MISSING = "feedback_missing"
