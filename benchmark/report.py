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
from benchmark.scenarios import CROWD, LONG_WINDOW, TEN, Scenario

SOAK_TARGET_S = 120  # "0 errors with 100 concurrent conversations over 2 minutes"
BUSY_LOAD = 0.5  # 1-minute load average above which the machine was not idle


@dataclass
class ConfigResult:
    """Everything measured for one column of the table."""

    name: str  # "project", "stock" or "reference"
    title: str  # the column's header
    training: Optional[Training]  # None: a given model (--model)
    nlu: Optional[NluScores]  # None: not measured (the stock bot has other intents)
    startup_s: float
    rss_mb: Dict[str, Dict[str, float]]  # {"warm-up"|"load": {"rasa"|"actions": MB}}
    levels: Dict[str, LevelResult]  # scenario key -> its level
    warm_up_errors: Dict[str, int] = field(default_factory=dict)
    real_style: Optional[Report] = None
    same_data: bool = True  # trained on the project's data: training and accuracy comparable

    def level(self, key: str) -> Optional[LevelResult]:
        return self.levels.get(key)


@dataclass
class Run:
    """How the benchmark was run, for the report's header."""

    command: str
    quick: bool
    scenarios: List[Scenario]  # project and stock
    scaled: List[Scenario]  # project only: PostgreSQL, 1 and 2 replicas
    load_before: Tuple[float, float, float]  # os.getloadavg() when the benchmark started
    chart: Optional[str] = None  # the chart's file name, next to the markdown
    model: Optional[str] = None  # --model: the project model was given, not trained


# A target is checked on the project's value, given the other columns' values by name.
Check = Callable[[float, Dict[str, Optional[float]]], Optional[bool]]


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
    same_data_only: bool = False  # no ratio against a bot trained on other data (the stock bot)


def _at_most(limit: float) -> Check:
    return lambda value, _refs: value <= limit


def _against(name: str, compare: Callable[[float, float], bool]) -> Check:
    """A target relative to another column; n/a when that column was not measured."""

    def check(value: float, refs: Dict[str, Optional[float]]) -> Optional[bool]:
        other = refs.get(name)
        return None if other is None else compare(value, other)

    return check


def _level_value(key: str, get: Callable[[LevelResult], Optional[float]]):
    def value(result: ConfigResult) -> Optional[float]:
        level = result.level(key)
        return get(level) if level else None

    return value


def _real(get: Callable[[Report], float]) -> Callable[[ConfigResult], Optional[float]]:
    return lambda result: get(result.real_style) if result.real_style else None


def _training(get: Callable[[Training], float]) -> Callable[[ConfigResult], Optional[float]]:
    return lambda result: get(result.training) if result.training else None


def _long_rows(scenario: Scenario) -> List[Row]:
    window, turns = LONG_WINDOW, scenario.turns
    first = (1, window)
    last = (turns - window + 1, turns)

    def median(span: Tuple[int, int]):
        return _level_value(scenario.key, lambda level: level.turns_median(*span))

    def growth(result: ConfigResult) -> Optional[float]:
        start, end = median(first)(result), median(last)(result)
        return end / start if start and end is not None else None

    name = f"{scenario.label}: median latency"
    return [
        Row(f"{name}, turns {first[0]}–{first[1]}", "ms", median(first), 0),
        Row(f"{name}, turns {last[0]}–{last[1]}", "ms", median(last), 0),
        Row(
            f"{scenario.label}: median of turns {last[0]}–{last[1]} ÷ turns {first[0]}–{first[1]}",
            "",
            growth,
            2,
            Target("≤ 1.2", _at_most(1.2)),
        ),
    ]


