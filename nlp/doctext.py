"""The text of a Doc, built once per post.

``Doc.text`` joins every token's text on each access (~0.06 ms for a 1,000-character post),
and the normaliser, the recognizers and every category need it.  Saring's tokenizer stores
the original string in ``doc.user_data`` (spaCy's tokenization is non-destructive, so it
equals ``doc.text``); ``doc_text`` falls back to ``Doc.text`` for a Doc made elsewhere.
"""

from __future__ import annotations

TEXT_KEY = "saring.text"


def doc_text(doc) -> str:
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text
