"""Training time, held-out NLU accuracy and resident memory, each measured from the outside."""

import importlib.metadata
import json
import os
import resource
import shutil
import signal
import subprocess
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Tuple, Union

from serving.stack import BIN, QUIET_ENV, ROOT

# The config.yml that `rasa init` writes: pipeline and policies are left empty, so Rasa fills
# in its defaults (DIET, ResponseSelector, TEDPolicy, UnexpecTEDIntentPolicy, ...).
RASA_INIT_CONFIG = (
    Path(str(importlib.metadata.distribution("rasa").locate_file("rasa")))
    / "cli"
    / "initial_project"
    / "config.yml"
)
TRAIN_TIMEOUT_S = 60 * 60


@dataclass
class Inputs:
    """The files both configurations are trained and tested on."""

    config: Path
    domain: Path
    data: Path
    held_out: Path
    real_style: Path


def snapshot(target: Path) -> Inputs:
    """Copies config, domain, training data and held-out set, once for the whole run.

    Both configurations then see exactly the same data even if someone edits the project
    while the benchmark runs, and an edit cannot turn "retraining, nothing changed" into a
    full training.
    """
    target.mkdir(parents=True, exist_ok=True)
    for name in ("config.yml", "domain.yml"):
        shutil.copy2(ROOT / name, target / name)
    shutil.copytree(ROOT / "data", target / "data")
    shutil.copy2(ROOT / "tests" / "nlu" / "held_out.yml", target / "held_out.yml")
    shutil.copytree(ROOT / "tests" / "real_style", target / "real_style")
    return Inputs(
        config=target / "config.yml",
        domain=target / "domain.yml",
        data=target / "data",
        held_out=target / "held_out.yml",
        real_style=target / "real_style",
    )


def reference_config(target: Path) -> Path:
    """A copy of Rasa's default config with a fixed assistant_id.

    With `assistant_id: placeholder_default` `rasa train` warns and rewrites the config file
    in place with a random id: that would write into the installed Rasa package. The id only
    names the assistant (it is not part of the model), so fixing it changes nothing measured.
    """
    text = RASA_INIT_CONFIG.read_text()
    text = text.replace("assistant_id: placeholder_default", "assistant_id: rasa_default_reference")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    return target


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_logged(
    command: Sequence[Union[str, Path]],
    log: Path,
    env: Dict[str, str],
    timeout_s: float = TRAIN_TIMEOUT_S,
    cwd: Path = ROOT,
) -> Tuple[float, float]:
    """Runs a command to completion, output into `log`; returns its wall-clock and CPU time.

    The CPU time (user + system, of the command and its children) hardly changes when other
    programs compete for the cores; the wall-clock time does.
    """
    started, cpu_before = time.monotonic(), _children_cpu_s()
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [str(part) for part in command],
            cwd=cwd,
            stdin=subprocess.DEVNULL,  # nothing may stop to ask a question (rasa init could)
            env={**os.environ, **QUIET_ENV, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            code = process.wait(timeout=timeout_s)
        finally:
            # Interrupted or timed out: take its whole process group down with us.
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    if code != 0:
        raise RuntimeError(f"{command[1]} {command[2]} failed (exit {code}); see {log}")
    return time.monotonic() - started, _children_cpu_s() - cpu_before


@dataclass
class Training:
    model: Path
    full_s: float
    full_cpu_s: float
    unchanged_s: float


def train(config: Path, inputs: Inputs, name: str, work: Path) -> Training:
    """Trains from scratch (--force), then again with nothing changed.

    Each configuration gets its own training cache, so neither reuses what the other, or an
    earlier `make train`, left behind. The second run finds every component in that cache.
    """
    out = work / "models"
    command: List[Union[str, Path]] = [
        BIN / "rasa",
        "train",
        "--config",
        config,
        "--domain",
        inputs.domain,
        "--data",
        inputs.data,
        "--out",
        out,
        "--fixed-model-name",
        name,
    ]
    env = {"RASA_CACHE_DIRECTORY": str(work / "cache")}
    full_s, full_cpu_s = run_logged(command + ["--force"], work / "train.log", env)
    unchanged_s, _ = run_logged(command, work / "train.log", env)
    return Training(
        model=out / f"{name}.tar.gz", full_s=full_s, full_cpu_s=full_cpu_s, unchanged_s=unchanged_s
    )


@dataclass
class NluScores:
    accuracy: float
    macro_f1: float


def held_out_scores(model: Path, held_out: Path, work: Path) -> NluScores:
    out = work / "nlu-test"
    run_logged(
        [BIN / "rasa", "test", "nlu", "--model", model, "--nlu", held_out, "--out", out],
        work / "nlu-test.log",
        {},
    )
    report = json.loads((out / "intent_report.json").read_text())
    return NluScores(accuracy=report["accuracy"], macro_f1=report["macro avg"]["f1-score"])


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (VmRSS), in MB."""
    children = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                # The parent id is the 2nd field after the command name, which may hold spaces.
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children[ppid].append(int(entry.name))
    total_kb, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            pass  # exited meanwhile
    return total_kb / 1024
