"""The one exception tree of logscrub.

Messages never carry record content: they name files, rule ids, fields and
reason codes only. Library exceptions are converted at the boundary.
"""

from __future__ import annotations

__all__ = [
    "AccessEventError",
    "AuditError",
    "AuthError",
    "BudgetExceeded",
    "ConfigError",
    "DetectorError",
    "FatalStreamError",
    "FormatError",
    "KeyringError",
    "LogscrubError",
    "RuleError",
    "RuleSetError",
    "StoreError",
    "StreamError",
    "where",
]


class LogscrubError(Exception):
    """Base of every error logscrub raises on purpose."""


class ConfigError(LogscrubError):
    """The settings are invalid; the program refuses to start."""


class RuleError(LogscrubError):
    """One rule is invalid. Names the file, the rule id and the field."""

    def __init__(self, file: str, rule_id: str, field: str, problem: str) -> None:
        self.file = file
        self.rule_id = rule_id
        self.field = field
        self.problem = problem
        super().__init__(f"{file}: rule {rule_id!r}: field {field!r}: {problem}")


class RuleSetError(LogscrubError):
    """The rule set as a whole is invalid (duplicate ids, unreadable file, ...)."""


class DetectorError(LogscrubError):
    """A detector failed on a record; the pipeline falls back to full masking."""


class BudgetExceeded(DetectorError):
    """A record (or a batch, for NER) used up its time budget; it is masked whole."""


class FormatError(LogscrubError):
    """A record in an encoding such as OTLP or Avro cannot be decoded or rebuilt."""

    #: The quarantine reason when a scrubbed record cannot be rebuilt.
    reason = "detector_error"


class StreamError(LogscrubError):
    """A recoverable Kafka-side problem."""


class FatalStreamError(StreamError):
    """Fenced producer or fatal client error: the process must exit non-zero."""


class StoreError(LogscrubError):
    """The index store cannot be opened, read or written."""


class AuthError(LogscrubError):
    """A request carries no valid credentials. ``reason`` is a fixed code, never the token."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"authentication failed: {reason}")


class AuditError(LogscrubError):
    """An audit event could not be written in time; the request must fail closed."""


class KeyringError(LogscrubError):
    """The keyring cannot be read, written or unwrapped, or a key operation is refused.

    Messages name kids, files and reason codes, never key material.
    """


class AccessEventError(LogscrubError):
    """A debug-access event broke its contract; ``reason`` is a fixed code, never content."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"invalid debug-access event: {reason}")


def where(exc: BaseException) -> str:
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
