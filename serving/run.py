"""`make run`: starts the action server, the Rasa server and the web page, until Ctrl-C."""

import argparse
import signal
import time
from pathlib import Path

from serving.stack import ROOT, Ports, Stack


def _stop_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt  # stop the servers as Ctrl-C does


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rasa-port", type=int, default=Ports.rasa)
    parser.add_argument("--actions-port", type=int, default=Ports.actions)
    parser.add_argument("--web-port", type=int, default=Ports.web)
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    args = parser.parse_args()

    stack = Stack(
        run_dir=ROOT / "run",
        ports=Ports(rasa=args.rasa_port, actions=args.actions_port, web=args.web_port),
        host=args.host,
    )
    print("Starting the action server, the web page and Rasa (this takes a few seconds)...")
    started = time.monotonic()
    stack.start()
    print(f"Ready in {time.monotonic() - started:.0f} s.")
    print(f"  Chat page:     {stack.web_url}")
    print(f"  REST channel:  {stack.rasa_url}/webhooks/rest/webhook")
    print(f"  Action server: {stack.actions_url}/webhook")
    print(f"  Logs:          {Path('run')}/*.log   (Ctrl-C stops everything)")
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        while all(p.poll() is None for p in stack.processes.values()):
            time.sleep(1)
        print("A server stopped unexpectedly; see the logs in run/.")
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
