"""Latency by turn in long conversations: does a reply get slower as the conversation grows?

    python -m benchmark.long_conversations [--users 10] [--turns 50] [--store TYPE]
        [--profile out.svg]

Starts the action server and Rasa with the newest model in models/ and the tracker store
`--store` (a `type:` for endpoints.yml), then runs `make bench`'s long conversations
(benchmark/load.py, `run_long`) back to back: `--users` senders, `--turns` messages each.
Prints the median latency of the first and last five turns, their ratio, the throughput, the
Rasa server's CPU time per reply (steadier than latency when other work shares the machine)
and its resident memory. With `--profile` it also samples the Rasa server with py-spy
(benchmark/profile.py) during the load.
"""

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import List, Optional

import yaml

from benchmark.load import run_long, warm_up
from benchmark.measure import tree_rss_mb
from benchmark.profile import record
from serving.stack import ROOT, Ports, Stack, free_port

WINDOW = 5  # turns compared at the start and at the end


def _config_dir(target: Path, store: Optional[str]) -> Path:
    """The project's endpoints.yml and credentials.yml, with the tracker store's type set."""
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    endpoints["tracker_store"]["type"] = store or endpoints["tracker_store"]["type"]
    (target / "endpoints.yml").write_text(yaml.safe_dump(endpoints))
    shutil.copy2(ROOT / "credentials.yml", target / "credentials.yml")
    return target


def _cpu_s(pid: int) -> float:
    """User and system CPU time of a process: unlike latency, barely changed by other load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmark.long_conversations")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--turns", type=int, default=50)
    parser.add_argument("--store", help="a tracker_store type; endpoints.yml's by default")
    parser.add_argument("--profile", type=Path, help="py-spy output: .svg, or .txt for raw")
    parser.add_argument("--profile-seconds", type=int, default=25)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="rasa-long-") as tmp:
        stack = Stack(
            run_dir=Path(tmp) / "run",
            ports=Ports(rasa=free_port(), actions=free_port()),
            config_dir=_config_dir(Path(tmp), args.store),
            with_web=False,
        ).start()
        try:
            asyncio.run(warm_up(stack.rasa_url))
            pid = stack.processes["rasa"].pid
            sampler = record(pid, args.profile_seconds, args.profile, 100) if args.profile else None
            cpu_before = _cpu_s(pid)
            result = asyncio.run(run_long(stack.rasa_url, args.users, args.turns))
            replies = len(result.latencies_ms)
            cpu_ms_per_reply = (_cpu_s(pid) - cpu_before) * 1000 / max(replies, 1)
            memory_mb = tree_rss_mb(pid)
            if sampler is not None:
                sampler.wait(timeout=args.profile_seconds + 60)
        finally:
            stack.stop()

    first = result.turns_median(1, WINDOW) or 0.0
    last = result.turns_median(args.turns - WINDOW + 1, args.turns) or 0.0
    print(
        f"{args.store or 'the store in endpoints.yml'}: {args.users} users x {args.turns} turns "
        f"in {result.elapsed_s:.1f} s, {result.throughput:.1f} replies/s, "
        f"{result.error_count} errors, Rasa CPU {cpu_ms_per_reply:.0f} ms/reply; "
        f"median turns 1-{WINDOW} {first:.0f} ms, turns {args.turns - WINDOW + 1}-{args.turns} "
        f"{last:.0f} ms ({last / first if first else 0:.2f}x); Rasa RSS {memory_mb:.0f} MB",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
