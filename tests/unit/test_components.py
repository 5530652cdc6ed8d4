"""The project's NLU components, trained on the project's own training data with Rasa's classes.

Their place in the pipeline is tested end to end (tests/e2e/); here each one's own decision.
"""

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.importers.rasa import RasaFileImporter
from rasa.shared.nlu.training_data.message import Message

from actions.knowledge import knowledge
from components.answer_focus import AnswerFocusCheck
from components.answer_subject import AnswerSubjectCheck
from components.feedback_context import FeedbackContext
from components.follow_up_context import FollowUpContext
from components.honest_fallback import HonestFallback
from components.message_form import MessageFormCheck
from components.safety_check import SafetyCheck, segments
from components.second_opinion import SecondOpinion
from components.spelling import SpellingCheck
from components.two_questions import TwoQuestionsCheck, question_clauses

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def training_data():
    return RasaFileImporter(training_data_paths=[str(ROOT / "data")]).get_nlu_data()


@pytest.fixture(scope="module")
def storage(tmp_path_factory):
    return LocalModelStorage(tmp_path_factory.mktemp("model"))


def trained(component, storage, training_data, name):
    resource = Resource(name)
    instance = component.create({}, storage, resource, execution_context=None)
    instance.train(training_data)
    return component.load({}, storage, resource, execution_context=None)


@pytest.fixture(scope="module")
def safety(storage, training_data):
    return trained(SafetyCheck, storage, training_data, "safety")


@pytest.fixture(scope="module")
def fallback(storage, training_data):
    return trained(HonestFallback, storage, training_data, "fallback")


@pytest.fixture(scope="module")
def focus(storage, training_data):
    return trained(AnswerFocusCheck, storage, training_data, "focus")


@pytest.fixture(scope="module")
def second_opinion(storage, training_data):
    return trained(SecondOpinion, storage, training_data, "second_opinion")


@pytest.fixture(scope="module")
def spelling(storage, training_data):
    return trained(SpellingCheck, storage, training_data, "spelling")


def message(text, intent, ranking):
    return Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": ranking[0][1]},
            "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
        }
    )


def redirected_by_subject(fallback, text, ranking):
    """The intent after the answer-subject check and the honest redirects."""
    check = AnswerSubjectCheck.create({}, None, None, execution_context=None)
    [processed] = fallback.process(check.process([message(text, ranking[0][0], ranking)]))
    return processed.get("intent")["name"]


# -- SpellingCheck -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, read",
    [
        # A misspelt word the training data knows, one edit away: mended.
        ("hiya, quick q, wat causes dystonai??", "hiya, quick q, wat causes dystonia??"),
        ("does stres make it worse", "does stress make it worse"),
        ("is botox adictive or nah", "is botox addictive or nah"),
        ("Inflamation and muscels", "inflammation and muscles"),
        # Forum shorthand for botulinum toxin.
        ("btx for CD is it first line?", "botox for CD is it first line?"),
        # Real English words, however much better the training data knows a neighbour, short
        # words, names, words without their apostrophe and words with digits: as typed.
        ("her lips are swelling", "her lips are swelling"),
        (
            "I'm willing to try, fewer spasms would help",
            "I'm willing to try, fewer spasms would help",
        ),
        ("i wasnt told, youre sure?", "i wasnt told, youre sure?"),
        ("wont cant tite", "wont cant tite"),
        ("I live in Dubbo, 20mgs", "I live in Dubbo, 20mgs"),
    ],
)
def test_a_misspelt_word_the_training_data_knows_is_mended(spelling, typed, read):
    [processed] = spelling.process([Message(data={"text": typed})])
    assert processed.get("text") == read
    mended = processed.get("spelling")
    assert (mended is None) == (typed == read)


def test_the_training_data_is_left_as_written(spelling, training_data):
    assert spelling.process_training_data(training_data) is training_data


# -- SafetyCheck -------------------------------------------------------------------------------


def test_a_message_is_scored_whole_and_sentence_by_sentence():
    text = "Is dystonia painful? My jaw has locked since the new tablets, I can't swallow."
    assert segments(text) == [
        text,
        "Is dystonia painful",
        "My jaw has locked since the new tablets",
        "I can't swallow",
    ]


def test_the_crisis_patterns_also_read_the_message_as_typed(safety):
    # Whatever the spelling check made of the words, a crisis in the text as typed escalates.
    typed = Message(data={"text": "what helps dystonia", "text_as_typed": "i cant breathe"})
    typed.set("intent", {"name": "treatments", "confidence": 0.9})
    typed.set("intent_ranking", [{"name": "treatments", "confidence": 0.9}])
    [processed] = safety.process([typed])
    assert "emergency" in processed.get("crisis_signals")["patterns"]
    assert processed.get("intent")["name"] == "emergency"


def test_the_crisis_classifier_finds_a_crisis_sentence_inside_a_long_question(safety):
    text = (
        "I've had cervical dystonia for years and I'm reading about CBD. Is there any research? "
        "To be honest I have been stockpiling my sleeping tablets and I think tonight is the night."
    )
    signals = safety.signals(text, ranking=[])
    assert max(signals["classifier"].values()) > 0.5
    assert safety.decide(text, signals) in {"self_harm", "overdose"}


@pytest.mark.parametrize(
    "ranking, expected",
    [
        ([("emergency", 0.65), ("symptoms", 0.3)], "emergency"),
        ([("symptoms", 0.5), ("emergency", 0.45)], None),  # DIET alone, and not sure enough
        ([("symptoms", 0.9), ("emergency", 0.05)], None),
        ([("self_harm", 0.62), ("emergency", 0.61)], "overdose"),  # both: both replies
    ],
)
def test_diets_own_confidence_in_a_crisis_intent_escalates(safety, ranking, expected):
    text = "my neck hurts today"
    signals = safety.signals(text, [{"name": n, "confidence": c} for n, c in ranking])
    assert safety.decide(text, signals) == expected


def test_the_decision_and_its_reasons_are_kept_with_the_message(safety):
    [processed] = safety.process(
        [message("I want to die, what is dystonia", "define_dystonia", [("define_dystonia", 0.9)])]
    )
    assert processed.get("intent")["name"] == "self_harm"
    assert processed.get("intent_ranking")[0]["name"] == "self_harm"
    assert processed.get("crisis_signals")["patterns"] == ["self_harm"]


@pytest.mark.parametrize(
    "text",
    [
        "what are the symptoms of dystonia",
        "is cbd safe to use long term",
        "this neck pain is killing me, what helps",
        "how many people have dystonia",
    ],
)
def test_ordinary_questions_are_not_escalated(safety, text):
    assert safety.decide(text, safety.signals(text, ranking=[])) is None


