"""Values for the held-out corpus, drawn from sources independent of the rules.

People, places, phones, cards, IBANs and emails come from the Faker package in many
locales (test data only: no detector may use Faker's lists). Provider tokens follow the
formats the providers document publicly, filled with random characters. Nothing here
is imported by the engine.
"""

from __future__ import annotations

import base64
import random
import string
import uuid
from typing import Any, ClassVar

import phonenumbers
from faker import Faker

__all__ = ["LOCALES", "TOKEN_KINDS", "HoldoutValues"]

#: Locales for names, addresses and phones (ja_JP names are romanised).
LOCALES = ("fr_FR", "de_DE", "es_ES", "en_GB", "en_AU", "it_IT", "pt_BR", "nl_NL", "pl_PL",
           "ja_JP", "en_US", "ga_IE", "tr_TR", "vi_VN", "sv_SE", "en_IN", "pt_PT", "da_DK",
           "en_NG", "yo_NG", "cs_CZ", "no_NO", "fi_FI", "nl_BE")
_ADDRESS_LOCALES = ("fr_FR", "de_DE", "es_ES", "en_GB", "en_AU", "it_IT", "nl_NL", "en_US",
                    "pl_PL", "pt_PT", "en_IE")
_PHONE_REGIONS = {"fr_FR": "FR", "de_DE": "DE", "es_ES": "ES", "en_GB": "GB", "en_AU": "AU",
                  "it_IT": "IT", "nl_NL": "NL", "pl_PL": "PL", "pt_BR": "BR", "en_US": "US",
                  "en_IE": "IE", "sv_SE": "SE", "da_DK": "DK", "pt_PT": "PT"}
