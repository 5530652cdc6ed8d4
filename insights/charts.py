"""The report's charts, as inline SVG drawn by matplotlib (Agg backend, no display, offline)."""

import io
from typing import Dict, List, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

COLOURS = {"main": "#3b6ea5", "second": "#e08a2e", "yes": "#4c9a5b", "no": "#c0504d"}

plt.rcParams.update(
    {
        # Text stays text (smaller files, readable in the page); no date in the file.
        "svg.fonttype": "none",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)


def _svg(figure: "plt.Figure") -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    # Drop the XML prolog and doctype: the SVG is inlined in HTML.
    return text[text.index("<svg") :]


def per_day(days: List[Dict[str, object]]) -> str:
    dates = [str(d["date"]) for d in days]
    figure, axes = plt.subplots(figsize=(8, 2.8))
    positions = range(len(dates))
    axes.bar(positions, [d["messages"] for d in days], color=COLOURS["main"], label="messages")
    axes.plot(
        positions,
        [d["conversations"] for d in days],
        color=COLOURS["second"],
        marker="o",
        markersize=3,
        label="conversations",
    )
    step = max(1, len(dates) // 12)
    axes.set_xticks(list(positions)[::step])
    axes.set_xticklabels(dates[::step], rotation=30, ha="right")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(frameon=False)
    return _svg(figure)


def horizontal_bars(labels: Sequence[str], values: Sequence[float], unit: str = "") -> str:
    """Bars with their value written at the end; counts unless `unit` is given."""
    figure, axes = plt.subplots(figsize=(7, 0.3 * len(labels) + 0.8))
    positions = range(len(labels))
    axes.barh(positions, values, color=COLOURS["main"])
    axes.set_yticks(list(positions))
    axes.set_yticklabels(labels)
    axes.invert_yaxis()
    if not unit:
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    for position, value in zip(positions, values, strict=True):
        axes.annotate(
            f" {value:g}{unit}", (value, position), va="center", fontsize=8, annotation_clip=False
        )
    return _svg(figure)


def feedback(answers: Sequence[str], yes: Sequence[int], no: Sequence[int]) -> str:
    figure, axes = plt.subplots(figsize=(7, 0.3 * len(answers) + 0.8))
    positions = list(range(len(answers)))
    axes.barh(positions, yes, color=COLOURS["yes"], label="helpful")
    axes.barh(positions, no, left=yes, color=COLOURS["no"], label="not helpful")
    axes.set_yticks(positions)
    axes.set_yticklabels(answers)
    axes.invert_yaxis()
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(frameon=False, loc="lower right")
    return _svg(figure)


def hours(counts: Sequence[int]) -> str:
    figure, axes = plt.subplots(figsize=(8, 2.4))
    axes.bar(range(24), counts, color=COLOURS["main"])
    axes.set_xticks(range(24))
    axes.set_xlabel("hour of day (UTC)")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    return _svg(figure)


def lengths(counts: Dict[str, int]) -> str:
    figure, axes = plt.subplots(figsize=(8, 2.4))
    axes.bar([int(n) for n in counts], list(counts.values()), color=COLOURS["main"])
    axes.set_xlabel("user messages in the conversation")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    return _svg(figure)