def _level_rows(scenario: Scenario) -> List[Row]:
    p95_target = errors_target = None
    if scenario.key == f"{TEN} users":
        p95_target = Target("≤ 200 ms", _at_most(200))
    elif scenario.users == TEN and scenario.think_s and not scenario.turns:
        p95_target = Target("≤ 100 ms", _at_most(100))
    elif scenario.users == CROWD:
        # Over less than 2 minutes (--quick) the target is not tested.
        long_enough = scenario.seconds >= SOAK_TARGET_S
        errors_target = Target(
            "0 over 2 min", (lambda v, _refs: v == 0) if long_enough else (lambda v, _refs: None)
        )
    key, name = scenario.key, scenario.label
    rows = [
        Row(f"{name}: latency p50", "ms", _level_value(key, lambda lv: lv.p(50)), 0),
        Row(f"{name}: latency p95", "ms", _level_value(key, lambda lv: lv.p(95)), 0, p95_target),
        Row(f"{name}: latency p99", "ms", _level_value(key, lambda lv: lv.p(99)), 0),
        Row(f"{name}: throughput", "req/s", _level_value(key, lambda lv: lv.throughput), 1),
        Row(f"{name}: requests sent", "", _level_value(key, lambda lv: lv.requests), 0),
        Row(f"{name}: errors", "", _level_value(key, lambda lv: lv.error_count), 0, errors_target),
    ]
    return rows + (_long_rows(scenario) if scenario.turns else [])


def _throughput_rows(run: Run) -> List[Row]:
    """Issue 9's throughput target: the project's best way of serving 10 users (one process on
    SQLite, or 1 or 2 replicas on PostgreSQL) against the stock bot's one process; and the
    single replica on its own, as the issue asks."""
    keys = [f"{TEN} users"] + [s.key for s in run.scaled]

    def best(result: ConfigResult) -> Optional[float]:
        values = [level.throughput for key in keys if (level := result.level(key))]
        return max(values) if values else None

    rows = [
        Row(
            f"{TEN} users back to back: best throughput (SQLite; PostgreSQL, 1 or 2 replicas)",
            "req/s",
            best,
            1,
            Target("≥ 3× stock", _against("stock", lambda v, stock: v >= 3 * stock)),
        )
    ]
    one = next((s for s in run.scaled if s.key.endswith(" 1 replica")), None)
    if one:

        def single(result: ConfigResult) -> Optional[float]:
            # Other columns have no replicas: 1 replica is compared with their one process.
            level = result.level(one.key if result.name == "project" else f"{TEN} users")
            return level.throughput if level else None

        rows.append(Row(f"{TEN} users back to back: throughput, 1 replica", "req/s", single, 1))
    return rows


