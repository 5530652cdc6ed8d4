"""Shared fixtures: one trained model and one running stack for the whole test run."""

from pathlib import Path

import pytest

from serving.stack import Ports, Stack, free_port

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The model `make test` trained before running pytest; tests never train their own."""
    models = sorted((ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        pytest.fail("No trained model in models/: run `make test`, which trains it first.")
    return models[-1]


@pytest.fixture(scope="session")
def stack(tmp_path_factory, trained_model):
    """The action server, the web page and the Rasa server, running for the whole session."""
    running = Stack(
        run_dir=tmp_path_factory.mktemp("stack"),
        ports=Ports(rasa=free_port(), actions=free_port(), web=free_port()),
        model=trained_model,
    ).start()
    yield running
    running.stop()
