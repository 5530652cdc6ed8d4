"""Plain language: every answer a patient reads is at most grade 9, and the median at most 7.

Health-literacy guidance (NIH, AMA, MedlinePlus) asks for grade 6-8 in patient materials. The
grade is Flesch-Kincaid, from textstat 0.7.3 (pinned: it needs no download); each list item
counts as a sentence, as a reader takes it.
"""

import re
import statistics

import pytest
import textstat

from actions.knowledge import knowledge

MAX_GRADE = 9.0
MAX_MEDIAN_GRADE = 7.0


def readable_texts():
    for answer in knowledge().answers.values():
        yield answer.name, answer.text
        if answer.more:
            yield answer.more.name, answer.more.text


def grade(text: str) -> float:
    sentences = []
    for line in filter(None, (line.strip() for line in text.splitlines())):
        if line.startswith("- ") and not re.search(r"[.!?:]$", line):
            line += "."  # a list item is a sentence of its own
        sentences.append(line)
    return textstat.flesch_kincaid_grade(" ".join(sentences))


@pytest.mark.parametrize("name, text", list(readable_texts()))
def test_every_answer_is_plain_language(name, text):
    assert grade(text) <= MAX_GRADE


def test_the_median_answer_is_grade_7_or_below():
    grades = [grade(text) for _, text in readable_texts()]
    assert statistics.median(grades) <= MAX_MEDIAN_GRADE


def test_a_list_item_counts_as_a_sentence():
    assert grade("- one short item\n- another short item") == grade(
        "One short item. Another short item."
    )
