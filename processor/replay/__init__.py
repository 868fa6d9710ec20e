"""Replay and snapshots: re-scrub a raw topic's history into staging, and carry a run's
clean records to staging. Built on the stream's Kafka code (``processor.stream``)."""
