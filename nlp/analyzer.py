"""``Analyzer``: Saring's Python API (see the contract).

Builds the spaCy pipeline once — ``spacy.blank("id")`` with Saring's tokenizer, the
normaliser, the entity recognizers and one ``saring_category`` component per enabled
category — and checks posts with it.

Every check runs inside an ``nlp.memory_zone()``, so the strings and lexemes posts add to
spaCy's vocabulary are freed: a server that checks text all day keeps a flat memory profile.
A zone is kept open for ``ZONE_CHECKS`` checks, not one: the words of a post being typed come
back at every pause, and re-creating their lexemes for each check cost ~40% of the time.
"""

from __future__ import annotations

import contextlib
import gc
import json
import threading
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Iterable, Mapping

import spacy
import spacy.attrs

from . import _compat, pipeline  # noqa: F401  (registers the factories)
from .doctext import replace_lone_surrogates
from .findings import Finding, Report
from .fixes import replacements_for
from .pipeline.engine import FINDINGS_KEY, MODEL_PIPE, MODEL_THRESHOLD_KEYS
from .rules import CATEGORIES, SEVERITIES, load_all_rulesets

LOCALES = ("id", "en")
ZONE_CHECKS = 128  # checks per memory zone; memory is released when the zone closes
COMPACT_ZONES = 16  # closed zones between two compactions of the string table (see _close_zone)


@dataclass
class AnalyzerConfig:
    """An organisation's adjustments to the default rules.

    - ``categories``: ``{"flexing": False}`` switches a category off;
    - ``severity``: ``{"flexing.luxury_brand": "high"}`` changes a rule's severity, ``"off"`` disables it;
    - ``lexicon``: ``{"political_neutrality": {"candidates": ["Budi Santoso"]}}`` adds entries to a
      named lexicon of that category's rule file;
    - ``model``: ``False`` switches the trained model off (rules only);
    - ``model_thresholds``: ``{"flexing": {"warning": 0.9, "info": 0.6, "clean": 0.02}}`` replaces
      the calibrated thresholds of a category (any of the four keys; ``short`` is the warning
      threshold for posts of at most eight words, which get no ``info`` nudge).
    """

    categories: dict[str, bool] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    lexicon: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    model: bool = True
    model_thresholds: dict[str, dict[str, float]] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping | None) -> "AnalyzerConfig":
        if data is None:
            return cls()
        if isinstance(data, AnalyzerConfig):
            return data
        model = data.get("model", {})
        if isinstance(model, bool):
            model = {"enabled": model}
        return cls(categories=dict(data.get("categories", {})), severity=dict(data.get("severity", {})),
                   lexicon={k: dict(v) for k, v in data.get("lexicon", {}).items()},
                   model=bool(model.get("enabled", True)),
                   model_thresholds={k: dict(v) for k, v in model.get("thresholds", {}).items()})

    def validate(self) -> None:
        for cat in list(self.categories) + list(self.lexicon) + list(self.model_thresholds):
            if cat not in CATEGORIES:
                raise ValueError(f"unknown category '{cat}'")
        for rule_id, sev in self.severity.items():
            if sev not in SEVERITIES + ("off",):
                raise ValueError(f"severity for '{rule_id}' must be one of info, warning, high, off")
        for cat, values in self.model_thresholds.items():
            for key, value in values.items():
                if key not in MODEL_THRESHOLD_KEYS:
                    raise ValueError(f"model threshold '{cat}.{key}': use {', '.join(MODEL_THRESHOLD_KEYS)}")
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
                    raise ValueError(f"model threshold '{cat}.{key}' must be a number from 0 to 1")


MODEL_DIR = "data/model"
MODEL_META = "model.json"


def default_model_dir() -> Path:
    return Path(str(files("nlp").joinpath(MODEL_DIR)))


def load_model_meta(model_dir: Path) -> dict | None:
    """The shipped model's description (architecture, labels, calibrated thresholds), or None
    when no model is installed."""
    path = Path(model_dir) / MODEL_META
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


# Lexical attributes Saring itself reads: spellings, the normalised form and the language.
_BASE_ATTRIBUTES = {"ORTH", "LOWER", "NORM", "LANG"}


