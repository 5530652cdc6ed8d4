"""An NLU component for what the form of a message settles, whatever DIET says of its words.

DIET weighs words, and a few words can outweigh the form of the whole message:

- **A request to make something** ("write me a rap about dystonia", "can you help me write a
  cover letter?") is not a question about dystonia, even when it names dystonia: it is
  off-topic (`out_of_scope`), and the reply says what the assistant can do.
- **A question is not small talk.** "who should I see then?" is not a goodbye (DIET hears "see
  you"), "what is botox?" not a question about what the assistant can do. A greeting, goodbye,
  thanks or feedback, or "what can you do?", given to a message that asks about something other
  than the assistant itself becomes `nlu_fallback`, for components/honest_fallback.py to
  redirect honestly (not covered, or off-topic).
- **"Is there anything safer?"** asks for a ranking the article never makes: redirected
  honestly rather than answered with the side effects again.
- **"Is Epidiolex approved for dystonia?"**, "will insurance cover it?": whether something is
  approved, licensed or paid for, which no answer says: redirected honestly rather than answered
  with what the article says about the medicine.
- **"Do you keep what I type?"** asks about privacy, not what the assistant can do.
- **"How are you?"** is a greeting, not a request for sources ("how do you know?"), and so
  is a hello with a few words more that DIET did not place ("good morning from a rainy
  Leeds!").

It runs after the answer checks and before the honest redirects.
"""

import re
from typing import List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.knowledge import knowledge
from components.answer_subject import mark_unsure, only_asks_what_a_term_is
from components.configured import ConfiguredComponent
from components.honest_fallback import FALLBACK, OUT_OF_SCOPE
from components.safety_patterns import normalise
from components.two_questions import asking_clauses, question_sentence

GREET = "greet"
# What DIET may have made of a greeting with a few words more: off-topic, or nothing.
_NOT_UNDERSTOOD = frozenset({OUT_OF_SCOPE, FALLBACK})
CAPABILITIES = "capabilities"
# Things people ask a chatbot to make; none of them is a question this assistant answers.
_MADE_THINGS = (
    r"poem|poetry|rap|song|lyrics|story|stories|essay|letter|cover letter|email|e-mail|speech"
    r"|joke|limerick|haiku|script|code|program|function|query|cv|resume|toast|eulogy|tweet|post"
    r"|blog(?: post)?|caption|slogan|rhyme|sonnet|card message"
)
_MAKE_REQUEST = re.compile(
    r"^(?:(?:hey|hi|ok|okay|so|please|pls|lol),? )*"
    r"(?:(?:can|could|would|will) (?:you|u) (?:please |pls )?|please |pls |i want you to |"
    r"i need you to |i'd like you to )?"
    r"(?:help me (?:to )?)?(?:write|compose|draft|create|make up|generate|come up with|rewrite)"
    r" (?:me |us |for me )?(?:a |an |some |my |the )?(?:\w+ ){0,3}?"
    rf"(?:{_MADE_THINGS})\b"
)
# Small talk, feedback and questions about the assistant: not answers to a question about
# something else.
_ABOUT_THE_CONVERSATION = frozenset(
    {"greet", "goodbye", "thank", "feedback_helpful", "feedback_not_helpful", "capabilities"}
)
# "do you keep what I type?", "will you remember what I said?": a question whether what is
# typed here is kept, which DIET hears as a question about what the assistant can do.
_ASKS_WHAT_IS_KEPT = re.compile(
    r"\b(?:do|does|will|would|can|could|are|is|did)\b.{0,20}?"
    r"\b(?:you|u|this bot|the bot|this chat|this app|anyone|anybody|someone|the clinic)\b.{0,15}?"
    r"\b(?:keep|kept|store|stored|save|saved|record|recorded|log|logged|remember|share|shared"
    r"|sell|sold|track|delete|deleted|hang on to|pass on)\w*\b(?: \w+)?.{0,3}?"
    r"\b(?:what (?:i|we|ive|i've)|my|the things i|things i|messages?|chats?|data|info|information"
    r"|details|conversations?|history|ip)\b"
    # "Can I get this chat wiped afterwards?", "will my uni find out I asked about this?"
    r"|\b(?:this|the|my|our) (?:chat|conversation|messages?|data|history)\b.{0,20}"
    r"\b(?:deleted|wiped|erased|removed|cleared)\b"
    r"|\b(?:will|would|could|can|does|do)\b.{0,20}\b(?:find out|know|see|be told|hear)\b"
    r" (?:that |what )?(?:i|we)(?:'ve| have)? (?:asked|said|typed|wrote|written|talked)\b"
)
PRIVACY = "privacy"
# "Is there anything safer?", "is there a better drug?": the article ranks nothing, so no answer
# says which is safer or better.
_ASKS_FOR_SOMETHING_BETTER = re.compile(
    r"^(?:(?:so|and|but|ok|okay|hmm|well),? )*(?:is|are) there (?:anything|something|any|a|an)"
    r"(?: \w+)? (?:safer|better|gentler|stronger|milder|more effective|less addictive|"
    r"with (?:fewer|less) side effects)\b"
    # "is cbd better?", naming nothing to compare it with
    r"|^(?:(?:so|and|but|ok|okay|hmm|well),? )*(?:is|are) (?:\w+ ){1,2}(?:better|safer|gentler"
    r"|stronger|milder|more effective|less addictive)(?: (?:then|though|tho|instead))?\W*$"
)
# A question that addresses the assistant ("how are you?", "what can you do?") may be any of
# them, and so may one that says hello, goodbye or thanks ("hi, anyone there?").
_ADDRESSES_THE_ASSISTANT = re.compile(r"\b(?:you|u|ya|your|yours|yourself|bot|chatbot)\b")
_SMALL_TALK_WORDS = re.compile(
    r"\b(?:hi|hello|hey|hiya|morning|evening|afternoon|anyone|anybody|thanks?|ty|thx|cheers"
    r"|bye|goodbye|goodnight|night|later|cya|helpful|useful|helped)\b"
)
# "Good morning from a rainy Leeds!": a hello that asks nothing, in a few words.
_GREETING = re.compile(r"^(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening)|morning)\b")
_GREETING_MAX_WORDS = 8
_HOW_ARE_YOU = re.compile(
    r"^(?:(?:hi|hello|hey|hiya|ok|oh|and)(?: there)?,? )*"
    r"(?:how (?:are|r) (?:you|u|ya)|how's it going|hows it going|how is it going|how are things)"
    r"(?: (?:doing|today|keeping|getting on|then|tonight))*[?!. ]*$"
)


