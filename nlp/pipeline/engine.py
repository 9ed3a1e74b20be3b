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

Evidence.  Every rule's evidence is an ``Evidence``: a stretch of tokens and, for rules whose
evidence is the trained model (``model = true``), the model's score for the category
(``doc.cats``, written by ``saring_textcat``) localised to the clause that carries it.  Both kinds
go through the same context checks and become findings the same way.  The model adds a
``<category>.model`` finding only when the category's other rules flag nothing (``warning`` at
or above the calibrated ``warning`` threshold, ``info`` from the ``info`` threshold), and it
lowers a ``lowerable`` rule's finding to ``info`` when it judges the post clean (score at or
below ``clean``).

Findings are written to ``doc.spans["saring"]`` with ``span._.finding`` (a dict in the
contract's shape, offsets in code points into the original text).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import islice
from collections import defaultdict
from dataclasses import dataclass, field

from spacy.attrs import IDX, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..doctext import doc_text
from ..rules import SEVERITY_RANK, RuleSet, load_common, load_ruleset
from .entities import ENTITIES_BY_LABEL, ENTITY_KEY
from .matching import SharedMatcher, shared_matcher
from .model import trim_span

FINDINGS_KEY = "saring"
NEGATION_LOOKBACK = 2
# ``not_after``: at most this many ``not_after_gap`` tokens between the term and the evidence
# ("gue berasa jadi orang bejad": three words between "gue" and the insult).
NOT_AFTER_MAX_GAP = 3
# At most this many findings per category and post (after repeats are merged): a post that
# repeats risky words thousands of times still gets a short answer (see docs/architecture.md).
MAX_FINDINGS_PER_CATEGORY = 20
_OCC_KEY = "saring.occurrences"  # per post: term keys -> their sorted occurrences (shared by categories)
MODEL_PIPE = "saring_textcat"
MODEL_THRESHOLD_KEYS = ("warning", "info", "clean", "short", "confirm", "sure")
# ``confirm``: the model score from which a rule's info nudge in the category becomes a warning
# (two weak signals that agree: "Tuku Land Cruiser bekas 1,1 M" is a brand nudge, and the model
# leans to flexing without crossing its own warning threshold).  Unset: ``warning``.
# A post of at most this many words is "short": a handful of words moves a bag-of-words score a
# long way from its prior (~0.3), so everyday short texts ("Hubungi saya di 0812****7890 ya",
# "Terima kasih") can cross ``warning`` on one or two words.  On a short post the model warns
# only from the category's ``short`` threshold and gives no ``info`` nudge (docs/model.md).
SHORT_POST_WORDS = 8
# A rule's finding is lowered only if the clause holding its evidence scores below this share of
# the category's warning threshold on its own (``CategoryChecker._clause_clean``).
CLAUSE_LOWER_SHARE = 0.8


@dataclass(slots=True)
class Evidence:
    """What a rule found: tokens ``start:end`` (a lexicon phrase, a token pattern, a recognizer
    entity, or the clause carrying a model score) and their character range."""

    start: int
    end: int
    start_char: int
    end_char: int
    value: float | None = None  # a recognizer's value (money amount)
    attrs: dict = field(default_factory=dict)  # a recognizer's extras (masked, label); the model's words
    score: float | None = None  # the model's score for the category, for model evidence


def _finding_key(span: Span) -> tuple:
    # spaCy keys a span's custom attributes by its character range only, so two categories'
    # findings on the same stretch of text (a word that is both a flex and a gift, a clause the
    # model scores for two categories) would share one value: key by the label too.
    return ("saring_finding", span.start_char, span.end_char, span.label)


def _get_finding(span: Span):
    return span.doc.user_data.get(_finding_key(span))


def _set_finding(span: Span, value) -> None:
    span.doc.user_data[_finding_key(span)] = value


def _set_extensions():
    if not Span.has_extension("finding"):
        Span.set_extension("finding", getter=_get_finding, setter=_set_finding)


@Language.factory(
    "saring_category",
    # Reads the normaliser's forms and the recognizers' entities (doc.spans, or their plain
    # copy in doc.user_data), and doc.cats when a model runs (optional, so not required).
    # Finds two components by name: the shared matcher (MATCHER_NAME, before it) and the
    # model (MODEL_PIPE, for explain()).
    assigns=["doc.spans", "span._.finding", "doc.user_data"],  # findings; per-post caches
    requires=["token.norm", "token.lemma", "doc.spans", "span._.value", "span._.attrs"],
    default_config={"category": None, "extra_lexicons": {}, "severity_overrides": {}, "model_thresholds": {}},
)
def create_category(nlp: Language, name: str, category: str, extra_lexicons: dict, severity_overrides: dict,
                    model_thresholds: dict):
    return CategoryChecker(nlp, category or name, extra_lexicons, severity_overrides, matcher=shared_matcher(nlp),
                           model_thresholds=model_thresholds)


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
                 severity_overrides: dict | None = None, ruleset: RuleSet | None = None,
                 matcher: SharedMatcher | None = None, model_thresholds: dict | None = None):
        _set_extensions()
        self.category = category
        self.ruleset = ruleset or load_ruleset(category)
        common = load_common()
        self.lexicons: dict[str, list[str]] = {**common, **self.ruleset.lexicons}
        for lex, entries in (extra_lexicons or {}).items():
            self.lexicons[lex] = list(self.lexicons.get(lex, [])) + [str(e) for e in entries if str(e).strip()]
        overrides = severity_overrides or {}
        # an organisation's own severity for a rule is final: the model neither raises nor lowers it
        self._overridden = set(overrides)
        self.rules = []
        for rule in self.ruleset.rules:
            sev = overrides.get(rule.id, rule.severity)
            if sev == "off":
                continue
            rule.severity = sev
            self.rules.append(rule)
        self._nlp = nlp
        # Phrases and patterns are matched by the pipeline's shared ``saring_matcher`` (once per
        # post for every category); a checker built on its own gets a private one.
        self.matcher = matcher if matcher is not None else SharedMatcher(nlp)
        self._term_keys: dict[tuple, list[str]] = {}
        self._negators = {t.lower() for t in self.lexicons.get("negation", [])}
        self._negator_hashes = frozenset(nlp.vocab.strings.add(t) for t in self._negators)
        # words a model finding never names as the ones that weighed ("itu", "yang" tell nobody why)
        self._unnamed_norms = frozenset(t.lower() for t in self.lexicons.get("function_words", []))
        # The model's thresholds for this category ({} = no model evidence: model rules stay quiet
        # and nothing is lowered).
        self.model_thresholds = dict(model_thresholds or {})
        self._model_rules = [r for r in self.rules if r.model]
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

    def _keys_for(self, terms: list[str]) -> list[str]:
        """Matcher keys for a term list: one per lexicon, one for its inline phrases."""
        cache_key = tuple(terms)
        if cache_key in self._term_keys:
            return self._term_keys[cache_key]
        keys, inline = [], []
        for t in terms:
            if t.startswith("@"):
                keys.append(self.matcher.phrase_key(f"lex:{t[1:]}", self.lexicons.get(t[1:], [])))
            else:
                inline.append(t)
        if inline:
            inline.sort()
            keys.append(self.matcher.phrase_key("inline:" + "|".join(inline), inline))
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
            self._keys_for(rule.not_after)
            self._keys_for(rule.not_after_gap)
            for g in rule.near:
                self._keys_for(g.terms)
            for e in rule.escalate:
                self._keys_for(e.unless)
                for g in e.near:
                    self._keys_for(g.terms)
            if rule.patterns:
                try:
                    self.matcher.add_patterns(f"pat:{rule.id}", [self._resolve_pattern(p) for p in rule.patterns])
                except Exception as exc:  # spaCy's own validation message is precise
                    raise ValueError(f"{self.ruleset.path} {rule.id}: invalid token pattern: {exc}") from None
        # evidence key (phrase list, pattern, entity label) -> the rules it can make fire, so a
        # post only walks the rules it has evidence for
        self._rules_by_evidence: dict[str, list[int]] = defaultdict(list)
        for n, rule in enumerate(self.rules):
            for key in {f"pat:{rule.id}", *(f"entity:{e}" for e in rule.entities or ()), *self._keys_for(rule.terms)}:
                self._rules_by_evidence[key].append(n)
        self._rules_by_evidence = dict(self._rules_by_evidence)

    # ---------------------------------------------------------------- matching
    def _negated(self, doc: Doc, start: int) -> bool:
        norms = self.matcher.norms(doc)
        return any(norms[i] in self._negator_hashes for i in range(max(0, start - NEGATION_LOOKBACK), start))

    def _collect(self, doc: Doc) -> dict[str, list[tuple[int, int]]]:
        """Every phrase and pattern match in the post (shared by all categories; read only)."""
        return self.matcher.hits(doc)

    @staticmethod
    def _occurrences(doc, hits, keys) -> "_Occurrences":
        """Every match of ``keys`` in the post, sorted, with an index for "what is near here"
        (built once per post and key list, whichever category or rule asks)."""
        cache = doc.user_data.get(_OCC_KEY)
        if cache is None:
            cache = doc.user_data[_OCC_KEY] = {}
        key = tuple(keys)
        occ = cache.get(key)
        if occ is None:
            lists = {id(h): h for h in (hits.get(k) for k in keys) if h}
            if len(lists) <= 1:  # one key's matches are sorted and unique already
                spans = next(iter(lists.values()), [])
            else:
                found = set()
                for h in lists.values():
                    found.update(h)
                spans = sorted(found)
            occ = cache[key] = _Occurrences(spans)
        return occ

    @staticmethod
    def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
        if a[0] < b[1] and b[0] < a[1]:
            return -1  # overlap
        return b[0] - a[1] if b[0] >= a[1] else a[0] - b[1]

    def _group_ok(self, doc, hits, group, evidence, rule_window) -> bool:
        window = rule_window if group.window is None else group.window
        occ = self._occurrences(doc, hits, self._keys_for(group.terms))
        if not occ.spans:
            return False
        if not window:
            # The whole post counts: every usable occurrence, less those overlapping the evidence.
            usable = self._usable_count(doc, occ, group.negatable)
            if usable < group.min:
                return False
            overlapping = sum(1 for o in occ.around(evidence, 0)
                              if self._distance(evidence, o) < 0 and not (group.negatable and self._negated(doc, o[0])))
            return usable - overlapping >= group.min
        count = 0
        for o in occ.around(evidence, window):
            d = self._distance(evidence, o)
            if d < 0 or d > window:
                continue
            if group.negatable and self._negated(doc, o[0]):
                continue
            count += 1
            if count >= group.min:
                return True
        return False

    def _usable_count(self, doc, occ, negatable: bool) -> int:
        """How many occurrences are not negated (when that matters), once per post."""
        if not negatable:
            return len(occ.spans)
        if occ.usable is None or occ.usable[0] is not self:
            occ.usable = (self, sum(1 for o in occ.spans if not self._negated(doc, o[0])))
        return occ.usable[1]

    def _any_near(self, doc, hits, terms, evidence, window) -> bool:
        occ = self._occurrences(doc, hits, self._keys_for(terms))
        if not occ.spans:
            return False
        if window == 0:
            return True
        return any(self._distance(evidence, o) <= window for o in occ.around(evidence, window))

    def _right_after(self, doc, hits, rule, evidence) -> bool:
        """A ``not_after`` term ends right before the evidence, or only ``not_after_gap`` tokens
        (at most NOT_AFTER_MAX_GAP) lie between, and the term opens its clause (nothing but
        punctuation or a gap word before it): "aku kan bodoh" is said of the writer; "aku bilang
        dia bodoh" and "atasan saya bodoh" are not."""
        occ = self._occurrences(doc, hits, self._keys_for(rule.not_after))
        before = [o for o in occ.around(evidence, NOT_AFTER_MAX_GAP)
                  if o[1] <= evidence[0] and evidence[0] - o[1] <= NOT_AFTER_MAX_GAP]
        if not before:
            return False
        gap: set[int] = set()
        if rule.not_after_gap:
            fillers = self._occurrences(doc, hits, self._keys_for(rule.not_after_gap))
            for s, e in fillers.around(evidence, NOT_AFTER_MAX_GAP + 2):
                gap.update(range(s, e))
        return any(all(i in gap for i in range(o[1], evidence[0]))
                   and (o[0] == 0 or o[0] - 1 in gap or doc[o[0] - 1].is_punct)
                   for o in before)

    def _any_in_post(self, doc, hits, terms) -> bool:
        return self._usable_count(doc, self._occurrences(doc, hits, self._keys_for(terms)), True) > 0

    def _candidates(self, hits, labels) -> list:
        """The rules with any evidence at all in this post, in rule-file order."""
        index = self._rules_by_evidence
        found = set()
        for key in index.keys() & hits.keys():
            found.update(index[key])
        for label in labels:
            found.update(index.get(f"entity:{label}", ()))
        return [self.rules[n] for n in sorted(found)]

    def _evidence(self, doc, hits, rule) -> list[Evidence]:
        """Each piece of token-span evidence for ``rule`` (phrases, patterns, entities)."""
        out = []
        starts, ends = _char_offsets(doc)
        for start, end in self._occurrences(doc, hits, self._keys_for(rule.terms)).spans + hits.get(f"pat:{rule.id}", []):
            out.append(Evidence(start, end, starts[start], ends[end - 1]))
        if rule.entities:
            by_label = _entities_by_label(doc)
            for label in rule.entities:
                for e in by_label.get(label, ()):
                    value = e[4]
                    if rule.min_value is not None and (value is None or value < rule.min_value):
                        continue
                    if rule.max_value is not None and (value is None or value > rule.max_value):
                        continue
                    out.append(Evidence(*e))
        # longest first, then drop evidence inside evidence already kept
        out.sort(key=lambda e: (e.start, -(e.end - e.start)))
        kept = []
        for e in out:
            if kept and e.start < kept[-1].end:
                continue
            kept.append(e)
        return kept

    # ---------------------------------------------------------------- model evidence
    def _model_score(self, doc: Doc) -> float | None:
        if not self.model_thresholds or not doc.cats:
            return None
        return doc.cats.get(self.category)

    def _clause_clean(self, doc: Doc, start: int, end: int) -> bool:
        """The clause holding the evidence does not read as risky on its own.  A post-wide score
        is diluted by what else the post says: "Pelayanan KTP elektronik buka sampai pukul
        15.00. Baru beli Rolex lagi" scores clean as a whole, and its Rolex must stay flagged.
        (A clause is not required to score clean itself: a few words alone sit near the
        model's prior, and only the whole post makes it confident.  It must read clearly below
        the warning level, though: "🙂🎉👍🏽 Baru beli Rolex lagi." scores 0.47 for flexing, just
        under the info band, and its Rolex was lowered while the post scored 0.017.)"""
        textcat = self._nlp.get_pipe(MODEL_PIPE)
        below = CLAUSE_LOWER_SHARE * self.model_thresholds.get("warning", 1.01)
        return textcat.clause_score(doc, self.category, start, end) < below

    def _model_levels(self, doc: Doc) -> tuple[float, float, float]:
        """(warning, info, confirm) thresholds for this post: on a short post, ``short`` for all."""
        warning = self.model_thresholds.get("warning", 1.01)
        info = self.model_thresholds.get("info", 1.01)
        confirm = min(self.model_thresholds.get("confirm", warning), warning)
        short = self.model_thresholds.get("short")
        if short is not None and is_short_post(doc_text(doc)):
            warning = max(warning, short)
            info = confirm = warning
        return warning, info, confirm

    def _model_evidence(self, doc: Doc, score: float) -> list[Evidence]:
        """The clause that carries the category's score, and the words that weighed most."""
        textcat = self._nlp.get_pipe(MODEL_PIPE)
        start, end, _clause_score, words = textcat.explain(doc, self.category, stop_norms=self._unnamed_norms)
        if end <= start or not words:
            # no word of the post carries the score (an emoji-only or near-empty post sits at the
            # model's prior): the model has nothing to point at, so it says nothing
            return []
        span = doc[start:end]
        ch_s, ch_e = trim_span(doc_text(doc), span.start_char, span.end_char)
        if ch_e <= ch_s:
            return []
        return [Evidence(start, end, ch_s, ch_e, attrs={"words": _quote_words(words)}, score=score)]

    def __call__(self, doc: Doc) -> Doc:
        if not self.rules:
            return doc
        score = self._model_score(doc)
        hits = self._collect(doc)
        entities = doc.spans.get(ENTITY_KEY, [])
        candidates = []
        if hits or entities:
            labels = _entities_by_label(doc).keys() if entities else ()
            candidates = self._candidates(hits, labels)
        warn_at, info_at, confirm_at = self._model_levels(doc) if score is not None else (1.01, 1.01, 1.01)
        if score is not None and self._model_rules and score >= min(info_at, confirm_at):
            candidates = candidates + self._model_rules
        if not candidates:
            return doc
        suppressed = bool(self._suppress_keys) and self._any_in_post(doc, hits, self.ruleset.suppress)
        # From ``sure`` (never below this post's warning level; 1 = never) the model's own finding
        # no longer yields to the category's context words (its [suppress] list, its model rule's
        # not_near): they are written for the rules' evidence, and at this score the post says the
        # risk in words the lists cannot see.
        sure_at = self.model_thresholds.get("sure", 1.0) if score is not None else 1.0
        sure = sure_at < 1.0 and score >= max(sure_at, warn_at)
        text = doc_text(doc)
        candidates_found: list[_Candidate] = []
        for rule in candidates:
            if suppressed and rule.suppressible and not (rule.model and sure):
                continue
            if rule.unless_post and self._any_in_post(doc, hits, rule.unless_post):
                continue
            if rule.model:
                # the model speaks where the rules found nothing to warn about
                if any(SEVERITY_RANK[c.severity] >= SEVERITY_RANK["warning"] for c in candidates_found):
                    continue
                nudges = [c for c in candidates_found if c.severity == "info" and c.lowerable]
                if nudges and score >= confirm_at:
                    # a rule already points at the words and the model confirms the risk: its
                    # finding (more precise, more specific) becomes the warning
                    for c in nudges:
                        c.severity = "warning"
                    continue
                if score < info_at:
                    continue  # a candidate only to confirm a nudge, and there is none
                evidence = self._model_evidence(doc, score)
            else:
                evidence = self._evidence(doc, hits, rule)
            for e in evidence:
                ev = (e.start, e.end)
                if e.score is None and rule.negatable and self._negated(doc, e.start):
                    continue
                if not all(self._group_ok(doc, hits, g, ev, rule.window) for g in rule.near):
                    continue
                if rule.not_near and not (rule.model and sure):
                    nw = rule.window if rule.not_near_window is None else rule.not_near_window
                    if self._any_near(doc, hits, rule.not_near, ev, nw):
                        continue
                if rule.not_after and self._right_after(doc, hits, rule, ev):
                    continue
                if e.score is not None:
                    severity = "warning" if e.score >= warn_at else "info"
                else:
                    severity = rule.severity
                    for esc in rule.escalate:
                        if esc.unless and self._any_in_post(doc, hits, esc.unless):
                            continue
                        if all(self._group_ok(doc, hits, g, ev, rule.window) for g in esc.near):
                            severity = esc.severity
                            break
                lowerable = rule.lowerable and not rule.model and rule.id not in self._overridden
                if (score is not None and lowerable and severity != "info"
                        and score <= self.model_thresholds.get("clean", -1.0)
                        and self._clause_clean(doc, e.start, e.end)):
                    severity = "info"  # the model judges the post clean with high confidence
                ch_s, ch_e = _visible(text, e.start_char, e.end_char)
                c = _Candidate(ch_s, ch_e, severity, rule, e.value, e.attrs)
                c.lowerable = lowerable
                candidates_found.append(c)
        if candidates_found:
            group = list(doc.spans.get(FINDINGS_KEY, []))
            for c in _bound(_resolve_overlaps(candidates_found), text):
                f = self._finding(c, text)
                span = doc.char_span(f["start"], f["end"], label=self.category, alignment_mode="expand")
                if span is None:
                    continue
                span._.finding = f
                group.append(span)
            doc.spans[FINDINGS_KEY] = group
        return doc

    def _finding(self, c: "_Candidate", text: str) -> dict:
        rule, start, end, value, attrs = c.rule, c.start, c.end, c.value, c.attrs
        evidence = text[start:end]
        fill = _Blank(evidence=evidence, value=format_rupiah(value) if value else "",
                      masked=attrs.get("masked", ""), label=attrs.get("label", ""), words=attrs.get("words", ""))
        texts = {}
        for loc in ("id", "en"):
            texts[loc] = {
                f: (rule.text(f, loc) or "").format_map(fill) or None for f in ("message", "suggestion", "basis")
            }
        finding = {
            "category": self.category, "rule_id": rule.id, "severity": c.severity,
            "start": start, "end": end, "text": evidence,
            "message": texts["id"]["message"], "suggestion": texts["id"]["suggestion"],
            "basis": texts["id"]["basis"], "_en": texts["en"],
        }
        if c.count > 1:
            finding["count"] = c.count
        return finding


