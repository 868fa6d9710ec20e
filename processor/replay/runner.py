"""One replay: read raw history, scrub it with a chosen rule set, write it to staging.

Each output record carries ``scrub.source`` (the original coordinates) and
``scrub.replay`` (the replay id). A record that cannot be scrubbed safely goes out fully
masked with its ``scrub.status``, as in the stream; no quarantine entry is written.
The CLI and the debug API both run replays through :func:`run_replay`.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from confluent_kafka import KafkaError, Message, Producer

from processor.errors import ConfigError, StreamError
from processor.formats.factory import build_format_scrubber
from processor.formats.router import FormatScrubber
from processor.pipeline import Scrubber
from processor.records import ScrubResult
from processor.settings import Settings
from processor.stream.batch import transform_batch
from processor.stream.config import producer_config
from processor.stream.headers import source_coordinates
from processor.stream.reload import validate_candidate

from .bounds import (
    PartitionRange,
    parse_offsets,
    parse_source,
    ranges_for_sources,
    ranges_for_times,
)
from .diff import DiffReport
from .guard import check_target
from .reader import open_reader, read_ranges
from .sources import run_records

__all__ = ["REPLAY_HEADER", "ReplayRequest", "ReplayState", "new_replay_id", "run_replay"]

log = logging.getLogger(__name__)

REPLAY_HEADER = "scrub.replay"
_FLUSH_S = 60.0


def new_replay_id() -> str:
    """A fresh replay id, ``rp-`` and 12 hex digits."""
    return f"rp-{uuid.uuid4().hex[:12]}"


@dataclass(frozen=True, slots=True)
class ReplayRequest:
    """What to replay (one kind of bounds), with which rules, to where."""

    output: str
    topic: str | None = None
    from_ms: int | None = None
    to_ms: int | None = None
    offsets: tuple[str, ...] = ()
    workflow_id: str | None = None
    run_id: str | None = None
    rules_dir: Path | None = None
    diff_against: Path | None = None
    replay_id: str = field(default_factory=new_replay_id)


@dataclass(slots=True)
class ReplayState:
    """Progress and outcome of one replay (polled by the API, drawn by the CLI)."""

    replay_id: str
    status: str = "pending"  # pending, running, done, failed
    total: int = 0
    done: int = 0
    written: int = 0
    fallbacks: int = 0
    ruleset: str = ""
    started_s: float = field(default_factory=time.time)
    ended_s: float | None = None
    error: str | None = None
    report: dict[str, Any] | None = None


class _BatchMemo:
    """The new scrubber, remembering one batch's results so the diff does not scrub twice."""

    def __init__(self, scrubber: FormatScrubber) -> None:
        self._scrubber = scrubber
        self.ruleset_version = scrubber.ruleset_version
        self._last: dict[bytes, ScrubResult] = {}

    def scrub_many(self, values: Sequence[bytes]) -> list[ScrubResult]:
        return self.scrub_many_from(values, [""] * len(values))

    def scrub_many_from(self, values: Sequence[bytes], topics: Sequence[str]
                        ) -> list[ScrubResult]:
        missing = dict(pair for pair in zip(values, topics, strict=True)
                       if pair[0] not in self._last)
        if missing:
            found = self._scrubber.scrub_many_from(list(missing), list(missing.values()))
            self._last.update(zip(missing, found, strict=True))
        return [self._last[v] for v in values]

    def scrub_field(self, name: str, text: str) -> tuple[str, Counter[tuple[str, str]]]:
        return self._scrubber.scrub_field(name, text)

    def forget(self) -> None:
        self._last = {}


def _check_request(settings: Settings, req: ReplayRequest) -> None:
    by_run = req.workflow_id is not None or req.run_id is not None
    by_topic = req.topic is not None
    if by_run == by_topic:
        raise ConfigError("give either --topic (with --from/--to or --offsets) or "
                          "--workflow-id and --run-id")
    if by_run and not (req.workflow_id and req.run_id):
        raise ConfigError("--workflow-id and --run-id go together")
    if req.offsets and (req.from_ms is not None or req.to_ms is not None):
        raise ConfigError("give --offsets or --from/--to, not both")
    check_target(settings, req.output)


