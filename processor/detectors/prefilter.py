"""One Hyperscan pass per text that tells which pattern rules can match in it.

Before this pass every rule cost a Python loop iteration per record: keyword substring
tests, context-word tests, a field-name test and a ``finditer`` call, most of them for
nothing. Hyperscan compiles all of that into one database and scans a record once:

- every rule pattern in *prefilter* mode (Hyperscan approximates what it cannot run
  exactly, such as lookarounds, by a pattern that matches a superset);
- every rule keyword, pattern keyword and context word as a case-insensitive literal;
- every sensitive field name, in a second database scanned over the lower-cased text
  with ``-_. \\t`` removed, exactly the test FieldNames makes.

The pass only decides what is skipped. Every match that counts is still found by the
``regex`` package under the record's time budget, with validators and context applied,
so findings are the same as without it. Hyperscan sees bytes and ASCII character
classes, so it is used only on ASCII text (``str.isascii``), where its classes and
offsets agree with ``regex``'s; other text takes the full Python path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hyperscan

from processor.detectors.compile_cache import cached_database
from processor.rules.loader import CompiledRule
from processor.rules.schema import KEY_STRIP

__all__ = ["Hits", "Prefilter"]

# Patterns that always run instead of being prefiltered: `regex` syntax that PCRE reads
# differently or not at all (fuzzy matching, version 1, word-start/end, full case folding,
# reverse, best match), and escapes that name non-ASCII characters, which could match
# ASCII text under case folding (U+017F folds to "s", U+212A to "k").
_REGEX_ONLY = ("{e", "{s", "{i", "{d", "\\m", "\\M", "\\u", "\\U", "\\N", "\\x", "\\p",
               "\\P", "\\X", "\\G", "\\K")
# inline flags Hyperscan lacks: version, full case folding, reverse, best/enhanced match,
# Unicode word boundaries, POSIX; a false alarm here only means the pattern always runs
_REGEX_FLAGS = re.compile(r"\(\?[\^a-zA-Z0-9-]*[VfrbewpL]")


def _prefilterable(source: str) -> bool:
    """Whether Hyperscan may stand in for ``source`` on ASCII text."""
    return (source.isascii() and not any(marker in source for marker in _REGEX_ONLY)
            and _REGEX_FLAGS.search(source) is None)


def _literal(word: str) -> str:
    """``word`` as a Hyperscan expression, every character escaped."""
    return "".join(f"\\x{ord(c):02x}" for c in word)


@dataclass(slots=True)
class Hits:
    """What one scan found: pattern ids that may match, words present, a field name seen."""

    patterns: set[int] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    field_name: bool = False


class Prefilter:
    """The compiled database for one rule set and one set of sensitive field names.

    Pattern ids are ``(rule index, pattern index)`` pairs, numbered in rule-file order.
    With ``cache_dir``, compiled databases are kept there and loaded on the next start-up
    (see ``compile_cache``).
    """

    def __init__(self, rules: Sequence[CompiledRule], field_names: Iterable[str],
                 cache_dir: Path | None = None) -> None:
        self._cache_dir = cache_dir
        self.pattern_ids: dict[tuple[int, int], int] = {}
        self.always: set[int] = set()  # patterns Hyperscan cannot prefilter: always run
        expressions: list[bytes] = []
        flags: list[int] = []
        tags: list[tuple[str, int | str]] = []  # ("pattern", id) | ("word", w) | ("field", "")
        # rules are compiled MULTILINE (loader.py): ^ and $ hold at each line and segment
        prefilter = (hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_ALLOWEMPTY
                     | hyperscan.HS_FLAG_MULTILINE)
        literal = hyperscan.HS_FLAG_CASELESS
        for ri, rule in enumerate(rules):
            for pi, pat in enumerate(rule.patterns):
                pid = len(self.pattern_ids)
                self.pattern_ids[(ri, pi)] = pid
                source = pat.pattern.pattern
                if _prefilterable(source):
                    expressions.append(source.encode("utf-8"))
                    flags.append(prefilter)
                elif pat.ascii_gate is not None:
                    # the rule's own superset for ASCII text, run exactly, not approximated
                    expressions.append(pat.ascii_gate.encode("ascii"))
                    flags.append(hyperscan.HS_FLAG_ALLOWEMPTY | hyperscan.HS_FLAG_MULTILINE)
                else:
                    self.always.add(pid)
                    continue
                tags.append(("pattern", pid))
        words = {w for rule in rules for w in (*rule.spec.keywords, *rule.spec.context)}
        words |= {w for rule in rules for pat in rule.patterns for w in pat.keywords}
        # a word with upper case or non-ASCII letters is never in lower-cased ASCII text
        for word in sorted(w for w in words if w.isascii() and w == w.lower()):
            expressions.append(_literal(word).encode())
            flags.append(literal)
            tags.append(("word", word))
        self._tags = tags
        self._db = self._compile_or_drop(expressions, flags)
        # field names are looked for in the text with "-_. \t" removed, like FieldNames does;
        # only ASCII text is scanned, where a non-ASCII name (пароль) cannot occur
        ascii_names = sorted({n for n in field_names if n.isascii()})
        self._names_db = _database([_literal(n).encode() for n in ascii_names],
                                   [0] * len(ascii_names), cache_dir)

    def _compile_or_drop(self, expressions: list[bytes], flags: list[int]) -> Any:
        """One database of every expression; a pattern it refuses always runs instead."""
        try:
            return _database(expressions, flags, self._cache_dir)
        except hyperscan.error:
            pass
        keep = []
        for i, (expression, flag) in enumerate(zip(expressions, flags, strict=True)):
            kind, value = self._tags[i]
            try:
                _database([expression], [flag])
            except hyperscan.error:
                if kind == "pattern":
                    self.always.add(value)  # type: ignore[arg-type]  # int for patterns
                    continue
                raise
            keep.append(i)
        self._tags = [self._tags[i] for i in keep]
        return _database([expressions[i] for i in keep], [flags[i] for i in keep],
                         self._cache_dir)

    def scan(self, text: str) -> Hits | None:
        """The hits in ``text``, or None when ``text`` is not ASCII (no prefilter)."""
        if not text.isascii():
            return None
        hits = Hits(set(self.always), set(), False)
        if not text:
            return hits
        tags = self._tags

        def on_match(eid: int, _start: int, _end: int, _flags: int, _ctx: object) -> None:
            kind, value = tags[eid]
            if kind == "pattern":
                hits.patterns.add(value)  # type: ignore[arg-type]  # int for patterns
            else:
                hits.words.add(value)  # type: ignore[arg-type]  # str for words

        def on_name(_eid: int, _start: int, _end: int, _flags: int, _ctx: object) -> None:
            hits.field_name = True

        if self._db is not None:
            self._db.scan(text.encode("ascii"), match_event_handler=on_match)
        if self._names_db is not None and not hits.field_name:
            self._names_db.scan(text.lower().translate(KEY_STRIP).encode("ascii"),
                                match_event_handler=on_name)
        return hits


def _database(expressions: list[bytes], flags: list[int],
              cache_dir: Path | None = None) -> Any:
    """A block-mode database of ``expressions``, each reported once per scan; None if empty."""
    if not expressions:
        return None
    flags = [f | hyperscan.HS_FLAG_SINGLEMATCH for f in flags]

    def compile_db() -> Any:
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(expressions=expressions, ids=list(range(len(expressions))),
                   elements=len(expressions), flags=flags)
        return db

    return cached_database(expressions, flags, hyperscan.HS_MODE_BLOCK, compile_db, cache_dir)
