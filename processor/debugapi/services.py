"""What the handlers use, built once at start-up and kept on ``app.state.services``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from processor.debugapi.policies import PolicyEngine
from processor.index.store import Store
from processor.settings import Settings

__all__ = ["Services", "Svc"]


@dataclass
class Services:
    """The store, the policy engine, the scrubber for explain and the status probe."""

    settings: Settings
    store: Store
    engine: PolicyEngine
    explain: Callable[[bytes], dict[str, Any]]
    status: Callable[[], dict[str, Any]]


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


Svc = Annotated[Services, Depends(_services)]