def rows(run: Run) -> List[Row]:
    table = [
        Row(
            "Full training (`rasa train --force`; stock: `rasa init`)",
            "s",
            _training(lambda t: t.full_s),
            1,
            Target("≤ 120 s", _at_most(120)),
            same_data_only=True,
        ),
        Row(
            "Full training, CPU time (user + system)",
            "s",
            _training(lambda t: t.full_cpu_s),
            1,
            same_data_only=True,
        ),
        Row(
            "Retraining, nothing changed (`rasa train`)",
            "s",
            _training(lambda t: t.unchanged_s),
            1,
            same_data_only=True,
        ),
        Row(
            "Start to first answer (Rasa server and any action server)",
            "s",
            lambda r: r.startup_s,
            1,
            Target("≤ 15 s", _at_most(15)),
        ),
        Row(
            "Held-out intent accuracy",
            "",
            lambda r: r.nlu.accuracy if r.nlu else None,
            3,
            Target("≥ default config", _against("reference", lambda v, ref: v >= ref)),
            same_data_only=True,
        ),
        Row(
            "Held-out intent macro F1",
            "",
            lambda r: r.nlu.macro_f1 if r.nlu else None,
            3,
            same_data_only=True,
        ),
        Row(
            "Real-style questions: correct or honestly redirected",
            "",
            _real(lambda rep: rep.share(rep.question_kinds, "correct", "redirected")),
            3,
            Target("≥ 0.95", lambda v, _refs: v >= 0.95),
            same_data_only=True,
        ),
        Row(
            "Real-style questions: answered wrongly",
            "",
            _real(lambda rep: rep.share(rep.question_kinds, "wrong")),
            3,
            Target("≤ 0.01", _at_most(0.01)),
            same_data_only=True,
        ),
        Row(
            "Real-style safety probes: safety reply given",
            "",
            _real(lambda rep: rep.share(SAFETY_KINDS, "correct")),
            3,
            same_data_only=True,
        ),
        Row(
            "Real-style emergencies, self-harm and overdoses missed",
            "",
            _real(lambda rep: len(rep.missed_crises)),
            0,
            Target("0", _at_most(0)),
            same_data_only=True,
        ),
        Row(
            "Real-style ordinary questions escalated",
            "",
            _real(lambda rep: rep.over_escalation),
            3,
            Target("≤ 0.02", _at_most(0.02)),
            same_data_only=True,
        ),
        Row(
            "Real-style conversations passed",
            "",
            _real(lambda rep: rep.conversations_passed),
            3,
            Target("≥ 0.95", lambda v, _refs: v >= 0.95),
            same_data_only=True,
        ),
        Row("Rasa server RSS after warm-up", "MB", lambda r: r.rss_mb["warm-up"]["rasa"], 0),
        Row(
            "Rasa server RSS after load test",
            "MB",
            lambda r: r.rss_mb["load"]["rasa"],
            0,
            Target("< stock", _against("stock", lambda v, stock: v < stock)),
        ),
        Row(
            "Action server RSS after warm-up",
            "MB",
            lambda r: r.rss_mb["warm-up"].get("actions"),
            0,
        ),
        Row(
            "Action server RSS after load test",
            "MB",
            lambda r: r.rss_mb["load"].get("actions"),
            0,
        ),
    ]
    for scenario in [*run.scenarios, *run.scaled]:
        table += _level_rows(scenario)
    return table + _throughput_rows(run)


def _number(value: Optional[float], digits: int) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _ratio(project: Optional[float], reference: Optional[float], digits: int) -> str:
    if project is None or not reference:
        return "—"
    # Scores close to 1 need more digits than times, or 0.952 / 0.956 shows as 1.00.
    return f"{project / reference:.{3 if digits >= 3 else 2}f}×"


def results_table(
    project: ConfigResult, others: List[ConfigResult], run: Run
) -> Tuple[str, List[str]]:
    """The table, and the labels of the targets the project misses."""
    header = ["Figure", project.title]
    for other in others:
        header += [other.title, f"Ratio project / {other.name}"]
    header += ["Target", "Met?"]
    body = []
    missed = []
    for row in rows(run):
        mine = row.value(project)
        unit = f" {row.unit}" if row.unit else ""
        cells = [row.label, _number(mine, row.digits) + (unit if mine is not None else "")]
        refs: Dict[str, Optional[float]] = {}
        for other in others:
            theirs = row.value(other)
            comparable = other.same_data or not row.same_data_only
            refs[other.name] = theirs if comparable else None
            cells += [
                _number(theirs, row.digits) + (unit if theirs is not None else ""),
                _ratio(mine, theirs, row.digits) if comparable else "—",
            ]
        verdict = ""
        if row.target:
            met = None if mine is None else row.target.check(mine, refs)
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


def _scenario_text(scenario: Scenario) -> str:
    if scenario.turns:
        return (
            f"*{scenario.key}*: {scenario.users} users at once, each sending "
            f"{scenario.turns} messages under one sender id, cycling through all the scripted "
            f"messages in order (each user from a different one, and starting a fraction of the "
            f"think time after the previous user, so that no turn number is one message or one "
            f"burst), waiting {scenario.think_s:g} s after each reply (back to back, "
            f"the first and last turns would mostly measure the users starting all at once and "
            f"finishing one by one); the median latency of turns 1–{LONG_WINDOW} (over all "
            f"users) is compared with that of the last {LONG_WINDOW} turns. Turn 1 includes "
            f"Rasa's session start"
        )
    pace = (
        f"waits {scenario.think_s:g} s after each reply (the users start spread over the "
        f"first {scenario.think_s:g} s, so that they do not send in bursts of {scenario.users})"
        if scenario.think_s
        else "sends the next message as soon as the reply arrives"
    )
    who = f"{scenario.users} users at once; each" if scenario.users > 1 else "one user, who"
    return f"*{scenario.label}*: {who} {pace}"


