"""An NLU component that reads an unsure short message in the light of the answer it follows.

"How do you know it's safe?" after the CBD safety answer, or "and in kids?" after the causes,
mean little on their own: DIET is unsure, and the message would be redirected as not covered, or
as off-topic. In the conversation they are plain follow-ups. Rasa gives an NLU component the
conversation's tracker when its `process` asks for it, so this component, which runs after the
honest redirects (components/honest_fallback.py) and before the safety check, resolves them:

- a question about the very answer just given (DIET's best guess is that answer again) that DIET
  also thinks may ask for sources, or for more, is that follow-up: `ask_evidence` or
  `tell_me_more` (they then refer to the previous answer: actions/follow_ups.py);
- a follow-up the previous answer expects (its `follow_ups` and `subject_switches` in
  knowledge/answers.yml), when it is DIET's best guess, is given: "are they addictive?" after the
  treatments is then answered about the treatments (actions/context.py);
- a short "does it work?", "so is that proof it works?" or "what helps?", made only of such
  words, asks what the previous answer's `does_it_help` says (after the cannabis research:
  whether cannabis helps dystonia; after the pain: the treatments). DIET reads these few
  common words with no subject as anything ("does that mean it works?" -> the definition), even
  confidently, so this applies whatever DIET says, except to safety, feedback, "more" and
  "sources" intents;
- a short question whether cannabis or a usual treatment works, naming nothing else ("what
  about CBD, does that help?", "does botox help with that?"), asks whether it helps dystonia:
  cannabis's answer (DIET hears CBD's other properties) or the treatments;
- a short question about addiction, side effects or pain relief that names no subject of its
  own ("what about addiction?", "and the side effects?", "is it a good painkiller though?") asks
  it about the previous answer's subject, whatever DIET says: after CBD's safety, CBD's
  addiction; after the treatments, their side effects; after CBD's properties, the painkiller
  claim among them. DIET hears the aspect and loses the subject;
- after an answer about another condition (cannabis for MS), a short question that takes what
  was said over to dystonia ("and does that apply to dystonia?", "and for dystonia, is it the
  same?") asks the answer's subject switch to dystonia: what the research says about cannabis
  for dystonia. DIET hears "dystonia" and gives the definition;
- after an answer about cannabis, a short question whether "it" has been tested or studied in
  people ("has that been tested on people with dystonia?", "any proper studies?") asks what the
  research says about cannabis for dystonia, whatever DIET says (it hears "not covered");
- after the answer about the article's source, a short "is it reliable then?" or "can I trust
  it?" asks about that source again (the answer says why it overstates some points);
- a short "wow, really?" or "is that true?" asks what the previous answer rests on: its sources;
- a short comment that asks nothing ("wow. only five", "that's a bit depressing tbh") gets
  "not sure I understood" with suggested questions, not an answer or the sources DIET hears in
  "that";
- a short "how do you know?", "says who?", "where's that from?" or "source?" asks for the sources of
  the previous answer (`ask_evidence`), whatever DIET says, as "does it work?" does;
- a short "ok, more please" or "go on then" asks for more (`tell_me_more`), whatever DIET says;
- a short "in kids?" or "for men?" asks the previous answer's question about a narrower group,
  which the article never answers: the honest `not_covered`, unless the answer records it as a
  subject switch. DIET reads these two words as anything (even "sources?");
- a short message that only names cannabis or a usual treatment ("how about CBD?", "is cbd?",
  "and botox?") asks the previous answer's question about it: the answer's one subject switch to
  that subject, whatever DIET says (after the side effects, CBD's safety; after "are those
  addictive?", CBD's addiction);
- a short question about someone's outlook ("will I get better?") that DIET calls off-topic is
  about dystonia, which no answer here covers: the honest `not_covered`;
- a bare "why?" or "how come?" asks why the previous answer's claim holds, which the article
  never explains: the honest `not_covered` (DIET reads it as the causes);
- "what about stress?" is a follow-up, not a question about what the assistant can do: a
  subject switch that DIET reads as `capabilities` is treated as unsure;
- any other short follow-up that points back or continues ("and ...?", "so ...?", "what about
  ...?") is about dystonia, since the conversation is: the honest `not_covered` instead of
  `out_of_scope`. One that points back ("how long does it last?") is, even when DIET is sure it
  is off-topic.

What kind of follow-up a message is comes from its words alone (components/follow_up_forms.py);
what it gets, from the answer it follows (here).

Apart from "does it work?", "more" and sources, only unsure messages are touched (DIET below the
fallback threshold, or overruled by the second opinion, or small talk for a subject switch), and
only right after an article answer.
"""

