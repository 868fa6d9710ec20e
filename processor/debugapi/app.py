"""Builds the FastAPI application: routers, error handlers, the Guard middleware.

FastAPI (on Starlette and uvicorn) was chosen over bare Starlette for the OpenAPI
document generated from the handlers' type hints, query validation and reusable
dependencies (identity, context, services) that keep every handler's gate visible.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

import processor
from processor.debugapi import page, replays, reveal_route, routes
from processor.debugapi.audit_sink import AuditSink
from processor.debugapi.auth import Authenticator
from processor.debugapi.guard import Guard, RateLimiter
from processor.debugapi.metrics import DebugApiMetrics
from processor.debugapi.services import Services

__all__ = ["OPENAPI_PATH", "create_app"]

OPENAPI_PATH = "/api/v1/openapi.json"
_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 413: "body_too_large", 422: "invalid_request",
          429: "rate_limited"}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    """Fixed error codes only: nothing from the request is echoed back."""
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail.isidentifier() else None
    code = detail or _CODES.get(exc.status_code, "error")
    rec = getattr(request.state, "access", None)
    if rec is not None and exc.status_code >= 400:
        rec.decision = "allow" if exc.status_code == 404 and rec.decision == "allow" else "deny"
        rec.reason = rec.reason or code
    return JSONResponse({"error": code}, exc.status_code, headers=exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    """Names the invalid fields, never their values."""
    assert isinstance(exc, RequestValidationError)
    fields = sorted({".".join(str(p) for p in e.get("loc", ())) for e in exc.errors()})
    rec = getattr(request.state, "access", None)
    if rec is not None:
        rec.decision, rec.reason = "deny", "invalid_request"
    return JSONResponse({"error": "invalid_request", "fields": fields[:20]}, 422)


def create_app(
    services: Services,
    authenticator: Authenticator,
    sink: AuditSink,
    mask_text: Callable[[str], str] | None = None,
    metrics: DebugApiMetrics | None = None,
) -> FastAPI:
    """The application, ready for uvicorn (or a test client).

    ``mask_text`` scrubs caller-typed text (justification, path) before it is audited;
    ``metrics`` counts answers and audit write failures.
    """
    settings = services.settings.debug_api
    app = FastAPI(
        title="logscrub debug API",
        version=processor.__version__,
        description="Read-only workflow timelines from the clean topic. Every request is "
                    "authorised by Cedar policies and audited to "
                    f"{settings.audit_topic}.",
        openapi_url=OPENAPI_PATH,
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = services
    app.include_router(routes.router)
    app.include_router(reveal_route.router)
    app.include_router(replays.router)
    app.include_router(page.router)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST"], allow_headers=["Authorization",
                                                                 "X-Debug-Ticket",
                                                                 "X-Debug-Justification"])
    app.add_middleware(
        Guard,
        authenticator=authenticator,
        sink=sink,
        limiter=RateLimiter(settings.rate_limit_per_minute),
        max_body_bytes=settings.max_body_bytes,
        public={OPENAPI_PATH: "ViewApiSpec"},
        mask_text=mask_text,
        metrics=metrics,
    )

    return app
