"""An NLU component that gives an answer only when it is about what the question asks about.

A confident answer to a different question is the worst thing this assistant can give, and the
commonest way DIET gives one is to match the form of a question and miss its subject. Two
checks, on the answer DIET (and the second opinion) chose:

- **The term defined.** "What is X?" is a strong signal for the definition of dystonia, so
  DIET gives it to "what is blepharospasm?", "what is a sensory trick in dystonia?" or "what is
  myoclonus-dystonia?" as well. When every "what is X" / "what does X mean" / "define X" in a
  message asks about a term other than dystonia itself (or "it", "this", "the condition"), the
  definition is not given. The term is read up to the first preposition or punctuation ("what
  is dystonia, in plain words?", "what is the difference between dystonia and tremor?" -> "the
  difference"). Named kinds of dystonia ("cervical dystonia") are terms of their own: the
  article describes dystonia in general and only the focal, segmental and generalised forms.
  A message with no such phrase is left alone ("what kind of condition is dystonia?").
  Conversely, "my mum was just diagnosed with dystonia, what is it?" asks for the definition,
  not for a diagnosis.
- **Whose answer.** A question about cannabis gets a cannabis answer, never the dystonia or
  usual-treatment one ("can CBD make dystonia worse?" is not about what makes dystonia worse);
  a question about the usual treatments that names no cannabis gets the usual-treatment answer
  ("are muscle relaxants safe long term?"); and a cannabis answer is not given for another
  condition ("does CBD help epilepsy?"). Where the other subject has the same answer (side
  effects, addiction), that answer is given instead.

A diagnosis or dose refusal is not given to a message whose every question asks what a term other
than dystonia is ("what is a sensory trick?", "whats artane?"), unless the term is personal or a
dose ("what is wrong with me?", "what is the right dose?"). "What is Wilson's disease?" does
not get the Wilson's case report but the answer whose text names the term (the related
conditions, which explain it), or the honest not-covered reply.

An answer that fits neither becomes `nlu_fallback`, so that components/honest_fallback.py
redirects honestly: not covered, or off-topic. The ranking is kept: DIET's confidence in the
answer still says the message is about dystonia rather than off-topic. It runs after the second
opinion and before the honest redirects.
"""

import re
from difflib import SequenceMatcher
from typing import Callable, Dict, List, Optional, Set, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from actions.context import CANNABIS_WORDS, POINTING_WORDS, USUAL_TREATMENT_WORDS, points_back
from actions.knowledge import knowledge
from components.configured import ConfiguredComponent
from components.honest_fallback import FALLBACK, NOT_COVERED
from components.safety_patterns import SAFETY_INTENTS, normalise, safety_intents
from components.two_questions import SEPARATOR, question_mark_clauses, question_sentence

DEFINITION = "define_dystonia"

# The term each phrase asks about.
ASKS_WHAT = re.compile(
    r"\bwhat does (?P<meaning>[^?.!,;:]+?) (?:mean|stand for)\b"
    r"|\bwhat(?: (?:exactly|actually|really|even|the heck|the hell|on earth))?(?:'s|s| is| are) "
    r"(?P<after>[^?.!,;:]+)"
    # "... what dystonia is", "what it is, exactly"
    r"|\bwhat (?P<before>[^?.!,;:]+?) is(?=\s*(?:[?.!,;:]|$))"
    r"|\b(?:define|definition of|meaning of) (?P<defined>[^?.!,;:]+)"
)
# "The meaning of X", "the definition of X": the term is X.
_MEANING_OF = re.compile(r"^(?:the |a )?(?:meaning|definition|name) (?:of|for) ")
# Where the term ends: "dystonia in plain words", "the difference between ...".
_TERM_ENDS = re.compile(
    r"\b(?:in|on|of|for|with|between|and|or|as|like|when|if|to|from|about|at|that|which|"
    r"who|where|because|so|but|generally|basically|exactly|actually|really|anyway|please|pls|tbh|lol|"
    r"briefly|simply|quickly)\b"
)
# "What is the condition?": the one being talked about.
_THE_CONDITION = frozenset({"condition", "disorder", "illness", "disease"})
# Words a term for dystonia itself may also contain.
_ALSO_DYSTONIA = frozenset(
    re.findall(
        r"\S+",
        """a an the my his her condition disorder illness disease thing mean means word term
        focal segmental generalised generalized even then now again tho though""",
    )
)


