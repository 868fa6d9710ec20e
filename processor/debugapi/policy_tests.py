"""``logscrub policies validate`` and ``logscrub policies test``.

Policy tests are data: ``tests/ALLOW/*.json`` and ``tests/DENY/*.json`` in the policies
directory, each one request (principal and groups, action, resource, context, optional
inline grants) checked against the folder it sits in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from processor.debugapi.auth import Identity
from processor.debugapi.grants import Grant, GrantsSource
from processor.debugapi.policies import (
    Action,
    PolicyEngine,
    RequestContext,
    WorkflowResource,
    load_policy_text,
    validate,
)
from processor.errors import ConfigError

__all__ = ["TestOutcome", "run_policy_tests", "validate_dir"]


class _Principal(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)
    groups: tuple[str, ...] = ()


class _Resource(BaseModel):
    model_config = ConfigDict(extra="forbid")
    workflow_id: str
    run_id: str = "run-1"
    service: str = ""
    namespace: str = ""
    workflow_type: str = ""


class _Context(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ticket: str = ""
    justification: str = ""
    now: datetime | None = None
    entity: str = ""
    kid: str = ""


class PolicyTest(BaseModel):
    """One example request and, by its folder, its expected decision."""

    model_config = ConfigDict(extra="forbid")
    description: str = Field(min_length=1)
    principal: _Principal
    action: Action
    resource: _Resource | None = None  # None: the System resource
    context: _Context = _Context()
    grants: tuple[Grant, ...] = ()


@dataclass(frozen=True)
class TestOutcome:
    """One test file's result."""

    file: str
    expected: str
    actual: str
    policy_ids: tuple[str, ...]
    description: str

    @property
    def passed(self) -> bool:
        """True when the decision matches the folder."""
        return self.expected == self.actual


def validate_dir(policies_dir: Path) -> list[str]:
    """Validation problems of the directory's policies against its schema."""
    text, schema = load_policy_text(policies_dir)
    return validate(text, schema)


def _load(path: Path) -> PolicyTest:
    try:
        data: Any = json.loads(path.read_text("utf-8"))
        return PolicyTest.model_validate(data)
    except (OSError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            where = "; ".join(".".join(str(p) for p in e["loc"]) + f": {e['msg']}"
                              for e in exc.errors())
            raise ConfigError(f"{path}: {where}") from None
        raise ConfigError(f"{path}: {type(exc).__name__}") from None


def run_policy_tests(policies_dir: Path) -> list[TestOutcome]:
    """Every ALLOW/DENY example's outcome; ConfigError when a file is invalid."""
    outcomes = []
    for expected in ("ALLOW", "DENY"):
        for path in sorted((policies_dir / "tests" / expected).glob("*.json")):
            test = _load(path)
            engine = PolicyEngine(policies_dir, GrantsSource.fixed(test.grants))
            identity = Identity(test.principal.id, test.principal.groups, "static")
            resource = (WorkflowResource(**test.resource.model_dump())
                        if test.resource is not None else None)
            ctx = test.context
            context = (RequestContext(ctx.ticket, ctx.justification, int(ctx.now.timestamp()),
                                      ctx.entity, ctx.kid)
                       if ctx.now is not None else
                       RequestContext(ctx.ticket, ctx.justification, entity=ctx.entity,
                                      kid=ctx.kid))
            decision = engine.decide(identity, test.action, resource, context)
            outcomes.append(TestOutcome(
                f"{expected}/{path.name}", expected, "ALLOW" if decision.allowed else "DENY",
                decision.policy_ids, test.description,
            ))
    return outcomes