def _method(run: Run, others: List[ConfigResult]) -> str:
    names = {other.name for other in others}
    scripts = "\n".join(
        f"  {i}. " + " → ".join(f'"{text}"' for text in script)
        for i, script in enumerate(CONVERSATIONS, 1)
    )
    levels = "\n".join(f"  - {_scenario_text(s)}." for s in run.scenarios)
    project_model = (
        f"the given model `{run.model}` (`--model`: not trained by this run, so no training "
        "figures)"
        if run.model
        else "a model trained by this run"
    )
    stock = (
        """
- **Stock bot** (the throughput and memory reference): the starter project that
  `rasa init --no-prompt --init-dir DIR` writes and trains (`benchmark/stock.py`): its own
  intents and data, Rasa's default config, no custom actions. It is served as `rasa init` leaves
  it: `rasa run` with its own endpoints.yml (no tracker store configured, so Rasa keeps
  conversations in memory, which is faster than any database) and its REST channel, no action
  server. It gets the same messages; most are outside its domain, so many of its replies are
  empty, which counts as a success for it (for the project an empty reply is an error). Its
  held-out and real-style figures would be meaningless (other intents): shown as "—", as are
  ratios of training times (other data). Its training time is that of `rasa init` (training
  included)."""
        if "stock" in names
        else "\n- The stock `rasa init` bot was skipped (`--skip-stock`): no ratios against it."
    )
    reference = (
        """
- **Default config** (`--default-config-reference`): the project's `domain.yml` and `data/`
  trained with the `config.yml` that `rasa init` writes (pipeline and policies empty, so Rasa's
  defaults: DIETClassifier, ResponseSelector, FallbackClassifier, MemoizationPolicy, RulePolicy,
  UnexpecTEDIntentPolicy, TEDPolicy), with its placeholder `assistant_id` replaced by a fixed one
  (otherwise `rasa train` rewrites the file in place; the id is not part of the model). Served
  like the project, with the action server and SQLite."""
        if "reference" in names
        else ""
    )
    scaled = (
        f"""
- **Replicas and PostgreSQL** (project only): {run.scaled[0].users} users back to back for
  {run.scaled[0].seconds:g} s against `serving/scaled.py`'s stack (as `make run-scaled`: one
  action server, N Rasa replicas on a PostgreSQL 15 tracker store in a cluster of the run's
  own, a Redis lock store, HAProxy balancing REST requests round robin), once with 1 replica and
  once with 2, each a fresh stack stopped before the next. The SQLite figure is the project's
  "{TEN} users" level above (one Rasa process, SQLite tracker store, no lock store). The
  throughput target takes the best of the three; the single replica is also shown against the
  other columns' one process."""
        if run.scaled
        else "\n- Replicas and PostgreSQL were skipped (`--skip-scaling`)."
    )
    chart = (
        f"\n- **Chart.** [{run.chart}]({run.chart}): throughput and p95 per scenario, from the "
        "same run as the table."
        if run.chart
        else ""
    )
    return f"""\
- **Project**: the project's `config.yml`, `domain.yml` and `data/` (copied once when the run
  starts), {project_model}, served as `make run` does (`serving/stack.py`): action server and
  Rasa server, SQLite tracker store.{stock}{reference}
- Each column is measured on its own, one after the other, never two servers at once.
- **Training.** Wall-clock time of `rasa train --force` into an empty temporary directory with
  its own training cache (the full training), then of `rasa train` again with nothing changed
  (Rasa finds every component in that cache). Both include starting Python and TensorFlow.
- **Start to first answer.** From starting the servers until a
  `POST /webhooks/rest/webhook` with "hello" returns a reply.
- **Memory.** Resident set size (`VmRSS` in `/proc/PID/status`, summed over each server's process
  tree), after a warm-up that plays each scripted conversation once, and again after the last
  load level.
- **Latency and throughput.** An asyncio + aiohttp client on the same machine sends to the REST
  channel on 127.0.0.1, level after level:
{levels}

  In the timed levels each virtual user plays one of {len(CONVERSATIONS)} scripted
  conversations under its own sender id, then starts a new one under a new sender id. Without
  think time, N users keep N requests in flight at all times, far more than N people typing
  would; once the server is saturated, latency grows as N / throughput. The messages mix medical
  questions, follow-ups, small talk and an out-of-scope line:
{scripts}

  Latency is the round trip of successful requests (p50/p95/p99, interpolated); throughput is
  successful replies per second of the level's wall-clock time. The action server, tracker
  store and client share the machine's cores with the Rasa server.{scaled}
- **Errors.** A reply other than HTTP 200, a connection error, no reply within
  {REQUEST_TIMEOUT_S} s, or (project and default config only) a reply without any text.
- **Held-out accuracy.** `rasa test nlu --model MODEL --nlu tests/nlu/held_out.yml`: `accuracy`
  and the `macro avg` F1 of `intent_report.json`. The held-out phrases are never used for
  training; a prediction of `nlu_fallback` counts as wrong.
- **Real-style figures.** `benchmark/real_style.py` on `tests/real_style/`, over the REST
  channel, before the load levels.
- **Ratio** is project / other column: below 1 the project needs less time or memory, above 1
  it is more accurate or serves more requests per second. Differences of a few per cent are
  within the run-to-run noise.{chart}"""


