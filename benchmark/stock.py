"""The stock `rasa init` bot, the throughput and memory reference of issue 9.

`rasa init --no-prompt` writes Rasa's starter project (the "moodbot": its own data, the default
config, no custom actions) and trains it; with --no-prompt it neither asks nor starts a shell.
It is served as `rasa init` leaves it: its own endpoints.yml (no tracker store, so Rasa's
in-memory one) and credentials.yml (the REST channel), no action server.
"""

from pathlib import Path

from benchmark.measure import Training, run_logged
from serving.stack import BIN, Ports, Stack, free_port


def create(work: Path) -> Training:
    """Creates and trains the bot in `work`/bot; the time is `rasa init`'s, training included.

    Its own training cache in `work`, as for the project. "Retraining, nothing changed" is a
    `rasa train` in the bot's folder afterwards.
    """
    bot = work / "bot"
    bot.mkdir(parents=True, exist_ok=True)  # rasa init --no-prompt wants it to exist
    env = {"RASA_CACHE_DIRECTORY": str(work / "cache")}
    log = work / "init.log"
    full_s, full_cpu_s = run_logged(
        [BIN / "rasa", "init", "--no-prompt", "--init-dir", bot], log, env
    )
    unchanged_s, _ = run_logged([BIN / "rasa", "train", "--out", bot / "models"], log, env, cwd=bot)
    models = sorted((bot / "models").glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    if not models:
        raise RuntimeError(f"rasa init trained no model; see {log}")
    return Training(model=models[-1], full_s=full_s, full_cpu_s=full_cpu_s, unchanged_s=unchanged_s)


def stack(work: Path, model: Path) -> Stack:
    return Stack(
        run_dir=work / "run",
        ports=Ports(rasa=free_port(), actions=free_port()),
        model=model,
        config_dir=work / "bot",
        with_web=False,
        with_actions=False,
    )
