"""Values for the unseen corpus (``bench.unseen``): phones, cards, IBANs, e-mails,
passwords, provider tokens and lookalikes. Names live in ``bench._unseen_people`` and
addresses in ``bench._unseen_places``.

Phones come from libphonenumber's example numbers with their last digits redrawn until
the number is valid again; cards are Luhn-valid; IBAN check digits are computed here
(ISO 13616 mod 97); token bodies are random in each provider's published shape.
"""

from __future__ import annotations

import random
import string
import unicodedata
import uuid

import phonenumbers
from phonenumbers import PhoneNumberFormat as PNF
from phonenumbers import PhoneNumberType as PNT

from bench._unseen_people import Name, draw_name, title
from bench._unseen_places import address

__all__ = ["UnseenValues", "lookalike"]

_LOW, _UP, _DIG = string.ascii_lowercase, string.ascii_uppercase, string.digits
_ALNUM = _LOW + _UP + _DIG
_HEX = "0123456789abcdef"
_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "PL", "CZ", "SE", "NO", "DK", "PT",
            "IE", "AU", "CA", "BR", "AT", "CH", "IN", "JP", "NG", "TR", "MX", "ZA", "BE", "FI")
# brand: (prefixes, length, grouping)
_CARDS: dict[str, tuple[tuple[str, ...], int, tuple[int, ...]]] = {
    "visa": (("4",), 16, (4, 4, 4, 4)),
    "mastercard": (("51", "52", "53", "54", "55", "2221", "2310", "2530", "2720"), 16,
                   (4, 4, 4, 4)),
    "amex": (("34", "37"), 15, (4, 6, 5)),
    "discover": (("6011", "644", "649", "65"), 16, (4, 4, 4, 4)),
    "jcb": (("3528", "3541", "3566", "3589"), 16, (4, 4, 4, 4)),
    "diners": (("300", "305", "36", "38"), 14, (4, 6, 4)),
}
# country: BBAN pieces as (kind, length); n digits, a upper letters, c upper alnum
_IBAN: dict[str, tuple[tuple[str, int], ...]] = {
    "DE": (("n", 18),), "FR": (("n", 10), ("c", 11), ("n", 2)),
    "ES": (("n", 20),), "IT": (("a", 1), ("n", 10), ("c", 12)), "NL": (("a", 4), ("n", 10)),
    "GB": (("a", 4), ("n", 14)), "BE": (("n", 12),), "PL": (("n", 24),),
    "CH": (("n", 5), ("c", 12)), "AT": (("n", 16),), "PT": (("n", 21),),
    "IE": (("a", 4), ("n", 14)), "SE": (("n", 20),), "NO": (("n", 11),),
    "DK": (("n", 14),), "CZ": (("n", 20),), "FI": (("n", 14),), "LU": (("n", 3), ("c", 13)),
}
_DOMAINS = ("posteo.de", "gmx.at", "web.de", "orange.fr", "libero.it", "telefonica.net",
            "ziggo.nl", "wp.pl", "seznam.cz", "telia.se", "online.no", "sapo.pt", "eircom.net",
            "bigpond.com", "shaw.ca", "uol.com.br", "bluewin.ch", "fastmail.com", "proton.me",
            "outlook.com", "icloud.com", "btinternet.com", "kulturhus-aarhus.dk",
            "hospital-sao-joao.min-saude.pt", "mail.uni-bamberg.de", "cs.ox.ac.uk")
_WORDS = ("harbour", "lantern", "quokka", "saffron", "tundra", "velvet", "marigold", "basalt",
          "cobalt", "fjord", "juniper", "mosaic", "orchard", "pebble", "rhubarb", "sparrow")
_SYMS = "!#$%*+-.?_~^"
_POD = "bcdfghjklmnpqrstvwxz2456789"
_LOOK_KINDS = ("uuid", "git_sha", "short_sha", "semver", "version4", "java_class", "pod",
               "iso_ts", "duration", "order_id", "image_digest", "oid", "hostname", "http_path")


