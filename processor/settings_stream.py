"""The settings of the Kafka stream: the client, the encodings of topics, the metrics
endpoint. Part of the one settings object (``processor.settings.Settings``), which
re-exports them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

__all__ = ["STARS", "FormatSettings", "KafkaSettings", "MetricsSettings", "TopicEncoding",
           "is_secret_client_property"]

# Client properties whose values are secrets (sasl.password, ssl.key.password,
# sasl.oauthbearer.client.secret, sasl.jaas.config, ...): held as SecretStr, so that
# repr(), str(), logging and `config check` show stars; unwrapped only where the
# librdkafka configuration is built (processor.stream.config).
_SECRET_CLIENT_WORDS = ("password", "secret", "key", "token", "jaas", "credential")
#: What a redacted secret reads as, in ``config check`` and in repr().
STARS = "**********"


def is_secret_client_property(name: str) -> bool:
    """True when a librdkafka property's value must be treated as a secret."""
    lowered = name.lower()
    return any(word in lowered for word in _SECRET_CLIENT_WORDS)


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
        return {k: STARS if isinstance(v, SecretStr) else v for k, v in self.client.items()}


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
