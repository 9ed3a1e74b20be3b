"""Every rule's own examples, LanguageTool-style: bad ones fire the rule, good ones do not."""

from functools import lru_cache

import pytest

from nlp import Analyzer
from nlp.rules import load_all_rulesets

RULES = {r.id: r for rs in load_all_rulesets().values() for r in rs.rules}


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
for _cat, _rs in load_all_rulesets().items():
    for _rule in _rs.rules:
        for _text in _rule.examples.get("bad", []):
            CASES.append(pytest.param(_rule.id, _text, True, id=f"{_rule.id}-bad-{len(CASES)}"))
        for _text in _rule.examples.get("good", []):
            CASES.append(pytest.param(_rule.id, _text, False, id=f"{_rule.id}-good-{len(CASES)}"))


def test_every_rule_has_examples():
    missing = [r.id for rs in load_all_rulesets().values() for r in rs.rules
               if not r.examples.get("bad") or not r.examples.get("good")]
    assert not missing, f"rules without bad and good examples: {missing}"


@pytest.mark.parametrize("rule_id,text,should_fire", CASES)
def test_rule_example(analyzer, rule_id, text, should_fire):
    report = analyzer_for(RULES[rule_id], analyzer).check(text)
    fired = [f for f in report.findings if f.rule_id == rule_id]
    for f in report.findings:
        assert text[f.start:f.end] == f.text
    if should_fire:
        assert fired, f"{rule_id} should fire on: {text!r}; got {[(f.rule_id, f.text) for f in report.findings]}"
    else:
        assert not fired, f"{rule_id} should not fire on: {text!r}; fired on {[f.text for f in fired]}"


def test_every_rule_speaks_indonesian_with_reason_suggestion_and_basis():
    for rs in load_all_rulesets().values():
        for r in rs.rules:
            assert r.message and r.suggestion and r.basis, r.id
            assert r.en.get("message"), f"{r.id} has no English message"
