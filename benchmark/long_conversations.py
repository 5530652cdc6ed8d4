"""Latency by turn in long conversations: does a reply get slower as the conversation grows?

    python -m benchmark.long_conversations [--users 10] [--turns 50] [--store TYPE]
        [--profile out.svg]

Starts the action server and Rasa with the newest model in models/ and the tracker store
`--store` (a `type:` for endpoints.yml), then `--users` senders each play one conversation of
`--turns` messages back to back (the last five repeat the first five). Prints the median
latency of the first and last five turns,
their ratio, the throughput, the Rasa server's CPU time per reply (steadier than latency when
other work shares the machine) and its resident memory. With `--profile` it also
samples the Rasa server with py-spy during the load and writes a flame graph.
"""

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional

import aiohttp
import yaml

from benchmark.load import CONVERSATIONS, REQUEST_TIMEOUT_S, send, warm_up, webhook
from serving.stack import BIN, ROOT, Ports, Stack, free_port

# Every scripted line in turn, so that each conversation keeps asking and answering.
MESSAGES: List[str] = [text for script in CONVERSATIONS for text in script]
WINDOW = 5  # turns compared at the start and at the end


def message(turn: int, turns: int) -> str:
    """The text of `turn` (from 1): the last WINDOW turns repeat the first ones, so that the
    two windows compared ask the same things and differ only in the conversation's length."""
    from_end = turn - (turns - WINDOW)
    return MESSAGES[from_end - 1] if from_end > 0 else MESSAGES[(turn - 1) % len(MESSAGES)]


def _config_dir(target: Path, store: Optional[str]) -> Path:
    """The project's endpoints.yml and credentials.yml, with the tracker store's type set."""
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    endpoints["tracker_store"]["type"] = store or endpoints["tracker_store"]["type"]
    (target / "endpoints.yml").write_text(yaml.safe_dump(endpoints))
    shutil.copy2(ROOT / "credentials.yml", target / "credentials.yml")
    return target


async def _conversation(
    session: aiohttp.ClientSession, url: str, sender: str, turns: int, by_turn: Dict
) -> int:
    errors = 0
    for turn in range(1, turns + 1):
        error, elapsed_ms = await send(session, url, sender, message(turn, turns))
        if error:
            errors += 1
        else:
            by_turn.setdefault(turn, []).append(elapsed_ms)
    return errors


async def run(rasa_url: str, users: int, turns: int) -> Dict:
    by_turn: Dict[int, List[float]] = {}
    connector = aiohttp.TCPConnector(limit=users)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    started = time.monotonic()
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        stamp = int(time.time())
        errors = await asyncio.gather(
            *(
                _conversation(session, webhook(rasa_url), f"long-{stamp}-{u}", turns, by_turn)
                for u in range(users)
            )
        )
    elapsed = time.monotonic() - started
    replies = sum(len(latencies) for latencies in by_turn.values())
    return {"by_turn": by_turn, "errors": sum(errors), "elapsed": elapsed, "replies": replies}


def _median_of_turns(by_turn: Dict[int, List[float]], turns: range) -> float:
    return statistics.median(ms for turn in turns for ms in by_turn.get(turn, []))


def _rss_mb(pid: int) -> Dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields


def _cpu_s(pid: int) -> float:
    """User and system CPU time of a process: unlike latency, barely changed by other load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _py_spy(pid: int, seconds: int, out: Path) -> subprocess.Popen:
    command = [str(BIN / "py-spy"), "record", "--pid", str(pid), "--rate", "100"]
    command += ["--duration", str(seconds), "--nonblocking", "--output", str(out)]
    command += ["--format", "raw" if out.suffix == ".txt" else "flamegraph"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmark.long_conversations")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--turns", type=int, default=50)
    parser.add_argument("--store", help="a tracker_store type; endpoints.yml's by default")
    parser.add_argument("--profile", type=Path, help="py-spy output: .svg, or .txt for raw")
    parser.add_argument("--profile-seconds", type=int, default=25)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="rasa-long-") as tmp:
        config_dir = _config_dir(Path(tmp), args.store)
        stack = Stack(
            run_dir=Path(tmp) / "run",
            ports=Ports(rasa=free_port(), actions=free_port()),
            config_dir=config_dir,
            with_web=False,
        ).start()
        try:
            asyncio.run(warm_up(stack.rasa_url))
            pid = stack.processes["rasa"].pid
            sampler = _py_spy(pid, args.profile_seconds, args.profile) if args.profile else None
            cpu_before = _cpu_s(pid)
            result = asyncio.run(run(stack.rasa_url, args.users, args.turns))
            cpu_ms_per_reply = (_cpu_s(pid) - cpu_before) * 1000 / max(result["replies"], 1)
            memory = _rss_mb(pid)
            if sampler is not None:
                sampler.wait(timeout=args.profile_seconds + 60)
        finally:
            stack.stop()

    by_turn = result["by_turn"]
    first = _median_of_turns(by_turn, range(1, WINDOW + 1))
    last = _median_of_turns(by_turn, range(args.turns - WINDOW + 1, args.turns + 1))
    print(
        f"{args.store or 'the store in endpoints.yml'}: {args.users} users x {args.turns} turns "
        f"in {result['elapsed']:.1f} s, "
        f"{result['replies'] / result['elapsed']:.1f} replies/s, {result['errors']} errors, "
        f"Rasa CPU {cpu_ms_per_reply:.0f} ms/reply; "
        f"median turns 1-5 {first:.0f} ms, turns {args.turns - 4}-{args.turns} {last:.0f} ms "
        f"({last / first:.2f}x); Rasa RSS {memory['VmRSS']:.0f} MB (peak {memory['VmHWM']:.0f})",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
