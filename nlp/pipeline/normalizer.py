"""``saring_normalizer``: one matching form and one root form per token.

Rules match on what a word *is*, not on how it was typed.  For every token this sets

- ``token.norm_``: lower case, leetspeak folded (``r0lex`` → ``rolex``, ``b4ngs4t`` → ``bangsat``),
  letters repeated three or more times folded (``mantaaap`` → ``mantap``), common slang and
  abbreviations expanded from ``data/slang.tsv`` (``yg`` → ``yang``, ``bgt`` → ``banget``), and
  masked words (``anj*ng``, ``t*l*l``) resolved against the rules' own vocabulary;
- ``token.lemma_``: the root of the normalised form (``dipamerin`` → ``pamer``).

Letters typed apart (``a n j i n g``) are merged into one token when the joined word is in the
rules' vocabulary.  Offsets never move: a token's ``idx`` still points into the original text.
Emoji, hashtags, mentions and URLs stay whole tokens.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache
from importlib.resources import files

import numpy
from spacy.attrs import LEMMA, NORM, ORTH
from spacy.language import Language
from spacy.tokens import Doc

from ..doctext import doc_text
from .stemmer import root

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "!": "i"})
# A number with a unit ("250jt", "2,5M", "10k", "3x") is a quantity, never leetspeak.
_QUANTITY = re.compile(r"^\d+(?:[.,]\d+)*[a-z]{0,6}$")
_REPEAT = re.compile(r"([^\W\d_])\1{2,}")
# Four or more single letters separated by single spaces ("t o l o l"): worth a closer look.
_SPACED = re.compile(r"(?<!\S)[^\W\d_](?: [^\W\d_]){3,}(?![^\W_])")
# Invisible characters and control codes (NUL, ESC, DEL, C1) never change what a word is.
_ZERO_WIDTH = dict.fromkeys(
    [*map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), *range(0, 9), 11, 12, *range(14, 32), *range(127, 160)],
    None,
)


def evict_oldest_half(cache: dict) -> None:
    """Drop the older half of a dict used as a cache (dicts keep insertion order)."""
    for key in list(itertools.islice(cache, len(cache) // 2)):
        del cache[key]


_HASH_CACHE_MAX = 6144  # orth hashes; a few hundred posts fill it, then memory stays flat


def _load_slang() -> dict[str, str]:
    table = {}
    for line in files("nlp").joinpath("data/slang.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, _, norm = line.partition("\t")
        table[word.strip()] = norm.strip()
    return table


SLANG = _load_slang()


def _strip_accents(text: str) -> str:
    # hermès → hermes, café → cafe; keeps non-Latin scripts and emoji as they are.
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=6144)  # bounded: memory stays flat in a server that runs all day
def normalize_word(text: str) -> str:
    """Matching form of one token's text (without the vocabulary-dependent unmasking)."""
    low = _strip_accents(text.translate(_ZERO_WIDTH)).lower()
    if not low or low[0] in "#@" or "://" in low or low.startswith("www."):
        return low
    if any(c.isdigit() for c in low) and any(c.isalpha() for c in low) and not _QUANTITY.match(low):
        folded = low.translate(_LEET)
        if folded.isalpha():
            low = folded
    if _REPEAT.search(low):
        low = _REPEAT.sub(r"\1", low)
    return SLANG.get(low, low)


class Unmasker:
    """Resolves masked spellings (``anj*ng``, ``k*f*r``, ``b@ngs@t``) to a known word.

    The vocabulary is every single-word term of the loaded rule files, so a mask is only
    resolved to a word some rule cares about, and only when exactly one word fits.
    """

    def __init__(self, vocabulary=()):
        self.set_vocabulary(vocabulary)

    def set_vocabulary(self, vocabulary):
        self.by_length: dict[int, list[str]] = {}
        self.words = frozenset(w for w in vocabulary if w.isalpha())
        for w in self.words:
            self.by_length.setdefault(len(w), []).append(w)
        self.resolve.cache_clear()

    @lru_cache(maxsize=2048)
    def resolve(self, masked: str) -> str | None:
        n_masks = sum(masked.count(c) for c in "*•#_")
        if n_masks == 0 or n_masks * 2 > len(masked) + 1 or not any(c.isalpha() for c in masked):
            return None
        pattern = re.compile("^" + "".join("[a-z]" if c in "*•#_" else re.escape(c) for c in masked) + "$")
        hits = sorted(w for w in self.by_length.get(len(masked), ()) if pattern.match(w))
        # The rules' vocabulary is small; when a mask fits two or three of its words
        # (g*bl*k: goblok, geblek) they are nearly always variants of the same insult.
        return hits[0] if 1 <= len(hits) <= 3 else None


