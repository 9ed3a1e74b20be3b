"""``saring_category``: one component per category, driven by its rule file.

For each rule the component finds *evidence* (phrases from lexicons, spaCy token
patterns, or recognizer entities such as MONEY), then checks the rule's *context*: every
``near`` group needs a (non-negated) hit within ``window`` tokens, no ``not_near`` term may
be close, no ``unless_post`` term may be in the post, and the category's ``[suppress]``
terms (news framing, a debunk, a gift reported to the UPG …) must be absent.  ``escalate``
entries raise or lower the severity when more context is present.

Phrases are matched with ``PhraseMatcher`` on two token attributes: ``NORM`` (the
normalised spelling) and ``LEMMA`` (the root form), so ``beli`` in a lexicon also matches
``membeli``, ``dibeliin`` and ``kebeli``; a term written ``=beli`` matches the spelling only.

Findings are written to ``doc.spans["saring"]`` with ``span._.finding`` (a dict in the
contract's shape, offsets in code points into the original text).
"""

from __future__ import annotations

import math
from collections import defaultdict

import re

from spacy import attrs as spacy_attrs
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from ..rules import SEVERITY_RANK, RuleSet, load_common, load_ruleset
from .entities import ENTITY_KEY
from .normalizer import evict_oldest_half

FINDINGS_KEY = "saring"
NEGATION_LOOKBACK = 2


def _set_extensions():
    if not Span.has_extension("finding"):
        Span.set_extension("finding", default=None)


@Language.factory(
    "saring_category",
    default_config={"category": None, "extra_lexicons": {}, "severity_overrides": {}},
)
def create_category(nlp: Language, name: str, category: str, extra_lexicons: dict, severity_overrides: dict):
    return CategoryChecker(nlp, category or name, extra_lexicons, severity_overrides)


def format_rupiah(value: float | None) -> str:
    if value is None:
        return ""
    for unit, size in (("triliun", 1e12), ("miliar", 1e9), ("juta", 1e6), ("ribu", 1e3)):
        if value >= size:
            num = value / size
            text = f"{num:.1f}".rstrip("0").rstrip(".").replace(".", ",")
            return f"Rp {text} {unit}"
    return f"Rp {value:,.0f}".replace(",", ".")


class _Blank(dict):
    def __missing__(self, key):
        return ""


