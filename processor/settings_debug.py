"""Settings sections of the debug plane: the indexer, the debug API, replay and the monitor.

They are parts of the one settings object (:class:`processor.settings.Settings`), kept in
a module of their own so that each file stays small; import them from
:mod:`processor.settings`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

__all__ = [
    "BUNDLED_POLICIES",
    "BurstThresholds",
    "DebugApiAuthSettings",
    "DebugApiSettings",
    "FieldMapping",
    "IndexSettings",
    "MonitorSettings",
    "ReplaySettings",
    "StaticToken",
    "WorkingHours",
]

BUNDLED_POLICIES = Path(__file__).resolve().parent.parent / "policies"
MappingPreset = Literal["temporal", "argo", "airflow", "generic"]


class FieldMapping(BaseModel):
    """Which record fields (JSON keys or logfmt keys) carry the timeline fields.

    Each entry lists candidate keys, first match wins; ``workflow_id`` must match for a
    record to be indexed at all.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(pattern=r"^[a-z0-9_-]{1,40}$")
    workflow_id: tuple[str, ...]
    run_id: tuple[str, ...] = ()
    step: tuple[str, ...] = ()
    attempt: tuple[str, ...] = ()
    event: tuple[str, ...] = ()
    timestamp: tuple[str, ...] = ()
    duration: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    namespace: tuple[str, ...] = ()
    workflow_type: tuple[str, ...] = ()
    trace_id: tuple[str, ...] = ()


class IndexSettings(BaseModel):
    """``logscrub index``: the timeline indexer and its store."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: The clean topic to index (default: ``kafka.output``).
    topic: str | None = None
    group_id: str = "logscrub-index"
    store: Literal["sqlite", "postgres"] = "sqlite"
    sqlite_path: Path = Path("logscrub-index.db")
    postgres_dsn: SecretStr | None = None
    presets: tuple[MappingPreset, ...] = ("temporal", "argo", "airflow", "generic")
    mappings: tuple[FieldMapping, ...] = ()
    batch_size: int = Field(default=500, ge=1, le=50_000)
    batch_timeout_ms: int = Field(default=500, ge=1)
    retention_hours: float = Field(default=168.0, gt=0)
    retention_max_records: int = Field(default=5_000_000, ge=1000)
    retention_interval_s: float = Field(default=60.0, gt=0)


class StaticToken(BaseModel):
    """One local-development bearer token and the identity it stands for."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    token: SecretStr = Field(min_length=16)
    sub: str = Field(min_length=1, max_length=200)
    groups: tuple[str, ...] = ()


class DebugApiAuthSettings(BaseModel):
    """How the debug API authenticates: OIDC JWTs, or explicit local-dev static tokens."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    mode: Literal["oidc", "local-dev"] = "oidc"
    jwks_file: Path | None = None
    jwks_url: str | None = None
    issuer: str | None = None
    audience: str | None = None
    algorithms: tuple[Literal["RS256", "RS384", "RS512", "ES256", "ES384", "PS256", "EdDSA"],
                      ...] = ("RS256", "ES256")
    roles_claim: str = "groups"
    leeway_s: int = Field(default=30, ge=0, le=300)
    static_tokens: tuple[StaticToken, ...] = ()


class DebugApiSettings(BaseModel):
    """``logscrub debug-api``: the read-only HTTP service."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    #: ``/metrics`` (request counts, audit write failures) on a port of its own; None: off
    #: (the Helm chart sets 9402).
    metrics_port: int | None = Field(default=None, ge=0, le=65535)
    audit_topic: str = "logscrub.debug.access"
    audit_timeout_ms: int = Field(default=5000, ge=100, le=60_000)
    policies_dir: Path = BUNDLED_POLICIES
    grants_file: Path | None = None
    auth: DebugApiAuthSettings = DebugApiAuthSettings()
    rate_limit_per_minute: int = Field(default=300, ge=1)
    max_body_bytes: int = Field(default=65_536, ge=1024, le=10_485_760)
    page_size_max: int = Field(default=500, ge=1, le=10_000)
    cors_origins: tuple[str, ...] = ()
    #: Consumer groups whose lag ``/api/v1/status`` reports (default: ``kafka.group_id``).
    processor_group_id: str | None = None
    #: Reveals (tokens decrypted) per actor per window; past it the API answers 429.
    reveal_budget: int = Field(default=20, ge=1, le=10_000)
    reveal_window_s: float = Field(default=3600.0, gt=0)
    #: At most this many tokens per reveal request.
    reveal_max_tokens: int = Field(default=20, ge=1, le=200)


