"""Rule files: loading and validation.

One TOML file per category in ``nlp/data/rules/`` (format: ``nlp/data/rules/README.md``),
plus ``_common.toml`` with lexicons every category may use (negation words, …).
Validation is strict, because a typo in a rule file must not silently switch a check off:
an unknown key, a dangling ``@lexicon`` reference, an entity label no recognizer declares,
a misspelt ``{placeholder}`` in a message, a non-numeric ``min``, an invalid token pattern or
a malformed example is an error.  Every problem in a file is reported at once, Vale-style, as
``file:line:col: rule id: problem`` (``tomllib`` gives no positions, so the line is found in
the source text: see ``_Source``).
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

CATEGORIES = (
    "flexing",
    "political_neutrality",
    "personal_data",
    "hate_abuse",
    "confidential_info",
    "misinformation",
    "gratification",
    "facility_misuse",
)
SEVERITIES = ("info", "warning", "high")
SEVERITY_RANK = {"none": 0, "info": 1, "warning": 2, "high": 3}

_RULE_KEYS = {
    "id", "severity", "terms", "patterns", "entities", "min_value", "max_value", "near", "window",
    "not_near", "not_near_window", "not_after", "not_after_gap", "unless_post", "escalate", "negatable", "suppressible",
    "message", "suggestion", "basis", "en", "examples", "note", "model", "lowerable",
}
_GROUP_KEYS = {"terms", "min", "window", "negatable"}
_ESCALATE_KEYS = {"near", "severity", "unless"}
_FILE_KEYS = {"category", "meta", "lexicons", "suppress", "rules"}
_META_KEYS = {"name", "description", "severity"}
_SUPPRESS_KEYS = {"terms", "note"}
_EN_KEYS = {"message", "suggestion", "basis"}
_EXAMPLE_KEYS = {"bad", "good", "lexicon"}
_BAD_EXAMPLE_KEYS = {"text", "evidence", "severity"}
_GOOD_EXAMPLE_KEYS = {"text"}
PLACEHOLDERS = ("evidence", "value", "masked", "label", "words")  # what a message may use (engine.py fills them)


@dataclass(frozen=True)
class Problem:
    """One mistake in a rule file, where it is (line and column are 1-based; 0 when unknown)."""

    file: str
    line: int
    col: int
    rule: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}" if self.line else self.file
        return f"{where}: {self.rule}: {self.message}" if self.rule else f"{where}: {self.message}"


class RuleError(ValueError):
    """A rule file is not valid; the message names the file, the line, the rule and the problem
    (every problem found, one a line; ``.problems`` holds them)."""

    def __init__(self, message: str | None = None, problems: list[Problem] | None = None):
        self.problems = list(problems or [])
        super().__init__(message if message is not None else "\n".join(map(str, self.problems)))


class _Source:
    """Finds where a rule or a key is in a rule file's text (``tomllib`` keeps no positions).

    Rules are the ``[[rules]]`` tables in order; a rule's block runs to the next table header.
    A problem is placed on the first line of the block (or the file section) matching one of
    the given regexes, tried in order, else on the block's header."""

    _HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.]+)\s*\]\]?")

    def __init__(self, text: str | None):
        self.lines = (text or "").splitlines()
        self.rules: list[tuple[int, int]] = []
        self.tables: dict[str, tuple[int, int]] = {}
        headers = []
        for n, line in enumerate(self.lines):
            m = self._HEADER.match(line)
            if m:
                headers.append((n, m.group(1), line.lstrip().startswith("[[")))
        ends = [h[0] for h in headers[1:]] + [len(self.lines)]
        first = headers[0][0] if headers else len(self.lines)
        self.tables[""] = (0, first)  # top-level keys (category = …)
        for (n, name, array), end in zip(headers, ends):
            if array and name == "rules":
                self.rules.append((n, end))
            else:
                self.tables.setdefault(name, (n, end))

    def find(self, block: tuple[int, int] | None, *needles: str) -> tuple[int, int]:
        if not self.lines or block is None:
            return 0, 0
        start, end = block
        for needle in needles:
            rx = re.compile(needle)
            for n in range(start, end):
                text = self.lines[n]
                if text.lstrip().startswith("#"):
                    continue
                m = rx.search(text)
                if m:
                    return n + 1, m.start() + 1
        return start + 1, 1

    def rule_block(self, index: int) -> tuple[int, int] | None:
        return self.rules[index] if index < len(self.rules) else None


