"""OTLP log records as an application's OpenTelemetry SDK exports them.

The records are emitted through the OpenTelemetry Python SDK inside real spans and
encoded with the official OTLP encoder (``opentelemetry-exporter-otlp-proto-common``),
one ``ExportLogsServiceRequest`` per Kafka record, as a collector's Kafka exporter
writes them. These tests pin exact OTLP shapes (kvlist bodies, scope attributes); the
real collector on both sides of ``logscrub run`` is ``test_collector_e2e.py``.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from google.protobuf import json_format
from opentelemetry._logs import SeverityNumber
from opentelemetry.exporter.otlp.proto.common._log_encoder import encode_logs
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider

__all__ = ["OtlpBatch", "otlp_batches", "to_otlp_json"]


@dataclass(frozen=True)
class OtlpBatch:
    """One encoded request, the secrets in it, and the trace context of its records."""

    request: ExportLogsServiceRequest
    secrets: tuple[str, ...]
    trace_ids: tuple[bytes, ...]
    span_ids: tuple[bytes, ...]


def otlp_batches(n: int, per_batch: int = 3) -> list[OtlpBatch]:
    """``n`` requests of ``per_batch`` workflow log records each, full of secrets."""
    resource = Resource.create({"service.name": "payments-worker", "deployment.environment": "it",
                                "owner.email": "platform-oncall@example.com"})
    tracer = TracerProvider(resource=resource).get_tracer("workflow.engine")
    out: list[OtlpBatch] = []
    for b in range(n):
        exporter = InMemoryLogRecordExporter()
        provider = LoggerProvider(resource=resource)
        provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
        logger = provider.get_logger("workflow.engine.activity", "2.4.1")
        secrets: list[str] = []
        for i in range(per_batch):
            k = b * per_batch + i
            email, password = f"customer{k}@example.com", f"Sup3r-{k}-secret"
            card = "4111 1111 1111 1111"
            with tracer.start_as_current_span(f"activity-{k}"):
                logger.emit(
                    timestamp=1_700_000_000_000_000_000 + k,
                    body={"event": "charge.failed", "attempt": i,
                          "customer": {"email": email, "card_number": card},
                          "steps": ["validate", f"notify {email}"]},
                    severity_text="ERROR",
                    severity_number=SeverityNumber.ERROR,
                    attributes={"user.email": email, "db.password": password,
                                "http.request.header.authorization": f"Bearer tok{k}abcdef0123",
                                "workflow.id": f"wf-{k}", "retry": i},
                )
            secrets += [email, password, f"tok{k}abcdef0123", card]
        finished = exporter.get_finished_logs()
        request = encode_logs(finished)
        records = [lr for rl in request.resource_logs for sl in rl.scope_logs
                   for lr in sl.log_records]
        out.append(OtlpBatch(request, tuple(secrets), tuple(r.trace_id for r in records),
                             tuple(r.span_id for r in records)))
        provider.shutdown()
    return out


def to_otlp_json(request: ExportLogsServiceRequest) -> bytes:
    """OTLP/JSON as the collector writes it: camelCase, hex trace and span ids."""
    doc = json_format.MessageToDict(request, use_integers_for_enums=True)
    for rl in doc.get("resourceLogs", []):
        for sl in rl.get("scopeLogs", []):
            for lr in sl.get("logRecords", []):
                for key in ("traceId", "spanId"):
                    if key in lr:
                        lr[key] = base64.b64decode(lr[key]).hex()
    return json.dumps(doc).encode()
