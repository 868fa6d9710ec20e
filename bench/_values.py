"""Seeded generators for fake but format-valid secrets and for lookalike values.

Nothing here is real data: names are drawn from short lists and combined at random,
card numbers and IBANs are random digits with a valid check digit, tokens are random
strings with the vendor's prefix and length.
"""

from __future__ import annotations

import base64
import json
import random
import string
import uuid

__all__ = ["Values", "iban_check_digits", "luhn_check_digit", "luhn_valid"]

ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
B64 = string.ascii_letters + string.digits + "+/"
B64URL = string.ascii_letters + string.digits + "-_"
WORD = string.ascii_letters + string.digits + "_-"
K8S = "bcdfghjklmnpqrstvwxz2456789"  # the alphabet Kubernetes uses for name suffixes

FIRST = (
    "Maria", "John", "Aisha", "Wei", "Carlos", "Priya", "Olga", "Kenji", "Fatima", "Liam",
    "Sofia", "Mohammed", "Emma", "Hiroshi", "Chloe", "Diego", "Ngozi", "Lars", "Ana", "David",
    "Sarah", "Michael", "Jennifer", "Robert", "Linda", "James", "Elena", "Mateo", "Yuki", "Omar",
)
LAST = (
    "Garcia", "O'Neil", "Smith", "Nguyen", "Kowalski", "Patel", "Johnson", "Rossi", "Okafor",
    "Schmidt", "Fernandez", "Tanaka", "Williams", "Brown", "Andersson", "Kim", "Haddad",
    "Dubois", "Silva", "Novak", "Jones", "Martinez", "Hernandez", "Lopez", "Wilson", "Taylor",
)
STREETS = (
    "Elm", "Oak", "Maple", "Pennsylvania", "Cedar", "Lakeview", "Washington", "Sunset",
    "Hillcrest", "Park", "Main", "Willow", "Highland", "Jefferson", "Madison",
)
SUFFIXES = ("St", "Street", "Ave", "Avenue", "Rd", "Road", "Blvd", "Lane", "Drive", "Way")
CITIES = (
    ("Springfield", "IL"), ("Portland", "OR"), ("Austin", "TX"), ("Columbus", "OH"),
    ("Madison", "WI"), ("Denver", "CO"), ("Raleigh", "NC"), ("Tucson", "AZ"),
)
DOMAINS = ("example.com", "example.org", "mail.test", "acme-corp.io", "gmail.com", "corp.example")
SERVICES = ("orders", "payments", "checkout", "billing", "users", "inventory", "auth", "search")


