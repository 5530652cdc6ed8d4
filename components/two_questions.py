"""An NLU component that gives a two-part intent ("causes+cbd_for_dystonia") only to a message
that really asks two things.

Rasa's multi-intent classification builds a two-part label from the labels of its parts, so a
single question shares its confidence with the two-part labels that contain its intent ("what
causes it?" -> causes 0.45, causes+symptoms 0.2, causes+treatments 0.1), and can fall below the
fallback threshold although DIET is sure it is about the causes. For a message that asks one
thing, this component, which runs right after DIET, folds each two-part label's confidence into
the part that DIET ranks higher, and drops the two-part labels. A message asks two things when
it has two question clauses: sentences or clauses, split at ? . ; : and at "and" / "also" /
"plus" / "but", that each ask something.
"""

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.context import MULTI_INTENT_SEPARATOR as SEPARATOR
from components.configured import ConfiguredComponent

CONFIDENCE = "confidence"
# (Not at ", who" or ", which": those open relative clauses, not questions.)
_CLAUSE_BREAK = re.compile(
    r"[?.;:!\n]+|\b\d[).]\s+|,?\s+(?:and|also|plus|but)\s+"
    r"|,\s+(?=(?:what|why|how|is|are|can|does|do|could|will)\b)"
)
# "and" (forum style "n") between two parts of a sentence; what opens a part that continues the
# question before it ("... and whether it's related to Parkinson's"), unless "and" only joins a
# pair ("the link between dystonia and the brain").
_JOINED = re.compile(r",?\s+(?:and|also|plus|n)\s+")
_CONTINUES_QUESTION = re.compile(r"^(?:whether|if|the|their|its|about)\b")
_PAIRS = re.compile(r"\b(?:between|both)\b")
_ASKS = re.compile(
    r"^(?:so |and |also |plus |but |then |ok |okay |oh )*"
    r"(?:what|what's|whats|wat|wats|wot|why|how|is|isn't|are|aren't|can|can't|could|does|doesn't|do|did"
    r"|will|would|should|who|which|where|when|any|tell me|explain|i'd like to know"
    r"|i want to know|i wonder|wondering)\b"
)


def asks_something(text: Text) -> bool:
    """Whether the message is a question: it ends in "?" or opens like one."""
    lowered = text.strip().lower()
    return lowered.endswith("?") or bool(_ASKS.match(lowered))


_SENTENCE = re.compile(r"[^?.!\n]+[?.!\n]*")


# "What about CBD, can you get addicted to that?": naming the subject of the question after it;
# "really? why do women get it more": a reaction to the last answer before the question.
_NAMES_TOPIC_ONLY = re.compile(
    r"^(?:and |so |ok |okay )?(?:what|how) about(?: \S+){1,3}$"
    r"|^(?:oh |wow |ok |hmm )*(?:really|seriously|is that (?:so|true|right)|no way|huh|wow)$"
)


def asking_clauses(text: Text) -> List[Text]:
    """The clauses of the message that ask something (end in "?" or open like a question). A
    clause that only names the subject of the next ("what about CBD, is it addictive?"), or
    only reacts before it ("really? why ..."), is not a question of its own."""
    found: List[Text] = []
    for match in re.finditer(r"[^?.;!\n]+[?.;!\n]*", text.lower()):
        sentence = match.group(0)
        asking: List[Text] = []
        parts = _JOINED.split(sentence)
        for j, part in enumerate(parts):
            clauses = [c.strip() for c in _CLAUSE_BREAK.split(part) if c.strip()]
            for k, clause in enumerate(clauses):
                # "tell me about the treatments and their side effects": the second is asked too.
                joined = asking and j > 0 and k == 0 and not _PAIRS.search(parts[j - 1])
                if _ASKS.match(clause) or (joined and _CONTINUES_QUESTION.match(clause)):
                    asking.append(clause)
        if asking:
            found += asking
        elif sentence.rstrip().endswith("?"):
            found.append(sentence.strip())
    return _without_topic_only(found)


def _without_topic_only(clauses: List[Text]) -> List[Text]:
    """The clauses without those that only name the subject of the next one, or react."""
    return [
        c
        for i, c in enumerate(clauses)
        if i + 1 == len(clauses) or not _NAMES_TOPIC_ONLY.match(c.rstrip("?!. "))
    ]


def question_mark_clauses(text: Text) -> List[Text]:
    """The asking clauses of the sentences that end in "?", or that go on with "and" after the
    last one ("does cbd help MS? and does it help dystonia"): "I'm not sure what is real and
    what is publicity." asks nothing. Without any "?", every asking clause counts."""
    if "?" not in text:
        return asking_clauses(text)
    questions = re.findall(r"[^?.!\n]*\?", text)
    # After the last "?", a part that goes on with "and ..." and no full stop asks too.
    rest = text[text.rfind("?") + 1 :].strip()
    if re.match(r"(?i)(?:and|also|plus|but|so|or)\b[^.!]*$", rest):
        questions.append(rest)
    return _without_topic_only([c for question in questions for c in asking_clauses(question)])


def question_clauses(text: Text) -> int:
    """How many clauses of the message ask something."""
    return len(asking_clauses(text))


def question_sentence(text: Text) -> Optional[Text]:
    """The sentence of a several-sentence message that asks its question (the last that does,
    else the last sentence); None for a one-sentence message. Patients often write a paragraph
    of context before the question, which spreads a classifier's confidence thin."""
    sentences = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    if len(sentences) < 2:
        return None
    asking = [s for s in sentences if asks_something(s)]
    return (asking or sentences)[-1]


def fold_two_part_labels(ranking: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """The ranking with each two-part label's confidence added to its higher-ranked part."""
    confidences = {
        r[INTENT_NAME_KEY]: r[CONFIDENCE] for r in ranking if SEPARATOR not in r[INTENT_NAME_KEY]
    }
    for label in ranking:
        parts = label[INTENT_NAME_KEY].split(SEPARATOR)
        if len(parts) > 1:
            stronger = max(parts, key=lambda part: confidences.get(part, 0.0))
            confidences[stronger] = confidences.get(stronger, 0.0) + label[CONFIDENCE]
    folded = [{INTENT_NAME_KEY: name, CONFIDENCE: c} for name, c in confidences.items()]
    return sorted(folded, key=lambda r: r[CONFIDENCE], reverse=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class TwoQuestionsCheck(ConfiguredComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            ranking = message.get(INTENT_RANKING_KEY) or []
            if not any(SEPARATOR in r[INTENT_NAME_KEY] for r in ranking):
                continue
            if question_clauses(message.get(TEXT) or "") >= 2:
                continue
            folded = fold_two_part_labels(ranking)
            message.set(INTENT_RANKING_KEY, folded, add_to_output=True)
            message.set(INTENT, dict(folded[0]), add_to_output=True)
        return messages
