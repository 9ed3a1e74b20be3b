"""The Python API as the contract fixes it: Analyzer, Report, Finding."""

import pytest

from nlp import CATEGORIES, Analyzer, Finding, Report

ROLEX = "Baru beli Rolex 250jt 💎"


def test_rolex_post_gives_flexing_findings_on_brand_and_amount(analyzer):
    report = analyzer.check(ROLEX)
    assert isinstance(report, Report)
    flexing = [f for f in report.findings if f.category == "flexing"]
    assert {f.text for f in flexing} >= {"Rolex", "250jt"}
    for f in flexing:
        assert isinstance(f, Finding)
        assert ROLEX[f.start:f.end] == f.text
        assert f.severity in ("warning", "high")
        assert f.message and f.suggestion and f.basis
        assert f.rule_id.startswith("flexing.")
    assert report.max_severity in ("warning", "high")
    assert report.flagged("flexing")


def test_findings_are_ordered_by_start(analyzer):
    text = "Mudik pake mobil dinas sambil pamer Rolex baru 300jt, dasar warga goblok semua"
    report = analyzer.check(text)
    starts = [f.start for f in report.findings]
    assert starts == sorted(starts)
    assert len({f.category for f in report.findings}) >= 2


def test_to_dict_shape_and_utf16_offsets(analyzer):
    text = "🎉🎉 " + ROLEX  # two astral emoji before everything: UTF-16 offsets shift by 2
    d = analyzer.check(text).to_dict()
    assert set(d) == {"findings", "summary"}
    assert set(d["summary"]) == {"max_severity", "counts"}
    assert d["summary"]["counts"]["flexing"] == len([f for f in d["findings"] if f["category"] == "flexing"])
    for f in d["findings"]:
        assert set(f) == {"category", "rule_id", "severity", "start", "end", "start_utf16", "end_utf16", "text",
                          "message", "suggestion", "basis", "replacements"}
        assert text[f["start"]:f["end"]] == f["text"]
        utf16 = text.encode("utf-16-le")
        assert utf16[f["start_utf16"] * 2:f["end_utf16"] * 2].decode("utf-16-le") == f["text"]
    rolex = next(f for f in d["findings"] if f["text"] == "Rolex")
    assert rolex["start_utf16"] == rolex["start"] + 2


def test_emoji_between_and_inside_keeps_offsets(analyzer):
    text = "👨‍👩‍👧 liburan 🇨🇭 pake tas Hermès 💼 baru beli 90jt 😎"
    for f in analyzer.check(text).findings:
        assert text[f.start:f.end] == f.text


@pytest.mark.parametrize("text", ["", " ", "\n\t  \n", "\u200b"])
def test_empty_and_whitespace_text_gives_no_findings(analyzer, text):
    report = analyzer.check(text)
    assert report.findings == []
    assert report.to_dict()["summary"] == {"max_severity": "none", "counts": {}}


def test_clean_kinerja_post_with_big_numbers_is_quiet(analyzer):
    text = ("Realisasi retribusi daerah sampai Oktober mencapai Rp 860 miliar, 97% dari target tahunan. "
            "Terima kasih pelaku usaha yang tertib! #RetribusiTertib")
    assert analyzer.check(text).findings == []


