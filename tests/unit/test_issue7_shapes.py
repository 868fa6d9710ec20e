"""Shapes of issue 7 on the bundled rules: Kubernetes Secrets, names anywhere, postal
addresses of many countries, and lookalikes the lexicon must leave alone."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from processor.pipeline import Scrubber
from tests.conftest import BUNDLED_RULES


def _out(s: Scrubber, line: str) -> str:
    return s.scrub(line.encode()).output.decode()


def test_kubernetes_secret_data_is_masked_whole(scrubber: Scrubber) -> None:
    """Every value under data of a kind: Secret object is masked, whatever its key."""
    doc = {"kind": "Secret", "apiVersion": "v1", "metadata": {"name": "db"},
           "data": {"conn": "aHVudGVyMg==", "nested": {"tls.key": "c2VjcmV0LXZhbHVl"}}}
    out = json.loads(_out(scrubber, json.dumps(doc)))
    assert out["data"]["conn"] == "[MASKED-SECRET]"
    assert out["data"]["nested"]["tls.key"] == "[MASKED-SECRET]"
    assert out["metadata"] == {"name": "db"} and out["kind"] == "Secret"


@pytest.mark.parametrize("kind", ["ConfigMap", 7, None])
def test_data_elsewhere_is_not_a_secret(scrubber: Scrubber, kind: object) -> None:
    """data beside another kind (or none) keeps its values; the rule needs kind: Secret."""
    doc = {"kind": kind, "data": {"mode": "fast lane"}}
    assert json.loads(_out(scrubber, json.dumps(doc)))["data"] == {"mode": "fast lane"}


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("courier could not reach Kofi Boateng, retry in 1h", "Kofi Boateng"),
        ("Payment Received From Maria Garcia via card", "Maria Garcia"),
        ("label printed: Kyrkogatan 477, 551 14 Uppsala (job 4)", "Kyrkogatan 477, 551 14 Uppsala"),
        ("geo: 407 bis allée des Lilas, 4222 Leuven in 12ms",
         "407 bis allée des Lilas, 4222 Leuven"),
        ("ship to ul. Kwiatowa 5/7, 31-234 Kraków", "Kwiatowa 5/7, 31-234 Kraków"),
    ],
)
def test_names_and_addresses_without_cues(scrubber: Scrubber, line: str, secret: str) -> None:
    """A lexicon name or a postal address is masked with no cue word before it."""
    out = _out(scrubber, line)
    assert secret not in out
    assert not any(part in out for part in secret.split(", ") if len(part) >= 8)


@pytest.mark.parametrize(
    "line",
    [
        "Sun Dec 04 04:47:44 2005 kernel: Node Card status",
        "deployed to Red Hat OpenShift in 40s",
        "gc pause 32 ms 1369 Mb freed",
        "Fri, 07 Jul 2017 10:00:01 GMT request served",
    ],
)
def test_lookalikes_stay(scrubber: Scrubber, line: str) -> None:
    """Weekdays, products and units keep their text."""
    assert _out(scrubber, line) == line


def test_service_account_key_file_loses_both_key_fields(scrubber: Scrubber) -> None:
    """A GCP service-account key file: private_key and private_key_id are masked, the
    account's type and project stay readable."""
    doc = {"type": "service_account", "project_id": "shop-prod",
           "private_key_id": "7a1f3c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f13",
           "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n"
                          "-----END PRIVATE KEY-----\n"}
    out = json.loads(_out(scrubber, json.dumps(doc)))
    assert out["private_key_id"] == "[MASKED-SECRET]"
    assert "BEGIN PRIVATE KEY" not in out["private_key"]
    assert out["type"] == "service_account" and out["project_id"] == "shop-prod"


def test_a_version_field_holds_no_ip_address(scrubber: Scrubber) -> None:
    """A four-part version under a key ending in version or build stays (the IPv4 rule's
    not_in_fields); the same value under another key is an address and is masked."""
    doc = {"app_version": "1.2.3.4", "osBuild": "3.4.1.0", "peer": "10.1.2.3",
           "note": "1.2.3.4"}
    out = json.loads(_out(scrubber, json.dumps(doc)))
    assert out["app_version"] == "1.2.3.4" and out["osBuild"] == "3.4.1.0"
    assert out["peer"].startswith("[MASKED-IP_ADDRESS") and out["note"] != "1.2.3.4"
    assert _out(scrubber, "<version>1.2.3.4</version>") == "<version>1.2.3.4</version>"


def test_insert_values_are_masked_by_their_column(scrubber: Scrubber) -> None:
    """The bundled field names reach into INSERT statements: each value under a
    sensitive column is masked, in place, with the statement's quotes kept."""
    line = ("INSERT INTO users (id, username, password, first_name) "
            "VALUES (7, 'bob', 'Tr0ub4dor3', 'Kofi'), (8, 'eve', 'S3cond!pw', 'Ama');")
    out = scrubber.scrub(line.encode()).output.decode()
    assert not [s for s in ("Tr0ub4dor3", "S3cond!pw", "Kofi", "Ama") if s in out], out
    assert out.startswith(
        "INSERT INTO users (id, username, password, first_name) VALUES (7, 'bob', '")


def test_a_csv_export_in_a_json_string_loses_its_sensitive_columns(scrubber: Scrubber) -> None:
    """A header line, then rows, inside one JSON string: cells under the password and
    phone columns are masked, the others kept, and the JSON stays valid."""
    record = {"event": "export", "body": "user,phone,password,plan\nbob,+44 20 7946 0958,"
                                         "Tr0ub4dor3,pro\nann,,S3cret!x,free"}
    out = json.loads(_out(scrubber, json.dumps(record)))
    rows = out["body"].split("\n")
    assert rows[0] == "user,phone,password,plan"
    assert [r.split(",")[0] for r in rows[1:]] == ["bob", "ann"]
    assert [r.split(",")[3] for r in rows[1:]] == ["pro", "free"]
    assert "Tr0ub4dor3" not in out["body"] and "S3cret!x" not in out["body"]
    assert "7946" not in out["body"]


def test_scrubbing_a_scrubbed_table_or_insert_changes_nothing(
    scrubber_factory: Callable[..., Scrubber],
) -> None:
    """A pseudonym already written in a table cell or an INSERT value is left as it is,
    not pseudonymised again."""
    s = scrubber_factory(rules_dir=BUNDLED_RULES, pseudonym_key="unit-test-key")
    for line in ("user,email,password\\nbob,ann@example.com,Tr0ub4dor3",
                 "INSERT INTO u (email, password) VALUES ('ann@example.com', 'Tr0ub4dor3')"):
        once = s.scrub(line.encode()).output
        assert b"ann@example.com" not in once
        assert s.scrub(once).output == once