from typing import Any, Dict, List, Optional, Set, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.context import (
    points_back,
    refers_back,
    switches_subject,
    topic_of,
)
from actions.knowledge import knowledge
from actions.slots import LAST_ANSWER
from components.answer_subject import (
    ABOUT_SOURCE,
    ADDICTION,
    CANNABIS_ANSWERS,
)
from components.configured import ConfiguredComponent
from components.follow_up_forms import (
    CBD_FOR_DYSTONIA,
    MORE_ABOUT,
    asks_about_outlook,
    asks_for_more,
    asks_for_sources,
    asks_if_it_helps,
    asks_if_tested,
    asks_if_trusted,
    asks_why,
    aspect_asked,
    follows_on,
    named_subject_helps,
    named_subject_only,
    narrows,
    only_comments,
    reacts,
    takes_over_to_dystonia,
)
from components.honest_fallback import FALLBACK, NOT_COVERED, OUT_OF_SCOPE
from components.safety_patterns import SAFETY_INTENTS
from components.two_questions import question_sentence

ASK_EVIDENCE = "ask_evidence"
TELL_ME_MORE = "tell_me_more"
CAPABILITIES = "capabilities"
USUAL_TREATMENT_ANSWERS = frozenset({"treatments", "treatment_side_effects"})
# The answers about cannabis, and about the usual treatments, whose subject a short question
# about one aspect of it refers to; and the answer for each aspect.
_ABOUT_CANNABIS = CANNABIS_ANSWERS | {
    "cbd_multiple_sclerosis",
    "wilson_case_report",
    "dose_response_study",
}
_ASPECT_ANSWERS = {
    "cannabis": {"addiction": "cbd_addiction", "safety": "cbd_safety", "pain": "cbd_properties"},
    "usual": {"addiction": "treatment_side_effects", "safety": "treatment_side_effects"},
}
# Intents these rules never replace. (The diagnosis and buying replies may be: none of the words
# allowed can ask for a diagnosis or to buy something.)
_SAFETY = {intent for intent, _ in SAFETY_INTENTS} - {"diagnosis"}
_KEPT = _SAFETY | {
    "feedback_helpful",
    "feedback_not_helpful",
    "tell_me_more",
    "ask_evidence",
}


def expected_follow_ups(previous: Text, text: Text) -> Set[Text]:
    """The intents that knowledge/answers.yml resolves against `previous` for this message."""
    answer = knowledge().answers.get(previous)
    if answer is None:
        return set()
    # The answers the follow-ups lead to count too: "are they addictive?" after the treatments,
    # unsure as treatment_side_effects, is that follow-up already resolved.
    if refers_back(text):
        return set(answer.follow_ups) | set(answer.follow_ups.values())
    if switches_subject(text):
        return set(answer.subject_switches) | set(answer.subject_switches.values())
    return set()


def answer_for_aspect(previous: Text, aspect: Text) -> Optional[Text]:
    """The answer about `aspect` of the subject of the answer `previous`, if there is one."""
    if previous in _ABOUT_CANNABIS:
        return _ASPECT_ANSWERS["cannabis"].get(aspect)
    if previous in USUAL_TREATMENT_ANSWERS | {"pain"}:
        return _ASPECT_ANSWERS["usual"].get(aspect)
    return None


# What DIET makes of a comment that asks nothing ("wow. only five"), wrongly: the sources, more,
# an answer, or off-topic; not thanks, hello or goodbye ("wow, thanks").
_NOT_A_COMMENT = (_KEPT - {ASK_EVIDENCE, TELL_ME_MORE}) | {"greet", "thank", "goodbye"}
# The research answers that already say what was tested.
_ABOUT_THE_RESEARCH = frozenset({"cbd_for_dystonia", "research_difficulty", "dose_response_study"})
DYSTONIA_ITSELF = "define_dystonia"


