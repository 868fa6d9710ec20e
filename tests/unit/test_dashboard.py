"""The Grafana dashboard: the required panels exist and every PromQL expression parses."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "dashboards" / "logscrub.json"
# Grafana's variables, replaced by values PromQL accepts.
VARIABLES = {"$__rate_interval": "5m", "$__range": "6h", "$topic": ".*", "${topic}": ".*"}


def _exprs() -> list[str]:
    panels = json.loads(DASHBOARD.read_text())["panels"]
    return [t["expr"] for p in panels for t in p.get("targets", [])]


def test_dashboard__has_the_panels_the_issue_lists() -> None:
    """Findings by entity and topic, quarantine, lag, transactions, access, bursts are there."""
    titles = " | ".join(p["title"].lower() for p in json.loads(DASHBOARD.read_text())["panels"])
    for needed in ("findings by entity and topic", "quarantine share", "consumer lag",
                   "transactions", "debug access by decision and role", "bursts by kind"):
        assert needed in titles


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool: make install")
def test_dashboard__every_expression_parses(tmp_path: Path) -> None:
    """Each panel query, with Grafana's variables filled in, passes promtool check rules."""
    rules = []
    for i, expr in enumerate(_exprs()):
        for name, value in VARIABLES.items():
            expr = expr.replace(name, value)
        assert "$" not in expr, f"unknown variable in {expr!r}"
        rules.append({"record": f"dashboard:expr_{i}", "expr": expr})
    path = tmp_path / "dashboard.rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    done = subprocess.run(["promtool", "check", "rules", str(path)], capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(rules)} rules found" in done.stdout
