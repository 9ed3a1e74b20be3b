"""The rule engine's semantics, tested with small rule sets written here."""

import random

import pytest
from spacy.matcher import Matcher

from nlp import Analyzer
from nlp.pipeline.engine import FINDINGS_KEY, CategoryChecker
from nlp.rules import RuleError, load_all_rulesets, load_common, parse_ruleset

BASE = {"category": "flexing", "meta": {"severity": "warning"}}


def ruleset(rules, lexicons=None, suppress=None):
    data = dict(BASE, rules=rules, lexicons=lexicons or {})
    if suppress:
        data["suppress"] = {"terms": suppress}
    return parse_ruleset(data, "test.toml", load_common())


def run(analyzer, rs, text):
    checker = CategoryChecker(analyzer.nlp, "flexing", ruleset=rs)
    doc = analyzer.nlp.make_doc(text)
    for name in ("saring_normalizer", "saring_entities"):
        doc = analyzer.nlp.get_pipe(name)(doc)
    doc = checker(doc)
    return [s._.finding for s in doc.spans.get(FINDINGS_KEY, [])]


def rule(**kw):
    base = {"id": "flexing.t", "message": "pesan {evidence}", "terms": ["rolex"]}
    base.update(kw)
    return base


def test_terms_match_root_forms_and_exact_terms_do_not(analyzer):
    rs = ruleset([rule(terms=["pamer"]), rule(id="flexing.exact", terms=["=beli"])])
    found = run(analyzer, rs, "lagi memamerkan jam, terus dibeliin tas")
    assert [(f["rule_id"], f["text"]) for f in found] == [("flexing.t", "memamerkan")]


def test_near_window_and_negation(analyzer):
    rs = ruleset([rule(near=[["beli"]], window=3)])
    assert run(analyzer, rs, "baru beli rolex")
    assert not run(analyzer, rs, "beli sayur di pasar lalu lihat iklan jam tangan rolex")  # too far
    assert not run(analyzer, rs, "gak beli rolex kok")  # negated context (gak → tidak)
    rs2 = ruleset([rule()])
    assert not run(analyzer, rs2, "bukan rolex, cuma casio")  # negated evidence


def test_not_near_unless_post_and_suppress(analyzer):
    rs = ruleset([rule(not_near=["palsu"], window=4)])
    assert not run(analyzer, rs, "awas rolex palsu")
    rs = ruleset([rule(unless_post=["penipuan"])])
    assert not run(analyzer, rs, "hati-hati penipuan jual rolex murah")
    rs = ruleset([rule(), rule(id="flexing.sticky", terms=["hermes"], suppressible=False)], suppress=["@news_frame"])
    found = run(analyzer, rs, "berita: pejabat dicopot karena pamer rolex dan hermes")
    assert [f["rule_id"] for f in found] == ["flexing.sticky"]


def test_escalation_and_min_count_groups(analyzer):
    rs = ruleset([rule(escalate=[{"near": [["harga"]], "severity": "high"}])])
    assert run(analyzer, rs, "rolex baru")[0]["severity"] == "warning"
    assert run(analyzer, rs, "rolex baru harga selangit")[0]["severity"] == "high"
    rs = ruleset([rule(terms=["koleksi"], near=[{"terms": ["@brands"], "min": 2, "window": 0}])],
                 lexicons={"brands": ["rolex", "omega", "hublot"]})
    assert not run(analyzer, rs, "koleksi rolex")
    assert run(analyzer, rs, "koleksi: rolex, omega")


def test_entities_with_value_bounds_and_placeholders(analyzer):
    rs = ruleset([rule(terms=[], entities=["MONEY"], min_value=50_000_000, message="nominal {value}")])
    found = run(analyzer, rs, "habis 250jt, kemarin cuma 20rb")
    assert [f["text"] for f in found] == ["250jt"]
    assert found[0]["message"] == "nominal Rp 250 juta"


def test_overlapping_findings_keep_the_most_severe(analyzer):
    rs = ruleset([rule(severity="info"), rule(id="flexing.hi", terms=["rolex daytona"], severity="high")])
    found = run(analyzer, rs, "rolex daytona baru")
    assert [(f["rule_id"], f["text"]) for f in found] == [("flexing.hi", "rolex daytona")]


def test_anchored_matching_finds_what_a_full_matcher_finds(analyzer):
    """The shared matcher's anchored fast path must give exactly the full Matcher's matches for
    every shipped rule."""
    rng = random.Random(3)
    sets = load_all_rulesets()
    vocab_words = sorted({w for rs in sets.values() for lex in rs.lexicons.values() for w in lex})[:400]
    filler = ["dan", "yang", "nomor", "no", "1", "2", "3", "paslon", "coblos", "jl", ".", "rt", "/", "!", "#ayo02",
              "HOAKS", "RAHASIA", "https://bit.ly/bansos", "Kartu", "ASN"]
    shared = analyzer.nlp.get_pipe("saring_matcher")
    full = Matcher(analyzer.nlp.vocab)
    for cat in analyzer.categories:
        checker = analyzer.nlp.get_pipe(cat)
        for r in checker.rules:
            if r.patterns:
                full.add(f"pat:{r.id}", [checker._resolve_pattern(p) for p in r.patterns])
    assert len(full) >= 40  # rules with token patterns, from every category
    strings = analyzer.nlp.vocab.strings
    for _ in range(300):
        words = [rng.choice(vocab_words + filler * 3) for _ in range(rng.randint(5, 40))]
        doc = analyzer.nlp.make_doc(" ".join(words))
        doc = analyzer.nlp.get_pipe("saring_normalizer")(doc)
        expected = sorted((strings[m], s, e) for m, s, e in full(doc))
        got = sorted((k, s, e) for k, spans in shared.hits(doc).items() if k.startswith("pat:") for s, e in spans)
        assert got == expected, " ".join(words)


