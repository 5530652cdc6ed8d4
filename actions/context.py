"""Which answers a message asks for, given the answer it follows.

Two things turn the classified intent into answers:
- a multi-part question arrives as one intent joined by "+" ("causes+cbd_for_dystonia",
  Rasa's multi-intent classification), or with the answer to each of its questions in the
  parse data's `questions` (components/second_opinion.py): each part is answered;
- a follow-up that points back at the previous answer without naming a subject ("are they
  addictive?" after the treatments), or that is too short to have a subject at all ("any side
  effects?"), is answered about that previous answer, as its `follow_ups` entry in
  knowledge/answers.yml says;
- a short "and X?" / "what about X?" asks the previous answer's question about another subject
  ("and dystonia?" after the MS answer), as its `subject_switches` entry says.
"""

import re
from typing import List, Optional, Text

from actions.knowledge import MORE_SUFFIX, Answer, Knowledge

MULTI_INTENT_SEPARATOR = "+"

# Words that point back at something said before.
POINTING_WORDS = frozenset(
    ["it", "its", "it's", "they", "them", "their", "that", "this", "those", "these"]
)
_POINTING_BACK = re.compile(r"\b(?:" + "|".join(sorted(POINTING_WORDS)) + r")\b")
# The two subjects the article's answers are about, besides dystonia itself: cannabis, and the
# usual treatments (also read by components/answer_subject.py).
# (With the cannabis-based medicines tried in dystonia and the trials: nabilone, dronabinol.)
CANNABIS_WORDS = (
    r"cbd|cannabi\w*|marijuana|weed|thc|hemp|sativex|nabiximols|edibles?|gumm(?:y|ies)"
    r"|nabilone|cesamet|dronabinol|marinol|epidiolex"
)
# Patients name the drug they were given, not its class: the common opioids, muscle relaxants,
# benzodiazepines and botulinum toxin brands count as the usual treatments the article names.
USUAL_TREATMENT_WORDS = (
    r"botox|botulinum|dysport|xeomin|myobloc|injections?|jabs?|shots?|opioids?|painkillers?|"
    r"oxycodone|oxycontin|morphine|codeine|co-codamol|tramadol|fentanyl|hydrocodone|"
    r"relaxants?|baclofen|tizanidine|methocarbamol|cyclobenzaprine|dantrolene|"
    r"benzo\w*|diazepam|valium|clonazepam|klonopin|lorazepam|alprazolam|xanax|"
    r"trihexyphenidyl|artane|levodopa|tetrabenazine|anticholinergics?|tablets?|pills?"
)
# Words that name a subject of their own: with one of these the message is not about the
# previous answer ("is CBD addictive?" after the treatments is about CBD).
OWN_SUBJECT = re.compile(
    rf"\b(?:{CANNABIS_WORDS}|{USUAL_TREATMENT_WORDS}|"
    r"oils?|medicines?|medications?|meds|drugs?|treatments?|dystonia)\b"
)


# "and dystonia?", "what about the usual medicines?"
_SWITCHES_SUBJECT = re.compile(r"^\W*(?:and|what about|how about)\b")
SUBJECT_SWITCH_MAX_WORDS = 6


def switches_subject(text: Text) -> bool:
    """True for a short question that only names a new subject ("and dystonia?")."""
    lowered = text.lower()
    return len(lowered.split()) <= SUBJECT_SWITCH_MAX_WORDS and bool(
        _SWITCHES_SUBJECT.match(lowered)
    )


def points_back(text: Text) -> bool:
    """True for a follow-up that refers to the previous answer and names no subject itself."""
    lowered = text.lower()
    return bool(_POINTING_BACK.search(lowered)) and not OWN_SUBJECT.search(lowered)


# "Any side effects?", "addictive?": a question this short with no subject of its own is about
# the subject of the answer it follows, as in any conversation.
ELLIPSIS_MAX_WORDS = 5


def refers_back(text: Text) -> bool:
    """True for a follow-up about the previous answer: it points back, or leaves its subject out."""
    lowered = text.lower()
    if points_back(lowered):
        return True
    words = re.findall(r"[a-z']+", lowered)
    return 0 < len(words) <= ELLIPSIS_MAX_WORDS and not OWN_SUBJECT.search(lowered)


def topic_of(last_answer: Optional[Text]) -> Optional[Text]:
    """The answer a conversation is about: the last part answered, without ":more"."""
    if not last_answer:
        return None
    last = last_answer.split(MULTI_INTENT_SEPARATOR)[-1]
    return last[: -len(MORE_SUFFIX)] if last.endswith(MORE_SUFFIX) else last


def requested_answers(
    intent: Text,
    text: Text,
    last_answer: Optional[Text],
    knowledge: Knowledge,
    questions: Optional[List[Text]] = None,
) -> Optional[List[Answer]]:
    """The answers to give, in order, or None if any part of the intent has no answer.

    `questions`: the answers NLU found for each question of a message that asks several
    things (components/second_opinion.py); used when the intent is one of them."""
    names = intent.split(MULTI_INTENT_SEPARATOR)
    if questions and intent in questions:
        names = list(questions)
    previous = knowledge.answers.get(topic_of(last_answer) or "")
    if previous is not None and len(names) == 1:
        if refers_back(text):
            names = [previous.follow_ups.get(names[0], names[0])]
        elif switches_subject(text):
            names = [previous.subject_switches.get(names[0], names[0])]
    answers = [knowledge.answers.get(name) for name in dict.fromkeys(names)]
    if any(answer is None for answer in answers):
        return None
    return answers  # type: ignore[return-value]
