"""Unseen labelled corpus: a third corpus for recall on data no rule was written against.

Written in the session of 2026-12-07 by someone who did not read the detection rules,
the detectors or the lexicons, before any later rule change, and never tuned on the
scrubber's output. Its values are its own (``bench._unseen_people``, ``bench._unseen_places``,
``bench._unseen_values``: hand-written names and streets of many traditions,
libphonenumber, Luhn-valid cards, mod-97 IBANs, provider-shaped tokens), and so are its
shapes (``bench._unseen_shapes``): logfmt, RFC 5424 syslog with structured data, Apache
and nginx lines with query strings, Java exception messages, Python reprs, GraphQL
variables, nested JSON, TSV, Markdown tables, ticket prose, chat-ops, mail headers,
escaped YAML, HTTP dumps, Kafka Connect errors, SQL, SOAP, shell history. About 35% of
the records are clean and carry harmless fallbacks where the secrets would be.

Read its figures as totals only, never line by line: once someone fixes rules against its
individual lines, it stops measuring anything.

CLI::

    python -m bench.unseen --n 3000 --out unseen.log [--labels unseen.labels.jsonl]
"""

from __future__ import annotations

import json
import random
import string
from collections.abc import Callable, Sequence
from typing import Any

from bench import _unseen_shapes as sh
from bench._drawing import RecordBuilder, corpus_cli, draw
from bench._unseen_people import Name
from bench._unseen_values import UnseenValues, lookalike
from bench.corpus import LabelledRecord

__all__ = ["UnseenBuilder", "generate", "main"]

_CLEAN_SHARE = 0.35
_SEED = 61
_FALLBACK: dict[str, tuple[str, ...]] = {
    "PERSON": ("guest", "anonymous", "the account holder", "system", "unknown user", "n/a"),
    "EMAIL": ("n/a", "-", "none", "not provided", "unknown"),
    "PHONE_NUMBER": ("n/a", "withheld", "-", "not on file"),
    "CREDIT_CARD": ("**** **** **** 4242", "XXXX-XXXX-XXXX-1881", "tok_visa", "masked"),
    "IBAN": ("on file", "masked", "see mandate", "n/a"),
    "STREET_ADDRESS": ("address on file", "PO box withheld", "n/a", "pickup at counter"),
    "PASSWORD": ("********", "<redacted>", "${DB_PASSWORD}", "[FILTERED]"),
    "TOKEN": ("<unset>", "REDACTED", "********", "${API_TOKEN}"),
}


def _same(s: str) -> str:
    return s


class UnseenBuilder(RecordBuilder):
    """The unseen corpus's builder: its values, lookalikes and one helper per entity."""

    def __init__(self, rng: random.Random, clean: bool) -> None:
        super().__init__(rng, clean)
        self.v = UnseenValues(rng)
        self.last: Name | None = None

    def look(self, kind: str | None = None) -> str:
        kind, value = lookalike(self.r, kind)
        self.lookalikes.append((kind, value))
        return value

    def _fb(self, key: str) -> str:
        return self.pick(_FALLBACK[key])

    # one helper per entity; ``fx`` turns the value into its spelling in the line
    def person(self, fx: Callable[[str], str] = _same, titled: bool = True) -> str:
        self.last = self.v.name()
        t = self.v.title() if titled and not self.clean else ""
        return t + self.s("PERSON", fx(self.last.full), fx(self._fb("PERSON")))

    def email(self, fx: Callable[[str], str] = _same, same: bool = True) -> str:
        value = self.v.email(self.last if same else None)
        return self.s("EMAIL", fx(value), fx(self._fb("EMAIL")))

    def phone(self, national: bool = False, fx: Callable[[str], str] = _same) -> str:
        return self.s("PHONE_NUMBER", fx(self.v.phone(national)), fx(self._fb("PHONE_NUMBER")))

    def card(self, sep: str | None = None) -> str:
        return self.s("CREDIT_CARD", self.v.card(sep=sep), self._fb("CREDIT_CARD"))

    def iban(self, grouped: bool | None = None) -> str:
        return self.s("IBAN", self.v.iban(grouped), self._fb("IBAN"))

    def addr(self, fx: Callable[[str], str] = _same) -> str:
        return self.s("STREET_ADDRESS", fx(self.v.address()), fx(self._fb("STREET_ADDRESS")))

    def pw(self, safe: bool = False) -> str:
        return self.s("PASSWORD", self.v.password(safe), self._fb("PASSWORD"))

    def tok(self, *among: str) -> tuple[str, str]:
        """(provider, token as written); ``among`` narrows the providers."""
        provider, value = self.v.token(self.pick(among) if among else None)
        return provider, self.s(f"TOKEN_{provider}", value, self._fb("TOKEN"))

    def ts(self) -> str:
        r = self.r
        return f"2026-{r.randint(9, 11):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:" \
               f"{r.randint(0, 59):02d}:{r.randint(0, 59):02d}.{r.randint(0, 999):03d}Z"