class ReplaySettings(BaseModel):
    """``logscrub replay`` and ``snapshot``: where they may write, and how far they look."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    #: Topics that are production outputs (regexes, matched in full): a replay or a
    #: snapshot load refuses them, as it refuses ``kafka.output``, the quarantine topic
    #: and the raw inputs.
    production_patterns: tuple[str, ...] = ()
    #: Topics that count as staging (a regex, matched in full). Replays started through
    #: the debug API write only to these.
    staging_pattern: str = r"(staging|stg)[._-].+"
    #: Rule directories the debug API may replay with, by name (subfolders of this one).
    rules_root: Path | None = None
    #: How far around a run's indexed timestamps a snapshot looks in the clean topic.
    snapshot_slack_s: float = Field(default=600.0, ge=0)
    #: Records whose output differs, listed by coordinates in a diff report.
    diff_max_records: int = Field(default=200, ge=0, le=100_000)
    #: Example lines per rule and entity in a diff report.
    diff_examples: int = Field(default=3, ge=0, le=50)


class BurstThresholds(BaseModel):
    """Per actor and window: the count at which a burst event is emitted, per kind."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    denied: int = Field(default=5, ge=1)
    reveal: int = Field(default=10, ge=1)
    no_ticket: int = Field(default=3, ge=1)
    mutation: int = Field(default=1, ge=1)
    breadth: int = Field(default=20, ge=1)
    off_hours: int = Field(default=10, ge=1)


class WorkingHours(BaseModel):
    """Requests outside these hours (event time, in ``timezone``) count as off-hours."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    start_hour: int = Field(default=7, ge=0, le=23)
    end_hour: int = Field(default=19, ge=1, le=24)
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday is 0
    timezone: str = "UTC"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone") from None
        return value


class MonitorSettings(BaseModel):
    """``logscrub monitor``: windowed access counts per actor, burst events, /metrics."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    app_id: str = Field(default="logscrub-monitor", pattern=r"^[A-Za-z0-9._-]{1,64}$")
    access_topic: str = "logscrub.debug.access"
    alerts_topic: str = "logscrub.debug.alerts"
    #: Partitions of the access topic; the tables' changelogs get the same number.
    partitions: int = Field(default=1, ge=1, le=1024)
    window: Literal["tumbling", "hopping"] = "tumbling"
    window_seconds: float = Field(default=300.0, gt=0)
    #: The hop of a hopping window (ignored for tumbling windows).
    step_seconds: float = Field(default=60.0, gt=0)
    #: Windows older than this (event time) are dropped from the tables.
    expires_seconds: float = Field(default=3600.0, gt=0)
    thresholds: BurstThresholds = BurstThresholds()
    working_hours: WorkingHours = WorkingHours()
    #: Roles (groups) reported in metric labels; any other group counts as ``other``.
    roles: tuple[str, ...] = ("oncall-payments", "support", "platform", "security")
    #: Operations reported in metric labels; any other counts as ``other``.
    actions: tuple[str, ...] = (
        "ViewTimeline", "ViewRecords", "Explain", "ViewStatus", "ViewPage", "Reveal", "Replay",
    )
    reveal_actions: tuple[str, ...] = ("Reveal",)
    #: A request without a ticket counts as ``no_ticket`` when one of these policies
    #: decided it, or when its action is one of ``ticket_actions``.
    ticket_policy_ids: tuple[str, ...] = ("records-need-ticket",)
    ticket_actions: tuple[str, ...] = ("Reveal", "Replay")
    #: A killed member leaves the group after this long (the broker's minimum is 6 s).
    session_timeout_seconds: float = Field(default=60.0, ge=6.0, le=1800.0)
    #: Replication factor of the topics the monitor creates (changelogs, alerts).
    replication_factor: int = Field(default=1, ge=1, le=16)
    store: str = Field(default="memory://", pattern=r"^(memory|rocksdb)://")
    data_dir: Path = Path(".logscrub-monitor")
    host: str = "0.0.0.0"  # noqa: S104 - Prometheus must reach the pod's metrics port
    port: int = Field(default=9401, ge=0, le=65535)
