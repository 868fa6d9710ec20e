"""Flags of ``logscrub index``, ``logscrub debug-api`` and ``logscrub policies``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

__all__ = ["add_commands", "settings_overrides"]


def add_commands(sub: Any) -> None:
    """Add the three commands to the CLI's subparsers."""
    index = sub.add_parser("index", help="index workflow records of the clean topic")
    index.add_argument("--topic", help="clean topic to index (default: kafka.output)")
    index.add_argument("--bootstrap-servers", metavar="HOST:PORT[,...]")
    index.add_argument("--index-group-id", metavar="GROUP", help="the indexer's consumer group")
    index.add_argument("--store", choices=("sqlite", "postgres"))
    index.add_argument("--sqlite-path", type=Path)
    index.add_argument("--exit-when-idle", type=float, metavar="SECONDS",
                       help="exit once nothing arrived for this long (tests, backfills)")

    api = sub.add_parser("debug-api", help="the read-only debug API and web page")
    api.add_argument("--host")
    api.add_argument("--port", type=int)
    api.add_argument("--bootstrap-servers", metavar="HOST:PORT[,...]")
    api.add_argument("--sqlite-path", type=Path)

    policies = sub.add_parser("policies", help="check the Cedar policies of the debug API")
    psub = policies.add_subparsers(dest="policies_command", required=True)
    for name, text in (("validate", "parse and validate against the Cedar schema"),
                       ("test", "run the ALLOW/ and DENY/ example requests")):
        p = psub.add_parser(name, help=text)
        p.add_argument("--policies", type=Path, help="directory (default: bundled policies/)")


def settings_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """Nested settings overrides from the flags above."""
    out: dict[str, Any] = {}
    index: dict[str, Any] = {}
    api: dict[str, Any] = {}
    if getattr(args, "bootstrap_servers", None):
        out["kafka"] = {"bootstrap_servers": args.bootstrap_servers}
    for flag, key in (("topic", "topic"), ("index_group_id", "group_id"), ("store", "store")):
        if getattr(args, flag, None) is not None:
            index[key] = getattr(args, flag)
    if getattr(args, "sqlite_path", None) is not None:
        index["sqlite_path"] = str(args.sqlite_path)
    for flag in ("host", "port"):
        if getattr(args, flag, None) is not None:
            api[flag] = getattr(args, flag)
    if getattr(args, "policies", None) is not None:
        api["policies_dir"] = str(args.policies)
    if index:
        out["index"] = index
    if api:
        out["debug_api"] = api
    return out