_OFFSETS_KEY = "saring.char_offsets"


def _char_offsets(doc) -> tuple[list[int], list[int]]:
    """Each token's first and past-the-last character offsets, once per post (making a Span
    per piece of evidence to ask it was most of the time on a post of 10,000 repeats)."""
    offsets = doc.user_data.get(_OFFSETS_KEY)
    if offsets is None:
        # a token ends where the next begins, less its one trailing space (SPACY); computed
        # from token attributes only (lexical ones such as LENGTH may be switched off)
        array = doc.to_array([IDX, SPACY])
        starts = array[:, 0].tolist()
        following = starts[1:] + [len(doc_text(doc))]
        ends = [nxt - int(sp) for nxt, sp in zip(following, array[:, 1].tolist())]
        offsets = doc.user_data[_OFFSETS_KEY] = (starts, ends)
    return offsets


def _entities_by_label(doc) -> dict[str, list[tuple]]:
    """The recognizers' entities as evidence tuples, grouped by label (once per post: reading
    a span's extension attributes is slow, and a post may hold thousands of amounts)."""
    by_label = doc.user_data.get(ENTITIES_BY_LABEL)
    if by_label is None:  # a Doc whose entities were set elsewhere
        by_label = doc.user_data[ENTITIES_BY_LABEL] = {}
        for ent in doc.spans.get(ENTITY_KEY, []):
            attrs = ent._.attrs or {}
            by_label.setdefault(ent.label_, []).append(
                (ent.start, ent.end, attrs.get("start_char", ent.start_char), attrs.get("end_char", ent.end_char),
                 ent._.value, attrs))
    return by_label


