"""Values for the fresh corpus: sources that neither earlier corpus nor any rule used.

People and places come from the mimesis package (test data only: no detector may use
its lists) in Latin-script locales, plus short hand-written lists for traditions that
mimesis lacks (Vietnamese, West African, South Asian, Irish, Arabic in Latin script).
Phones are random numbers that libphonenumber accepts as valid; cards and IBANs are
random digits with a valid check digit. Nothing here is imported by the engine.
"""

from __future__ import annotations

import random
import string
from typing import ClassVar

import phonenumbers
from mimesis import Address, Locale, Person

__all__ = ["FreshValues"]

_NAME_LOCALES = (Locale.FR, Locale.DE, Locale.DE_AT, Locale.DE_CH, Locale.ES, Locale.ES_MX,
                 Locale.IT, Locale.PT, Locale.PT_BR, Locale.NL, Locale.NL_BE, Locale.PL,
                 Locale.CS, Locale.SK, Locale.HR, Locale.DA, Locale.NO, Locale.SV, Locale.FI,
                 Locale.IS, Locale.TR, Locale.HU, Locale.EN, Locale.EN_GB, Locale.EN_AU,
                 Locale.EN_CA, Locale.ET)
#: (given names, family names) for traditions mimesis has no locale for; written here.
_HAND = (
    (("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"),
     ("Minh Châu", "Thu Trang", "Quang Huy", "Bảo Ngọc", "Văn Dũng", "Thị Lan")),
    (("Adaeze", "Oluwaseun", "Kofi", "Abena", "Moussa", "Fatoumata", "Chinedu", "Yaw"),
     ("Eze", "Adeyemi", "Boateng", "Diallo", "Traoré", "Ndiaye", "Okoro", "Asante")),
    (("Anjali", "Vikram", "Meenakshi", "Sanjay", "Farhan", "Lakshmi", "Rohan", "Ayesha"),
     ("Iyer", "Chatterjee", "Reddy", "Siddiqui", "Menon", "Bhattacharya", "Gill", "Rao")),
    (("Saoirse", "Cian", "Niamh", "Eoghan", "Caoimhe", "Donnchadh", "Róisín", "Tadhg"),
     ("Ó Briain", "Nic Aodha", "Mac Giolla", "Ní Dhomhnaill", "O'Sullivan", "Ó Conaill")),
    (("Yousef", "Mariam", "Khalid", "Huda", "Tariq", "Leila", "Hamza", "Noor"),
     ("al-Rashid", "bin Salem", "El-Sayed", "Haddad", "al-Mansour", "Abdallah")),
)
_TITLES = ("Mrs", "Mr", "Dr", "Ms", "Prof.", "Mrs.", "Dr.")
_ADDR_LOCALES = {Locale.EN: "us", Locale.EN_GB: "uk", Locale.DE: "eu", Locale.FR: "eu",
                 Locale.NL: "eu", Locale.IT: "eu", Locale.ES: "eu", Locale.PL: "eu",
                 Locale.DE_AT: "eu", Locale.SV: "eu", Locale.CS: "eu", Locale.EN_AU: "au",
                 Locale.PT: "eu", Locale.FI: "eu", Locale.DA: "eu"}
_PHONE_REGIONS = ("DE", "FR", "GB", "AU", "IN", "NG", "VN", "TR", "IE", "SN", "GH", "PK", "BR",
                  "ES", "IT", "NL", "SE", "PL", "US", "CA", "CH", "AT", "BE", "DK", "NO",
                  "PT", "KE", "ZA", "MX", "JP")
_PHONE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)
#: (prefix, length, grouping) of card schemes.
_CARDS = (("4", 16, (4, 4, 4, 4)), ("53", 16, (4, 4, 4, 4)), ("2720", 16, (4, 4, 4, 4)),
          ("37", 15, (4, 6, 5)), ("34", 15, (4, 6, 5)), ("6011", 16, (4, 4, 4, 4)),
          ("3566", 16, (4, 4, 4, 4)), ("36", 14, (4, 6, 4)), ("6221", 19, (4, 4, 4, 4, 3)),
          ("65", 16, (4, 4, 4, 4)))
#: country -> BBAN shape: n digits, a upper-case letters, c alphanumerics.
_IBAN = {"DE": "18n", "FR": "23n", "GB": "4a14n", "ES": "20n", "IT": "1a10n12c", "NL": "4a10n",
         "BE": "12n", "AT": "16n", "CH": "17n", "PL": "24n", "PT": "21n", "IE": "4a14n",
         "SE": "20n", "DK": "14n", "FI": "14n", "LU": "16n", "NO": "11n"}