def _plan(settings: Settings, req: ReplayRequest, consumer: Any
          ) -> tuple[list[PartitionRange], Callable[[Message], bool] | None, int]:
    """The ranges to read, a filter for the records inside them, and the expected count."""
    if req.topic is not None:
        if req.offsets:
            ranges = parse_offsets(req.topic, req.offsets)
        else:
            ranges = ranges_for_times(consumer, req.topic, req.from_ms, req.to_ms)
        return ranges, None, sum(r.size for r in ranges)
    assert req.workflow_id is not None and req.run_id is not None
    coords = {c for _ts, s in run_records(settings.index, req.workflow_id, req.run_id)
              if (c := parse_source(s)) is not None}

    def wanted(msg: Message) -> bool:
        return (msg.topic() or "", msg.partition() or 0, msg.offset() or 0) in coords

    return ranges_for_sources(coords), wanted, len(coords)


def _scrubbers(settings: Settings, req: ReplayRequest
               ) -> tuple[FormatScrubber, FormatScrubber | None]:
    """The format-aware scrubbers of the chosen rules and, for a diff, of the other rules."""
    scrub = settings.scrub
    if req.rules_dir is not None:
        scrub = scrub.model_copy(update={"rules_dir": req.rules_dir})
    new = Scrubber.from_settings(validate_candidate(scrub).scrub)
    wrapped = build_format_scrubber(new, settings.formats)
    if req.diff_against is None:
        return wrapped, None
    against = validate_candidate(scrub.model_copy(update={"rules_dir": req.diff_against}))
    old = new.with_rules(against.ruleset, against.scrub)
    return wrapped, build_format_scrubber(old, settings.formats)


def run_replay(settings: Settings, req: ReplayRequest, state: ReplayState,
               on_progress: Callable[[ReplayState], None] = lambda s: None) -> ReplayState:
    """Run the replay to its end, updating ``state``; raises LogscrubError on failure."""
    _check_request(settings, req)
    new, old = _scrubbers(settings, req)
    state.ruleset = new.ruleset_version
    report = None
    memo = _BatchMemo(new)
    if old is not None:
        report = DiffReport(memo, old, max_records=settings.replay.diff_max_records,
                            max_examples=settings.replay.diff_examples)
    consumer = open_reader(settings.kafka, "replay")
    producer_conf = producer_config(settings.kafka, 0)
    producer_conf.pop("transactional.id", None)
    producer_conf["client.id"] = f"logscrub-replay-{req.replay_id}"
    failures: list[KafkaError] = []
    producer = Producer(producer_conf)
    try:
        partitions = _partition_count(producer, req.output)
        ranges, wanted, state.total = _plan(settings, req, consumer)
        state.status = "running"
        on_progress(state)
        replay_header = (REPLAY_HEADER, req.replay_id.encode("ascii"))
        for messages in read_ranges(consumer, ranges, wanted):
            memo.forget()
            batch = transform_batch(messages, memo if report else new, output_topic=req.output,
                                    quarantine_topic="", output_partitions=partitions)
            for record in batch.records:
                if record.topic != req.output:
                    continue  # quarantine entries stay out of staging
                record.headers = [*(record.headers or []), replay_header]
                _produce(producer, record.topic, record.produce_kwargs(), failures)
            if report is not None:
                present = [m for m in messages if m.value() is not None]
                report.add([source_coordinates(m.topic() or "", m.partition() or 0,
                                               m.offset() or 0) for m in present],
                           [m.value() or b"" for m in present])
            state.done += len(messages)
            state.written += len(messages)
            state.fallbacks += sum(batch.quarantined.values())
            on_progress(state)
        if producer.flush(_FLUSH_S) or failures:
            raise StreamError(f"{len(failures) or 'some'} replayed records were not delivered")
    finally:
        consumer.close()
    if report is not None and old is not None:
        state.report = {"replay_id": req.replay_id,
                        **report.to_json(new.ruleset_version, old.ruleset_version)}
    state.status, state.ended_s = "done", time.time()
    on_progress(state)
    return state


def _partition_count(producer: Producer, topic: str) -> int:
    md = producer.list_topics(topic, timeout=15)
    tmd = md.topics.get(topic)
    if tmd is None or tmd.error is not None or not tmd.partitions:
        raise ConfigError(f"output topic {topic!r} does not exist; create the staging topic first")
    return len(tmd.partitions)


def _produce(producer: Producer, topic: str, kwargs: dict[str, Any],
             failures: list[KafkaError]) -> None:
    def delivered(err: KafkaError | None, _msg: Any) -> None:
        if err is not None:
            failures.append(err)

    while True:
        try:
            producer.produce(topic, on_delivery=delivered, **kwargs)
            break
        except BufferError:
            producer.poll(0.1)
    producer.poll(0)