def names_dystonia(word: Text) -> bool:
    """ "dystonia" or a misspelling of it ("distonia", "dystonya"), not "dystonic storm"."""
    return (
        word.startswith("dyston")
        and len(word) <= 9
        or (
            SequenceMatcher(None, word, "dystonia").ratio() >= 0.8
            and not word.startswith("dystonic")
        )
    )


def term_words(term: Text) -> List[Text]:
    """The words of the term, up to where it ends."""
    head = _TERM_ENDS.split(_MEANING_OF.sub("", term.strip()), maxsplit=1)[0]
    return re.findall(r"[a-z']+", head)


def about_dystonia(words: List[Text]) -> bool:
    """Whether a term asks about dystonia itself ("the condition"), or points back at it."""
    if not words or words[0] in POINTING_WORDS:
        return True
    return all(names_dystonia(w) or w in _ALSO_DYSTONIA for w in words) and any(
        names_dystonia(w) or w in _THE_CONDITION for w in words
    )


def asks_about_other_term(text: Text) -> Optional[bool]:
    """True when every definition phrase in the message asks about something other than
    dystonia, False when one asks about dystonia, None when there is no such phrase."""
    matches = list(ASKS_WHAT.finditer(normalise(text)))
    if not matches:
        return None
    return not any(asks_about_dystonia(match) for match in matches)


def asks_about_dystonia(match: "re.Match[str]") -> bool:
    before = match.group("before")
    if before is not None:
        # "what kind of condition it is": the subject comes last, after any wording.
        words = re.findall(r"[a-z']+", before)
        return any(names_dystonia(w) or w in POINTING_WORDS | _THE_CONDITION for w in words)
    term = next(group for group in match.groups() if group)
    return about_dystonia(term_words(term))


DIAGNOSIS = "diagnosis"
# "My mum was just diagnosed with dystonia", "the neuro said I have dystonia": a diagnosis made.
_DIAGNOSIS_MADE = re.compile(
    r"\bdiagnos\w* (?:with |as |of )?(?:\w+ )?(?:dystonia|it)\b"
    r"|\b(?:said|says|told|thinks) (?:\w+ ){0,3}(?:has|have|had|got) (?:\w+ )?dystonia\b"
)


def asks_what_a_diagnosis_means(text: Text) -> bool:
    """ "My mum was just diagnosed with dystonia, what is it?" asks what dystonia is, not
    whether she has it: a diagnosis already made, and a definition asked for."""
    return bool(_DIAGNOSIS_MADE.search(normalise(text))) and asks_about_other_term(text) is False


# Whether someone has dystonia is asked about a person, or about how it is diagnosed. A general
# question with neither ("can dystonia make you blink all the time?", "is musician's dystonia
# career-ending?") does not get the diagnosis reply, whatever DIET hears in it.
_ABOUT_SOMEONE_OR_DIAGNOSING = re.compile(
    r"\b(?:i|i'm|im|i've|ive|i'd|me|my|mine|myself|we|our|us|he|she|him|her|his|hers|son|sons"
    r"|daughters?|mum|mom|mam|dad|father|mother|parents?|wife|husband|partner|kids?|child|children"
    r"|baby|boy|girl|friends?|brother|sister|grand\w+|nan|gran|aunt|uncle|cousin|niece|nephew"
    r"|teen\w*|toddler|patient|person|someone|somebody|this|these"
    r"|diagnos\w*|tests?|testing|scans?|mri|ct|blood\w*|eeg|emg|doctors?|neurologists?|gp|specialists?"
    r"|detect\w*|pick up|show up"
    r"|check\w*|sure|know\w*|tell if|sounds? like|could it be|or just|symptoms?|signs?)\b"
)


def asks_for_a_diagnosis(text: Text) -> bool:
    return bool(_ABOUT_SOMEONE_OR_DIAGNOSING.search(normalise(text)))


# "What is a sensory trick?", "whats artane?" ask what a term means: neither a diagnosis nor a
# dose, whatever DIET hears in "dystonia" or a drug's name.
REFUSALS = frozenset({DIAGNOSIS, "medication_advice"})
# Terms that do ask for a diagnosis or a dose: "what is wrong with me", "what is the right dose".
_PERSONAL_OR_DOSE = frozenset(
    re.findall(
        r"\S+",
        """my me i mine wrong happening going dose doses dosage amount amounts mg much many best
        right safe strength strain""",
    )
)


