"""Where Saring reaches into other libraries' private internals: fenced here, version-checked,
with one switch back to stock behaviour.

Three speed-ups rest on internals no library promises to keep:

- **spaCy's string table** (``StringStore._reset_and_load``, private): rebuilt from the
  strings that outlive the memory zones, so a server fed novel words keeps a table sized to
  what it holds (``Analyzer._compact_strings``);
- **a memory zone held open by hand** (``nlp.memory_zone()`` entered with ``__enter__`` and
  left many checks later, not used as a ``with`` block): the words of a post being typed come
  back at every pause, and re-creating their lexemes for each check cost ~40% of the time;
- **PySastrawi patches**: prefix rules guarded by the literal head of their regexes (read
  from the rules' *bytecode* constants), a stemming ``Context`` that skips the rules that
  cannot match, and a ``re`` module swapped into Sastrawi's modules that compiles each
  pattern once.

Each is used only on the library versions it was checked against (``SPACY_TESTED``,
``SASTRAWI_TESTED``) and when the internals it touches are present; otherwise Saring runs
stock, and ``fallbacks()`` says why.  ``SARING_STOCK=1`` in the environment (read at import)
switches all three off: plain spaCy (no zone, no compaction: the string table grows with
novel words) and plain Sastrawi (slower on new words).  Findings are the same either way
(``tests/test_compat.py`` runs both).
"""

from __future__ import annotations

import os
import re
import sys
from importlib import metadata

STOCK = os.environ.get("SARING_STOCK", "").strip().lower() not in ("", "0", "false", "no")

# [lowest, first untested) major.minor versions whose internals these shims were checked on
SPACY_TESTED = ((3, 8), (3, 9))
SASTRAWI_TESTED = ((1, 2), (1, 3))

_FALLBACKS: dict[str, str] = {}  # shim -> why stock behaviour is used


def fallbacks() -> dict[str, str]:
    """The shims running stock, with the reason (empty when every speed-up is active)."""
    return dict(_FALLBACKS)


def _version(dist: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(p) for p in re.findall(r"\d+", metadata.version(dist))[:2])
    except (metadata.PackageNotFoundError, ValueError):
        return None


def _usable(shim: str, dist: str, tested: tuple, present: bool) -> bool:
    if STOCK:
        _FALLBACKS[shim] = "SARING_STOCK is set"
        return False
    version = _version(dist)
    if version is None or not tested[0] <= version < tested[1]:
        _FALLBACKS[shim] = (f"{dist} {'.'.join(map(str, version or ()))} is outside the tested "
                            f"{'.'.join(map(str, tested[0]))}–{'.'.join(map(str, tested[1]))}")
        return False
    if not present:
        _FALLBACKS[shim] = f"the {dist} internals it needs are missing"
        return False
    _FALLBACKS.pop(shim, None)
    return True


# ---------------------------------------------------------------------------------- spaCy

def compact_strings(strings) -> bool:
    """Rebuild spaCy's ``StringStore`` from the strings it holds now (private API); False
    when running stock (the table is left as it is)."""
    if not _usable("spacy.StringStore._reset_and_load", "spacy", SPACY_TESTED,
                   hasattr(type(strings), "_reset_and_load")):
        return False
    strings._reset_and_load(list(strings))
    return True


def open_zone(nlp):
    """Enter a memory zone to be held across checks; ``None`` when running stock."""
    if not _usable("spacy memory zone held open", "spacy", SPACY_TESTED, hasattr(nlp, "memory_zone")):
        return None
    zone = nlp.memory_zone()
    zone.__enter__()
    return zone


def close_zone(zone) -> None:
    if zone is not None:
        zone.__exit__(None, None, None)


# ------------------------------------------------------------------------------ PySastrawi

_REGEX_HEAD = re.compile(r"\^?([a-z]+)")


def _literal_heads(visitor) -> tuple[str, ...] | None:
    """The letters a word must start with for any of this prefix rule's regexes to match it
    (``^meng([aiueo])(.*)$`` → ``meng``); None when some regex has no literal head.
    Sastrawi keeps the regexes inside each disambiguator's code: they are read from its
    bytecode constants."""
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


def _guard_prefix_rules(stemmer) -> None:
    import Sastrawi.Stemmer.Stemmer as sastrawi_stemmer_module
    from Sastrawi.Stemmer.Context.Context import Context
    from Sastrawi.Stemmer.Context.Visitor.AbstractDisambiguatePrefixRule import AbstractDisambiguatePrefixRule

    class _PrefixRulesForTheWord(Context):
        """Sastrawi's stemming context, trying only the prefix rules that can apply to the word.

        Within one pass over the prefix rules the word changes only when a rule removes a
        prefix, and the pass then ends; a rule that cannot match changes nothing, and the checks
        after it repeat the ones after the rule before.  So leaving the guarded rules that cannot
        match out of the pass gives the same result, provided the first rule is always tried (it
        is Sastrawi's unguarded di-/ke-/se- rule; checked below)."""

        def accept_prefix_visitors(self, visitors):
            word = self.current_word
            return super().accept_prefix_visitors(
                [v for v in visitors if not isinstance(v, _GuardedPrefixRule) or word.startswith(v.heads)])

    provider = stemmer.visitor_provider
    guarded = []
    for visitor in provider.prefix_visitors:
        heads = _literal_heads(visitor) if isinstance(visitor, AbstractDisambiguatePrefixRule) else None
        guarded.append(_GuardedPrefixRule(visitor, heads) if heads else visitor)
    provider.prefix_visitors = guarded
    if guarded and not isinstance(guarded[0], _GuardedPrefixRule):
        sastrawi_stemmer_module.Context = _PrefixRulesForTheWord


def _sastrawi_internals_present(stemmer) -> bool:
    try:
        import Sastrawi.Stemmer.Stemmer as sastrawi_stemmer_module

        visitors = stemmer.visitor_provider.prefix_visitors
        return (hasattr(sastrawi_stemmer_module, "Context") and isinstance(visitors, list)
                and all(hasattr(d.disambiguate, "__code__")
                        for v in visitors for d in getattr(v, "disambiguators", ())))
    except (ImportError, AttributeError):
        return False


def speed_up_sastrawi(stemmer) -> bool:
    """Apply the PySastrawi patches to ``stemmer`` (its inner ``Stemmer``); False when running
    stock."""
    if not _usable("PySastrawi patches", "PySastrawi", SASTRAWI_TESTED, _sastrawi_internals_present(stemmer)):
        return False
    _guard_prefix_rules(stemmer)
    _precompile_sastrawi_regexes()
    return True