@pytest.mark.parametrize(
    "text, chosen, expected",
    [
        # Told about, not happening: not escalated; when DIET itself chose the emergency, the
        # honest redirect instead.
        (
            "Last year my throat locked up after a new pill and I ended up in A&E. It all "
            "settled within the hour and I've been fine since. What causes dystonia?",
            "emergency",
            "not_covered",
        ),
        ("What is status dystonicus? I saw it in a leaflet.", "not_covered", "not_covered"),
        (
            "the leaflet mentions 'status dystonicus' as something to watch out for, what is it?",
            "not_covered",
            "not_covered",
        ),
        ("my son has status dystonicus, what is it?", "not_covered", "emergency"),
        ("Can botox in the neck make it hard to swallow?", "treatment_side_effects", None),
        # Happening now, or about someone: escalated.
        ("is this a dystonic storm?", "not_covered", "emergency"),
        ("I can't swallow, can dystonia cause that?", "symptoms", "emergency"),
        ("my son is having trouble breathing, can dystonia cause that?", "symptoms", "emergency"),
        (
            "my throat closed up last year and it passed, but now it's happening again",
            "symptoms",
            "emergency",
        ),
        # News that someone is fine now, naming no emergency itself.
        (
            "update - he's fine now, A&E gave him an injection and it settled. thank you",
            "emergency",
            "not_covered",
        ),
        ("he's fine now but his throat is closing up again", "thank", "emergency"),
        # Reassured, then something happening after all, with or without the words for it.
        ("last year it settled, but he's burning up and spasming all over", "emergency", None),
        (
            "he's burning up and jerking all over, last year the same happened and it passed",
            "emergency",
            None,
        ),
        # Only ever an emergency: an overdose in the past is still one.
        ("last year I took the whole bottle of pills, I've been fine since", "causes", "overdose"),
    ],
)
def test_an_emergency_told_about_is_not_one_happening_now(safety, text, chosen, expected):
    [processed] = safety.process([message(text, chosen, [(chosen, 0.9)])])
    assert processed.get("intent")["name"] == (expected or chosen)


# -- HonestFallback -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, ranking, expected",
    [
        (
            "will my neck spasms stop me working as a chef",
            [("not_covered", 0.3), ("pain", 0.2)],
            "not_covered",
        ),
        (
            "what's the best pizza in naples",
            [("out_of_scope", 0.4), ("greet", 0.2)],
            "out_of_scope",
        ),
        ("qwzx plorf vvvt", [("ask_evidence", 0.4)], "nlu_fallback"),
        ("🙂", [("greet", 0.4)], "nlu_fallback"),
    ],
)
def test_an_unsure_message_is_redirected_honestly(fallback, text, ranking, expected):
    [processed] = fallback.process([message(text, "nlu_fallback", ranking)])
    assert processed.get("intent")["name"] == expected


def test_a_confident_classification_of_gibberish_is_not_trusted(fallback):
    [processed] = fallback.process([message("asdfghjk", "ask_evidence", [("ask_evidence", 0.9)])])
    assert processed.get("intent")["name"] == "nlu_fallback"


@pytest.mark.parametrize(
    "text, intelligible",
    [
        ("goodnight", True),  # two known words run together
        ("iz it comon", True),  # typos: a letter changed, a letter missing
        ("what is dystonnia", True),  # a letter added
        ("asdf qwerty", False),
        ("jhgfjhgkk", False),
        ("lkjlkj ghgh", False),  # two letters away from "high" is not a typo of it
    ],
)
def test_typos_and_run_together_words_count_as_words(fallback, text, intelligible):
    assert fallback.intelligible(text) is intelligible


def test_a_confident_classification_of_words_is_left_alone(fallback):
    [processed] = fallback.process([message("what causes it", "causes", [("causes", 0.9)])])
    assert processed.get("intent")["name"] == "causes"


# -- AnswerSubjectCheck ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, ranking, expected",
    [
        # Another term: redirected honestly, about dystonia or off-topic.
        ("what is blepharospasm?", [("define_dystonia", 0.9)], "not_covered"),
        ("What's a sensory trick in dystonia", [("define_dystonia", 0.8)], "not_covered"),
        ("what does myoclonus-dystonia mean", [("define_dystonia", 0.9)], "not_covered"),
        (
            "whats bitcoin",
            [("define_dystonia", 0.45), ("out_of_scope", 0.4), ("greet", 0.15)],
            "out_of_scope",
        ),
        # Dystonia itself, misspelt, or pointed at: the definition.
        ("what even is dystonia tbh", [("define_dystonia", 0.9)], "define_dystonia"),
        ("what is distonia, in plain words?", [("define_dystonia", 0.9)], "define_dystonia"),
        ("my gp wrote torticollis, what is that", [("define_dystonia", 0.9)], "define_dystonia"),
        (
            "could you explain what kind of condition it is",
            [("define_dystonia", 0.9)],
            "define_dystonia",
        ),
        ("what is the meaning of focal dystonia", [("define_dystonia", 0.9)], "define_dystonia"),
        # No "what is X": left to the classifier.
        ("tell me about dystonia", [("define_dystonia", 0.9)], "define_dystonia"),
    ],
)
def test_the_definition_is_given_only_for_dystonia_itself(fallback, text, ranking, expected):
    assert redirected_by_subject(fallback, text, ranking) == expected


def test_other_answers_are_not_checked_for_a_defined_term():
    check = AnswerSubjectCheck.create({}, None, None, execution_context=None)
    [processed] = check.process(
        [message("what is cbd", "cbd_properties", [("cbd_properties", 0.9)])]
    )
    assert processed.get("intent")["name"] == "cbd_properties"


@pytest.mark.parametrize(
    "text, expected",
    [
        # A diagnosis already made, and what it means asked: the definition.
        ("my dad was diagnosed with dystonia on monday, what is it?", "define_dystonia"),
        ("The neurologist said I have focal dystonia. What does that mean?", "define_dystonia"),
        # Whether the symptoms are dystonia: the diagnosis reply.
        ("my foot turns in when I walk, what is it?", "diagnosis"),
        ("could I have dystonia? what is it exactly", "diagnosis"),
    ],
)
def test_a_diagnosis_already_made_asks_what_dystonia_is(text, expected):
    check = AnswerSubjectCheck.create({}, None, None, execution_context=None)
    [processed] = check.process([message(text, "diagnosis", [("diagnosis", 0.8)])])
    assert processed.get("intent")["name"] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # A general question, about no one and not about diagnosing: not the diagnosis reply.
        ("can dystonia make you blink all the time", "not_covered"),
        ("is musician's dystonia career-ending?", "not_covered"),
        # About someone, or about how it is diagnosed: the diagnosis reply.
        ("my eyes blink all the time, is that dystonia", "diagnosis"),
        ("would bloodwork pick up dystonia", "diagnosis"),
        ("Dystonia or just stress?", "diagnosis"),
        # A diagnosis already given and not doubted: the question asked, not the refusal.
        ("My son has just been diagnosed with dystonia in his arm. What causes it?", "not_covered"),
        ("I was diagnosed with dystonia, but is it really dystonia?", "diagnosis"),
        ("how do doctors diagnose dystonia", "diagnosis"),
    ],
)
def test_the_diagnosis_reply_is_for_a_person_or_how_it_is_diagnosed(fallback, text, expected):
    ranking = [("diagnosis", 0.9), ("symptoms", 0.05)]
    assert redirected_by_subject(fallback, text, ranking) == expected


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        # What a condition is: the answer that explains it, not a study of a patient with it.
        ("what's wilsons disease exactly", "wilson_case_report", "related_diseases"),
        ("what is myoclonus", "wilson_case_report", "not_covered"),
        # The study or the case itself: left alone.
        ("what was the wilson's disease case about?", "wilson_case_report", "wilson_case_report"),
        ("whats the story with that one", "dose_response_study", "dose_response_study"),
        # A question about the disease, not about a report of it.
        ("Does Wilson's disease run in families?", "wilson_case_report", "not_covered"),
        ("did the wilson's patient smoke it?", "wilson_case_report", "wilson_case_report"),
    ],
)
def test_what_a_condition_is_does_not_get_a_study(fallback, text, intent, expected):
    ranking = [(intent, 0.9), ("related_diseases", 0.05)]
    assert redirected_by_subject(fallback, text, ranking) == expected


