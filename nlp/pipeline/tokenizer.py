"""Saring's tokenizer: spaCy's Indonesian punctuation rules without the 16k exceptions.

``spacy.blank("id")`` builds its tokenizer from ~16,000 special cases, nearly all of them
hyphenated reduplications (``anak-anak``, ``jalan-jalan``).  Loading them costs about 1.7 s
of start-up on every logon.  A single ``token_match`` function keeps reduplications (and
hyphenated affixes such as ``di-forward`` or ``nge-gym``) whole for free, so we register a
tokenizer that uses the same prefix/suffix/infix rules and only the few hundred
non-hyphenated exceptions (emoticons, one-letter abbreviations).

Two further changes for social-media text:
- a unit suffix after a digit is only split off when that digit is not itself preceded by
  a letter, so leetspeak such as ``b4ngs4t`` stays one token while ``10km`` still splits;
- the letter-letter hyphen infix is kept for compounds that are not reduplications
  (``Sukarta-Widiasih``) so names inside them can still be matched.
"""

from __future__ import annotations

import re
from itertools import chain
from operator import itemgetter

from spacy.attrs import ORTH
from spacy.lang.id import Indonesian
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

from ..doctext import TEXT_KEY
from .normalizer import evict_oldest_half

DATASET_PLACEHOLDERS = ("[USERNAME]", "[URL]")

# Hyphenated prefixes written apart in chat Indonesian: di-forward, nge-gym, ke-2nya …
_HYPHEN_PREFIXES = ("di", "ke", "se", "nge", "ng", "ber", "ter", "me", "mem", "pe", "per", "si")
_WORD_HYPHEN_WORD = re.compile(r"^([^\W\d_]+)-([^\W\d_]+)$")
_REDUP_SUFFIXES = ("nya", "an", "kan", "i", "lah", "kah", "ku", "mu", "in")


def _is_reduplication(left: str, right: str) -> bool:
    """True for anak-anak, berlari-lari, buah-buahan, sayur-mayur, bolak-balik, warna-warni."""
    lo, ro = left.lower(), right.lower()
    if lo == ro:
        return True
    for suf in _REDUP_SUFFIXES:  # buah-buahan, orang-orangnya
        if ro.endswith(suf) and ro[: -len(suf)] == lo:
            return True
    if len(ro) >= 2 and lo.endswith(ro):  # berlari-lari, bermain-main
        return True
    if len(lo) >= 3 and len(ro) >= 3:
        if lo[1:] == ro[1:]:  # sayur-mayur, lauk-pauk
            return True
        if lo[0] == ro[0] and lo[-1] == ro[-1] and abs(len(lo) - len(ro)) <= 1:  # bolak-balik
            return True
        if len(lo) == len(ro) and (lo[:3] == ro[:3] or lo[-3:] == ro[-3:]):  # warna-warni, gerak-gerik
            return True
    return False


def keep_hyphenated_word(text: str):
    """``token_match`` hook: a truthy result keeps ``text`` as one token."""
    m = _WORD_HYPHEN_WORD.match(text)
    if not m:
        return None
    left, right = m.group(1), m.group(2)
    if left.lower() in _HYPHEN_PREFIXES or _is_reduplication(left, right):
        return m
    return None


def _guard_unit_suffix(pattern: str) -> str:
    # Do not split "t" off "b4ngs4t": a digit preceded by a letter is leetspeak, not a quantity.
    if pattern.startswith("(?<=[0-9])"):
        return "(?<![^\\W\\d_][0-9])" + pattern
    return pattern


# spaCy strips prefixes and suffixes off a whitespace-free chunk one at a time, which is
# quadratic in the chunk's length: 65,536 emoji typed without a space take minutes.  Chunks
# longer than this are cut into pieces first (no real word is this long).
MAX_CHUNK = 200


# A piece is a whitespace-free chunk with the whitespace after it ("kata, " or "kata\n\n"); a
# text that starts with whitespace has that whitespace as its first piece.
_PIECES = re.compile(r"\s+|\S+\s*")
CHUNK_CACHE_SIZE = 8192


def _as_tuple(words):
    return (words,) if isinstance(words, str) else words


