"""Name validator: a capitalised run that reads as a person's name, not a phrase.

Context rules (a role word, a participle with by/for/to, a CSV cell) find capitalised
runs; this check turns down the runs that are ordinary words of logs and software:
products, statuses, places of a UI, function words. The list
(``data/log_vocabulary.txt``) is English vocabulary and technical terms, written by
hand; it holds no person names. The lexicon rule also asks that the first word be a
known given name (:mod:`processor.detectors.lexicon`).
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from typing import Any

from processor.detectors.lexicon import family_names, fold_name, is_given_name

__all__ = ["CALENDAR", "VOCABULARY", "check_given_name_first", "check_name_by_lexicon",
           "check_person_name", "check_street_address"]

def _vocabulary() -> frozenset[str]:
    words: set[str] = set()
    text = resources.files(__package__).joinpath("data/log_vocabulary.txt").read_text("utf-8")
    for line in text.splitlines():
        words.update(line.split("#", 1)[0].split())
    return frozenset(words)


#: Ordinary words of logs and software (``data/log_vocabulary.txt``).
VOCABULARY = _vocabulary()
_COMMON = VOCABULARY
#: Days and months, also abbreviated: "Sun Dec" is a date; "Jan Novak" and "Trần Thu
#: Trang" are people, so these words turn a run down only when nothing else is in it.
CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur "
    "thurs fri sat sun january february march april may june july august september october "
    "november december jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_TITLES = frozenset(("mrs", "mr", "ms", "miss", "dr", "prof", "mx"))
#: Particles written in lower case between the words of a name.
_PARTICLES = frozenset(("an", "t", "s", "de", "da", "do", "dos", "das", "del", "della", "di",
                        "van", "von", "der", "den", "la", "le", "du", "des", "y", "e", "bin",
                        "binti", "ibn", "al", "el", "ter", "ten", "zu"))
#: Log words that are also names in a later position of a full name.
_NAME_AFTER_FIRST = frozenset(("an",))
#: Log words that are also common family names, at the end of a full name.
_SURNAMES_IN_VOCABULARY = frozenset(("price", "page", "west", "north", "south", "east", "power"))


# (t, n and h: the Irish prefixes of a family name after a particle, Mac an tSaoir, Ó hAodha)
# (a typographic apostrophe, U+2019, is compared as ', so it counts in a prefix too)
_CAMEL_OK = ("Mc", "Mac", "De", "Di", "Da", "La", "Le", "Van", "Von", "Fitz", "O'", "D'",
             "Dell'", "Dall'", "Sant'", "t", "n", "h")


def _camel_case(word: str) -> bool:
    """SleepType, JobId: an identifier, unless a name prefix explains the capital (McKay)."""
    inner = [i for i, c in enumerate(word) if i > 0 and c.isupper()]
    if not inner:
        return False
    # after the prefix, the rest is one capitalised word (Dell'Acqua, not Dell'ItemHandler)
    prefix = word[: inner[0]].replace("’", "'")
    return prefix not in _CAMEL_OK or _camel_case(word[inner[0]:])


def _inner_particle(i: int, words: list[str], raw: list[str]) -> bool:
    """A particle in lower case inside a name (Mac an tSaoir, van 't Hof, da Silva)."""
    return 0 < i < len(words) - 1 and not raw[i][:1].isupper() and words[i] in _PARTICLES


def _name_word(i: int, words: list[str], raw: list[str]) -> bool:
    """Whether the log word ``words[i]`` reads as part of a name in this run.

    "An" after another word is a Vietnamese name (Nguyễn Văn An), not the article. A
    family name that is also a log word (Price, West) ends a name that a known given
    name begins (Alice Price). A given name that is a log word ("Can", "Will") still
    turns a run down: "Can Connect" is more often a phrase than a person.
    """
    word, capital = words[i], raw[i][:1].isupper()
    if not capital or len(words) < 2:
        return False
    if i and word in _NAME_AFTER_FIRST:
        return True
    return (i == len(words) - 1 and word in _SURNAMES_IN_VOCABULARY
            and is_given_name(words[0]) and words[0] not in _COMMON)


def _initial(raw: list[str], i: int) -> bool:
    """``raw[i]`` is an initial that begins a name (the A. of A. Rahman or Mr. A. Rahman),
    not the article "A" or a heading's letter (Section A. Overview)."""
    return all((len(w) == 2 and w[0].isupper() and w[1] == ".")
               or (j < i and w.rstrip(".").lower() in _TITLES)
               for j, w in enumerate(raw[:i + 1]))


def check_person_name(text: str, args: Mapping[str, Any]) -> bool:
    raw = text.replace("-", " ").split()
    words = [w.strip(".,'’").lower() for w in raw]
    # Too few words for the caller (NER asks for a full name: one word is too often a term).
    if len(words) < int(args.get("min_words", 1)):
        return False
    # Titles and particles alone do not decide; every other word must be no common word.
    if any(w in _COMMON and not _name_word(i, words, raw) and not _inner_particle(i, words, raw)
           and not _initial(raw, i) for i, w in enumerate(words)):
        return False
    # A date in words ("Sun Dec", "Mon Jul"): nothing but days and months.
    if all(w in CALENDAR for w in words):
        return False
    # Identifiers in camel case (SleepType, JobHistoryEventHandler) are no names.
    if any(_camel_case(w) for w in raw if not (args.get("capitals") and w.isupper())):
        return False
    # A run in capitals (SERVICE BUS) or a single letter is an acronym or an initial,
    # unless a label says a name written in capitals follows (NAME: KWABENA ASANTE).
    return bool(args.get("capitals")) or not text.isupper()


def _without_title(text: str) -> list[str]:
    """The words of ``text``, less a title before them (Dr., Mrs)."""
    words = text.split()
    if words and words[0].rstrip(".").lower() in _TITLES:
        return words[1:]
    return words


def check_given_name_first(text: str, args: Mapping[str, Any]) -> bool:
    """A full name whose first word (after a title) is a known given name."""
    words = _without_title(text)
    # One word is a first name only; the lexicon decides about the first word alone.
    if len(words) == 1 and args.get("alone"):  # "Dear Zsófia,": a greeting names one person
        return is_given_name(words[0]) and words[0].lower() not in _COMMON
    if len(words) < 2 or not is_given_name(words[0]):
        return False
    return check_person_name(" ".join(words), {"min_words": 2})


#: Given names that are also the first word of settings and ids (max.poll, mark.sweep).
_JOINED_NOT_NAMES = frozenset(("max", "min", "mark", "grant", "bill", "guy", "ray", "art",
                               "rich", "chase", "sky", "summer", "will", "jack", "frank"))


def _joined_name(text: str) -> bool:
    """A login or handle made of a known given name and a census family name
    (nnamdi.okafor, anna_schmidt): both must be known, as neither has a capital."""
    parts = [p for p in text.replace("_", ".").split(".")]
    if len(parts) != 2 or not all(len(p) >= 2 and p.isalpha() for p in parts):
        return False
    given, family = (p.lower() for p in parts)
    return (given not in _JOINED_NOT_NAMES and given not in VOCABULARY
            and family not in VOCABULARY and is_given_name(given)
            and fold_name(family) in family_names())


def _surname_comma_given(text: str) -> bool:
    """"Okafor, Nnamdi" as directories and exports write it: a census family name, a
    comma, then a given name (and perhaps a middle name or initial) that is no log word.
    The rule takes it only as a whole cell or after a name label, which vouches for
    given names the lexicon lacks."""
    family, _, rest = text.partition(",")
    given = rest.split()
    if not given or " " in family.strip() or fold_name(family) not in family_names():
        return False
    if family.strip().lower() in VOCABULARY:
        return False
    return check_person_name(" ".join([*given, family.strip()]), {"min_words": 2})


def check_name_by_lexicon(text: str, args: Mapping[str, Any]) -> bool:
    """A full name that a lexicon vouches for: a known given name first, or a known
    family name last (Chidi Okonkwo, Kaito Diallo: given names the given-name list lacks).

    A known family name alone is a weaker sign than a known given name (many are also
    words: Stone, Block), so the other words must still be no log vocabulary and be
    words of letters of three or more. ``joined: true`` reads a handle (anna_schmidt),
    ``surname_first: true`` a directory form (Schmidt, Anna).
    """
    if args.get("joined"):
        return _joined_name(text)
    if args.get("surname_first"):
        return _surname_comma_given(text)
    if check_given_name_first(text, args):
        return True
    words = _without_title(text)
    # Family name first, as Vietnamese, Chinese and Korean write it (Phạm Quỳnh Anh):
    # a census family name, then nothing but known given names.
    if (len(words) >= 2 and fold_name(words[0]) in family_names()
            and fold_name(words[0]) not in _COMMON
            and all(is_given_name(w) and w.lower() not in _COMMON for w in words[1:])):
        return check_person_name(" ".join(words), {"min_words": 2})
    if len(words) < 2 or len(fold_name(words[0])) < 3:
        return False
    last = fold_name(words[-1].split("-")[-1])
    if last in _COMMON or last not in family_names():
        return False
    return check_person_name(" ".join(words), {"min_words": 2})


_NOT_ADDRESS = frozenset(
    """
    is are was were be been has have had of than then and or if when while after before
    records record bytes byte kb mb gb items item seconds second secs sec ms minutes
    hours retries retry errors error requests request lines line files file rows row
    version build release times attempts attempt messages events tasks jobs nodes
    threads ports users total count size ok failed status
    order orders node page step batch ticket worker job task pid shard
    partition replica invoice
    """.split()
)


#: Street types written before the name (Via dei Mille 24, Rue Neuve 12), some of which
#: are also log words ("via").
_STREET_TYPES = frozenset(
    "via viale vicolo corso piazza strada rue avenue boulevard bd chemin route allée place "
    "calle carrer avenida av avda paseo passeig camino plaza rambla rua praça travessa largo "
    "ulica ul al aleja plac street road".split()
)


def _street_row(text: str, word: str) -> bool:
    tokens = text.split()
    return word == "row" and any(t.strip(".,") == "Row" and tokens[i - 1][:1].isupper()
                                 for i, t in enumerate(tokens) if i)


def check_street_address(text: str, args: Mapping[str, Any]) -> bool:
    # A word in capitals (OR, IN, ME) is a state or province code here, not "or" or "in".
    words = [w.strip(".,()'’").lower() for w in text.split()
             if not (w.strip(".,()").isupper() and len(w.strip(".,()")) <= 3)]
    # Log vocabulary (units, counters, verbs): "took 15 seconds, 2000 items" is no address.
    # "Row" in capitals after a capitalised word is a street type (12 Maple Row).
    if any(w in _NOT_ADDRESS and not _street_row(text, w) for w in words):
        return False
    # A date ("Fri, 07 Jul 2017"): two day or month words, or one before a year.
    dated = [i for i, w in enumerate(words) if w in CALENDAR]
    if len(dated) >= 2 or any(i + 1 < len(words) and words[i + 1].isdigit()
                              and len(words[i + 1]) == 4 and words[i + 1][:2] in ("19", "20")
                              for i in dated):
        return False
    # With ``street_first``, a run that starts with a word (not a house number) must not
    # start with log vocabulary: "moved to Stage 2" names a step, "Allee 142" a street.
    if (args.get("street_first") and words and not words[0][:1].isdigit()
            and words[0] in VOCABULARY and words[0] not in _STREET_TYPES):
        return False
    # With ``town_last``, the words after the last comma are a town, never log words:
    # "failed at Shard 4, Retrying" is no address.
    town = text.rsplit(",", 1)[-1].split() if args.get("town_last") else []
    return not any(w.strip(".()'’").lower() in VOCABULARY for w in town)
