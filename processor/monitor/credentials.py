"""Translate the librdkafka security properties of ``kafka.client`` for faust (aiokafka).

Supported: ``security.protocol`` PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL;
``sasl.mechanism`` PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 with ``sasl.username`` and
``sasl.password``; ``ssl.ca.location``, ``ssl.certificate.location``,
``ssl.key.location``, ``ssl.key.password`` and
``ssl.endpoint.identification.algorithm`` (``https`` or ``none``). Any other security
property (``sasl.*``, ``ssl.*``) refuses to start, naming the property and never its
value: the monitor never connects with less security than the settings ask for. Other
properties (timeouts, ...) tune librdkafka only and are ignored here.
"""

from __future__ import annotations

import ssl
from typing import Any

import faust
from faust.types.auth import CredentialsT

from processor.errors import ConfigError
from processor.monitor.client_props import plain_client_props
from processor.settings import KafkaSettings

__all__ = ["faust_credentials"]

_HANDLED = frozenset({
    "security.protocol", "sasl.mechanism", "sasl.mechanisms", "sasl.username",
    "sasl.password", "ssl.ca.location", "ssl.certificate.location", "ssl.key.location",
    "ssl.key.password", "ssl.endpoint.identification.algorithm",
})  # fmt: skip
_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")


def _ssl_context(props: dict[str, Any]) -> ssl.SSLContext:
    try:
        context = ssl.create_default_context(cafile=props.get("ssl.ca.location"))
        if props.get("ssl.certificate.location"):
            context.load_cert_chain(props["ssl.certificate.location"],
                                    props.get("ssl.key.location"),
                                    props.get("ssl.key.password"))  # fmt: skip
    except (OSError, ssl.SSLError) as exc:
        problem = type(exc).__name__
        raise ConfigError(f"kafka.client TLS files cannot be loaded: {problem}") from None
    check = str(props.get("ssl.endpoint.identification.algorithm", "https")).lower()
    if check not in ("https", "none"):
        raise ConfigError("kafka.client ssl.endpoint.identification.algorithm: https or none")
    context.check_hostname = check == "https"
    return context


def faust_credentials(kafka: KafkaSettings) -> CredentialsT | None:
    """faust's ``broker_credentials`` for ``kafka.client``, None for plaintext."""
    props = plain_client_props(kafka)
    unsupported = sorted(k for k in props if k.startswith(("sasl.", "ssl.")) and k not in _HANDLED)
    if unsupported:
        raise ConfigError(f"kafka.client properties the monitor cannot apply: {unsupported}")
    protocol = str(props.get("security.protocol", "PLAINTEXT")).upper()
    if protocol == "PLAINTEXT":
        return None
    if protocol == "SSL":
        return faust.SSLCredentials(_ssl_context(props))
    if protocol not in ("SASL_PLAINTEXT", "SASL_SSL"):
        raise ConfigError("kafka.client security.protocol: PLAINTEXT, SSL, SASL_PLAINTEXT "
                          "or SASL_SSL")  # fmt: skip
    mechanism = str(props.get("sasl.mechanism", props.get("sasl.mechanisms", "PLAIN"))).upper()
    if mechanism not in _MECHANISMS:
        raise ConfigError(f"kafka.client sasl.mechanism: one of {list(_MECHANISMS)}")
    return faust.SASLCredentials(
        username=props.get("sasl.username"),
        password=props.get("sasl.password"),
        mechanism=mechanism,
        ssl_context=_ssl_context(props) if protocol == "SASL_SSL" else None,
    )