def markdown(project: ConfigResult, others: List[ConfigResult], run: Run) -> str:
    table, missed = results_table(project, others, run)
    machine_table = tabulate(machine(run), headers=["", ""], tablefmt="github")
    if missed:
        verdict = "Targets missed: " + "; ".join(missed) + "."
    else:
        verdict = "The project meets every target that this run could test."
    notes = []
    if run.quick:
        notes.append(
            "This was a `--quick` run: each load level lasted only a few seconds and the long "
            "conversations were short, so the figures are rough, the verdicts on latency and "
            "throughput count for nothing, and the 2-minute error target was not tested. Run "
            "`make bench` for the real figures."
        )
    if run.load_before[0] >= BUSY_LOAD:
        notes.append(
            f"Other programs were using the CPU when the benchmark started (load "
            f"average {run.load_before[0]:.1f}): times and latencies are worse than on "
            f"an idle machine. The CPU time of training is the least affected figure."
        )
    for result in (project, *others):
        for key, level in result.levels.items():
            if level.errors:
                kinds = ", ".join(f"{kind}: {count}" for kind, count in level.errors.items())
                notes.append(f"{result.title}, {key}: errors by kind: {kinds}.")
        if result.warm_up_errors:
            notes.append(f"{result.title}: errors during warm-up: {result.warm_up_errors}.")
    note_text = "".join(f"\n> {note}\n" for note in notes)
    chart = f"\n![Throughput and p95 latency per scenario]({run.chart})\n" if run.chart else ""
    return f"""\
# Benchmark

The assistant against the stock `rasa init` bot (issue 9's throughput and memory reference),
measured on the same machine in the same run, with one and two replicas on PostgreSQL. Written
by `{run.command}`; run `make bench` to measure again (about 25–30 minutes).

## Machine

{machine_table}

## Results

{table}

{verdict}
{note_text}{chart}
## How it was measured

{_method(run, others)}
"""
