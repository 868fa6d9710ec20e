"""Held-out labelled corpus: other sources, shapes and phrasings than ``bench.corpus``.

None of the rules was written against these templates. People, addresses, phones,
cards, IBANs and emails come from the Faker package in many locales; provider tokens
follow the providers' public formats; lines are CSV rows, SQL ``VALUES``, XML, YAML,
dict reprs, shell commands, connection strings, JSON and free text. Tune rules on the
first corpus, never on this one's individual failures.

CLI::

    python -m bench.holdout --n 3000 --out holdout.log [--labels holdout.labels.jsonl]
"""

from __future__ import annotations

import random
import urllib.parse
from collections.abc import Callable, Sequence
from typing import Any

from bench._drawing import RecordBuilder, corpus_cli, draw
from bench._holdout_values import TOKEN_KINDS, HoldoutValues
from bench.corpus import LabelledRecord

__all__ = ["generate", "main"]

_CLEAN_SHARE = 0.35


class _B(RecordBuilder):
    """The held-out corpus's builder: its values and lookalikes."""

    def __init__(self, rng: random.Random, clean: bool) -> None:
        super().__init__(rng, clean)
        self.v = HoldoutValues(rng)

    def look(self) -> str:
        kind, value = self.v.lookalike()
        self.lookalikes.append((kind, value))
        return value


def _ts(b: _B) -> str:
    return f"2026-11-{b.r.randint(1, 28):02d}T{b.r.randint(0, 23):02d}:{b.r.randint(0, 59):02d}:" \
           f"{b.r.randint(0, 59):02d}Z"


def _order(b: _B) -> str:
    return f"ORD-{b.r.randint(2020, 2026)}-{b.r.randint(100000, 999999)}"


# -- people -------------------------------------------------------------------------------
_PERSON_PHRASES = (
    "Shipping label printed for {}", "Refund approved by {}", "Document check passed for {}",
    "Parcel handed over to {} at the front desk", "Dear {}, your order has shipped",
    "Invoice issued to {}", "Password reset requested by {}", "Ticket escalated to {}",
    "Contract signed by {}", "Appointment booked for {} tomorrow",
    "KYC review completed for {}", "Welcome email queued for {}",
    "Loyalty points credited to {}", "Return authorised for {} after inspection",
)


def _person_text(b: _B) -> str:
    name = b.s("PERSON", b.v.person(), "the warehouse team")
    return f"{_ts(b)} INFO {b.pick(_PERSON_PHRASES).format(name)} trace={b.look()}"


def _person_csv(b: _B) -> str:
    name = b.s("PERSON", b.v.person(), "guest")
    email = b.s("EMAIL", b.v.email(), "none")
    return f"{_ts(b)},{_order(b)},{name},{email},{b.r.randint(5, 900)}.{b.r.randint(0, 99):02d}," \
           f"EUR,{b.look()}"


def _person_sql(b: _B) -> str:
    name = b.s("PERSON", b.v.person(), "anonymous")
    number, intl = b.v.phone()
    while not intl:
        number, intl = b.v.phone()
    phone = b.s("PHONE_NUMBER", number, "n/a")
    # a log line that quotes a statement, not a query this code runs
    cols = "(customer, phone, ref, created_at)"
    vals = f"('{name}', '{phone}', '{b.look()}', '{_ts(b)}')"
    return "INSERT INTO orders " + cols + " VALUES " + vals + ";"  # noqa: S608 - a logged statement, never run


def _person_xml(b: _B) -> str:
    name = b.s("PERSON", b.v.person(), "unknown")
    return f"<delivery id=\"{b.look()}\"><addressee>{name}</addressee><status>OUT</status>" \
           f"</delivery>"


def _person_yaml(b: _B) -> str:
    name = b.s("PERSON", b.v.person(), "nobody")
    return f"reviewer: {name}  # build {b.look()}"


def _person_dict(b: _B) -> str:
    name = b.s("PERSON", b.v.person(), "system")
    return f"audit event {{'approver': '{name}', 'action': 'refund', 'ref': '{b.look()}'}}"


def _person_json(b: _B) -> dict[str, Any]:
    name = b.s("PERSON", b.v.person(), "the night shift")
    return {"ts": _ts(b), "level": "info", "msg": b.pick(_PERSON_PHRASES).format(name),
            "request_id": b.look()}


# -- addresses ----------------------------------------------------------------------------
def _address_text(b: _B) -> str:
    name = b.s("PERSON", b.v.person(), "the depot")
    addr = b.s("STREET_ADDRESS", b.v.address(), "the main depot")
    return f"Shipping label printed for {name}, {addr} (job {b.look()})"


def _address_json(b: _B) -> dict[str, Any]:
    addr = b.s("STREET_ADDRESS", b.v.address(), "hub")
    return {"event": "courier_dispatched", "note": f"courier dispatched to {addr}",
            "span": b.look()}


def _address_csv(b: _B) -> str:
    addr = b.s("STREET_ADDRESS", b.v.address(), "pickup point")
    return f"{_order(b)},\"{addr}\",{_ts(b)},{b.look()}"


# -- phones, emails, cards, IBANs ---------------------------------------------------------
def _phone_text(b: _B) -> str:
    number, intl = b.v.phone()
    num = b.s("PHONE_NUMBER", number, "unavailable")
    if intl and b.r.random() < 0.5:
        return f"callback {num} requested for ticket {b.look()}"
    return f"{b.pick(('Phone:', 'tel', 'mobile=', 'SMS sent to', 'call'))} {num} ({b.look()})"


