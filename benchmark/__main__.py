"""`make bench`: measures the project's configuration against Rasa's default one.

For each configuration in turn (never both servers at once: they would share the cores):
train, retrain with nothing changed, score the held-out NLU set, start the servers, time the
first answer, warm up, measure memory, load the REST channel at each concurrency level, measure
memory again, stop the servers. Then writes the table to docs/benchmark.md and prints it.
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
from typing import Dict, Optional

from benchmark import load, measure, real_style, report
from serving.stack import ROOT, Ports, Stack, free_port

USERS = (1, 10, 50)  # concurrent conversations; the last level is the long one
QUICK_S = 5
FIRST_ANSWER_TIMEOUT_S = 180


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def server_memory(stack: Stack) -> Dict[str, float]:
    return {name: measure.tree_rss_mb(stack.processes[name].pid) for name in ("rasa", "actions")}


def bench_config(
    name: str,
    config: Path,
    inputs: measure.Inputs,
    work: Path,
    durations: Dict[int, float],
    think_s: float,
) -> report.ConfigResult:
    work.mkdir(parents=True, exist_ok=True)
    log(f"{name}: training from scratch, then again with nothing changed ({config})")
    training = measure.train(config, inputs, name, work)
    log(f"{name}: trained in {training.full_s:.1f} s, retrained in {training.unchanged_s:.1f} s")

    log(f"{name}: scoring the held-out NLU set")
    nlu = measure.held_out_scores(training.model, inputs.held_out, work)
    log(f"{name}: accuracy {nlu.accuracy:.3f}, macro F1 {nlu.macro_f1:.3f}")

    stack = Stack(
        run_dir=work / "run",
        ports=Ports(rasa=free_port(), actions=free_port()),
        model=training.model,
        with_web=False,
    )
    try:
        log(f"{name}: starting the servers (logs in {stack.run_dir})")
        started = time.monotonic()
        stack.start()
        asyncio.run(load.first_answer(stack.rasa_url, FIRST_ANSWER_TIMEOUT_S))
        startup_s = time.monotonic() - started
        log(f"{name}: first answer {startup_s:.1f} s after start; warming up")
        warm_up_errors = asyncio.run(load.warm_up(stack.rasa_url))
        rss = {"warm-up": server_memory(stack)}
        log(f"{name}: scoring the real-style held-out set (tests/real_style/)")
        real = real_style.score(stack.rasa_url, inputs.real_style)
        log(f"{name}: " + real.summary().splitlines()[-3])
        levels = []
        for users, seconds in durations.items():
            log(f"{name}: {users} concurrent conversations for {seconds:g} s")
            level = asyncio.run(load.run_level(stack.rasa_url, users, seconds, think_s))
            log(
                f"{name}: {level.requests} requests, p95 {level.p(95) or 0:.0f} ms, "
                f"{level.throughput:.1f} req/s, {level.error_count} errors"
            )
            levels.append(level)
        rss["load"] = server_memory(stack)
    finally:
        stack.stop()
    return report.ConfigResult(
        name=name,
        training=training,
        nlu=nlu,
        startup_s=startup_s,
        rss_mb=rss,
        levels=levels,
        warm_up_errors=warm_up_errors,
        real_style=real,
    )


def parse_args(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmark",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_S} s per load level, to try the benchmark out"
    )
    parser.add_argument(
        "--skip-reference",
        action="store_true",
        help="measure only the project's config.yml (no ratios)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("docs/benchmark.md"),
        help="where to write the markdown (default: docs/benchmark.md)",
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=30,
        help=f"seconds per load level at {USERS[0]} and {USERS[1]} users (default: 30)",
    )
    parser.add_argument(
        "--soak-duration",
        type=float,
        default=120,
        help=f"seconds at {USERS[-1]} users (default: 120, the 2-minute target)",
    )
    parser.add_argument(
        "--think-time",
        type=float,
        default=0,
        help="seconds each virtual user waits after a reply (default: 0)",
    )
    return parser.parse_args(argv)


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    short, soak = (QUICK_S, QUICK_S) if args.quick else (args.duration, args.soak_duration)
    durations = {users: (soak if users == USERS[-1] else short) for users in USERS}
    run = report.Run(
        command=" ".join(["python -m benchmark", *argv]),
        quick=args.quick,
        durations=durations,
        think_s=args.think_time,
        load_before=os.getloadavg(),
    )
    out = args.out if args.out.is_absolute() else ROOT / args.out

    # `kill` should stop the servers too: turn SIGTERM into an exception, so `finally` runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="rasa-bench-"))
    finished = False
    try:
        inputs = measure.snapshot(work / "inputs")
        project = bench_config(
            "project", inputs.config, inputs, work / "project", durations, args.think_time
        )
        reference: Optional[report.ConfigResult] = None
        if not args.skip_reference:
            config = measure.reference_config(work / "reference" / "config.yml")
            reference = bench_config(
                "reference", config, inputs, work / "reference", durations, args.think_time
            )
        finished = True
    finally:
        if finished:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"failed: training and server logs kept in {work}")

    text = report.markdown(project, reference, run)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(text)
    log(f"written to {out}")


if __name__ == "__main__":
    main()
