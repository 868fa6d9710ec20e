"""The chart's README documents every value that values.yaml defines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

CHART = Path(__file__).resolve().parents[2] / "helm" / "logscrub"
# Free-form maps whose inner keys are the user's, not the chart's.
_OPEN = {"config", "podSecurityContext", "securityContext", "commonLabels", "resources"}


def _keys(node: Any, prefix: str = "") -> list[str]:
    out: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{prefix}{key}"
            out.append(path)
            if key not in _OPEN and isinstance(value, dict) and value:
                out.extend(_keys(value, f"{path}."))
    return out


def test_every_value_is_in_the_chart_readme() -> None:
    """Each key of values.yaml is named in the README's values table (leaf or its parent)."""
    values = yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))
    readme = (CHART / "README.md").read_text(encoding="utf-8")
    missing = [
        key
        for key in _keys(values)
        if key.split(".")[-1] not in readme and f"`{key}`" not in readme
    ]
    assert not missing, f"undocumented values: {missing}"