class CategoryChecker:
    def __init__(self, nlp: Language, category: str, extra_lexicons: dict | None = None,
                 severity_overrides: dict | None = None, ruleset: RuleSet | None = None):
        _set_extensions()
        self.category = category
        self.ruleset = ruleset or load_ruleset(category)
        common = load_common()
        self.lexicons: dict[str, list[str]] = {**common, **self.ruleset.lexicons}
        for lex, entries in (extra_lexicons or {}).items():
            self.lexicons[lex] = list(self.lexicons.get(lex, [])) + [str(e) for e in entries if str(e).strip()]
        overrides = severity_overrides or {}
        self.rules = []
        for rule in self.ruleset.rules:
            sev = overrides.get(rule.id, rule.severity)
            if sev == "off":
                continue
            rule.severity = sev
            self.rules.append(rule)
        self._nlp = nlp
        self._norm_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self._lemma_matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self._matcher = Matcher(nlp.vocab)  # patterns that can start anywhere: run over the whole doc
        # Patterns whose first token has a cheap necessary condition (a literal, a list, a regex, a
        # flag) are grouped by that condition; each group's Matcher runs only on short windows
        # that start where the condition holds.
        self._anchors: dict[str, tuple] = {}  # key -> (conditions, Matcher, longest window)
        self._term_keys: dict[tuple, list[str]] = {}
        self._registered: set[str] = set()
        self._negators = {t.lower() for t in self.lexicons.get("negation", [])}
        self._build()

    # ---------------------------------------------------------------- building
    def vocabulary(self) -> set[str]:
        """Single words the rules care about (the normaliser unmasks toward these)."""
        words = set()
        for entries in self.lexicons.values():
            for e in entries:
                e = e.lstrip("=").lower()
                if " " not in e and e.isalpha():
                    words.add(e)
        return words

    def _pattern_doc(self, text: str) -> Doc:
        doc = self._nlp.make_doc(text)
        return self._nlp.get_pipe("saring_normalizer")(doc)

    def _register_phrases(self, key: str, entries: list[str]):
        if key in self._registered:
            return
        self._registered.add(key)
        exact, loose = [], []
        for e in entries:
            if e.startswith("="):
                exact.append(self._pattern_doc(e[1:]))
            else:
                loose.append(self._pattern_doc(e))
        if exact or loose:
            self._norm_matcher.add(key, exact + loose)
        if loose:
            self._lemma_matcher.add(key, loose)

    def _keys_for(self, terms: list[str]) -> list[str]:
        """Matcher keys for a term list: one per lexicon, one for its inline phrases."""
        cache_key = tuple(terms)
        if cache_key in self._term_keys:
            return self._term_keys[cache_key]
        keys, inline = [], []
        for t in terms:
            if t.startswith("@"):
                key = f"lex:{t[1:]}"
                self._register_phrases(key, self.lexicons.get(t[1:], []))
                keys.append(key)
            else:
                inline.append(t)
        if inline:
            key = "inline:" + "|".join(sorted(inline))
            self._register_phrases(key, inline)
            keys.append(key)
        self._term_keys[cache_key] = keys
        return keys

    def _resolve_pattern(self, pattern):
        """Replace ``"@lexicon"`` inside a token pattern by the lexicon's single words."""
        if isinstance(pattern, list):
            return [self._resolve_pattern(p) for p in pattern]
        if isinstance(pattern, dict):
            return {k: self._resolve_pattern(v) for k, v in pattern.items()}
        if isinstance(pattern, str) and pattern.startswith("@") and pattern[1:] in self.lexicons:
            return [e.lstrip("=").lower() for e in self.lexicons[pattern[1:]]]
        return pattern

    def _build(self):
        self._suppress_keys = self._keys_for(self.ruleset.suppress) if self.ruleset.suppress else []
        for rule in self.rules:
            self._keys_for(rule.terms)
            self._keys_for(rule.not_near)
            self._keys_for(rule.unless_post)
            for g in rule.near:
                self._keys_for(g.terms)
            for e in rule.escalate:
                self._keys_for(e.unless)
                for g in e.near:
                    self._keys_for(g.terms)
            if rule.patterns:
                pats = [self._resolve_pattern(p) for p in rule.patterns]
                anchored, free = [], []
                by_anchor: dict[str, list] = {}
                for pat in pats:
                    anchor = _anchor(pat, self._nlp.vocab.strings)
                    if anchor is None:
                        free.append(pat)
                    else:
                        key = repr(anchor)
                        if key not in self._anchors:
                            self._anchors[key] = (anchor, Matcher(self._nlp.vocab), 1)
                        conds, matcher, longest = self._anchors[key]
                        self._anchors[key] = (conds, matcher, max(longest, _max_len(pat)))
                        by_anchor.setdefault(key, []).append(pat)
                try:
                    if free:
                        self._matcher.add(f"pat:{rule.id}", free)
                    for key, group in by_anchor.items():
                        self._anchors[key][1].add(f"pat:{rule.id}", group)
                except Exception as exc:  # spaCy's own validation message is precise
                    raise ValueError(f"{self.ruleset.path} {rule.id}: invalid token pattern: {exc}") from None

    # ---------------------------------------------------------------- matching
    def _negated(self, doc: Doc, start: int) -> bool:
        for i in range(max(0, start - NEGATION_LOOKBACK), start):
            if doc[i].norm_ in self._negators:
                return True
        return False

    def _collect(self, doc: Doc):
        hits: dict[str, list[tuple[int, int]]] = defaultdict(list)
        vocab = doc.vocab.strings
        for matcher in (self._norm_matcher, self._lemma_matcher):
            for match_id, start, end in matcher(doc):
                hits[vocab[match_id]].append((start, end))
        if len(self._matcher):
            for match_id, start, end in self._matcher(doc):
                hits[vocab[match_id]].append((start, end))
        if self._anchors:
            n = len(doc)
            cache = doc.user_data.setdefault("saring.anchor_cache", {})  # shared by every category
            for conditions, matcher, longest in self._anchors.values():
                for i in _positions(doc, cache, conditions):
                    for match_id, start, end in matcher(doc[i:min(n, i + longest)]):
                        if start == 0:
                            hits[vocab[match_id]].append((i, i + end))
        for key in hits:
            hits[key] = sorted(set(hits[key]))
        return hits

    def _occurrences(self, hits, keys):
        out = set()
        for k in keys:
            out.update(hits.get(k, ()))
        return sorted(out)

    @staticmethod
    def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
        if a[0] < b[1] and b[0] < a[1]:
            return -1  # overlap
        return b[0] - a[1] if b[0] >= a[1] else a[0] - b[1]

    def _group_ok(self, doc, hits, group, evidence, rule_window) -> bool:
        window = rule_window if group.window is None else group.window
        count = 0
        for occ in self._occurrences(hits, self._keys_for(group.terms)):
            d = self._distance(evidence, occ)
            if d < 0:
                continue
            if window and d > window:
                continue
            if group.negatable and self._negated(doc, occ[0]):
                continue
            count += 1
            if count >= group.min:
                return True
        return False

    def _any_near(self, hits, terms, evidence, window) -> bool:
        for occ in self._occurrences(hits, self._keys_for(terms)):
            d = self._distance(evidence, occ)
            if window == 0 or d <= window:
                return True
        return False

    def _any_in_post(self, doc, hits, terms) -> bool:
        return any(not self._negated(doc, occ[0]) for occ in self._occurrences(hits, self._keys_for(terms)))

    def _may_fire(self, hits, labels, rule) -> bool:
        """Cheap test: is there any evidence at all for this rule in the post?"""
        if f"pat:{rule.id}" in hits or (rule.entities and labels.intersection(rule.entities)):
            return True
        return any(k in hits for k in self._keys_for(rule.terms))

    def _evidence(self, doc, hits, rule):
        """(token_start, token_end, char_start, char_end, value) for each piece of evidence."""
        out = []
        for start, end in self._occurrences(hits, self._keys_for(rule.terms)) + hits.get(f"pat:{rule.id}", []):
            span = doc[start:end]
            out.append((start, end, span.start_char, span.end_char, None, {}))
        if rule.entities:
            for ent in doc.spans.get(ENTITY_KEY, []):
                if ent.label_ not in rule.entities:
                    continue
                value = ent._.value
                if rule.min_value is not None and (value is None or value < rule.min_value):
                    continue
                if rule.max_value is not None and (value is None or value > rule.max_value):
                    continue
                attrs = ent._.attrs or {}
                out.append((ent.start, ent.end, attrs.get("start_char", ent.start_char),
                            attrs.get("end_char", ent.end_char), value, attrs))
        # longest first, then drop evidence inside evidence already kept
        out.sort(key=lambda e: (e[0], -(e[1] - e[0])))
        kept = []
        for e in out:
            if kept and e[0] < kept[-1][1]:
                continue
            kept.append(e)
        return kept

    def __call__(self, doc: Doc) -> Doc:
        if not self.rules:
            return doc
        hits = self._collect(doc)
        if not hits and not doc.spans.get(ENTITY_KEY):
            return doc
        labels = {e.label_ for e in doc.spans.get(ENTITY_KEY, [])}
        suppressed = bool(self._suppress_keys) and self._any_in_post(doc, hits, self.ruleset.suppress)
        findings = []
        doc_text = None
        for rule in self.rules:
            if suppressed and rule.suppressible:
                continue
            if rule.unless_post and self._any_in_post(doc, hits, rule.unless_post):
                continue
            if not self._may_fire(hits, labels, rule):
                continue
            for tok_s, tok_e, ch_s, ch_e, value, attrs in self._evidence(doc, hits, rule):
                ev = (tok_s, tok_e)
                if rule.negatable and self._negated(doc, tok_s):
                    continue
                if not all(self._group_ok(doc, hits, g, ev, rule.window) for g in rule.near):
                    continue
                if rule.not_near:
                    nw = rule.window if rule.not_near_window is None else rule.not_near_window
                    if self._any_near(hits, rule.not_near, ev, nw):
                        continue
                severity = rule.severity
                for esc in rule.escalate:
                    if esc.unless and self._any_in_post(doc, hits, esc.unless):
                        continue
                    if all(self._group_ok(doc, hits, g, ev, rule.window) for g in esc.near):
                        severity = esc.severity
                        break
                if doc_text is None:
                    doc_text = doc.text  # built once per post: Doc.text joins every token
                findings.append(self._finding(doc, rule, severity, ch_s, ch_e, value, attrs, doc_text))
        if findings:
            group = list(doc.spans.get(FINDINGS_KEY, []))
            for f in _resolve_overlaps(findings):
                span = doc.char_span(f["start"], f["end"], label=self.category, alignment_mode="expand")
                if span is None:
                    continue
                span._.finding = f
                group.append(span)
            doc.spans[FINDINGS_KEY] = group
        return doc

    def _finding(self, doc, rule, severity, start, end, value, attrs, text=None):
        text = doc.text if text is None else text
        # Tokens can carry control or invisible characters at their edges ("Rolex\x00"):
        # underline the visible word only.
        while end > start and (not text[end - 1].isprintable() or text[end - 1].isspace()):
            end -= 1
        while start < end and (not text[start].isprintable() or text[start].isspace()):
            start += 1
        evidence = text[start:end]
        fill = _Blank(evidence=evidence, value=format_rupiah(value) if value else "",
                      masked=attrs.get("masked", ""), label=attrs.get("label", ""))
        texts = {}
        for loc in ("id", "en"):
            texts[loc] = {
                f: (rule.text(f, loc) or "").format_map(fill) or None for f in ("message", "suggestion", "basis")
            }
        return {
            "category": self.category, "rule_id": rule.id, "severity": severity,
            "start": start, "end": end, "text": evidence,
            "message": texts["id"]["message"], "suggestion": texts["id"]["suggestion"],
            "basis": texts["id"]["basis"], "_en": texts["en"],
        }


