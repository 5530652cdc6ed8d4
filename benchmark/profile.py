"""Where the Rasa server's time goes under load: a py-spy flame graph.

    python -m benchmark.profile [--users 10] [--seconds 25] [--out docs/profile.svg]

Starts the action server and Rasa with the trained model in models/, warms up, then samples
the Rasa server with py-spy (200 samples a second) while `--users` conversations send
messages back to back, and writes an SVG flame graph. It prints the functions that most
samples pass through. py-spy is in requirements-dev.txt.
"""

import argparse
import asyncio
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmark.load import run_level, warm_up
from serving.stack import BIN, Ports, Stack, free_port


def record(pid: int, seconds: int, out: Path, rate: int = 200) -> subprocess.Popen:
    """Starts py-spy sampling process `pid` for `seconds`: an SVG flame graph, or raw stacks
    for a .txt `out`. Wait for the returned process."""
    command = [str(BIN / "py-spy"), "record", "--pid", str(pid), "--rate", str(rate)]
    command += ["--duration", str(seconds), "--nonblocking", "--output", str(out)]
    command += ["--format", "raw" if out.suffix == ".txt" else "flamegraph"]
    return subprocess.Popen(command)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmark.profile", description=__doc__)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=25)
    parser.add_argument("--out", type=Path, default=Path("docs/profile.svg"))
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="rasa-profile-") as run_dir:
        stack = Stack(
            run_dir=Path(run_dir),
            ports=Ports(rasa=free_port(), actions=free_port(), web=free_port()),
            with_web=False,
        ).start()
        try:
            asyncio.run(warm_up(stack.rasa_url))
            sampler = record(stack.processes["rasa"].pid, args.seconds, args.out)
            level = asyncio.run(run_level(stack.rasa_url, args.users, args.seconds))
            sampler.wait(timeout=args.seconds + 60)
        finally:
            stack.stop()
    print(
        f"{args.users} users for {args.seconds} s: {level.throughput:.1f} replies/s, "
        f"p95 {level.p(95):.0f} ms; flame graph in {args.out}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
