"""`make bench`: the project against the stock `rasa init` bot, on the same machine.

In order, never two servers at once (they would share the cores):
1. the project: train (or take --model), score the held-out NLU set, start the action server
   and Rasa (SQLite), time the first answer, warm up, score the real-style set, run the load
   levels, measure memory;
2. the project on PostgreSQL + Redis behind HAProxy, with 1 and then 2 replicas: 10 users;
3. the stock `rasa init` bot: create and train it, then the same load levels;
4. with --default-config-reference, Rasa's default config trained on the project's data (its
   training alone takes about 35 minutes).
Then writes the table (docs/benchmark.md) and the chart (docs/benchmark.svg) and prints the
table. A full run takes about 25-30 minutes on 2 cores (8-10 less with --model); --quick
about 7 plus the project's training (none with --model).
"""

import argparse
import asyncio
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from benchmark import chart, load, measure, real_style, report, scaling, stock
from benchmark.real_style import Report
from benchmark.scenarios import TEN, Scenario, scenarios
from serving.stack import ROOT, Ports, Stack, free_port

QUICK_S = 5  # seconds per timed level with --quick
QUICK_TURNS = 10  # turns per long conversation with --quick
FIRST_ANSWER_TIMEOUT_S = 180
REPLICAS = (1, 2)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def server_memory(stack: Stack) -> Dict[str, float]:
    return {name: measure.tree_rss_mb(process.pid) for name, process in stack.processes.items()}


def serve_and_load(
    name: str,
    stack: Stack,
    levels: List[Scenario],
    require_text: bool,
    real_style_set: Optional[Path],
) -> Tuple[
    float,
    Dict[str, Dict[str, float]],
    Dict[str, load.LevelResult],
    Dict[str, int],
    Optional[Report],
]:
    """Starts `stack`, runs every level against it, stops it; returns start-up time, memory,
    levels, warm-up errors and the real-style report (None without a set)."""
    try:
        log(f"{name}: starting the servers (logs in {stack.run_dir})")
        started = time.monotonic()
        stack.start()
        asyncio.run(load.first_answer(stack.rasa_url, FIRST_ANSWER_TIMEOUT_S))
        startup_s = time.monotonic() - started
        log(f"{name}: first answer {startup_s:.1f} s after start; warming up")
        warm_up_errors = asyncio.run(load.warm_up(stack.rasa_url, require_text))
        rss = {"warm-up": server_memory(stack)}
        real: Optional[Report] = None
        if real_style_set:
            log(f"{name}: scoring the real-style held-out set (tests/real_style/)")
            real = real_style.score(stack.rasa_url, real_style_set)
            log(f"{name}: " + real.summary().splitlines()[-3])
        results = {}
        for scenario in levels:
            log(f"{name}: {scenario.label}")
            level = scenario.run(stack.rasa_url, require_text, progress=log)
            log(
                f"{name}: {level.requests} requests, p95 {level.p(95) or 0:.0f} ms, "
                f"{level.throughput:.1f} req/s, {level.error_count} errors"
            )
            results[scenario.key] = level
        rss["load"] = server_memory(stack)
    finally:
        stack.stop()
    return startup_s, rss, results, warm_up_errors, real


def bench_trained(
    name: str,
    title: str,
    config: Path,
    inputs: measure.Inputs,
    work: Path,
    levels: List[Scenario],
    model: Optional[Path] = None,
) -> report.ConfigResult:
    """A configuration on the project's data: the project, or the default-config reference."""
    work.mkdir(parents=True, exist_ok=True)
    training = None
    if model is None:
        log(
            f"{name}: training from scratch (the project: about 8-10 minutes), then again with "
            f"nothing changed ({config})"
        )
        training = measure.train(config, inputs, name, work)
        model = training.model
        log(
            f"{name}: trained in {training.full_s:.1f} s, retrained in {training.unchanged_s:.1f} s"
        )
    else:
        log(f"{name}: using the given model {model} (no training figures)")
    log(f"{name}: scoring the held-out NLU set")
    nlu = measure.held_out_scores(model, inputs.held_out, work)
    log(f"{name}: accuracy {nlu.accuracy:.3f}, macro F1 {nlu.macro_f1:.3f}")
    stack = Stack(
        run_dir=work / "run",
        ports=Ports(rasa=free_port(), actions=free_port()),
        model=model,
        with_web=False,
    )
    startup_s, rss, results, warm_up_errors, real = serve_and_load(
        name, stack, levels, True, inputs.real_style
    )
    return report.ConfigResult(
        name=name,
        title=title,
        training=training,
        nlu=nlu,
        startup_s=startup_s,
        rss_mb=rss,
        levels=results,
        warm_up_errors=warm_up_errors,
        real_style=real,
    )


