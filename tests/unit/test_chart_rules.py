"""The chart's PrometheusRule carries exactly the alert rules file that promtool tests."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
_DEFAULT_HELM = Path.home() / ".cache/logscrub-tools/helm-v3.19.0/helm"
HELM = Path(os.environ.get("LOGSCRUB_HELM", _DEFAULT_HELM))


def test_prometheusrule_groups_equal_the_rules_file() -> None:
    """`helm template` with the rule on renders groups equal to alerts/logscrub.rules.yml."""
    if not HELM.exists():
        pytest.fail(f"{HELM} is missing: run `make install` (it builds the chart tools)")
    rendered = subprocess.run(
        [str(HELM), "template", "t", str(ROOT / "helm/logscrub"),
         "--set", "monitoring.prometheusRule.enabled=true",
         "--api-versions", "monitoring.coreos.com/v1/PrometheusRule",
         "--show-only", "templates/prometheusrule.yaml"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout
    rule = yaml.safe_load(rendered)
    source = yaml.safe_load((ROOT / "alerts/logscrub.rules.yml").read_text(encoding="utf-8"))
    assert rule["kind"] == "PrometheusRule"
    assert rule["spec"]["groups"] == source["groups"]
