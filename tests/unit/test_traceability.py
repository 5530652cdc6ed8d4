"""Every answer rests on the article; every sentence of the article is answered."""

import datetime
import re
from pathlib import Path

import pytest
import yaml

from actions.knowledge import knowledge, readable_date

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = (ROOT / "knowledge" / "cannabinoids-and-dystonia.txt").read_text(encoding="utf-8")
SHARED_ARTICLE = ROOT.parent / "shared" / "source" / "cannabinoids-and-dystonia.txt"
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())

# Lines of the page that are not claims, left out on purpose.
NOT_CONTENT = {
    "Herb Approach",  # the re-posting site's section label
    "Did you like this post?",  # rating widget
    "Make an assessment.",
    "Publisher Logo",
    "Rating: 5.0/5.",
    "From 2 votes.",
}


def article_sentences():
    for line in ARTICLE.splitlines():
        if line.strip():
            # Split after . ? or ! followed by a space, keeping numbers such as "5.0/5" whole.
            yield from (s.strip() for s in re.split(r"(?<=[.?!])\s+", line.strip()))


def test_the_project_copy_of_the_article_is_verbatim():
    if not SHARED_ARTICLE.exists():
        pytest.skip("../shared is not beside this checkout")
    assert SHARED_ARTICLE.read_text(encoding="utf-8") == ARTICLE


def answers_and_more_parts():
    for answer in knowledge().answers.values():
        yield answer
        if answer.more:
            yield answer.more


@pytest.mark.parametrize("answer", list(answers_and_more_parts()), ids=lambda a: a.name)
def test_every_recorded_passage_is_in_the_article_verbatim(answer):
    assert answer.passages, f"{answer.name} records no passage"
    for passage in answer.passages:
        assert passage in ARTICLE, f"{answer.name}: not verbatim in the article: {passage!r}"


def test_every_sentence_of_the_article_is_covered_by_an_answer():
    passages = [p for a in knowledge().answers.values() for p in a.passages]
    uncovered = [
        sentence
        for sentence in article_sentences()
        if sentence not in NOT_CONTENT and not any(sentence in p for p in passages)
    ]
    assert uncovered == []


def test_left_out_lines_are_really_in_the_article():
    assert all(line in ARTICLE for line in NOT_CONTENT)


@pytest.mark.parametrize("answer", list(answers_and_more_parts()), ids=lambda a: a.name)
def test_every_cited_reference_and_evidence_row_exists(answer):
    assert set(answer.references) <= set(knowledge().references)
    assert set(answer.evidence_rows) <= set(knowledge().verdicts)


@pytest.mark.parametrize("name", sorted(knowledge().answers))
def test_follow_ups_lead_to_answers_that_exist(name):
    answer = knowledge().answers[name]
    assert set(answer.follow_ups.values()) <= set(knowledge().answers)
    assert set(answer.subject_switches.values()) <= set(knowledge().answers)
    assert answer.does_it_help in {None, *knowledge().answers}


def test_every_two_part_intent_is_made_of_answers():
    for intent in DOMAIN["intents"]:
        if "+" in intent:
            assert set(intent.split("+")) <= set(knowledge().answers), intent


def test_the_review_date_exists_and_is_not_in_the_future():
    # YAML reads an unquoted YYYY-MM-DD as a date; a typo would leave a string.
    assert type(knowledge().last_reviewed) is datetime.date
    assert knowledge().last_reviewed <= datetime.date.today()


def test_every_answer_has_an_intent_and_every_answer_intent_has_an_answer():
    answer_rule = yaml.safe_load((ROOT / "data" / "rules" / "answers.yml").read_text())["rules"][0]
    routed = {step["intent"] for step in answer_rule["steps"][0]["or"]}
    assert routed == set(knowledge().answers)
    assert routed <= set(DOMAIN["intents"])


@pytest.mark.parametrize("name", sorted(knowledge().answers))
def test_article_claims_are_attributed_in_the_answer(name):
    text = knowledge().answers[name].text
    assert re.search(r"\b(article|Kalapa Clinic)\b", text), f"{name} does not name its source"


@pytest.mark.parametrize(
    "name, must_say",
    [
        ("cbd_for_dystonia", ["no benefit", "FDA"]),
        ("cbd_safety", ["FDA", "liver"]),
        ("prevalence", ["16 people per 100,000"]),
        ("research_difficulty", ["no benefit"]),
        ("dose_response_study", ["5 patients", "no placebo"]),
    ],
)
def test_overstated_claims_carry_the_evidence_context(name, must_say):
    text = knowledge().answers[name].text
    for phrase in must_say:
        assert phrase in text


def test_no_answer_gives_a_dose():
    for answer in knowledge().answers.values():
        for text in (answer.text, answer.more.text if answer.more else ""):
            assert not re.search(r"\d+\s*(mg|milligram)", text), answer.name


def test_the_about_source_answer_gives_the_review_date():
    reviewed = readable_date(knowledge().last_reviewed)
    assert reviewed == knowledge().last_reviewed.strftime("%-d %B %Y")
    assert reviewed in knowledge().answers["about_source"].text
