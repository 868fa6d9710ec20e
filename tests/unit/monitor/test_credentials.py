"""kafka.client security properties become faust credentials, or the monitor refuses."""

from __future__ import annotations

import faust
import pytest

from processor.errors import ConfigError
from processor.monitor.credentials import faust_credentials
from processor.settings import KafkaSettings


def test_credentials__plaintext_by_default() -> None:
    """No security properties: no credentials (plaintext), tuning properties ignored."""
    assert faust_credentials(KafkaSettings(client={"session.timeout.ms": "6000"})) is None


def test_credentials__sasl_ssl_scram() -> None:
    """SASL_SSL with SCRAM gives SASL credentials over TLS with hostname checks."""
    creds = faust_credentials(KafkaSettings(client={
        "security.protocol": "SASL_SSL", "sasl.mechanism": "SCRAM-SHA-512",
        "sasl.username": "monitor", "sasl.password": "s3cret-pw"}))  # fmt: skip
    assert isinstance(creds, faust.SASLCredentials)
    assert creds.username == "monitor" and creds.password == "s3cret-pw"
    assert creds.ssl_context is not None and creds.ssl_context.check_hostname
    assert "s3cret-pw" not in repr(creds)


def test_credentials__unsupported_security_property__refused_without_its_value() -> None:
    """An ssl./sasl. property the monitor cannot apply refuses to start, naming only the key."""
    with pytest.raises(ConfigError) as info:
        faust_credentials(KafkaSettings(client={"security.protocol": "SASL_SSL",
                                                "sasl.oauthbearer.config": "secret=abc123"}))
    assert "sasl.oauthbearer.config" in str(info.value) and "abc123" not in str(info.value)


def test_credentials__unknown_mechanism_or_missing_ca_file__refused() -> None:
    """GSSAPI and an unreadable CA file are configuration errors, not silent plaintext."""
    with pytest.raises(ConfigError):
        faust_credentials(KafkaSettings(client={"security.protocol": "SASL_PLAINTEXT",
                                                "sasl.mechanism": "GSSAPI"}))
    with pytest.raises(ConfigError):
        faust_credentials(KafkaSettings(client={"security.protocol": "SSL",
                                                "ssl.ca.location": "/nonexistent/ca.pem"}))
