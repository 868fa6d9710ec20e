"""Time-bound grants with a ticket, read from ``debug_api.grants_file``, reloaded on change.

Each grant is compiled into one Cedar ``permit`` policy (``@id("grant:<id>")``) whose
condition holds the expiry (``context.now_s``), the ticket and the scope, so Cedar
itself decides: an expired grant, a wrong ticket or a resource outside the scope
simply does not permit, and deny-by-default applies.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from processor.errors import ConfigError

__all__ = ["Grant", "GrantsFile", "GrantsSource", "compile_grants"]

log = logging.getLogger(__name__)

# Safe inside a Cedar string literal: no quotes, backslashes or control characters.
_NAME = r"^[A-Za-z0-9@._:+/-]{1,200}$"


class GrantScope(BaseModel):
    """Which workflows a grant covers; every key given must match."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    service: str | None = Field(default=None, pattern=_NAME)
    namespace: str | None = Field(default=None, pattern=_NAME)
    workflow_type: str | None = Field(default=None, pattern=_NAME)
    workflow_id: str | None = Field(default=None, pattern=_NAME)


class Grant(BaseModel):
    """Temporary access for an actor or a group, with a ticket and an expiry."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")
    actor: str | None = Field(default=None, pattern=_NAME)
    group: str | None = Field(default=None, pattern=_NAME)
    actions: tuple[Literal["ViewTimeline", "ViewRecords", "Reveal"], ...] = Field(min_length=1)
    scope: GrantScope = GrantScope()
    ticket: str = Field(pattern=r"^[A-Za-z0-9._:/-]{1,64}$")
    expires_at: datetime
    reason: str = Field(default="", max_length=500)

    @model_validator(mode="after")
    def _one_subject(self) -> Grant:
        if (self.actor is None) == (self.group is None):
            raise ValueError("a grant names exactly one of actor or group")
        if self.expires_at.tzinfo is None:
            raise ValueError("expires_at needs a time zone (for example 2026-11-28T12:00:00Z)")
        return self


class GrantsFile(BaseModel):
    """The grants file: ``grants: [...]``."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    grants: tuple[Grant, ...] = ()


def compile_grants(grants: tuple[Grant, ...]) -> str:
    """Cedar policy text, one permit per grant."""
    out = []
    for g in grants:
        principal = (f'principal == Logscrub::User::"{g.actor}"' if g.actor is not None
                     else f'principal in Logscrub::Group::"{g.group}"')
        actions = ", ".join(f'Logscrub::Action::"{a}"' for a in g.actions)
        conditions = [f"context.now_s < {int(g.expires_at.timestamp())}",
                      f'context.ticket == "{g.ticket}"']
        for key, value in g.scope.model_dump().items():
            if value is not None:
                conditions.append(f'resource.{key} == "{value}"')
        out.append(
            f'@id("grant:{g.id}")\n'
            f"permit ({principal}, action in [{actions}], resource is Logscrub::Workflow)\n"
            f"when {{ {' && '.join(conditions)} }};\n"
        )
    return "\n".join(out)


def load_grants_file(path: Path) -> tuple[Grant, ...]:
    """The grants in ``path``; raises ConfigError naming the field."""
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        return GrantsFile.model_validate(data).grants
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read grants file {path}: {type(exc).__name__}") from None
    except ValidationError as exc:
        where = "; ".join(".".join(str(p) for p in e["loc"]) + f": {e['msg']}"
                          for e in exc.errors())
        raise ConfigError(f"invalid grants file {path}: {where}") from None


class GrantsSource:
    """The current grants, re-read when the file's modification time or size changes.

    Fail closed: a file that turns invalid or goes missing revokes every grant (and
    logs) until it is fixed, so a botched revocation never keeps access alive. A
    missing or invalid file at start-up refuses to start.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[float, int] | None = None
        self._grants: tuple[Grant, ...] = ()
        self.version = 0
        if path is not None:
            self._stamp = self._file_stamp()
            self._grants = load_grants_file(path)

    @classmethod
    def fixed(cls, grants: tuple[Grant, ...]) -> GrantsSource:
        """A source that always returns ``grants`` (policy tests)."""
        source = cls(None)
        source._grants = grants
        return source

    def _file_stamp(self) -> tuple[float, int]:
        assert self.path is not None
        try:
            st = self.path.stat()
        except OSError:
            raise ConfigError(f"grants file {self.path} is missing") from None
        return (st.st_mtime, st.st_size)

    def current(self) -> tuple[tuple[Grant, ...], int]:
        """The grants and a version number that changes on every reload."""
        if self.path is None:
            return self._grants, self.version
        with self._lock:
            try:
                stamp = self._file_stamp()
                if stamp != self._stamp:
                    self._grants = load_grants_file(self.path)
                    self._stamp = stamp
                    self.version += 1
                    log.info("grants reloaded: %d grant(s)", len(self._grants))
            except ConfigError as exc:
                if self._grants or self._stamp is not None:
                    self.version += 1
                self._grants, self._stamp = (), None
                log.error("grants revoked until the file is fixed: %s", exc)
            return self._grants, self.version