@pytest.mark.parametrize(
    "ranking, expected",
    [
        # DIET unsure, but it thought of the answer that explains the term.
        (
            [("nlu_fallback", 0.5), ("wilson_case_report", 0.49), ("related_diseases", 0.39)],
            "related_diseases",
        ),
        # Not torn about a study: "what's baclofen?" does not get the treatments that name it.
        (
            [("nlu_fallback", 0.5), ("related_diseases", 0.45), ("wilson_case_report", 0.3)],
            "not_covered",
        ),
        # It did not: redirected honestly.
        (
            [
                ("nlu_fallback", 0.5),
                ("wilson_case_report", 0.49),
                ("greet", 0.1),
                ("thank", 0.1),
                ("goodbye", 0.1),
                ("related_diseases", 0.01),
            ],
            "not_covered",
        ),
    ],
)
def test_an_unsure_question_what_a_term_is_gets_the_answer_that_explains_it(
    fallback, ranking, expected
):
    assert redirected_by_subject(fallback, "whats wilsons disease?", ranking) == expected


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        # What a term means: neither a diagnosis nor a dose.
        ("what is athetosis? my nan's hands do it", "diagnosis", "not_covered"),
        ("whats tizanidine", "medication_advice", "not_covered"),
        (
            "What's a sensory trick? When I touch my chin my neck goes straight",
            "diagnosis",
            "not_covered",
        ),
        # A diagnosis or a dose asked for, in the same form or alongside: refused as before.
        ("what is wrong with my neck?", "diagnosis", "diagnosis"),
        ("what's the right dose of baclofen", "medication_advice", "medication_advice"),
        ("what is tizanidine? should I take it?", "medication_advice", "medication_advice"),
        # A drug asked about in general, with no one's medicines, dose, timing or combination
        # in it, is not a request for advice on them.
        ("Does levodopa help dopa-responsive dystonia?", "medication_advice", "not_covered"),
        ("is 20mg of cbd enough for dystonia", "medication_advice", "medication_advice"),
        ("does botox interact with cbd", "medication_advice", "medication_advice"),
        ("can my son have cbd gummies on top of that", "medication_advice", "medication_advice"),
    ],
)
def test_what_a_term_means_is_not_refused_as_a_diagnosis_or_a_dose(
    fallback, text, intent, expected
):
    ranking = [(intent, 0.9), ("not_covered", 0.05)]
    assert redirected_by_subject(fallback, text, ranking) == expected


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        # A cannabis question never gets a dystonia or usual-treatment answer...
        ("Can CBD make dystonia worse?", "worsening_factors", "not_covered"),
        ("does cbd work for parkinson's", "related_diseases", "not_covered"),
        # ... unless the cannabis answer to the same question exists.
        ("is weed habit forming", "treatment_side_effects", "cbd_addiction"),
        ("any side effects from cbd oil?", "treatment_side_effects", "cbd_safety"),
        ("can cannabis help the pain?", "pain", "cbd_for_dystonia"),
        # A cannabis answer is not given for another condition.
        ("Does CBD help epilepsy?", "cbd_for_dystonia", "not_covered"),
        # DIET unsure of a question about the research on cannabis: whether it helps.
        (
            "can you tell me what the research says about cannabis and dystonia",
            "nlu_fallback",
            "cbd_for_dystonia",
        ),
        ("what does the research say about cbd for epilepsy", "nlu_fallback", "not_covered"),
        # ... or whether it was tested, naming a cannabis-based medicine, even when DIET is
        # sure it is not covered; but not one study by name.
        ("Was dronabinol ever tested for dystonia?", "not_covered", "cbd_for_dystonia"),
        ("has CBD been tested against a placebo in dystonia?", "nlu_fallback", "cbd_for_dystonia"),
        ("was cbd tested for epilepsy?", "not_covered", "not_covered"),
        ("was the 1986 cbd study placebo controlled", "nlu_fallback", "not_covered"),
        # Other treatments, which DIET hears as what the assistant can do.
        ("what about other options besides shots", "capabilities", "treatments"),
        # Whether it is legal gets the buying reply (the law differs by country), whichever
        # cannabis answer DIET chose; whether it is licensed is not about buying.
        ("is cbd legal in france?", "buying_cannabis", "buying_cannabis"),
        ("is weed even legal here?", "cbd_safety", "buying_cannabis"),
        ("is it legal to buy cbd online?", "buying_cannabis", "buying_cannabis"),
        ("is cbd licensed for dystonia?", "buying_cannabis", "not_covered"),
        ("is it legal to drive with dystonia?", "treatments", "treatments"),
        ("is cbd safe while pregnant", "cbd_safety", "not_covered"),
        # A usual-treatment question gets the usual-treatment answer.
        ("Are muscle relaxants safe long term?", "cbd_safety", "treatment_side_effects"),
        ("is botox addictive??", "cbd_addiction", "treatment_side_effects"),
        # Addiction to a usual treatment, named as the drug a patient was given.
        ("they put me on tramadol for it, can I get hooked?", "pain", "treatment_side_effects"),
        ("do dystonia meds cause dependence", "treatments", "treatment_side_effects"),
        # DIET unsure of a request for other treatments: the treatments.
        ("the jabs stopped working, what else is there?", "nlu_fallback", "treatments"),
        ("any alternatives to baclofen", "nlu_fallback", "treatments"),
        # DIET unsure of an addiction question: the addiction answer of the subject named.
        (
            "are they addictive, the codeine tablets I mean",
            "nlu_fallback",
            "treatment_side_effects",
        ),
        ("is hemp oil habit-forming", "nlu_fallback", "cbd_addiction"),
        # Left alone: the subjects match, cannabis is excluded, only context names it.
        ("does cbd help dystonia", "cbd_for_dystonia", "cbd_for_dystonia"),
        ("is cbd safer than botox", "cbd_safety", "cbd_safety"),
        ("are they addictive?", "cbd_addiction", "cbd_addiction"),
        ("what treatments are there besides cbd", "treatments", "treatments"),
        (
            "I use CBD oil most days. What makes dystonia worse?",
            "worsening_factors",
            "worsening_factors",
        ),
        # A figure quoted from one answer, DIET unsure: that answer.
        ("ok, and is their 1% figure right?", "nlu_fallback", "prevalence"),
        ("my son is 16, is it genetic?", "nlu_fallback", "not_covered"),
        # What the article says about cannabis: its claim about cannabis and dystonia.
        ("ok then what does it claim about CBD", "cbd_properties", "cbd_for_dystonia"),
        ("what does CBD do in the body?", "cbd_properties", "cbd_properties"),
    ],
)
def test_an_answer_is_given_only_about_the_subject_asked(fallback, text, intent, expected):
    ranking = [(intent, 0.95), ("greet", 0.01)]
    assert redirected_by_subject(fallback, text, ranking) == expected


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        # What a form of dystonia is, or how two differ: the answer that names and explains
        # them, whatever DIET chose.
        ("whats focal dystonia?", "define_dystonia", "body_parts_affected"),
        ("what does segmental mean again", "nlu_fallback", "body_parts_affected"),
        ("wots the diff between focal n generalised dystonia", "symptoms", "body_parts_affected"),
        (
            "The neuro wrote focal. Someone mentioned segmental and generalised. "
            "What's the difference between those?",
            "diagnosis",
            "body_parts_affected",
        ),
        # Not when it asks something else about a form, compares it with another condition,
        # asks whether someone has it, or asks two things.
        ("what do doctors try first for a focal one?", "treatments", "treatments"),
        (
            "whats the difference between focal dystonia and parkinsons",
            "related_diseases",
            "related_diseases",
        ),
        ("is mine focal or generalised?", "diagnosis", "diagnosis"),
        ("what is focal dystonia and how is it treated?", "treatments", "treatments"),
        # Nor a crisis.
        ("what is generalised dystonia? he can't breathe", "emergency", "emergency"),
    ],
)
def test_what_a_form_of_dystonia_is_gets_the_answer_that_names_the_forms(
    fallback, text, intent, expected
):
    ranking = [(intent, 0.95), ("greet", 0.01)]
    assert redirected_by_subject(fallback, text, ranking) == expected


