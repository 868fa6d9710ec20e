"""Given-name lexicon: about 48,000 first names of 54 countries, from public statistics.

The names come from Jörg Michael's name dictionary (``nam_dict.txt``, 2008), which the
``gender-guesser`` package ships unmodified; it is read from the installed package, not
copied. Licence: GNU Free Documentation License 1.2 or later. The dictionary was built
from national name statistics and covers Europe (Romance, Germanic, Slavic, Nordic,
Baltic, Irish), Turkey, the Arab world, South and East Asia and Vietnam; West African
names are thin in it, so the context rules and NER still matter there.

Only the name column is kept. Names that are also ordinary English words of logs (the
validator's vocabulary) do not count as given names on their own.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

__all__ = ["given_names"]

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