def asks_for_something_made(text: Text) -> bool:
    return bool(_MAKE_REQUEST.search(text))


def only_greets(text: Text) -> bool:
    return (
        bool(_GREETING.match(text))
        and len(text.split()) <= _GREETING_MAX_WORDS
        and not asking_clauses(text)
    )


def asks_about_something_else(intent: Text, text: Text) -> bool:
    """The message asks about something other than the conversation: for small talk, any
    question that neither addresses the assistant nor says hello, goodbye or thanks; for
    "what can you do?", a question what a term is ("what is botox?")."""
    if _ADDRESSES_THE_ASSISTANT.search(text) or _SMALL_TALK_WORDS.search(text):
        return False
    if intent == CAPABILITIES:
        # ("what can I ask?", "how does this work?" are about the assistant, without a "you".)
        return only_asks_what_a_term_is(text)
    return bool(asking_clauses(text))


# Approval, licences and who pays: in the sentence that asks ("she gets Sativex on prescription.
# does cannabis help MS?" is about the evidence).
_ASKS_ABOUT_APPROVAL = re.compile(
    r"\b(?:approved|approval|licensed|licenced|insurance|insurer|reimburs\w*|funded"
    r"|on the nhs|prescribable)\b"
)


def no_answer_fits(intent: Optional[Text], text: Text) -> bool:
    """Small talk for a question about something else, a ranking the article never makes, or
    an article answer for whether something is approved or paid for."""
    small_talk = intent in _ABOUT_THE_CONVERSATION and asks_about_something_else(intent, text)
    approval = intent in knowledge().answers and bool(
        _ASKS_ABOUT_APPROVAL.search(question_sentence(text) or text)
    )
    return small_talk or approval or bool(_ASKS_FOR_SOMETHING_BETTER.search(text))


def settled_intent(intent: Optional[Text], text: Text) -> Optional[Text]:
    """The intent the form of the message settles, or None."""
    if asks_for_something_made(text):
        return OUT_OF_SCOPE
    if _ASKS_WHAT_IS_KEPT.search(text):
        return PRIVACY
    if _HOW_ARE_YOU.match(text) or (intent in _NOT_UNDERSTOOD and only_greets(text)):
        return GREET
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class MessageFormCheck(ConfiguredComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            name = intent.get(INTENT_NAME_KEY)
            text = normalise(message.get(TEXT) or "")
            settled = settled_intent(name, text)
            if settled:
                message.set(INTENT, {**intent, INTENT_NAME_KEY: settled}, add_to_output=True)
            elif no_answer_fits(name, text):
                mark_unsure(message)
        return messages
