"""Mistakes in a rule file fail at load, Vale-style: ``file:line:col: rule: problem``.

Each test writes a small rule file with one mistake IT or a contributor could make, and
checks that loading it names the file, the line and column of the mistake, and the rule;
then the same through ``saring rules check`` and ``saring config check``."""

import re

import pytest

from nlp import Analyzer
from nlp.recognizers import LABELS, known_labels, register
from nlp.rules import RuleError, load_rule_file
from server.cli import main

GOOD_RULE = '''
[[rules]]
id = "flexing.watch"
severity = "warning"
terms = ["rolex"]
near = [["beli"]]
message = "Jam mewah ({evidence}) mudah dibaca sebagai pamer."
suggestion = "Ceritakan kegiatannya."
basis = "Surat Edaran KORPRI."
en = { message = "A luxury watch ({evidence})." }
examples = { bad = [{ text = "baru beli rolex nih", evidence = "rolex", severity = "warning" }], good = ["rolex palsu"] }
'''

HEAD = '''category = "flexing"

[meta]
severity = "warning"
'''


def write(tmp_path, body, name="flexing.toml"):
    path = tmp_path / name
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def position(path, needle, nth=0):
    """(line, col), 1-based, of the nth occurrence of ``needle`` in the file."""
    text = path.read_text(encoding="utf-8")
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def problems(path):
    with pytest.raises(RuleError) as info:
        load_rule_file(path)
    return str(info.value).splitlines()


def test_a_correct_file_loads(tmp_path):
    rs = load_rule_file(write(tmp_path, GOOD_RULE))
    assert [r.id for r in rs.rules] == ["flexing.watch"]
    assert rs.rules[0].examples["bad"] == [{"text": "baru beli rolex nih", "evidence": "rolex", "severity": "warning"}]
    assert rs.rules[0].examples["good"] == [{"text": "rolex palsu"}]


def test_entity_label_no_recognizer_produces(tmp_path):
    path = write(tmp_path, GOOD_RULE.replace('terms = ["rolex"]', 'entities = ["MONY"]'))
    line, col = position(path, '"MONY"')
    [msg] = problems(path)
    assert msg.startswith(f"flexing.toml:{line}:{col}: flexing.watch: entity label 'MONY' is produced by no recognizer")
    assert "MONEY" in msg  # the labels that exist are listed


def test_unknown_key_in_examples(tmp_path):
    path = write(tmp_path, GOOD_RULE.replace("good = [", "bda = [\"x\"], good = ["))
    line, col = position(path, "bda =")
    [msg] = problems(path)
    assert msg.startswith(f"flexing.toml:{line}:{col}: flexing.watch: examples: unknown key 'bda'")


def test_unknown_key_inside_an_example(tmp_path):
    path = write(tmp_path, GOOD_RULE.replace('evidence = "rolex"', 'evidense = "rolex"'))
    line, col = position(path, "evidense =")
    [msg] = problems(path)
    assert msg == (f"flexing.toml:{line}:{col}: flexing.watch: examples.bad[0]: unknown key 'evidense' "
                   f"(allowed: evidence, severity, text)")


@pytest.mark.parametrize("field", ["message", "en.message"])
def test_misspelt_placeholder(tmp_path, field):
    body = GOOD_RULE.replace("Jam mewah ({evidence})", "Jam mewah ({evidnce})") if field == "message" else \
        GOOD_RULE.replace("A luxury watch ({evidence})", "A luxury watch ({evidnce})")
    path = write(tmp_path, body)
    line, col = position(path, "{evidnce}")
    [msg] = problems(path)
    assert msg.startswith(f"flexing.toml:{line}:{col}: flexing.watch: '{field}': unknown placeholder {{evidnce}}")


def test_stray_brace_in_a_message(tmp_path):
    path = write(tmp_path, GOOD_RULE.replace("Ceritakan kegiatannya.", "Ceritakan {kegiatan."))
    line, _ = position(path, "suggestion =")
    [msg] = problems(path)
    assert msg.startswith(f"flexing.toml:{line}:1: flexing.watch: 'suggestion':")


def test_non_numeric_min(tmp_path):
    path = write(tmp_path, GOOD_RULE.replace('near = [["beli"]]', 'near = [{ terms = ["beli"], min = "two" }]'))
    line, _ = position(path, "near =")
    [msg] = problems(path)
    assert msg.startswith(f"flexing.toml:{line}:1: flexing.watch: near[0]: 'min' must be a whole number")
    assert "'two'" in msg