def test_who_wrote_the_article_and_can_it_be_trusted_is_one_question_about_the_source(fallback):
    text = (
        "Before I say anything to my group: who actually wrote that article, and can it be trusted?"
    )
    ranking = [("cbd_for_dystonia+about_source", 0.8), ("about_source", 0.1)]
    assert redirected_by_subject(fallback, text, ranking) == "about_source"
    # A second question about something else keeps both answers.
    other = "Who wrote that article, and does cbd actually work?"
    assert redirected_by_subject(fallback, other, ranking) == "cbd_for_dystonia+about_source"


# -- AnswerFocusCheck ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        # The answer has never met the word the question turns on: redirected honestly.
        ("is dystonia infectious?", "define_dystonia", "not_covered"),
        ("does caffeine make my dystonia worse", "worsening_factors", "not_covered"),
        ("can my dystonia get worse in winter", "worsening_factors", "not_covered"),
        ("damp weather makes my neck worse, is that normal?", "worsening_factors", "not_covered"),
        ("his neck gets much worse after a glass of wine?", "worsening_factors", "not_covered"),
        ("ok so what's the survival rate", "prevalence", "not_covered"),
        # A named kind of dystonia is the subject too; a link to another condition turns on it.
        ("is writer's dystonia career-ending?", "define_dystonia", "not_covered"),
        ("is there a link between dystonia and hay fever?", "define_dystonia", "not_covered"),
        ("is dystonia connected to migraines", "related_diseases", "not_covered"),
        ("is Wilson's disease contagious?", "wilson_case_report", "not_covered"),
        # The answer knows it, or the question turns on how people ask: left alone.
        ("does stress make dystonia worse", "worsening_factors", "worsening_factors"),
        ("being tired makes my spasms worse", "worsening_factors", "worsening_factors"),
        ("my spasms are way worse when I'm stressed", "worsening_factors", "worsening_factors"),
        ("is it painful?", "pain", "pain"),
        ("My neck is worse at night. Is that normal?", "worsening_factors", "worsening_factors"),
        ("what's the deal with botox", "treatments", "treatments"),
        ("what is supposed to help the pain", "pain", "pain"),
        ("is dystonia linked to parkinson's", "related_diseases", "related_diseases"),
        ("is it related to other brain diseases", "related_diseases", "related_diseases"),
        # One word the answer knows is enough, whatever the brand.
        ("does Acme brand CBD oil help my dystonia", "cbd_for_dystonia", "cbd_for_dystonia"),
        # Not one of the three forms: left to the classifier.
        ("tell me about the pain", "pain", "pain"),
    ],
)
def test_an_answer_is_given_only_when_it_knows_what_the_question_turns_on(
    focus, fallback, text, intent, expected
):
    ranking = [(intent, 0.95), ("greet", 0.01)]
    [processed] = fallback.process(focus.process([message(text, intent, ranking)]))
    assert processed.get("intent")["name"] == expected


def test_a_message_asking_several_things_is_checked_against_each_answer(focus, fallback):
    text = "why does my neck get worse when I'm tired, and is CBD an anti-inflammatory?"
    ranking = [("cbd_properties", 0.95), ("worsening_factors", 0.01)]
    alone = message(text, "cbd_properties", ranking)
    [redirected] = fallback.process(focus.process([alone]))
    assert redirected.get("intent")["name"] == "not_covered"  # CBD's answer: not "tired"
    both = message(text, "cbd_properties", ranking)
    both.set("questions", ["worsening_factors", "cbd_properties"])
    [kept] = fallback.process(focus.process([both]))
    assert kept.get("intent")["name"] == "cbd_properties"


@pytest.mark.parametrize(
    "text, ranking, expected",
    [
        # Words only the next answer knows: that answer's question.
        (
            "what did that study of five people find",
            [("ask_evidence", 0.8), ("dose_response_study", 0.06), ("greet", 0.01)],
            "dose_response_study",
        ),
        # Numbers in digits are the same words.
        (
            "the study with 5 people, tell me about it",
            [("ask_evidence", 0.8), ("dose_response_study", 0.06), ("greet", 0.01)],
            "dose_response_study",
        ),
        (
            "go on about the wilson's patient",
            [("tell_me_more", 0.7), ("wilson_case_report", 0.2)],
            "wilson_case_report",
        ),
        # Only the words of a request for sources: left alone.
        (
            "which study says that?",
            [("ask_evidence", 0.9), ("dose_response_study", 0.06)],
            "ask_evidence",
        ),
        # The next answer too unsure to be what is meant.
        (
            "what did that study of five people find",
            [("ask_evidence", 0.98), ("dose_response_study", 0.01)],
            "ask_evidence",
        ),
    ],
)
def test_a_request_for_sources_or_more_that_names_an_answer_asks_that_answer(
    focus, text, ranking, expected
):
    [processed] = focus.process([message(text, ranking[0][0], ranking)])
    assert processed.get("intent")["name"] == expected


def test_the_learned_components_are_retrained_when_their_code_changes(tmp_path, monkeypatch):
    # Rasa's training cache sees the config and the data, not the code that learns from them.
    before = SafetyCheck.fingerprint_addon({})
    for source in (ROOT / "components").glob("*.py"):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    (tmp_path / "answer_focus.py").write_text("# a change to how a component learns\n")
    monkeypatch.setattr("components.configured.__file__", str(tmp_path / "configured.py"))
    assert SafetyCheck.fingerprint_addon({}) != before
    assert AnswerFocusCheck.fingerprint_addon({}) != before


def test_the_focus_check_is_retrained_when_the_answers_change(tmp_path, monkeypatch):
    # Its vocabulary includes the answers' texts, which Rasa's training cache does not see.
    before = AnswerFocusCheck.fingerprint_addon({})
    edited = tmp_path / "answers.yml"
    edited.write_text((ROOT / "knowledge" / "answers.yml").read_text() + "\n# edited\n")
    monkeypatch.setattr("components.answer_focus.KNOWLEDGE_DIR", tmp_path)
    assert AnswerFocusCheck.fingerprint_addon({}) != before


def test_no_training_example_is_kept_from_its_own_answer(focus, training_data):
    kept_from = [
        example.get("text")
        for example in training_data.intent_examples
        if focus.unknown_phrase(example.get("intent"), example.get("text"))
    ]
    assert kept_from == []


