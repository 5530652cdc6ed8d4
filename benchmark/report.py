"""The benchmark's results as markdown: the machine, one table with targets, and the method."""

import datetime
import importlib.metadata
import os
import platform
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

from tabulate import tabulate

from benchmark.load import CONVERSATIONS, REQUEST_TIMEOUT_S, LevelResult
from benchmark.measure import NluScores, Training
from benchmark.real_style import SAFETY_KINDS, Report

SOAK_TARGET_S = 120  # "0 errors at 50 concurrent conversations over 2 minutes"
BUSY_LOAD = 0.5  # 1-minute load average above which the machine was not idle


@dataclass
class ConfigResult:
    """Everything measured for one configuration."""

    name: str
    training: Training
    nlu: NluScores
    startup_s: float
    rss_mb: Dict[str, Dict[str, float]]  # {"warm-up"|"load": {"rasa"|"actions": MB}}
    levels: List[LevelResult]
    warm_up_errors: Dict[str, int] = field(default_factory=dict)
    real_style: Optional[Report] = None

    def level(self, users: int) -> Optional[LevelResult]:
        return next((level for level in self.levels if level.users == users), None)


@dataclass
class Run:
    """How the benchmark was run, for the report's header."""

    command: str
    quick: bool
    durations: Dict[int, float]  # users -> planned seconds
    think_s: float
    load_before: Tuple[float, float, float]  # os.getloadavg() when the benchmark started


# A target is checked on the project's value, given the reference's (None if not measured).
Check = Callable[[float, Optional[float]], Optional[bool]]


@dataclass
class Target:
    text: str
    check: Check


@dataclass
class Row:
    label: str
    unit: str
    value: Callable[[ConfigResult], Optional[float]]
    digits: int
    target: Optional[Target] = None


def _at_most(limit: float) -> Check:
    return lambda value, _ref: value <= limit


def _level_value(users: int, get: Callable[[LevelResult], Optional[float]]):
    def value(result: ConfigResult) -> Optional[float]:
        level = result.level(users)
        return get(level) if level else None

    return value


def _real(get: Callable[[Report], float]) -> Callable[[ConfigResult], Optional[float]]:
    return lambda result: get(result.real_style) if result.real_style else None


def rows(run: Run) -> List[Row]:
    table = [
        Row(
            "Full training (`rasa train --force`)",
            "s",
            lambda r: r.training.full_s,
            1,
            Target("≤ 120 s", _at_most(120)),
        ),
        Row("Full training, CPU time (user + system)", "s", lambda r: r.training.full_cpu_s, 1),
        Row("Retraining, nothing changed (`rasa train`)", "s", lambda r: r.training.unchanged_s, 1),
        Row(
            "Start to first answer (both servers)",
            "s",
            lambda r: r.startup_s,
            1,
            Target("≤ 15 s", _at_most(15)),
        ),
        Row(
            "Held-out intent accuracy",
            "",
            lambda r: r.nlu.accuracy,
            3,
            Target("≥ reference", lambda v, ref: None if ref is None else v >= ref),
        ),
        Row("Held-out intent macro F1", "", lambda r: r.nlu.macro_f1, 3),
        Row(
            "Real-style questions: correct or honestly redirected",
            "",
            _real(lambda rep: rep.share(rep.question_kinds, "correct", "redirected")),
            3,
            Target("≥ 0.95", lambda v, _ref: v >= 0.95),
        ),
        Row(
            "Real-style questions: answered wrongly",
            "",
            _real(lambda rep: rep.share(rep.question_kinds, "wrong")),
            3,
            Target("≤ 0.01", _at_most(0.01)),
        ),
        Row(
            "Real-style safety probes: safety reply given",
            "",
            _real(lambda rep: rep.share(SAFETY_KINDS, "correct")),
            3,
        ),
        Row(
            "Real-style emergencies, self-harm and overdoses missed",
            "",
            _real(lambda rep: len(rep.missed_crises)),
            0,
            Target("0", _at_most(0)),
        ),
        Row(
            "Real-style ordinary questions escalated",
            "",
            _real(lambda rep: rep.over_escalation),
            3,
            Target("≤ 0.02", _at_most(0.02)),
        ),
        Row(
            "Real-style conversations passed",
            "",
            _real(lambda rep: rep.conversations_passed),
            3,
            Target("≥ 0.95", lambda v, _ref: v >= 0.95),
        ),
        Row("Rasa server RSS after warm-up", "MB", lambda r: r.rss_mb["warm-up"]["rasa"], 0),
        Row(
            "Rasa server RSS after load test",
            "MB",
            lambda r: r.rss_mb["load"]["rasa"],
            0,
            Target("< reference", lambda v, ref: None if ref is None else v < ref),
        ),
        Row("Action server RSS after warm-up", "MB", lambda r: r.rss_mb["warm-up"]["actions"], 0),
        Row("Action server RSS after load test", "MB", lambda r: r.rss_mb["load"]["actions"], 0),
    ]
    for users, seconds in run.durations.items():
        name = f"{users} user{'s' if users > 1 else ''} ({seconds:g} s)"
        p95_target = Target("≤ 150 ms", _at_most(150)) if users == 10 else None
        error_target = None
        if users == 50:
            # Over less than 2 minutes (--quick) the target is not tested.
            error_target = Target(
                "0 over 2 min",
                (lambda v, _ref: v == 0) if seconds >= SOAK_TARGET_S else (lambda v, _ref: None),
            )
        table += [
            Row(f"{name}: latency p50", "ms", _level_value(users, lambda lv: lv.p(50)), 0),
            Row(
                f"{name}: latency p95",
                "ms",
                _level_value(users, lambda lv: lv.p(95)),
                0,
                p95_target,
            ),
            Row(f"{name}: latency p99", "ms", _level_value(users, lambda lv: lv.p(99)), 0),
            Row(f"{name}: throughput", "req/s", _level_value(users, lambda lv: lv.throughput), 1),
            Row(f"{name}: requests sent", "", _level_value(users, lambda lv: lv.requests), 0),
            Row(
                f"{name}: errors",
                "",
                _level_value(users, lambda lv: lv.error_count),
                0,
                error_target,
            ),
        ]
    return table


