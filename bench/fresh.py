"""Fresh labelled corpus: written before this round changed any rule, and never tuned on.

The first corpus (``bench.corpus``) is the tuning set. The held-out corpus
(``bench.holdout``) came first in the previous round, but rule examples were later
written from its generator's output, so this corpus is the one whose figures answer
"data that none of the rules was written against". Its values come from other sources
(``bench._fresh_values``: mimesis, hand-written lists, libphonenumber), and its lines
use other phrasings and shapes: mail headers, audit sentences, CSV exports with quoted
cells, SQL UPDATEs, XML attributes, shell history, Kubernetes and Docker configs, JSON
inside JSON strings. Look at its figures only as totals per entity, never line by line.

CLI::

    python -m bench.fresh --n 3000 --out fresh.log [--labels fresh.labels.jsonl]
"""

from __future__ import annotations

import base64
import json
import random
import string
import urllib.parse
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from bench._drawing import RecordBuilder, corpus_cli, draw
from bench._fresh_values import FreshValues
from bench.corpus import LabelledRecord

__all__ = ["generate", "main"]

_CLEAN_SHARE = 0.35
_ALNUM = string.ascii_letters + string.digits
_HEX = "0123456789abcdef"
_URLSAFE = _ALNUM + "-_"
_PRODUCTS = ("Power BI", "Cloud Run", "Red Hat", "Azure Functions", "Grafana Loki",
             "Argo CD", "Jenkins Agent", "Elastic Search", "Stripe Checkout", "Apple Pay",
             "Google Pay", "Dead Letter Queue", "Default Pool", "Let's Encrypt",
             "Primary Replica", "Night Batch", "Blue Green", "Cost Explorer")


class _B(RecordBuilder):
    """The fresh corpus's builder: its values and lookalikes."""

    def __init__(self, rng: random.Random, clean: bool) -> None:
        super().__init__(rng, clean)
        self.v = FreshValues(rng)

    def look(self) -> str:
        kind, value = _lookalike(self.r)
        self.lookalikes.append((kind, value))
        return value