# -- MessageFormCheck ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, ranking, expected",
    [
        # A request to make something is off-topic, whatever it names.
        ("write me a rap about dystonia", [("define_dystonia", 0.98)], "out_of_scope"),
        ("could you help me draft a letter to my boss", [("capabilities", 0.6)], "out_of_scope"),
        # A question is not small talk, nor "what is X?" a question about the assistant.
        ("who do i talk to then?", [("goodbye", 0.7), ("privacy", 0.2)], "nlu_fallback"),
        ("what's baclofen", [("capabilities", 0.8), ("treatments", 0.1)], "nlu_fallback"),
        # A ranking the article never makes.
        ("is there anything safer?", [("treatment_side_effects", 0.9)], "nlu_fallback"),
        ("so are there any better meds", [("treatments", 0.8)], "nlu_fallback"),
        # Whether what is typed is kept: privacy.
        ("do you keep what I type?", [("capabilities", 0.8), ("privacy", 0.02)], "privacy"),
        ("will u remember what i told you about my meds", [("cbd_safety", 0.6)], "privacy"),
        # Whether something is approved or paid for: no answer says so.
        ("Is Epidiolex approved for dystonia?", [("cbd_for_dystonia", 0.9)], "nlu_fallback"),
        ("will my insurance cover botox?", [("treatments", 0.8)], "nlu_fallback"),
        # "Is CBD better?" asks for a ranking the article never makes.
        ("is cbd better?", [("cbd_properties", 0.8)], "nlu_fallback"),
        (
            "My friend gets Sativex on prescription. Does cannabis help MS?",
            [("cbd_multiple_sclerosis", 0.9)],
            "cbd_multiple_sclerosis",
        ),
        ("can I get this chat wiped afterwards?", [("start_over", 0.7)], "privacy"),
        ("will my uni find out i asked about this", [("not_covered", 0.5)], "privacy"),
        ("can you share the sources for this", [("ask_evidence", 0.9)], "ask_evidence"),
        # "How are you?" is a greeting.
        ("hi, how are you doing?", [("ask_evidence", 0.8), ("greet", 0.1)], "greet"),
        ("good evening from sunny Madrid!", [("out_of_scope", 0.7), ("greet", 0.2)], "greet"),
        ("hello, what's the capital of Peru?", [("out_of_scope", 0.9)], "out_of_scope"),
        # Left alone: about the assistant, or small talk that asks.
        ("what can I ask?", [("capabilities", 0.9)], "capabilities"),
        ("what is this chat for", [("capabilities", 0.9)], "capabilities"),
        ("hi, anyone there?", [("greet", 0.9)], "greet"),
        ("see you later", [("goodbye", 0.9)], "goodbye"),
        ("write down the symptoms please", [("symptoms", 0.9)], "symptoms"),
    ],
)
def test_the_form_of_a_message_settles_small_talk_and_requests(text, ranking, expected):
    component = MessageFormCheck.create({}, None, None, execution_context=None)
    [processed] = component.process([message(text, ranking[0][0], ranking)])
    assert processed.get("intent")["name"] == expected


# -- TwoQuestionsCheck --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, clauses",
    [
        ("what causes it, and can cbd help?", 2),
        ("Is dystonia painful? And is CBD addictive?", 2),
        ("two questions: 1) is cbd addictive 2) does it help", 2),
        ("What treatments are there for him?", 1),
        ("My mum, who has dystonia, wants to know what treatments exist?", 1),
        # A part joined by "and" that continues the question is asked too, unless "and" only
        # joins a pair.
        ("can you tell me about the treatments and their side effects", 2),
        ("Can you explain what dystonia is, and whether it's related to Parkinson's?", 2),
        ("wat even causes dystonia n how do u treat it", 2),
        ("what is the link between dystonia and the brain?", 1),
        ("I have dystonia and the pain is bad, what helps?", 1),
        # A reaction before the question is not a question of its own.
        ("really? why do women get it more", 1),
        # Naming the subject of the question after it is not a question of its own.
        ("what about CBD, can you get addicted to that?", 1),
        ("what about CBD? is it addictive?", 1),
    ],
)
def test_question_clauses_are_counted(text, clauses):
    assert question_clauses(text) == clauses


def test_for_a_single_question_two_part_labels_give_their_confidence_to_the_stronger_part():
    check = TwoQuestionsCheck.create({}, None, None, None)
    ranking = [
        ("symptoms+treatments", 0.4),
        ("treatments", 0.35),
        ("symptoms", 0.15),
        ("pain", 0.1),
    ]
    single = message("What treatments are there for him?", "symptoms+treatments", ranking)
    double = message(
        "what are the symptoms, and how is it treated?", "symptoms+treatments", ranking
    )
    check.process([single, double])
    assert single.get("intent") == {"name": "treatments", "confidence": pytest.approx(0.75)}
    assert [r["name"] for r in single.get("intent_ranking")] == ["treatments", "symptoms", "pain"]
    assert double.get("intent")["name"] == "symptoms+treatments"


# -- SecondOpinion -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, ranking, expected",
    [
        # The two classifiers agree: the answer goes out.
        ("what causes dystonia", [("causes", 0.6)], "causes"),
        # They disagree and DIET is not very sure: an honest redirect instead of a wrong answer.
        ("what causes dystonia", [("symptoms", 0.6)], "nlu_fallback"),
        # DIET is very sure: trusted on its own.
        ("what causes dystonia", [("symptoms", 0.95)], "symptoms"),
        # A reply about the chat to a question the second classifier reads as one about
        # dystonia: the honest "not covered", not small talk.
        ("what doctor should I see?", [("privacy", 0.6)], "not_covered"),
        ("is it something you are born with", [("greet", 0.7)], "not_covered"),
        # ... unless DIET is very sure, the message asks nothing, or it is about the chat.
        ("what doctor should I see?", [("privacy", 0.95)], "privacy"),
        ("hello there my friend", [("greet", 0.6)], "greet"),
        ("are you a real person?", [("bot_challenge", 0.6)], "bot_challenge"),
        ("what can you do?", [("capabilities", 0.6)], "capabilities"),
    ],
)
def test_an_answer_needs_the_second_classifier_to_agree(second_opinion, text, ranking, expected):
    [processed] = second_opinion.process([message(text, ranking[0][0], ranking)])
    assert processed.get("intent")["name"] == expected


def test_more_about_an_answer_named_agrees_with_that_answer(second_opinion):
    text = "right. tell me more about the treatments"
    [kept] = second_opinion.process([message(text, "treatments", [("treatments", 0.81)])])
    assert kept.get("intent")["name"] == "treatments"


def test_an_answer_diet_was_unsure_of_is_given_when_both_agree(second_opinion):
    ranking = [("nlu_fallback", 0.5), ("causes", 0.35), ("symptoms", 0.3)]
    [agreed] = second_opinion.process([message("what causes dystonia", "nlu_fallback", ranking)])
    assert agreed.get("intent") == {"name": "causes", "confidence": 0.35}


def test_the_question_sentence_of_a_long_message_is_answered_when_diet_ranks_it_high(
    second_opinion,
):
    text = (
        "My neck has pulled to the left for two years and my GP kept saying it was stress. "
        "I feel like nobody listens to me. What causes dystonia?"
    )
    ranking = [("nlu_fallback", 0.5), ("symptoms", 0.3), ("causes", 0.25)]
    [rescued] = second_opinion.process([message(text, "nlu_fallback", ranking)])
    assert rescued.get("intent") == {"name": "causes", "confidence": 0.25}
    # DIET does not rank it among its first few: answered only when the second classifier is
    # very sure of the question sentence on its own, as for a whole message.
    far_down = [("nlu_fallback", 0.5), ("symptoms", 0.3), ("pain", 0.2), ("prevalence", 0.1)]
    [sure] = second_opinion.process([message(text, "nlu_fallback", far_down)])
    assert sure.get("intent")["name"] == "causes"
    vague = text.replace("What causes dystonia?", "What should we do next?")
    [kept] = second_opinion.process([message(vague, "nlu_fallback", far_down)])
    assert kept.get("intent")["name"] == "nlu_fallback"


def test_a_question_after_small_talk_is_answered_not_the_small_talk(second_opinion):
    text = "Thank you, that helps. One more thing: why is my neck worse when I'm tired?"
    ranking = [("thank", 0.8), ("worsening_factors", 0.1), ("goodbye", 0.05)]
    [answered] = second_opinion.process([message(text, "thank", ranking)])
    assert answered.get("intent") == {"name": "worsening_factors", "confidence": 0.1}
    # Thanks with nothing asked stay thanks.
    [kept] = second_opinion.process([message("Thank you so much. Bye!", "thank", ranking)])
    assert kept.get("intent")["name"] == "thank"


