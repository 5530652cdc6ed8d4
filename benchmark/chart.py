"""The load figures as a chart: throughput and p95 latency per scenario, project against the
stock `rasa init` bot, next to the markdown (docs/benchmark.svg for docs/benchmark.md)."""

import warnings
from pathlib import Path
from typing import Dict, List, Optional

import matplotlib

from benchmark.load import LevelResult

matplotlib.use("Agg")  # no display: write files only
# matplotlib 3.x calls pyparsing APIs that pyparsing 3.1+ deprecates: noise nobody here can fix.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import matplotlib.pyplot as plt

Series = Dict[str, Dict[str, LevelResult]]  # column name -> scenario -> level


def write(path: Path, scenarios: List[str], series: Series) -> None:
    """One group of bars per scenario and one bar per column; a missing level has no bar."""
    with warnings.catch_warnings():  # the same pyparsing warnings, raised when text is laid out
        warnings.simplefilter("ignore", DeprecationWarning)
        _draw(path, scenarios, series)


def _draw(path: Path, scenarios: List[str], series: Series) -> None:
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(10, 7.5), sharex=True)
    width = 0.8 / max(len(series), 1)
    positions = range(len(scenarios))
    for index, (name, levels) in enumerate(series.items()):
        offsets = [x - 0.4 + width * (index + 0.5) for x in positions]

        throughput = _values(levels, scenarios, lambda level: level.throughput)
        p95 = _values(levels, scenarios, lambda level: level.p(95))
        top.bar(offsets, throughput, width, label=name.replace("`", ""))
        bottom.bar(offsets, p95, width)
        for x, y in zip(offsets, throughput, strict=True):
            _label(top, x, y, f"{y:.1f}")
        for x, y in zip(offsets, p95, strict=True):
            _label(bottom, x, y, f"{y:.0f}")
    top.set_ylabel("throughput (replies/s)")
    top.set_title("Throughput per scenario (higher is better)")
    bottom.set_ylabel("p95 latency (ms, log scale)")
    bottom.set_yscale("log")
    bottom.set_title("p95 latency per scenario (lower is better)")
    bottom.set_xticks(list(positions))
    bottom.set_xticklabels([_wrap(key) for key in scenarios], fontsize=8)
    figure.legend(loc="upper center", ncol=len(series), frameon=False)
    top.margins(y=0.15)  # room for the value labels
    for axes in (top, bottom):
        axes.grid(axis="y", alpha=0.3)
    figure.tight_layout(rect=(0, 0, 1, 0.95))  # below the legend
    path.parent.mkdir(parents=True, exist_ok=True)
    # No timestamps in the SVG: rerunning with the same figures changes nothing in git.
    figure.savefig(path, metadata={"Date": None} if path.suffix == ".svg" else None)
    plt.close(figure)


def _values(levels: Dict[str, LevelResult], scenarios: List[str], get) -> List[float]:
    # NaN leaves a gap where a column has no such scenario (the stock bot has no replicas).
    nan = float("nan")
    return [(get(levels[key]) or nan) if key in levels else nan for key in scenarios]


def _label(axes, x: float, y: Optional[float], text: str) -> None:
    if y is not None and y == y:  # not NaN
        axes.annotate(text, (x, y), ha="center", va="bottom", fontsize=7)


def _wrap(key: str) -> str:
    return key.replace(", ", ",\n")
