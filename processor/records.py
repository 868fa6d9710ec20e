"""Record formats (JSON object, logfmt, plain text) and the result types.

Decoding never raises on bad input: anything that is not a JSON object is text,
and text is handled as spans so that everything outside the masked spans stays
byte-for-byte the same.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson
import regex

__all__ = [
    "FALLBACK_TOKEN",
    "MASK_TOKEN",
    "Finding",
    "RecordFormat",
    "ScrubResult",
    "decode_json",
    "detect_format",
    "encode_json",
    "findings_header",
]

RecordFormat = Literal["json", "logfmt", "text", "otlp_proto", "otlp_json", "avro"]
FindingSource = Literal["field", "pattern", "ner"]

#: Every token an operator writes. Scrubbing skips them, so scrubbing twice changes nothing.
MASK_TOKEN = regex.compile(
    r"\[(?:MASKED-[A-Z][A-Z0-9_]*(?:-[A-Za-z0-9]{1,8})?|[A-Z][A-Z0-9_]*:[0-9a-f]{12})\]"
)
#: What a record (or a string value) becomes when it cannot be scrubbed safely.
FALLBACK_TOKEN = "[MASKED-RECORD]"  # noqa: S105 - a mask token, not a password

_LONG_DIGITS = regex.compile(r"\d{19}")
_LOGFMT_START = regex.compile(r"\s*[A-Za-z_][\w.\-/]*=")
_LOGFMT_PAIR = regex.compile(r'(?:^|\s)[A-Za-z_][\w.\-/]*=(?:"|[^\s"=]|\s|$)')


@dataclass(frozen=True, slots=True)
class Finding:
    """One span of a text that must be masked. Never holds the matched text itself."""

    start: int
    end: int
    entity: str
    rule_id: str
    score: float
    operator: str = "placeholder"
    keep_last: int = 4
    source: FindingSource = "pattern"


@dataclass(slots=True)
class ScrubResult:
    """The scrubbed record and what was found in it (types and counts, never values)."""

    output: bytes
    format: RecordFormat
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    fallback: str | None = None
    #: ``(rule_id, entity)`` counts of what ``mode: shadow`` rules would add (not masked).
    shadow: Counter[tuple[str, str]] = field(default_factory=Counter)

    def entity_counts(self) -> Counter[str]:
        """Findings per entity type."""
        out: Counter[str] = Counter()
        for (_rule, entity), n in self.counts.items():
            out[entity] += n
        return out


def findings_header(counts: Counter[str]) -> str:
    """``EMAIL=2,CREDIT_CARD=1``: entity types and counts, most frequent first."""
    ordered = sorted(counts.items(), key=lambda x: (-x[1], x[0]))
    return ",".join(f"{entity}={n}" for entity, n in ordered)


def detect_format(text: str) -> RecordFormat:
    """JSON when the line is a JSON object, logfmt when it is mostly ``key=value`` pairs."""
    stripped = text.strip()
    if stripped.startswith("{") and stripped.endswith("}"):
        return "json"
    head = stripped[:512]
    if _LOGFMT_START.match(head) and len(_LOGFMT_PAIR.findall(head)) >= 2:
        return "logfmt"
    return "text"


def decode_json(text: str) -> dict[str, Any] | None:
    """The JSON object in ``text``, or None when it is not one (or too deep to parse)."""
    try:
        # orjson turns integers beyond 64 bits into floats (changing the value) and
        # refuses nesting beyond 1024; the stdlib keeps big integers exact.
        value = json.loads(text) if _LONG_DIGITS.search(text) else orjson.loads(text)
    except orjson.JSONDecodeError:
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            return None
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def encode_json(value: dict[str, Any]) -> bytes:
    """Compact JSON, keys in their original order."""
    try:
        return orjson.dumps(value)
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
