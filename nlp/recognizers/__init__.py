"""Recognizers: one per kind of entity, Presidio-style.

A recognizer finds one kind of thing in a post — an amount of money, a NIK, a phone
number — with its own patterns, validation and context words, and reports it as an
``EntityMatch`` (character offsets, a normalised value, extra attributes).  Rules refer
to entities by label (``entities = ["MONEY"]``) and can put conditions on the value
(``min_value = 50_000_000``).

Register a recognizer with ``@register("name", labels=(...))``, declaring every label it can
produce: rule files are checked against the declared labels when they load, so
``entities = ["MONY"]`` is an error, not a rule that never fires.  Modules in this package are
imported by ``load_all()`` so adding a file is enough.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

from spacy.tokens import Doc


@dataclass
class EntityMatch:
    label: str
    start: int  # character offset into the original text
    end: int
    value: float | None = None
    attrs: dict = field(default_factory=dict)


Recognizer = Callable[[Doc], Iterable[EntityMatch]]
REGISTRY: dict[str, Recognizer] = {}
LABELS: dict[str, tuple[str, ...]] = {}  # recognizer name -> the labels it declares


def register(name: str, labels: Iterable[str]):
    """Decorator: ``@register("money", labels=("MONEY",))`` on a function
    ``doc -> Iterable[EntityMatch]`` whose matches carry only the declared labels."""
    labels = tuple(labels)
    if not labels or not all(isinstance(lb, str) and lb.isupper() for lb in labels):
        raise ValueError(f"recognizer {name!r}: declare its labels, e.g. labels=(\"MONEY\",)")

    def deco(fn: Recognizer) -> Recognizer:
        REGISTRY[name] = fn
        LABELS[name] = labels
        return fn

    return deco


def load_all() -> dict[str, Recognizer]:
    for mod in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{mod.name}")
    return REGISTRY


def known_labels() -> frozenset[str]:
    """Every entity label some recognizer declares (what ``entities = [...]`` may name)."""
    load_all()
    return frozenset(lb for labels in LABELS.values() for lb in labels)


def _at_starts(pattern: re.Pattern, text: str, starts: Iterable[int]):
    """``pattern.finditer(text)`` when every match starts at one of ``starts`` (ascending).

    The recognizers' speed-up: a pattern is tried only where a match can start (after a
    digit run starts, before a number word …), not at every character.
    ``tests/test_search_speedups.py`` holds it equal to ``finditer``."""
    end = 0
    for p in starts:
        if p >= end and (m := pattern.match(text, p)):
            yield m
            end = m.end()
