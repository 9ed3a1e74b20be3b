"""``saring_entities``: runs the registered recognizers and stores their matches.

Matches land in ``doc.spans["saring_entities"]`` (label = entity type, e.g. ``MONEY``,
``NIK``), aligned to whole tokens, with ``span._.value`` (a number, e.g. rupiah) and
``span._.attrs`` (recognizer details such as a masked form or a gender for a NIK).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import islice

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..recognizers import load_all

ENTITY_KEY = "saring_entities"
MAX_ENTITIES_PER_RECOGNIZER = 1000
ENTITIES_BY_LABEL = "saring.entities_by_label"  # doc.user_data: label -> (tok start, tok end, char start, char end, value, attrs)


def _set_extensions():
    for name in ("value", "attrs"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


# Recognizers read the text itself (``doc_text``), nothing another component writes.  The
# entities also go to doc.user_data by label, as plain tuples (ENTITIES_BY_LABEL).
@Language.factory("saring_entities", assigns=["doc.spans", "span._.value", "span._.attrs", "doc.user_data"],
                  default_config={"recognizers": []})
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
        by_label: dict[str, list[tuple]] = {}
        token_starts = doc.to_array(IDX).tolist() if len(doc) else []
        for recognize in self.recognizers:
            # bounded: a post of 10,000 amounts keeps its first MAX_ENTITIES_PER_RECOGNIZER (far
            # more than any real post holds); rules and findings are bounded further on
            for m in islice(recognize(doc), MAX_ENTITIES_PER_RECOGNIZER):
                # the tokens that cover the match (what char_span's "expand" gives, found by
                # bisection on the token offsets: a Span per match to ask was slower)
                first = bisect_right(token_starts, m.start) - 1
                last = bisect_left(token_starts, m.end)
                if first < 0 or last <= first:
                    continue
                span = Span(doc, first, last, label=m.label)
                span._.value = m.value
                attrs = span._.attrs = dict(m.attrs, start_char=m.start, end_char=m.end)
                spans.append(span)
                # the same, as plain tuples by label, for the rules (extension attributes are
                # slow to read back, and a post may hold thousands of entities)
                by_label.setdefault(m.label, []).append((span.start, span.end, m.start, m.end, m.value, attrs))
        doc.spans[ENTITY_KEY] = spans
        doc.user_data[ENTITIES_BY_LABEL] = by_label
        return doc