class ChunkingTokenizer:
    """Wraps the spaCy tokenizer with a cache and a length guard.

    spaCy caches the tokens of each whitespace-free chunk, but not inside a memory zone, and
    Saring checks every post inside one: without our own cache every check re-runs the
    prefix/suffix/infix regexes on every chunk (~20 µs a chunk, ~4 ms for a 1,000-character
    post).  The cache maps a *piece* — a chunk with the whitespace after it — to its token
    texts and trailing-space flags, following spaCy's whitespace rules (one space after a
    token belongs to it, any other whitespace is a token of its own), so a post is split
    into pieces by one regex and its words and spaces are joined from the cache at C speed;
    the result is exactly what the inner tokenizer gives (tests/test_text_processing.py).
    Chunks longer than ``MAX_CHUNK`` are cut first, keeping tokenization linear.
    The original text is kept in ``doc.user_data`` (see ``nlp.doctext``).
    """

    def __init__(self, inner: Tokenizer):
        self.inner = inner
        self.vocab = inner.vocab
        # chunk -> its token texts; a chunk that is one token maps to itself (no tuple to keep)
        self._chunk_cache: dict[str, str | tuple[str, ...]] = {}
        # piece -> (token texts, trailing-space flags)
        self._piece_cache: dict[str, tuple[tuple[str, ...], tuple[bool, ...]]] = {}

    def _chunk_words(self, chunk: str) -> str | tuple[str, ...]:
        words = self._chunk_cache.get(chunk)
        if words is None:
            if len(chunk) > MAX_CHUNK:
                words = tuple(w for a in range(0, len(chunk), MAX_CHUNK)
                              for w in _as_tuple(self._chunk_words(chunk[a:a + MAX_CHUNK])))
            elif chunk.isascii() and chunk.isalpha() and not self.inner.prefix_search(chunk):
                # A plain word: every suffix and infix rule needs a digit, a symbol or
                # punctuation, so only a prefix such as "Rp" or "USD" could split it (~3 µs
                # instead of ~30 µs; tests/test_text_processing.py holds this against spaCy).
                words = chunk
            else:
                doc = self.inner(chunk)
                words = chunk if len(doc) == 1 else tuple(t.text for t in doc)
            if len(self._chunk_cache) >= CHUNK_CACHE_SIZE:  # bounded: memory stays flat
                evict_oldest_half(self._chunk_cache)
            self._chunk_cache[chunk] = words
        return words

    def _piece(self, piece: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
        entry = self._piece_cache.get(piece)
        if entry is None:
            if piece[0].isspace():  # whitespace at the start of the text: one token
                entry = ((piece,), (False,))
            else:
                chunk = piece.rstrip()
                gap = piece[len(chunk):]
                words = _as_tuple(self._chunk_words(chunk))
                spaces = [False] * len(words)
                if gap[:1] == " ":  # the first space belongs to the last token …
                    spaces[-1] = True
                    gap = gap[1:]
                if gap:  # … any other whitespace is a token
                    words += (gap,)
                    spaces.append(False)
                entry = (words, tuple(spaces))
            if len(self._piece_cache) >= CHUNK_CACHE_SIZE:  # bounded: memory stays flat
                evict_oldest_half(self._piece_cache)
            self._piece_cache[piece] = entry
        return entry

    def __call__(self, text: str) -> Doc:
        pieces = _PIECES.findall(text)
        entries = list(map(self._piece_cache.get, pieces))
        if None in entries:
            entries = list(map(self._piece, pieces))
        doc = Doc(self.vocab, words=list(chain.from_iterable(map(itemgetter(0), entries))),
                  spaces=list(chain.from_iterable(map(itemgetter(1), entries))))
        doc.user_data[TEXT_KEY] = text
        return doc

    def pipe(self, texts, batch_size=1000):
        for text in texts:
            yield self(text)

    # Serialisation: this tokenizer is code (its ``token_match`` is a function, which spaCy
    # cannot write), rebuilt from the registry by name; a saved pipeline (the training run's
    # checkpoints) keeps only a note saying so.
    def to_bytes(self, **kwargs) -> bytes:
        return b"saring.tokenizer.v1"

    def from_bytes(self, data: bytes, **kwargs):
        return self

    def to_disk(self, path, **kwargs) -> None:
        from pathlib import Path

        Path(path).write_bytes(self.to_bytes())

    def from_disk(self, path, **kwargs):
        return self

    def __getattr__(self, name):  # everything else (rules, serialisation) is the inner tokenizer's
        return getattr(self.inner, name)


@registry.tokenizers("saring.tokenizer.v1")
def create_saring_tokenizer():
    def make_tokenizer(nlp):
        defaults = Indonesian.Defaults
        prefixes = compile_prefix_regex(list(defaults.prefixes))
        suffixes = compile_suffix_regex([_guard_unit_suffix(p) for p in defaults.suffixes])
        infixes = compile_infix_regex(list(defaults.infixes) + [r"(?<=[^\W\d_])-(?=[^\W\d_])"])
        # Only the exceptions that are not hyphenated (emoticons, "a.", ":)") — a few hundred.
        rules = {k: v for k, v in defaults.tokenizer_exceptions.items() if "-" not in k}
        # A corpus's anonymisation placeholders (IndoNLU's tweets: "[USERNAME]", "[URL]") stay one
        # token each: a word the model never trains on (scripts/train_model.py removes them), not
        # "[", "username", "]", whose "username" it learnt from leaked logins.
        rules.update({p: [{ORTH: p}] for p in DATASET_PLACEHOLDERS})
        return ChunkingTokenizer(Tokenizer(
            nlp.vocab,
            rules=rules,
            # Every prefix alternative is anchored with "^", so ``match`` finds what ``search``
            # finds, without trying the 3,000-character alternation at every position of the
            # chunk (~9 µs → ~2.5 µs a call; each new chunk costs two calls).
            prefix_search=prefixes.match,
            suffix_search=suffixes.search,
            infix_finditer=infixes.finditer,
            token_match=keep_hyphenated_word,
            url_match=defaults.url_match,
        ))

    return make_tokenizer