def bench_stock(work: Path, levels: List[Scenario]) -> report.ConfigResult:
    log(f"stock: `rasa init --no-prompt` (creates and trains the starter bot in {work})")
    training = stock.create(work)
    log(f"stock: created and trained in {training.full_s:.1f} s")
    startup_s, rss, results, warm_up_errors, _ = serve_and_load(
        "stock", stock.stack(work, training.model), levels, False, None
    )
    return report.ConfigResult(
        name="stock",
        title="Stock `rasa init` bot",
        training=training,
        nlu=None,
        startup_s=startup_s,
        rss_mb=rss,
        levels=results,
        warm_up_errors=warm_up_errors,
        same_data=False,
    )


def bench_scaled(model: Path, work: Path, seconds: float) -> Dict[str, load.LevelResult]:
    results = {}
    for replicas in REPLICAS:
        level, _ = scaling.run(model, work, replicas, TEN, seconds, log)
        log(
            f"{scaling.scenario_key(replicas)}: {level.requests} requests, p95 "
            f"{level.p(95) or 0:.0f} ms, {level.throughput:.1f} req/s, {level.error_count} errors"
        )
        results[scaling.scenario_key(replicas)] = level
    return results


def stop_on_sigterm(signum, frame) -> None:
    # Only the first one counts: a second SIGTERM must not cut the stopping of the servers short.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    sys.exit(143)


def parse_args(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmark",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK_S} s per timed level and {QUICK_TURNS}-turn long conversations, to try "
        "the benchmark out (the figures are rough)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("docs/benchmark.md"),
        help="where to write the markdown; the chart goes next to it as .svg "
        "(default: docs/benchmark.md)",
    )
    parser.add_argument(
        "--model",
        type=Path,
        help="a trained project model (.tar.gz) to use instead of training one: no training "
        "figures, 8-10 minutes less",
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=30,
        help="seconds per timed level other than the 100-user one (default: 30)",
    )
    parser.add_argument(
        "--crowd-duration",
        "--soak-duration",
        type=float,
        default=120,
        help="seconds at 100 users (default: 120, the 2-minute target)",
    )
    parser.add_argument(
        "--think-time",
        type=float,
        default=2,
        help="seconds each user waits after a reply in the think-time level (default: 2)",
    )
    parser.add_argument(
        "--turns",
        type=int,
        default=50,
        help="messages per long conversation (default: 50)",
    )
    parser.add_argument(
        "--skip-stock", action="store_true", help="no stock `rasa init` bot (no ratios)"
    )
    parser.add_argument(
        "--skip-scaling", action="store_true", help="no PostgreSQL/replica levels (need root)"
    )
    parser.add_argument(
        "--default-config-reference",
        action="store_true",
        help="also Rasa's default config on the project's data (about 35 minutes more)",
    )
    args = parser.parse_args(argv)
    if args.turns < 2 * 5:
        parser.error("--turns must be at least 10 (turns 1-5 are compared with the last 5)")
    if not args.skip_scaling and (reason := scaling.missing()):
        parser.error(
            f"{reason}: `make run-scaled` installs PostgreSQL 15, Redis and HAProxy "
            "(apt-get), or pass --skip-scaling"
        )
    return args


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    short, crowd, turns = (
        (QUICK_S, QUICK_S, QUICK_TURNS)
        if args.quick
        else (args.duration, args.crowd_duration, args.turns)
    )
    levels = scenarios(short, crowd, args.think_time, turns)
    scaled = (
        []
        if args.skip_scaling
        else [Scenario(scaling.scenario_key(n), TEN, short) for n in REPLICAS]
    )
    out = args.out if args.out.is_absolute() else ROOT / args.out
    chart_path = out.with_suffix(".svg")
    model = args.model.resolve() if args.model else None
    run = report.Run(
        command=" ".join(["python -m benchmark", *argv]),
        quick=args.quick,
        scenarios=levels,
        scaled=scaled,
        load_before=os.getloadavg(),
        chart=chart_path.name,
        model=str(args.model) if args.model else None,
    )

    # `kill` should stop the servers too: turn SIGTERM into an exception, so `finally` runs.
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    work = Path(tempfile.mkdtemp(prefix="rasa-bench-"))
    started = time.monotonic()
    finished = False
    try:
        inputs = measure.snapshot(work / "inputs")
        project = bench_trained(
            "project",
            "Project (`config.yml`)",
            inputs.config,
            inputs,
            work / "project",
            levels,
            model,
        )
        if scaled:
            project.levels.update(
                bench_scaled(model or project.training.model, work / "scaled", short)  # type: ignore[union-attr]
            )
        others = []
        if not args.skip_stock:
            others.append(bench_stock(work / "stock", levels))
        if args.default_config_reference:
            config = measure.reference_config(work / "reference" / "config.yml")
            others.append(
                bench_trained(
                    "reference", "Default config", config, inputs, work / "reference", levels
                )
            )
        finished = True
    finally:
        if finished:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"failed: training and server logs kept in {work}")

    series = {result.title: result.levels for result in (project, *others)}
    chart.write(chart_path, [s.key for s in [*levels, *scaled]], series)
    text = report.markdown(project, others, run)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(text)
    log(f"written to {out} and {chart_path} in {(time.monotonic() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
