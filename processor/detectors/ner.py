"""Person names in free text: spaCy's small English model, PERSON entities only.

The spans and the score are those presidio-analyzer's SpacyRecognizer reports for the
same model (it reads ``doc.ents`` and gives each a fixed 0.85); calling spaCy directly
saves presidio's per-text artefacts (lemmas, token lists, explanations) and its import.

NER costs about 200 times what a regex does, so it is gated and batched:
- only text with two or more consecutive capitalised words (a name's shape) goes in;
- only a window around each such run is analysed, not the whole value;
- windows are deduplicated and cached, since logs repeat themselves;
- every window of a batch of records goes through one ``nlp.pipe`` call.

The model is loaded from the installed package (:mod:`processor.detectors.spacy_model`);
nothing is downloaded.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from processor.detectors import _clock
from processor.detectors.spacy_model import Recogniser, load_model
from processor.detectors.validators import VALIDATORS
from processor.records import Finding

__all__ = ["NER_ENTITY", "NerDetector", "NerWindow", "fold_ids", "may_hold_name", "name_windows"]

log = logging.getLogger(__name__)

# Two or more capitalised words in a row, allowing a middle initial and O'/Mc prefixes.
# Letters of any script with diacritics count (José García, Łukasz Wróbel).
_NAME_SHAPE = regex.compile(
    r"(?<![\w.@/-])(?:\p{Lu}[\p{Ll}\p{M}]{1,20}|O'\p{Lu}\p{Ll}+)"
    r"(?:[ \t]+(?:\p{Lu}\.[ \t]+)?(?:O'|Mc|Mac)?\p{Lu}[\p{Ll}\p{M}'\-]{1,25}){1,3}(?![\w@])"
)
# What a PERSON span must look like to be kept: capitalised words, no digits or symbols
# (spaCy's small model sometimes labels ids next to a name as part of it).
_NAME_SPAN = regex.compile(
    r"\p{Lu}[\p{L}\p{M}'\u2019\-]*\.?(?:[ \t]+\p{Lu}[\p{L}\p{M}'\u2019\-]*\.?){0,4}"
)
_BLANK = str.maketrans({c: " " for c in '_="{}[]<>|\\'})
_WINDOW = 32
# longest window (characters) kept in the cache; a typical window is under 100
_MAX_CACHED_WINDOW = 1024
# a word, or a run of words joined by hyphens (a UUID, ORD-2023-228165)
_WORD_CHAIN = regex.compile(r"[\p{L}\p{N}_]+(?:-[\p{L}\p{N}_]+)*")
# quotes and hyphens that spaCy leaves at the edge of a span ('Witold Miros', James')
_EDGE = "'\u2019-"
_HAS_DIGIT = regex.compile(r"\d")
_NOT_HYPHEN = regex.compile(r"[^-]")
# Capitalised words that log lines put side by side and that are no one's name on their
# own: a run made only of these ("Sun Dec", "Bye Bye") skips NER.
_NOT_NAMES = frozenset(
    (
        "mon tue wed thu fri sat sun monday tuesday wednesday thursday friday saturday "
        "sunday jan feb mar apr may jun jul aug sep sept oct nov dec january february "
        "march april june july august september october november december bye hello hi "
        "the this that error warning info debug failed success received sent starting "
        "started stopping stopped connection closed open new old task event file system "
        "service server client user request response "
    ).split()
)
#: The one entity type NER finds.
NER_ENTITY = "PERSON"
# spaCy gives entities no confidence; every PERSON span scores this, as in presidio
NER_SCORE = 0.85
_RULE_ID = "ner-person"
_IS_NAME = VALIDATORS["person_name"]
_FULL_NAME = {"min_words": 2}
# windows per nlp.pipe call; the batch deadline is checked between calls
_CHUNK = 64


@dataclass(frozen=True, slots=True)
class NerWindow:
    """A slice of a text that NER looks at: ``text[start:end]``."""

    start: int
    end: int


def may_hold_name(texts: Sequence[str]) -> bool:
    """False when no text has a name-shaped run, so none of them needs NER.

    One search over the texts joined by newlines: a run inside one text is also a run
    in the joined string (a newline neither continues a run nor blocks one), so a miss
    here means :func:`name_windows` would find nothing in any of them.
    """
    return _NAME_SHAPE.search("\n".join(texts)) is not None


def name_windows(text: str, covered: Sequence[tuple[int, int]] = ()) -> list[NerWindow]:
    """The merged windows around every name-shaped run in ``text`` (empty: skip NER).

    Runs that overlap a ``covered`` span (already masked by a cheaper layer) and runs
    made only of common capitalised log words are skipped.
    """
    windows: list[NerWindow] = []
    for m in _NAME_SHAPE.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in covered):
            continue
        if all(w.lower() in _NOT_NAMES for w in m.group().split()):
            continue
        start = max(0, m.start() - _WINDOW)
        end = min(len(text), m.end() + _WINDOW)
        # widen to whitespace so that no word is cut in half
        while start > 0 and not text[start - 1].isspace() and m.start() - start < 2 * _WINDOW:
            start -= 1
        while end < len(text) and not text[end].isspace() and end - m.end() < 2 * _WINDOW:
            end += 1
        if windows and start <= windows[-1].end:
            windows[-1] = NerWindow(windows[-1].start, max(end, windows[-1].end))
        else:
            windows.append(NerWindow(start, end))
    return windows


class NerDetector:
    """Batched, cached PERSON detection with spaCy."""

    def __init__(
        self, model: str, min_score: float, cache_size: int,
        recogniser: Recogniser | None = None,
    ) -> None:
        """``recogniser`` replaces the spaCy model (tests only)."""
        # below NER_SCORE every span is kept; above it NER keeps nothing
        self._enabled = min_score <= NER_SCORE
        self._cache: OrderedDict[str, tuple[tuple[int, int, float], ...]] = OrderedDict()
        self._cache_size = cache_size
        self.seconds = 0.0
        self._recognise = recogniser if recogniser is not None else load_model(model, _CHUNK)

    def find_many(
        self,
        texts: Sequence[str],
        covered: Sequence[Sequence[tuple[int, int]]] | None = None,
        deadline: float = float("inf"),
    ) -> list[list[Finding] | None]:
        """Findings for each text; texts without a name-shaped run cost nothing.

        ``covered[i]`` lists spans of ``texts[i]`` that cheaper layers already mask.
        Windows are analysed in chunks while ``_clock.now()`` is before ``deadline``;
        a text with a window left unanalysed when it passes gets None (not scanned).
        """
        per_text: list[list[tuple[NerWindow, str]]] = []
        todo: dict[str, None] = {}
        for i, text in enumerate(texts):
            windows = name_windows(text, covered[i] if covered is not None else ())
            pieces = [(w, fold_ids(text[w.start : w.end])) for w in windows]
            per_text.append(pieces)
            for _w, snippet in pieces:
                if snippet in self._cache:
                    self._cache.move_to_end(snippet)
                else:
                    todo[snippet] = None
        done = self._analyze(list(todo), deadline) if todo else {}
        out: list[list[Finding] | None] = []
        for pieces in per_text:
            found: list[Finding] = []
            for window, snippet in pieces:
                spans = done.get(snippet) if snippet in todo else self._cache.get(snippet, ())
                if spans is None:
                    break  # the deadline passed before this window was read
                found += [
                    Finding(window.start + s, window.start + e, NER_ENTITY, _RULE_ID, score,
                            source="ner")
                    for s, e, score in spans
                ]
            else:
                out.append(found)
                continue
            out.append(None)
        return out

    def _analyze(
        self, snippets: list[str], deadline: float
    ) -> dict[str, tuple[tuple[int, int, float], ...]]:
        """PERSON spans per snippet, chunk by chunk until ``deadline``; cached."""
        started = time.perf_counter()
        done: dict[str, tuple[tuple[int, int, float], ...]] = {}
        try:
            for i in range(0, len(snippets), _CHUNK):
                if _clock.now() >= deadline:
                    break
                chunk = snippets[i : i + _CHUNK]
                results = self._recognise([_for_model(s) for s in chunk])
                for snippet, spans in zip(chunk, results, strict=True):
                    done[snippet] = tuple(
                        (start, end, NER_SCORE)
                        for start, end in (_trim(snippet, s, e) for s, e in spans)
                        if self._enabled
                        and _NAME_SPAN.fullmatch(snippet, start, end)
                        # "Clock Mode", "Service Bus": log vocabulary, not a name
                        and _IS_NAME(snippet[start:end], _FULL_NAME)
                    )
        finally:
            # a window merged across a long run of names can be as long as its record:
            # such windows are not kept, so records cannot fill the cache with megabytes
            self._cache.update((k, v) for k, v in done.items() if len(k) <= _MAX_CACHED_WINDOW)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
            self.seconds += time.perf_counter() - started
        return done


def fold_ids(snippet: str) -> str:
    """``snippet`` with every word that holds a digit (and its hyphen-joined run) written
    as zeros of the same length: ``order 7f3c-9a01 for Ana`` as ``order 0000-0000 for Ana``.

    No name holds a digit, so NER reads the same names; offsets hold, and one cache
    entry serves every line of a template whatever ids, hashes or UUIDs it carries.
    """
    def fold(m: regex.Match[str]) -> str:
        word = m.group()
        return str(_NOT_HYPHEN.sub("0", word)) if _HAS_DIGIT.search(word) else word

    return str(_WORD_CHAIN.sub(fold, snippet))


def _trim(snippet: str, start: int, end: int) -> tuple[int, int]:
    """A span without the quotes or hyphens at its edges: ``'Witold Miros'`` closes an
    SQL literal whose quote must stay, and ``James'`` is a possessive. The model reads
    the snippet with a full stop after it, which a span may take in."""
    end = min(end, len(snippet))
    while end > start and snippet[end - 1] in _EDGE:
        end -= 1
    while start < end and snippet[start] in _EDGE:
        start += 1
    return start, end


def _for_model(snippet: str) -> str:
    """Log punctuation blanked out (same length, so offsets hold) and a closing full stop.

    spaCy's model was trained on prose; ``customer="Jennifer Brown"`` reads to it as one
    token soup, ``customer  Jennifer Brown .`` as a sentence.
    """
    return snippet.translate(_BLANK) + " ."