def switched_to(answer: Any, subject: Text, asked_before: Text) -> Optional[Text]:
    """The previous answer's question about the subject named: its one subject switch to an
    answer about that subject. After "are those addictive?", CBD's safety is CBD's addiction."""
    answers = CANNABIS_ANSWERS if subject == "cannabis" else USUAL_TREATMENT_ANSWERS
    targets = {target for target in answer.subject_switches.values() if target in answers}
    if len(targets) != 1:
        return None
    [target] = targets
    if target == "cbd_safety" and ADDICTION.search(asked_before.lower()):
        return "cbd_addiction"
    return target


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class FollowUpContext(ConfiguredComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Set on the tuning conversations (tuning/conversations.yml).
        return {
            # Longer messages say what they are about themselves.
            "max_words": 10,
            # How far down DIET's ranking a follow-up intent may be and still be chosen.
            "follow_up_rank": 4,
        }

    def process(
        self, messages: List[Message], tracker: Optional[DialogueStateTracker] = None
    ) -> List[Message]:
        if tracker is None:
            return messages
        previous = topic_of(tracker.get_slot(LAST_ANSWER))
        if not previous:
            return messages
        # Parsing comes before the message joins the tracker: this is the question before.
        asked_before = (tracker.latest_message.text if tracker.latest_message else None) or ""
        for message in messages:
            intent = self.in_context(message, previous, asked_before)
            if intent is not None:
                classified = message.get(INTENT) or {}
                message.set(
                    INTENT,
                    {INTENT_NAME_KEY: intent, "confidence": classified.get("confidence", 0.0)},
                    add_to_output=True,
                )
        return messages

    def in_context(
        self, message: Message, previous: Text, asked_before: Text = ""
    ) -> Optional[Text]:
        """The intent an unsure follow-up to the answer `previous` gets, or None to keep it."""
        ranking = message.get(INTENT_RANKING_KEY) or []
        text = message.get(TEXT) or ""
        answer = knowledge().answers.get(previous)
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        # "Is that proof it works?" asks whether it works, though DIET hears "proof": sources.
        helps_kept = _KEPT - {ASK_EVIDENCE}
        if answer and answer.does_it_help and intent not in helps_kept and asks_if_it_helps(text):
            return answer.does_it_help
        helps = named_subject_helps(text)
        if intent not in helps_kept and helps:
            return helps
        to_dystonia = (answer.subject_switches if answer else {}).get(DYSTONIA_ITSELF)
        if (
            to_dystonia
            and intent not in _KEPT
            and takes_over_to_dystonia(text, self._config["max_words"])
        ):
            return to_dystonia
        # (After an answer about another condition, cannabis for MS, only when it asks about
        # dystonia: such an answer has a subject switch to dystonia.)
        about_dystonia = not to_dystonia or "dyston" in text.lower()
        if (
            previous in _ABOUT_CANNABIS
            and about_dystonia
            and intent not in _KEPT | _ABOUT_THE_RESEARCH
            and asks_if_tested(text)
        ):
            return CBD_FOR_DYSTONIA
        if previous == ABOUT_SOURCE and intent not in _KEPT and asks_if_trusted(text):
            return ABOUT_SOURCE
        aspect = aspect_asked(text)
        if aspect and intent not in _KEPT:
            about_subject = answer_for_aspect(previous, aspect)
            if about_subject:
                return about_subject
        if intent not in _KEPT and reacts(text):
            return ASK_EVIDENCE
        if intent not in _KEPT and asks_for_sources(text, self._config["max_words"]):
            return ASK_EVIDENCE
        if intent not in _KEPT and asks_for_more(text):
            return TELL_ME_MORE
        if answer and answer.more and intent == previous and MORE_ABOUT.search(text.lower()):
            # "Tell me more about the treatments" right after the treatments.
            return TELL_ME_MORE
        if intent not in _NOT_A_COMMENT and only_comments(text):
            return FALLBACK
        if intent not in _KEPT and asks_why(text):
            return NOT_COVERED
        subject = named_subject_only(text)
        if answer and subject and intent not in _KEPT:
            switched = switched_to(answer, subject, asked_before)
            if switched:
                return switched
        if intent not in _SAFETY and narrows(text):
            switched = (answer.subject_switches if answer else {}).get(intent or "")
            return switched or NOT_COVERED
        if intent == OUT_OF_SCOPE and asks_about_outlook(text, self._config["max_words"]):
            # "Will I get better?" after an answer is about dystonia, which has no answer here.
            return NOT_COVERED
        unsure = bool(ranking) and ranking[0].get(INTENT_NAME_KEY) == FALLBACK
        small_talk = intent == CAPABILITIES and switches_subject(text)
        # "How long does it last?" is about what was just said, not off-topic.
        off_topic = intent == OUT_OF_SCOPE and points_back(question_sentence(text) or text)
        if not (unsure or small_talk or off_topic) or not follows_on(
            text, self._config["max_words"]
        ):
            return None
        if off_topic:
            # DIET's ranking below a confident "off-topic" says nothing about which follow-up.
            return NOT_COVERED
        guesses = [
            r[INTENT_NAME_KEY]
            for r in ranking
            if r.get(INTENT_NAME_KEY) not in (FALLBACK, CAPABILITIES, OUT_OF_SCOPE)
        ]
        nearest = guesses[: self._config["follow_up_rank"]]
        if guesses and guesses[0] == previous:
            for follow_up in (ASK_EVIDENCE, TELL_ME_MORE):
                if follow_up in nearest:
                    return follow_up
        if guesses and guesses[0] in expected_follow_ups(previous, text):
            # A follow-up this answer expects ("are they addictive?" after the treatments):
            # action_answer_question answers it about the previous answer.
            return guesses[0]
        return NOT_COVERED if intent in (OUT_OF_SCOPE, CAPABILITIES) else None
