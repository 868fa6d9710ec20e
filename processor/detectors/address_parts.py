"""The rest of an address that a record holds in the cells after its street.

Exports, SQL and markup split an address over several values: CSV cells
(``"17 Orchard Lane","Whitby","YO21 3HB"``), the literals of a VALUES list or of
``SET street=..., city=...``, XML elements and attributes, ``key=value`` pairs. The
address rules find the street; this step follows it, cell by cell, over the town, state
and postcode that come next, so that no part of the address survives. Each cell is its
own finding, so the separators, quotes and column count of the record stay as they were.

A town after a bare space (``12 Baker Street London``) is taken too, as one span with the
street, and so is a flat or unit written before the house number (``Unit 3 Brindley
Court``). Cells are taken only in these shapes, at most four, and a town word that is
ordinary log vocabulary (``Active``, ``Pending``) or a day or month ends the walk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import regex

from processor.detectors._clock import time_left
from processor.detectors.validators import CALENDAR, VOCABULARY
from processor.errors import BudgetExceeded
from processor.records import Finding

__all__ = ["ADDRESS_ENTITY", "address_parts"]

ADDRESS_ENTITY = "STREET_ADDRESS"
_MAX_CELLS = 4

# names of address parts as keys, attributes or elements (compared lower-cased)
_KEY = (r"(?i:city|town|locality|suburb|village|municipality|ort|plz|cp|postcode|post_?code"
        r"|postal_?code|zip|zip_?code|zipcode|state|province|region|county|district"
        r"|country|country_?code|line_?2|address_?2|address_?line_?2|unit|apt|suite"
        r"|postal|place|code|ville|stadt|ciudad|cidade|citt[aà]|miasto|cap)")
_WORD = r"\p{Lu}[\p{L}\p{M}'’.\-]{0,30}(?<!['’])"
# particles inside a town's name: Frankfurt am Main, Ústí nad Labem, Wijk bij Duurstede,
# Mo i Rana, Rothenburg ob der Tauber (up to two in a row: de los Reyes)
_PARTICLE = r"(?:de|da|do|dos|das|del|della|di|la|las|los|le|les|lès|du|des|der|den|van|von" \
            r"|am|an|im|ob|bei|aan|op|bij|nad|pod|na|u|ve|i|in|y|e|of|sur|sous|upon|on|en)"
# a word elided into the next (Reggio nell'Emilia, Cassano d'Adda)
_ELIDED = r"(?:nell|dell|sull|d|l)['’]\p{Lu}[\p{L}\p{M}]{1,24}"
# region words written in lower case after a name (Stockholms län, Košický kraj, Hlavní
# město Praha) and Polish voivodeships, lower-case adjectives (małopolskie)
_REGION = (r"(?:kraj|län|město|megye|maakond|županija|fylke|amt|kommune|county|province"
           r"|provincie|oblast|kreis|landkreis|bezirk|kanton|canton)")
_TOWN = (rf"(?:(?:'s-)?{_WORD}(?:[ ](?:(?:{_PARTICLE}[ ]){{1,2}}|{_REGION}[ ])?{_WORD}"
         rf"|[ ]{_ELIDED}){{0,3}}"
         rf"(?:[ ]{_REGION})?|\p{{Ll}}{{3,20}}skie)")
_POSTCODE = (r"(?:\d{5}(?:-\d{4}|-\d{3})?|\d{6}|\d{4}[ ]?[A-Z]{2}|\d{2}-\d{3}|\d{4}-\d{3}"
             r"|\d{3}[ ]\d{2}"
             r"|[A-Z]{1,2}\d[A-Z\d]?[ ]\d[A-Z]{2}|[A-Z]\d[A-Z][ ]?\d[A-Z]\d|[A-Z]\d{2}[ ][A-Z\d]{4}"
             r"|[A-Z]{1,2}-\d{4,5}|\d{3,4})")
_STATE = r"[A-Z]{2,3}"
# what may stand between two cells of one address
_SEP = (
    r"(?P<sep>"
    # XML: </street><city> or </street> <city id="2">
    rf"</[\w:.-]{{1,30}}>\s{{0,4}}<{_KEY}(?:\s[^<>]{{0,100}})?>"
    # key=value, attribute or dict pairs: ' city=London', '", city="', "', 'zip': '"
    # (also on the next line of YAML or an env file, or after an escaped newline:
    # '\n  city: London'), and command-line flags: ' --city "London"'
    rf"|[\"']?(?:[ \t]{{0,2}}[,;&]?[ \t]{{0,2}}|[ \t]{{0,2}}(?:\n|\\n)[ \t]{{0,8}})"
    rf"[\"']?{_KEY}[\"']?[ \t]{{0,2}}(?:=>|[:=])[ \t]{{0,2}}[\"']?"
    rf"|[\"']?[ \t]{{1,2}}--?{_KEY}(?:[ ]{{1,2}}|=)[\"']?"
    # the next row of a Markdown table: ' |\n| city | '
    rf"|[ \t]{{0,2}}\|(?:\n|\\n)\|[ \t]{{0,2}}{_KEY}[ \t]{{0,2}}\|[ \t]{{0,2}}"
    # CSV cells and SQL literals: "," or ', ' or ; or | (after "utca 12." too)
    r"|\.?[\"']?[ \t]{0,2}[,;|\t/·•][ \t]{0,2}[\"']?"
    # the next line of an address held in one value ("Kirchstraße 12\n10115 Berlin"),
    # its newline escaped or not
    r"|,?[ \t]{0,2}(?:\n|\\n)[ \t]{0,8}"
    # the postcode and town in brackets after the street: "Limmatquai 52 (8001 Zürich)",
    # and what follows a bracketed province: "Montréal (Québec) H2X 1K4"
    r"|[ ]\(|\),?[ ]{1,2}"
    # a town after "in" ("sent to Dorpsstraat 112 in Utrecht")
    r"|[ ](?P<inword>in|à|en|im)[ ]"
    # a town or postcode after a bare space, in the same span as the street
    r"|(?P<space>[ ]))"
)
# a flat, unit, room or building, after the street or before its number
_FLAT = r"Apt|Apartment|Suite|Ste|Unit|Flat|Room|Rm|Bldg|Building|Blk|Lot"
# flats, floors and blocks after the street, in English and as Romanian (bl., sc., et.,
# ap.), Polish (lok., m.), Spanish (Int., dpto), Portuguese (apto, andar, sala), Turkish
# (Daire, Kat), Belgian (bte), Swedish (lgh), Austrian (Top, Stiege) and Russian (кв.)
# write them, and numbered floors (3. OG)
_UNIT = (rf"(?:(?i:{_FLAT}|Floor|Fl|Piso|Piano|Etage|Int|Interior|Daire|Kat|Phase|bte|boîte"
         r"|bus|lgh|Top|Stiege|Tür|Whg|apto|dpto|depto|apartamento|departamento|andar|sala|conj|bloco"
         r"|lote|casa)(?!\p{L})"
         r"\.?[ ]?[:\#]?\w{1,6}"
         r"|(?:bl|sc|et|ap|lok|m|кв|корп|стр)\.[ ]?\w{1,6}"
         r"|\d{1,2}\.[ ]?(?i:OG|EG|UG|DG|Stock|Etage|th|tv|mf|sal)\.?"
         r"(?:[ ](?:links|rechts|Mitte|li\.|re\.))?"
         r"|\d{1,3}/F)")
_CELL = (
    rf"(?P<cell>(?P<state>{_STATE})(?:[ ]{_POSTCODE})?|{_UNIT}"
    rf"|{_POSTCODE}(?:[ ]{_TOWN})?"
    rf"|{_TOWN}(?:[ ]{_STATE}(?![\p{{L}}\p{{M}}]))?(?:[ ]{_POSTCODE})?)"
    # a word that is the next key (Zip:70173 City:Stuttgart) is not part of the cell
    r"(?![\p{L}\p{M}\d_@/-]|\.\w|[:=]\S)"
)
_NEXT = regex.compile(_SEP + _CELL)
# a flat, unit or building written before the house number: "Unit 3 Brindley Court"
_UNIT_WORD = rf"(?:{_FLAT}|House|Block|Plot|Shop)"
# (with floors and towers: "Room 1203, 12/F, Tower 2, 1 Austin Road", "5th Floor, 100 King
# Street West")
_FLOOR = r"(?:\d{1,3}/F|\d{1,2}(?:st|nd|rd|th)[ ]Floor|(?:Floor|Level|Tower|Wing)[ ]\w{1,4})"
_BEFORE = regex.compile(
    rf"(?<![\p{{L}}\d])(?:(?:{_UNIT_WORD}\.?[ ]\#?\w{{1,6}}|{_FLOOR}),?[ ]){{1,3}}\Z"
    rf"|(?<![\p{{L}}\d]){_UNIT_WORD}\.?[ ]\#?\Z")
_BEFORE_WINDOW = 64
_POSTCODE_RE = regex.compile(_POSTCODE)
_DAYS = frozenset(("today", "yesterday", "tomorrow"))
_JOINED = regex.compile(rf"{_WORD}[ ](?:{_PARTICLE}[ ]){{1,2}}{_WORD}")


def _ordinary(cell: str) -> bool:
    """A cell that reads as log vocabulary or a date word, not as a place."""
    if _JOINED.search(cell):
        return False  # names joined by a particle read as a place (Frankfurt am Main)
    # particles written in lower case (Stoke-on-Trent, Frankfurt am Main) do not count
    words = [w.strip(".'’-") for w in cell.replace("-", " ").split() if w[:1].isupper()]
    # a state or province code after the town (Toronto ON, Melbourne VIC) is no word
    words = [w.lower() for i, w in enumerate(words) if not (i and w.isupper() and len(w) <= 3)]
    return any(w in VOCABULARY or w in CALENDAR or w in _DAYS for w in words)


def _follow(text: str, end: int, deadline: float) -> tuple[int, list[tuple[int, int]]]:
    """From the end of a street: the new end of its span and the cells found after it."""
    cells: list[tuple[int, int]] = []
    pos = end
    for _ in range(_MAX_CELLS):
        m = _NEXT.match(text, pos, timeout=time_left(deadline))
        if m is None:
            break
        cell = m.group("cell")
        if m.group("state") is not None and " " not in cell:
            # a bare code (IL, EUR) counts only when a postcode follows it, or after a
            # town and a slash, as Brazil writes its state (São Paulo / SP)
            after = _NEXT.match(text, m.end(), timeout=time_left(deadline))
            slash = "/" in m.group("sep") and len(cell) == 2
            if not slash and (after is None or not _POSTCODE_RE.fullmatch(after.group("cell"))):
                break
        elif _ordinary(cell):
            break
        if m.group("inword") is not None and (cells or not cell[:1].isupper()
                                              or _POSTCODE_RE.match(cell)):
            break  # after "in", only the first cell and only a town
        if m.group("space") is not None:
            if cells:
                break  # a space only continues the street's own span
            end = pos = m.end()
            continue
        cells.append(m.span("cell"))
        pos = m.end()
    return end, cells


def _unit_before(text: str, start: int) -> int:
    """The start of an address with the flat or unit written before its house number."""
    if not text[start:start + 1].isdigit():
        return start
    window = max(0, start - _BEFORE_WINDOW)
    m = _BEFORE.search(text[window:start])
    return window + m.start() if m is not None else start


def address_parts(text: str, found: Sequence[Finding], deadline: float) -> list[Finding]:
    """``found`` with each address stretched over the town, state and postcode after it.

    Raises BudgetExceeded past ``deadline``.
    """
    if not any(f.entity == ADDRESS_ENTITY for f in found):
        return list(found)
    out: list[Finding] = []
    try:
        for f in found:
            if f.entity != ADDRESS_ENTITY:
                out.append(f)
                continue
            end, cells = _follow(text, f.end, deadline)
            start = _unit_before(text, f.start)
            out.append(f if (start, end) == (f.start, f.end) else replace(f, start=start, end=end))
            out.extend(replace(f, start=s, end=e) for s, e in cells)
    except TimeoutError:
        raise BudgetExceeded("record time budget exceeded") from None
    return out
