"""The article answers and the references they cite, loaded from `knowledge/`.

`answers.yml` holds the answer texts with the article passages and evidence they rest on;
`evidence.md` (a verbatim copy of the evidence sheet) holds the references and verdicts.
"""

import datetime
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Tuple

import yaml

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"

# "- [R1] Steeves TD, ..." in the references section of evidence.md
_REFERENCE_LINE = re.compile(r"^- \[(R\d+)\] (.+)$", re.MULTILINE)
# "| 2 | claim | evidence | verdict |" in the claims table of evidence.md
_CLAIM_ROW = re.compile(r"^\| (\d+) \|.*\| ([^|]+) \|$", re.MULTILINE)

# The key of an answer's "tell me more" part: "treatments" -> "treatments:more".
MORE_SUFFIX = ":more"


@dataclass(frozen=True)
class Answer:
    name: str
    text: str
    passages: Tuple[str, ...]
    evidence_rows: Tuple[int, ...]
    references: Tuple[str, ...]
    more: Optional["Answer"] = None
    # {intent a pointing-back follow-up was classified as: the answer to give instead}
    follow_ups: Mapping[str, str] = field(default_factory=dict)
    # {intent an "and X?" / "what about X?" follow-up was classified as: the answer to give}
    subject_switches: Mapping[str, str] = field(default_factory=dict)
    # the answer a short "does it work?" / "what helps?" right after this one asks for
    does_it_help: Optional[str] = None


@dataclass(frozen=True)
class FeedbackTexts:
    """ "Was this helpful?" and the replies to its Yes, its No, and what was missing."""

    question: str
    thanks: str
    what_was_missing: str
    noted: str


@dataclass(frozen=True)
class Knowledge:
    answers: Dict[str, Answer]
    references: Dict[str, str]  # "R1" -> full citation
    verdicts: Dict[int, str]  # claim row of evidence.md -> its verdict
    full_disclaimer: str
    reminder_disclaimer: str
    last_reviewed: datetime.date
    feedback: FeedbackTexts

    def find(self, key: Optional[str]) -> Optional[Answer]:
        """The answer, or an answer's "tell me more" part, recorded under `key`."""
        if not key:
            return None
        if key.endswith(MORE_SUFFIX):
            answer = self.answers.get(key[: -len(MORE_SUFFIX)])
            return answer.more if answer else None
        return self.answers.get(key)


def _answer(name: str, entry: Dict[str, Any]) -> Answer:
    more = entry.get("more")
    return Answer(
        name=name,
        text=entry["text"].strip(),
        passages=tuple(entry["passages"]),
        evidence_rows=tuple(entry.get("evidence_rows", [])),
        references=tuple(entry.get("references", [])),
        more=_answer(name + MORE_SUFFIX, more) if more else None,
        follow_ups=dict(entry.get("follow_ups") or {}),
        subject_switches=dict(entry.get("subject_switches") or {}),
        does_it_help=entry.get("does_it_help"),
    )


# Where an answer text gives the review date.
REVIEW_DATE_FIELD = "{last_reviewed}"


def readable_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"  # "26 November 2026"


def load_knowledge(directory: Path = KNOWLEDGE_DIR) -> Knowledge:
    data = yaml.safe_load((directory / "answers.yml").read_text(encoding="utf-8"))
    reviewed = readable_date(data["last_reviewed"])
    for entry in data["answers"].values():
        entry["text"] = entry["text"].replace(REVIEW_DATE_FIELD, reviewed)
    evidence = (directory / "evidence.md").read_text(encoding="utf-8")
    return Knowledge(
        answers={name: _answer(name, entry) for name, entry in data["answers"].items()},
        references=dict(_REFERENCE_LINE.findall(evidence)),
        # A verdict may carry a wording note after a colon: keep the verdict itself.
        verdicts={
            int(row): verdict.split(":")[0].strip() for row, verdict in _CLAIM_ROW.findall(evidence)
        },
        full_disclaimer=data["disclaimer"]["full"].strip(),
        reminder_disclaimer=data["disclaimer"]["reminder"].strip(),
        last_reviewed=data["last_reviewed"],
        feedback=FeedbackTexts(**{key: text.strip() for key, text in data["feedback"].items()}),
    )


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    """The knowledge the action server answers from, read once per process."""
    return load_knowledge()