@pytest.mark.parametrize("pattern,attr", [
    ('[[{ NROM = "rolex" }]]', "NROM"),
    ('[[{ NORM = "rolex", OP = "%" }]]', "OP"),
    ('[[{ NORM = { WHAT = "x" } }]]', "NORM"),
])
def test_invalid_token_pattern_is_refused_at_load(tmp_path, pattern, attr):
    path = write(tmp_path, GOOD_RULE.replace('terms = ["rolex"]', f"patterns = {pattern}"))
    line, col = position(path, attr)
    [msg] = problems(path)
    assert msg.startswith(f"flexing.toml:{line}:{col}: flexing.watch: patterns[0]: invalid token pattern")


def test_unknown_lexicon_inside_a_token_pattern(tmp_path):
    path = write(tmp_path, GOOD_RULE.replace('terms = ["rolex"]', 'patterns = [[{ NORM = { IN = "@jam" } }]]'))
    line, _ = position(path, "patterns =")
    [msg] = problems(path)
    assert msg.startswith(f"flexing.toml:{line}:1: flexing.watch: patterns[0]: unknown lexicon '@jam'")


@pytest.mark.parametrize("change,needle,expected", [
    (('evidence = "rolex"', 'evidence = "Rolex"'), '"Rolex"', "evidence 'Rolex' does not occur in its text"),
    (('severity = "warning" }', 'severity = "tinggi" }'), '"tinggi"', "severity must be one of info, warning, high"),
])
def test_example_evidence_and_severity_are_checked(tmp_path, change, needle, expected):
    path = write(tmp_path, GOOD_RULE.replace(*change))
    line, col = position(path, needle)
    [msg] = problems(path)
    assert msg.startswith(f"flexing.toml:{line}:{col}: flexing.watch: examples.bad[0]: {expected}")


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    second = GOOD_RULE.replace("flexing.watch", "flexing.bag").replace("rolex", "hermes")
    path = write(tmp_path, GOOD_RULE.replace('terms = ["rolex"]', 'entities = ["MONY"]')
                 + second.replace("severity = \"warning\"\n", "severety = \"high\"\n", 1))
    msgs = problems(path)
    assert len(msgs) == 2
    assert "flexing.watch: entity label 'MONY'" in msgs[0]
    line, col = position(path, "severety")
    assert msgs[1].startswith(f"flexing.toml:{line}:{col}: flexing.bag: unknown key 'severety'")


def test_dangling_lexicon_reference_names_its_line(tmp_path):
    path = write(tmp_path, GOOD_RULE.replace('near = [["beli"]]', 'near = [["@beli_beli"]]'))
    line, col = position(path, '"@beli_beli"')
    [msg] = problems(path)
    assert msg == f"flexing.toml:{line}:{col}: flexing.watch: unknown lexicon '@beli_beli'"


LEXICONS = """
[lexicons]
family = ["istri", "suami"]
buyer = ["@family", "=saya sendiri"]
"""


def test_a_lexicon_can_include_another_and_its_words_match(tmp_path):
    # "@family" inside a lexicon once matched nothing (the literal "@family"): the rule below
    # must fire on a word that only the included lexicon holds.
    path = write(tmp_path, LEXICONS + GOOD_RULE.replace('near = [["beli"]]', 'near = [["@buyer"]]'))
    rs = load_rule_file(path)
    assert rs.lexicons["buyer"] == ["istri", "suami", "=saya sendiri"]


def test_a_shipped_lexicon_that_includes_another_matches_its_words(analyzer):
    # facility_misuse's private_event includes "@family": an office printer used for the writer's
    # wife is private use, as it is for "anakku", which private_event lists itself.
    for who in ("istri saya", "anakku"):
        report = analyzer.check(f"Ngeprint 200 lembar undangan pakai printer kantor buat {who} 😁")
        assert [f.rule_id for f in report.findings if f.category == "facility_misuse"][:1] == [
            "facility_misuse.office_asset_private"], who


def test_a_lexicon_naming_an_unknown_or_circular_lexicon_is_reported(tmp_path):
    path = write(tmp_path, LEXICONS.replace('"@family"', '"@famili"') + GOOD_RULE)
    [msg] = problems(path)
    assert "[lexicons].buyer: unknown lexicon '@famili'" in msg
    path = write(tmp_path, LEXICONS.replace('"istri"', '"@buyer"') + GOOD_RULE)
    msgs = problems(path)  # once for each lexicon of the loop
    assert msgs and all("lexicons include each other" in m for m in msgs)
    assert "[lexicons].family: lexicons include each other (family → buyer → family)" in msgs[0]


