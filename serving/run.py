"""`make run`: starts the action server, the Rasa server and the web page, until stopped.

Ctrl-C, SIGTERM (as a supervisor sends it) and SIGHUP (the terminal closing) all stop every
server it started, also while they are still starting.
"""

import argparse
import signal
import sys
import time
from pathlib import Path
from typing import Any, List

from serving.ports import PortTaken
from serving.stack import ROOT, Ports, Stack, StartFailed

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def stop_like_ctrl_c(signum, frame) -> None:
    # Only the first signal counts: make forwards SIGTERM to its children on top of the one a
    # supervisor sends to the whole process group, and a second KeyboardInterrupt would cut
    # the stop short and orphan the servers.
    ignore_stop_signals()
    raise KeyboardInterrupt


def ignore_stop_signals() -> None:
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def serve_until_stopped(
    stack: Any, starting: str, addresses: List[str], run_dir: Path, other_ports: str = ""
) -> None:
    """Starts `stack` (Stack or ScaledStack), says where it answers, and keeps it running until
    Ctrl-C, SIGTERM, SIGHUP or a server's exit; stops everything it started in every case."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, stop_like_ctrl_c)
    print(starting, flush=True)
    started = time.monotonic()
    try:
        stack.start()
        print(f"Ready in {time.monotonic() - started:.0f} s.")
        for address in addresses:
            print(f"  {address}")
        print(f"  Logs:          {run_dir}/*.log   (Ctrl-C stops everything)", flush=True)
        while stack.all_running():
            time.sleep(1)
        print(f"A server stopped unexpectedly; see the logs in {run_dir}.")
        sys.exit(1)
    except StartFailed as failure:
        sys.exit(f"Nothing is running: {failure}")
    except PortTaken as taken:
        hint = f", {other_ports}" if other_ports else ""
        sys.exit(f"Nothing was started: {taken}. Stop it, or choose other ports{hint}.")
    except KeyboardInterrupt:
        pass
    finally:
        ignore_stop_signals()
        stack.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rasa-port", type=int, default=Ports.rasa)
    parser.add_argument("--actions-port", type=int, default=Ports.actions)
    parser.add_argument("--web-port", type=int, default=Ports.web)
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    parser.add_argument(
        "--run-dir",
        type=Path,
        default=ROOT / "run",
        help="where the conversations database and the logs go",
    )
    args = parser.parse_args()

    stack = Stack(
        run_dir=args.run_dir,
        ports=Ports(rasa=args.rasa_port, actions=args.actions_port, web=args.web_port),
        host=args.host,
    )
    serve_until_stopped(
        stack,
        "Starting the action server, the web page and Rasa (this takes a few seconds)...",
        [
            f"Chat page:     {stack.web_url}",
            f"REST channel:  {stack.rasa_url}/webhooks/rest/webhook",
            f"Action server: {stack.actions_url}/webhook",
        ],
        args.run_dir,
        other_ports="for example `make run RASA_PORT=5006 ACTIONS_PORT=5056 WEB_PORT=8081`",
    )


if __name__ == "__main__":
    main()