# A diagnosis someone has been given ("he's just been diagnosed with"), not how it is made.
_DIAGNOSIS_GIVEN = re.compile(
    r"\b(?:been|was|were|got|just|recently|finally|newly|officially) diagnosed\b"
    r"|\bdiagnosed (?:me|him|her|them|us|my \w+) (?:with|as)\b"
)


# Advice on medicines is asked about someone's own, or about doses, timing, starting, stopping
# or combining them. A general question about a drug ("is levodopa used for dopa-responsive
# dystonia?") names none of these.
_ABOUT_SOMEONES_MEDICINES = re.compile(
    r"\b(?:i|i'm|im|i've|ive|i'd|me|my|mine|we|our|us|he|she|him|her|his|they|their|you|your"
    r"|son|daughter|mum|mom|mam|dad|wife|husband|partner|kids?|child|baby|patient|someone|anyone"
    r"|dose|doses|dosage|dosing|mg|ml|drops?|puffs?|gummies|amount|much|many|strength|strong"
    r"|start\w*|stop\w*|quit|come off|coming off|taper\w*|wean\w*|reduce|increase|double|halve"
    r"|cut|split\w*|crush\w*|skip\w*|miss\w*|forgot|switch\w*|swap\w*|instead|combine\w*"
    r"|mix\w*|together|alongside|on top of|interact\w*|safe|ok|okay|should|daily|a day|per day"
    r"|morning|night|bed|earlier|sooner|later|enough|too much|how often)\b"
    r"|\d\s*(?:mg|ml|%)"
)


def asks_for_a_refusal(refusal: Text, text: Text) -> bool:
    """Whether the message asks what the diagnosis or dose refusal is for: not when it only asks
    what a term is; for the dose refusal, not when it asks about a drug in general, with no one's
    medicines and no dose, timing or combination in it; for the diagnosis, not when it is about
    no one and not about diagnosing, or when a diagnosis already made is not put in doubt."""
    if only_asks_what_a_term_is(text):
        return False
    if refusal != DIAGNOSIS:
        return bool(_ABOUT_SOMEONES_MEDICINES.search(normalise(text)))
    # "He's just been diagnosed with dystonia. What causes it?": made, and not doubted.
    made = bool(_DIAGNOSIS_GIVEN.search(normalise(text)))
    return asks_for_a_diagnosis(text) and not (made and DIAGNOSIS not in safety_intents(text))


def only_asks_what_a_term_is(text: Text) -> bool:
    """Every question in the message asks what a term other than dystonia is ("What's a sensory
    trick? When I touch my chin my neck goes straight." asks one question)."""
    clauses = question_mark_clauses(normalise(text))
    if not clauses or asks_about_other_term(text) is not True:
        return False
    for clause in clauses:
        match = ASKS_WHAT.search(clause)
        if match is None:
            return False
        term = next(group for group in match.groups() if group)
        if _PERSONAL_OR_DOSE.intersection(re.findall(r"[a-z']+", term)):
            return False
    return True


# The answers about one study or case: "what is Wilson's disease?" does not ask about the case.
REPORTS = frozenset({"wilson_case_report", "dose_response_study"})
# Terms that are the study itself, or point at it: "what's the story with that case?".
_A_STUDY = POINTING_WORDS | frozenset(
    re.findall(
        r"\S+",
        """study studies case report trial trials research paper patient patients story deal
        thing point""",
    )
)


def defined_term(text: Text) -> List[Text]:
    """The words of the first term a definition phrase asks about ("what is X"), or []."""
    match = ASKS_WHAT.search(normalise(text))
    if match is None or match.group("before") is not None:
        return []
    return term_words(next(group for group in match.groups() if group))


def asks_what_a_term_is(text: Text) -> bool:
    """ "What is Wilson's disease?", not "what was the Wilson's disease case?"."""
    term = defined_term(text)
    return bool(term) and not _A_STUDY.intersection(term)