_IBAN_LOCALES = ("de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "en_GB", "pl_PL", "pt_PT")
_CARD_TYPES = ("visa16", "mastercard", "amex", "discover", "jcb16", "diners", "maestro")

_URLSAFE = string.ascii_letters + string.digits + "-_"
_ALNUM = string.ascii_letters + string.digits
_HEX = "0123456789abcdef"
_UPPER_ALNUM = string.ascii_uppercase + string.digits
_PW_CHARS = string.ascii_letters + string.digits + "!#%^*+-_.~"

#: Provider token kinds (entity label suffix) in the held-out corpus.
TOKEN_KINDS = (
    "OPENAI", "ANTHROPIC", "HUGGINGFACE", "DIGITALOCEAN", "SHOPIFY", "VAULT", "DOCKER",
    "GRAFANA", "NEWRELIC", "DATADOG", "DISCORD", "TELEGRAM", "AZURE_SAS", "AZURE_AD",
    "SLACK", "AWS", "GITLAB", "AZURE_CONN", "NPMRC",
)


class HoldoutValues:
    """Random values for one record; deterministic given the ``random.Random``."""

    _fakers: ClassVar[dict[str, Faker]] = {}

    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def _fk(self, locale: str) -> Faker:
        fk = self._fakers.get(locale)
        if fk is None:
            fk = self._fakers[locale] = Faker(locale)
        fk.seed_instance(self.r.getrandbits(32))
        return fk

    def _s(self, alphabet: str, n: int) -> str:
        return "".join(self.r.choice(alphabet) for _ in range(n))

    # -- people and places ------------------------------------------------------------
    def person(self) -> str:
        """A full name from a random locale, sometimes with a title."""
        loc = self.r.choice(LOCALES)
        fk = self._fk(loc)
        if loc == "ja_JP":
            name = f"{fk.first_romanized_name()} {fk.last_romanized_name()}"
        else:
            name = f"{fk.first_name()} {fk.last_name()}"
            if self.r.random() < 0.15:
                name = f"{fk.first_name()} {fk.last_name()} {fk.last_name()}"
        if self.r.random() < 0.1:
            name = f"{self.r.choice(('Mrs', 'Mr', 'Dr', 'Ms'))} {name}"
        return name

    def address(self) -> str:
        """A one-line street address with town (and postcode where the locale has one)."""
        fk = self._fk(self.r.choice(_ADDRESS_LOCALES))
        return ", ".join(part.strip() for part in fk.address().splitlines() if part.strip())

    def phone(self) -> tuple[str, bool]:
        """(number, international); national numbers need a context word around them."""
        loc = self.r.choice(tuple(_PHONE_REGIONS))
        fk = self._fk(loc)
        for _ in range(20):
            raw = fk.phone_number()
            try:
                num = phonenumbers.parse(raw, _PHONE_REGIONS[loc])
            except phonenumbers.NumberParseException:
                continue
            if not phonenumbers.is_valid_number(num):
                continue
            if self.r.random() < 0.6:
                fmt = phonenumbers.PhoneNumberFormat.INTERNATIONAL
                return phonenumbers.format_number(num, fmt), True
            return raw, raw.startswith("+")
        return "+44 20 7946 0958", True

    def email(self) -> str:
        """An email address from a random locale's provider."""
        fk = self._fk(self.r.choice(LOCALES[:9]))
        return str(fk.free_email() if self.r.random() < 0.5 else fk.company_email())

    def card(self) -> str:
        """A Luhn-valid card number, grouped the way its scheme prints it."""
        fk = self._fk("en_US")
        kind = self.r.choice(_CARD_TYPES)
        digits = str(fk.credit_card_number(card_type=kind))
        sep = self.r.choice(("-", " ", "-", ".", ""))
        if not sep:
            return digits
        if len(digits) == 15:
            return sep.join((digits[:4], digits[4:10], digits[10:]))
        if len(digits) == 14:
            return sep.join((digits[:4], digits[4:10], digits[10:]))
        return sep.join(digits[i : i + 4] for i in range(0, len(digits), 4))

    def iban(self) -> str:
        """A valid IBAN, grouped by four or not."""
        fk = self._fk(self.r.choice(_IBAN_LOCALES))
        raw = str(fk.iban())
        if self.r.random() < 0.5:
            return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))
        return raw

    # -- credentials ------------------------------------------------------------------
    def password(self) -> str:
        """A password of 10 to 18 characters with a digit and a symbol."""
        return self._s(_ALNUM, self.r.randint(7, 14)) + self._s("0123456789", 2) + \
            self._s("!#%^*+-_.~", 1)

    def token(self, kind: str) -> str:
        """A token in ``kind``'s documented format, random characters."""
        r, s = self.r, self._s
        if kind == "OPENAI":
            pre = r.choice(("sk-proj-", "sk-proj-", "sk-svcacct-", "sk-admin-"))
            return pre + s(_URLSAFE, r.randint(40, 90)) + "T3BlbkFJ" + s(_URLSAFE, 40)
        if kind == "ANTHROPIC":
            return r.choice(("sk-ant-api03-", "sk-ant-admin01-")) + s(_URLSAFE, 93) + "AA"
        if kind == "HUGGINGFACE":
            return r.choice(("hf_", "api_org_")) + s(string.ascii_letters, 34)
        if kind == "DIGITALOCEAN":
            return r.choice(("dop_v1_", "doo_v1_", "dor_v1_")) + s(_HEX, 64)
        if kind == "SHOPIFY":
            return r.choice(("shpat_", "shpca_", "shppa_", "shpss_")) + s(_HEX, 32)
        if kind == "VAULT":
            return r.choice(("hvs.", "hvb.")) + s(_URLSAFE, r.randint(24, 90))
        if kind == "DOCKER":
            return "dckr_pat_" + s(_URLSAFE, 27)
        if kind == "GRAFANA":
            if r.random() < 0.5:
                return "glsa_" + s(_ALNUM, 32) + "_" + s(_HEX, 8)
            return "glc_" + s(_ALNUM + "+/", r.randint(40, 120)) + "="
        if kind == "NEWRELIC":
            return r.choice(("NRAK-" + s(_UPPER_ALNUM, 27), "NRII-" + s(_URLSAFE, 32),
                             "NRJS-" + s(_HEX, 19), s(_HEX, 36) + "NRAL"))
        if kind == "DATADOG":
            return s(_HEX, r.choice((32, 40)))
        if kind == "DISCORD":
            # the first part is the bot's numeric id in base64, as Discord documents it
            uid = str(r.randint(10**17, 10**19 - 1)).encode()
            first = base64.b64encode(uid).decode().rstrip("=")
            return first + "." + s(_URLSAFE, 6) + "." + s(_URLSAFE, r.randint(27, 38))
        if kind == "TELEGRAM":
            return str(r.randint(10**7, 10**10 - 1)) + ":AA" + s(_URLSAFE, 33)
        if kind == "AZURE_SAS":
            return s(_ALNUM, 8) + "%2B" + s(_ALNUM, 32) + "%3D"
        if kind == "AZURE_AD":
            return s(_ALNUM, 3) + str(r.randint(0, 9)) + "Q~" + s(_ALNUM + "_~.-", 34)
        if kind == "SLACK":
            return r.choice((
                f"xapp-1-A{s(_UPPER_ALNUM, 10)}-{r.randint(10**12, 10**13 - 1)}-{s(_HEX, 64)}",
                f"xoxe.xoxp-1-{s(_ALNUM, 140)}",
                f"xoxe-1-{s(_ALNUM, 140)}",
            ))
        if kind == "AWS":
            pre = r.choice(("A3T" + r.choice(_UPPER_ALNUM), "ABIA", "ACCA"))
            return pre + s(string.ascii_uppercase + "234567", 16)
        if kind == "GITLAB":
            return r.choice((f"glcbt-{s(_HEX, 2)}_{s(_URLSAFE, 20)}", "glft-" + s(_URLSAFE, 20),
                             "glsoat-" + s(_URLSAFE, 20), "gloas-" + s(_HEX, 64)))
        if kind in ("AZURE_CONN", "NPMRC"):
            return s(_ALNUM + "+/", 86) + "==" if kind == "AZURE_CONN" else \
                "npm_" + s(_ALNUM, 36)
        raise ValueError(kind)

    # -- lookalikes -------------------------------------------------------------------
    def lookalike(self) -> tuple[str, str]:
        """(kind, value) of something that looks like a secret and is not one."""
        r, s = self.r, self._s
        kind = r.choice(("uuid", "sha1", "sha256", "version", "version4", "timestamp",
                         "epoch", "order_id", "oid", "digest", "class", "git_remote",
                         "pod", "span", "semver_tag", "duration", "product"))
        value: Any
        if kind == "uuid":
            value = str(uuid.UUID(int=r.getrandbits(128), version=4))
        elif kind == "sha1":
            value = s(_HEX, 40)
        elif kind == "sha256":
            value = s(_HEX, 64)
        elif kind == "version":
            value = f"{r.randint(0, 20)}.{r.randint(0, 40)}.{r.randint(0, 99)}"
        elif kind == "version4":
            value = f"{r.randint(1, 10)}.{r.randint(0, 9)}.{r.randint(1000, 9999)}." \
                    f"{r.randint(10000, 30000)}"
        elif kind == "timestamp":
            value = f"2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:" \
                    f"{r.randint(0, 59):02d}:{r.randint(0, 59):02d}.{r.randint(0, 999):03d}Z"
        elif kind == "epoch":
            value = str(r.randint(1_600_000_000_000, 1_800_000_000_000))
        elif kind == "order_id":
            value = f"{r.choice(('ORD', 'INV', 'SHP', 'TCK'))}-{r.randint(2020, 2026)}-" \
                    f"{r.randint(100000, 999999)}"
        elif kind == "oid":
            value = "1.3.6.1.4.1." + ".".join(str(r.randint(1, 60000)) for _ in range(4))
        elif kind == "digest":
            value = "sha256:" + s(_HEX, 64)
        elif kind == "class":
            value = r.choice(("org.apache.kafka.clients.consumer.KafkaConsumer",
                              "com.example.billing.InvoiceService",
                              "io.grpc.netty.NettyClientTransport",
                              "org.springframework.web.servlet.DispatcherServlet"))
        elif kind == "git_remote":
            lower = string.ascii_lowercase
            value = f"git@github.com:{s(lower, 6)}/{s(lower, 8)}.git"
        elif kind == "pod":
            app = r.choice(("api", "worker", "billing"))
            value = f"{app}-{s(_HEX, 9)}-{s('bcdfghjklmnpqrstvwxz2456789', 5)}"
        elif kind == "span":
            value = s(_HEX, 16)
        elif kind == "semver_tag":
            value = f"v{r.randint(0, 9)}.{r.randint(0, 30)}.{r.randint(0, 9)}-rc.{r.randint(1, 9)}"
        elif kind == "duration":
            value = f"{r.randint(1, 9999)}ms"
        else:
            value = r.choice(("Kafka Connect", "Spring Boot", "Google Chrome", "Visual Studio",
                              "Windows Update", "Apache Flink", "Cloud Storage",
                              "Service Bus", "Data Factory", "Key Vault"))
        return kind, value