_STRING_ATTRS = {"NORM": spacy_attrs.NORM, "LEMMA": spacy_attrs.LEMMA, "LOWER": spacy_attrs.LOWER,
                 "ORTH": spacy_attrs.ORTH, "TEXT": spacy_attrs.ORTH}
_FLAG_ATTRS = {name: getattr(spacy_attrs, name) for name in (
    "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE",
    "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL")}
_UNBOUNDED = 32  # the longest stretch a "*" or "+" may cover inside an anchored window
# Every regex used as a first-token condition, per token attribute, gets a bit; a token
# string's bitmask (which of them it matches) is computed once and cached, so a post costs one
# lookup per distinct token instead of one regex per token per pattern.
_REGEX_BITS: dict[int, dict[str, int]] = {}  # attr -> regex source -> bit
_REGEX_LIST: dict[int, list["re.Pattern"]] = {}  # attr -> compiled regexes, in bit order
_MASK_CACHE: dict[tuple[int, int], int] = {}  # (attr, string hash) -> bitmask
_MASK_CACHE_MAX = 8192  # bounded: a long-running server stays flat


def _regex_bit(attr: int, pattern: "re.Pattern") -> int:
    bits = _REGEX_BITS.setdefault(attr, {})
    if pattern.pattern not in bits:
        bits[pattern.pattern] = 1 << len(bits)
        _REGEX_LIST.setdefault(attr, []).append(pattern)
        _MASK_CACHE.clear()  # masks computed before this regex existed are incomplete
    return bits[pattern.pattern]


