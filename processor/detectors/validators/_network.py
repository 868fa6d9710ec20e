"""Network validator: IPv4 and IPv6 addresses that name a host."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["check_ip"]


# --- IP addresses --------------------------------------------------------------------

_V4_LEADING_ZERO = re.compile(r"(?:^|\.)0\d")
_SHORT_HEX_GROUP = re.compile(r"[0-9A-Fa-f]{1,2}")


def check_ip(text: str, args: Mapping[str, Any]) -> bool:
    candidate = text.strip()
    is_v6 = ":" in candidate
    # IPv4 with leading zeros (01.02.03.04) is ambiguous (octal?) and rarely an address.
    if not is_v6 and _V4_LEADING_ZERO.search(candidate):
        return False
    # IPv6 needs at least two colons; a single one is a port, ratio or label.
    if is_v6 and candidate.count(":") < 2:
        return False
    # Eight or fewer short groups without "::" look like a MAC address or EUI-64.
    groups = candidate.split(":")
    if is_v6 and "::" not in candidate and all(_SHORT_HEX_GROUP.fullmatch(g) for g in groups):
        return False
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        # Does not parse as an address (times such as 12:30:45 end up here).
        return False
    # 0.0.0.0 and :: mean "any address", not a host.
    if address.is_unspecified:
        return False
    # 0.x.x.x is "this network" (RFC 1122), never a host; in logs it is a version number.
    if address.version == 4 and candidate.startswith("0."):
        return False
    # Private, loopback and link-local ranges, when the rule asks to skip them.
    internal = address.is_private or address.is_loopback or address.is_link_local
    return bool(args.get("allow_private", True)) or not internal
