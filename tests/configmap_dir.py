"""A rules directory laid out like a Kubernetes ConfigMap mount, for reload tests.

The kubelet writes each version into a hidden timestamped folder, points ``..data`` at
it, and links every file name to ``..data/<name>``. An update writes a new folder and
swaps ``..data`` by renaming a fresh symlink over it: one atomic change.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["BASIC_RULES", "ORDER_RULE", "SHADOW_RULES", "swap_configmap", "write_configmap"]

#: The minimal test rules (an email rule and a few field names), linear enough for lint.
BASIC_RULES = """rules:
  - id: email-address
    description: Email addresses identify a person.
    entity: EMAIL
    severity: medium
    keywords: ["@"]
    patterns:
      - name: email (strong)
        regex: '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+[.][A-Za-z0-9.-]*[A-Za-z]{2,}'
        score: 0.9
    examples:
      must_mask: ["mail «bob@example.com» now"]
      must_not_mask: ["user@host"]
fields:
  - entity: PASSWORD
    names: [password, passwd]
    match: suffix
"""

ORDER_RULE = """rules:
  - id: order-number
    description: Order numbers link a log line to a customer's purchase.
    entity: ORDER_ID
    severity: low
    keywords: ["ord-"]
    patterns:
      - name: order number (strong)
        regex: 'ORD-[0-9]{6}'
        score: 0.9
    examples:
      must_mask: ["order «ORD-123456» shipped"]
      must_not_mask: ["order ORD-12 shipped"]
"""

#: The order rule in shadow mode, plus a shadow rule on the example.com domain, whose hits
#: inside an email address (masked by the live rule) would add nothing.
_SHADOW_MODE = "    severity: low\n    mode: shadow\n"
SHADOW_RULES = ORDER_RULE.replace("    severity: low\n", _SHADOW_MODE, 1) + """
  - id: example-domain
    description: The example.com domain, a stand-in for a customer domain.
    entity: DOMAIN
    severity: low
    mode: shadow  # counted, never masked
    keywords: ["example.com"]
    patterns:
      - name: domain (strong)
        regex: 'example[.]com'
        score: 0.9
    examples:
      must_mask: ["host «example.com» up"]
      must_not_mask: ["host example.org up"]
"""


def write_configmap(directory: Path, files: dict[str, str], generation: int = 1) -> None:
    """Create the mount with ``files`` (name -> content) as its first version."""
    directory.mkdir(parents=True, exist_ok=True)
    _write_version(directory, files, generation)
    os.symlink(f"..{generation}", directory / "..data")
    for name in files:
        os.symlink(f"..data/{name}", directory / name)


def swap_configmap(directory: Path, files: dict[str, str], generation: int) -> None:
    """Publish ``files`` as a new version, swapping ``..data`` as the kubelet does."""
    _write_version(directory, files, generation)
    tmp = directory / "..data_tmp"
    os.symlink(f"..{generation}", tmp)
    os.replace(tmp, directory / "..data")
    for name in files:
        link = directory / name
        if not link.is_symlink():
            os.symlink(f"..data/{name}", link)
    for old in directory.iterdir():
        if old.is_symlink() and old.name not in files and not old.name.startswith("."):
            old.unlink()


def _write_version(directory: Path, files: dict[str, str], generation: int) -> None:
    folder = directory / f"..{generation}"
    folder.mkdir()
    for name, body in files.items():
        (folder / name).write_text(body)
