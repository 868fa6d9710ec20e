"""Conversion of confluent-kafka errors into logscrub's exception tree, at the boundary.

Messages name the operation and librdkafka's error code and text. librdkafka error
strings describe brokers, topics and protocol state, never record content.
"""

from __future__ import annotations

from confluent_kafka import KafkaError, KafkaException

from processor.errors import FatalStreamError, StreamError

__all__ = ["FENCED_CODES", "is_fatal", "kafka_error", "to_stream_error"]

#: Error codes that mean another producer with our transactional.id took over.
FENCED_CODES = frozenset(
    {KafkaError._FENCED, KafkaError.PRODUCER_FENCED, KafkaError.INVALID_PRODUCER_EPOCH}
)


def kafka_error(exc: KafkaException) -> KafkaError | None:
    """The KafkaError inside a KafkaException, if it carries one."""
    if exc.args and isinstance(exc.args[0], KafkaError):
        return exc.args[0]
    return None


def is_fatal(err: KafkaError | None) -> bool:
    """True for errors after which this client can never succeed again (fatal or fenced)."""
    return err is not None and (bool(err.fatal()) or err.code() in FENCED_CODES)


def to_stream_error(exc: KafkaException, operation: str) -> StreamError:
    """A StreamError (FatalStreamError when fatal or fenced) describing ``exc``."""
    err = kafka_error(exc)
    if err is None:
        return StreamError(f"{operation} failed: {type(exc).__name__}")
    detail = f"{operation} failed: {err.name()} ({err.code()}): {err.str()}"
    if is_fatal(err):
        return FatalStreamError(detail)
    return StreamError(detail)