def test_the_second_classifier_alone_decides_only_when_very_sure(second_opinion):
    # DIET unsure; the second classifier is very sure of one answer.
    unsure = [("nlu_fallback", 0.5), ("diagnosis", 0.3), ("symptoms", 0.1)]
    [given] = second_opinion.process([message("what is dystonia", "nlu_fallback", unsure)])
    assert given.get("intent")["name"] == "define_dystonia"
    # DIET's first choice doubted, and the second classifier sure of DIET's runner-up.
    doubted = [("causes", 0.6), ("define_dystonia", 0.2), ("symptoms", 0.1)]
    [runner_up] = second_opinion.process([message("what is dystonia", "causes", doubted)])
    assert runner_up.get("intent") == {"name": "define_dystonia", "confidence": 0.2}
    # Not sure of anything: the honest redirect stays.
    [kept] = second_opinion.process([message("hmm what about that", "nlu_fallback", unsure)])
    assert kept.get("intent")["name"] == "nlu_fallback"


def test_each_question_of_a_message_that_asks_several_things_is_found(second_opinion):
    text = "Is dystonia painful? And separately, is CBD addictive?"
    ranking = [("cbd_addiction", 0.7), ("pain", 0.2)]
    [both] = second_opinion.process([message(text, "cbd_addiction", ranking)])
    assert both.get("questions") == ["pain", "cbd_addiction"]
    # One question: nothing to add.
    [one] = second_opinion.process([message("is cbd addictive?", "cbd_addiction", ranking)])
    assert one.get("questions") is None
    # A sentence that only tells ("not sure what is real and what is publicity.") asks nothing.
    told = "I'm not sure what is real and what is publicity. Which treatments exist?"
    [one_asked] = second_opinion.process([message(told, "treatments", [("treatments", 0.95)])])
    assert one_asked.get("questions") is None


def test_a_pair_of_questions_diet_was_never_trained_on_gets_both_answers(second_opinion):
    # DIET unsure, or sure of one and doubted: the second classifier is sure of each question.
    text = "Does dystonia hurt? And what makes it worse?"
    for intent in ("pain", "nlu_fallback"):
        ranking = [(intent, 0.53), ("pain", 0.53), ("pain+cbd_for_dystonia", 0.17)]
        [both] = second_opinion.process([message(text, intent, ranking)])
        assert both.get("intent")["name"] == "pain"
        assert both.get("questions") == ["pain", "worsening_factors"]
    # One question the second classifier is not sure of: not answered as a pair.
    text = "Does dystonia hurt? And what do you think of my cousin's wedding plans?"
    [one] = second_opinion.process([message(text, "pain", [("pain", 0.53)])])
    assert one.get("questions") is None


def test_a_diagnosis_refusal_not_asked_for_gives_way_to_the_answer_asked_for(second_opinion):
    text = "My son is 16 and he's just been diagnosed with dystonia in his arm. What causes it?"
    ranking = [("diagnosis", 0.63), ("causes", 0.12), ("body_parts_affected", 0.11)]
    [answered] = second_opinion.process([message(text, "diagnosis", ranking)])
    assert answered.get("intent")["name"] == "causes"
    # Asking whether someone has it: the refusal stays.
    doubted = "My son's arm twists when he writes. Is it dystonia? What causes it?"
    [kept] = second_opinion.process([message(doubted, "diagnosis", ranking)])
    assert kept.get("intent")["name"] == "diagnosis"


def test_an_emergency_over_and_done_gets_the_answer_to_what_the_message_asks(second_opinion):
    text = (
        "Last year my throat locked up after a new pill and I ended up in A&E. They gave me an "
        "injection and it settled, and I've been fine since. I'm curious: what causes dystonia?"
    )
    ranking = [("emergency", 0.8), ("causes+treatments", 0.05), ("symptoms", 0.02)]
    [answered] = second_opinion.process([message(text, "emergency", ranking)])
    assert answered.get("intent")["name"] == "causes"
    # The ranking is kept: SafetyCheck reads DIET's confidence in the emergency from it.
    assert answered.get("intent_ranking")[0]["name"] == "emergency"
    # Happening again: the emergency stays for SafetyCheck to escalate.
    again = text.replace("I've been fine since", "now it's happening again")
    [kept] = second_opinion.process([message(again, "emergency", ranking)])
    assert kept.get("intent")["name"] == "emergency"


# -- FollowUpContext ---------------------------------------------------------------------------

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def after(last_answer):
    """The conversation's tracker as NLU sees it, after the answer `last_answer`."""
    events = [SlotSet("last_answer", last_answer)] if last_answer else []
    return DialogueStateTracker.from_events("unit-test", events, slots=DOMAIN.slots)


@pytest.mark.parametrize(
    "previous, text, intent, expected",
    [
        # After the cannabis research, "does it work?" asks whether cannabis helps dystonia,
        # whatever DIET made of the few words.
        ("wilson_case_report", "is that proof it works then?", "ask_evidence", "cbd_for_dystonia"),
        ("wilson_case_report", "how do you know it works?", "ask_evidence", "ask_evidence"),
        (
            "dose_response_study",
            "so does that mean it works?",
            "define_dystonia",
            "cbd_for_dystonia",
        ),
        ("cbd_properties", "would it help my dystonia tho", "diagnosis", "cbd_for_dystonia"),
        (
            "cbd_addiction",
            "hmm. does that actually work for anyone?",
            "nlu_fallback",
            "cbd_for_dystonia",
        ),
        ("research_difficulty:more", "so it doesnt work?", "not_covered", "cbd_for_dystonia"),
        (
            "cbd_multiple_sclerosis",
            "and does it work for the dystonia side of things?",
            "not_covered",
            "cbd_for_dystonia",
        ),
        # After the symptoms, "what helps?" asks for the treatments.
        ("symptoms", "what helps?", "capabilities", "treatments"),
        # Left alone: a subject of its own, not a question, a safety reply, nothing before.
        ("symptoms", "does exercise help?", "not_covered", "not_covered"),
        ("dose_response_study", "that was helpful", "feedback_helpful", "feedback_helpful"),
        ("cbd_safety", "does it work if i take the whole bottle?", "overdose", "overdose"),
        (None, "does it work?", "capabilities", "capabilities"),
        # "How do you know?" asks for the sources of the previous answer.
        ("cbd_safety", "how do you know it's safe?", "not_covered", "ask_evidence"),
        ("prevalence", "ok, says who?", "capabilities", "ask_evidence"),
        ("pain", "source for this bit?", "not_covered", "ask_evidence"),
        ("cbd_safety", "where's the fda thing from", "not_covered", "ask_evidence"),
        ("pain", "whats that based on", "about_source", "ask_evidence"),
        ("prevalence", "wheres the 16 per 100k from", "prevalence", "ask_evidence"),
        ("wilson_case_report", "where was that case published?", "about_source", "ask_evidence"),
        ("pain", "sources please", "not_covered", "ask_evidence"),
        # Where something comes from, not the answer's sources; a source of something else.
        ("pain", "where does the pain come from?", "causes", "causes"),
        ("causes", "what's the source of dystonia in the brain", "causes", "causes"),
        (
            "prevalence",
            "how do you know if it's dystonia?",
            "not_covered",
            "not_covered",
        ),
    ],
)
def test_does_it_work_asks_what_the_previous_answer_says_it_asks(previous, text, intent, expected):
    component = FollowUpContext.create({}, None, None, execution_context=None)
    ranking = [(intent, 0.9), ("greet", 0.01)]
    [processed] = component.process([message(text, intent, ranking)], tracker=after(previous))
    assert processed.get("intent")["name"] == expected