def _visible(text: str, start: int, end: int) -> tuple[int, int]:
    """Tokens can carry control or invisible characters at their edges ("Rolex\x00"):
    underline the visible word only."""
    while end > start and (not text[end - 1].isprintable() or text[end - 1].isspace()):
        end -= 1
    while start < end and (not text[start].isprintable() or text[start].isspace()):
        start += 1
    return start, end


class _Candidate:
    """A finding before its texts are written: only the ones kept get a message."""

    __slots__ = ("start", "end", "severity", "rule", "value", "attrs", "count", "lowerable")

    def __init__(self, start, end, severity, rule, value, attrs):
        self.start, self.end, self.severity, self.rule = start, end, severity, rule
        self.value, self.attrs, self.count, self.lowerable = value, attrs or {}, 1, True


def _quote_words(words: list[str]) -> str:
    """“a”, “b” dan “c” (the message is Indonesian; the English text shows the same words)."""
    quoted = [f"“{w}”" for w in words]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " dan " + quoted[-1]


class _Occurrences:
    """A term list's matches in one post, sorted by (start, end), with a range lookup."""

    __slots__ = ("spans", "starts", "longest", "usable")

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = spans
        self.starts = [s for s, _ in spans]
        self.longest = max((e - s for s, e in spans), default=0)
        self.usable = None  # (checker, count of non-negated occurrences), see _usable_count

    def around(self, evidence: tuple[int, int], window: int) -> list[tuple[int, int]]:
        """Every occurrence that can be within ``window`` tokens of ``evidence`` (or overlap
        it), and possibly a few more: callers still measure the distance."""
        lo = bisect_left(self.starts, evidence[0] - window - self.longest)
        hi = bisect_right(self.starts, evidence[1] + window)
        return self.spans[lo:hi]