def answer_naming_term(text: Text) -> Optional[Text]:
    """The answer, other than a study's, whose text names every word of the term asked about
    (Wilson's disease: the related conditions, which explain it), or None."""
    wanted = {_bare(w) for w in defined_term(text) if w not in ENGLISH_STOP_WORDS}
    for name, answer in knowledge().answers.items():
        said = {_bare(w) for w in re.findall(r"[a-z']+", answer.text.lower())}
        if name not in REPORTS and wanted and wanted <= said:
            return name
    return None


# DIET gives the Wilson's case to any question that names Wilson's disease ("does Wilson's
# disease run in families?"). Every training example of a report names the report, the
# cannabis, the patients or the result in one of these words, or points back at it.
_MENTIONS_A_REPORT = re.compile(
    r"\b(?:case|cases|report\w*|patients?|person|man|woman|guy|someone|somebody|people|ppl"
    rf"|{CANNABIS_WORDS}|cannabinoids?|smok\w*|inhal\w*|stud\w*|trials?|research|improv\w*"
    r"|better|helped|article|story|result\w*|details?|found|find|show\w*|dose\w*|amounts?"
    r"|consroe|uribe|roca|1986|2005|five|5|paper|published|evidence|proof|anecdot\w*|example"
    r"|experiment\w*|one|ones)\b"
)


def mentions_a_report(text: Text) -> bool:
    """Whether the message is about a study or case at all (or points back at one)."""
    lowered = normalise(text)
    return bool(_MENTIONS_A_REPORT.search(lowered)) or points_back(lowered)


# "Is their 1% figure right?": a figure quoted from one answer is about that answer.
_FIGURE = re.compile(r"\b\d+(?:[.,]\d+)?\s?%|\b(?:19|20)\d\d\b")
QUOTE_MAX_WORDS = 12


def _figures(text: Text) -> Set[Text]:
    return {figure.replace(" ", "") for figure in _FIGURE.findall(text)}


def answer_quoting_figure(text: Text) -> Optional[Text]:
    """For a short message, the one answer whose text has every percentage or year it quotes."""
    quoted = _figures(normalise(text))
    if not quoted or len(text.split()) > QUOTE_MAX_WORDS:
        return None
    quoting = [
        name
        for name, answer in knowledge().answers.items()
        if quoted <= _figures(answer.text + " " + (answer.more.text if answer.more else ""))
    ]
    return quoting[0] if len(quoting) == 1 else None


def leans_to_a_report(message: Message) -> bool:
    """DIET's best guess, below its doubt, is one study or case."""
    guesses = [
        r.get(INTENT_NAME_KEY)
        for r in message.get(INTENT_RANKING_KEY) or []
        if r.get(INTENT_NAME_KEY) != FALLBACK
    ]
    return bool(guesses) and guesses[0] in REPORTS


# How far down DIET's ranking an answer may be and still count as one DIET thought of.
_CONSIDERED = 4


def considered_or_unsure(message: Message, answer: Optional[Text]) -> Text:
    """`answer` if DIET thought of it (near the top of its ranking), else still unsure."""
    considered = [r.get(INTENT_NAME_KEY) for r in (message.get(INTENT_RANKING_KEY) or [])]
    return answer if answer and answer in considered[:_CONSIDERED] else FALLBACK


def _bare(word: Text) -> Text:
    """ "Wilson's", "wilsons" and "wilson" alike."""
    return word.removesuffix("'s").removesuffix("s")


# -- Whose answer: cannabis, or the usual treatments and dystonia itself ------------------------