def _lookalike(r: random.Random) -> tuple[str, str]:
    """(kind, value) of an identifier that looks secret and is not."""
    def rs(alphabet: str, n: int) -> str:
        return "".join(r.choice(alphabet) for _ in range(n))
    kind = r.choice(("ulid", "k8s_uid", "winver", "image", "sha512", "short_sha", "oid",
                     "build", "product", "money", "coords", "ua", "version4", "commit_url"))
    if kind == "ulid":
        return kind, "01" + rs("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 24)
    if kind == "k8s_uid":
        return kind, str(uuid.UUID(int=r.getrandbits(128), version=4))
    if kind == "winver":
        return kind, f"10.0.{r.randint(17000, 26100)}.{r.randint(100, 5000)}"
    if kind == "image":
        return kind, f"registry.internal/team/{rs(string.ascii_lowercase, 6)}:" \
                     f"{r.randint(1, 9)}.{r.randint(0, 30)}.{r.randint(0, 9)}"
    if kind == "sha512":
        return kind, rs(_HEX, 128)
    if kind == "short_sha":
        return kind, rs(_HEX, 7)
    if kind == "oid":
        return kind, "2.16.840.1.101.3.4." + ".".join(str(r.randint(1, 99)) for _ in range(2))
    if kind == "build":
        return kind, f"build-{r.randint(1000, 99999)}"
    if kind == "product":
        return kind, r.choice(_PRODUCTS)
    if kind == "money":
        return kind, f"EUR {r.randint(1, 9)},{r.randint(100, 999)}.{r.randint(10, 99)}"
    if kind == "coords":
        return kind, f"{r.uniform(-80, 80):.5f},{r.uniform(-170, 170):.5f}"
    if kind == "ua":
        return kind, f"Mozilla/5.0 (X11; Linux x86_64) Firefox/{r.randint(100, 140)}.0"
    if kind == "version4":
        return kind, f"{r.randint(1, 9)}.{r.randint(0, 9)}.{r.randint(0, 99)}." \
                     f"{r.randint(1000, 9999)}"
    return kind, f"https://git.internal/platform/api/commit/{rs(_HEX, 40)}"


def _ts(b: _B) -> str:
    return f"2026-10-{b.r.randint(1, 30):02d} {b.r.randint(0, 23):02d}:{b.r.randint(0, 59):02d}"


# -- people -------------------------------------------------------------------------------
_PERSON_LINES = (
    "Booking confirmed for {n} ({l})", "Account closed at the request of {n}; ref {l}",
    "Chargeback opened by {n}, case {l}", "Courier could not reach {n}, retry {l}",
    "Delivery signed for by {n} [{l}]", "Password changed by {n} via {l}",
    "Consent withdrawn by {n} on {l}", "Payslip generated for {n} using {l}",
    "Prescription issued to {n}, batch {l}", "Greeting: Hello {n}, your code is ready ({l})",
    "Flight check-in completed for passenger {n} with {l}",
    "On-call handover from {n} at {l}",
)


def _person_line(b: _B) -> str:
    name = b.s("PERSON", b.v.person(), "the support bot")
    return f"[{_ts(b)}] audit: " + b.pick(_PERSON_LINES).format(n=name, l=b.look())


def _person_mail(b: _B) -> str:
    name = b.s("PERSON", b.v.person(), "Notifications")
    email = b.s("EMAIL", b.v.email(), "noreply@example.net")
    return f"smtp: queued message from=\"{name}\" <{email}> size={b.r.randint(900, 90000)} " \
           f"id={b.look()}"


def _person_csv(b: _B) -> str:
    name = b.s("PERSON", b.v.person(), "n/a")
    return f"export;row={b.r.randint(1, 9999)};\"{name}\";{b.look()};" \
           f"{b.pick(('active', 'pending', 'closed'))}" if b.r.random() < 0.4 else \
        f"{b.r.randint(1, 99999)},\"{name}\",{b.look()},{b.r.randint(1, 500)}"


def _person_sql(b: _B) -> str:
    name = b.s("PERSON", b.v.person(), "redacted")
    return f"slow query 812ms: UPDATE accounts SET holder_name = '{name}' " \
           f"WHERE ref = '{b.look()}'"  # noqa: S608 - a logged statement, never run


def _person_xml(b: _B) -> str:
    name = b.s("PERSON", b.v.person(), "none")
    return f"<signature signer=\"{name}\" at=\"{_ts(b)}\" doc=\"{b.look()}\"/>" \
        if b.r.random() < 0.5 else f"<patient><name>{name}</name><ward>{b.look()}</ward></patient>"


def _person_json(b: _B) -> dict[str, Any]:
    name = b.s("PERSON", b.v.person(), "automation")
    return {"@timestamp": _ts(b), "event": "case.updated",
            "detail": f"case reassigned to {name} by rota", "case": b.look()}


# -- places, phones, cards, IBANs ---------------------------------------------------------
def _address_line(b: _B) -> str:
    addr = b.s("STREET_ADDRESS", b.v.address(), "the sorting centre")
    return b.pick(("geocoder: resolved '{a}' in 41ms ({l})", "Delivery address changed to {a} "
                   "[{l}]", "return label: {a}; tracking {l}",
                   "pickup scheduled at {a} ({l})")).format(a=addr, l=b.look())


def _address_json(b: _B) -> dict[str, Any]:
    addr = b.s("STREET_ADDRESS", b.v.address(), "warehouse 4")
    return {"level": "INFO", "message": f"invoice mailed to {addr}", "job": b.look()}


def _phone_line(b: _B) -> str:
    number, intl = b.v.phone()
    num = b.s("PHONE_NUMBER", number, "withheld")
    if intl and b.r.random() < 0.5:
        return b.pick(("2FA code sent to {p} ({l})", "inbound call from {p} routed to queue {l}",
                       "whatsapp opt-in {p} ok {l}")).format(p=num, l=b.look())
    return b.pick(("SMS gateway accepted msg for mobile {p} ({l})", "contact phone: {p} [{l}]",
                   "please call {p} regarding {l}", "Tel.: {p}, job {l}")).format(p=num, l=b.look())


def _card_line(b: _B) -> str:
    card = b.s("CREDIT_CARD", b.v.card(), "token")
    return b.pick(("authorisation hold on PAN {c} ({l})", "3DS challenge for card {c} [{l}]",
                   "refund to {c} issued, ref {l}", "payment method {c} added ({l})")).format(
        c=card, l=b.look())


def _iban_line(b: _B) -> str:
    iban = b.s("IBAN", b.v.iban(), "account on file")
    return b.pick(("direct debit mandate for {i} created ({l})",
                   "payout failed: beneficiary IBAN {i} rejected [{l}]")).format(i=iban, l=b.look())


# -- secrets ------------------------------------------------------------------------------
def _token(b: _B) -> tuple[str, str]:
    kind = b.pick(("OPENAI", "ANTHROPIC", "HUGGINGFACE", "GITHUB", "GITLAB", "SLACK", "STRIPE",
                   "VAULT", "DOCKER", "SHOPIFY", "DIGITALOCEAN", "AWS", "NPM", "SENDGRID"))
    return kind, {
        "OPENAI": lambda: "sk-proj-" + b.rs(_URLSAFE, 64) + "T3BlbkFJ" + b.rs(_URLSAFE, 30),
        "ANTHROPIC": lambda: "sk-ant-api03-" + b.rs(_URLSAFE, 93) + "AA",
        "HUGGINGFACE": lambda: "hf_" + b.rs(string.ascii_letters, 34),
        "GITHUB": lambda: b.pick(("ghp_", "gho_", "ghs_")) + b.rs(_ALNUM, 36),
        "GITLAB": lambda: "glpat-" + b.rs(_URLSAFE, 20),
        "SLACK": lambda: "xoxb-" + b.rs(string.digits, 12) + "-" + b.rs(string.digits, 13) +
        "-" + b.rs(_ALNUM, 24),
        "STRIPE": lambda: b.pick(("sk_live_", "rk_live_")) + b.rs(_ALNUM, 32),
        "VAULT": lambda: "hvs." + b.rs(_URLSAFE, 90),
        "DOCKER": lambda: "dckr_pat_" + b.rs(_URLSAFE, 27),
        "SHOPIFY": lambda: "shpat_" + b.rs(_HEX, 32),
        "DIGITALOCEAN": lambda: "dop_v1_" + b.rs(_HEX, 64),
        "AWS": lambda: "AKIA" + b.rs(string.ascii_uppercase + "234567", 16),
        "NPM": lambda: "npm_" + b.rs(_ALNUM, 36),
        "SENDGRID": lambda: "SG." + b.rs(_URLSAFE, 22) + "." + b.rs(_URLSAFE, 43),
    }[kind]()


def _token_line(b: _B) -> str:
    kind, tok = _token(b)
    tok = b.s(f"TOKEN_{kind}", tok, "<redacted>")
    return b.pick(("export CI_TOKEN={t} # {l}", "retrying with credential {t} after 401 ({l})",
                   "Authorization: token {t} (trace {l})", "config reload: token={t} span={l}")
                  ).format(t=tok, l=b.look())


def _token_json(b: _B) -> dict[str, Any]:
    kind, tok = _token(b)
    tok = b.s(f"TOKEN_{kind}", tok, "none")
    return {"msg": "outbound call failed", "error": f"invalid key {tok} for tenant",
            "trace": b.look()}


_COMMANDS = (
    "curl -sS -u ci-bot:{pw} https://repo.internal/api/upload",
    "pg_dumpall --password={pw} --clean", "mysql --user=admin --password {pw} -e 'show tables'",
    "mysql -uroot -p'{pw}' billing", "PGPASSWORD={pw} pg_restore -d app dump.sql",
    "MYSQL_PWD={pw} mysqladmin status", "mongosh mongodb+srv://reporter:{pw}@cl0.xy.mongo.test/db",
    "redis://:{pw}@redis.internal:6380/2",
    "jdbc:postgresql://db:5432/app?user=svc&password={pw}&ssl=true",
    "Server=tcp:sql.internal,1433;Database=shop;User Id=app;Pwd={pw};",
)


def _command_line(b: _B) -> str:
    pw = b.v.password()
    cmd = b.pick(_COMMANDS)
    if b.r.random() < 0.15:
        pw = urllib.parse.quote(pw + "/?#", safe="")
        cmd = "amqps://worker:{pw}@mq.internal:5671/vhost"
    value = b.s("PASSWORD", pw, "$SECRET")
    return f"$ {cmd.format(pw=value)}  # step {b.look()}"


def _embedded(b: _B) -> dict[str, Any]:
    """JSON inside a JSON string, base64 credentials in Kubernetes and Docker configs."""
    pick = b.r.random()
    if pick < 0.4:
        email = b.s("EMAIL", b.v.email(), "user")
        inner = json.dumps({"email": email, "plan": "pro", "trace": b.look()})
        return {"msg": "webhook received", "body": inner}
    pw = b.v.password()
    if pick < 0.7:
        raw = base64.b64encode(pw.encode()).decode()
        value = b.s("PASSWORD", raw, "")
        return {"kind": "Secret", "apiVersion": "v1", "metadata": {"name": b.look()},
                "data": {"DB_PASS": value}}
    raw = base64.b64encode(f"deploy:{pw}".encode()).decode()
    value = b.s("PASSWORD", raw, "")
    return {"msg": "docker config loaded", "auths": {"registry.internal": {"auth": value}},
            "image": b.look()}


def _clean_line(b: _B) -> str:
    return b.pick(("reconcile {} done by {} in {}", "deployed {} to {} after {}",
                   "cache warmed for {} from {} ({})")).format(b.look(), b.look(), b.look())


_TEMPLATES: tuple[tuple[str, Callable[[_B], Any], float], ...] = (
    ("text", _person_line, 5), ("text", _person_mail, 1), ("text", _person_csv, 2),
    ("text", _person_sql, 1), ("text", _person_xml, 1), ("json", _person_json, 2),
    ("text", _address_line, 3), ("json", _address_json, 1), ("text", _phone_line, 4),
    ("text", _card_line, 3), ("text", _iban_line, 1), ("text", _token_line, 4),
    ("json", _token_json, 2), ("text", _command_line, 4), ("json", _embedded, 2),
    ("text", _clean_line, 2),
)


def generate(n: int, seed: int = 23) -> list[LabelledRecord]:
    """``n`` fresh records; the same ``(n, seed)`` always gives the same records."""
    return [draw(_TEMPLATES, random.Random(f"logscrub-fresh:{seed}:{i}"), _CLEAN_SHARE, _B)
            for i in range(n)]


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point: write the fresh corpus and its labels."""
    return corpus_cli("python -m bench.fresh", generate, 3000, 23, argv)


if __name__ == "__main__":
    raise SystemExit(main())
