"""An NLU component that asks a second classifier about every article answer.

A confident answer to a different question is the worst thing this assistant can give. DIET is
sometimes sure of the wrong answer, typically for a question the article does not cover that
sits next to one it does ("can dystonia affect swallowing?" -> the symptoms list). This
component trains a different kind of classifier on the same data (components/ngram_classifier.py)
and, when the two disagree about which answer a message asks for and DIET is not very sure,
turns the answer into `nlu_fallback`, which components/honest_fallback.py then redirects
honestly ("the article doesn't cover that", or off-topic). The other way round, when the
FallbackClassifier found DIET unsure of an answer (long messages spread its confidence thin) and
the second classifier independently picks the same answer, the answer is given after all; for a
message of several sentences, it is also given when the second classifier is confident of an
answer for the sentence that asks the question and DIET ranks that answer among its first few
(a paragraph of context before the question is how patients write). A question DIET took,
not very surely, for one about the chat ("what doctor should I see?" -> privacy) gets the
honest "not covered" when the second classifier reads it as one about dystonia. It runs after
the FallbackClassifier.
"""

from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.answer_subject import REFUSALS, asks_for_a_refusal
from components.crisis_context import over_and_done
from components.follow_up_context import TELL_ME_MORE
from components.follow_up_forms import MORE_ABOUT
from components.honest_fallback import FALLBACK, NOT_ABOUT_DYSTONIA, NOT_COVERED
from components.ngram_classifier import NgramClassifierComponent, fit_ngram_classifier
from components.safety_patterns import CRISIS_INTENTS, SAFETY_INTENTS, normalise
from components.two_questions import (
    SEPARATOR,
    asking_clauses,
    asks_something,
    fold_two_part_labels,
    question_mark_clauses,
    question_sentence,
)

# Small talk that may open a message whose real point is a question after it.
SMALL_TALK = frozenset({"greet", "thank", "goodbye"})
# Replies about the conversation or the assistant itself, not about dystonia.
ABOUT_THE_CHAT = SMALL_TALK | {"capabilities", "privacy", "bot_challenge"}
# In the parse data: the answers, in order, to a message that asks several things.
QUESTIONS_KEY = "questions"
# Replies that are not article answers: the second opinion is not asked about them.
NOT_ANSWERS = (
    NOT_ABOUT_DYSTONIA
    | {NOT_COVERED}
    | {intent for intent, _ in SAFETY_INTENTS}
    | {"diagnosis", "buying_cannabis"}
)


