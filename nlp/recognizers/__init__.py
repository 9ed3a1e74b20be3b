"""Recognizers: one per kind of entity, Presidio-style.

A recognizer finds one kind of thing in a post — an amount of money, a NIK, a phone
number — with its own patterns, validation and context words, and reports it as an
``EntityMatch`` (character offsets, a normalised value, extra attributes).  Rules refer
to entities by label (``entities = ["MONEY"]``) and can put conditions on the value
(``min_value = 50_000_000``).

Register a recognizer with ``@register``; modules in this package are imported by
``load_all()`` so adding a file is enough.
"""

from __future__ import annotations

import importlib
import pkgutil
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


def register(name: str):
    """Decorator: ``@register("money")`` on a function ``doc -> Iterable[EntityMatch]``."""

    def deco(fn: Recognizer) -> Recognizer:
        REGISTRY[name] = fn
        return fn

    return deco


def load_all() -> dict[str, Recognizer]:
    for mod in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{mod.name}")
    return REGISTRY