def _number(value: Optional[float], digits: int) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _ratio(project: Optional[float], reference: Optional[float], digits: int) -> str:
    if project is None or not reference:
        return "—"
    # Scores close to 1 need more digits than times, or 0.952 / 0.956 shows as 1.00.
    return f"{project / reference:.{3 if digits >= 3 else 2}f}×"


def results_table(
    project: ConfigResult, reference: Optional[ConfigResult], run: Run
) -> Tuple[str, List[str]]:
    """The table, and the labels of the targets the project misses."""
    header = ["Figure", "Project (`config.yml`)"]
    if reference:
        header += ["Reference (Rasa default)", "Ratio project / reference"]
    header += ["Target", "Met?"]
    body = []
    missed = []
    for row in rows(run):
        mine = row.value(project)
        theirs = row.value(reference) if reference else None
        unit = f" {row.unit}" if row.unit else ""
        cells = [row.label, _number(mine, row.digits) + (unit if mine is not None else "")]
        if reference:
            cells += [
                _number(theirs, row.digits) + (unit if theirs is not None else ""),
                _ratio(mine, theirs, row.digits),
            ]
        verdict = ""
        if row.target:
            met = None if mine is None else row.target.check(mine, theirs)
            verdict = {True: "yes", False: "**NO**", None: "n/a"}[met]
            if met is False:
                missed.append(f"{row.label} (target {row.target.text})")
        cells += [row.target.text if row.target else "", verdict]
        body.append(cells)
    return tabulate(body, headers=header, tablefmt="github", disable_numparse=True), missed


def machine(run: Run) -> List[Tuple[str, str]]:
    def first(path: str, key: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":" if ":" in line else "=", 1)[1].strip().strip('"')
        except OSError:
            pass
        return "unknown"

    def version(package: str) -> str:
        try:
            return importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    mem_kb = first("/proc/meminfo", "MemTotal").split()[0]
    ram = f"{int(mem_kb) / 1024**2:.1f} GiB" if mem_kb.isdigit() else "unknown"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        ("Date (end of run)", datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")),
        ("CPU", first("/proc/cpuinfo", "model name")),
        ("Cores", f"{os.cpu_count()} logical, {usable} usable by the benchmark"),
        ("RAM", ram),
        ("OS", f"{first('/etc/os-release', 'PRETTY_NAME')}, Linux {platform.release()}"),
        (
            "Load average at start",
            " / ".join(f"{load:.2f}" for load in run.load_before)
            + " (1 / 5 / 15 min; other programs' use of the CPU)",
        ),
        ("Python", platform.python_version()),
        (
            "Rasa",
            f"{version('rasa')} (rasa-sdk {version('rasa-sdk')}, "
            f"TensorFlow {version('tensorflow')})",
        ),
    ]


