"""decode → detect → resolve → mask → encode, for batches of raw records. No I/O.

``Scrubber.scrub_many`` never raises on bad input and never returns raw content
for a record it could not scrub: such a record comes back fully masked, with
``fallback`` set to a reason code. Every layer runs under a deadline: the field-name
and pattern layers under the per-record budget, NER under a per-batch budget.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from processor.assemble import encode_job, fallback_output, masked_segment
from processor.collect import Counts, Job, Segment, collect_json, field_finding
from processor.detectors import _clock
from processor.detectors.keys import EXTRA_FIELDS_ENTITY, FieldNames
from processor.detectors.ner import NER_ENTITY, NerDetector
from processor.detectors.patterns import PatternDetector
from processor.detectors.placeholders import placeholder_for
from processor.detectors.prefilter import Prefilter
from processor.errors import BudgetExceeded, ConfigError, where
from processor.masking.encryption import NO_KEYS, DataKeys, TokenCipher
from processor.masking.operators import Masker
from processor.masking.overrides import check_operator_overrides
from processor.masking.policy import OperatorPolicy
from processor.masking.splice import resolve
from processor.masking.tokens import TokenShapes
from processor.ner_layer import ner_layer
from processor.records import FALLBACK_TOKEN, Finding, ScrubResult, decode_json, detect_format
from processor.rules.loader import RuleSet, load_rules
from processor.rules.schema import FieldRule
from processor.scan import scan_segments
from processor.settings import ScrubSettings
from processor.shadow import ShadowRules

__all__ = ["Scrubber"]

log = logging.getLogger(__name__)

# JSON keys up to this long are scanned without looking at the clock for each rule;
# the clock is checked every _KEY_CLOCK_EVERY keys instead
_SHORT_KEY = 256
_KEY_CLOCK_EVERY = 32
_KEY_CACHE_SIZE = 8192
_NO_DEADLINE = float("inf")


#: A record that reaches every layer once at start-up (see ``Scrubber._warm_up``).
_WARM_UP = (b'{"msg": "call +44 20 7946 0958 or +49 30 71770133 or +1 415 555 0100 for '
            b'Anna Schmidt at anna@example.com", "card": "4111 1111 1111 1111"}')

class Scrubber:
    """Scrubs raw records with a loaded rule set; build it once per process."""

    def __init__(
        self,
        ruleset: RuleSet,
        settings: ScrubSettings,
        ner: NerDetector | None = None,
        data_keys: DataKeys | None = None,
    ) -> None:
        self.ruleset = ruleset
        self.ruleset_version = ruleset.version
        self._settings = settings
        self._budget = settings.record_budget_ms / 1000.0
        check_operator_overrides(settings, ruleset)
        self._ner_budget = settings.ner_batch_budget_ms / 1000.0
        key = settings.pseudonym_key
        enc = settings.encryption
        cipher = TokenCipher(data_keys, enc.modes, enc.default_mode) if data_keys else None
        self._masker = Masker(key.get_secret_value().encode() if key else None, cipher,
                              enc.max_encrypted_per_record)
        self._subject_field = enc.subject_field
        # the operator of every entity is decided here, once
        policy = OperatorPolicy(settings.operators, has_key=bool(key))
        extra_fields = [FieldRule(entity=EXTRA_FIELDS_ENTITY,
                                  names=list(settings.extra_sensitive_fields))
                        ] if settings.extra_sensitive_fields else []
        fields = policy.field_rules([*ruleset.fields, *extra_fields])
        rules = policy.pattern_rules(r for r in ruleset.rules if r.spec.mode == "enforce")
        self._ner_operator = policy.choose(NER_ENTITY, "placeholder", 4)
        self.tokens = TokenShapes(
            [(f.entity, f.operator, f.keep_last) for f in fields]
            + [(r.spec.entity, r.spec.operator, r.spec.keep_last) for r in rules]
            + [(NER_ENTITY, *self._ner_operator)],
            pseudonyms=bool(key),
            verify=cipher.authentic if cipher is not None else None,
        )
        if cipher is None and any(op == "encrypt" for _e, op, _k in self.tokens.triples):
            raise ConfigError("the encrypt operator needs scrub.encryption.keyring_file")
        self._fields = FieldNames(fields, self.tokens, settings.ignored_fields)
        self.patterns = PatternDetector(rules, self.tokens)
        self._prefilter = Prefilter(self.patterns.rules, self._fields.names,
                                    settings.cache_dir())
        self.shadow = ShadowRules([r for r in ruleset.rules if r.spec.mode == "shadow"],
                                  self.tokens, self._budget)
        self._ner = ner
        self._key_cache: dict[tuple[str, str], tuple[Finding, ...]] = {}
        #: records that came to the NER layer, and those of them with text NER had to read
        self.ner_checked = 0
        self.ner_records = 0
        self._warm_up()

    def _warm_up(self) -> None:
        """Run every layer once, so that lazy loading (phone metadata, the NER pipeline's
        first call) is paid at start-up and not inside the first records' budgets."""
        self.scrub_many([_WARM_UP])
        self.ner_checked = self.ner_records = 0
        if self._ner is not None:
            self._ner.seconds = 0.0

    @classmethod
    def from_settings(cls, settings: ScrubSettings, encrypt: bool = True) -> Scrubber:
        """Load the rules (and the NER model when enabled); raises when either is invalid.

        ``encrypt=False`` masks what the settings would encrypt, with no key at hand: for
        services that must not become an encryption oracle (the debug API's explain).
        """
        ruleset = load_rules(settings.rules_dir)
        ner = None
        if settings.ner_enabled:
            ner = NerDetector(settings.ner_model, settings.ner_min_score, settings.ner_cache_size)
        data_keys: DataKeys | None = None
        if not encrypt:
            data_keys = NO_KEYS
        elif settings.encryption.keyring_file is not None:
            from processor.keys.provider import open_data_keys  # the keyring and its KMS

            data_keys = open_data_keys(settings.encryption)
        return cls(ruleset, settings, ner, data_keys)

    def with_rules(self, ruleset: RuleSet, settings: ScrubSettings) -> Scrubber:
        """A scrubber for a reloaded rule set, sharing this one's NER model (no reload)."""
        ner = self._ner if settings.ner_enabled else None
        if ner is None and settings.ner_enabled:
            ner = NerDetector(settings.ner_model, settings.ner_min_score, settings.ner_cache_size)
        return Scrubber(ruleset, settings, ner)

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
        jobs = [Job(raw=v) for v in values]
        for job in jobs:
            self._cheap_layers(job)
        self._ner_layer(jobs)
        return [self._finish(job, self.shadow.count(job)) for job in jobs]

    def scrub_text(self, text: str) -> tuple[str, Counts]:
        """Scrub a plain string such as a header value; fully masked if that fails."""
        result = self.scrub(text.encode("utf-8", "surrogatepass"))
        if result.fallback is not None:
            return FALLBACK_TOKEN, result.counts
        return result.output.decode("utf-8"), result.counts

    def scrub_field(self, name: str, text: str) -> tuple[str, Counts]:
        """Scrub ``text`` as the value of a field called ``name`` (a header, say).

        The name counts exactly as a JSON key does: under a sensitive name the value is
        masked whole; otherwise it is scanned as text, with the name as context.
        Fully masked if that fails.
        """
        job = Job(raw=text.encode("utf-8", "surrogatepass"))
        rule = self._fields.lookup(name)
        if len(job.raw) > self._settings.max_record_bytes:
            job.fallback = "oversized"
        elif rule is not None and not placeholder_for(rule.entity, text):
            if not text or self.tokens.is_token(text):
                return text, job.counts
            job.segments.append(Segment(text, name, scan=False,
                                        findings=[field_finding(text, rule)]))
        else:
            job.segments.append(Segment(text, name))
            self._run_cheap(job, lambda: self._scan(job.segments, self._deadline()))
        self._ner_layer([job])
        result = self._finish(job)
        if result.fallback is not None:
            return FALLBACK_TOKEN, result.counts
        return result.output.decode("utf-8"), result.counts

    def explain(self, value: bytes) -> tuple[ScrubResult, list[tuple[str, list[Finding]]]]:
        """The result plus, per scanned string (named by its field), the resolved findings.

        A field name that is itself masked (a secret used as a JSON key) is shown masked.
        """
        job = Job(raw=value)
        self._cheap_layers(job)
        self._ner_layer([job])
        names = {s.text: masked_segment(Job(b""), s, self._masker)
                 for s in job.segments if s.is_key and s.findings}
        spans = []
        for s in job.segments:
            if s.findings:
                label = names.get(s.field_name, s.field_name)
                if s.is_key:
                    label = f"key {names[s.text]!r} in {label!r}" if label else "key"
                spans.append((label, resolve(s.text, s.findings)))
        return self._finish(job), spans

    # -- steps --------------------------------------------------------------------------

    def _deadline(self) -> float:
        return _clock.now() + self._budget

    def _cheap_layers(self, job: Job) -> None:
        """Decode, collect the strings to scan, and run field names and pattern rules."""
        if len(job.raw) > self._settings.max_record_bytes:
            job.fallback = "oversized"
            return
        try:
            text = job.raw.decode("utf-8")
        except UnicodeDecodeError:
            job.fallback = "undecodable"
            return
        self._run_cheap(job, lambda: self._collect_and_scan(job, text, self._deadline()))

    def _run_cheap(self, job: Job, step: Callable[[], None]) -> None:
        """Run a detection step; a failure or an expired budget sets the fallback."""
        try:
            step()
        except BudgetExceeded:
            job.fallback = "budget"
        except RecursionError:
            job.fallback = "too_deep"
        except Exception as exc:  # fail closed on any detector bug; never log the record
            log.error("detector error (%s); record masked whole", where(exc))
            job.fallback = "detector_error"

    def _collect_and_scan(self, job: Job, text: str, deadline: float) -> None:
        job.format = detect_format(text)
        if job.format == "json":
            job.doc = decode_json(text)
            if job.doc is None:
                job.format = "text"
        if job.doc is None:
            job.segments.append(Segment(text, ""))
        else:
            job.segments = collect_json(job.doc, self._fields, self.tokens, deadline,
                                        job.embedded)
            self._scan_keys(job, deadline)
        self._scan([s for s in job.segments if s.scan and not s.is_key], deadline)

    def _scan_keys(self, job: Job, deadline: float) -> None:
        """Field-name pairs and pattern rules in each JSON key, cached per (key, parent)."""
        uncached = 0
        for seg in job.segments:
            if not seg.is_key:
                continue
            cache_key = (seg.text, seg.field_name)
            found = self._key_cache.get(cache_key)
            if found is None:
                uncached += 1
                if uncached % _KEY_CLOCK_EVERY == 0 and _clock.now() > deadline:
                    raise BudgetExceeded("record time budget exceeded")
                limit = _NO_DEADLINE if len(seg.text) <= _SHORT_KEY else deadline
                probe = Segment(seg.text, seg.field_name)
                self._scan([probe], limit)
                found = tuple(probe.findings)
                if len(self._key_cache) >= _KEY_CACHE_SIZE:
                    self._key_cache.clear()
                if len(seg.text) <= _SHORT_KEY:  # a long key is scanned each time, not kept
                    self._key_cache[cache_key] = found
            seg.findings = list(found)
            if not found:
                job.clean_keys.add(seg.text)

    def _scan(self, segments: list[Segment], deadline: float) -> None:
        scan_segments(segments, self._fields, self.patterns, deadline, self._prefilter)

    def _ner_layer(self, jobs: Sequence[Job]) -> None:
        """NER over the batch's strings still in play (:mod:`processor.ner_layer`)."""
        if self._ner is None:
            return
        checked, reached = ner_layer(self._ner, jobs, self._ner_budget, self._ner_operator)
        self.ner_checked += checked
        self.ner_records += reached

    def _finish(self, job: Job, shadow: Counts | None = None) -> ScrubResult:
        """Splice the masks in and encode the record in its own format."""
        if job.fallback is None:
            try:
                result = encode_job(job, self._masker, self._subject_field)
                if shadow:
                    result.shadow.update(shadow)
                return result
            except Exception as exc:
                log.error("masking error (%s); record masked whole", where(exc))
                job.fallback = "detector_error"
        return ScrubResult(fallback_output(job), job.format, job.counts, job.fallback)
