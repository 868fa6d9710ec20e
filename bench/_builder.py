"""The per-record builder that templates use to inject and label secrets and lookalikes."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from bench._values import Values

__all__ = ["TOKEN_ENTITIES", "Builder", "Format", "Template", "logfmt"]

Format = Literal["json", "logfmt", "text"]

#: Vendor tokens recognisable by their prefix alone.
TOKEN_ENTITIES = (
    "GITHUB_TOKEN", "GITLAB_TOKEN", "SLACK_TOKEN", "STRIPE_KEY", "GOOGLE_API_KEY", "TWILIO_KEY",
    "SENDGRID_KEY", "NPM_TOKEN", "PYPI_TOKEN", "AWS_ACCESS_KEY", "JWT",
)


class Builder:
    """Collects labelled secrets and lookalikes while a template builds one record.

    In clean mode ``s`` returns the benign fallback instead of the secret and records
    nothing, so one template yields both secret-bearing and clean lines.
    """

    def __init__(self, rng: random.Random, clean: bool) -> None:
        self.r = rng
        self.v = Values(rng)
        self.clean = clean
        self.secrets: list[tuple[str, str]] = []
        self.lookalikes: list[tuple[str, str]] = []

    def s(self, entity: str, value: str, fallback: str = "") -> str:
        """Label ``value`` as a secret of ``entity`` (or return ``fallback`` when clean)."""
        if self.clean:
            return fallback
        self.secrets.append((entity, value))
        return value

    def l(self, kind: str, value: str) -> str:  # noqa: E743 - short on purpose, used everywhere
        """Label ``value`` as a lookalike of ``kind`` that must survive scrubbing."""
        self.lookalikes.append((kind, value))
        return value

    def chance(self, p: float) -> bool:
        """True with probability ``p``."""
        return self.r.random() < p

    def pick(self, seq: Any) -> Any:
        """One element of ``seq``."""
        return self.r.choice(seq)

    def pem(self) -> str:
        """A fake PEM private key (no trailing newline), its body lines labelled as secrets."""
        kind, lines = self.v.pem_body()
        for line in lines:
            self.s("PRIVATE_KEY", line)
        return f"-----BEGIN {kind}-----\n" + "\n".join(lines) + f"\n-----END {kind}-----"

    def tok(self) -> tuple[str, str]:
        """A random vendor token (entity, value), already labelled."""
        entity = self.pick(TOKEN_ENTITIES)
        return entity, self.s(entity, self.v.token(entity))


@dataclass(frozen=True)
class Template:
    """A record template: its format, weight, and which modes it supports."""

    fmt: Format
    fn: Callable[[Builder], Any]
    weight: float = 1.0
    clean_ok: bool = True
    secret_ok: bool = True


def _lf_value(value: object) -> str:
    text = str(value)
    if text == "" or any(c in text for c in ' "=\\\n\t'):
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    return text


def logfmt(pairs: list[tuple[str, object]]) -> str:
    """Serialise key/value pairs as one logfmt line, quoting values where needed."""
    return " ".join(f"{k}={_lf_value(v)}" for k, v in pairs)
