"""Scrub a batch of Kafka values whatever their encoding, in one ``scrub_many`` call.

Per value: the encoding its topic pins, or else the one detected from its bytes (OTLP
protobuf or JSON, Confluent-framed Avro when a registry is configured). A structured
record goes through the scrubber as its JSON view and is encoded back in its own
encoding; anything else (JSON, logfmt, text) goes through as it is. A value that a
pinned encoding cannot decode is masked whole and reported ``undecodable``; a view
that cannot be written back is masked whole and reported ``detector_error``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import orjson

from processor.errors import FormatError
from processor.formats.otlp import OtlpEncoding, decode_otlp, sniff_otlp
from processor.formats.structured import OtlpAdapter, Structured
from processor.records import FALLBACK_TOKEN, ScrubResult, decode_json
from processor.settings import TopicEncoding

__all__ = ["AvroDecoder", "FormatScrubber", "TextScrubber"]

log = logging.getLogger(__name__)

_FALLBACK_BYTES = FALLBACK_TOKEN.encode("ascii")

#: Decodes one Confluent-framed Avro value; None when it is not one (FormatError if broken).
AvroDecoder = Callable[[bytes], Structured | None]


class TextScrubber(Protocol):
    """The public methods of ``processor.pipeline.Scrubber`` this module relies on."""

    ruleset_version: str

    def scrub_many(self, values: Sequence[bytes]) -> list[ScrubResult]: ...
    def scrub_text(self, text: str) -> tuple[str, Counter[tuple[str, str]]]: ...
    def scrub_field(self, name: str, text: str) -> tuple[str, Counter[tuple[str, str]]]: ...


class FormatScrubber:
    """A scrubber that understands OTLP logs and Avro besides JSON, logfmt and text."""

    def __init__(
        self,
        scrubber: TextScrubber,
        topics: Mapping[str, TopicEncoding] | None = None,
        avro: AvroDecoder | None = None,
    ) -> None:
        self._scrubber = scrubber
        self._topics = dict(topics or {})
        self._avro = avro
        self.ruleset_version = scrubber.ruleset_version

    @property
    def ner_seconds(self) -> float:
        """Seconds the wrapped scrubber spent in NER."""
        return float(getattr(self._scrubber, "ner_seconds", 0.0))

    def scrub_text(self, text: str) -> tuple[str, Counter[tuple[str, str]]]:
        """Scrub a plain string such as a header value."""
        return self._scrubber.scrub_text(text)

    def scrub_field(self, name: str, text: str) -> tuple[str, Counter[tuple[str, str]]]:
        """Scrub ``text`` as the value of a field called ``name`` (a header, say)."""
        return self._scrubber.scrub_field(name, text)

    def scrub_many(self, values: Sequence[bytes]) -> list[ScrubResult]:
        """Scrub values of unknown topics: every encoding detected per record."""
        return self.scrub_many_from(values, [""] * len(values))

    def scrub_many_from(self, values: Sequence[bytes], topics: Sequence[str]) -> list[ScrubResult]:
        """Scrub ``values[i]``, consumed from ``topics[i]``. Same length and order."""
        plans: list[Structured | ScrubResult | None] = []
        views: list[bytes] = []
        batch: list[bytes] = []
        for raw, topic in zip(values, topics, strict=True):
            plan = self._plan(raw, self._topics.get(topic, "auto"))
            if isinstance(plan, ScrubResult):
                plans.append(plan)
                continue
            if plan is None:
                batch.append(raw)
            else:
                try:
                    views.append(orjson.dumps(plan.view()))
                    batch.append(views[-1])
                except (orjson.JSONEncodeError, TypeError, RecursionError):
                    plan = ScrubResult(plan.masked_whole(), plan.format, Counter(), "undecodable")
            plans.append(plan)
        results = iter(self._scrubber.scrub_many(batch) if batch else [])
        unmasked = iter(views)
        out: list[ScrubResult] = []
        for plan, _ in zip(plans, values, strict=True):
            if isinstance(plan, ScrubResult):
                out.append(plan)
            elif plan is None:
                out.append(next(results))
            else:
                out.append(_finish(plan, next(results), next(unmasked)))
        return out

    def _plan(self, raw: bytes, encoding: TopicEncoding) -> Structured | ScrubResult | None:
        """The decoded record, None for the plain pipeline, or an ``undecodable`` result."""
        if encoding == "auto":
            record = sniff_otlp(raw)
            if record is not None:
                return OtlpAdapter(record, raw)
            if self._avro is not None and raw[:1] == b"\x00":
                try:
                    return self._avro(raw)
                except FormatError:
                    return ScrubResult(_FALLBACK_BYTES, "avro", Counter(), "undecodable")
            return None
        try:
            if encoding == "avro":
                decoded = self._avro(raw) if self._avro is not None else None
                if decoded is None:
                    raise FormatError("not Confluent-framed Avro")
                return decoded
            otlp: OtlpEncoding = encoding
            return OtlpAdapter(decode_otlp(raw, otlp), raw)
        except FormatError:
            return ScrubResult(_FALLBACK_BYTES, encoding, Counter(), "undecodable")


def _finish(record: Structured, result: ScrubResult, view: bytes) -> ScrubResult:
    """Write the scrubbed view back, or mask the record whole when that is not safe.

    A record the scrubber masked whole (budget, detector error) comes back as its masked
    view when that view is still JSON; otherwise the record masks itself.
    """
    reason = result.fallback
    try:
        if reason is not None:
            return ScrubResult(_rebuilt(record, result), record.format, result.counts, reason)
        output = record.unchanged() if result.output == view else _rebuilt(record, result)
        return ScrubResult(output, record.format, result.counts)
    except FormatError as exc:
        reason = reason or exc.reason
    except Exception as exc:  # fail closed; name the type only, never the content
        log.error("cannot write the masked view back (%s); record masked whole",
                  type(exc).__name__)
        reason = reason or "detector_error"
    try:
        output = record.masked_whole()
    except Exception as exc:
        log.error("cannot mask the record in its encoding (%s)", type(exc).__name__)
        output = _FALLBACK_BYTES
    return ScrubResult(output, record.format, result.counts, reason)


def _rebuilt(record: Structured, result: ScrubResult) -> bytes:
    try:
        view: Any = decode_json(result.output.decode("utf-8"))
    except UnicodeDecodeError:
        view = None
    if view is None:
        raise FormatError("the scrubbed view is not a JSON object")
    return record.apply(view)
