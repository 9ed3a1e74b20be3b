"""Root forms for Indonesian words, formal and colloquial.

PySastrawi (Nazief–Adriani with a root dictionary) handles formal affixes
(``memamerkan`` → ``pamer``, ``kekayaan`` → ``kaya``).  Social-media Indonesian adds
Jakarta-style affixes it does not know: ``dipamerin`` (-in for -kan/-i), ``ngebeli``,
``nyicil``, ``kebeli`` (ke- passive).  We try Sastrawi first and, when it cannot reach a
dictionary root, rewrite the colloquial affix and try again.

Results are cached in a bounded LRU so a long-running server stays flat in memory.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache

import Sastrawi.Stemmer.Stemmer as sastrawi_stemmer_module
from Sastrawi.Stemmer.Context.Context import Context
from Sastrawi.Stemmer.Context.Visitor.AbstractDisambiguatePrefixRule import AbstractDisambiguatePrefixRule
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

_REGEX_HEAD = re.compile(r"\^?([a-z]+)")


def _literal_heads(visitor) -> tuple[str, ...] | None:
    """The letters a word must start with for any of this prefix rule's regexes to match it
    (``^meng([aiueo])(.*)$`` → ``meng``); None when some regex has no literal head."""
    heads = set()
    for disambiguator in visitor.disambiguators:
        code = disambiguator.disambiguate.__code__
        regexes = [c for c in code.co_consts[1:] if isinstance(c, str) and "(" in c]
        if not regexes:
            return None
        for rx in regexes:
            m = _REGEX_HEAD.match(rx)
            if not m:
                return None
            heads.add(m.group(1))
    return tuple(sorted(heads))


class _GuardedPrefixRule:
    """Runs a Sastrawi prefix rule only on words that start with one of its literal heads.

    Sastrawi tries each of its ~40 prefix rules on every word, each a ``re.match`` that fails
    on the first letters for nearly all of them (~100 µs a new word).  A rule whose regexes
    cannot match returns nothing and changes nothing, so skipping it gives the same root
    (tests/test_text_processing.py compares both on thousands of words).
    """

    __slots__ = ("rule", "heads")

    def __init__(self, rule, heads):
        self.rule, self.heads = rule, heads

    def visit(self, context):
        if context.current_word.startswith(self.heads):
            self.rule.visit(context)


_REGEX_META = re.compile(r"[.^$*+?{}\[\]\\|()]")


class _PrecompiledRe:
    """What Sastrawi's modules see as ``re``: the same functions, without recompiling.

    Sastrawi calls ``re.match(pattern, word)`` with ~60 fixed patterns and
    ``re.sub(result, '', word, count=1)`` with the *word it just produced* as the pattern, so a
    server that meets new words keeps compiling regexes (Python's regex cache holds 512).
    Fixed patterns are compiled once here; a pattern with no regex syntax (Sastrawi's input is
    only ``[a-z0-9-]``) removes its first occurrence with ``str.replace``, which is what the
    regex does.
    """

    def __init__(self):
        self._compiled: dict[tuple[str, int], re.Pattern] = {}

    def _get(self, pattern, flags=0):
        key = (pattern, flags)
        compiled = self._compiled.get(key)
        if compiled is None:
            if len(self._compiled) > 1024:  # only Sastrawi's own fixed patterns land here
                self._compiled.clear()
            compiled = self._compiled[key] = re.compile(pattern, flags)
        return compiled

    def match(self, pattern, string, flags=0):
        return self._get(pattern, flags).match(string)

    def sub(self, pattern, repl, string, count=0, flags=0):
        if count == 1 and not flags and repl == "" and isinstance(pattern, str) and not _REGEX_META.search(pattern):
            return string.replace(pattern, "", 1)
        return self._get(pattern, flags).sub(repl, string, count)

    def __getattr__(self, name):
        return getattr(re, name)


def _precompile_sastrawi_regexes() -> None:
    shim = _PrecompiledRe()
    for name, module in list(sys.modules.items()):
        if name.startswith("Sastrawi.") and getattr(module, "re", None) is re:
            module.re = shim


class _PrefixRulesForTheWord(Context):
    """Sastrawi's stemming context, trying only the prefix rules that can apply to the word.

    Within one pass over the prefix rules the word changes only when a rule removes a
    prefix, and the pass then ends; a rule that cannot match changes nothing, and the checks
    after it repeat the ones after the rule before.  So leaving the guarded rules that cannot
    match out of the pass gives the same result, provided the first rule is always tried (it
    is Sastrawi's unguarded di-/ke-/se- rule; ``_guard_prefix_rules`` checks this).
    """

    def accept_prefix_visitors(self, visitors):
        word = self.current_word
        return super().accept_prefix_visitors(
            [v for v in visitors if not isinstance(v, _GuardedPrefixRule) or word.startswith(v.heads)])


def _guard_prefix_rules(stemmer) -> None:
    provider = stemmer.visitor_provider
    guarded = []
    for visitor in provider.prefix_visitors:
        heads = _literal_heads(visitor) if isinstance(visitor, AbstractDisambiguatePrefixRule) else None
        guarded.append(_GuardedPrefixRule(visitor, heads) if heads else visitor)
    provider.prefix_visitors = guarded
    if guarded and not isinstance(guarded[0], _GuardedPrefixRule):
        sastrawi_stemmer_module.Context = _PrefixRulesForTheWord


# create_stemmer() wraps the real stemmer in a CachedStemmer whose dict grows without bound
# in a long-running server; we use the inner stemmer and our own bounded LRU below.
_stemmer = StemmerFactory().create_stemmer().delegatedStemmer
_guard_prefix_rules(_stemmer)
_precompile_sastrawi_regexes()
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
