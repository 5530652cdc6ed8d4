"""The report as one self-contained HTML page: inline CSS and SVG, no scripts, no links out.

Every section is always there; a section without data says so. All texts come from
`Report`, whose message texts are already masked; they are escaped here.
"""

import datetime
from html import escape
from typing import Callable, Dict, List

from insights import charts
from insights.outcomes import OUTCOMES
from insights.report import Report

# Section id -> title, in page order (the tests check that each one is there).
SECTIONS = {
    "overview": "Overview",
    "per-day": "Conversations and messages per day",
    "topics": "Answers by topic",
    "outcomes": "What happened to each message",
    "safety": "Safety escalations",
    "unanswered": "Questions that got no answer",
    "feedback": "Feedback on answers",
    "length": "Conversation length",
    "hours": "Busiest hours",
}

OUTCOME_LABELS = {
    "answered": "answered from the article",
    "not_covered": "not covered by the article",
    "fallback": "not understood (fallback)",
    "out_of_scope": "out of scope",
    "safety": "safety reply",
    "conversation": "greeting, thanks, help",
    "feedback": "feedback click",
    "unavailable": "answer unavailable (action server)",
    "no_reply": "no reply",
}

NO_DATA = '<p class="empty">No data in this period.</p>'

STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .5rem 0; }
td, th { padding: .2rem .6rem; text-align: left; border-bottom: 1px solid #eee;
         vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.empty, .note { color: #666; font-style: italic; }
svg { max-width: 100%; height: auto; }
"""


def _table(headers: List[str], rows: List[List[object]], numeric_from: int = 1) -> str:
    head = "".join(
        f'<th class="{"n" if i >= numeric_from else ""}">{escape(h)}</th>'
        for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{"n" if i >= numeric_from else ""}">{escape(str(cell))}</td>'
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _chart(name: str, svg: str) -> str:
    return f'<figure class="chart" data-chart="{name}">{svg}</figure>'


def _overview(report: Report) -> str:
    period = f"{report.since or 'the beginning'} to {report.until or 'now'}"
    rows: List[List[object]] = [
        ["Period asked for", period],
        [
            "First and last message",
            f"{report.first_message or '-'} to {report.last_message or '-'}",
        ],
        ["Conversations", report.conversations],
        ["User messages", report.user_messages],
        ["Unanswered questions", report.unanswered_total],
    ]
    note = (
        '<p class="note">Times are UTC. Sender ids are never shown; phone numbers, email '
        "addresses and postcodes in message texts are masked.</p>"
    )
    return _table(["", ""], rows, numeric_from=2) + note + ("" if not report.empty else NO_DATA)


def _per_day(report: Report) -> str:
    if not report.per_day:
        return NO_DATA
    rows = [[d["date"], d["conversations"], d["messages"]] for d in report.per_day]
    return _chart("per-day", charts.per_day(report.per_day)) + _table(
        ["Date", "Conversations", "Messages"], rows
    )


def _topics(report: Report) -> str:
    if not report.answers_by_topic:
        return NO_DATA
    topics = report.answers_by_topic
    return _chart("topics", charts.horizontal_bars(list(topics), list(topics.values()))) + _table(
        ["Topic", "Answers"], [[t, n] for t, n in topics.items()]
    )


def _outcomes(report: Report) -> str:
    if report.empty:
        return NO_DATA
    labels = [OUTCOME_LABELS[o] for o in OUTCOMES]
    shares = [round(100 * report.outcome_shares[o], 1) for o in OUTCOMES]
    rows = [
        [OUTCOME_LABELS[o], report.outcomes[o], f"{100 * report.outcome_shares[o]:.1f}%"]
        for o in OUTCOMES
    ]
    return _chart("outcomes", charts.horizontal_bars(labels, shares, unit="%")) + _table(
        ["Outcome", "Messages", "Share"], rows
    )


def _safety(report: Report) -> str:
    if report.empty:
        return NO_DATA
    kinds = [kind.replace("_", " ") for kind in report.safety]
    counts = list(report.safety.values())
    chart = _chart("safety", charts.horizontal_bars(kinds, counts)) if any(counts) else ""
    return chart + _table(
        ["Kind", "Messages"], [[k, n] for k, n in zip(kinds, counts, strict=True)]
    )


def _unanswered(report: Report) -> str:
    if not report.unanswered_groups:
        return NO_DATA
    parts = [
        f"<p>{report.unanswered_total} messages got no answer (not covered, fallback or out of "
        f"scope), in {report.unanswered_group_count} groups of similar texts; the largest "
        f"{len(report.unanswered_groups)} are listed.</p>",
        "<ol>",
    ]
    for group in report.unanswered_groups:
        texts = "".join(
            f'<li>{escape(str(t["text"]))} <span class="note">({t["count"]})</span></li>'
            for t in group["texts"]
        )
        parts.append(
            f"<li><strong>{escape(group['label'])}</strong> &mdash; {group['count']} "
            f"<ul>{texts}</ul></li>"
        )
    parts.append("</ol>")
    return "".join(parts)


def _feedback(report: Report) -> str:
    if not report.feedback:
        return NO_DATA
    answers = list(report.feedback)
    yes = [report.feedback[a]["yes"] for a in answers]
    no = [report.feedback[a]["no"] for a in answers]
    parts = [
        _chart("feedback", charts.feedback(answers, yes, no)),
        _table(
            ["Answer", "Helpful", "Not helpful"],
            [[a, y, n] for a, y, n in zip(answers, yes, no, strict=True)],
        ),
    ]
    missing = [(a, report.feedback[a]["missing"]) for a in answers if report.feedback[a]["missing"]]
    parts.append("<h3>What was missing</h3>")
    if not missing:
        parts.append('<p class="empty">No one said what was missing.</p>')
    for answer, texts in missing:
        items = "".join(
            f'<li>{escape(t["text"])} <span class="note">({t["count"]})</span></li>' for t in texts
        )
        parts.append(f"<p><strong>{escape(answer)}</strong></p><ul>{items}</ul>")
    return "".join(parts)


def _length(report: Report) -> str:
    if report.median_conversation_length is None:
        return NO_DATA
    return (
        f"<p>Median: <strong>{report.median_conversation_length:g}</strong> user messages per "
        f"conversation.</p>" + _chart("length", charts.lengths(report.conversation_lengths))
    )


def _hours(report: Report) -> str:
    if report.empty:
        return NO_DATA
    counts = [report.busiest_hours[str(h)] for h in range(24)]
    top = [h for h in sorted(range(24), key=lambda h: (-counts[h], h))[:3] if counts[h]]
    busiest = ", ".join(f"{h:02d}:00-{h:02d}:59 ({counts[h]})" for h in top)
    return f"<p>Busiest: {busiest}.</p>" + _chart("hours", charts.hours(counts))


RENDERERS: Dict[str, Callable[[Report], str]] = {
    "overview": _overview,
    "per-day": _per_day,
    "topics": _topics,
    "outcomes": _outcomes,
    "safety": _safety,
    "unanswered": _unanswered,
    "feedback": _feedback,
    "length": _length,
    "hours": _hours,
}


def render_html(report: Report) -> str:
    generated = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sections = "".join(
        f'<section id="{name}"><h2>{escape(title)}</h2>{RENDERERS[name](report)}</section>'
        for name, title in SECTIONS.items()
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Dystonia assistant: insights</title>"
        f"<style>{STYLE}</style></head><body>"
        f'<h1>Dystonia assistant: insights</h1><p class="note">Generated {generated}.</p>'
        f"{sections}</body></html>\n"
    )