def _key(name: str) -> str:
    """Regex for ``name =`` as a TOML key (bare or inside an inline table)."""
    return rf"(?<![\w.\-]){re.escape(name)}\s*="


def _quoted(value: str) -> str:
    return r"[\"']" + re.escape(value) + r"[\"']"


class _Problems:
    def __init__(self, path: str, source: _Source):
        self.path, self.source, self.items = path, source, []

    def add(self, message: str, rule: str | None = None, block=None, *needles: str) -> None:
        line, col = self.source.find(block, *needles)
        self.items.append(Problem(self.path, line, col, rule, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise RuleError(problems=self.items)


@dataclass
class Group:
    terms: list[str]
    min: int = 1
    window: int | None = None  # None: the rule's window
    negatable: bool = True


@dataclass
class Escalation:
    near: list[Group]
    severity: str
    unless: list[str] = field(default_factory=list)


@dataclass
class Rule:
    id: str
    category: str
    severity: str
    message: str
    suggestion: str | None = None
    basis: str | None = None
    en: dict = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)
    patterns: list[list[dict]] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    min_value: float | None = None
    max_value: float | None = None
    near: list[Group] = field(default_factory=list)
    window: int = 8
    not_near: list[str] = field(default_factory=list)
    not_near_window: int | None = None
    # Said of the writer, not of someone else: a ``not_after`` term ends right before the evidence,
    # or only ``not_after_gap`` tokens (at most three) lie between them ("aku kan bodoh").
    not_after: list[str] = field(default_factory=list)
    not_after_gap: list[str] = field(default_factory=list)
    unless_post: list[str] = field(default_factory=list)
    escalate: list[Escalation] = field(default_factory=list)
    negatable: bool = True
    suppressible: bool = True
    examples: dict = field(default_factory=dict)
    note: str | None = None
    model: bool = False  # evidence is the category model's score (doc.cats), not token spans
    lowerable: bool = True  # the model may lower this rule's finding when it judges the post clean

    def text(self, field_name: str, locale: str = "id") -> str | None:
        if locale == "en" and self.en.get(field_name):
            return self.en[field_name]
        return getattr(self, field_name)


@dataclass
class RuleSet:
    category: str
    meta: dict
    lexicons: dict[str, list[str]]
    suppress: list[str]
    rules: list[Rule]
    path: str


def rules_dir() -> Path:
    return Path(str(files("nlp").joinpath("data/rules")))


def _check_keys(where: str, table: dict, allowed: set[str]):
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise RuleError(f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})")


def _unknown_keys(table, allowed: set[str]) -> list[str]:
    return sorted(set(table) - allowed) if isinstance(table, dict) else []