def test_categories_share_one_matching_pass(analyzer):
    """Each post is matched once for all categories; a phrase list used by several categories
    (negation words, news framing) is registered once."""
    shared = analyzer.nlp.get_pipe("saring_matcher")
    assert all(analyzer.nlp.get_pipe(c).matcher is shared for c in analyzer.categories)
    negation_keys = {analyzer.nlp.get_pipe(c)._keys_for(["@negation"])[0] for c in analyzer.categories}
    assert len(negation_keys) == 1
    doc = analyzer.nlp("Alhamdulillah, baru beli Rolex 250jt")
    assert doc.user_data  # hits are cached with the post, read by every category
    assert shared.hits(doc) is shared.hits(doc)


@pytest.mark.parametrize("bad,msg", [
    ({"rules": [{"id": "flexing.x", "message": "m", "terms": ["a"], "severety": "high"}]}, "unknown key"),
    ({"rules": [{"id": "other.x", "message": "m", "terms": ["a"]}]}, "must start with"),
    ({"rules": [{"id": "flexing.x", "message": "m", "terms": ["@nope"]}]}, "unknown lexicon"),
    ({"rules": [{"id": "flexing.x", "message": "m"}]}, "needs evidence"),
    ({"rules": [{"id": "flexing.x", "terms": ["a"]}]}, "'message' is required"),
    ({"rules": [{"id": "flexing.x", "message": "m", "terms": ["a"], "severity": "critical"}]}, "severity"),
    ({"rules": [{"id": "flexing.x", "message": "m", "terms": ["a"]}] * 2}, "duplicate"),
    ({"category": "nope"}, "category"),
])
def test_invalid_rule_files_name_the_problem(bad, msg):
    with pytest.raises(RuleError, match=msg):
        parse_ruleset(dict(BASE, **bad), "bad.toml", load_common())


def test_invalid_token_pattern_is_refused_at_load_with_rule_id():
    with pytest.raises(RuleError, match=r"flexing\.t: patterns\[0\]: invalid token pattern"):
        ruleset([rule(terms=[], patterns=[[{"NORM": {"WHAT": "x"}}]])])


def test_lexicon_additions_from_configuration(rules_only):
    base = rules_only  # the rules alone: the model may well see the campaign
    text = "Ayo kita menangkan Budi Santoso di pilkada nanti!"
    assert not any(f.category == "political_neutrality" for f in base.check(text).findings)
    extended = Analyzer({"lexicon": {"political_neutrality": {"candidates": ["Budi Santoso"]}}})
    found = [f for f in extended.check(text).findings if f.category == "political_neutrality"]
    assert found and found[0].severity == "high"


# What each component says it reads and writes (its factory's requires/assigns), and whether it
# does: an attribute as seen before and after one component runs.
OUTPUTS = {
    "token.norm": lambda doc: [t.norm_ for t in doc],
    "token.lemma": lambda doc: [t.lemma_ for t in doc],
    "doc.spans": lambda doc: {k: [(s.start, s.end, s.label_) for s in g] for k, g in doc.spans.items()},
    "doc.cats": lambda doc: dict(doc.cats),
    "doc.user_data": lambda doc: sorted(map(repr, doc.user_data)),
}
SPAN_EXTENSIONS = ("span._.value", "span._.attrs", "span._.finding")


def _outputs(doc):
    out = {attr: read(doc) for attr, read in OUTPUTS.items()}
    for attr in SPAN_EXTENSIONS:
        name = attr.rsplit(".", 1)[1]
        out[attr] = [(k, s.start, s.end, repr(getattr(s._, name))) for k, g in doc.spans.items() for s in g
                     if getattr(s._, name) is not None]
    return out


def test_components_declare_what_they_read_and_write(analyzer):
    nlp = analyzer.nlp
    assert not any(nlp.analyze_pipes()["problems"].values()), nlp.analyze_pipes()["problems"]
    doc = nlp.make_doc("Baru beli Rolex 250jt yg mahal bgt")
    for name, component in nlp.pipeline:
        declared = set(nlp.get_pipe_meta(name).assigns)
        before = _outputs(doc)
        doc = component(doc)
        after = _outputs(doc)
        changed = {attr for attr in after if after[attr] != before[attr]}
        undeclared = {a for a in changed - declared if a not in SPAN_EXTENSIONS}  # span values are keyed by offsets
        assert not undeclared, f"{name} writes {undeclared} without declaring it"
        if name in ("saring_normalizer", "saring_entities", "saring_matcher", "saring_textcat", "flexing"):
            assert declared <= changed, f"{name} declares {declared - changed} but wrote nothing there"


def test_a_pipeline_without_the_normaliser_is_refused_by_its_readers():
    import spacy

    import nlp as saring  # noqa: F401  (registers the factories)

    nlp = spacy.blank("id")
    for name in ("saring_entities", "saring_matcher", "saring_textcat"):
        nlp.add_pipe(name)
    problems = nlp.analyze_pipes()["problems"]
    assert problems == {"saring_entities": [], "saring_matcher": ["token.norm", "token.lemma"],
                        "saring_textcat": ["token.norm", "token.lemma"]}
    with pytest.raises(ValueError, match="token.norm"):  # the matcher normalises phrases as posts are
        nlp.add_pipe("saring_category", name="flexing", config={"category": "flexing"})