def luhn_check_digit(partial: str) -> str:
    """Return the digit that makes ``partial + digit`` pass the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:  # these positions are doubled once the check digit is appended
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def luhn_valid(digits: str) -> bool:
    """True when a digit string passes the Luhn check."""
    return luhn_check_digit(digits[:-1]) == digits[-1]


def iban_check_digits(country: str, bban: str) -> str:
    """Return the two ISO 13616 check digits for a country code and BBAN."""
    rearranged = bban + country + "00"
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return f"{98 - int(number) % 97:02d}"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Values:
    """Random value factory over one ``random.Random``; same seed, same values."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    # -- small helpers -------------------------------------------------------------
    def s(self, alphabet: str, n: int) -> str:
        """A random string of ``n`` characters from ``alphabet``."""
        return "".join(self.r.choice(alphabet) for _ in range(n))

    def digits(self, n: int) -> str:
        """A random digit string of length ``n``."""
        return self.s(string.digits, n)

    def pick(self, seq: tuple[str, ...] | list[str]) -> str:
        """One element of ``seq``."""
        return self.r.choice(seq)

    # -- personal data --------------------------------------------------------------
    def person(self) -> str:
        """A first and last name combined at random."""
        return f"{self.pick(FIRST)} {self.pick(LAST)}"

    def email(self, name: str | None = None) -> str:
        """An email address, often derived from a name."""
        if name is None or self.r.random() < 0.3:
            local = self.s(string.ascii_lowercase, self.r.randint(4, 9)) + self.digits(2)
        else:
            first, last = name.lower().replace("'", "").split(" ", 1)
            local = self.pick([f"{first}.{last}", f"{first[0]}{last}", f"{first}_{last}"])
        return f"{local}@{self.pick(DOMAINS)}"

    def phone(self) -> str:
        """A US or international phone number in a common written form."""
        area = f"{self.r.randint(2, 9)}{self.digits(2)}"
        exch = self.pick(["555", f"{self.r.randint(2, 9)}{self.digits(2)}"])
        line = self.digits(4)
        forms = [
            f"({area}) {exch}-{line}",
            f"{area}-{exch}-{line}",
            f"+1 {area} {exch} {line}",
            f"+44 20 {self.digits(4)} {self.digits(4)}",
            f"+49 30 {self.digits(6)}",
            f"+33 1 {self.digits(2)} {self.digits(2)} {self.digits(2)} {self.digits(2)}",
        ]
        return self.pick(forms)

    def card(self) -> str:
        """A Luhn-valid card number in one of several groupings (Amex is 4-6-5)."""
        if self.r.random() < 0.25:
            # Diners 4-6-4, Maestro of 12, 13 or 19 digits, UnionPay 19: other lengths
            prefix, groups = self.pick([("36", (4, 6, 4)), ("6759", (4, 4, 4)), ("6390", (4, 4, 4)),
                                        ("5018", (4, 4, 5)), ("6304", (4, 4, 4, 4, 3)),
                                        ("62", (4, 4, 4, 4, 3)), ("3528", (4, 4, 4, 4))])
            length = sum(groups)
            body = prefix + self.digits(length - 1 - len(prefix))
            num = body + luhn_check_digit(body)
            sep = self.pick([" ", "-", ".", ""])
            parts, i = [], 0
            for g in groups:
                parts.append(num[i : i + g])
                i += g
            return sep.join(parts)
        if self.r.random() < 0.2:
            body = self.pick(["34", "37"]) + self.digits(12)
            num = body + luhn_check_digit(body)
            sep = self.pick([" ", "-", ".", ""])
            return sep.join((num[:4], num[4:10], num[10:]))
        prefix = self.pick(["4", "51", "52", "55", "2221", "6011"])
        body = prefix + self.digits(15 - len(prefix))
        num = body + luhn_check_digit(body)
        sep = self.pick([" ", "-", "", ""])
        return sep.join(num[i : i + 4] for i in range(0, 16, 4))

    def ssn(self) -> str:
        """A US SSN with a valid area (not 000, 666, 9xx), group and serial."""
        area = self.r.choice([n for n in range(1, 900) if n != 666])
        return f"{area:03d}-{self.r.randint(1, 99):02d}-{self.r.randint(1, 9999):04d}"

    def iban(self, spaced: bool | None = None) -> str:
        """A mod-97-valid IBAN for DE, GB, FR, NL or ES, spaced or compact."""
        country = self.pick(["DE", "GB", "FR", "NL", "ES"])
        bban = {
            "DE": lambda: self.digits(18),
            "GB": lambda: self.s(string.ascii_uppercase, 4) + self.digits(14),
            "FR": lambda: self.digits(23),
            "NL": lambda: self.s(string.ascii_uppercase, 4) + self.digits(10),
            "ES": lambda: self.digits(20),
        }[country]()
        iban = country + iban_check_digits(country, bban) + bban
        if spaced is None:
            spaced = self.r.random() < 0.5
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)) if spaced else iban

    def ipv4(self) -> str:
        """An IPv4 address, private or public-looking."""
        if self.r.random() < 0.4:
            return f"10.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}"
        return ".".join(str(self.r.randint(11, 223)) for _ in range(2)) + (
            f".{self.r.randint(0, 255)}.{self.r.randint(1, 254)}"
        )

    def ipv6(self) -> str:
        """An IPv6 address, full or compressed."""
        groups = [f"{self.r.randint(0, 0xFFFF):x}" for _ in range(8)]
        form = self.r.randint(0, 2)
        if form == 0:
            return ":".join(groups)
        if form == 1:
            return f"2001:db8:{groups[2]}::{groups[6]}:{groups[7]}"
        return f"fe80::{groups[4]}:{groups[5]}:{groups[6]}:{groups[7]}"

    def ip(self) -> str:
        """Mostly IPv4, sometimes IPv6."""
        return self.ipv6() if self.r.random() < 0.25 else self.ipv4()

    def street(self, full: bool | None = None) -> str:
        """A street address, sometimes with city, state and ZIP."""
        num = str(self.r.randint(1, 9999))
        street = f"{num} {self.pick(STREETS)} {self.pick(SUFFIXES)}"
        if self.r.random() < 0.2:
            street += " " + self.pick(["NW", "SE", "N", "W"])
        if full is None:
            full = self.r.random() < 0.5
        if full:
            city, state = self.pick(CITIES)  # type: ignore[misc]
            street += f", {city}, {state} {self.r.randint(10000, 99999)}"
        return street

    def dob(self, style: str = "iso") -> str:
        """A date of birth between 1940 and 2005 (ISO or US style)."""
        y, m, d = self.r.randint(1940, 2005), self.r.randint(1, 12), self.r.randint(1, 28)
        return f"{y}-{m:02d}-{d:02d}" if style == "iso" else f"{m:02d}/{d:02d}/{y}"

    def cvv(self) -> str:
        """A three-digit (rarely four-digit) card verification value."""
        return self.digits(4) if self.r.random() < 0.15 else self.digits(3)

    # -- credentials ----------------------------------------------------------------
    def password(self) -> str:
        """A password without quotes, spaces, ``=`` or ``&`` (safe in every carrier)."""
        if self.r.random() < 0.4:
            word = self.pick(["Summer", "Winter", "Dragon", "Monkey", "Falcon", "Rocket"])
            return f"{word}{self.r.randint(1970, 2030)}{self.pick(['!', '#', '$', '*', '.'])}"
        return self.s(ALNUM + "!#%*._-", self.r.randint(10, 18))

    def aws_access_key(self) -> str:
        """An AWS access key id: AKIA plus 16 of [A-Z2-7]."""
        return "AKIA" + self.s(string.ascii_uppercase + "234567", 16)

    def aws_secret_key(self) -> str:
        """A 40-character AWS secret access key."""
        return self.s(ALNUM + "/+", 40)

    def token(self, entity: str) -> str:
        """A vendor token with the right prefix and length for ``entity``."""
        r = self.r
        makers = {
            "GITHUB_TOKEN": lambda: (
                "ghp_" + self.s(ALNUM, 36)
                if r.random() < 0.6
                else "github_pat_" + self.s(ALNUM, 22) + "_" + self.s(ALNUM, 59)
            ),
            "GITLAB_TOKEN": lambda: "glpat-" + self.s(ALNUM + "_-", 20),
            "SLACK_TOKEN": lambda: (
                f"xox{self.pick(['b', 'p'])}-{self.digits(12)}-{self.digits(13)}-"
                + self.s(ALNUM, 24)
            ),
            "STRIPE_KEY": lambda: "sk_live_" + self.s(ALNUM, r.randint(24, 40)),
            "GOOGLE_API_KEY": lambda: "AIza" + self.s(ALNUM + "_-", 35),
            "TWILIO_KEY": lambda: "SK" + self.s(HEX, 32),
            "SENDGRID_KEY": lambda: "SG." + self.s(WORD, 22) + "." + self.s(WORD, 43),
            "NPM_TOKEN": lambda: "npm_" + self.s(ALNUM, 36),
            "PYPI_TOKEN": lambda: "pypi-AgEIcHlwaS5vcmc" + self.s(WORD, 60),
            "AWS_ACCESS_KEY": self.aws_access_key,
            "JWT": self.jwt,
        }
        return makers[entity]()

    def opaque_token(self) -> str:
        """An opaque bearer or API token."""
        return self.s(ALNUM + "-_.", self.r.randint(28, 48))

    def generic_secret(self) -> str:
        """A value for an api_key / client_secret field (hex or base62)."""
        return self.s(HEX, 32) if self.r.random() < 0.4 else self.s(ALNUM, self.r.randint(24, 40))

    def jwt(self) -> str:
        """A structurally real JWT: base64url header with alg, payload, signature."""
        alg = self.pick(["HS256", "RS256", "ES256"])
        header = {"alg": alg, "typ": "JWT"}
        if self.r.random() < 0.5:
            header["kid"] = self.s(HEX, 16)
        iat = self.r.randint(1_700_000_000, 1_735_000_000)
        payload = {
            "sub": self.pick([f"user_{self.digits(6)}", self.uuid()]),
            "iss": "https://auth.example.com/",
            "iat": iat,
            "exp": iat + 3600,
            "scope": self.pick(["orders:read", "openid profile email", "payments:write"]),
        }
        sig_len = {"HS256": 43, "RS256": 342, "ES256": 86}[alg]
        return ".".join(
            (
                _b64url(json.dumps(header, separators=(",", ":")).encode()),
                _b64url(json.dumps(payload, separators=(",", ":")).encode()),
                self.s(B64URL, sig_len),
            )
        )

    def basic_auth(self) -> str:
        """The base64 value of a Basic Authorization header (user:password)."""
        user = self.pick(["svc-etl", "admin", "jenkins", "grafana", "api"])
        return base64.b64encode(f"{user}:{self.password()}".encode()).decode()

    def pem_body(self) -> tuple[str, list[str]]:
        """A fake PEM private key: (kind, body lines of base64)."""
        kind = self.pick(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY"])
        lead = {"RSA PRIVATE KEY": "MIIEpAIBAAKCAQEA", "PRIVATE KEY": "MIIEvQIBADANBgkq",
                "EC PRIVATE KEY": "MHcCAQEEI"}[kind]
        n = self.r.randint(3, 7)
        lines = [lead + self.s(B64, 64 - len(lead))]
        lines += [self.s(B64, 64) for _ in range(n - 1)]
        lines.append(self.s(B64, self.r.randint(16, 60)) + self.pick(["", "=", "=="]))
        return kind, lines

    # -- lookalikes -----------------------------------------------------------------
    def uuid(self) -> str:
        """A random version-4 UUID."""
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))

    def hexid(self, n: int) -> str:
        """A hex string of ``n`` characters that contains at least one letter."""
        while True:
            v = self.s(HEX, n)
            if any(c in "abcdef" for c in v):
                return v

    def semver(self) -> str:
        """A semantic version such as v1.24.3 or 2.8.0-rc.1."""
        base = f"{self.r.randint(0, 3)}.{self.r.randint(10, 40)}.{self.r.randint(0, 12)}"
        return self.pick([f"v{base}", f"{base}-rc.{self.r.randint(1, 4)}", f"v{base}-beta.2"])

    def epoch(self) -> int:
        """Epoch seconds in 2023-2025."""
        return self.r.randint(1_672_531_200, 1_767_225_599)

    def iso(self, epoch: int | None = None, style: str = "z") -> str:
        """An ISO-8601 timestamp (UTC) derived from epoch seconds."""
        import datetime as dt

        t = dt.datetime.fromtimestamp(epoch or self.epoch(), tz=dt.UTC)
        ms = self.r.randint(0, 999)
        if style == "z":
            return t.strftime("%Y-%m-%dT%H:%M:%S") + f".{ms:03d}Z"
        if style == "space":
            return t.strftime("%Y-%m-%d %H:%M:%S") + f",{ms:03d}"
        return t.strftime("%Y-%m-%dT%H:%M:%S") + "+00:00"

    def duration(self) -> str:
        """A duration such as 1234ms or 12.345s."""
        if self.r.random() < 0.5:
            return f"{self.r.randint(1000, 99999)}ms"
        return f"{self.r.randint(10, 99)}.{self.r.randint(100, 999)}s"

    def pod(self, app: str | None = None) -> str:
        """A Kubernetes pod name from a Deployment (app-<hash>-<suffix>)."""
        app = app or self.pick(["api", "worker", "checkout", "payments-api", "ingest"])
        return f"{app}-{self.s(K8S, self.r.randint(9, 10))}-{self.s(K8S, 5)}"

    def order_id(self) -> str:
        """An order or invoice number."""
        if self.r.random() < 0.5:
            return f"ORD-{self.r.randint(2023, 2025)}-{self.r.randint(0, 999999):06d}"
        return f"INV-{self.r.randint(10000, 99999)}"

    def non_luhn16(self) -> str:
        """A 16-digit run that fails the Luhn check."""
        while True:
            v = str(self.r.randint(1, 9)) + self.digits(15)
            if not luhn_valid(v):
                return v

    def api_path(self) -> str:
        """An HTTP path with a numeric id."""
        return f"/api/v{self.r.randint(1, 3)}/{self.pick(SERVICES)}/{self.r.randint(100, 99999)}"

    def block_id(self) -> str:
        """An HDFS block id."""
        return f"blk_{self.pick(['-', ''])}{self.r.randint(10**17, 9 * 10**18)}"

    def hexaddr(self) -> str:
        """A hex memory address."""
        return "0x" + self.pick(["7ffd", "7f3a", "0000"]) + self.s(HEX, self.r.choice([4, 8, 12]))

    def java_class(self) -> str:
        """A fully qualified Java class name."""
        pkg = self.pick(["com.acme.payments", "org.example.orders", "io.shop.checkout"])
        cls = self.pick(["ChargeService", "OrderController", "LedgerRepository", "RetryTemplate"])
        return f"{pkg}.{self.pick(['service', 'web', 'repo'])}.{cls}"

    def host_port(self) -> str:
        """A hostname with a port."""
        host = self.pick(["redis-cache.internal", "db-primary.prod.svc", "kafka-0.kafka-headless"])
        return f"{host}:{self.pick(['6379', '5432', '9092', '8443', '15672'])}"