CANNABIS_ANSWERS = frozenset({"cbd_for_dystonia", "cbd_safety", "cbd_addiction", "cbd_properties"})
DYSTONIA_ANSWERS = frozenset(
    re.findall(
        r"\S+",
        """define_dystonia body_parts_affected prevalence causes related_diseases symptoms
        worsening_factors pain treatments treatment_side_effects""",
    )
)
NAMES_CANNABIS = re.compile(rf"\b(?:{CANNABIS_WORDS})\b")
# "What else is there besides CBD?" is not a cannabis question.
_EXCEPT_CANNABIS = re.compile(
    r"\b(?:besides|other than|apart from|instead of|except|without|rather than)\s+(?:\w+\s+)?"
    + NAMES_CANNABIS.pattern
)
NAMES_USUAL_TREATMENT = re.compile(rf"\b(?:{USUAL_TREATMENT_WORDS})\b")
# The usual treatments, or treatment in general, named anywhere in a message.
_TREATMENT = re.compile(
    rf"\b(?:{USUAL_TREATMENT_WORDS}|treatments?|medications?|medicines?|meds|drugs?)\b"
)
# Conditions and situations no cannabis answer speaks to: "does CBD help epilepsy?".
OTHER_CONDITIONS = re.compile(
    r"\b(?:parkinson\w*|epilep\w*|seizures?|tremors?|cancer|arthritis|migraines?|insomnia|"
    r"sleep\w*|alzheimer\w*|dementia|autism|adhd|ptsd|fibromyalgia|crohn\w*|nausea|glaucoma|"
    r"acne|psoriasis|diabetes|asthma|depression|ocd|schizophrenia|psychosis|tourette\w*|"
    r"huntington\w*|neuropathy|lupus|ibs|menopause|pregnan\w*|breastfeeding|drug tests?)\b"
)
# The same question about the usual treatments, when a cannabis answer was chosen for it.
_USUAL_COUNTERPART = {
    "cbd_safety": "treatment_side_effects",
    "cbd_addiction": "treatment_side_effects",
    "cbd_for_dystonia": "treatments",
}
ADDICTION = re.compile(r"\b(?:addict\w*|hooked|dependen\w*|habit\w*|withdraw\w*)\b")
# Asking for other treatments: "what else is there", "other options besides shots".
_ASKS_FOR_OTHER_TREATMENTS = re.compile(
    r"\b(?:what else|anything else|other (?:options?|treatments?|meds|medications?|drugs|ways)"
    r"|alternatives?|besides|apart from|instead of)\b"
)


_UNSURE_OR_META = frozenset({FALLBACK, "capabilities"})
# The research in general, not one study or case ("the 1986 study", "the Wilson's case").
# Whether something was tried in people: also read by components/follow_up_forms.py.
TESTED_WORDS = r"tested|trialled|trialed|trials?|studies|studys|studied|placebo|dummy pills?"
_ASKS_ABOUT_RESEARCH = re.compile(
    rf"\b(?:research|evidence|science|scientific|scientists|proof|proven|{TESTED_WORDS})\b"
)
# One study or case by name: its own answer, not the research in general.
_NAMES_ONE_REPORT = re.compile(
    r"\b(?:1986|consroe|dose[- ]response|wilson\w*|uribe|2005"
    r"|(?:five|5|one) (?:patients?|person))\b"
)

# "What does the article say about CBD?": its claim about cannabis and dystonia, not CBD's other
# properties.
_ASKS_WHAT_ARTICLE_SAYS = re.compile(
    r"\bwhat (?:does|do|did) (?:it|the article|the clinic|they|the author|kalapa|your source)"
    r" (?:\w+ )?(?:say|says|claim|claims|tell|think|conclude|reckon)\w* (?:about|on|re) "
)


def asks_for_other_treatments(asked: Text, text: Text) -> bool:
    """ "Botox is wearing off, what else is there treatment wise?": the treatments."""
    return bool(_ASKS_FOR_OTHER_TREATMENTS.search(asked)) and bool(
        _TREATMENT.search(asked) or NAMES_USUAL_TREATMENT.search(text)
    )


# Only addiction: for a message DIET was unsure of, "habit" or "dependent" alone say too little.
_ASKS_ABOUT_ADDICTION = re.compile(
    r"\b(?:addict\w*|hooked|dependen(?:ce|cy)|habit[- ]forming|withdrawals?)\b"
)
# The same question about cannabis, when a dystonia or usual-treatment answer was chosen for it:
# its side effects or addiction; for the pain, what the research says about cannabis for dystonia.
_CANNABIS_COUNTERPART: Dict[Text, Callable[[Text], Optional[Text]]] = {
    "treatment_side_effects": lambda asked: (
        "cbd_addiction" if ADDICTION.search(asked) else "cbd_safety"
    ),
    "pain": lambda asked: "cbd_for_dystonia",
}