@pytest.mark.parametrize(
    "previous, asked_before, text, expected",
    [
        # The previous answer's question about the subject named, whatever DIET says.
        ("treatment_side_effects", "what are the side effects", "and what about cbd", "cbd_safety"),
        ("treatment_side_effects", "can you get hooked on them?", "is cbd oil?", "cbd_addiction"),
        ("cbd_safety", "is cbd safe", "and for botox?", "treatment_side_effects"),
        ("treatments", "how is it treated", "how about weed", "cbd_for_dystonia"),
        # Left alone: no switch to that subject, or more than a subject named.
        ("causes", "what causes it", "and cbd?", "not_covered"),
        ("treatment_side_effects", "any side effects", "is cbd legal in france", "not_covered"),
    ],
)
def test_a_message_that_only_names_a_subject_asks_the_previous_question_about_it(
    previous, asked_before, text, expected
):
    component = FollowUpContext.create({}, None, None, execution_context=None)
    tracker = after(previous)
    tracker.update(UserUttered(asked_before))
    ranking = [("nlu_fallback", 0.5), ("buying_cannabis", 0.44)]
    [processed] = component.process([message(text, "not_covered", ranking)], tracker=tracker)
    assert processed.get("intent")["name"] == expected


@pytest.mark.parametrize(
    "previous, text, intent, ranking, expected",
    [
        # A question about the answer just given that DIET thinks may ask for the sources.
        (
            "cbd_safety",
            "how do you know it's safe?",
            "not_covered",
            [("nlu_fallback", 0.66), ("cbd_safety", 0.66), ("ask_evidence", 0.25)],
            "ask_evidence",
        ),
        # ... or for more ("tell me more" parts count as their answer).
        (
            "prevalence:more",
            "and how common is that then?",
            "not_covered",
            [("nlu_fallback", 0.6), ("prevalence", 0.6), ("tell_me_more", 0.2)],
            "tell_me_more",
        ),
        # A follow-up the previous answer expects, when it is DIET's best guess.
        (
            "treatments",
            "would they be habit forming for someone like me?",
            "not_covered",
            [("nlu_fallback", 0.5), ("cbd_addiction", 0.45), ("tell_me_more", 0.2)],
            "cbd_addiction",
        ),
        # After cannabis for MS, what was said taken over to dystonia: cannabis for dystonia.
        (
            "cbd_multiple_sclerosis",
            "And for dystonia, is it the same thing?",
            "define_dystonia",
            [("define_dystonia", 0.92)],
            "cbd_for_dystonia",
        ),
        (
            "cbd_multiple_sclerosis",
            "why hasn't anyone tested it properly for dystonia then?",
            "research_difficulty",
            [("research_difficulty", 0.8)],
            "research_difficulty",
        ),
        (
            "cbd_multiple_sclerosis",
            "and what is dystonia?",
            "define_dystonia",
            [("define_dystonia", 0.92)],
            "define_dystonia",
        ),
        # After cannabis, whether it has been tested in people: the research on it.
        (
            "cbd_properties",
            "has it actually been tested against a dummy pill in people with dystonia?",
            "not_covered",
            [("not_covered", 0.8)],
            "cbd_for_dystonia",
        ),
        (
            "wilson_case_report",
            "so thats 1 person. any proper studies?",
            "nlu_fallback",
            [("nlu_fallback", 0.5)],
            "cbd_for_dystonia",
        ),
        # ... but not after cannabis for MS unless about dystonia, nor after the causes.
        (
            "cbd_multiple_sclerosis",
            "has it been tested?",
            "not_covered",
            [("not_covered", 0.8)],
            "not_covered",
        ),
        ("causes", "has that been studied?", "not_covered", [("not_covered", 0.8)], "not_covered"),
        # After the article's source, whether it can be trusted: the source's answer again.
        (
            "about_source",
            "is it reliable then?",
            "not_covered",
            [("not_covered", 0.6)],
            "about_source",
        ),
        ("about_source", "can I trust cbd?", "cbd_safety", [("cbd_safety", 0.9)], "cbd_safety"),
        # A short comment that asks nothing: "not sure I understood", not an answer or the
        # sources; but thanks stay thanks, and "interesting, tell me more" asks for more.
        (
            "dose_response_study",
            "wow. only five",
            "out_of_scope",
            [("out_of_scope", 0.6)],
            "nlu_fallback",
        ),
        (
            "cbd_for_dystonia",
            "that's a bit depressing tbh",
            "ask_evidence",
            [("ask_evidence", 0.69)],
            "nlu_fallback",
        ),
        ("cbd_for_dystonia", "wow, thanks", "thank", [("thank", 0.9)], "thank"),
        (
            "cbd_for_dystonia",
            "interesting, tell me more",
            "tell_me_more",
            [("tell_me_more", 0.9)],
            "tell_me_more",
        ),
        # A short question about one aspect of the previous answer's subject, whatever DIET
        # says: addiction, side effects, or (about "it") pain relief.
        (
            "treatments",
            "are they addictive?",
            "cbd_addiction",
            [("cbd_addiction", 0.95)],
            "treatment_side_effects",
        ),
        (
            "cbd_safety",
            "what about addiction?",
            "cbd_safety",
            [("cbd_safety", 0.9)],
            "cbd_addiction",
        ),
        (
            "cbd_properties",
            "ok and the side effects?",
            "treatment_side_effects",
            [("treatment_side_effects", 0.9)],
            "cbd_safety",
        ),
        (
            "cbd_properties",
            "is it a good painkiller though?",
            "pain",
            [("pain", 0.9)],
            "cbd_properties",
        ),
        # ... but "what about painkillers?" names the usual ones, and the causes have no aspects.
        (
            "cbd_properties",
            "what about painkillers?",
            "treatments",
            [("treatments", 0.9)],
            "treatments",
        ),
        (
            "causes",
            "any side effects?",
            "treatment_side_effects",
            [("treatment_side_effects", 0.9)],
            "treatment_side_effects",
        ),
        # ... or the answer such a follow-up leads to, when DIET's best guess is that answer.
        (
            "pain",
            "arent they addictive then",
            "not_covered",
            [("nlu_fallback", 0.7), ("treatment_side_effects", 0.7), ("cbd_addiction", 0.2)],
            "treatment_side_effects",
        ),
        # An unsure short follow-up in a dystonia conversation is about dystonia.
        (
            "causes",
            "and in kids?",
            "out_of_scope",
            [("nlu_fallback", 0.5), ("tell_me_more", 0.16), ("capabilities", 0.1)],
            "not_covered",
        ),
        # "More", whatever the filler words around it and whatever DIET makes of them.
        (
            "symptoms",
            "ok more please",
            "not_covered",
            [("nlu_fallback", 0.5), ("symptoms", 0.3)],
            "tell_me_more",
        ),
        ("causes", "right, go on then", "greet", [("greet", 0.7)], "tell_me_more"),
        # The same question about a narrower group: not covered, even when DIET is sure of
        # something else.
        (
            "prevalence",
            "in kids?",
            "ask_evidence",
            [("ask_evidence", 0.52), ("goodbye", 0.11)],
            "not_covered",
        ),
        # A bare "why?" asks why the claim holds, which the article never explains.
        ("prevalence", "but how come?", "causes", [("causes", 0.8)], "not_covered"),
        ("causes", "why is that so", "causes", [("causes", 0.9)], "not_covered"),
        # A subject switch is not a question about what the assistant can do.
        (
            "worsening_factors",
            "what about stress?",
            "capabilities",
            [("capabilities", 0.58), ("greet", 0.17), ("worsening_factors", 0.04)],
            "not_covered",
        ),
        (
            "treatment_side_effects",
            "how about CBD?",
            "capabilities",
            [("capabilities", 0.5), ("cbd_properties", 0.3)],
            "cbd_safety",
        ),
        # A follow-up that points back is about the answer, even when DIET is sure it is
        # off-topic; so is one after an aside.
        (
            "treatments",
            "how long do they work for?",
            "out_of_scope",
            [("out_of_scope", 0.9), ("ask_evidence", 0.05), ("treatments", 0.01)],
            "not_covered",
        ),
        (
            "causes",
            "sorry, my dog jumped on me. is it passed down?",
            "out_of_scope",
            [("out_of_scope", 0.7), ("causes", 0.1), ("ask_evidence", 0.05)],
            "not_covered",
        ),
        # Whether cannabis works, naming nothing else: whether it helps dystonia.
        (
            "causes",
            "what about CBD, does that help?",
            "cbd_properties",
            [("cbd_properties", 0.7), ("cbd_for_dystonia", 0.2)],
            "cbd_for_dystonia",
        ),
        (
            "causes",
            "does cbd help with anxiety?",
            "cbd_properties",
            [("cbd_properties", 0.9)],
            "cbd_properties",
        ),
        # Asking for more, after a thinking noise.
        ("pain", "hmm go on", "out_of_scope", [("out_of_scope", 0.8)], "tell_me_more"),
        # How someone's dystonia will go, after an answer: not off-topic, and not covered.
        (
            "define_dystonia",
            "will i get better",
            "out_of_scope",
            [("out_of_scope", 0.9)],
            "not_covered",
        ),
        (
            "causes",
            "how do i cure a hangover",
            "out_of_scope",
            [("out_of_scope", 0.9)],
            "out_of_scope",
        ),
        (
            "define_dystonia",
            "and?? what comes next",
            "not_covered",
            [("not_covered", 0.6)],
            "tell_me_more",
        ),
        # More about the answer just given, named.
        (
            "treatments",
            "right. tell me more about the treatments",
            "treatments",
            [("treatments", 0.8)],
            "tell_me_more",
        ),
        (
            "causes",
            "tell me more about the treatments",
            "treatments",
            [("treatments", 0.8)],
            "treatments",
        ),
        (
            "pain",
            "do the injections actually work?",
            "not_covered",
            [("not_covered", 0.9), ("treatments", 0.05)],
            "treatments",
        ),
        # Surprise at what was just said: its sources.
        (
            "wilson_case_report",
            "wow really?",
            "out_of_scope",
            [("out_of_scope", 0.8), ("greet", 0.1)],
            "ask_evidence",
        ),
        (
            "prevalence",
            "really? why do women get it more",
            "not_covered",
            [("nlu_fallback", 0.6), ("prevalence", 0.3)],
            "not_covered",
        ),
        # A question that ends "then?" continues the conversation.
        (
            "diagnosis",
            "which doctor do i ask then?",
            "out_of_scope",
            [("nlu_fallback", 0.6), ("goodbye", 0.5), ("privacy", 0.2)],
            "not_covered",
        ),
        # The sources, asked after a reaction.
        (
            "prevalence",
            "wow, that many? how do you know?",
            "not_covered",
            [("nlu_fallback", 0.5), ("prevalence", 0.3)],
            "ask_evidence",
        ),
        # Left alone: no answer to follow, a confident classification, a long message.
        (
            None,
            "how do you know it's safe?",
            "not_covered",
            [("nlu_fallback", 0.66), ("cbd_safety", 0.66), ("ask_evidence", 0.25)],
            "not_covered",
        ),
        (
            "causes",
            "and what's the weather like?",
            "out_of_scope",
            [("out_of_scope", 0.95), ("greet", 0.01)],
            "out_of_scope",
        ),
        (
            "causes",
            "and can you recommend a good film to watch tonight, something funny and light?",
            "out_of_scope",
            [("nlu_fallback", 0.5), ("capabilities", 0.2)],
            "out_of_scope",
        ),
    ],
)
def test_an_unsure_short_follow_up_is_read_in_the_light_of_the_previous_answer(
    previous, text, intent, ranking, expected
):
    component = FollowUpContext.create({}, None, None, execution_context=None)
    [processed] = component.process([message(text, intent, ranking)], tracker=after(previous))
    assert processed.get("intent")["name"] == expected


