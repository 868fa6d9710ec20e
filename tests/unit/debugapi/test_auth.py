"""OIDC JWT verification against a JWKS file, and the local-dev static tokens."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from processor.debugapi.auth import Authenticator, roles_from_claims
from processor.errors import AuthError, ConfigError
from processor.settings import DebugApiAuthSettings

ISS, AUD = "https://idp.test/realms/ops", "logscrub-debug-api"


@pytest.fixture(scope="module")
def keys():
    """Two RSA keys: one published in the JWKS, one not."""
    return [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(2)]


@pytest.fixture
def oidc(tmp_path, keys):
    """An Authenticator on a JWKS file with the first key as kid k1."""
    jwk = json.loads(RSAAlgorithm.to_jwk(keys[0].public_key()))
    jwk.update(kid="k1", alg="RS256", use="sig")
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [jwk]}))
    return Authenticator(DebugApiAuthSettings(jwks_file=path, issuer=ISS, audience=AUD))


def token(key, kid="k1", alg="RS256", **claims):
    """A signed JWT with sensible defaults."""
    body = {"sub": "alice", "iss": ISS, "aud": AUD, "exp": int(time.time()) + 300,
            "groups": ["oncall-payments"], **claims}
    return jwt.encode(body, key, algorithm=alg, headers={"kid": kid})


def test_valid_token__sub_and_groups(oidc, keys):
    """A token signed by the published key gives its sub and groups."""
    ident = oidc.authenticate("Bearer " + token(keys[0]))
    assert (ident.sub, ident.groups, ident.method) == ("alice", ("oncall-payments",), "oidc")


@pytest.mark.parametrize(("make", "reason"), [
    (lambda k: token(k[0], exp=int(time.time()) - 600), "token_expired"),
    (lambda k: token(k[0], aud="someone-else"), "invalid_token"),
    (lambda k: token(k[0], iss="https://evil.test"), "invalid_token"),
    (lambda k: token(k[1]), "invalid_token"),
    (lambda k: token(k[1], kid="k9"), "unknown_key"),
    (lambda k: jwt.encode({"sub": "x"}, "secret-hmac-key-0123456789abcdef0123", "HS256",
                          headers={"kid": "k1"}), "algorithm_not_allowed"),
    (lambda k: "not-a-jwt", "malformed_token"),
])
def test_bad_tokens__401_reasons(oidc, keys, make, reason):
    """Expired, wrong audience/issuer/key/algorithm and garbage tokens are refused."""
    with pytest.raises(AuthError) as info:
        oidc.authenticate("Bearer " + make(keys))
    assert info.value.reason == reason
    assert "eyJ" not in str(info.value)


def test_missing_token__refused(oidc):
    """No header, or a non-bearer scheme, is refused."""
    for header in (None, "", "Basic abc"):
        with pytest.raises(AuthError):
            oidc.authenticate(header)


def test_oidc_mode__needs_keys_issuer_audience():
    """OIDC without a JWKS or without issuer/audience refuses to start."""
    with pytest.raises(ConfigError):
        Authenticator(DebugApiAuthSettings())


def test_local_dev__explicit_and_static(tmp_path):
    """Static tokens work only in local-dev mode, which needs tokens configured."""
    with pytest.raises(ConfigError):
        Authenticator(DebugApiAuthSettings(mode="local-dev"))
    auth = Authenticator(DebugApiAuthSettings(mode="local-dev", static_tokens=[
        {"token": "dev-token-0123456789", "sub": "dev", "groups": ["platform"]}]))
    assert auth.authenticate("Bearer dev-token-0123456789").groups == ("platform",)
    with pytest.raises(AuthError):
        auth.authenticate("Bearer dev-token-012345678X")


def test_roles_claim__dotted_path():
    """Roles can sit under a nested claim such as realm_access.roles."""
    claims = {"realm_access": {"roles": ["a", "b", 3]}, "groups": "solo"}
    assert roles_from_claims(claims, "realm_access.roles") == ("a", "b")
    assert roles_from_claims(claims, "groups") == ("solo",)
    assert roles_from_claims(claims, "missing") == ()


def test_jwks_url__keys_fetched_over_http(keys):
    """With jwks_url the key set is fetched from the identity provider (a local server)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    jwk = json.loads(RSAAlgorithm.to_jwk(keys[0].public_key()))
    jwk.update(kid="k1", alg="RS256", use="sig")
    body = json.dumps({"keys": [jwk]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/jwks"
        auth = Authenticator(DebugApiAuthSettings(jwks_url=url, issuer=ISS, audience=AUD))
        assert auth.authenticate("Bearer " + token(keys[0])).sub == "alice"
        with pytest.raises(AuthError):
            auth.authenticate("Bearer " + token(keys[1], kid="k2"))
    finally:
        server.shutdown()
        server.server_close()
