"""docs/rules.md, the rules catalogue, is generated from the rule files and kept fresh."""

import importlib.util

from saring_testlib import ROOT

from nlp.rules import load_all_rulesets

_spec = importlib.util.spec_from_file_location("gen_rules_doc", ROOT / "scripts" / "gen_rules_doc.py")
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)


def test_rules_catalogue_is_up_to_date():
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == gen.render(), "docs/rules.md is stale: run python scripts/gen_rules_doc.py"


def test_catalogue_lists_every_rule_with_its_message_and_pinned_evidence():
    doc = gen.render()
    for rs in load_all_rulesets().values():
        assert f"\n## {rs.category}\n" in doc
        for rule in rs.rules:
            section = doc.split(f"### `{rule.id}`\n", 1)[1].split("\n### ", 1)[0]
            assert f"| severity | `{rule.severity}`" in section
            assert gen._md(rule.message) in section and gen._md(rule.basis) in section
            for ex in rule.examples["bad"]:
                if ex.get("evidence"):
                    assert f"**{gen._md(ex['evidence'])}**" in section, (rule.id, ex)


def test_check_mode_reports_a_stale_catalogue(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "rules.md"
    stale.write_text("# old\n", encoding="utf-8")
    monkeypatch.setattr(gen, "OUT", stale)
    monkeypatch.setattr(gen, "ROOT", tmp_path)
    assert gen.main(["--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert gen.main([]) == 0 and stale.read_text(encoding="utf-8") == gen.render()
    assert gen.main(["--check"]) == 0
