"""Every rule's own examples, LanguageTool-style: bad ones fire the rule, good ones do not.

A bad example may pin its evidence and severity (``{ text = "…", evidence = "Rolex",
severity = "high" }``), as LanguageTool's ``<marker>`` does: the rule must then underline
exactly that text, with that severity."""

from functools import lru_cache

import pytest

from nlp import Analyzer
from nlp.rules import load_all_rulesets

RULESETS = load_all_rulesets()
RULES = {r.id: r for rs in RULESETS.values() for r in rs.rules}


@lru_cache(maxsize=None)
def _configured(category: str, lexicon_items: tuple) -> Analyzer:
    return Analyzer({"lexicon": {category: {k: list(v) for k, v in lexicon_items}}})


def analyzer_for(rule, default):
    """Rules that need the organisation's lexicon (local candidates, document codes) carry it
    in ``examples.lexicon``; their examples run with it added."""
    extra = rule.examples.get("lexicon")
    if not extra:
        return default
    return _configured(rule.category, tuple(sorted((k, tuple(v)) for k, v in extra.items())))


CASES = []
for _rs in RULESETS.values():
    for _rule in _rs.rules:
        for _ex in _rule.examples.get("bad", []):
            CASES.append(pytest.param(_rule.id, _ex, True, id=f"{_rule.id}-bad-{len(CASES)}"))
        for _ex in _rule.examples.get("good", []):
            CASES.append(pytest.param(_rule.id, _ex, False, id=f"{_rule.id}-good-{len(CASES)}"))


def test_every_rule_has_examples():
    missing = [r.id for r in RULES.values() if not r.examples.get("bad") or not r.examples.get("good")]
    assert not missing, f"rules without bad and good examples: {missing}"


@pytest.mark.parametrize("rule_id,example,should_fire", CASES)
def test_rule_example(analyzer, rule_id, example, should_fire):
    text = example["text"]
    report = analyzer_for(RULES[rule_id], analyzer).check(text)
    fired = [f for f in report.findings if f.rule_id == rule_id]
    for f in report.findings:
        assert text[f.start:f.end] == f.text
    if not should_fire:
        assert not fired, f"{rule_id} should not fire on: {text!r}; fired on {[f.text for f in fired]}"
        return
    assert fired, f"{rule_id} should fire on: {text!r}; got {[(f.rule_id, f.text) for f in report.findings]}"
    evidence, severity = example.get("evidence"), example.get("severity")
    if evidence is not None:
        pinned = [f for f in fired if f.text == evidence]
        assert pinned, f"{rule_id} should underline {evidence!r} in {text!r}; underlined {[f.text for f in fired]}"
        if severity is not None:
            assert pinned[0].severity == severity, \
                f"{rule_id} on {evidence!r} in {text!r}: severity {pinned[0].severity}, expected {severity}"
    elif severity is not None:
        assert severity in {f.severity for f in fired}, \
            f"{rule_id} on {text!r}: severities {[f.severity for f in fired]}, expected {severity}"


def test_most_bad_examples_pin_their_evidence_and_severity():
    """Examples say where and how severe: a rule with a clear evidence word pins it."""
    bad = [ex for r in RULES.values() for ex in r.examples["bad"]]
    pinned = [ex for ex in bad if "evidence" in ex and "severity" in ex]
    assert len(pinned) >= 0.8 * len(bad), f"only {len(pinned)} of {len(bad)} bad examples pin evidence and severity"
    rules_unpinned = sorted(r.id for r in RULES.values() if not any("evidence" in ex for ex in r.examples["bad"]))
    assert not rules_unpinned, f"rules whose bad examples never name their evidence: {rules_unpinned}"


def test_every_rule_speaks_indonesian_with_reason_suggestion_and_basis():
    for r in RULES.values():
        assert r.message and r.suggestion and r.basis, r.id
        assert r.en.get("message"), f"{r.id} has no English message"
