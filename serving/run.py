"""`make run`: starts the action server, the Rasa server and the web page, until stopped.

Ctrl-C, SIGTERM (as a supervisor sends it) and SIGHUP (the terminal closing) all stop every
server it started, also while they are still starting.
"""

import argparse
import signal
import sys
import time
from pathlib import Path

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

    for signum in STOP_SIGNALS:
        signal.signal(signum, stop_like_ctrl_c)
    stack = Stack(
        run_dir=args.run_dir,
        ports=Ports(rasa=args.rasa_port, actions=args.actions_port, web=args.web_port),
        host=args.host,
    )
    print(
        "Starting the action server, the web page and Rasa (this takes a few seconds)...",
        flush=True,
    )
    started = time.monotonic()
    try:
        stack.start()
        print(f"Ready in {time.monotonic() - started:.0f} s.")
        print(f"  Chat page:     {stack.web_url}")
        print(f"  REST channel:  {stack.rasa_url}/webhooks/rest/webhook")
        print(f"  Action server: {stack.actions_url}/webhook")
        print(f"  Logs:          {args.run_dir}/*.log   (Ctrl-C stops everything)", flush=True)
        while all(p.poll() is None for p in stack.processes.values()):
            time.sleep(1)
        print(f"A server stopped unexpectedly; see the logs in {args.run_dir}.")
        sys.exit(1)
    except StartFailed as failure:
        sys.exit(f"Nothing is running: {failure}")
    except PortTaken as taken:
        sys.exit(
            f"Nothing was started: {taken}. Stop it, or choose other ports, for example "
            f"`make run RASA_PORT=5006 ACTIONS_PORT=5056 WEB_PORT=8081`."
        )
    except KeyboardInterrupt:
        pass
    finally:
        ignore_stop_signals()
        stack.stop()


if __name__ == "__main__":
    main()
