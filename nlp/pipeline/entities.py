"""``saring_entities``: runs the registered recognizers and stores their matches.

Matches land in ``doc.spans["saring_entities"]`` (label = entity type, e.g. ``MONEY``,
``NIK``), aligned to whole tokens, with ``span._.value`` (a number, e.g. rupiah) and
``span._.attrs`` (recognizer details such as a masked form or a gender for a NIK).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..recognizers import load_all

ENTITY_KEY = "saring_entities"


def _set_extensions():
    for name in ("value", "attrs"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


@Language.factory("saring_entities", default_config={"recognizers": []})
def create_entities(nlp: Language, name: str, recognizers: list[str]):
    return EntityRecognizers(recognizers)


class EntityRecognizers:
    def __init__(self, names: list[str] | None = None):
        _set_extensions()
        registry = load_all()
        unknown = [n for n in (names or []) if n not in registry]
        if unknown:
            raise ValueError(f"unknown recognizer(s): {', '.join(unknown)}")
        self.recognizers = [registry[n] for n in (names or sorted(registry))]

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for recognize in self.recognizers:
            for m in recognize(doc):
                span = doc.char_span(m.start, m.end, label=m.label, alignment_mode="expand")
                if span is None:
                    continue
                span._.value = m.value
                span._.attrs = dict(m.attrs, start_char=m.start, end_char=m.end)
                spans.append(span)
        doc.spans[ENTITY_KEY] = spans
        return doc