def _keep_needed_lexical_attributes(nlp) -> None:
    """Compute only the lexical attributes the rules can test.

    spaCy computes ~20 attributes for every new word (its shape, prefix, suffix, stop-word
    flag, currency flag …), ~16 µs a word.  Inside a memory zone every word new to the zone is
    such a word, so this is paid on every check.  Saring's rules read a handful of them
    (``LIKE_NUM``, ``IS_PUNCT`` … in token patterns): the others are not computed.
    """
    names = _BASE_ATTRIBUTES | nlp.get_pipe("saring_matcher").token_attributes
    if MODEL_PIPE in nlp.pipe_names:  # the model's lexeme features (PREFIX, SUFFIX, SHAPE) must not go empty
        names |= nlp.get_pipe(MODEL_PIPE).token_attributes
    keep = {spacy.attrs.IDS[n] for n in names if n in spacy.attrs.IDS}
    getters = nlp.vocab.lex_attr_getters
    nlp.vocab.lex_attr_getters = {attr: fn for attr, fn in getters.items() if attr in keep}


@contextlib.contextmanager
def _no_gc_pauses():
    """Python's cyclic garbage collector paused for one check.

    A long post makes tens of thousands of short-lived objects; each burst of them set off a
    full collection that walked spaCy's whole (large, long-lived) heap: ~40% of the time of a
    65,536-character post.  Nothing a check makes needs the cycle collector (reference counts
    free it), and the collector runs as usual right after.  Left alone when the embedding
    program switched the collector off itself.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Analyzer:
    def __init__(self, config: AnalyzerConfig | Mapping | None = None, model_dir: str | Path | None = None):
        """``model_dir``: a trained model other than the shipped one (training and evaluation)."""
        self.config = AnalyzerConfig.from_mapping(config)
        self.config.validate()
        self.rulesets = load_all_rulesets()
        self.categories = tuple(c for c in CATEGORIES if self.config.categories.get(c, True))
        nlp = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "saring.tokenizer.v1"}}})
        nlp.add_pipe("saring_normalizer")
        nlp.add_pipe("saring_entities")
        nlp.add_pipe("saring_matcher")  # before the categories: they register their terms with it
        self.model_meta = None
        self.model_thresholds: dict[str, dict[str, float]] = {}
        if self.config.model:
            self._add_model(nlp, Path(model_dir) if model_dir else default_model_dir())
        vocabulary: set[str] = set()
        for cat in self.categories:
            overrides = {k: v for k, v in self.config.severity.items() if k.startswith(cat + ".")}
            comp = nlp.add_pipe("saring_category", name=cat, config={
                "category": cat, "extra_lexicons": self.config.lexicon.get(cat, {}), "severity_overrides": overrides,
                "model_thresholds": self.model_thresholds.get(cat, {}),
            })
            vocabulary |= comp.vocabulary()
        nlp.get_pipe("saring_normalizer").set_vocabulary(vocabulary)
        _keep_needed_lexical_attributes(nlp)
        self.nlp = nlp
        # spaCy's memory zones are per Vocab, not per thread: checks take turns.
        self._lock = threading.Lock()
        self._zone = None
        self._zone_checks = 0
        self._zones_closed = 0

    def _add_model(self, nlp, model_dir: Path) -> None:
        """Load the trained category model (weights shipped in the package; nothing downloads)."""
        meta = load_model_meta(model_dir)
        if meta is None:
            return
        pipe = nlp.add_pipe("saring_textcat", name=MODEL_PIPE, config={"model": meta["architecture"]})
        pipe.from_disk(model_dir / MODEL_PIPE, exclude=("vocab",))
        self.model_meta = meta
        for cat in CATEGORIES:
            values = dict(meta.get("thresholds", {}).get(cat, {}))
            values.update(self.config.model_thresholds.get(cat, {}))
            if values and cat in pipe.labels:
                self.model_thresholds[cat] = values

    @property
    def model_enabled(self) -> bool:
        return MODEL_PIPE in self.nlp.pipe_names

    def model_scores(self, texts: Iterable[str], batch_size: int = 64) -> list[dict[str, float]]:
        """The model's probability per category for each text ({} for every text when the model
        is off or not installed).  For evaluation and calibration; ``check`` uses them itself."""
        texts = list(texts)
        if not self.model_enabled:
            return [{} for _ in texts]
        keep = ("saring_normalizer", MODEL_PIPE)
        disable = [name for name in self.nlp.pipe_names if name not in keep]
        out = []
        for start in range(0, len(texts), batch_size):
            chunk = texts[start:start + batch_size]
            with self._lock:
                self._enter_zone(len(chunk))
                for doc in self.nlp.pipe(chunk, batch_size=batch_size, disable=disable):
                    out.append(dict(doc.cats))
        return out

    # ------------------------------------------------------------------ info
    @property
    def rule_count(self) -> int:
        return sum(len(self.nlp.get_pipe(c).rules) for c in self.categories)

    def category_info(self, locale: str = "id") -> list[dict]:
        out = []
        for cat in CATEGORIES:
            meta = self.rulesets[cat].meta
            pick = lambda v: (v.get(locale) or v.get("id")) if isinstance(v, dict) else v  # noqa: E731
            out.append({"id": cat, "name": pick(meta.get("name", cat)), "description": pick(meta.get("description", "")),
                        "severity": meta.get("severity", "warning"), "enabled": cat in self.categories})
        return out

    # ------------------------------------------------------------------ memory
    def _enter_zone(self, checks: int = 1) -> None:
        """Called with the lock held: make sure a memory zone is open, rotating it when full."""
        if self._zone is not None and self._zone_checks + checks > ZONE_CHECKS:
            self._close_zone()
        if self._zone is None:
            self._zone = _compat.open_zone(self.nlp)  # held open by hand (None when running stock)
            self._zone_checks = 0
        self._zone_checks += checks

    def _close_zone(self) -> None:
        if self._zone is not None:
            zone, self._zone = self._zone, None
            _compat.close_zone(zone)
            self._zones_closed += 1
            if self._zones_closed % COMPACT_ZONES == 0:
                self._compact_strings()

    def _compact_strings(self) -> None:
        """Rebuild spaCy's string table from the strings that outlive the zones.

        A zone frees its strings, but the table (a preshed hash map) only marks their slots
        deleted and doubles in size whenever new strings fill it: each string a post ever
        brought keeps ~16 bytes, so a server fed novel words (names, typos, hashtags) grew
        without end.  Reloading the lasting strings (~6,500, ~5 ms) gives a table sized to
        them.  Called between zones, when no transient string exists.
        """
        _compat.compact_strings(self.nlp.vocab.strings)  # spaCy's private API, fenced

    def release_memory(self) -> None:
        """Free what recent checks added to spaCy's vocabulary now (it also happens every
        ``ZONE_CHECKS`` checks)."""
        with self._lock:
            self._close_zone()

    # ------------------------------------------------------------------ checking
    def _validate_args(self, categories, locale):
        if categories is not None:
            unknown = [c for c in categories if c not in CATEGORIES]
            if unknown:
                raise ValueError(f"unknown category: {', '.join(map(str, unknown))}")
        if locale not in LOCALES:
            raise ValueError(f"locale must be one of {', '.join(LOCALES)}")

    def _run(self, texts: list[str], disable: list[str]) -> list:
        """The pipeline over a batch of posts, through ``nlp.pipe`` (the model scores a batch in
        one go).  Running the components by hand saved ~40 µs a check, but under the browser
        tests' server the guard then let a post through after a restart (not understood yet:
        kept on spaCy's own path until it is)."""
        return list(self.nlp.pipe(texts, batch_size=max(1, len(texts)), disable=disable))

    def _report(self, text: str, doc, locale: str) -> Report:
        findings = []
        for span in doc.spans.get(FINDINGS_KEY, []):
            f = span._.finding
            msg = f["_en"] if locale == "en" else f
            findings.append(Finding(category=f["category"], rule_id=f["rule_id"], severity=f["severity"],
                                    start=f["start"], end=f["end"], text=text[f["start"]:f["end"]],
                                    message=msg["message"] or f["message"], suggestion=msg["suggestion"],
                                    basis=msg["basis"], count=f.get("count", 1),
                                    replacements=replacements_for(f["rule_id"], text[f["start"]:f["end"]])))
        findings.sort(key=lambda f: (f.start, f.end, f.category))
        return Report(text=text, findings=findings)

    def check(self, text: str, categories: Iterable[str] | None = None, locale: str = "id") -> Report:
        """One post: ``check_many`` of one (one code path, so the two cannot drift apart)."""
        if not isinstance(text, str):
            raise TypeError("text must be a str")
        return self.check_many((text,), categories, locale)[0]

    def check_many(self, texts: Iterable[str], categories: Iterable[str] | None = None,
                   locale: str = "id", batch_size: int = 64) -> list[Report]:
        """Many posts, run through the pipeline in batches of ``batch_size``."""
        cats = set(categories) if categories is not None else None
        self._validate_args(cats, locale)
        texts = list(texts)
        for t in texts:
            if not isinstance(t, str):
                raise TypeError("every text must be a str")
        texts = [replace_lone_surrogates(t) for t in texts]
        disable = [c for c in self.categories if cats is not None and c not in cats]
        reports = [Report(text=t) for t in texts]  # a blank post has nothing to check
        todo = [i for i, t in enumerate(texts) if t.strip()]
        for start in range(0, len(todo), batch_size):
            chunk = todo[start:start + batch_size]
            with self._lock, _no_gc_pauses():
                self._enter_zone(len(chunk))
                for i, doc in zip(chunk, self._run([texts[i] for i in chunk], disable)):
                    reports[i] = self._report(texts[i], doc, locale)
        return reports