def test_recognizers_must_declare_their_labels():
    with pytest.raises(ValueError, match="declare its labels"):
        register("nothing", labels=())
    assert {"MONEY", "NIK", "PHONE"} <= known_labels()
    assert set(LABELS) == {"money", "identifiers", "phone"}


def test_every_entity_a_rule_names_is_one_the_recognizers_produce(analyzer):
    """The shipped rules' labels are real: a post with each entity makes the rule's evidence."""
    named = {e for rs in analyzer.rulesets.values() for r in rs.rules for e in r.entities}
    assert named <= known_labels()


# ------------------------------------------------------------------ the command line

def test_saring_rules_check_reports_like_vale(tmp_path, capsys):
    path = write(tmp_path, GOOD_RULE.replace('terms = ["rolex"]', 'entities = ["MONY"]'))
    line, col = position(path, '"MONY"')
    assert main(["rules", "check", str(path)]) == 1
    out = capsys.readouterr()
    assert out.out.startswith(f"{path}:{line}:{col}: galat: flexing.watch: entity label 'MONY'")
    assert "1 galat" in out.err


def test_saring_rules_check_passes_the_shipped_rules(capsys):
    from nlp.rules import rules_dir

    files = sorted(str(p) for p in rules_dir().glob("*.toml"))
    assert len(files) == 9
    assert main(["rules", "check", *files]) == 0
    assert capsys.readouterr().out.count(": valid.") == 9


def test_saring_rules_check_common_file_and_bad_toml(tmp_path, capsys):
    common = tmp_path / "_common.toml"
    common.write_text('[lexicons]\nnegation = ["tidak", ""]\n', encoding="utf-8")
    broken = tmp_path / "broken.toml"
    broken.write_text('category = "flexing"\n[[rules]\n', encoding="utf-8")
    assert main(["rules", "check", str(common), str(broken)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{common}:2:1: galat: [lexicons].negation: expected a list of non-empty strings"
    assert out[1].startswith(f"{broken}:2:") and "not valid TOML" in out[1]


def test_saring_rules_check_missing_file_is_usage_error(tmp_path, capsys):
    assert main(["rules", "check", str(tmp_path / "nope.toml")]) == 2
    assert "tidak ditemukan" in capsys.readouterr().err


def test_config_check_warns_about_lexicon_additions_that_match_nothing(tmp_path, capsys):
    cfg = tmp_path / "saring.toml"
    cfg.write_text('[lexicon.confidential_info]\nexam_name = ["cpns", "ujian dinas", "???"]\n', encoding="utf-8")
    assert main(["config", "check", str(cfg)]) == 0  # warnings, not errors: the server still starts
    out = capsys.readouterr().out
    assert re.search(r"PERINGATAN: \[lexicon.confidential_info\] exam_name: entry 'ujian dinas' has several words.*"
                     r"confidential_info\.", out)
    assert "PERINGATAN: [lexicon.confidential_info] exam_name: entry '???' has no letter or digit" in out
    assert "'cpns'" not in out


def test_a_broken_shipped_rule_stops_the_analyzer(monkeypatch, tmp_path):
    """The analyzer refuses to start on a broken rule file rather than run without the rule."""
    import shutil

    from nlp import rules

    for p in rules.rules_dir().glob("*.toml"):
        shutil.copy(p, tmp_path / p.name)
    f = tmp_path / "flexing.toml"
    f.write_text(f.read_text(encoding="utf-8").replace('entities = ["MONEY"]', 'entities = ["MONY"]', 1),
                 encoding="utf-8")
    monkeypatch.setattr(rules, "rules_dir", lambda: tmp_path)
    with pytest.raises(RuleError, match=r"flexing\.toml:\d+:\d+: flexing\.\w+: entity label 'MONY'"):
        Analyzer()


def test_no_lexicon_lists_an_entry_twice():
    """A rule file's lexicon is read by people tuning it: an entry listed twice suggests a second
    meaning that is not there (and one of the two is edited while the other stays)."""
    import collections
    import tomllib
    from pathlib import Path

    twice = []
    for path in sorted((Path(__file__).resolve().parents[1] / "nlp" / "data" / "rules").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for name, terms in data.get("lexicons", {}).items():
            counts = collections.Counter(t.lower() for t in terms if isinstance(t, str))
            twice += [f"{path.name} {name}: {t}" for t, n in counts.items() if n > 1]
    assert not twice, twice
