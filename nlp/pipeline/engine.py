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

from collections import defaultdict
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..doctext import doc_text
from ..rules import SEVERITY_RANK, RuleSet, load_common, load_ruleset
from .entities import ENTITY_KEY
from .matching import SharedMatcher, shared_matcher
from .model import trim_span

FINDINGS_KEY = "saring"
NEGATION_LOOKBACK = 2
MODEL_PIPE = "saring_textcat"
MODEL_THRESHOLD_KEYS = ("warning", "info", "clean")


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
        for start, end in self._occurrences(hits, self._keys_for(rule.terms)) + hits.get(f"pat:{rule.id}", []):
            span = doc[start:end]
            out.append(Evidence(start, end, span.start_char, span.end_char))
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
                out.append(Evidence(ent.start, ent.end, attrs.get("start_char", ent.start_char),
                                    attrs.get("end_char", ent.end_char), value, attrs))
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

    def _model_evidence(self, doc: Doc, score: float) -> list[Evidence]:
        """The clause that carries the category's score, and the words that weighed most."""
        textcat = self._nlp.get_pipe(MODEL_PIPE)
        start, end, _clause_score, words = textcat.explain(doc, self.category)
        if end <= start:
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
            labels = {e.label_ for e in entities} if entities else set()
            candidates = self._candidates(hits, labels)
        if score is not None and self._model_rules and score >= self.model_thresholds.get("info", 1.01):
            candidates = candidates + self._model_rules
        if not candidates:
            return doc
        suppressed = bool(self._suppress_keys) and self._any_in_post(doc, hits, self.ruleset.suppress)
        findings = []
        for rule in candidates:
            if suppressed and rule.suppressible:
                continue
            if rule.unless_post and self._any_in_post(doc, hits, rule.unless_post):
                continue
            if rule.model:
                # the model speaks where the rules found nothing to warn about
                if any(SEVERITY_RANK[f["severity"]] >= SEVERITY_RANK["warning"] for f in findings):
                    continue
                nudges = [f for f in findings if f["severity"] == "info" and f.get("_lowerable", True)]
                if nudges and score >= self.model_thresholds.get("warning", 1.01):
                    # a rule already points at the words and the model confirms the risk: its
                    # finding (more precise, more specific) becomes the warning
                    for f in nudges:
                        f["severity"] = "warning"
                    continue
                evidence = self._model_evidence(doc, score)
            else:
                evidence = self._evidence(doc, hits, rule)
            for e in evidence:
                ev = (e.start, e.end)
                if e.score is None and rule.negatable and self._negated(doc, e.start):
                    continue
                if not all(self._group_ok(doc, hits, g, ev, rule.window) for g in rule.near):
                    continue
                if rule.not_near:
                    nw = rule.window if rule.not_near_window is None else rule.not_near_window
                    if self._any_near(hits, rule.not_near, ev, nw):
                        continue
                if e.score is not None:
                    severity = "warning" if e.score >= self.model_thresholds.get("warning", 1.01) else "info"
                else:
                    severity = rule.severity
                    for esc in rule.escalate:
                        if esc.unless and self._any_in_post(doc, hits, esc.unless):
                            continue
                        if all(self._group_ok(doc, hits, g, ev, rule.window) for g in esc.near):
                            severity = esc.severity
                            break
                f = self._finding(doc, rule, severity, e.start_char, e.end_char, e.value, e.attrs)
                f["_lowerable"] = rule.lowerable and not rule.model and rule.id not in self._overridden
                if (score is not None and f["_lowerable"] and severity != "info"
                        and score <= self.model_thresholds.get("clean", -1.0)):
                    f["severity"] = "info"  # the model judges the post clean with high confidence
                findings.append(f)
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

    def _finding(self, doc, rule, severity, start, end, value, attrs):
        text = doc_text(doc)
        # Tokens can carry control or invisible characters at their edges ("Rolex\x00"):
        # underline the visible word only.
        while end > start and (not text[end - 1].isprintable() or text[end - 1].isspace()):
            end -= 1
        while start < end and (not text[start].isprintable() or text[start].isspace()):
            start += 1
        evidence = text[start:end]
        fill = _Blank(evidence=evidence, value=format_rupiah(value) if value else "",
                      masked=attrs.get("masked", ""), label=attrs.get("label", ""), words=attrs.get("words", ""))
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


def _quote_words(words: list[str]) -> str:
    """“a”, “b” dan “c” (the message is Indonesian; the English text shows the same words)."""
    quoted = [f"“{w}”" for w in words]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " dan " + quoted[-1]


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
