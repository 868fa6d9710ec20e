"""Name validator: a capitalised run that reads as a person's name, not a phrase.

Context rules (a role word, a participle with by/for/to, a CSV cell) find capitalised
runs; this check turns down the runs that are ordinary words of logs and software:
products, statuses, places of a UI, function words. The list is English vocabulary
and technical terms, written here by hand; it holds no person names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["check_person_name", "check_street_address"]

_COMMON = frozenset(
    """
    a an the of for to by in on at from with and or not no none null nil all any each every
    our your my this that these those some new old out off up down over under into via per
    found missing failed success pending active inactive open closed true false yes ok
    stock order orders payment payments card credit debit cash invoice billing account
    service services server servers system systems support team teams cloud data storage
    update updates upgrade job jobs queue pipeline worker workers engine cluster node nodes
    group groups admin administrator api app apps application portal gateway monitor
    scheduler agent apache google microsoft amazon azure aws windows linux kafka spring
    docker kubernetes default unknown guest user users customer customers client clients
    store shop center
    centre manager management console dashboard report reports event events log logs
    error errors warning info debug trace request response session token tokens
    file files folder disk network host port database table index cache proxy router
    public private internal external test tests build release version main master
    north south east west street road avenue city state country region zone east
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december today tomorrow yesterday
    morning evening night week month year day hour minute second
    mode status health check checks policy policies role roles rule rules access
    sleep normal wake select only lock view clock reset mask temperature writer handler
    type contacts power battery scan scanning mode display screen window thread process
    plug play interface driver device module kernel firmware
    united kingdom states york republic
    """.split()
)


_CAMEL_OK = ("Mc", "Mac", "De", "Di", "Da", "La", "Le", "Van", "Von", "Fitz", "O'", "D'")


def _camel_case(word: str) -> bool:
    """SleepType, JobId: an identifier, unless a name prefix explains the capital (McKay)."""
    inner = [i for i, c in enumerate(word) if i > 0 and c.isupper()]
    return bool(inner) and word[: inner[0]] not in _CAMEL_OK


def check_person_name(text: str, args: Mapping[str, Any]) -> bool:
    raw = text.replace("-", " ").split()
    words = [w.strip(".'’").lower() for w in raw]
    # Too few words for the caller (NER asks for a full name: one word is too often a term).
    if len(words) < int(args.get("min_words", 1)):
        return False
    # Titles and particles alone do not decide; every other word must be no common word.
    if any(w in _COMMON for w in words):
        return False
    # Identifiers in camel case (SleepType, JobHistoryEventHandler) are no names.
    if any(_camel_case(w) for w in raw):
        return False
    # A run in capitals (SERVICE BUS) or a single letter is an acronym or an initial.
    return not text.isupper()


_NOT_ADDRESS = frozenset(
    """
    is are was were be been has have had of than then and or if when while after before
    records record bytes byte kb mb gb items item seconds second secs sec ms minutes
    hours retries retry errors error requests request lines line files file rows row
    version build release times attempts attempt messages events tasks jobs nodes
    threads ports users total count size ok failed status
    """.split()
)


def check_street_address(text: str, args: Mapping[str, Any]) -> bool:
    words = [w.strip(".,()'’").lower() for w in text.split()]
    # Log vocabulary (units, counters, verbs): "took 15 seconds, 2000 items" is no address.
    return not any(w in _NOT_ADDRESS for w in words)