def _int(where: str, value, name: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise RuleError(f"{where}: '{name}' must be a whole number ≥ {minimum}, not {value!r}")
    return value


def _bool(where: str, value, name: str) -> bool:
    if not isinstance(value, bool):
        raise RuleError(f"{where}: '{name}' must be true or false, not {value!r}")
    return value


def _number(where: str, value, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RuleError(f"{where}: '{name}' must be a number, not {value!r}")
    return value


def _placeholders(text) -> list[str]:
    """The ``{names}`` a message uses; raises ValueError for a stray brace."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def _terms(where: str, value) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
        raise RuleError(f"{where}: expected a list of non-empty strings")
    return value


def _groups(where: str, value) -> list[Group]:
    groups = []
    for i, g in enumerate(value or []):
        w = f"{where}[{i}]"
        if isinstance(g, (list, str)):
            groups.append(Group(terms=_terms(w, g)))
        elif isinstance(g, dict):
            _check_keys(w, g, _GROUP_KEYS)
            window = g.get("window")
            groups.append(Group(terms=_terms(w + ".terms", g.get("terms")), min=_int(w, g.get("min", 1), "min", 1),
                                window=None if window is None else _int(w, window, "window"),
                                negatable=_bool(w, g.get("negatable", True), "negatable")))
        else:
            raise RuleError(f"{w}: a group is a list of terms or a table with 'terms'")
    return groups


def load_common() -> dict[str, list[str]]:
    path = rules_dir() / "_common.toml"
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{path.name}: not valid TOML: {exc}") from None
    return parse_common(data, path.name, text)


def parse_common(data: dict, path: str = "_common.toml", source: str | None = None) -> dict[str, list[str]]:
    """``_common.toml``: only ``[lexicons]``, each a list of terms."""
    src = _Source(source)
    problems = _Problems(path, src)
    whole = (0, len(src.lines))
    for k in _unknown_keys(data, {"lexicons"}):
        problems.add(f"unknown key '{k}' (a common file holds only [lexicons])", None, whole, _key(k), rf"\[\s*{re.escape(k)}")
    out = {}
    for name, value in (data.get("lexicons") or {}).items():
        try:
            out[name] = _terms(f"[lexicons].{name}", value)
        except RuleError as exc:
            problems.add(str(exc), None, src.tables.get("lexicons"), _key(name))
    problems.raise_if_any()
    return out


def _resolve_for_validation(pattern, lexicons: set[str], missing: list[str]):
    """A token pattern with ``"@lexicon"`` replaced by a word list, as the engine does."""
    if isinstance(pattern, list):
        return [_resolve_for_validation(p, lexicons, missing) for p in pattern]
    if isinstance(pattern, dict):
        return {k: _resolve_for_validation(v, lexicons, missing) for k, v in pattern.items()}
    if isinstance(pattern, str) and pattern.startswith("@"):
        if pattern[1:] not in lexicons:
            missing.append(pattern)
        return ["x"]
    return pattern


_TRIAL_VOCAB = []


def _trial_vocab():
    """One throwaway spaCy Vocab for trial ``Matcher.add`` calls (creating one costs ~1 ms)."""
    if not _TRIAL_VOCAB:
        from spacy.vocab import Vocab

        _TRIAL_VOCAB.append(Vocab())
    return _TRIAL_VOCAB[0]


_PATTERN_ATTR = re.compile(r"\[pattern -> \d+ -> ([A-Z_]+)")


def pattern_problems(patterns, lexicons: set[str]) -> list[tuple[str, str | None]]:
    """(problem, offending attribute or None) for each invalid token pattern: spaCy's own
    schema validation (``Matcher(validate=True)``), then a trial ``Matcher.add``."""
    from spacy.matcher import Matcher
    from spacy.schemas import validate_token_pattern

    out = []
    if not isinstance(patterns, list):
        return [("'patterns' must be a list of token patterns (each a list of tables)", None)]
    for n, pat in enumerate(patterns):
        if not isinstance(pat, list) or not pat or not all(isinstance(t, dict) for t in pat):
            out.append((f"patterns[{n}] must be a non-empty list of token tables", None))
            continue
        missing: list[str] = []
        resolved = _resolve_for_validation(pat, lexicons, missing)
        if missing:
            out.append((f"patterns[{n}]: unknown lexicon {', '.join(repr(m) for m in missing)}", None))
            continue
        errors = validate_token_pattern(resolved)
        if not errors:
            try:
                Matcher(_trial_vocab()).add("check", [resolved])
            except Exception as exc:  # spaCy's own message is precise
                errors = [str(exc).strip().splitlines()[0]]
        if errors:
            m = _PATTERN_ATTR.search(errors[0])
            out.append((f"patterns[{n}]: invalid token pattern: {errors[0]}", m.group(1) if m else None))
    return out


def _examples(where_rule: str, value, lexicons: set[str]) -> tuple[dict, list[tuple[str, tuple]]]:
    """Examples, normalised (``bad``/``good`` as lists of tables), with their problems
    (message, regexes that find the place)."""
    problems: list[tuple[str, tuple]] = []
    if not isinstance(value, dict):
        return {}, [("'examples' must be a table: { bad = [...], good = [...] }", (_key("examples"),))]
    for k in _unknown_keys(value, _EXAMPLE_KEYS):
        problems.append((f"examples: unknown key '{k}' (allowed: {', '.join(sorted(_EXAMPLE_KEYS))})", (_key(k),)))
    out: dict = {"bad": [], "good": []}
    for kind, allowed in (("bad", _BAD_EXAMPLE_KEYS), ("good", _GOOD_EXAMPLE_KEYS)):
        items = value.get(kind, [])
        if not isinstance(items, list):
            problems.append((f"examples.{kind} must be a list", (_key(kind),)))
            continue
        for n, item in enumerate(items):
            if isinstance(item, str):
                item = {"text": item}
            if not isinstance(item, dict):
                problems.append((f"examples.{kind}[{n}] must be a text or a table {{ text = \"…\" }}", (_key(kind),)))
                continue
            bad_keys = _unknown_keys(item, allowed)
            for k in bad_keys:
                problems.append((f"examples.{kind}[{n}]: unknown key '{k}' (allowed: {', '.join(sorted(allowed))})",
                                 (_key(k),)))
            text = item.get("text")
            if not isinstance(text, str) or not text.strip():
                problems.append((f"examples.{kind}[{n}]: 'text' must be a non-empty text", (_key(kind),)))
                continue
            ev = item.get("evidence")
            if ev is not None and (not isinstance(ev, str) or not ev or ev not in text):
                problems.append((f"examples.{kind}[{n}]: evidence {ev!r} does not occur in its text",
                                 (_quoted(ev) if isinstance(ev, str) else _key("evidence"), _key("evidence"))))
            sev = item.get("severity")
            if sev is not None and sev not in SEVERITIES:
                problems.append((f"examples.{kind}[{n}]: severity must be one of {', '.join(SEVERITIES)}, not {sev!r}",
                                 (_quoted(str(sev)), _key("severity"))))
            if not bad_keys:
                out[kind].append(dict(item))
    extra = value.get("lexicon", {})
    if not isinstance(extra, dict) or not all(isinstance(v, list) and all(isinstance(e, str) for e in v)
                                              for v in extra.values()):
        problems.append(("examples.lexicon must be a table of word lists: { name = [\"…\"] }", (_key("lexicon"),)))
    else:
        for name in extra:
            if name not in lexicons:
                problems.append((f"examples.lexicon: unknown lexicon '{name}'", (_key(name), _key("lexicon"))))
        if extra:
            out["lexicon"] = {k: list(v) for k, v in extra.items()}
    return out, problems


def parse_ruleset(data: dict, path: str, common: dict[str, list[str]], source: str | None = None) -> RuleSet:
    """Validate one category's rule data (``source``: the file's text, for line numbers).

    Raises ``RuleError`` listing every problem found, each as ``file:line:col: rule: problem``."""
    from .recognizers import known_labels

    src = _Source(source)
    problems = _Problems(path, src)
    whole = (0, len(src.lines))
    for k in _unknown_keys(data, _FILE_KEYS):
        problems.add(f"unknown key '{k}' (allowed: {', '.join(sorted(_FILE_KEYS))})", None, whole,
                     rf"^\s*\[+\s*{re.escape(k)}\b", _key(k))
    category = data.get("category")
    if category not in CATEGORIES:
        problems.add(f"'category' must be one of {', '.join(CATEGORIES)}", None, src.tables.get(""), _key("category"))
        problems.raise_if_any()
    meta = data.get("meta", {})
    for k in _unknown_keys(meta, _META_KEYS):
        problems.add(f"[meta]: unknown key '{k}' (allowed: {', '.join(sorted(_META_KEYS))})", None,
                     src.tables.get("meta"), _key(k))
    if meta.get("severity", "warning") not in SEVERITIES:
        problems.add(f"[meta]: severity must be one of {', '.join(SEVERITIES)}", None, src.tables.get("meta"),
                     _key("severity"))
    lexicons = {}
    for name, value in (data.get("lexicons") or {}).items():
        try:
            lexicons[name] = _terms(f"[lexicons].{name}", value)
        except RuleError as exc:
            problems.add(str(exc), None, src.tables.get("lexicons"), _key(name))
    suppress_tbl = data.get("suppress", {})
    suppress = []
    for k in _unknown_keys(suppress_tbl, _SUPPRESS_KEYS):
        problems.add(f"[suppress]: unknown key '{k}' (allowed: {', '.join(sorted(_SUPPRESS_KEYS))})", None,
                     src.tables.get("suppress"), _key(k))
    if suppress_tbl:
        try:
            suppress = _terms("[suppress].terms", suppress_tbl.get("terms", []))
        except RuleError as exc:
            problems.add(str(exc), None, src.tables.get("suppress"), _key("terms"))
    known_lexicons = set(lexicons) | set(common)
    # A lexicon may include another by name ("@family" inside private_event): expanded here, so
    # the matcher only ever sees words.
    for name in list(lexicons):
        try:
            lexicons[name] = _expand_lexicon(name, lexicons, common)
        except RuleError as exc:
            problems.add(str(exc), None, src.tables.get("lexicons"), _key(name))
    labels = known_labels()
    rules, seen = [], set()
    for i, r in enumerate(data.get("rules", [])):
        block = src.rule_block(i)
        if not isinstance(r, dict):
            problems.add("a rule must be a table ([[rules]])", f"rule #{i + 1}", block)
            continue
        rid = r.get("id")
        name = rid if isinstance(rid, str) and rid else f"rule #{i + 1}"
        count = len(problems.items)

        def bad(message, *needles):
            problems.add(message, name, block, *needles)

        def field_value(fn, key, default, *needles):
            try:
                return fn()
            except RuleError as exc:
                bad(str(exc), *needles, _key(key))
                return default

        for k in _unknown_keys(r, _RULE_KEYS):
            bad(f"unknown key '{k}' (allowed: {', '.join(sorted(_RULE_KEYS))})", _key(k))
        if not isinstance(rid, str) or not rid.startswith(category + "."):
            bad(f"'id' must start with '{category}.'", _key("id"))
        elif rid in seen:
            bad("duplicate id: another rule above has it", _key("id"))
        seen.add(rid)
        sev = r.get("severity", meta.get("severity", "warning"))
        if sev not in SEVERITIES:
            bad(f"severity must be one of {', '.join(SEVERITIES)}, not {sev!r}", _key("severity"))
        if not r.get("message"):
            bad("'message' is required")
        if r.get("model") is not None and not isinstance(r.get("model"), bool):
            bad("'model' must be true or false", _key("model"))
        if r.get("lowerable") is not None and not isinstance(r.get("lowerable"), bool):
            bad("'lowerable' must be true or false", _key("lowerable"))
        if not (r.get("terms") or r.get("patterns") or r.get("entities") or r.get("model")):
            bad("needs evidence: 'terms', 'patterns', 'entities' or 'model = true'")
        if r.get("model") and (r.get("terms") or r.get("patterns") or r.get("entities")):
            bad("a 'model = true' rule takes its evidence from the model only", _key("model"))
        # messages: only the placeholders the engine fills
        en = r.get("en", {})
        if not isinstance(en, dict):
            bad("'en' must be a table { message = \"…\", … }", _key("en"))
            en = {}
        for k in _unknown_keys(en, _EN_KEYS):
            bad(f"en: unknown key '{k}' (allowed: {', '.join(sorted(_EN_KEYS))})", _key(k))
        for key, text in [(k, r.get(k)) for k in ("message", "suggestion", "basis")] + \
                         [(f"en.{k}", en.get(k)) for k in ("message", "suggestion", "basis")]:
            if text is None:
                continue
            if not isinstance(text, str):
                bad(f"'{key}' must be a text", _key(key.split(".")[-1]))
                continue
            try:
                names = _placeholders(text)
            except ValueError as exc:
                bad(f"'{key}': {exc} (write {{{{ and }}}} for a literal brace)", _key(key.split(".")[-1]))
                continue
            for ph in names:
                if ph not in PLACEHOLDERS:
                    bad(f"'{key}': unknown placeholder {{{ph}}} (known: {', '.join('{%s}' % p for p in PLACEHOLDERS)})",
                        re.escape("{" + ph + "}"), _key(key.split(".")[-1]))
        terms = field_value(lambda: _terms("terms", r.get("terms", [])), "terms", [])
        entities = r.get("entities", [])
        if not isinstance(entities, list) or not all(isinstance(e, str) for e in entities):
            bad("'entities' must be a list of entity labels", _key("entities"))
            entities = []
        for e in entities:
            if e not in labels:
                bad(f"entity label '{e}' is produced by no recognizer (known: {', '.join(sorted(labels))})",
                    _quoted(e), _key("entities"))
        patterns = r.get("patterns", [])
        for message, attr in pattern_problems(patterns, known_lexicons) if patterns else ():
            bad(message, *((rf"\b{attr}\b",) if attr else ()), _key("patterns"))
        near = field_value(lambda: _groups("near", r.get("near")), "near", [])
        escalations = []
        escalate = r.get("escalate", [])
        for j, e in enumerate(escalate if isinstance(escalate, list) else [escalate]):
            try:
                if not isinstance(e, dict):
                    raise RuleError(f"escalate[{j}]: must be a table {{ near = [...], severity = \"high\" }}")
                _check_keys(f"escalate[{j}]", e, _ESCALATE_KEYS)
                if e.get("severity") not in SEVERITIES:
                    raise RuleError(f"escalate[{j}]: severity must be one of {', '.join(SEVERITIES)}")
                escalations.append(Escalation(near=_groups(f"escalate[{j}].near", e.get("near")),
                                              severity=e["severity"],
                                              unless=_terms(f"escalate[{j}].unless", e.get("unless", []))))
            except RuleError as exc:
                bad(str(exc), *(_key(k) for k in _unknown_keys(e, _ESCALATE_KEYS)), _key("escalate"))
        window = field_value(lambda: _int("window", r.get("window", 8), "window"), "window", 8)
        nn_window = r.get("not_near_window")
        if nn_window is not None:
            nn_window = field_value(lambda: _int("not_near_window", nn_window, "not_near_window"),
                                    "not_near_window", None)
        min_value = field_value(lambda: _number("min_value", r.get("min_value"), "min_value"), "min_value", None)
        max_value = field_value(lambda: _number("max_value", r.get("max_value"), "max_value"), "max_value", None)
        negatable = field_value(lambda: _bool("negatable", r.get("negatable", True), "negatable"), "negatable", True)
        suppressible = field_value(lambda: _bool("suppressible", r.get("suppressible", True), "suppressible"),
                                   "suppressible", True)
        not_near = field_value(lambda: _terms("not_near", r.get("not_near", [])), "not_near", [])
        unless_post = field_value(lambda: _terms("unless_post", r.get("unless_post", [])), "unless_post", [])
        not_after = field_value(lambda: _terms("not_after", r.get("not_after", [])), "not_after", [])
        not_after_gap = field_value(lambda: _terms("not_after_gap", r.get("not_after_gap", [])), "not_after_gap", [])
        examples, example_problems = _examples(name, r.get("examples", {}), known_lexicons)
        for message, needles in example_problems:
            bad(message, *needles, _key("examples"))
        if len(problems.items) > count:
            continue
        rule = Rule(
            id=rid, category=category, severity=sev, message=r["message"], suggestion=r.get("suggestion"),
            basis=r.get("basis"), en=dict(en), terms=terms, patterns=list(patterns), entities=list(entities),
            min_value=min_value, max_value=max_value, near=near, window=window, not_near=not_near,
            not_near_window=nn_window, not_after=not_after, not_after_gap=not_after_gap,
            unless_post=unless_post, escalate=escalations, negatable=negatable,
            suppressible=suppressible, examples=examples, note=r.get("note"),
            model=bool(r.get("model", False)), lowerable=bool(r.get("lowerable", True)),
        )
        rules.append(rule)
    ruleset = RuleSet(category, meta, lexicons, suppress, rules, path)
    _check_references(ruleset, known_lexicons, problems)
    problems.raise_if_any()
    return ruleset


def iter_term_lists(rs: RuleSet):
    """Every list of terms in a rule set, with where it is (for reference checks)."""
    yield "[suppress]", rs.suppress
    for rule in rs.rules:
        yield rule.id, rule.terms
        yield rule.id, rule.not_near
        yield rule.id, rule.unless_post
        yield rule.id, rule.not_after
        yield rule.id, rule.not_after_gap
        for g in rule.near:
            yield rule.id, g.terms
        for e in rule.escalate:
            yield rule.id, e.unless
            for g in e.near:
                yield rule.id, g.terms


def _expand_lexicon(name: str, lexicons: dict[str, list[str]], common: dict[str, list[str]],
                    seen: tuple[str, ...] = ()) -> list[str]:
    """``name``'s terms with every "@other" entry replaced by that lexicon's terms."""
    if name in seen:
        raise RuleError(f"[lexicons].{seen[0]}: lexicons include each other ({' → '.join(seen + (name,))})")
    out: list[str] = []
    for t in lexicons.get(name, common.get(name, [])):
        if not t.startswith("@"):
            out.append(t)
        elif t[1:] in lexicons or t[1:] in common:
            out.extend(_expand_lexicon(t[1:], lexicons, common, seen + (name,)))
        else:
            raise RuleError(f"[lexicons].{name}: unknown lexicon '{t}'")
    return out


def _check_references(rs: RuleSet, known: set[str], problems: _Problems):
    rule_index = {r.id: n for n, r in enumerate(rs.rules)}
    source = problems.source
    # rules were parsed in file order; a rule's block is found by its id when rules were skipped
    blocks = {}
    for n, (start, end) in enumerate(source.rules):
        for line in source.lines[start:end]:
            m = re.match(r"\s*id\s*=\s*[\"']([^\"']+)", line)
            if m:
                blocks[m.group(1)] = (start, end)
                break
    for where, terms in iter_term_lists(rs):
        for t in terms:
            if t.startswith("@") and t[1:] not in known:
                if where in rule_index:
                    problems.add(f"unknown lexicon '{t}'", where, blocks.get(where), _quoted(t))
                else:
                    problems.add(f"{where}: unknown lexicon '{t}'", None, source.tables.get("suppress"), _quoted(t))


def toml_problem(file: str, exc: tomllib.TOMLDecodeError) -> Problem:
    """A TOML syntax error as a Problem; Python < 3.14 keeps the position only in the text."""
    m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    line, col = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    return Problem(file, line, col, None, f"not valid TOML: {re.sub(r' [(]at line .*[)]$', '', str(exc))}")


def load_ruleset(category: str, directory: Path | None = None) -> RuleSet:
    directory = directory or rules_dir()
    return load_rule_file(directory / f"{category}.toml", expect=category)


def load_rule_file(path: Path, expect: str | None = None, common: dict[str, list[str]] | None = None,
                   extra_lexicons: dict[str, list[str]] | None = None) -> RuleSet:
    """Load and validate one rule file (``expect``: the category it must hold).

    ``extra_lexicons`` are an organisation's additions (``[lexicon.<category>]`` of its
    configuration), validated as the engine will use them."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuleError(f"rule file missing: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path.name}: cannot be read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(problems=[toml_problem(path.name, exc)]) from None
    if expect is not None and data.get("category") != expect:
        raise RuleError(f"{path.name}: 'category' must be '{expect}' (the file's name)")
    ruleset = parse_ruleset(data, path.name, load_common() if common is None else common, text)
    if extra_lexicons:
        problems = _Problems(path.name, _Source(None))
        for name, entries in extra_lexicons.items():
            for msg in lexicon_entry_problems(ruleset, name, entries):
                problems.add(msg)
        problems.raise_if_any()
    return ruleset