def _mask(attr: int, h: int, strings) -> int:
    key = (attr, h)
    m = _MASK_CACHE.get(key)
    if m is None:
        if len(_MASK_CACHE) > _MASK_CACHE_MAX:
            evict_oldest_half(_MASK_CACHE)
        m = 0
        if h in strings:
            text = strings[h]
            for bit, rx in enumerate(_REGEX_LIST.get(attr, ())):
                if rx.search(text):
                    m |= 1 << bit
        _MASK_CACHE[key] = m
    return m


def _regex_positions(doc: Doc, cache: dict, attr: int) -> dict[int, set[int]]:
    """bit -> positions of tokens whose attribute matches that regex, once per doc and attribute."""
    key = ("regex", attr)
    out = cache.get(key)
    if out is None:
        out = cache[key] = {}
        strings = doc.vocab.strings
        for h, positions in _index(doc, cache, attr).items():
            m = _mask(attr, h, strings)
            while m:
                low = m & -m
                out.setdefault(low, set()).update(positions)
                m ^= low
    return out


def _index(doc: Doc, cache: dict, attr: int) -> dict[int, list[int]]:
    """attribute hash -> token positions, built once per doc and attribute."""
    key = ("index", attr)
    idx = cache.get(key)
    if idx is None:
        idx = cache[key] = {}
        for i, h in enumerate(doc.to_array(attr).tolist()):
            idx.setdefault(h, []).append(i)
    return idx


