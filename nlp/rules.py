"""Rule files: loading and validation.

One TOML file per category in ``nlp/data/rules/`` (format: ``nlp/data/rules/README.md``),
plus ``_common.toml`` with lexicons every category may use (negation words, …).
Validation is strict — an unknown key or a dangling ``@lexicon`` reference is an error
that names the file and the rule — because a typo in a rule file must not silently
switch a check off.
"""

from __future__ import annotations

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
    "not_near", "not_near_window", "unless_post", "escalate", "negatable", "suppressible",
    "message", "suggestion", "basis", "en", "examples", "note", "model", "lowerable",
}
_GROUP_KEYS = {"terms", "min", "window", "negatable"}
_ESCALATE_KEYS = {"near", "severity", "unless"}
_FILE_KEYS = {"category", "meta", "lexicons", "suppress", "rules"}
_META_KEYS = {"name", "description", "severity"}
_SUPPRESS_KEYS = {"terms", "note"}


class RuleError(ValueError):
    """A rule file is not valid; the message names the file, the rule and the problem."""


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
        raise RuleError(f"{where}: unknown key(s) {', '.join(unknown)}")


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
            groups.append(Group(terms=_terms(w + ".terms", g.get("terms")), min=int(g.get("min", 1)),
                                window=g.get("window"), negatable=bool(g.get("negatable", True))))
        else:
            raise RuleError(f"{w}: a group is a list of terms or a table with 'terms'")
    return groups


def load_common() -> dict[str, list[str]]:
    data = tomllib.loads((rules_dir() / "_common.toml").read_text(encoding="utf-8"))
    return {k: list(v) for k, v in data.get("lexicons", {}).items()}


def parse_ruleset(data: dict, path: str, common: dict[str, list[str]]) -> RuleSet:
    _check_keys(path, data, _FILE_KEYS)
    category = data.get("category")
    if category not in CATEGORIES:
        raise RuleError(f"{path}: 'category' must be one of {', '.join(CATEGORIES)}")
    meta = data.get("meta", {})
    _check_keys(f"{path} [meta]", meta, _META_KEYS)
    lexicons = {k: _terms(f"{path} [lexicons].{k}", v) for k, v in data.get("lexicons", {}).items()}
    suppress_tbl = data.get("suppress", {})
    _check_keys(f"{path} [suppress]", suppress_tbl, _SUPPRESS_KEYS)
    suppress = _terms(f"{path} [suppress].terms", suppress_tbl.get("terms", [])) if suppress_tbl else []
    rules, seen = [], set()
    for i, r in enumerate(data.get("rules", [])):
        where = f"{path} rule #{i + 1} ({r.get('id', '?')})"
        _check_keys(where, r, _RULE_KEYS)
        rid = r.get("id")
        if not isinstance(rid, str) or not rid.startswith(category + "."):
            raise RuleError(f"{where}: 'id' must start with '{category}.'")
        if rid in seen:
            raise RuleError(f"{where}: duplicate id")
        seen.add(rid)
        sev = r.get("severity", meta.get("severity", "warning"))
        if sev not in SEVERITIES:
            raise RuleError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
        if not r.get("message"):
            raise RuleError(f"{where}: 'message' is required")
        if r.get("model") is not None and not isinstance(r.get("model"), bool):
            raise RuleError(f"{where}: 'model' must be true or false")
        if not (r.get("terms") or r.get("patterns") or r.get("entities") or r.get("model")):
            raise RuleError(f"{where}: needs evidence: 'terms', 'patterns', 'entities' or 'model = true'")
        if r.get("model") and (r.get("terms") or r.get("patterns") or r.get("entities")):
            raise RuleError(f"{where}: a 'model = true' rule takes its evidence from the model only")
        escalations = []
        for j, e in enumerate(r.get("escalate", [])):
            _check_keys(f"{where} escalate[{j}]", e, _ESCALATE_KEYS)
            if e.get("severity") not in SEVERITIES:
                raise RuleError(f"{where} escalate[{j}]: severity must be one of {', '.join(SEVERITIES)}")
            escalations.append(Escalation(near=_groups(f"{where} escalate[{j}].near", e.get("near")),
                                          severity=e["severity"],
                                          unless=_terms(f"{where} escalate[{j}].unless", e.get("unless", []))))
        rule = Rule(
            id=rid, category=category, severity=sev, message=r["message"], suggestion=r.get("suggestion"),
            basis=r.get("basis"), en=dict(r.get("en", {})),
            terms=_terms(f"{where}.terms", r.get("terms", [])),
            patterns=list(r.get("patterns", [])), entities=list(r.get("entities", [])),
            min_value=r.get("min_value"), max_value=r.get("max_value"),
            near=_groups(f"{where}.near", r.get("near")), window=int(r.get("window", 8)),
            not_near=_terms(f"{where}.not_near", r.get("not_near", [])), not_near_window=r.get("not_near_window"),
            unless_post=_terms(f"{where}.unless_post", r.get("unless_post", [])), escalate=escalations,
            negatable=bool(r.get("negatable", True)), suppressible=bool(r.get("suppressible", True)),
            examples=dict(r.get("examples", {})), note=r.get("note"),
            model=bool(r.get("model", False)), lowerable=bool(r.get("lowerable", True)),
        )
        rules.append(rule)
    ruleset = RuleSet(category, meta, lexicons, suppress, rules, path)
    _check_references(ruleset, common)
    return ruleset


def iter_term_lists(rs: RuleSet):
    """Every list of terms in a rule set, with where it is (for reference checks)."""
    yield "[suppress]", rs.suppress
    for rule in rs.rules:
        yield rule.id, rule.terms
        yield rule.id, rule.not_near
        yield rule.id, rule.unless_post
        for g in rule.near:
            yield rule.id, g.terms
        for e in rule.escalate:
            yield rule.id, e.unless
            for g in e.near:
                yield rule.id, g.terms


def _check_references(rs: RuleSet, common: dict[str, list[str]]):
    known = set(rs.lexicons) | set(common)
    for where, terms in iter_term_lists(rs):
        for t in terms:
            if t.startswith("@") and t[1:] not in known:
                raise RuleError(f"{rs.path} {where}: unknown lexicon '{t}'")


def load_ruleset(category: str, directory: Path | None = None) -> RuleSet:
    directory = directory or rules_dir()
    path = directory / f"{category}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RuleError(f"rule file missing: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{path.name}: not valid TOML: {exc}") from None
    return parse_ruleset(data, path.name, load_common())


def load_all_rulesets() -> dict[str, RuleSet]:
    return {c: load_ruleset(c) for c in CATEGORIES}