# -- JSON records ---------------------------------------------------------------------------
def _graphql(b: UnseenBuilder) -> dict[str, Any]:
    op = b.pick(("UpdateShippingProfile", "CreateBeneficiary", "RegisterCardholder"))
    inp: dict[str, Any] = {"recipient": b.person(titled=False)}
    if op == "UpdateShippingProfile":
        inp |= {"street": b.addr(), "contactPhone": b.phone(), "notify": b.email()}
    elif op == "CreateBeneficiary":
        inp |= {"iban": b.iban(), "reference": b.look(), "email": b.email()}
    else:
        inp |= {"pan": b.card(), "expiry": f"{b.r.randint(1, 12):02d}/{b.r.randint(27, 31)}"}
    return {"operationName": op, "variables": {"input": inp},
            "query": f"mutation {op}($input: {op}Input!) {{ {op[0].lower()}{op[1:]}"
                     f"(input: $input) {{ id status }} }}",
            "extensions": {"traceId": b.look()}}


def _webhook_event(b: UnseenBuilder) -> dict[str, Any]:
    return {"id": f"evt_{b.rs(string.ascii_letters + string.digits, 24)}",
            "type": b.pick(("charge.failed", "payment_method.attached", "invoice.overdue")),
            "created": b.ts(),
            "data": {"object": {"billing_details": {
                "name": b.person(titled=False), "email": b.email(), "phone": b.phone(),
                "address": {"formatted": b.addr()}},
                "card": {"number": b.card(), "brand_ref": b.look()}}}}


def _embedded_payload(b: UnseenBuilder) -> dict[str, Any]:
    inner = b.pick(("iban", "card", "secret"))
    body: dict[str, Any] = {"customerName": b.person(titled=False), "ref": b.look()}
    if inner == "iban":
        body["debtorIban"] = b.iban()
    elif inner == "card":
        body["cardNumber"] = b.card(sep="")
    else:
        provider, token = b.tok()
        body["credentials"] = {"provider": provider.lower(), "token": token}
    return {"ts": b.ts(), "level": "error", "logger": "outbox.relay",
            "msg": "publish failed, will retry", "attempt": b.r.randint(2, 9),
            "payload": json.dumps(body, ensure_ascii=False)}


def _contacts_merge(b: UnseenBuilder) -> dict[str, Any]:
    first = {"name": b.person(), "phones": [b.phone(), b.phone()]}
    second = {"name": b.person(titled=False), "email": b.email(), "home": b.addr()}
    return {"event": "contacts.merge", "actor": "svc-crm", "at": b.look(),
            "records": [first, second], "strategy": "keep-newest"}


def _container_inspect(b: UnseenBuilder) -> dict[str, Any]:
    p1, t1 = b.tok()
    env = [f"DB_PASSWORD={b.pw()}", f"{sh.ENV_NAME[p1]}={t1}", "TZ=Europe/Lisbon",
           f"SMTP_USER={b.email(same=False)}"]
    b.r.shuffle(env)
    return {"Id": b.rs("0123456789abcdef", 64),
            "Config": {"Image": b.look("image_digest"), "Env": env},
            "State": {"Status": "exited", "ExitCode": 137}}


def _outgoing_request(b: UnseenBuilder) -> dict[str, Any]:
    provider, token = b.tok("SENDGRID", "OPENAI", "HUGGINGFACE", "DIGITALOCEAN", "GITHUB")
    return {"level": "debug", "msg": "outgoing request",
            "http": {"method": "POST", "url": f"https://api.{provider.lower()}.example/v1/send",
                     "headers": {"authorization": f"Bearer {token}",
                                 "x-request-id": b.look()}},
            "body": {"personalizations": [{"to": [{"email": b.email(same=False),
                                                   "name": b.person(titled=False)}]}]}}


def _chat_json(b: UnseenBuilder) -> dict[str, Any]:
    shape = b.r.randrange(3)
    if shape == 0:
        text = f"hey, can someone ring {b.person()} on {b.phone()}? parcel stuck ({b.look()})"
    elif shape == 1:
        text = f"{b.person()} sent the wrong IBAN, correct one is {b.iban()} - fix before " \
               f"{b.look()} please"
    else:
        text = f"found this in a public gist: {b.tok()[1]} :scream: revoking now ({b.look()})"
    return {"channel": b.pick(("#support-l2", "#payments-ops", "#sec-incidents")),
            "user": b.look(), "ts": b.ts(), "text": text}


_TEMPLATES: tuple[tuple[str, Callable[[Any], Any], float], ...] = (
    ("json", _graphql, 5), ("json", _webhook_event, 4), ("json", _embedded_payload, 5),
    ("json", _contacts_merge, 4), ("json", _container_inspect, 4),
    ("json", _outgoing_request, 4), ("json", _chat_json, 4),
    *sh.SHAPES,
)


def generate(n: int, seed: int = _SEED) -> list[LabelledRecord]:
    """``n`` unseen records; the same ``(n, seed)`` always gives the same records."""
    return [draw(_TEMPLATES, random.Random(f"logscrub-unseen:{seed}:{i}"), _CLEAN_SHARE,
                 UnseenBuilder) for i in range(n)]


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point: write the unseen corpus and its labels."""
    return corpus_cli("python -m bench.unseen", generate, 3000, _SEED, argv)


if __name__ == "__main__":
    raise SystemExit(main())