BUYING = "buying_cannabis"
# Whether cannabis is legal gets the buying reply, which says that the law differs from country
# to country and to ask a doctor first; whether it is licensed or allowed (for a condition, with
# a medicine) is not a question about buying.
_ASKS_IF_LEGAL = re.compile(r"\b(?:legal|illegal|legali[sz]ed|against the law)\b")
_ASKS_IF_PERMITTED = re.compile(r"\b(?:licen[sc]ed|allowed)\b")
_BUYS = re.compile(
    r"\b(?:buy|buying|bought|purchase|order|ordering|shop|shops|store|brand|brands|sell|sells"
    r"|selling|seller|supplier|get hold of|where (?:can|do|could) i get)\b"
)


def answer_for_subject(intent: Text, text: Text) -> Optional[Text]:
    """The answer that fits what the question is about: `intent` itself, its counterpart for
    the other subject, or None when no answer does (then the message is redirected).

    A cannabis question gets a cannabis answer, never the dystonia or usual-treatment one
    ("can CBD make dystonia worse?" is not about what makes dystonia worse); a question about
    the usual treatments, naming no cannabis, gets the usual-treatment answer ("are muscle
    relaxants safe long term?"); a cannabis answer is not given for another condition ("does
    CBD help epilepsy?"). Only the sentence that asks the question is read."""
    asked = normalise(question_sentence(text) or text)
    cannabis = bool(NAMES_CANNABIS.search(_EXCEPT_CANNABIS.sub(" ", asked)))
    if intent in DYSTONIA_ANSWERS and cannabis:
        return _CANNABIS_COUNTERPART.get(intent, lambda _: None)(asked)
    if intent in DYSTONIA_ANSWERS and ADDICTION.search(asked) and _TREATMENT.search(text):
        # "They gave me oxycodone for the pain, can you get addicted to it?"
        return "treatment_side_effects"
    if intent in _UNSURE_OR_META and not cannabis and asks_for_other_treatments(asked, text):
        # (DIET hears "what about other options besides shots?" as what the assistant can do.)
        return "treatments"
    if (
        intent in (FALLBACK, NOT_COVERED)
        and cannabis
        and _ASKS_ABOUT_RESEARCH.search(asked)
        and not _NAMES_ONE_REPORT.search(asked)
    ):
        # DIET unsure of "can you tell me what the research says about cannabis and dystonia?",
        # or sure it is not covered: "was dronabinol ever tested for dystonia?"
        if OTHER_CONDITIONS.search(asked):
            return None if intent == FALLBACK else intent
        return "cbd_for_dystonia"
    if intent == FALLBACK and _ASKS_ABOUT_ADDICTION.search(asked):
        # DIET unsure of "are they addictive, the painkillers I mean?": the addiction answer
        # of the subject it names.
        if cannabis:
            return "cbd_addiction"
        return "treatment_side_effects" if _TREATMENT.search(text) else intent
    if intent in CANNABIS_ANSWERS | {BUYING} and cannabis and _ASKS_IF_LEGAL.search(asked):
        # "Is CBD legal in France?" (DIET may hear its safety or the research).
        return BUYING
    if intent == BUYING and _ASKS_IF_PERMITTED.search(asked) and not _BUYS.search(asked):
        # "Is CBD licensed for dystonia?" is not about where to buy it.
        return None
    if intent in CANNABIS_ANSWERS:
        if OTHER_CONDITIONS.search(asked):
            return None
        if cannabis and _ASKS_WHAT_ARTICLE_SAYS.search(asked):
            return "cbd_for_dystonia"
        if not cannabis and NAMES_USUAL_TREATMENT.search(asked):
            return _USUAL_COUNTERPART.get(intent)
    return intent


def mark_unsure(message: Message) -> None:
    """Make the message `nlu_fallback`, for components/honest_fallback.py to redirect. The
    ranking is kept: DIET's confidence in the answer still says the message is about dystonia
    rather than off-topic."""
    intent = message.get(INTENT) or {}
    unsure = {INTENT_NAME_KEY: FALLBACK, "confidence": intent.get("confidence", 0.0)}
    ranking = [
        r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != FALLBACK
    ]
    message.set(INTENT, unsure, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [unsure] + ranking, add_to_output=True)