# -- FeedbackContext ---------------------------------------------------------------------------


NOT_HELPFUL = "feedback_not_helpful"


def after_bot(text):
    return DialogueStateTracker.from_events("unit-test", [BotUttered(text)], slots=DOMAIN.slots)


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        # Feedback typed in the chat, whatever DIET made of it.
        ("that reply was super helpfull", "define_dystonia", "feedback_helpful"),
        ("honestly not that useful", "not_covered", NOT_HELPFUL),
        ("nah, no help at all, bye", "goodbye", NOT_HELPFUL),
        ("it didnt really help me", "out_of_scope", NOT_HELPFUL),
        # A question, a subject of its own, no feedback word, thanks or a crisis: left alone.
        ("is cbd helpful for the pain?", "cbd_for_dystonia", "cbd_for_dystonia"),
        ("baclofen helped my neck a lot", "treatments", "treatments"),
        ("i need help", "capabilities", "capabilities"),
        ("thanks, that helped", "thank", "thank"),
        ("nothing helps anymore, i want to die", "self_harm", "self_harm"),
    ],
)
def test_feedback_typed_in_the_chat_is_feedback(text, intent, expected):
    component = FeedbackContext.create({}, None, None, execution_context=None)
    [processed] = component.process([message(text, intent, [(intent, 0.8)])], tracker=after(None))
    assert processed.get("intent")["name"] == expected


@pytest.mark.parametrize(
    "text, intent, ranking, expected",
    [
        # Free text DIET is unsure of, redirects, or mistakes for a question it knows: the
        # answer to "what was missing?".
        ("too short", "not_covered", [("nlu_fallback", 0.4), ("treatments", 0.4)], NOT_HELPFUL),
        ("too technical", "out_of_scope", [("out_of_scope", 0.7)], NOT_HELPFUL),
        ("it was too vague for me", "symptoms", [("symptoms", 0.95)], NOT_HELPFUL),
        # A question is answered as usual, and safety messages and small talk keep their reply.
        ("what causes dystonia?", "causes", [("causes", 0.95)], "causes"),
        ("how much cbd should i take", "medication_advice", [("medication_advice", 0.9)], None),
        ("thanks anyway", "thank", [("thank", 0.9)], None),
    ],
)
def test_free_text_after_what_was_missing_is_that_answer(text, intent, ranking, expected):
    component = FeedbackContext.create({}, None, None, execution_context=None)
    asked = after_bot(knowledge().feedback.what_was_missing)
    [processed] = component.process([message(text, intent, ranking)], tracker=asked)
    assert processed.get("intent")["name"] == (expected or intent)
    # Anywhere else, the same message keeps its intent.
    other = after_bot(knowledge().feedback.thanks)
    [kept] = component.process([message(text, intent, ranking)], tracker=other)
    assert kept.get("intent")["name"] == intent


# -- the n-gram classifiers' scores ---------------------------------------------------------------

SCORED = [
    "what causes dystonia",
    "I can't breathe, my throat is closing",
    "is CBD addictive? and does it help the pain",
    "wat causs dystonai",
    "",
]


@pytest.mark.parametrize("component", ["safety", "second_opinion"])
def test_the_scores_are_scikit_learns_own(component, request):
    trained_component = request.getfixturevalue(component)
    classifier = trained_component._classifier
    ours = trained_component.probabilities(SCORED)
    assert ours.shape == (len(SCORED), len(classifier.classes_))
    assert np.allclose(ours, classifier.predict_proba(SCORED), rtol=0, atol=1e-12)
    assert [trained_component.first_choice(t) for t in SCORED] == list(classifier.predict(SCORED))
