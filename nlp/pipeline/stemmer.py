"""Root forms for Indonesian words, formal and colloquial.

PySastrawi (Nazief–Adriani with a root dictionary) handles formal affixes
(``memamerkan`` → ``pamer``, ``kekayaan`` → ``kaya``).  Social-media Indonesian adds
Jakarta-style affixes it does not know: ``dipamerin`` (-in for -kan/-i), ``ngebeli``,
``nyicil``, ``kebeli`` (ke- passive).  We try Sastrawi first and, when it cannot reach a
dictionary root, rewrite the colloquial affix and try again.

Results are cached in a bounded LRU so a long-running server stays flat in memory.
"""

from __future__ import annotations

from functools import lru_cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from .._compat import _GuardedPrefixRule, speed_up_sastrawi  # noqa: F401  (the patches live there)

# create_stemmer() wraps the real stemmer in a CachedStemmer whose dict grows without bound
# in a long-running server; we use the inner stemmer and our own bounded LRU below.
_stemmer = StemmerFactory().create_stemmer().delegatedStemmer
speed_up_sastrawi(_stemmer)  # faster, same roots; stock with SARING_STOCK=1 (nlp/_compat.py)
_dictionary = _stemmer.get_dictionary()

_VOWELS = "aiueo"


def _load_overrides() -> dict[str, str]:
    """Roots Sastrawi gets wrong for chat Indonesian (kebeli → beli, not kebel)."""
    from importlib.resources import files

    table = {}
    text = files("nlp").joinpath("data/roots.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            word, _, rt = line.partition("\t")
            table[word.strip()] = rt.strip()
    return table


_OVERRIDES = _load_overrides()


def in_dictionary(word: str) -> bool:
    return bool(_dictionary is not None and _dictionary.contains(word))


def _colloquial_candidates(word: str):
    """Formal spellings a colloquial form may stand for, most likely first."""
    w = word
    cands = []
    if w.endswith("in") and len(w) > 5:  # dipamerin → dipamerkan / dipameri
        cands += [w[:-2] + "kan", w[:-2] + "i", w[:-2]]
    if w.endswith("nya") and len(w) > 6:
        cands.append(w[:-3])
    heads = []
    if w.startswith("nge") and len(w) > 5:  # ngebeli, ngegym
        heads.append(w[3:])
    if w.startswith("ny") and len(w) > 4 and w[2] in _VOWELS:  # nyicil → cicil, nyetak → cetak, nyimpen → simpen
        heads += ["c" + w[2:], "s" + w[2:]]
    if w.startswith("ng") and len(w) > 4 and w[2] in _VOWELS:  # ngopi → kopi, ngambil → ambil
        heads += ["k" + w[2:], w[2:]]
    if w.startswith("ke") and len(w) > 5 and not w.endswith("an"):  # kebeli, kebawa
        heads.append(w[2:])
    for h in heads:
        cands.append(h)
        if h.endswith("in") and len(h) > 4:
            cands += [h[:-2] + "kan", h[:-2]]
    return cands


@lru_cache(maxsize=8192)  # a person's working vocabulary; bounded so memory stays flat
def root(word: str) -> str:
    """Root form of one lower-cased word; the word itself when no root is found."""
    if len(word) < 4 or len(word) > 30 or not word.isalpha():
        return word  # no Indonesian word is longer; Sastrawi is slow on pathological input
    if word in _OVERRIDES:
        return _OVERRIDES[word]
    if in_dictionary(word):
        return word
    stem = _stemmer.stem(word)
    if stem != word and in_dictionary(stem):
        return stem
    for cand in _colloquial_candidates(word):
        if in_dictionary(cand):
            return cand
        s = _stemmer.stem(cand)
        if in_dictionary(s):
            return s
    return stem if stem else word