@Language.factory("saring_normalizer", assigns=["token.norm", "token.lemma"], retokenizes=True,
                  default_config={"merge_spaced_letters": True, "rules_vocabulary": False})
def create_normalizer(nlp: Language, name: str, merge_spaced_letters: bool, rules_vocabulary: bool):
    """``rules_vocabulary``: unmask toward the shipped rule files' words from the start (the
    training pipeline uses it; the analyzer sets the vocabulary itself, with the
    organisation's lexicon additions)."""
    normalizer = Normalizer(merge_spaced_letters=merge_spaced_letters)
    if rules_vocabulary:
        normalizer.set_vocabulary(rules_vocabulary_words())
    return normalizer


def rules_vocabulary_words() -> set[str]:
    """Single words of every shipped rule file's lexicons (what masks resolve toward)."""
    from ..rules import CATEGORIES, load_common, load_ruleset

    words: set[str] = set()
    common = load_common()
    for cat in CATEGORIES:
        for entries in list(load_ruleset(cat).lexicons.values()) + list(common.values()):
            for e in entries:
                e = e.lstrip("=").lower()
                if " " not in e and e.isalpha():
                    words.add(e)
    return words


class Normalizer:
    def __init__(self, merge_spaced_letters: bool = True):
        self.merge_spaced_letters = merge_spaced_letters
        self.unmasker = Unmasker()
        self._hash_cache: dict[int, tuple[str, str, int, int]] = {}  # orth hash -> forms and their hashes

    def set_vocabulary(self, vocabulary):
        self.unmasker.set_vocabulary(vocabulary)
        self._hash_cache.clear()

    def forms(self, text: str) -> tuple[str, str]:
        """(matching form, root form) of one token's text."""
        text = text.replace(" ", "") if " " in text else text
        norm = normalize_word(text)
        if norm and norm[0] not in "#@" and any(c in norm for c in "*•#_"):
            resolved = self.unmasker.resolve(norm)
            if resolved:
                norm = resolved
        return norm, (root(norm) if norm.isalpha() else norm)

    def __call__(self, doc: Doc) -> Doc:
        if self.merge_spaced_letters and self.unmasker.words and _SPACED.search(doc_text(doc)):
            self._merge_spaced_letters(doc)
        if not len(doc):
            return doc
        # Array in, array out: one dict lookup per token instead of a Python Token object and
        # two property writes (this component runs on every pause in typing).
        strings = doc.vocab.strings
        cache = self._hash_cache
        if len(cache) > _HASH_CACHE_MAX:  # bounded: memory stays flat; keep the recent half
            evict_oldest_half(cache)
        out = []
        for h in doc.to_array(ORTH).tolist():
            entry = cache.get(h)
            if entry is None:
                norm, lemma = self.forms(strings[h])
                entry = cache[h] = (norm, lemma, strings.add(norm), strings.add(lemma))
            norm, lemma, nh, lh = entry
            # Strings added in an earlier memory zone are gone after it: add them back.
            if nh not in strings:
                strings.add(norm)
            if lh not in strings:
                strings.add(lemma)
            out.append((nh, lh))
        doc.from_array([NORM, LEMMA], numpy.array(out, dtype="uint64"))
        return doc

    def _merge_spaced_letters(self, doc: Doc) -> None:
        """``a n j i n g`` → one token, when the joined letters form a known word."""
        runs, run = [], []
        for token in doc:
            if len(token.text) == 1 and token.text.isalpha() and (not run or doc[token.i - 1].whitespace_ == " "):
                run.append(token.i)
                continue
            if len(run) >= 4:
                runs.append((run[0], run[-1] + 1))
            run = [token.i] if len(token.text) == 1 and token.text.isalpha() else []
        if len(run) >= 4:
            runs.append((run[0], run[-1] + 1))
        spans = []
        for start, end in runs:
            joined = "".join(t.text for t in doc[start:end]).lower()
            if joined in self.unmasker.words:
                spans.append(doc[start:end])
        if spans:
            with doc.retokenize() as retok:
                for span in spans:
                    retok.merge(span, attrs={"NORM": span.text.replace(" ", "").lower()})