def _rs(r: random.Random, alphabet: str, n: int) -> str:
    return "".join(r.choice(alphabet) for _ in range(n))


def _ascii(s: str) -> str:
    folded = unicodedata.normalize("NFKD", s.replace("ß", "ss").replace("ø", "o")
                                   .replace("Ø", "O").replace("ł", "l").replace("Ł", "L")
                                   .replace("đ", "d").replace("Đ", "D").replace("ı", "i")
                                   .replace("ð", "d").replace("þ", "th").replace("Þ", "Th"))
    return "".join(c for c in folded if c.isascii() and (c.isalnum() or c in " -")).lower()


def _luhn_complete(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:  # these digits are doubled once the check digit is appended
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def iban_check(country: str, bban: str) -> str:
    """The two ISO 13616 check digits for ``country`` + ``bban``."""
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{98 - int(digits) % 97:02d}"


class UnseenValues:
    """Draws one value of each kind from the record's own random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def name(self) -> Name:
        return draw_name(self.r)

    def title(self) -> str:
        return title(self.r)

    def address(self, country: str | None = None) -> str:
        return address(self.r, country)[1]

    def phone(self, national: bool = False, region: str | None = None) -> str:
        """A valid number of a random region, formatted internationally (or nationally)."""
        r = self.r
        region = region or r.choice(_REGIONS)
        kind = r.choice((PNT.MOBILE, PNT.MOBILE, PNT.FIXED_LINE))
        base = phonenumbers.example_number_for_type(region, kind)
        assert base is not None
        nsn = str(base.national_number)
        num = base
        for _ in range(30):
            k = min(4, len(nsn) - 3)
            cand = phonenumbers.parse(f"+{base.country_code}{nsn[:-k]}{_rs(r, _DIG, k)}")
            if phonenumbers.is_valid_number(cand):
                num = cand
                break
        if national:
            return phonenumbers.format_number(num, PNF.NATIONAL)
        style = r.random()
        if style < 0.55:
            return phonenumbers.format_number(num, PNF.INTERNATIONAL)
        if style < 0.85:
            return phonenumbers.format_number(num, PNF.E164)
        return "00" + phonenumbers.format_number(num, PNF.INTERNATIONAL)[1:]

    def card(self, brand: str | None = None, sep: str | None = None) -> str:
        r = self.r
        brand = brand or r.choice(list(_CARDS))
        prefixes, length, groups = _CARDS[brand]
        body = r.choice(prefixes)
        number = _luhn_complete(body + _rs(r, _DIG, length - 1 - len(body)))
        if sep is None:
            sep = r.choice((" ", " ", "-", ".", ""))
        parts, i = [], 0
        for g in groups:
            parts.append(number[i:i + g])
            i += g
        return sep.join(parts)

    def iban(self, grouped: bool | None = None) -> str:
        r = self.r
        country = r.choice(list(_IBAN))
        alpha = {"n": _DIG, "a": _UP, "c": _UP + _DIG}
        bban = "".join(_rs(r, alpha[k], n) for k, n in _IBAN[country])
        if country == "BE":  # Belgian national check: first ten digits mod 97
            bban = bban[:10] + f"{int(bban[:10]) % 97 or 97:02d}"
        iban = country + iban_check(country, bban) + bban
        if grouped is None:
            grouped = r.random() < 0.5
        return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) if grouped else iban

    def email(self, name: Name | None = None) -> str:
        r = self.r
        n = name or self.name()
        given = _ascii(n.given).replace(" ", "")
        family = _ascii(n.family).replace(" ", "").replace("-", "")
        shape = r.randrange(6)
        local = (f"{given}.{family}", f"{given[0]}{family}", f"{family}.{given}{r.randint(1, 99)}",
                 f"{given}_{family[:4]}", f"{given}+{r.choice(('orders', 'news', 'bank'))}",
                 f"{family}{r.randint(1950, 2009)}")[shape]
        return f"{local}@{r.choice(_DOMAINS)}"

    def password(self, safe: bool = False) -> str:
        """A password; ``safe`` keeps to characters that need no quoting in URLs and shells."""
        r = self.r
        shape = r.randrange(4)
        syms = "-_." if safe else _SYMS
        if shape == 0:
            pw = f"{r.choice(_WORDS).capitalize()}{r.choice(syms)}{r.randint(10, 9999)}" \
                 f"{r.choice(_WORDS)}"
        elif shape == 1:
            pw = _rs(r, _ALNUM + syms, r.randint(12, 24))
        elif shape == 2:
            pw = r.choice(syms).join(r.sample(_WORDS, 3)) + str(r.randint(1, 99))
        else:
            pw = _rs(r, _ALNUM, r.randint(10, 16)) + r.choice(syms) + _rs(r, _DIG, 2)
        return pw

    def token(self, provider: str | None = None) -> tuple[str, str]:
        """(provider, token) in that provider's public shape."""
        r = self.r
        p = provider or r.choice(("GITHUB", "AWS", "SLACK", "STRIPE", "OPENAI", "GITLAB", "NPM",
                                  "HUGGINGFACE", "SENDGRID", "TWILIO", "DATADOG", "GOOGLE",
                                  "SHOPIFY", "DIGITALOCEAN"))
        u = _ALNUM + "-_"
        if p == "GITHUB":
            tok = r.choice((f"{r.choice(('ghp', 'gho', 'ghs', 'ghu'))}_{_rs(r, _ALNUM, 36)}",
                            f"github_pat_11{_rs(r, _UP + _DIG, 20)}_{_rs(r, _ALNUM, 59)}"))
        elif p == "AWS":
            tok = r.choice((f"{r.choice(('AKIA', 'ASIA'))}{_rs(r, _UP + '234567', 16)}",
                            _rs(r, _ALNUM + "/+", 40)))
        elif p == "SLACK":
            ids = f"{r.randint(10**10, 10**12)}-{r.randint(10**10, 10**12)}"
            tok = r.choice((f"xoxb-{ids}-{_rs(r, _ALNUM, 24)}",
                            f"xoxp-{ids}-{r.randint(10**10, 10**12)}-{_rs(r, _HEX, 32)}",
                            f"https://hooks.slack.com/services/T{_rs(r, _UP + _DIG, 10)}/"
                            f"B{_rs(r, _UP + _DIG, 10)}/{_rs(r, _ALNUM, 24)}"))
        elif p == "STRIPE":
            kind = r.choice(("sk_live", "rk_live", "sk_test"))
            tok = f"{kind}_{_rs(r, _ALNUM, r.choice((24, 99)))}"
            tok = r.choice((tok, f"whsec_{_rs(r, _ALNUM, 32)}"))
        elif p == "OPENAI":
            tok = r.choice((f"sk-proj-{_rs(r, u, 156)}",
                            f"sk-{_rs(r, _ALNUM, 20)}T3BlbkFJ{_rs(r, _ALNUM, 20)}"))
        elif p == "GITLAB":
            tok = r.choice((f"glpat-{_rs(r, u, 20)}", f"glrt-{_rs(r, u, 20)}",
                            f"GR1348941{_rs(r, u, 20)}"))
        elif p == "NPM":
            tok = f"npm_{_rs(r, _ALNUM, 36)}"
        elif p == "HUGGINGFACE":
            tok = f"hf_{_rs(r, _LOW + _UP, 34)}"
        elif p == "SENDGRID":
            tok = f"SG.{_rs(r, u, 22)}.{_rs(r, u, 43)}"
        elif p == "TWILIO":
            tok = r.choice((f"SK{_rs(r, _HEX, 32)}", _rs(r, _HEX, 32)))
        elif p == "DATADOG":
            tok = _rs(r, _HEX, r.choice((32, 40)))
        elif p == "GOOGLE":
            tok = r.choice((f"AIza{_rs(r, u, 35)}", f"GOCSPX-{_rs(r, u, 28)}",
                            f"ya29.a0{_rs(r, u, 120)}"))
        elif p == "SHOPIFY":
            tok = f"{r.choice(('shpat', 'shpss', 'shpca'))}_{_rs(r, _HEX, 32)}"
        else:
            tok = f"dop_v1_{_rs(r, _HEX, 64)}"
        return p, tok


def lookalike(r: random.Random, kind: str | None = None) -> tuple[str, str]:
    """(kind, value) of an identifier that looks sensitive and is not."""
    kind = kind or r.choice(_LOOK_KINDS)
    ri, ch = r.randint, r.choice
    if kind == "uuid":
        return kind, str(uuid.UUID(int=r.getrandbits(128), version=ch((1, 4))))
    if kind == "git_sha":
        return kind, _rs(r, _HEX, 40)
    if kind == "short_sha":
        return kind, _rs(r, _HEX, ch((8, 10, 12)))
    if kind == "semver":
        pre = ch(("", "", f"-rc.{ri(1, 5)}", f"-beta.{ri(1, 9)}+b{ri(10, 999)}"))
        return kind, f"v{ri(0, 4)}.{ri(0, 40)}.{ri(0, 20)}{pre}"
    if kind == "version4":
        return kind, f"{ri(1, 12)}.{ri(0, 9)}.{ri(0, 999)}.{ri(0, 99999)}"
    if kind == "java_class":
        pkg = ch(("com.acme.billing.ledger", "org.example.kyc.intake", "io.shipit.routing"))
        cls = ch(("PostingService", "IbanValidator", "CardTokenCache", "PhoneNormalizer"))
        return kind, f"{pkg}.{cls}{ch(('', '$Worker', '$1'))}"
    if kind == "pod":
        app = ch(("checkout-api", "ledger-writer", "kyc-intake", "notif-sms"))
        return kind, f"{app}-{_rs(r, _POD, 10)}-{_rs(r, _POD, 5)}"
    if kind == "iso_ts":
        return kind, f"2026-{ri(1, 12):02d}-{ri(1, 28):02d}T{ri(0, 23):02d}:{ri(0, 59):02d}:" \
                     f"{ri(0, 59):02d}.{ri(0, 999999):06d}{ch(('Z', '+01:00', '-05:00'))}"
    if kind == "duration":
        return kind, ch((f"{ri(1, 9)}h{ri(0, 59)}m{ri(0, 59)}.{ri(0, 9)}s",
                         f"PT{ri(1, 30)}H{ri(1, 59)}M", f"{ri(100, 99999)}ms"))
    if kind == "order_id":
        return kind, f"{ch(('ORD', 'SO', 'RMA'))}-2026-{ri(0, 999999):06d}"
    if kind == "image_digest":
        return kind, f"ghcr.io/acme/{ch(('ingest', 'ledger', 'web'))}@sha256:{_rs(r, _HEX, 64)}"
    if kind == "oid":
        return kind, "1.3.6.1.4.1." + ".".join(str(ri(1, 60000)) for _ in range(ri(2, 5)))
    if kind == "hostname":
        return kind, f"{ch(('db-replica', 'kafka-broker', 'edge', 'vault'))}-{ri(1, 30):02d}." \
                     f"{ch(('eu-west-1', 'ap-south-2', 'fra1'))}." \
                     f"{ch(('internal', 'corp.example.net'))}"
    return kind, f"/api/v{ri(1, 3)}/{ch(('invoices', 'shipments', 'tenants'))}/" \
                 f"{ri(1000, 99999)}/{ch(('lines', 'events', 'audit'))}?page={ri(1, 40)}"