def _luhn_digit(partial: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


class FreshValues:
    """Random values for one record; deterministic given the ``random.Random``."""

    _people: ClassVar[dict[Locale, Person]] = {}
    _places: ClassVar[dict[Locale, Address]] = {}

    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def _s(self, alphabet: str, n: int) -> str:
        return "".join(self.r.choice(alphabet) for _ in range(n))

    def _person(self, loc: Locale) -> Person:
        p = self._people.setdefault(loc, Person(loc))
        p.reseed(self.r.getrandbits(32))
        return p

    def _place(self, loc: Locale) -> Address:
        a = self._places.setdefault(loc, Address(loc))
        a.reseed(self.r.getrandbits(32))
        return a

    # -- people and places ------------------------------------------------------------
    def person(self) -> str:
        """A full name, sometimes with a title or a middle name."""
        if self.r.random() < 0.3:
            first, second = self.r.choice(_HAND)  # Vietnamese lists put the family first
            name = f"{self.r.choice(first)} {self.r.choice(second)}"
        else:
            p = self._person(self.r.choice(_NAME_LOCALES))
            name = f"{p.first_name()} {p.last_name()}"
            if self.r.random() < 0.1:
                name = f"{p.first_name()} {name}"
        if self.r.random() < 0.12:
            name = f"{self.r.choice(_TITLES)} {name}"
        return name

    def address(self) -> str:
        """A one-line street address in its country's order, with postcode and town."""
        loc = self.r.choice(tuple(_ADDR_LOCALES))
        a = self._place(loc)
        street, city, code = a.address(), a.city(), a.postal_code()
        shape = _ADDR_LOCALES[loc]
        if shape == "us":
            return f"{street}, {city}, {a.state(abbr=True)} {code}"
        if shape == "uk":
            return f"{street}, {city} {code}" if self.r.random() < 0.5 else \
                f"{street}, {city}, {code}"
        if shape == "au":
            return f"{street}, {city} {a.state(abbr=True)} {code}"
        return f"{street}, {code} {city}"

    def phone(self) -> tuple[str, bool]:
        """(number, international): a number libphonenumber holds valid for its region."""
        region = self.r.choice(_PHONE_REGIONS)
        ex = phonenumbers.example_number_for_type(region, self.r.choice(_PHONE_TYPES))
        if ex is None:
            ex = phonenumbers.example_number(region)
        nsn = str(ex.national_number)
        num = ex
        for _ in range(30):
            keep = max(2, len(nsn) - 5)
            cand = phonenumbers.parse(f"+{ex.country_code}{nsn[:keep]}"
                                      f"{self._s(string.digits, len(nsn) - keep)}")
            if phonenumbers.is_valid_number(cand):
                num = cand
                break
        form = self.r.random()
        if form < 0.45:
            return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.INTERNATIONAL), \
                True
        if form < 0.65:
            return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164), True
        return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.NATIONAL), False

    def email(self) -> str:
        """An email address from a random locale's person."""
        return str(self._person(self.r.choice(_NAME_LOCALES[:12])).email())

    def card(self) -> str:
        """A Luhn-valid card number, grouped as its scheme prints it or not at all."""
        prefix, length, groups = self.r.choice(_CARDS)
        body = prefix + self._s(string.digits, length - len(prefix) - 1)
        digits = body + _luhn_digit(body)
        sep = self.r.choice((" ", "-", ".", "", " ", "-"))
        parts, i = [], 0
        for g in groups:
            parts.append(digits[i : i + g])
            i += g
        return sep.join(parts)

    def iban(self) -> str:
        """A mod-97-valid IBAN of a European country, in groups of four or compact."""
        country = self.r.choice(tuple(_IBAN))
        bban = ""
        for n, kind in ((int(part[:-1]), part[-1]) for part in
                        _split_shape(_IBAN[country])):
            alphabet = {"n": string.digits, "a": string.ascii_uppercase,
                        "c": string.ascii_uppercase + string.digits}[kind]
            bban += self._s(alphabet, n)
        rearranged = bban + country + "00"
        check = 98 - int("".join(str(int(c, 36)) for c in rearranged)) % 97
        iban = f"{country}{check:02d}{bban}"
        if self.r.random() < 0.6:
            return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
        return iban

    def password(self) -> str:
        """A password of 9 to 20 characters with letters, digits and a symbol."""
        core = self._s(string.ascii_letters + string.digits, self.r.randint(8, 18))
        return core + self.r.choice("!$%*+-_.~#") + self._s(string.digits, 1)


def _split_shape(shape: str) -> list[str]:
    """'4a14n' -> ['4a', '14n']."""
    parts, cur = [], ""
    for ch in shape:
        cur += ch
        if ch.isalpha():
            parts.append(cur)
            cur = ""
    return parts
