"""decode → detect → resolve → mask → encode, for batches of raw records. No I/O.

``Scrubber.scrub_many`` never raises on bad input and never returns raw content
for a record it could not scrub: such a record comes back fully masked, with
``fallback`` set to a reason code.
"""

from __future__ import annotations

import logging
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from processor.detectors.keys import FieldNames
from processor.detectors.ner import NerDetector
from processor.detectors.patterns import BudgetExceeded, PatternDetector
from processor.masking.operators import Masker
from processor.masking.overrides import check_operator_overrides
from processor.masking.splice import apply_findings, resolve
from processor.records import (
    FALLBACK_TOKEN,
    MASK_TOKEN,
    Finding,
    RecordFormat,
    ScrubResult,
    decode_json,
    detect_format,
    encode_json,
)
from processor.rules.loader import RuleSet, load_rules
from processor.rules.schema import FieldRule
from processor.settings import ScrubSettings

__all__ = ["Scrubber"]

log = logging.getLogger(__name__)

Counts = Counter[tuple[str, str]]
_FALLBACK_BYTES = FALLBACK_TOKEN.encode()
# joins a record's strings for one scan: no rule's pattern or key=value pair crosses it
_SEP = "\n\x1f\x1f\n"
# numbers shorter than this cannot hold a card, SSN, phone or account number
_MIN_SENSITIVE_NUMBER = 10**6


def _where(exc: BaseException) -> str:
    """An exception's type and the line that raised it, never its message.

    Messages can quote the data being processed (``invalid literal for int(): '4111…'``),
    so they stay out of the logs.
    """
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return type(exc).__name__
    return f"{type(exc).__name__} at {tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}"


@dataclass(slots=True)
class _Segment:
    """One string to scan: a JSON string value (``holder[key]``) or a whole text record."""

    text: str
    field_name: str
    holder: Any = None
    key: Any = None
    is_number: bool = False
    findings: list[Finding] = field(default_factory=list)


@dataclass(slots=True)
class _Job:
    """The state of one record while its batch goes through the pipeline."""

    raw: bytes
    format: RecordFormat = "text"
    doc: dict[str, Any] | None = None
    segments: list[_Segment] = field(default_factory=list)
    counts: Counts = field(default_factory=Counter)
    changed: bool = False
    fallback: str | None = None