def _email_text(b: _B) -> str:
    email = b.s("EMAIL", b.v.email(), "nobody")
    return f"Newsletter bounced for {email}; campaign {b.look()}"


def _card_text(b: _B) -> str:
    card = b.s("CREDIT_CARD", b.v.card(), "on file")
    return b.pick(("payment with card {} declined, ref {}", "charged {} ok ({})",
                   "tokenising {} for {}")).format(card, b.look())


def _card_json(b: _B) -> dict[str, Any]:
    card = b.s("CREDIT_CARD", b.v.card(), "n/a")
    return {"msg": f"retrying capture on {card}", "attempt": b.r.randint(1, 4), "id": b.look()}


def _iban_text(b: _B) -> str:
    iban = b.s("IBAN", b.v.iban(), "the default account")
    return f"SEPA payout to {iban} queued, batch {b.look()}"


# -- provider tokens ----------------------------------------------------------------------
_TOKEN_WRAPPERS: dict[str, Callable[[str], str]] = {
    "DATADOG": lambda t: f"datadog api key {t} rejected by intake",
    "AZURE_SAS": lambda t: "GET https://acct1.blob.core.windows.net/exports/file.csv?sv=2022-11-02"
                           f"&ss=b&srt=o&sp=r&se=2026-12-01T00:00:00Z&sig={t} 403",
    "AZURE_CONN": lambda t: "DefaultEndpointsProtocol=https;AccountName=acct1;"
                            f"AccountKey={t};EndpointSuffix=core.windows.net",
    "NPMRC": lambda t: f"//npm.example.com/:_authToken={t}",
    "TELEGRAM": lambda t: f"POST https://api.telegram.org/bot{t}/sendMessage 200",
    "AZURE_AD": lambda t: f"azure ad app registration secret {t} expires in 30 days",
}


def _token_text(b: _B) -> str:
    kind = b.pick(TOKEN_KINDS)
    tok = b.s(f"TOKEN_{kind}", b.v.token(kind), "none")
    if b.clean:
        return f"token rotation finished for {b.look()}"
    wrap = _TOKEN_WRAPPERS.get(kind)
    if wrap is not None:
        return wrap(tok)
    return b.pick(("loaded credential {} from env", "client init with {}",
                   "key {} revoked by admin", "upstream rejected {} (401)")).format(tok)


def _token_json(b: _B) -> dict[str, Any]:
    kind = b.pick(tuple(k for k in TOKEN_KINDS if k not in _TOKEN_WRAPPERS))
    tok = b.s(f"TOKEN_{kind}", b.v.token(kind), "none")
    return {"level": "warn", "msg": f"rejected credential {tok}", "trace": b.look()}


# -- credentials in commands and connection strings ---------------------------------------
_COMMANDS = (
    "curl -u deploy:{pw} https://api.example.com/v1/sync",
    "mysqldump --password={pw} --single-transaction shop",
    "mysql -h db -u root -p'{pw}' shop",
    "backup-tool --user admin --password {pw} --target s3",
    "PGPASSWORD={pw} psql -h db -U app orders",
    "MYSQL_PWD={pw} mysql -h db -u app",
    "mongodb+srv://svc_user:{pw}@cluster0.ab1cd.example.net/app",
    "redis://:{pw}@cache.internal:6379/0",
    "jdbc:sqlserver://db:1433;databaseName=app;user=sa;password={pw};encrypt=true",
    "Driver={{ODBC Driver 18}};Server=db;Uid=app;Pwd={pw};",
)


def _command_text(b: _B) -> str:
    pw = b.v.password()
    cmd = b.pick(_COMMANDS)
    if b.r.random() < 0.15:
        pw = urllib.parse.quote(pw + "@:/", safe="")
        cmd = "postgres://app:{pw}@db.internal:5432/orders"
    value = b.s("PASSWORD", pw, "${DB_PASSWORD}")
    return f"exec: {cmd.format(pw=value)} (step {b.look()})"


def _clean_text(b: _B) -> str:
    return b.pick(("Job {} handled by {} in {}", "artifact {} built with {} after {}",
                   "migration {} applied via {} at {}")).format(b.look(), b.look(), b.look())


_TEMPLATES: tuple[tuple[str, Callable[[_B], Any], float], ...] = (
    ("text", _person_text, 4), ("text", _person_csv, 2), ("text", _person_sql, 2),
    ("text", _person_xml, 1), ("text", _person_yaml, 1), ("text", _person_dict, 1),
    ("json", _person_json, 2), ("text", _address_text, 2), ("json", _address_json, 1),
    ("text", _address_csv, 1), ("text", _phone_text, 3), ("text", _email_text, 1),
    ("text", _card_text, 2), ("json", _card_json, 1), ("text", _iban_text, 1),
    ("text", _token_text, 6), ("json", _token_json, 2), ("text", _command_text, 4),
    ("text", _clean_text, 2),
)


def generate(n: int, seed: int = 11) -> list[LabelledRecord]:
    """``n`` held-out records; the same ``(n, seed)`` always gives the same records."""
    return [draw(_TEMPLATES, random.Random(f"logscrub-holdout:{seed}:{i}"), _CLEAN_SHARE, _B)
            for i in range(n)]


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point: write the held-out corpus and its labels."""
    return corpus_cli("python -m bench.holdout", generate, 3000, 11, argv)


if __name__ == "__main__":
    raise SystemExit(main())

