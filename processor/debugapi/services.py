"""What the handlers use, built once at start-up and kept on ``app.state.services``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from processor.debugapi.policies import PolicyEngine
from processor.debugapi.reveal_budget import RevealBudget
from processor.index.store import Store
from processor.keys.reveal import Revealer
from processor.replay.manager import ReplayManager
from processor.settings import Settings

__all__ = ["Services", "Svc"]


@dataclass
class Services:
    """The store, the policy engine, the scrubber for explain, the status probe, reveal."""

    settings: Settings
    store: Store
    engine: PolicyEngine
    explain: Callable[[bytes], dict[str, Any]]
    status: Callable[[], dict[str, Any]]
    #: None when no keyring is configured: reveal answers 404
    revealer: Revealer | None = None
    reveal_budget: RevealBudget | None = None
    #: Replays started through the API (None: the endpoints answer 404).
    replays: ReplayManager | None = None


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


Svc = Annotated[Services, Depends(_services)]
