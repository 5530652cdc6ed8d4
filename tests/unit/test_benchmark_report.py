"""The benchmark's table and chart from made-up levels: issue 9's targets are checked against
the right column, and the stock bot shows no accuracy figures (it has other intents)."""

from pathlib import Path
from typing import Dict, List

from benchmark import chart, report
from benchmark.load import LevelResult
from benchmark.measure import NluScores, Training
from benchmark.scenarios import Scenario, scenarios

LEVELS = scenarios(30, 120, 2, 50)
SCALED = [
    Scenario("10 users, PostgreSQL, 1 replica", 10, 30),
    Scenario("10 users, PostgreSQL, 2 replicas", 10, 30),
]


def level(scenario: Scenario, latency_ms: float, replies: int) -> LevelResult:
    result = LevelResult(users=scenario.users, duration_s=scenario.seconds, elapsed_s=10)
    for index in range(replies):
        turn = index % scenario.turns + 1 if scenario.turns else 0
        # Long conversations: later turns twice as slow as the first ones.
        slow = 2 if scenario.turns and turn > scenario.turns - 5 else 1
        result.record(None, latency_ms * slow, turn=turn)
    return result


def result(name: str, levels: Dict[str, LevelResult], same_data: bool) -> report.ConfigResult:
    return report.ConfigResult(
        name=name,
        title=name.capitalize(),
        training=Training(Path("m.tar.gz"), 100, 120, 10),
        nlu=NluScores(0.95, 0.94) if same_data else None,
        startup_s=10,
        rss_mb={"warm-up": {"rasa": 500}, "load": {"rasa": 500 if same_data else 800}},
        levels=levels,
        same_data=same_data,
    )


def table_rows(markdown: str) -> Dict[str, List[str]]:
    rows = {}
    for line in markdown.splitlines():
        if line.startswith("| "):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            rows[cells[0]] = cells[1:]
    return rows


def test_targets_use_the_stock_column_and_the_best_replica_count(tmp_path):
    project = result(
        "project",
        {s.key: level(s, 50, 200 if "2 replicas" in s.key else 100) for s in LEVELS + SCALED},
        same_data=True,
    )
    stock = result("stock", {s.key: level(s, 40, 60) for s in LEVELS}, same_data=False)
    run = report.Run("test", False, LEVELS, SCALED, (0.0, 0.0, 0.0), chart="chart.svg")
    rows = table_rows(report.markdown(project, [stock], run))

    best = rows["10 users back to back: best throughput (SQLite; PostgreSQL, 1 or 2 replicas)"]
    # 20 replies/s with 2 replicas against the stock bot's 6: more than 3 times.
    assert best[:3] == ["20.0 req/s", "6.0 req/s", "3.33×"] and best[-1] == "yes"
    one = rows["10 users back to back: throughput, 1 replica"]
    assert one[:3] == ["10.0 req/s", "6.0 req/s", "1.67×"]
    growth = rows["10 users × 50 turns, 2 s think time: median of turns 46–50 ÷ turns 1–5"]
    assert growth[0] == "2.00" and growth[-1] == "**NO**"
    assert rows["Rasa server RSS after load test"][-1] == "yes"  # 500 MB < the stock bot's 800
    assert rows["100 users (120 s): errors"][-1] == "yes"
    # The stock bot has other intents and data: no accuracy, no training ratio.
    assert rows["Held-out intent accuracy"][1:3] == ["—", "—"]
    assert rows["Full training, CPU time (user + system)"][2] == "—"

    chart.write(tmp_path / "chart.svg", [s.key for s in LEVELS + SCALED], {"a": project.levels})
    assert (tmp_path / "chart.svg").read_text().startswith("<?xml")
