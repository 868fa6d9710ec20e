"""Headers of a clean record: the scrubbed input headers plus the ``scrub.*`` headers.

Each header value is scrubbed as the value of a field named like the header: under a
sensitive name (``authorization``, ``x-api-key``) it is masked whole, otherwise it is
scanned as text. A value that is not UTF-8 cannot be scrubbed safely and is replaced
whole by the fallback token. Incoming ``scrub.*`` headers are dropped so
that a producer cannot forge the provenance or the status of a clean
record.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from processor.records import FALLBACK_TOKEN, findings_header

__all__ = [
    "FINDINGS_HEADER",
    "RULESET_HEADER",
    "SOURCE_HEADER",
    "STATUS_HEADER",
    "STATUS_OK",
    "FieldScrubber",
    "Header",
    "InputHeaders",
    "build_headers",
    "scrub_headers",
    "source_coordinates",
]

SOURCE_HEADER = "scrub.source"
RULESET_HEADER = "scrub.ruleset"
FINDINGS_HEADER = "scrub.findings"
#: ``ok``, or the reason code of a record that went out fully masked (fail closed).
STATUS_HEADER = "scrub.status"
STATUS_OK = "ok"
# scrub.replay (set by `logscrub replay`) is dropped too: no producer may forge it.
_OWN_HEADERS = frozenset({SOURCE_HEADER, RULESET_HEADER, FINDINGS_HEADER, STATUS_HEADER,
                          "scrub.replay"})

Header = tuple[str, bytes | None]
#: Headers as confluent-kafka hands them over: a list of pairs (or a mapping).
InputHeaders = Sequence[tuple[str, str | bytes | None]] | Mapping[str, str | bytes | None]
#: ``Scrubber.scrub_field(name, text)``: the masked text and its ``(rule_id, entity)`` counts.
FieldScrubber = Callable[[str, str], tuple[str, Counter[tuple[str, str]]]]


def source_coordinates(topic: str, partition: int, offset: int) -> str:
    """``<topic>/<partition>/<offset>`` of a source record."""
    return f"{topic}/{partition}/{offset}"


def scrub_headers(
    headers: InputHeaders | None, scrub_field: FieldScrubber
) -> tuple[list[Header], Counter[tuple[str, str]]]:
    """Scrub every header value, its name as context; return the headers and the findings."""
    out: list[Header] = []
    counts: Counter[tuple[str, str]] = Counter()
    pairs = headers.items() if isinstance(headers, Mapping) else (headers or ())
    for key, value in pairs:
        if key in _OWN_HEADERS:
            continue
        if value is None or value == b"":
            out.append((key, value if value is None else b""))
            continue
        try:
            text = value if isinstance(value, str) else value.decode("utf-8")
        except UnicodeDecodeError:
            out.append((key, FALLBACK_TOKEN.encode("ascii")))
            continue
        masked, found = scrub_field(key, text)
        counts.update(found)
        out.append((key, masked.encode("utf-8")))
    return out, counts


def build_headers(
    scrubbed: list[Header],
    *,
    source: str,
    ruleset_version: str,
    entity_counts: Counter[str],
    status: str | None = None,
) -> list[Header]:
    """The scrubbed headers, then ``scrub.source``, ``.ruleset``, ``.findings``, ``.status``.

    ``status`` is the fallback reason code of a record masked whole; None means ``ok``.
    """
    return [
        *scrubbed,
        (SOURCE_HEADER, source.encode("utf-8")),
        (RULESET_HEADER, ruleset_version.encode("utf-8")),
        (FINDINGS_HEADER, findings_header(entity_counts).encode("ascii")),
        (STATUS_HEADER, (status or STATUS_OK).encode("ascii")),
    ]
