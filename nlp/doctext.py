"""The text of a Doc, built once per post.

``Doc.text`` joins every token's text on each access (~0.06 ms for a 1,000-character post),
and the normaliser, the recognizers and every category need it.  Saring's tokenizer stores
the original string in ``doc.user_data`` (spaCy's tokenization is non-destructive, so it
equals ``doc.text``); ``doc_text`` falls back to ``Doc.text`` for a Doc made elsewhere.
"""

from __future__ import annotations

import re

TEXT_KEY = "saring.text"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_lone_surrogates(text: str) -> str:
    """Each lone UTF-16 surrogate becomes U+FFFD, one code point for one code point.

    A Python string holds a surrogate only when it is unpaired (a JSON "\\ud800" alone, an
    emoji cut in half where the extension cut a long post, a byte that is not UTF-8 in a
    command-line argument).  spaCy cannot hash such a string; the replacement keeps every
    offset into the text valid.
    """
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


def doc_text(doc) -> str:
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text
