"""Who is asking: OIDC bearer JWTs checked against a JWKS, or explicit local-dev tokens.

Every failure raises :class:`AuthError` with a fixed reason code; the token itself is
never logged, echoed or put in an exception.
"""

from __future__ import annotations

import hmac
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jwt

from processor.errors import AuthError, ConfigError
from processor.settings import DebugApiAuthSettings

__all__ = ["Authenticator", "Identity", "roles_from_claims"]

_MAX_TOKEN = 8192
_MAX_GROUPS = 64


@dataclass(frozen=True, slots=True)
class Identity:
    """An authenticated actor: the ``sub`` claim and its groups."""

    sub: str
    groups: tuple[str, ...]
    method: Literal["oidc", "static"]


def roles_from_claims(claims: dict[str, Any], claim: str) -> tuple[str, ...]:
    """The groups under ``claim`` (a dotted path such as ``realm_access.roles``)."""
    node: Any = claims
    for part in claim.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, str):
        node = [node]
    if not isinstance(node, list):
        return ()
    return tuple(str(g)[:200] for g in node if isinstance(g, str) and g)[:_MAX_GROUPS]


class Authenticator:
    """Turns an ``Authorization`` header into an :class:`Identity`, or raises AuthError."""

    def __init__(self, settings: DebugApiAuthSettings) -> None:
        self.settings = settings
        self.local_dev = settings.mode == "local-dev"
        self._lock = threading.Lock()
        self._jwks: jwt.PyJWKSet | None = None
        self._jwks_mtime = 0.0
        self._client: jwt.PyJWKClient | None = None
        if self.local_dev:
            if not settings.static_tokens:
                raise ConfigError("debug_api.auth.mode is local-dev but no static_tokens are set")
            return
        if settings.jwks_file is None and settings.jwks_url is None:
            raise ConfigError("debug_api.auth needs jwks_file or jwks_url in oidc mode")
        if not settings.issuer or not settings.audience:
            raise ConfigError("debug_api.auth needs issuer and audience in oidc mode")
        if settings.jwks_file is not None:
            self._load_jwks_file(settings.jwks_file)
        else:
            self._client = jwt.PyJWKClient(str(settings.jwks_url), cache_keys=True, timeout=5)

    def _load_jwks_file(self, path: Path) -> jwt.PyJWKSet:
        """The key set in ``path``, re-read when the file changes (key rotation)."""
        try:
            mtime = path.stat().st_mtime
            with self._lock:
                if self._jwks is None or mtime != self._jwks_mtime:
                    self._jwks = jwt.PyJWKSet.from_dict(json.loads(path.read_text("utf-8")))
                    self._jwks_mtime = mtime
                return self._jwks
        except (OSError, ValueError, jwt.PyJWKSetError) as exc:
            if self._jwks is not None:
                return self._jwks  # keep serving with the last good key set
            raise ConfigError(f"cannot load JWKS file {path}: {type(exc).__name__}") from None

    def _signing_key(self, token: str) -> Any:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AuthError("malformed_token") from None
        if header.get("alg") not in self.settings.algorithms:
            raise AuthError("algorithm_not_allowed")
        kid = header.get("kid")
        try:
            if self._client is not None:
                return self._client.get_signing_key_from_jwt(token).key
            assert self.settings.jwks_file is not None
            keys = self._load_jwks_file(self.settings.jwks_file)
            if kid is None:
                raise AuthError("unknown_key")
            return keys[str(kid)].key
        except (KeyError, jwt.PyJWKClientError):
            raise AuthError("unknown_key") from None

    def authenticate(self, authorization: str | None) -> Identity:
        """The identity behind a ``Bearer`` header."""
        if not authorization:
            raise AuthError("missing_token")
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or len(token) > _MAX_TOKEN:
            raise AuthError("malformed_token")
        if self.local_dev:
            return self._static(token)
        key = self._signing_key(token)
        try:
            claims = jwt.decode(
                token, key, algorithms=list(self.settings.algorithms),
                audience=self.settings.audience, issuer=self.settings.issuer,
                leeway=self.settings.leeway_s,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise AuthError("token_expired") from None
        except jwt.PyJWTError:
            raise AuthError("invalid_token") from None
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub or len(sub) > 200:
            raise AuthError("invalid_subject")
        return Identity(sub, roles_from_claims(claims, self.settings.roles_claim), "oidc")

    def _static(self, token: str) -> Identity:
        match = None
        for entry in self.settings.static_tokens:
            # compare every entry, in constant time, so timing says nothing
            if hmac.compare_digest(entry.token.get_secret_value().encode(), token.encode()):
                match = entry
        if match is None:
            raise AuthError("invalid_token")
        return Identity(match.sub, tuple(match.groups), "static")
