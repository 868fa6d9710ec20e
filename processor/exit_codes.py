"""The process exit codes of every logscrub command and worker, defined once.

- 0 ``OK``: done, or stopped cleanly;
- 1 ``FAILED``: a check failed (lint problems, failing examples) or the stream failed
  (a fatal or fenced Kafka error, retries exhausted): Kubernetes restarts the pod;
- 2 ``INVALID``: invalid settings or rule set: the program refuses to start;
- 3 ``HUNG``: a worker ended itself because a Kafka call hung; the supervisor starts it
  again (never the exit code of the ``logscrub`` command itself);
- 130 ``INTERRUPTED``: Ctrl-C in an interactive command.

:func:`exit_code_for` maps the exception tree of :mod:`processor.errors` onto them.
"""

from __future__ import annotations

from enum import IntEnum

from processor.errors import ConfigError, RuleError, RuleSetError

__all__ = ["INVALID_SETUP_ERRORS", "ExitCode", "exit_code_for"]


class ExitCode(IntEnum):
    """What a logscrub process tells its caller (a shell, CI, Kubernetes, the supervisor)."""

    OK = 0
    FAILED = 1
    INVALID = 2
    HUNG = 3
    INTERRUPTED = 130


#: The errors after which a process refuses to start rather than fails.
INVALID_SETUP_ERRORS: tuple[type[Exception], ...] = (ConfigError, RuleError, RuleSetError)


def exit_code_for(exc: BaseException) -> ExitCode:
    """The exit code for an error that ends a command or a worker.

    Invalid settings or rules give ``INVALID`` and Ctrl-C ``INTERRUPTED``. Anything else,
    including errors that are not logscrub's own, gives ``FAILED``: an unknown failure
    must never look like success.
    """
    if isinstance(exc, INVALID_SETUP_ERRORS):
        return ExitCode.INVALID
    if isinstance(exc, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    return ExitCode.FAILED
