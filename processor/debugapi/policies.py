"""Authorisation with Cedar: deny by default, policies as files, grants compiled in.

Entities: ``Logscrub::User::"<sub>"`` in its ``Logscrub::Group``s; resources are
``Logscrub::Workflow`` (attributes service, namespace, workflow_type, workflow_id) or
``Logscrub::System::"debug-api"``. The policy set is validated against the schema at
start-up; the service refuses to start when it does not validate.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import cedarpy

from processor.debugapi.auth import Identity
from processor.debugapi.grants import GrantsSource, compile_grants
from processor.errors import ConfigError

__all__ = [
    "ACTIONS",
    "Decision",
    "PolicyEngine",
    "RequestContext",
    "WorkflowResource",
    "load_policy_text",
]

Action = Literal["ViewTimeline", "ViewRecords", "Explain", "ViewStatus", "Reveal", "Replay"]
ACTIONS: tuple[Action, ...] = (
    "ViewTimeline", "ViewRecords", "Explain", "ViewStatus", "Reveal", "Replay",
)
SYSTEM_ID = "debug-api"


@dataclass(frozen=True, slots=True)
class WorkflowResource:
    """The attributes a policy can test about a workflow run."""

    workflow_id: str
    run_id: str
    service: str = ""
    namespace: str = ""
    workflow_type: str = ""

    @property
    def uid(self) -> str:
        """``<workflow_id>/<run_id>``."""
        return f"{self.workflow_id}/{self.run_id}"


@dataclass(frozen=True, slots=True)
class RequestContext:
    """Request facts a policy can test: the ticket, the justification, the time."""

    ticket: str = ""
    justification: str = ""
    now_s: int = field(default_factory=lambda: int(time.time()))
    #: Reveal only: the entity type and kid of the token
    entity: str = ""
    kid: str = ""

    def as_cedar(self, action: str = "") -> dict[str, Any]:
        """The Cedar ``context`` record (``RevealContext`` for Reveal)."""
        out: dict[str, Any] = {
            "has_ticket": bool(self.ticket),
            "ticket": self.ticket,
            "has_justification": bool(self.justification),
            "now_s": self.now_s,
        }
        if action == "Reveal":
            out.update(entity=self.entity, kid=self.kid)
        return out


@dataclass(frozen=True, slots=True)
class Decision:
    """Allow or deny, and the ids of the policies that decided (empty: default deny)."""

    allowed: bool
    policy_ids: tuple[str, ...]

    @property
    def word(self) -> str:
        """``allow`` or ``deny``."""
        return "allow" if self.allowed else "deny"


def load_policy_text(policies_dir: Path) -> tuple[str, str]:
    """The concatenated ``*.cedar`` files and the ``*.cedarschema`` text of a directory."""
    cedar = sorted(policies_dir.glob("*.cedar"))
    schemas = sorted(policies_dir.glob("*.cedarschema"))
    if not cedar:
        raise ConfigError(f"no *.cedar policy files in {policies_dir}")
    if len(schemas) != 1:
        raise ConfigError(f"{policies_dir} must hold exactly one *.cedarschema file")
    try:
        text = "\n".join(p.read_text("utf-8") for p in cedar)
        return text, schemas[0].read_text("utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read policies in {policies_dir}: {type(exc).__name__}") from None


def validate(policies: str, schema: str) -> list[str]:
    """Validation errors of ``policies`` against ``schema`` (empty when valid)."""
    try:
        result = cedarpy.validate_policies(policies, schema)
    except Exception as exc:  # cedarpy raises plain exceptions on parse errors
        return [f"cannot parse: {type(exc).__name__}: {str(exc)[:300]}"]
    if result.validation_passed:
        return []
    return [str(e) for e in result.errors]


def _entities(identity: Identity, resource: WorkflowResource | None) -> list[dict[str, Any]]:
    groups = [{"type": "Logscrub::Group", "id": g} for g in identity.groups]
    out: list[dict[str, Any]] = [
        {"uid": {"type": "Logscrub::User", "id": identity.sub}, "attrs": {}, "parents": groups},
        *({"uid": g, "attrs": {}, "parents": []} for g in groups),
    ]
    if resource is None:
        out.append({"uid": {"type": "Logscrub::System", "id": SYSTEM_ID}, "attrs": {},
                    "parents": []})
    else:
        out.append({
            "uid": {"type": "Logscrub::Workflow", "id": resource.uid},
            "attrs": {"service": resource.service, "namespace": resource.namespace,
                      "workflow_type": resource.workflow_type,
                      "workflow_id": resource.workflow_id},
            "parents": [],
        })
    return out


class PolicyEngine:
    """Answers ``is_authorized(principal, action, resource)`` with Cedar."""

    def __init__(self, policies_dir: Path, grants: GrantsSource | None = None) -> None:
        self._base, schema_text = load_policy_text(policies_dir)
        self._schema_text = schema_text
        self._schema = cedarpy.Schema.from_str(schema_text)
        self._grants = grants or GrantsSource(None)
        self._lock = threading.Lock()
        self._policy_version = -1
        self._policies = self._compile()  # raises ConfigError when invalid

    def _compile(self) -> cedarpy.PolicySet:
        grants, version = self._grants.current()
        text = self._base + "\n" + compile_grants(grants)
        problems = validate(text, self._schema_text)
        if problems:
            raise ConfigError("policies do not validate: " + "; ".join(problems[:5]))
        self._policy_version = version
        return cedarpy.PolicySet.from_str(text)

    def _current(self) -> cedarpy.PolicySet:
        _grants, version = self._grants.current()
        with self._lock:
            if version != self._policy_version:
                try:
                    self._policies = self._compile()
                except ConfigError:
                    # grants that do not validate are dropped: the base policies stay
                    self._policies = cedarpy.PolicySet.from_str(self._base)
                    self._policy_version = version
            return self._policies

    def decide(
        self,
        identity: Identity,
        action: Action,
        resource: WorkflowResource | None,
        context: RequestContext,
    ) -> Decision:
        """Allow or deny one request; anything unexpected denies."""
        return self.decide_many(identity, action, [resource], context)[0]

    def decide_many(
        self,
        identity: Identity,
        action: Action,
        resources: list[WorkflowResource | None],
        context: RequestContext,
    ) -> list[Decision]:
        """One decision per resource (a page of runs or records)."""
        if not resources:
            return []
        policies = self._current()
        out = []
        for resource in resources:
            request = {
                "principal": {"type": "Logscrub::User", "id": identity.sub},
                "action": {"type": "Logscrub::Action", "id": action},
                "resource": (
                    {"type": "Logscrub::System", "id": SYSTEM_ID} if resource is None
                    else {"type": "Logscrub::Workflow", "id": resource.uid}
                ),
                "context": context.as_cedar(action),
            }
            try:
                result = cedarpy.is_authorized(request, policies, _entities(identity, resource),
                                               self._schema)
            except Exception:  # fail closed on any engine error
                out.append(Decision(False, ("engine-error",)))
                continue
            names = result.diagnostics.id_annotations_by_reason
            ids = tuple(sorted(names.get(r, r) for r in result.diagnostics.reasons))
            if result.diagnostics.errors:
                out.append(Decision(False, ids or ("evaluation-error",)))
            else:
                out.append(Decision(result.allowed, ids))
        return out