def _positions(doc: Doc, cache: dict, conditions) -> frozenset:
    """Tokens that meet every condition of one anchor (cached per doc: shared by categories)."""
    ok = cache.get(conditions)
    if ok is None:
        for cond in conditions:
            part = cache.get(cond)
            if part is None:
                part = cache[cond] = _condition_positions(doc, cache, cond)
            ok = part if ok is None else ok & part
            if not ok:
                break
        cache[conditions] = ok
    return ok


def _condition_positions(doc: Doc, cache: dict, cond) -> frozenset:
    kind, attr, arg = cond
    idx = _index(doc, cache, attr)
    if kind == "in":
        return frozenset(i for h in arg.intersection(idx) for i in idx[h])
    if kind == "flag":
        return frozenset(i for h, pos in idx.items() if bool(h) == arg for i in pos)
    return frozenset(_regex_positions(doc, cache, attr).get(arg, ()))


def _anchor(pattern: list[dict], strings):
    """Necessary conditions on a pattern's first token, as (kind, attr id, argument) triples,
    or None when the first token can be absent or has nothing cheap to test."""
    if not pattern:
        return None
    first = pattern[0]
    if first.get("OP") not in (None, "1", "{1}"):
        return None
    conditions = []
    for key, spec in first.items():
        if key in _STRING_ATTRS:
            attr = _STRING_ATTRS[key]
            if isinstance(spec, str):
                conditions.append(("in", attr, frozenset({strings.add(spec)})))
            elif isinstance(spec, dict) and set(spec) == {"IN"} and isinstance(spec["IN"], list):
                conditions.append(("in", attr, frozenset(strings.add(str(v)) for v in spec["IN"])))
            elif isinstance(spec, dict) and set(spec) == {"REGEX"}:
                conditions.append(("regex", attr, _regex_bit(attr, re.compile(spec["REGEX"]))))
        elif key in _FLAG_ATTRS and isinstance(spec, bool):
            conditions.append(("flag", _FLAG_ATTRS[key], spec))
    return tuple(conditions) or None


def _max_len(pattern: list[dict]) -> int:
    total = 0
    for tok in pattern:
        op = tok.get("OP")
        if op in (None, "!", "?", "1"):
            total += 1
        elif op in ("*", "+"):
            total += _UNBOUNDED
        elif op.startswith("{"):
            parts = op.strip("{}").split(",")
            hi = parts[-1].strip()
            total += int(hi) if hi else _UNBOUNDED
        else:
            total += 1
    return total


def _resolve_overlaps(findings):
    """Within one category, keep one finding per stretch of text: the most severe."""
    findings.sort(key=lambda f: (f["start"], -SEVERITY_RANK[f["severity"]], -(f["end"] - f["start"])))
    kept = []
    for f in findings:
        clash = next((k for k in kept if f["start"] < k["end"] and k["start"] < f["end"]), None)
        if clash is None:
            kept.append(f)
        elif SEVERITY_RANK[f["severity"]] > SEVERITY_RANK[clash["severity"]]:
            kept[kept.index(clash)] = f
    return kept
