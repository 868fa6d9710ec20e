"""The flags of ``logscrub run`` and the settings overrides they map to."""

from __future__ import annotations

import argparse

from processor.settings import load_settings
from processor.stream.app import add_run_arguments, settings_overrides


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_run_arguments(parser)
    return parser.parse_args(list(argv))


def test_flags_map_to_nested_overrides() -> None:
    """Every flag lands in the right settings field."""
    args = _parse(
        "--input", "a", "--input", "b", "--output", "o", "--quarantine", "q",
        "--bootstrap-servers", "h:1", "--group-id", "g", "--workers", "3",
        "--metrics-port", "0", "--exit-when-idle", "2.5",
    )  # fmt: skip
    over = settings_overrides(args)
    settings = load_settings(overrides=over, environ={})
    assert settings.kafka.inputs == ("a", "b") and settings.kafka.input_pattern is None
    assert (settings.kafka.output, settings.kafka.quarantine) == ("o", "q")
    assert (settings.kafka.bootstrap_servers, settings.kafka.group_id) == ("h:1", "g")
    assert settings.workers == 3 and settings.metrics.port == 0
    assert args.exit_when_idle == 2.5


def test_no_flags_override_nothing() -> None:
    """Without flags the file and environment settings stay untouched."""
    assert settings_overrides(_parse()) == {}


def test_input_pattern_flag() -> None:
    """--input-pattern sets the pattern subscription."""
    over = settings_overrides(_parse("--input-pattern", r"logs\..*"))
    assert over == {"kafka": {"input_pattern": r"logs\..*"}}
