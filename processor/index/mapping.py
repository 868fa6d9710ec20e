"""Turn one clean record into a timeline entry, using field-mapping presets.

Pure functions, no I/O: the indexer hands in the record value and headers, and gets
back an :class:`IndexEntry`, or None when the record does not belong to a workflow.
Only masked content is ever seen here (the indexer reads the clean topic).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import regex

from processor.records import decode_json, detect_format
from processor.settings import FieldMapping, IndexSettings

__all__ = ["PRESETS", "IndexEntry", "extract_entry", "mappings_for", "parse_logfmt"]

#: Field-mapping presets for the workflow engines logscrub meets most.
PRESETS: dict[str, FieldMapping] = {
    "temporal": FieldMapping(
        name="temporal", workflow_id=("WorkflowID",), run_id=("RunID",),
        step=("ActivityType", "ActivityID"), attempt=("Attempt",), event=("Event", "msg"),
        timestamp=("ts", "Timestamp"), duration=("Duration",), service=("Service", "TaskQueue"),
        namespace=("Namespace",), workflow_type=("WorkflowType",), trace_id=("TraceID",),
    ),
    "argo": FieldMapping(
        name="argo", workflow_id=("workflow",), run_id=("workflowUID", "uid"),
        step=("node", "nodeName", "template"), attempt=("retry", "attempt"),
        event=("phase", "msg"), timestamp=("time",), duration=("duration",),
        service=("service",), namespace=("namespace",), workflow_type=("workflowTemplate",),
        trace_id=("traceID", "trace_id"),
    ),
    "airflow": FieldMapping(
        name="airflow", workflow_id=("dag_id",), run_id=("run_id",), step=("task_id",),
        attempt=("try_number",), event=("state", "event", "message"),
        timestamp=("asctime", "timestamp"), duration=("duration",), service=("service",),
        namespace=("namespace",), workflow_type=("dag_id",), trace_id=("trace_id",),
    ),
    "generic": FieldMapping(
        name="generic", workflow_id=("workflow_id",), run_id=("run_id",),
        step=("step", "activity", "task"), attempt=("attempt",), event=("event", "status", "msg"),
        timestamp=("ts", "time", "timestamp", "@timestamp"), duration=("duration_ms", "duration"),
        service=("service", "app"), namespace=("namespace",), workflow_type=("workflow_type",),
        trace_id=("trace_id", "traceId", "trace.id"),
    ),
}

_EVENT_WORDS: tuple[tuple[str, regex.Pattern[str]], ...] = tuple(
    (event, regex.compile(r"\b(?:" + "|".join(regex.escape(w) for w in words) + r")\b"))
    for event, words in (
        ("retried", ("retry", "retrying", "retried")),
        ("failed", ("fail", "failed", "failure", "error", "errored", "timeout", "timed out")),
        ("completed", ("complete", "completed", "succeeded", "success", "done", "finished")),
        ("started", ("start", "started", "running", "scheduled", "begin", "created",
                     "creating")),
    )
)
_LOGFMT = regex.compile(r'([A-Za-z_][\w.\-/]*)=("(?:[^"\\]|\\.)*"|[^\s"]*)')
_DURATION = regex.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$")
_TEXT_LIMIT = 200


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One indexed record: where it sits in a workflow run and where it came from."""

    workflow_id: str
    run_id: str
    step: str
    attempt: int
    event: str  # started | completed | failed | retried | log
    ts_ms: int
    duration_ms: int | None
    service: str
    namespace: str
    workflow_type: str
    trace_id: str
    source: str  # the record's scrub.source header
    topic: str
    topic_partition: int
    topic_offset: int
    value: str  # the masked record, as text


def mappings_for(settings: IndexSettings) -> tuple[FieldMapping, ...]:
    """Custom mappings first, then the enabled presets, in the order given."""
    return tuple(settings.mappings) + tuple(PRESETS[name] for name in settings.presets)


def parse_logfmt(text: str) -> dict[str, str]:
    """``key=value`` pairs of a logfmt line (quoted values unquoted)."""
    out: dict[str, str] = {}
    for key, raw in _LOGFMT.findall(text):
        value = raw[1:-1].replace('\\"', '"') if raw.startswith('"') else raw
        out.setdefault(key, value)
    return out


def _first(fields: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = fields.get(key)
        if value is not None and not isinstance(value, dict | list):
            text = str(value).strip()
            if text:
                return text[:_TEXT_LIMIT]
    return ""


def _event(text: str) -> str:
    low = text.lower()
    for event, pattern in _EVENT_WORDS:
        if pattern.search(low):
            return event
    return "log"


def _timestamp_ms(text: str, fallback_ms: int) -> int:
    if not text:
        return fallback_ms
    try:
        number = float(text)
    except ValueError:
        pass
    else:  # epoch seconds, milliseconds or microseconds
        if number > 1e14:
            return int(number / 1000)
        return int(number if number > 1e11 else number * 1000)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace(",", "."))
    except ValueError:
        return fallback_ms
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp() * 1000)


def _duration_ms(text: str) -> int | None:
    match = _DURATION.match(text) if text else None
    if match is None:
        return None
    number, unit = float(match.group(1)), match.group(2) or "ms"
    return int(number * {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}[unit])


def _int(text: str, default: int) -> int:
    try:
        return max(0, min(int(float(text)), 1_000_000))
    except ValueError:
        return default


def extract_entry(
    value: bytes,
    headers: Mapping[str, str],
    timestamp_ms: int,
    mappings: tuple[FieldMapping, ...],
    *,
    topic: str = "",
    partition: int = 0,
    offset: int = 0,
) -> IndexEntry | None:
    """The timeline entry of one clean record, or None when no mapping finds a workflow id.

    Records without logscrub's ``scrub.ruleset`` header were not scrubbed by it and are
    never indexed (fail closed).
    """
    if not headers.get("scrub.ruleset") or not headers.get("scrub.source"):
        return None
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        return None
    kind = detect_format(text)
    fields: Mapping[str, Any] | None = None
    if kind == "json":
        fields = decode_json(text)
    elif kind == "logfmt":
        fields = parse_logfmt(text)
    if not fields:
        return None
    for mapping in mappings:
        workflow_id = _first(fields, mapping.workflow_id)
        if not workflow_id:
            continue
        event_text = _first(fields, mapping.event)
        return IndexEntry(
            workflow_id=workflow_id,
            run_id=_first(fields, mapping.run_id) or "-",
            step=_first(fields, mapping.step),
            attempt=_int(_first(fields, mapping.attempt), 1),
            event=_event(event_text) if event_text else "log",
            ts_ms=_timestamp_ms(_first(fields, mapping.timestamp), timestamp_ms),
            duration_ms=_duration_ms(_first(fields, mapping.duration)),
            service=_first(fields, mapping.service) or _first(fields, mapping.namespace),
            namespace=_first(fields, mapping.namespace),
            workflow_type=_first(fields, mapping.workflow_type),
            trace_id=_first(fields, mapping.trace_id),
            source=headers.get("scrub.source", ""),
            topic=topic,
            topic_partition=partition,
            topic_offset=offset,
            value=text,
        )
    return None