def test_long_post_of_65536_characters(analyzer):
    chunk = "Posyandu hari ini melayani 40 balita, terima kasih kader. Baru beli Rolex 250jt 💎 "
    text = (chunk * (65536 // len(chunk) + 1))[:65536]
    assert len(text) == 65536
    report = analyzer.check(text)
    assert report.findings, "risky sentences repeated through a long post are still found"
    for f in report.findings:
        assert text[f.start:f.end] == f.text


def test_control_characters_and_mixed_english(analyzer):
    text = "Baru beli Rolex\x00 harganya 250jt\x1b[31m lol, so worth it \r\n\x7f grateful 🙏 #blessed"
    report = analyzer.check(text)
    for f in report.findings:
        assert text[f.start:f.end] == f.text
    assert any(f.text == "Rolex" for f in report.findings)


def test_check_many_equals_check(analyzer):
    texts = [ROLEX, "", "Rapat koordinasi pagi ini lancar", "dasar g0bl0k lo", "🎉" * 3 + " Rolex baru 300jt"]
    many = analyzer.check_many(texts)
    assert [r.to_dict() for r in many] == [analyzer.check(t).to_dict() for t in texts]


def _example_texts():
    from nlp.rules import load_all_rulesets

    texts = [ex["text"] for rs in load_all_rulesets().values() for rule in rs.rules
             for kind in ("bad", "good") for ex in rule.examples.get(kind, [])]
    return texts + ["", "  \n", "\u200b", ROLEX * 40, "🎉" * 3 + " Rolex baru 300jt"]


def test_one_post_at_a_time_or_in_batches_gives_the_same_reports(analyzer):
    """check(t) and check_many(...) share one code path: a post gives the same report alone or in
    a batch with others (every rule example, blank and long posts), in both locales and with a
    category filter."""
    texts = _example_texts()
    many = analyzer.check_many(texts)
    assert len(many) == len(texts) and sum(bool(r.findings) for r in many) > 200
    assert [analyzer.check(t) for t in texts] == many
    subset = texts[::7]
    for kw in ({"locale": "en"}, {"categories": ["flexing", "hate_abuse"]}):
        assert [analyzer.check(t, **kw) for t in subset] == analyzer.check_many(subset, batch_size=16, **kw)


def test_categories_filter_limits_the_check(analyzer):
    text = "Mudik pake mobil dinas, sekalian pamer Rolex baru 250jt"
    only = analyzer.check(text, categories=["facility_misuse"])
    assert only.findings and {f.category for f in only.findings} == {"facility_misuse"}
    assert analyzer.check(text, categories=[]).findings == []


def test_english_locale_changes_messages_not_findings(analyzer):
    id_report = analyzer.check(ROLEX)
    en_report = analyzer.check(ROLEX, locale="en")
    assert [(f.rule_id, f.start, f.end) for f in id_report.findings] == [
        (f.rule_id, f.start, f.end) for f in en_report.findings]
    assert id_report.findings[0].message != en_report.findings[0].message


def test_bad_arguments_raise_clear_errors(analyzer):
    with pytest.raises(TypeError):
        analyzer.check(None)
    with pytest.raises(ValueError, match="unknown category"):
        analyzer.check("x", categories=["flexin"])
    with pytest.raises(ValueError, match="locale"):
        analyzer.check("x", locale="fr")


def test_organisation_config_switches_categories_and_severities():
    a = Analyzer({"categories": {"hate_abuse": False}, "severity": {"flexing.luxury_brand": "off"}})
    assert "hate_abuse" not in a.categories
    assert not any(f.category == "hate_abuse" for f in a.check("dasar goblok kamu").findings)
    assert not any(f.rule_id == "flexing.luxury_brand" for f in a.check(ROLEX).findings)
    with pytest.raises(ValueError):
        Analyzer({"categories": {"nope": False}})
    with pytest.raises(ValueError):
        Analyzer({"severity": {"flexing.luxury_brand": "critical"}})


def test_category_info_lists_all_eight_in_both_locales(analyzer):
    ids = [c["id"] for c in analyzer.category_info("id")]
    assert ids == list(CATEGORIES)
    id_names = {c["id"]: c["name"] for c in analyzer.category_info("id")}
    en_names = {c["id"]: c["name"] for c in analyzer.category_info("en")}
    assert id_names["flexing"] == "Pamer kemewahan" and en_names["flexing"] != id_names["flexing"]


def test_memory_zone_keeps_string_store_flat(analyzer):
    import random
    import string

    rng = random.Random(7)

    def post():
        words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 12))) for _ in range(30)]
        return " ".join(words) + " baru beli Rolex 250jt"

    for _ in range(50):
        analyzer.check(post())
    analyzer.release_memory()
    before = len(analyzer.nlp.vocab.strings)
    for _ in range(700):  # crosses several automatic zone rotations
        analyzer.check(post())
    analyzer.check_many([post() for _ in range(300)])
    analyzer.release_memory()
    after = len(analyzer.nlp.vocab.strings)
    assert after - before < 100, f"string store grew by {after - before} over 1,000 novel posts"


def test_finding_dict_carries_every_field(analyzer):
    """The JSON shape is built by hand for speed: it must still carry every Finding field."""
    from dataclasses import asdict

    report = analyzer.check("Baru beli Rolex 250jt 💎")
    assert report.findings
    for finding in report.findings:
        d = finding.to_dict()
        expected = {**asdict(finding), "replacements": list(finding.replacements)}
        if expected["count"] == 1:  # "count" is optional: present only for merged repeats
            del expected["count"]
        assert d == expected


def test_string_table_compaction_keeps_every_result(analyzer, monkeypatch):
    """Between memory zones the string table is rebuilt from the strings that last (so novel
    words leave no trace); findings must be exactly those of an analyzer that never does it."""
    import json
    import random
    import string
    from pathlib import Path

    import nlp.analyzer as analyzer_module

    monkeypatch.setattr(analyzer_module, "ZONE_CHECKS", 4)
    monkeypatch.setattr(analyzer_module, "COMPACT_ZONES", 1)
    compacting = Analyzer()
    compactions = []
    original = compacting._compact_strings
    monkeypatch.setattr(compacting, "_compact_strings", lambda: (compactions.append(1), original()))
    rng = random.Random(3)
    posts = [json.loads(line)["text"] for line in
             (Path(__file__).parent / "data" / "flexing_posts.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()][:150]
    for text in posts:
        novel = " ".join("".join(rng.choices(string.ascii_lowercase, k=9)) for _ in range(5))
        text = f"{novel} {text} #{novel[:6]}"
        assert compacting.check(text).findings == analyzer.check(text).findings, text
    assert len(compactions) >= 30