def _bound(kept: list["_Candidate"], text: str) -> list["_Candidate"]:
    """Merge repeats of one rule on one word into one finding with a count, then keep at most
    ``MAX_FINDINGS_PER_CATEGORY``: the most severe, then the earliest."""
    merged: dict[tuple[str, str], _Candidate] = {}
    for c in kept:
        key = (c.rule.id, text[c.start:c.end].casefold())
        first = merged.get(key)
        if first is None:
            merged[key] = c
            continue
        first.count += 1
        if SEVERITY_RANK[c.severity] > SEVERITY_RANK[first.severity]:
            c.count = first.count  # the most severe occurrence stands for all of them
            merged[key] = c
    out = list(merged.values())
    if len(out) > MAX_FINDINGS_PER_CATEGORY:
        out.sort(key=lambda c: (-SEVERITY_RANK[c.severity], c.start))
        out = out[:MAX_FINDINGS_PER_CATEGORY]
    return out


def _resolve_overlaps(found: list["_Candidate"]) -> list["_Candidate"]:
    """Within one category, keep one finding per stretch of text: the most severe.

    Sorted by start, the kept findings never overlap one another, so only the last one kept
    can overlap the next: one comparison each (linear, however many findings a post has)."""
    found.sort(key=lambda c: (c.start, -SEVERITY_RANK[c.severity], -(c.end - c.start)))
    kept: list[_Candidate] = []
    for c in found:
        last = kept[-1] if kept else None
        if last is None or not (c.start < last.end and last.start < c.end):
            kept.append(c)
        elif SEVERITY_RANK[c.severity] > SEVERITY_RANK[last.severity]:
            kept[-1] = c
    return kept


_WORD = re.compile(r"[^\W_]+")


def is_short_post(text: str) -> bool:
    """At most SHORT_POST_WORDS runs of letters or digits (the calibration asks the same).  A
    regex over the text, stopping after one word too many (not a loop over tokens): a post of
    65,536 emoji has no word and 65,536 tokens."""
    return sum(1 for _ in islice(_WORD.finditer(text), SHORT_POST_WORDS + 1)) <= SHORT_POST_WORDS
