"""The action server can be deployed alone: it imports rasa-sdk and PyYAML, never Rasa."""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Import name -> distribution name in actions/requirements.txt.
DISTRIBUTIONS = {"rasa_sdk": "rasa-sdk", "yaml": "PyYAML"}


def imported_top_level_modules():
    for source in (ROOT / "actions").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(), str(source))):
            if isinstance(node, ast.Import):
                yield from ((source, alias.name.split(".")[0]) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield source, node.module.split(".")[0]


def test_no_action_module_imports_rasa_itself():
    offenders = [
        str(source.relative_to(ROOT))
        for source, module in imported_top_level_modules()
        if module == "rasa"
    ]
    assert offenders == []


def test_every_third_party_import_is_in_the_action_servers_requirements():
    pinned = {
        line.split("==")[0]
        for line in (ROOT / "actions" / "requirements.txt").read_text().splitlines()
        if line and not line.startswith("#")
    }
    third_party = {
        module
        for _, module in imported_top_level_modules()
        if module not in sys.stdlib_module_names and module != "actions"
    }
    assert {DISTRIBUTIONS.get(module, module) for module in third_party} == pinned


def test_the_action_servers_pins_match_the_projects():
    def pins(path):
        return {
            line.strip()
            for line in path.read_text().splitlines()
            if line.strip() and not line.startswith("#")
        }

    assert pins(ROOT / "actions" / "requirements.txt") <= pins(ROOT / "requirements.txt")
