"""The installed spaCy model, loaded with only its NER component, as a function from
texts to PERSON spans. Nothing is downloaded; the package must be installed."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from types import ModuleType

from processor.errors import ConfigError

__all__ = ["Recogniser", "load_model"]

#: Reads a chunk of texts and yields, per text, its PERSON spans as (start, end).
Recogniser = Callable[[list[str]], Iterable[Sequence[tuple[int, int]]]]
# the NER component carries its own tok2vec; nothing else in the pipeline is needed
_UNUSED_PIPES = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
# the labels spaCy models use for people (OntoNotes, and WikiNER models)
_PERSON = frozenset(("PERSON", "PER"))


def _no_cli(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("spaCy's command line was not loaded by logscrub")


def _import_spacy() -> ModuleType:
    """spaCy, imported without its command line.

    ``spacy/__init__.py`` imports ``spacy.cli.info`` only to re-export ``spacy.info``,
    which pulls in typer, weasel and the download code: about a third of spaCy's
    import time, paid by every process that loads the model. Stand-ins take their place
    while spaCy imports and are removed afterwards, so a later ``import spacy.cli``
    (presidio's model download, say) loads the real one.
    """
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    cli = ModuleType("spacy.cli")
    info = ModuleType("spacy.cli.info")
    info.info = cli.info = _no_cli  # type: ignore[attr-defined]
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
    for name, module in stand_ins.items():
        sys.modules.setdefault(name, module)
    try:
        import spacy
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return spacy


def load_model(model: str, batch_size: int) -> Recogniser:
    """The installed spaCy model with only its NER component, as a :data:`Recogniser`
    that reads ``batch_size`` texts per step."""
    try:
        spacy = _import_spacy()
    except ImportError as exc:
        raise ConfigError(f"NER is enabled but a package is missing: {exc.name}") from None
    # spaCy imports every package that declares a pipeline factory as it builds a
    # pipeline; the model needs only its own components, so none of those is loaded.
    entry_points = getattr(spacy.util.registry, "_entry_point_factories", None)
    if entry_points is not None:
        entry_points.entry_points = False
    try:
        nlp = spacy.load(model, exclude=_UNUSED_PIPES)
    except OSError:
        raise ConfigError(
            f"spaCy model package {model!r} is not installed (see README: make install)"
        ) from None

    def recognise(texts: list[str]) -> Iterable[list[tuple[int, int]]]:
        for doc in nlp.pipe(texts, batch_size=batch_size):
            yield [
                (ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ in _PERSON
            ]

    return recognise