def lexicon_entry_problems(rs: RuleSet, name: str, entries: list[str]) -> list[str]:
    """What would make an organisation's additions to lexicon ``name`` silently match nothing."""
    out = []
    in_patterns = any(_mentions(p, "@" + name) for r in rs.rules for p in r.patterns)
    for entry in entries:
        word = entry.lstrip("=")
        if not any(ch.isalnum() for ch in word):
            out.append(f"[lexicon.{rs.category}] {name}: entry {entry!r} has no letter or digit and can never match")
        elif in_patterns and " " in word.strip():
            users = sorted(r.id for r in rs.rules if any(_mentions(p, "@" + name) for p in r.patterns))
            out.append(f"[lexicon.{rs.category}] {name}: entry {entry!r} has several words, but the token patterns "
                       f"of {', '.join(users)} use single words only; it is matched by the other rules only")
    return out


def _mentions(pattern, ref: str) -> bool:
    if isinstance(pattern, list):
        return any(_mentions(p, ref) for p in pattern)
    if isinstance(pattern, dict):
        return any(_mentions(v, ref) for v in pattern.values())
    return pattern == ref


def load_all_rulesets() -> dict[str, RuleSet]:
    common = load_common()
    return {c: load_rule_file(rules_dir() / f"{c}.toml", expect=c, common=common) for c in CATEGORIES}