class Scrubber:
    """Scrubs raw records with a loaded rule set; build it once per process."""

    def __init__(
        self,
        ruleset: RuleSet,
        settings: ScrubSettings,
        ner: NerDetector | None = None,
    ) -> None:
        self.ruleset = ruleset
        self.ruleset_version = ruleset.version
        self._settings = settings
        self._budget = settings.record_budget_ms / 1000.0
        check_operator_overrides(settings, ruleset)
        key = settings.pseudonym_key
        self._masker = Masker(key.get_secret_value().encode() if key else None, settings.operators)
        self._fields = FieldNames(
            ruleset.fields, settings.extra_sensitive_fields, settings.ignored_fields
        )
        self.patterns = PatternDetector(ruleset.rules)
        self._ner = ner

    @classmethod
    def from_settings(cls, settings: ScrubSettings) -> Scrubber:
        """Load the rules (and the NER model when enabled); raises when either is invalid."""
        ruleset = load_rules(settings.rules_dir)
        ner = None
        if settings.ner_enabled:
            ner = NerDetector(settings.ner_model, settings.ner_min_score, settings.ner_cache_size)
        return cls(ruleset, settings, ner)

    @property
    def ner_seconds(self) -> float:
        """Seconds spent in NER since start."""
        return self._ner.seconds if self._ner is not None else 0.0

    # -- public API ---------------------------------------------------------------------

    def scrub(self, value: bytes) -> ScrubResult:
        """Scrub one record."""
        return self.scrub_many([value])[0]

    def scrub_many(self, values: Sequence[bytes]) -> list[ScrubResult]:
        """Scrub a batch; NER runs once over the whole batch. Same length and order."""
        jobs = [_Job(raw=v) for v in values]
        for job in jobs:
            self._cheap_layers(job)
        self._ner_layer(jobs)
        return [self._finish(job) for job in jobs]

    def scrub_text(self, text: str) -> tuple[str, Counts]:
        """Scrub a plain string such as a header value; fully masked if that fails."""
        result = self.scrub(text.encode("utf-8", "surrogatepass"))
        if result.fallback is not None:
            return FALLBACK_TOKEN, result.counts
        return result.output.decode("utf-8"), result.counts

    def explain(self, value: bytes) -> tuple[ScrubResult, list[tuple[str, list[Finding]]]]:
        """The result plus, per scanned string (named by its field), the resolved findings."""
        job = _Job(raw=value)
        self._cheap_layers(job)
        self._ner_layer([job])
        spans = [(s.field_name, resolve(s.text, s.findings)) for s in job.segments if s.findings]
        return self._finish(job), spans

    # -- steps --------------------------------------------------------------------------

    def _cheap_layers(self, job: _Job) -> None:
        """Decode, collect the strings to scan, and run field names and pattern rules."""
        if len(job.raw) > self._settings.max_record_bytes:
            job.fallback = "oversized"
            return
        try:
            text = job.raw.decode("utf-8")
        except UnicodeDecodeError:
            job.fallback = "undecodable"
            return
        deadline = time.monotonic() + self._budget
        try:
            job.format = detect_format(text)
            if job.format == "json":
                job.doc = decode_json(text)
                if job.doc is None:
                    job.format = "text"
            if job.doc is not None:
                self._collect_json(job, job.doc)
            else:
                job.segments.append(_Segment(text, ""))
            self._scan(job.segments, deadline)
        except BudgetExceeded:
            job.fallback = "budget"
        except RecursionError:
            job.fallback = "too_deep"
        except Exception as exc:  # fail closed on any detector bug; never log the record
            log.error("detector error (%s); record masked whole", _where(exc))
            job.fallback = "detector_error"

    def _scan(self, segments: list[_Segment], deadline: float) -> None:
        """Field-name pairs and pattern rules over all of a record's strings in one pass.

        The strings are joined with a separator no rule matches across, scanned once,
        and each finding is handed back to the string(s) it covers.
        """
        if not segments:
            return
        starts: list[int] = []
        pos = 0
        for seg in segments:
            starts.append(pos)
            pos += len(seg.text) + len(_SEP)
        joined = _SEP.join(seg.text for seg in segments)
        lowered = joined.lower()

        def field_at(offset: int) -> str:
            return segments[bisect_right(starts, offset) - 1].field_name

        found = self._fields.find_in_text(joined, lowered)
        names = " ".join({seg.field_name.lower() for seg in segments})
        found += self.patterns.find(joined, lowered, deadline, field_at, field_names=names)
        for f in found:
            i = bisect_right(starts, f.start) - 1
            while i < len(segments) and starts[i] < f.end:
                seg, base = segments[i], starts[i]
                lo, hi = max(f.start, base) - base, min(f.end, base + len(seg.text)) - base
                if hi > lo:
                    seg.findings.append(f if (lo, hi) == (f.start, f.end) else
                                        replace(f, start=lo, end=hi))
                i += 1

    def _collect_json(self, job: _Job, doc: dict[str, Any]) -> None:
        """Mask values under sensitive keys and gather every other string to scan."""
        stack: list[tuple[Any, str]] = [(doc, "")]
        while stack:
            node, parent_key = stack.pop()
            if isinstance(node, dict):
                items = list(node.items())
                named = self._named_value_rule(node)
                if named is not None:
                    self._mask_field(job, node, "value", node["value"], named)
                    items = [(k, v) for k, v in items if k != "value"]
            else:
                items = list(enumerate(node))
            for key, value in items:
                name = key if isinstance(key, str) else parent_key
                rule = self._fields.lookup_in(key, parent_key) if isinstance(key, str) else None
                if rule is not None:
                    self._mask_field(job, node, key, value, rule)
                elif isinstance(value, str):
                    if value and not MASK_TOKEN.fullmatch(value):
                        job.segments.append(_Segment(value, name, node, key))
                elif isinstance(value, (dict, list)):
                    stack.append((value, name))
                elif (
                    isinstance(value, (int, float))
                    and not isinstance(value, bool)
                    and abs(value) >= _MIN_SENSITIVE_NUMBER
                ):
                    job.segments.append(_Segment(repr(value), name, node, key, is_number=True))

    def _named_value_rule(self, node: dict[str, Any]) -> FieldRule | None:
        """``{"name": "DB_PASSWORD", "value": "..."}`` (Kubernetes env, header lists)."""
        if "value" not in node:
            return None
        for name_key in ("name", "key", "header"):
            name = node.get(name_key)
            if isinstance(name, str):
                return self._fields.lookup(name)
        return None

    def _mask_field(self, job: _Job, holder: Any, key: Any, value: Any, rule: FieldRule) -> None:
        """Replace a whole value (every scalar inside it) under a sensitive key."""
        if isinstance(value, (dict, list)):
            inner = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
            for k, v in inner:
                self._mask_field(job, value, k, v, rule)
            return
        if value is None or isinstance(value, bool) or value == "":
            return
        text = value if isinstance(value, str) else repr(value)
        if MASK_TOKEN.fullmatch(text):
            return
        token = self._masker.token(rule.entity, rule.operator, rule.keep_last, text)
        if token is None and isinstance(holder, dict):
            del holder[key]
        else:
            holder[key] = token if token is not None else FALLBACK_TOKEN
        job.counts[(f"field:{rule.entity.lower()}", rule.entity)] += 1
        job.changed = True

    def _ner_layer(self, jobs: Sequence[_Job]) -> None:
        """One batched NER pass over every string segment of every record still in play."""
        if self._ner is None:
            return
        segs = [s for j in jobs if j.fallback is None for s in j.segments if not s.is_number]
        if not segs:
            return
        try:
            found = self._ner.find_many(
                [s.text for s in segs], [[(f.start, f.end) for f in s.findings] for s in segs]
            )
        except Exception as exc:  # fail closed: records that needed NER are masked whole
            log.error("NER failed (%s); the batch's records are masked whole", _where(exc))
            for job in jobs:
                if job.fallback is None and job.segments:
                    job.fallback = "detector_error"
            return
        for seg, extra in zip(segs, found, strict=True):
            seg.findings += extra

    def _finish(self, job: _Job) -> ScrubResult:
        """Splice the masks in and encode the record in its own format."""
        if job.fallback is None:
            try:
                return self._encode(job)
            except Exception as exc:
                log.error("masking error (%s); record masked whole", _where(exc))
                job.fallback = "detector_error"
        return ScrubResult(self._fallback_output(job), job.format, job.counts, job.fallback)

    def _encode(self, job: _Job) -> ScrubResult:
        for seg in job.segments:
            if not seg.findings:
                continue
            resolved = resolve(seg.text, seg.findings)
            for f in resolved:
                job.counts[(f.rule_id, f.entity)] += 1
            masked = apply_findings(seg.text, resolved, self._masker)
            if seg.holder is None:
                return ScrubResult(masked.encode("utf-8"), job.format, job.counts)
            if seg.is_number and masked == seg.text:
                continue
            job.changed = True
            if masked == "" and isinstance(seg.holder, dict):
                del seg.holder[seg.key]
            else:
                seg.holder[seg.key] = masked
        if job.doc is not None and job.changed:
            return ScrubResult(encode_json(job.doc), job.format, job.counts)
        return ScrubResult(job.raw, job.format, job.counts)

    def _fallback_output(self, job: _Job) -> bytes:
        """Every scalar masked when the record parsed as JSON; the whole line otherwise."""
        if job.doc is None:
            return _FALLBACK_BYTES
        stack: list[Any] = [job.doc]
        while stack:
            node = stack.pop()
            keys = list(node) if isinstance(node, dict) else range(len(node))
            for k in keys:
                v = node[k]
                if isinstance(v, (dict, list)):
                    stack.append(v)
                elif isinstance(v, (str, int, float)) and not isinstance(v, bool):
                    node[k] = FALLBACK_TOKEN
        try:
            return encode_json(job.doc)
        except Exception:
            return _FALLBACK_BYTES