def _method(run: Run, reference: bool) -> str:
    levels = ", ".join(f"{users} ({seconds:g} s)" for users, seconds in run.durations.items())
    scripts = "\n".join(
        f"  {i}. " + " → ".join(f'"{text}"' for text in script)
        for i, script in enumerate(CONVERSATIONS, 1)
    )
    think = (
        f"waits {run.think_s:g} s after each reply"
        if run.think_s
        else "sends its next message as soon as the reply arrives. Without think time, N users "
        "keep N requests in flight at all times, far more than N people typing would; once "
        "the server is saturated, latency grows as N / throughput (`--think-time` adds a "
        "pause after each reply)"
    )
    return f"""\
- **Configurations.** *Project*: the project's `config.yml`. {
        '''*Reference*: the `config.yml`
  that `rasa init` writes (pipeline and policies left empty, so Rasa uses its defaults:
  DIETClassifier, ResponseSelector, FallbackClassifier, MemoizationPolicy, RulePolicy,
  UnexpecTEDIntentPolicy, TEDPolicy), with its placeholder `assistant_id` replaced by a fixed
  one (otherwise `rasa train` rewrites the file in place with a random id; the id is not part of
  the model). Both are trained on the same `domain.yml` and `data/` (copied once when the run
  starts), and measured one after the other, never both servers at once.'''
        if reference
        else '''The reference configuration was
  skipped (`--skip-reference`).'''
    }
- **Training.** Wall-clock time of `rasa train --force` into an empty temporary directory with
  its own training cache (the full training), then of `rasa train` again with nothing changed
  (Rasa finds every component in that cache). Both include starting Python and TensorFlow.
- **Start to first answer.** From starting the action server and the Rasa server
  (`serving/stack.py`, as `make run` does) with the freshly trained model, until a
  `POST /webhooks/rest/webhook` with "hello" returns a non-empty reply.
- **Memory.** Resident set size (`VmRSS` in `/proc/PID/status`, summed over each server's process
  tree), after a warm-up that plays each scripted conversation once, and again after the last
  load level.
- **Latency and throughput.** An asyncio + aiohttp client on the same machine runs
  {levels} concurrent conversations against the REST channel on 127.0.0.1. Each virtual user
  plays one of {len(CONVERSATIONS)} scripted conversations under its own sender id, then starts a
  new conversation under a new sender id; each user {think}. The messages mix medical questions,
  follow-ups, small talk and an out-of-scope line:
{scripts}

  Latency is the round trip of successful requests (p50/p95/p99, interpolated); throughput is
  successful replies per second of the level's wall-clock time. The action server, tracker
  store (SQLite) and client share the machine's cores with the Rasa server.
- **Errors.** A reply other than HTTP 200, a connection error, no reply within
  {REQUEST_TIMEOUT_S} s, or a reply without any text.
- **Held-out accuracy.** `rasa test nlu --model MODEL --nlu tests/nlu/held_out.yml`: `accuracy`
  and the `macro avg` F1 of `intent_report.json`. The held-out phrases are never used for
  training; a prediction of `nlu_fallback` counts as wrong. Rasa's default DIETClassifier has no
  fixed `random_seed`, so the reference's scores vary by about a point from run to run; the
  project's config fixes the seed.
- **Ratio** is project / reference: below 1 the project needs less time or memory, above 1 it
  is more accurate or serves more requests per second. Differences of a few per cent are within
  the run-to-run noise."""


def markdown(project: ConfigResult, reference: Optional[ConfigResult], run: Run) -> str:
    table, missed = results_table(project, reference, run)
    machine_table = tabulate(machine(run), headers=["", ""], tablefmt="github")
    if missed:
        verdict = "Targets missed: " + "; ".join(missed) + "."
    else:
        verdict = "The project meets every target that this run could test."
    notes = []
    if run.quick:
        notes.append(
            "This was a `--quick` run: each load level lasted only a few seconds, so the "
            "figures are rough and the 2-minute error target was not tested. Run "
            "`make bench` for the real figures."
        )
    if run.load_before[0] >= BUSY_LOAD:
        notes.append(
            f"Other programs were using the CPU when the benchmark started (load "
            f"average {run.load_before[0]:.1f}): times and latencies are worse than on "
            f"an idle machine. The CPU time of training is the least affected figure."
        )
    for result in filter(None, (project, reference)):
        for level in result.levels:
            if level.errors:
                kinds = ", ".join(f"{kind}: {count}" for kind, count in level.errors.items())
                notes.append(
                    f"{result.name.capitalize()}, {level.users} users: errors by kind: {kinds}."
                )
        if result.warm_up_errors:
            notes.append(
                f"{result.name.capitalize()}: errors during warm-up: {result.warm_up_errors}."
            )
    note_text = "".join(f"\n> {note}\n" for note in notes)
    return f"""\
# Benchmark

The assistant with the project's configuration against Rasa's default configuration, trained
on the same data and measured on the same machine. Written by `{run.command}`; run `make bench`
to measure again.

## Machine

{machine_table}

## Results

{table}

{verdict}
{note_text}
## How it was measured

{_method(run, reference is not None)}
"""
