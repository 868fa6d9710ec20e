"""The pass-through librdkafka properties (``kafka.client``) with secrets unwrapped."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from processor.settings import KafkaSettings

__all__ = ["plain_client_props"]


def plain_client_props(kafka: KafkaSettings) -> dict[str, Any]:
    """``kafka.client`` as librdkafka reads it: secret values unwrapped, nothing logged."""
    return {k: v.get_secret_value() if isinstance(v, SecretStr) else v
            for k, v in kafka.client.items()}  # fmt: skip
