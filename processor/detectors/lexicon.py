"""Name lexicons from public statistics: given names and family names.

Given names: about 48,000 first names of 54 countries.

The names come from Jörg Michael's name dictionary (``nam_dict.txt``, 2008), which the
``gender-guesser`` package ships unmodified; it is read from the installed package, not
copied. Licence: GNU Free Documentation License 1.2 or later. The dictionary was built
from national name statistics and covers Europe (Romance, Germanic, Slavic, Nordic,
Baltic, Irish), Turkey, the Arab world, South and East Asia and Vietnam; West African
names are thin in it, so the context rules and NER still matter there.

Only the name column is kept. Names that are also ordinary English words of logs (the
validator's vocabulary) do not count as given names on their own.

Family names: the 162,252 surnames that occur 100 times or more in the 2010 US census
(US Census Bureau, "Frequently Occurring Surnames from the 2010 Census"; a work of the
US government, public domain). A country of immigrants, so the list holds Vietnamese,
South Asian, West African, Turkish, Slavic and Irish surnames as well as English ones.
The census writes them in ASCII capitals without apostrophes (OSULLIVAN, GONCALVES), so
a word is folded the same way before the look-up (:func:`fold_name`).
``data/surnames_census2010.txt.gz`` is rebuilt by ``scripts/data/build_surnames.py``.
"""

from __future__ import annotations

import gzip
import unicodedata
from functools import lru_cache
from importlib import resources

__all__ = ["family_names", "fold_name", "given_names", "is_given_name"]

_PACKAGE = "gender_guesser"
_FILE = "data/nam_dict.txt"


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Every given name of the dictionary, lower-cased (compound names split at ``+``)."""
    names: set[str] = set()
    path = resources.files(_PACKAGE).joinpath(_FILE)
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line or line[0] in "#=":
                continue
            parts = line.split(maxsplit=2)
            if len(parts) < 2:
                continue
            for piece in parts[1].replace("-", "+").split("+"):
                if len(piece) >= 3:
                    names.add(piece.lower())
    return frozenset(names)


@lru_cache(maxsize=1)
def family_names() -> frozenset[str]:
    """Every surname of the 2010 census list, lower-cased ASCII."""
    path = resources.files(__package__).joinpath("data/surnames_census2010.txt.gz")
    return frozenset(gzip.decompress(path.read_bytes()).decode("ascii").split())


_UNDECOMPOSED = str.maketrans("ĐđØøŁłÆæß", "DdOoLlAas")


def fold_name(word: str) -> str:
    """``O'Sullivan`` → ``osullivan``, ``Gonçalves`` → ``goncalves``: the census's spelling."""
    # Đ/đ (Vietnamese, Croatian) and Ø/ø, Ł/ł have no decomposition: they are mapped
    decomposed = unicodedata.normalize("NFKD", word.translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if c.isascii() and c.isalpha()).lower()


def _plain(word: str) -> str:
    """``word`` without its accents (Siobhán → siobhan), lower-cased."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower())
                   if not unicodedata.combining(c))


def is_given_name(word: str) -> bool:
    """Whether ``word`` is a known given name, also written without its accents or
    joined by a hyphen to another one (Lars-Erik, Jean-Baptiste)."""
    names = given_names()
    parts = word.lower().split("-")
    return all(p in names or _plain(p) in names for p in parts) and all(parts)
