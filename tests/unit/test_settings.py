"""The one settings object: YAML file, LOGSCRUB_* environment, overrides, redaction."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from pydantic import SecretStr

from processor.errors import ConfigError
from processor.settings import load_settings


def test_defaults_need_no_configuration() -> None:
    """With nothing set, the settings are valid."""
    s = load_settings(environ={})
    assert s.kafka.output == "logs.clean" and s.scrub.ner_enabled


def test_env_beats_file_and_overrides_beat_env(tmp_path: Path) -> None:
    """Precedence is overrides > environment > YAML file > defaults."""
    cfg = tmp_path / "c.yaml"
    cfg.write_text("kafka:\n  group_id: from-file\n  output: file-out\nworkers: 3\n")
    s = load_settings(cfg, {"workers": 5},
                      environ={"LOGSCRUB_KAFKA__GROUP_ID": "from-env", "LOGSCRUB_WORKERS": "4"})
    assert (s.kafka.group_id, s.kafka.output, s.workers) == ("from-env", "file-out", 5)


def test_client_properties_pass_through_from_env() -> None:
    """LOGSCRUB_KAFKA__CLIENT__SASL_PASSWORD becomes the librdkafka property sasl.password."""
    s = load_settings(environ={"LOGSCRUB_KAFKA__CLIENT__SASL_PASSWORD": "pw-123"})
    secret = s.kafka.client["sasl.password"]
    assert list(s.kafka.client) == ["sasl.password"] and isinstance(secret, SecretStr)
    assert secret.get_secret_value() == "pw-123"


def test_redacted_view_hides_secrets() -> None:
    """The printed configuration never shows the pseudonym key or client secrets."""
    s = load_settings(environ={"LOGSCRUB_SCRUB__PSEUDONYM_KEY": "k-secret-1",
                               "LOGSCRUB_KAFKA__CLIENT__SASL_PASSWORD": "pw-secret-2"})
    shown = json.dumps(s.redacted())
    assert "k-secret-1" not in shown and "pw-secret-2" not in shown
    assert "k-secret-1" not in repr(s)


def test_invalid_value_names_the_field() -> None:
    """An invalid setting raises ConfigError naming the field."""
    with pytest.raises(ConfigError, match=r"kafka\.batch_size"):
        load_settings(environ={"LOGSCRUB_KAFKA__BATCH_SIZE": "0"})


def test_unknown_field_is_rejected(tmp_path: Path) -> None:
    """A typo in the config file is an error, not silently ignored."""
    cfg = tmp_path / "c.yaml"
    cfg.write_text("scrub:\n  ner_enabeld: false\n")
    with pytest.raises(ConfigError, match="ner_enabeld"):
        load_settings(cfg, environ={})


def test_env_scalars_keep_their_text_and_lists_parse() -> None:
    """Numbers and booleans coerce where the field wants them; numeric ids stay strings."""
    s = load_settings(environ={"LOGSCRUB_KAFKA__GROUP_ID": "0123",
                               "LOGSCRUB_KAFKA__INSTANCE_ID": "1",
                               "LOGSCRUB_SCRUB__NER_ENABLED": "false",
                               "LOGSCRUB_KAFKA__INPUTS": "[a.raw, b.raw]",
                               "LOGSCRUB_SCRUB__PSEUDONYM_KEY": "00042"})
    assert s.kafka.group_id == "0123" and s.kafka.instance_id == "1"
    assert s.scrub.ner_enabled is False and s.kafka.inputs == ("a.raw", "b.raw")
    assert s.scrub.pseudonym_key is not None
    assert s.scrub.pseudonym_key.get_secret_value() == "00042"


def test_operator_override_from_env_keeps_the_entity_case() -> None:
    """LOGSCRUB_SCRUB__OPERATORS__EMAIL__OPERATOR lands under EMAIL; other parts stay lower."""
    s = load_settings(environ={"LOGSCRUB_SCRUB__OPERATORS__EMAIL__OPERATOR": "partial",
                               "LOGSCRUB_SCRUB__OPERATORS__CREDIT_CARD__KEEP_LAST": "2",
                               "LOGSCRUB_SCRUB__OPERATORS__CREDIT_CARD__OPERATOR": "partial"})
    assert set(s.scrub.operators) == {"EMAIL", "CREDIT_CARD"}
    assert s.scrub.operators["EMAIL"].operator == "partial"
    assert s.scrub.operators["CREDIT_CARD"].keep_last == 2


def test_operator_names_are_the_rules_operator_names() -> None:
    """An override accepts exactly the operators a rule can name (one definition)."""
    from processor.rules import schema
    from processor.settings import OperatorOverride

    assert OperatorOverride.model_fields["operator"].annotation is schema.OperatorName


_CLIENT_SECRETS = {
    "sasl.password": "pw-value-111",
    "ssl.key.password": "pw-value-222",
    "sasl.oauthbearer.client.secret": "pw-value-333",
    "sasl.jaas.config": "pw-value-444",
    "ssl.key.pem": "pw-value-555",
    "sasl.oauthbearer.token.endpoint.url": "pw-value-666",
}


def test_client_secrets_never_appear_in_repr_str_or_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Any client property naming a password, secret, key or token is hidden in every view."""
    env = {f"LOGSCRUB_KAFKA__CLIENT__{k.upper().replace('.', '_')}": v
           for k, v in _CLIENT_SECRETS.items()}
    env["LOGSCRUB_KAFKA__CLIENT__SECURITY_PROTOCOL"] = "SASL_SSL"
    s = load_settings(environ=env)
    caplog.set_level(logging.DEBUG)
    logging.getLogger("test").info("settings: %s %r", s, s.kafka)
    views = [repr(s), str(s), repr(s.kafka), f"{s.kafka.client}", caplog.text,
             json.dumps(s.redacted()), s.model_dump_json()]
    for view in views:
        for value in _CLIENT_SECRETS.values():
            assert value not in view
    assert s.kafka.client["security.protocol"] == "SASL_SSL"  # not a secret: shown as is
    assert "SASL_SSL" in json.dumps(s.redacted())


def test_client_secrets_reach_the_librdkafka_config_unwrapped() -> None:
    """Hiding a secret from views must not hide it from the Kafka client that needs it."""
    from processor.stream.config import consumer_config, producer_config

    s = load_settings(environ={"LOGSCRUB_KAFKA__CLIENT__SASL_PASSWORD": "pw-123"})
    assert producer_config(s.kafka, 0)["sasl.password"] == "pw-123"
    assert consumer_config(s.kafka, 0)["sasl.password"] == "pw-123"


def test_invalid_client_secret_is_not_quoted_in_the_error(tmp_path: Path) -> None:
    """A client secret that fails validation is named, never shown, in the error."""
    cfg = tmp_path / "c.yaml"
    cfg.write_text("kafka:\n  client:\n    sasl.password: [pw-value-777]\n")
    with pytest.raises(ConfigError, match=r"sasl\.password") as caught:
        load_settings(cfg, environ={})
    assert "pw-value-777" not in str(caught.value)
