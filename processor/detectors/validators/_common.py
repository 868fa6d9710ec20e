"""Helpers shared by the validators."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["SEPARATORS", "Validator", "all_same"]

Validator = Callable[[str, Mapping[str, Any]], bool]

#: Spaces and dashes between digit groups (SSNs; cards and IBANs also take dots).
SEPARATORS = re.compile(r"[\s-]+")


def all_same(digits: str) -> bool:
    """True for ``0000``, ``1111``, ...: filler, not data."""
    return len(set(digits)) <= 1