def answer_parts(intent: Text) -> List[Text]:
    """The article answers an intent asks for: none, one, or both parts of a two-part intent."""
    parts = intent.split(SEPARATOR)
    return [] if any(part in NOT_ANSWERS for part in parts) else parts


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SecondOpinion(NgramClassifierComponent):
    model_file = "second_opinion.skops"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Set on the tuning set (tuning/messages.yml).
        return {
            # Above this confidence DIET is trusted on its own.
            "trust_above": 0.9,
            # From this confidence up, an answer DIET was unsure of is given when both agree.
            "rescue_above": 0.2,
            # For a message of several sentences: the second classifier's confidence in an
            # answer for the question sentence alone, and how high DIET must rank it.
            "question_sentence_above": 0.6,
            "question_sentence_rank": 3,
            # DIET unsure and no agreement: the second classifier alone, only when it is this
            # sure of one article answer (it reads typos and filler words better than DIET).
            "alone_above": 0.7,
            # A message asking several things: how sure of the answer to each question clause.
            "each_question_above": 0.6,
        }

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if SEPARATOR not in e.get(INTENT)]
        return self.keep(
            fit_ngram_classifier(
                [normalise(e.get(TEXT)) for e in examples],
                [e.get(INTENT) for e in examples],
                balanced=False,
            )
        )

    def agrees(self, text: Text, parts: List[Text]) -> bool:
        """Whether the second classifier's first choice is one of the answers DIET chose, or
        "tell me more" for a message that asks for more about it ("tell me more about the
        treatments")."""
        if self._classifier is None:  # not trained: no second opinion to give
            return True
        chosen = self.first_choice(normalise(text))
        return chosen in parts or (
            chosen == TELL_ME_MORE and len(parts) == 1 and bool(MORE_ABOUT.search(text.lower()))
        )

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._check(message)
            self._find_each_question(message)
        return messages

    def _check(self, message: Message) -> None:
        """DIET's answer kept, replaced, or turned into `nlu_fallback`."""
        intent = message.get(INTENT) or {}
        if intent.get(INTENT_NAME_KEY) == FALLBACK:
            self._rescue(message)
            return
        if intent.get(INTENT_NAME_KEY) in SMALL_TALK:
            self._question_after_small_talk(message)
            if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) != intent.get(INTENT_NAME_KEY):
                return
        if intent.get(INTENT_NAME_KEY) in ABOUT_THE_CHAT:
            self._doubt_reply_about_the_chat(message)
            return
        if self._not_asked_for(intent.get(INTENT_NAME_KEY) or FALLBACK, message.get(TEXT) or ""):
            self._answer_instead(message)
            return
        parts = answer_parts(intent.get(INTENT_NAME_KEY) or FALLBACK)
        if not parts or intent.get("confidence", 0.0) >= self._config["trust_above"]:
            return
        if self.agrees(message.get(TEXT) or "", parts):
            return
        # Both doubt DIET's first choice, but when the second classifier is very sure of
        # DIET's runner-up, that is the answer ("what does CBD actually do?").
        ranking = message.get(INTENT_RANKING_KEY) or []
        sure_of = self._sure_alone(message.get(TEXT) or "")
        top = ranking[: self._config["question_sentence_rank"]]
        runner_up = next((r for r in top if r.get(INTENT_NAME_KEY) == sure_of), None)
        if runner_up is None:
            # Or of the answer to the sentence that asks, after a paragraph of context.
            runner_up = self._answer_to_question_sentence(message.get(TEXT) or "", ranking)
        if runner_up is None:
            # Or it asks two things, and DIET's choice answers one of them.
            runner_up = self._first_of_each_question(message, ranking)
        if runner_up is not None:
            message.set(INTENT, dict(runner_up), add_to_output=True)
            return
        unsure = {INTENT_NAME_KEY: FALLBACK, "confidence": intent.get("confidence", 0.0)}
        message.set(INTENT, unsure, add_to_output=True)
        message.set(
            INTENT_RANKING_KEY,
            [unsure] + (message.get(INTENT_RANKING_KEY) or []),
            add_to_output=True,
        )

    @staticmethod
    def _not_asked_for(intent: Text, text: Text) -> bool:
        """A reply DIET chose that the message does not ask for: an emergency over and done
        ("last year my throat locked up ..., I've been fine since"; components/crisis_context.py),
        or a diagnosis or dose refusal for a question that asks for neither ("he's just been
        diagnosed with dystonia. What causes it?"; components/answer_subject.py)."""
        if intent == "emergency":
            return over_and_done(text)
        return intent in REFUSALS and not asks_for_a_refusal(intent, text)

    def _answer_instead(self, message: Message) -> None:
        """The answer to what the message asks, looked for as for an unsure message among
        DIET's other choices; else the reply stays, for AnswerSubjectCheck to set a refusal
        aside and SafetyCheck to give "not covered" for the emergency (or to escalate, if a
        learned signal or a pattern finds another crisis). The ranking is kept as it is:
        SafetyCheck reads DIET's confidence in the emergency from it."""
        ranking = message.get(INTENT_RANKING_KEY) or []
        not_asked = CRISIS_INTENTS | REFUSALS | {FALLBACK}
        others = [r for r in ranking if r.get(INTENT_NAME_KEY) not in not_asked]
        # Without the emergency, DIET's confidence is spread thin over two-part labels too.
        chosen = self._rescued(message, fold_two_part_labels(others))
        if chosen is not None:
            message.set(INTENT, dict(chosen), add_to_output=True)

    def _rescue(self, message: Message) -> None:
        """Gives an answer after all when the second classifier independently picks it too."""
        ranking = [
            r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != FALLBACK
        ]
        chosen = self._rescued(message, ranking)
        if chosen is not None:
            message.set(INTENT, dict(chosen), add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

    def _rescued(
        self, message: Message, ranking: List[Dict[Text, Any]]
    ) -> Optional[Dict[Text, Any]]:
        """The answer an unsure message gets after all, from DIET's `ranking`, or None."""
        if not ranking:
            return None
        text = message.get(TEXT) or ""
        parts = answer_parts(ranking[0][INTENT_NAME_KEY])
        sure_enough = ranking[0].get("confidence", 0.0) >= self._config["rescue_above"]
        if sure_enough and len(parts) == 1 and self.agrees(text, parts):
            chosen: Optional[Dict[Text, Any]] = ranking[0]
        else:
            chosen = self._answer_to_question_sentence(
                text, ranking
            ) or self._first_of_each_question(message, ranking)
            # Very sure of the whole message, or of the sentence that asks the question: in
            # a long message DIET may not rank the answer at all ("... what actually is
            # dystonia? i want to understand it before i push him").
            question = question_sentence(text)
            sure_of = self._sure_alone(text) or (self._sure_alone(question) if question else None)
            if chosen is None and sure_of is not None:
                diet: Dict[Text, Any] = next(
                    (r for r in ranking if r.get(INTENT_NAME_KEY) == sure_of), {}
                )
                chosen = {INTENT_NAME_KEY: sure_of, "confidence": diet.get("confidence", 0.0)}
        return chosen

    def _first_of_each_question(
        self, message: Message, ranking: List[Dict[Text, Any]]
    ) -> Optional[Dict[Text, Any]]:
        """ "Does dystonia hurt? And what makes it worse?": a pair Rasa's multi-intents were
        never trained on leaves DIET unsure. When the second classifier is sure of a different
        answer for each question and one of them is DIET's first choice (alone or in a
        two-part label), each is answered: the first becomes the intent, all of them the
        message's `questions`."""
        answers = self._each_question_answers(message.get(TEXT) or "")
        first = answer_parts(ranking[0].get(INTENT_NAME_KEY) or FALLBACK) if ranking else []
        if len(answers) < 2 or not set(answers) & set(first):
            return None
        message.set(QUESTIONS_KEY, answers, add_to_output=True)
        diet = next((r for r in ranking if r.get(INTENT_NAME_KEY) == answers[0]), {})
        return {INTENT_NAME_KEY: answers[0], "confidence": diet.get("confidence", 0.0)}

    def _each_question_answers(self, text: Text) -> List[Text]:
        """The answers the second classifier is sure each question clause asks for, in order;
        empty unless it is sure for every clause."""
        sure = self._sure_answer_per_question(text)
        if len(sure) < 2 or None in sure:
            return []
        return list(dict.fromkeys(a for a in sure if a))

    def _sure_answer_per_question(self, text: Text) -> List[Optional[Text]]:
        """For each question clause, the answer the second classifier is sure of, or None;
        empty for a message that asks one thing (the callers only use two or more, and the
        classifier's call was 4 % of the server's time for every message)."""
        clauses = question_mark_clauses(text)
        if len(clauses) < 2:
            return []
        above = self._config["each_question_above"]
        return [self._sure_answer(clause, above) for clause in clauses]

    def _find_each_question(self, message: Message) -> None:
        """For a message that asks several things and got one article answer: the answers the
        second classifier is sure each question clause asks for, in order, when DIET's answer is
        one of them ("Is dystonia painful? And separately, is CBD addictive?"). Rasa's
        multi-intents cover only the trained pairs; action_answer_question reads this."""
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY) or FALLBACK
        if len(answer_parts(intent)) != 1:
            return
        sure = self._sure_answer_per_question(message.get(TEXT) or "")
        answers = list(dict.fromkeys(a for a in sure if a))
        if len(sure) > 1 and intent in answers and len(answers) > 1:
            message.set(QUESTIONS_KEY, answers, add_to_output=True)

    def _doubt_reply_about_the_chat(self, message: Message) -> None:
        """A question that DIET, not very sure, took for one about the chat or the assistant,
        and that the second classifier reads as one about dystonia ("what doctor should I
        see?" -> privacy), gets the honest "not covered" instead: a reply about the assistant
        to a health question is a confident answer to a different question."""
        intent = message.get(INTENT) or {}
        text = message.get(TEXT) or ""
        if (
            self._classifier is None
            or intent.get("confidence", 0.0) >= self._config["trust_above"]
            or not asks_something(text)
            or self.first_choice(normalise(text)) in NOT_ABOUT_DYSTONIA
        ):
            return
        redirect = {INTENT_NAME_KEY: NOT_COVERED, "confidence": intent.get("confidence", 0.0)}
        message.set(INTENT, redirect, add_to_output=True)

    def _question_after_small_talk(self, message: Message) -> None:
        """ "Thanks! One more thing: why is it worse when I'm tired?" asks the question: the
        answer to its question sentence, found as for a long message, replaces the thanks."""
        ranking = message.get(INTENT_RANKING_KEY) or []
        chosen = self._answer_to_question_sentence(message.get(TEXT) or "", ranking)
        if chosen is not None:
            message.set(INTENT, dict(chosen), add_to_output=True)

    def _sure_alone(self, text: Text) -> Optional[Text]:
        """The article answer the second classifier alone is very sure of, if any."""
        return self._sure_answer(text, self._config["alone_above"])

    def _sure_answer(self, text: Text, above: float) -> Optional[Text]:
        """The article answer the second classifier gives `text` with at least `above`."""
        if self._classifier is None:
            return None
        label, probability = self.best(normalise(text))
        return label if probability >= above and answer_parts(label) else None

    def _answer_to_question_sentence(
        self, text: Text, ranking: List[Dict[Text, Any]]
    ) -> Optional[Dict[Text, Any]]:
        """DIET's entry for the answer the second classifier is sure the question sentence
        asks for, if DIET ranks it high enough; else None."""
        question = question_sentence(text)
        if question is None:
            return None
        # Or of its last asking clause, after words that lead up to it ("Looking back now
        # that it's over, I'm curious: what actually causes dystonia?").
        label: Optional[Text] = None
        for part in [question] + asking_clauses(question)[-1:]:
            label = label or self._sure_answer(part, self._config["question_sentence_above"])
        top = ranking[: self._config["question_sentence_rank"]]
        return next((r for r in top if label and r.get(INTENT_NAME_KEY) == label), None)
