"""The shape every structured encoding (OTLP, Avro) takes on its way through the scrubber.

A decoded record shows the scrubber a JSON view of its strings (and numbers), takes the
masked view back, and encodes itself again. What the view does not show is never touched.
"""

from __future__ import annotations

from typing import Any, Protocol

from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest

from processor.formats.otlp import OtlpRecord, encode_otlp
from processor.formats.otlp_view import apply_request_view, mask_request, request_view
from processor.records import RecordFormat

__all__ = ["OtlpAdapter", "Structured"]


class Structured(Protocol):
    """A decoded record of a structured encoding."""

    @property
    def format(self) -> RecordFormat: ...

    def view(self) -> dict[str, Any]:
        """The JSON object the scrubber reads (keys are field names)."""
        ...

    def apply(self, masked: Any) -> bytes:
        """The record re-encoded with the masked view written in; FormatError on mismatch."""
        ...

    def unchanged(self) -> bytes:
        """The record when nothing was masked."""
        ...

    def masked_whole(self) -> bytes:
        """The record with every value the view covers masked (the fail-closed output)."""
        ...


class OtlpAdapter:
    """An OTLP logs request as a ``Structured`` record."""

    def __init__(self, record: OtlpRecord, raw: bytes) -> None:
        self._record = record
        self._raw = raw

    @property
    def format(self) -> RecordFormat:
        return self._record.encoding

    def view(self) -> dict[str, Any]:
        return request_view(self._record.request)

    def apply(self, masked: Any) -> bytes:
        apply_request_view(self._record.request, masked)
        return encode_otlp(self._record)

    def unchanged(self) -> bytes:
        return encode_otlp(self._record) if self._record.dropped_unknown else self._raw

    def masked_whole(self) -> bytes:
        req = ExportLogsServiceRequest()
        req.CopyFrom(self._record.request)
        mask_request(req)
        return encode_otlp(type(self._record)(req, self._record.encoding, True))