ABOUT_SOURCE = "about_source"
# "Can it be trusted?", "is it biased?": whether the article can be believed, which the answer
# about its source says; "who wrote it?", "where is it from?": the source itself.
ASKS_ABOUT_TRUST = re.compile(
    r"\b(?:trust\w*|reliable|reliability|biased|bias|credible|legit|believe\w*|accurate"
    r"|objective|independent)\b"
)
_ASKS_ABOUT_AUTHOR = re.compile(
    r"\b(?:who|wrote|written|writer|author\w*|source|publish\w*|kalapa|where \w+ \w+ from)\b"
)


def only_asks_about_the_source(intent: Text, text: Text) -> bool:
    """A two-part label with the source's answer for a message whose every question is about
    the article's source or whether it can be trusted ("who wrote that article, and can it be
    trusted?"): DIET hears the second as a question about cannabis."""
    if ABOUT_SOURCE not in intent.split(SEPARATOR) or SEPARATOR not in intent:
        return False
    clauses = question_mark_clauses(normalise(text))
    return bool(clauses) and all(
        ASKS_ABOUT_TRUST.search(c) or _ASKS_ABOUT_AUTHOR.search(c) for c in clauses
    )


BODY_PARTS = "body_parts_affected"
# The forms of dystonia by how much of the body it affects, which the body-parts answer names
# and explains ("one muscle, one group of muscles, or even the whole body").
_FORM = r"(?:focal|multifocal|segmental|generali[sz]ed|hemidystonia)"
_ASKS_WHAT_A_FORM_IS = re.compile(
    # "what's focal dystonia?", "wat is segmental", "what does generalised dystonia mean"
    rf"\b(?:what|wat|wot)(?:'s|s| is| are)? (?:an? |the )?{_FORM}(?: dystonia| one| type)?\W*$"
    rf"|\b(?:what|wat|wot) (?:does|do) (?:\w+ )?{_FORM}(?: dystonia)? mean\b"
)
# "focal vs generalised", "the difference between focal and generalised", "... mentioned
# segmental and generalised. What's the difference between those?": two forms compared.
_COMPARES = re.compile(r"\b(?:vs\.?|versus|difference|differences|diff)\b")
# (A diagnosis is replaced: "the neuro said focal. what's the difference between focal and
# segmental?" asks what the words mean.)
_NOT_TO_REPLACE = ({intent for intent, _ in SAFETY_INTENTS} - {DIAGNOSIS}) | {BUYING}


def asks_what_the_forms_are(text: Text) -> bool:
    """A message that asks only what a form of dystonia (focal, segmental, generalised) is, or
    how two of them differ."""
    lowered = normalise(text)
    if len(question_mark_clauses(lowered)) > 1:
        return False
    if _COMPARES.search(lowered) and len(set(re.findall(_FORM, lowered))) >= 2:
        return True
    return any(_ASKS_WHAT_A_FORM_IS.search(c) for c in re.split(r"[?.!;:\n]+", lowered))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class AnswerSubjectCheck(ConfiguredComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            name = intent.get(INTENT_NAME_KEY) or FALLBACK
            text = message.get(TEXT) or ""
            if name not in _NOT_TO_REPLACE and asks_what_the_forms_are(text):
                fitting: Optional[Text] = BODY_PARTS
            elif only_asks_about_the_source(name, text):
                fitting = ABOUT_SOURCE
            elif name == DEFINITION and asks_about_other_term(text):
                fitting = None
            elif name == DIAGNOSIS and asks_what_a_diagnosis_means(text):
                fitting = DEFINITION
            elif name in REFUSALS and not asks_for_a_refusal(name, text):
                fitting = None
            elif name in REPORTS and asks_what_a_term_is(text):
                fitting = answer_naming_term(text)
            elif name in REPORTS and not mentions_a_report(text):
                fitting = None
            elif name == FALLBACK and (quoted := answer_quoting_figure(text)):
                fitting = quoted
            elif name == FALLBACK and leans_to_a_report(message) and asks_what_a_term_is(text):
                # DIET torn between the Wilson's case and the related conditions for "whats
                # wilsons disease?": the answer that explains the term, if DIET thought of it.
                fitting = considered_or_unsure(message, answer_naming_term(text))
            else:
                fitting = answer_for_subject(name, text)
            if fitting == name:
                continue
            if fitting is not None:
                message.set(INTENT, {**intent, INTENT_NAME_KEY: fitting}, add_to_output=True)
                continue
            mark_unsure(message)
        return messages
