"""The trained category model beside the rules: what a user notices.

- a flexing post no lexicon knows gets a finding from the model that names its words;
- a car review gets no warning;
- the model ships in the package and loads with no network;
- the features it reads are really there in the analyzer (which prunes lexical attributes);
- IT can switch it off or move its thresholds;
- the training command is deterministic (on a small sample).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest

from nlp import CATEGORIES, Analyzer
from nlp.analyzer import default_model_dir, load_model_meta
from saring_testlib import ROOT

NO_LEXICON_FLEX = [
    # niche luxury the flexing lexicons do not know: an exotic fish collection, a marble pond
    "Koleksi arwana super red ku nambah 2 ekor lagi, total udah 7. Kolamnya baru direnov pakai marmer 😎",
]
CAR_REVIEWS = [
    "Fortuner adalah mobil impian saya. Ini adalah SUV mahal memang, tetapi sepadan dengan kenyamanannya.",
    "Pajero lebih mahal 30 jutaan dibanding Fortuner, tapi mesinnya lebih halus dan irit.",
    "Mobil Avanza nya irit dan enak dikendarai, servis di bengkel resmi juga cepat.",
    "Harga Ignis sangat baik untuk harga mobil segitu, worth it lah buat keluarga kecil.",
    "Kalau dibanding Fortuner, harga Pajero memang lebih mahal sekitar 40 jutaan.",
    "Dengan harga cuma 95 juta sudah dapat MPV yang lega dan nyaman, cuma merek ini yang bisa.",
    "Gue lebih pilih Pajero, tampilannya gagah nggak kayak Fortuner.",
    "Innova baris ketiga masih lega, beda sama Rush yang sempit di belakang.",
]


def _model_findings(report, category):
    return [f for f in report.findings if f.rule_id == f"{category}.model"]


def _named_words(finding) -> list[str]:
    """The words a model finding's message names as weighing most (“…”, at most three)."""
    return [w.split("”")[0] for w in finding.message.split("“")[1:]]


def test_the_model_ships_in_the_package_for_every_category(analyzer):
    meta = load_model_meta(default_model_dir())
    assert meta is not None, "no trained model in nlp/data/model (run scripts/train_model.py)"
    assert sorted(meta["labels"]) == sorted(CATEGORIES)
    assert set(meta["thresholds"]) == set(CATEGORIES)
    for values in meta["thresholds"].values():
        assert 0 <= values["clean"] < values["info"] <= values["warning"] <= 1
    assert analyzer.model_enabled


def test_the_model_adds_at_most_30_mb_to_the_wheel():
    """Issue 11: the wheel grows by at most 30 MB.  A wheel is a zip archive: the model's files
    compressed as the wheel stores them (deflate) are what the model adds to it."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(default_model_dir().rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(default_model_dir()).as_posix())
    assert buffer.tell() <= 30 * 1024 * 1024, f"the model adds {buffer.tell() / 2**20:.1f} MiB to the wheel"


def test_the_model_loads_with_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the analyzer tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    fresh = Analyzer()
    assert fresh.model_enabled
    assert _model_findings(fresh.check(NO_LEXICON_FLEX[0]), "flexing")


@pytest.mark.parametrize("text", NO_LEXICON_FLEX)
def test_a_flexing_post_no_lexicon_knows_gets_a_model_finding_naming_its_words(analyzer, rules_only, text):
    assert not rules_only.check(text).findings  # no rule knows these words
    found = _model_findings(analyzer.check(text), "flexing")
    assert found and found[0].severity == "warning"
    f = found[0]
    assert text[f.start:f.end] == f.text and f.text.strip() == f.text
    named = _named_words(f)
    assert 1 <= len(named) <= 3
    assert all(w.lower() in text.lower() for w in named), named
    assert f.suggestion and f.basis and "ASN" in f.message


def test_model_findings_name_content_words_not_function_words(analyzer):
    """"kata yang paling berpengaruh: “itu”, “yang”" tells the writer nothing: the words a model
    finding names are the content words that weighed most (function words still count in the
    score).  Before this, 22% of the model findings on dev named "itu", "yang", "nya" or the like."""
    from nlp.rules import load_common

    function_words = set(load_common()["function_words"])
    texts = []
    for cat in CATEGORIES:
        with open(ROOT / "tests" / "data" / f"{cat}_posts.jsonl", encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh if line.strip()]
    named_all = []
    for report in analyzer.check_many(texts):
        for f in report.findings:
            if f.rule_id.endswith(".model"):
                named = _named_words(f)
                assert named, f.message
                named_all += named
                assert not {w.lower() for w in named} & function_words, (f.text, named)
    assert len(named_all) >= 30  # the check saw many model findings


def test_a_model_finding_underlines_the_clause_that_carries_it(analyzer):
    text = ("Rapat koordinasi penanganan banjir bersama BPBD berjalan lancar hari ini. "
            "Koleksi arwana super red ku nambah 2 ekor lagi, total udah 7 😎")
    found = _model_findings(analyzer.check(text), "flexing")
    assert found
    assert "arwana" in found[0].text and "banjir" not in found[0].text


@pytest.mark.parametrize("text", CAR_REVIEWS)
def test_a_car_review_gets_no_warning(analyzer, text):
    report = analyzer.check(text)
    assert not report.flagged(), [(f.rule_id, f.severity, f.text) for f in report.findings]


def test_it_can_switch_the_model_off(rules_only):
    assert not rules_only.model_enabled
    assert not any(f.rule_id.endswith(".model") for f in rules_only.check(NO_LEXICON_FLEX[0]).findings)
    assert rules_only.model_scores(["apa saja"]) == [{}]


def test_it_can_set_a_category_threshold():
    strict = Analyzer({"model": {"thresholds": {"flexing": {"warning": 1.0, "info": 1.0}}}})
    assert not _model_findings(strict.check(NO_LEXICON_FLEX[0]), "flexing")
    nudge = Analyzer({"model": {"thresholds": {"flexing": {"warning": 1.0, "info": 0.01}}}})
    found = _model_findings(nudge.check(NO_LEXICON_FLEX[0]), "flexing")
    assert found and found[0].severity == "info"


@pytest.mark.parametrize("bad", [{"flexing": {"warning": 2}}, {"flexing": {"loud": 0.5}}, {"nope": {"warning": 0.5}}])
def test_bad_thresholds_are_refused(bad):
    with pytest.raises(ValueError):
        Analyzer({"model": {"thresholds": bad}})


def test_the_server_configuration_takes_model_settings():
    from server.config import ConfigError, settings_from_dict

    s = settings_from_dict({"model": {"enabled": False, "thresholds": {"flexing": {"warning": 0.9}}}})
    assert s.analyzer.model is False and s.analyzer.model_thresholds == {"flexing": {"warning": 0.9}}
    with pytest.raises(ConfigError, match="model.thresholds.flexing.warning"):
        settings_from_dict({"model": {"thresholds": {"flexing": {"warning": "tinggi"}}}})


def test_model_scores_are_the_same_with_the_analyzers_pruned_lexical_attributes(analyzer):
    """The analyzer stops computing lexical attributes nothing reads; the model's features
    must not go empty: its scores equal those of a pipeline that computes every attribute."""
    import spacy

    from nlp.pipeline.engine import MODEL_PIPE

    meta = load_model_meta(default_model_dir())
    full = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "saring.tokenizer.v1"}}})
    full.add_pipe("saring_normalizer", config={"rules_vocabulary": True})
    pipe = full.add_pipe("saring_textcat", name=MODEL_PIPE, config={"model": meta["architecture"]})
    pipe.from_disk(default_model_dir() / MODEL_PIPE, exclude=("vocab",))
    texts = NO_LEXICON_FLEX + CAR_REVIEWS + ["Dasar otak udang, kerja gitu aja gak becus!!"]
    ours = analyzer.model_scores(texts)
    for text, mine in zip(texts, ours):
        theirs = full(text).cats
        assert mine.keys() == theirs.keys()
        for c in mine:
            assert mine[c] == pytest.approx(theirs[c], abs=1e-5), (text, c)
    assert max(ours[0].values()) > 0.5  # not a model of empty features


def test_lexeme_features_a_model_reads_are_kept(monkeypatch):
    """A model that reads SUFFIX/SHAPE (the ensemble variant) keeps them computed."""
    import spacy
    import spacy.attrs

    from nlp.analyzer import _keep_needed_lexical_attributes

    nlp = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "saring.tokenizer.v1"}}})
    nlp.add_pipe("saring_normalizer")
    nlp.add_pipe("saring_matcher")
    nlp.add_pipe("saring_textcat", config={"model": {
        "@architectures": "saring.TextCatBOW.v1", "ngram_size": 1, "length": 1024,
        "extra_features": ["LEMMA", "SUFFIX", "SHAPE"]}})
    assert nlp.get_pipe("saring_textcat").token_attributes == {"SUFFIX", "SHAPE"}
    _keep_needed_lexical_attributes(nlp)
    kept = set(nlp.vocab.lex_attr_getters)
    assert spacy.attrs.SUFFIX in kept and spacy.attrs.SHAPE in kept
    doc = nlp.make_doc("Rumahnya megah sekali")
    assert doc[0].suffix_ == "nya" and doc[0].shape_ == "Xxxxx"


def test_training_is_deterministic_on_a_small_sample(tmp_path):
    """CI runs the training code on a small sample: same command, same model."""
    outs = [tmp_path / "a", tmp_path / "b"]
    procs = [subprocess.Popen([sys.executable, str(ROOT / "scripts" / "train_model.py"), "--sample", "240",
                               "--max-steps", "60", "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
             for out in outs]  # two runs side by side (two cores): the same bytes whatever else runs
    for proc in procs:
        output, _ = proc.communicate(timeout=300)
        assert proc.returncode == 0, output[-4000:]
    a, b = outs
    assert (a / "saring_textcat" / "model").read_bytes() == (b / "saring_textcat" / "model").read_bytes()
    meta_a = json.loads((a / "model.json").read_text())
    assert meta_a == json.loads((b / "model.json").read_text())
    assert sorted(meta_a["labels"]) == sorted(CATEGORIES)
    # the small model works in the analyzer like the shipped one
    small = Analyzer(model_dir=a)
    assert small.model_enabled and small.model_scores(["Baru beli Rolex 250jt"])[0].keys() == set(CATEGORIES)


# Everyday short texts sit near the model's prior (~0.3) and a word or two can push them over a
# threshold; on a post of at most eight words the model warns only from `short`, never nudges.
EVERYDAY_SHORT = [
    "Hubungi saya di 0812****7890 ya",
    "Terima kasih",
    "Hubungi saya",
    "ok siap pak",
]


@pytest.mark.parametrize("text", EVERYDAY_SHORT)
def test_everyday_short_texts_get_no_model_finding(analyzer, text):
    assert not [f for f in analyzer.check(text).findings if f.rule_id.endswith(".model")]


def test_the_short_post_threshold_decides_on_short_posts():
    text = "Hubungi saya di 0812****7890 ya"
    loose = Analyzer({"model": {"thresholds": {"flexing": {"warning": 0.01, "info": 0.01, "short": 0.01}}}})
    found = _model_findings(loose.check(text), "flexing")
    assert found and found[0].severity == "warning"
    # a short post gets no info nudge: below `short` the model says nothing at all
    quiet = Analyzer({"model": {"thresholds": {"flexing": {"warning": 0.01, "info": 0.01, "short": 1.0}}}})
    assert not _model_findings(quiet.check(text), "flexing")
    # the same threshold does not apply to a post longer than eight words
    longer = "Hubungi saya di 0812****7890 ya kalau mau pesan kue lebaran buatan istri saya"
    assert _model_findings(quiet.check(longer), "flexing")


def test_a_post_with_no_words_gets_no_model_finding(analyzer):
    # emoji only: the score is the model's prior, and no word carries it
    for text in ["💎" * 40, "😎🔥💯 " * 30, "!!! ??? ..."]:
        assert not [f for f in analyzer.check(text).findings if f.rule_id.endswith(".model")], text


def test_explaining_a_long_repetitive_post_scores_each_distinct_word_once(analyzer, monkeypatch):
    from nlp.pipeline.model import SaringTextCategorizer

    sizes = []
    original = SaringTextCategorizer.score_docs

    def counting(self, docs):
        docs = list(docs)
        sizes.append(len(docs))
        return original(self, docs)

    monkeypatch.setattr(SaringTextCategorizer, "score_docs", counting)
    textcat = analyzer.nlp.get_pipe("saring_textcat")
    doc = analyzer.nlp("Koleksi arwana super red ku nambah lagi " * 500)
    start, end, _score, words = textcat.explain(doc, "flexing")
    # a window of at most 60 tokens carries the score, and the leave-one-out batch holds the
    # clause plus one variant per distinct word (7 here), not one per token (3,500)
    assert 0 < end - start <= 60
    assert sizes[-1] <= 1 + 7
    assert words and all(w.lower() in "koleksi arwana super red ku nambah lagi".split() for w in words)


def test_a_work_sentence_beside_a_risky_one_does_not_lower_it(analyzer):
    # As a whole, the post reads clean to the model (the service notice outweighs the rest);
    # the sentences holding the rules' evidence do not, so the rules' findings stand.
    text = ("Selamat pagi, hari ini pelayanan KTP elektronik buka sampai pukul 15.00. "
            "Baru beli Rolex lagi. Ayo coblos nomor 2 di pilkada besok!")
    scores = analyzer.model_scores([text])[0]
    assert scores["flexing"] <= analyzer.model_thresholds["flexing"]["clean"] * 20  # the post is diluted
    found = {f.rule_id: f.severity for f in analyzer.check(text).findings}
    assert found.get("flexing.luxury_brand") == "warning"
    assert found.get("political_neutrality.vote_for_number") == "high"


def test_a_clause_scores_as_the_same_words_posted_alone(analyzer):
    """The explainer scores clauses and left-out variants from the post's feature columns, in
    one batch, without building a Doc for each: each must score as that text checked alone
    (n-grams never run from one piece into the next)."""
    from nlp.pipeline.model import _pieces, clause_spans

    textcat = analyzer.nlp.get_pipe("saring_textcat")
    text = ("Alhamdulillah, Pajero baru sudah di garasi. Ayo coblos nomor 2 besok! "
            "Layanan KTP elektronik buka sampai pukul 15.00; silakan datang.")
    doc = analyzer.nlp(text)
    spans = clause_spans(doc)
    assert len(spans) >= 3
    batch = textcat.score_docs(_pieces(doc, spans, textcat.feature_columns))
    alone = textcat.score_docs([analyzer.nlp(doc[s:e].text) for s, e in spans])
    assert batch == pytest.approx(alone, abs=1e-5)
    # and the pieces are not all alike: the flexing clause is the one that scores flexing
    col = list(textcat.labels).index("flexing")
    assert int(batch[:, col].argmax()) == 0


def test_a_post_longer_than_the_explained_part_is_explained_from_its_start(analyzer, monkeypatch):
    """A very long post is explained from its first MAX_EXPLAIN_TOKENS tokens (a Span of the
    post): the finding still names the words, within that part."""
    import nlp.pipeline.model as model_module

    monkeypatch.setattr(model_module, "MAX_EXPLAIN_TOKENS", 40)
    textcat = analyzer.nlp.get_pipe("saring_textcat")
    doc = analyzer.nlp("Koleksi arwana super red ku nambah lagi, harganya bikin geleng kepala. " * 20)
    assert len(doc) > 40
    start, end, _score, words = textcat.explain(doc, "flexing")
    assert 0 <= start < end <= 40
    assert words


def test_the_model_can_confirm_a_rules_nudge_from_its_confirm_threshold(analyzer):
    """A rule's info nudge becomes a warning when the model leans the same way from ``confirm``
    (two weak signals that agree); the finding stays the rule's own, on its words."""
    # (not "Tuku Land Cruiser …": "tuku" now reads as "beli", and a purchase of a luxury car at a
    # price is a warning of the rules themselves)
    text = "Land Cruiser bekas 1,1 M nggo nang tambak, dalane becek parah 😁"
    score = analyzer.model_scores([text])[0]["flexing"]
    default = analyzer.check(text)
    assert not default.flagged("flexing")
    assert any(f.category == "flexing" and f.severity == "info" for f in default.findings)
    confirming = Analyzer({"model": {"thresholds": {"flexing": {"confirm": round(score * 0.9, 4)}}}})
    rep = confirming.check(text)
    upgraded = [f for f in rep.findings if f.category == "flexing" and f.severity == "warning"]
    assert upgraded and all(not f.rule_id.endswith(".model") for f in upgraded)
    assert "Land Cruiser" in {f.text for f in upgraded} or "1,1 M" in {f.text for f in upgraded}
    # above the score, nothing changes
    strict = Analyzer({"model": {"thresholds": {"flexing": {"confirm": min(1.0, round(score * 1.1 + 0.01, 4))}}}})
    assert not strict.check(text).flagged("flexing")


SURE_LEAK = ("Pemenang lelang pengadaan 12 motor patroli: CV Sinar Roda, nilai 2,4 M. "
             "Diumumkan resmi minggu depan, tapi ini sudah pasti.")


def test_a_sure_model_finding_is_not_silenced_by_a_context_word(analyzer):
    """"Diumumkan resmi" silences the confidential_info category (published material is no
    leak), but here the announcement is still to come and the post gives the result away.  From
    ``sure`` the model's own finding stands; with ``sure`` off (1) the context word wins."""
    score = analyzer.model_scores([SURE_LEAK])[0]["confidential_info"]
    assert score >= 0.9  # the premise: the model is near certain
    off = Analyzer({"model": {"thresholds": {"confidential_info": {"sure": 1.0}}}})
    assert not [f for f in off.check(SURE_LEAK).findings if f.category == "confidential_info"]
    on = Analyzer({"model": {"thresholds": {"confidential_info": {"sure": round(score - 0.05, 3)}}}})
    found = [f for f in on.check(SURE_LEAK).findings if f.category == "confidential_info"]
    assert [f.rule_id for f in found] == ["confidential_info.model"]
    assert found[0].severity == "warning" and found[0].text in SURE_LEAK


def test_sure_never_reaches_below_the_warning_level():
    """A ``sure`` set below ``warning`` acts from ``warning``: a context word still silences
    a score the model would not warn on anyway."""
    probe = Analyzer()
    score = probe.model_scores([SURE_LEAK])[0]["confidential_info"]
    above = min(0.999, round(score + 0.005, 4))
    low_sure = Analyzer({"model": {"thresholds": {"confidential_info": {"sure": 0.1, "warning": above,
                                                                        "info": above, "confirm": above}}}})
    assert not [f for f in low_sure.check(SURE_LEAK).findings if f.category == "confidential_info"]


def test_a_clause_leaning_risky_keeps_its_rule_finding(analyzer):
    """Emoji before a purchase of a luxury watch pull the post's flexing score near zero (the
    vote call beside it dominates), but the clause holding "Rolex" reads close to the warning
    level on its own: the rule's warning stands (it was lowered to info)."""
    text = "🙂🎉👍🏽 Baru beli Rolex lagi. Ayo coblos nomor 2 di pilkada besok!"
    rolex = [f for f in analyzer.check(text).findings if f.text == "Rolex"]
    assert rolex and rolex[0].severity in ("warning", "high")


def _train_model_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("saring_train_model", ROOT / "scripts" / "train_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_model_never_learns_the_datasets_anonymisation_placeholders(tmp_path):
    """IndoNLU's tweets say "[USERNAME]" and "[URL]" where a name or a link was; no post typed by a
    user does.  The training documents leave them out, so they weigh nothing in a score."""
    tm = _train_model_module()
    rows = [{"text": "Acaranya seru banget, the best deh [USERNAME] [USERNAME] [URL]", "labels": []},
            {"text": "[USERNAME] jangan pilih dia, nomor 2 aja", "labels": ["political_neutrality"]}]
    from spacy.tokens import DocBin
    import spacy

    tm.to_docbin(rows, tmp_path / "x.spacy")
    docs = list(DocBin().from_disk(tmp_path / "x.spacy").get_docs(spacy.blank("id").vocab))
    assert [d.text.split() for d in docs] == [["Acaranya", "seru", "banget,", "the", "best", "deh"],
                                             ["jangan", "pilih", "dia,", "nomor", "2", "aja"]]
    assert not any(t.text in ("USERNAME", "URL") for d in docs for t in d)
    assert tm.normalised_lines(["halo [USERNAME] cek [URL]"]) == ["halo cek"]
    # where they appear at run time (public tweets), each is one token the model never read, not
    # "[", "username", "]" ("username" is a word of leaked logins)
    assert [t.text for t in Analyzer().nlp("halo [USERNAME], cek [URL].")] == ["halo", "[USERNAME]", ",", "cek", "[URL]", "."]


def test_a_held_out_writer_is_only_tested_on():
    """--hold-out: a writer's posts are the test split and nothing of theirs is trained or tuned on."""
    tm = _train_model_module()
    rows = [{"text": f"posting {w} nomor {b} kalimat {i} tentang hal {w}{b}{i}", "labels": [], "source": w,
             "batch": f"{w}_{b:02d}"}
            for w in ("alpha", "beta", "gamma") for b in range(1, 9) for i in range(3)]
    parts, _ = tm.split_corpus(rows, 0, frozenset({"beta"}))
    assert {r["source"] for r in parts["test"]} == {"beta"}
    assert len(parts["test"]) == 8 * 3
    assert all(r["source"] != "beta" for r in parts["train"] + parts["dev"])
    assert {r["source"] for r in parts["train"]} == {"alpha", "gamma"}
    # without a hold-out every writer gives batches to training and to testing
    parts, _ = tm.split_corpus(rows, 0)
    assert {r["source"] for r in parts["test"]} == {r["source"] for r in parts["train"]} == {"alpha", "beta", "gamma"}


def test_calibration_credits_the_context_words_that_keep_the_model_quiet():
    """A clean real text that the model scores high but whose context words (a customer review)
    keep the model rule quiet is no false alarm the threshold must stay above: where ``sure`` would
    set those words aside, ``sure`` is chosen above it instead (see the test below)."""
    tm = _train_model_module()
    cat = "flexing"
    rows, scores = [], []
    for i in range(40):  # written posts: the model is right from 0.3 up
        rows.append({"text": f"pamer {i}", "labels": [cat], "source": "w"})
        scores.append({cat: 0.3 + i / 100})
        rows.append({"text": f"kerja {i}", "labels": [], "source": "w"})
        scores.append({cat: 0.05})
    # long enough not to count as a short post (those warn only from their own threshold)
    rows.append({"text": "review mobil keluarga ini bagus, mesinnya halus dan kabinnya lega buat perjalanan jauh",
                 "labels": [], "source": "indonlu"})
    scores.append({cat: 0.6})
    flags, nudged = [set() for _ in rows], [set() for _ in rows]

    def warning(quiet_review: bool, review_score: float, always: bool = False) -> float:
        scores[-1] = {cat: review_score}
        quiet = [set() for _ in rows[:-1]] + [{cat} if quiet_review else set()]
        always_quiet = [set() for _ in rows[:-1]] + [{cat} if always else set()]
        return tm.calibrate(rows, flags, scores, nudged, quiet, always_quiet)[cat]["warning"]

    below_sure = round(tm.SURE_GRID[0] - 0.05, 3)
    assert below_sure > max(0.3, tm.WARNING_FLOOR_BY_CATEGORY.get(cat, tm.WARNING_FLOOR))  # the premise
    assert warning(False, below_sure) > below_sure  # heard: the real text's false alarm holds the threshold up
    assert warning(True, below_sure) == max(0.3, tm.WARNING_FLOOR_BY_CATEGORY.get(cat, tm.WARNING_FLOOR))
    floor = max(0.3, tm.WARNING_FLOOR_BY_CATEGORY.get(cat, tm.WARNING_FLOOR))
    assert warning(True, tm.SURE_GRID[0]) == floor  # ``sure`` rises above it
    assert warning(True, 0.9, always=True) == floor  # words ``sure`` never sets aside (unless_post)


def test_calibration_judges_a_short_post_at_the_short_post_threshold():
    """A short clean real text (at most eight words) scored between a candidate threshold and
    ``SHORT_POST_WARNING`` gets no warning from the engine, so it must not hold the category's
    threshold up; the same score on a longer text still does."""
    tm = _train_model_module()
    cat = "misinformation"
    rows, scores = [], []
    for i in range(40):  # written posts, long enough not to count as short: the model is right from 0.3 up
        rows.append({"text": f"kabar burung nomor {i} tentang gaji yang katanya dipotong bulan depan", "labels": [cat], "source": "w"})
        scores.append({cat: 0.3 + i / 100})
        rows.append({"text": f"laporan kegiatan nomor {i} sudah dikirim ke bagian umum tadi siang", "labels": [], "source": "w"})
        scores.append({cat: 0.05})
    rows.append({"text": "", "labels": [], "source": "indonlu"})
    scores.append({cat: 0.54})
    empty = [set() for _ in rows]

    def warning(real_text: str) -> float:
        rows[-1]["text"] = real_text
        return tm.calibrate(rows, empty, scores, empty, empty)[cat]["warning"]

    floor = tm.WARNING_FLOOR_BY_CATEGORY.get(cat, tm.WARNING_FLOOR)
    assert 0.54 < tm.SHORT_POST_WARNING
    assert warning("mulai bosan sama kerjaan sekarang .") == max(0.3, floor)
    assert warning("mulai bosan sama kerjaan sekarang karena setiap hari harus lembur sampai malam tanpa libur") > 0.54


def test_one_stray_right_finding_does_not_switch_lowering_off():
    """The model lowers a rule's finding it scores clean (``clean``) only below half the score it
    gives the rule's right findings on dev.  One right finding the model scores near zero (a gift in
    a side clause of a wedding post) must not switch lowering off for a category with hundreds of
    them; with few right findings the lowest still rules."""
    tm = _train_model_module()
    cat = "gratification"

    def clean_threshold(n_right: int) -> float:
        rows, scores = [], []
        for i in range(n_right):  # the rule right; the model agrees, except once
            rows.append({"text": f"hadiah {i}", "labels": [cat], "source": "w"})
            scores.append({cat: 0.0005 if i == 0 else 0.6})
        for i in range(40):  # the rule wrong; the model reads them clean
            rows.append({"text": f"komisi {i}", "labels": [], "source": "w"})
            scores.append({cat: 0.0003})
        flags = [{cat} for _ in rows]
        empty = [set() for _ in rows]
        return tm.calibrate(rows, flags, scores, empty, empty)[cat]["clean"]

    assert clean_threshold(300) > 0.0  # the 40 false alarms are lowered (and the stray right one)
    assert clean_threshold(50) == 0.0  # few right findings: the stray one holds lowering off


@pytest.mark.parametrize("out", [[], ["--out", "nlp/data/model"]])
def test_a_hold_out_model_never_replaces_the_shipped_one(out):
    shipped = (ROOT / "nlp" / "data" / "model" / "model.json").read_bytes()
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "train_model.py"), "--hold-out", "jawa", *out],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "--out" in proc.stderr and "Traceback" not in proc.stderr
    assert (ROOT / "nlp" / "data" / "model" / "model.json").read_bytes() == shipped


def test_real_text_stand_in_leaves_out_every_text_the_model_trained_on():
    """`scripts/eval.py --report` gives warning rates on the IndoNLU texts outside the training
    corpus (the stand-in for issue 11's held-out real text): every IndoNLU text of every split must
    count as inside, or texts the model trained or was calibrated on would flatter that rate."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("saring_eval_corpus", ROOT / "scripts" / "eval.py")
    ev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ev)
    inside = ev.corpus_texts()
    for split in ("train", "dev", "test"):
        rows = [json.loads(line) for line in (ROOT / "nlp" / "train" / "splits" / f"{split}.jsonl")
                .read_text(encoding="utf-8").splitlines() if line.strip()]
        real = [r for r in rows if r["batch"].startswith("indonlu")]
        assert real, split
        missing = [r["text"][:60] for r in real if r["text"] not in inside]
        assert not missing, (split, missing[:5])


def test_the_new_writers_posts_are_never_trained_or_calibrated_on():
    """nlp/train/new_writers/ holds posts by writers no model has read: `eval.py --report` scores
    the model on them as on people it has never seen.  Training assembles only nlp/train/batches/,
    none of these writers has a batch there, and no post of theirs is in a split."""
    tm = _train_model_module()
    folder = ROOT / "nlp" / "train" / "new_writers"
    files = sorted(folder.glob("*.jsonl"))
    assert len(files) >= 4
    writers = {f.name.rsplit("_", 1)[0] for f in files}
    assert not any(source in writers for _, _, source in tm.batch_files())
    new_texts = {json.loads(line)["text"] for f in files for line in f.read_text(encoding="utf-8").splitlines()
                 if line.strip()}
    assert len(new_texts) > 2000
    for split in ("train", "dev", "test"):
        rows = [json.loads(line) for line in (ROOT / "nlp" / "train" / "splits" / f"{split}.jsonl")
                .read_text(encoding="utf-8").splitlines() if line.strip()]
        assert not new_texts & {r["text"] for r in rows}, split


# ------------------------------------------------------------------ the word-vector variant
# `nlp/train/config_floret.cfg`: the bag-of-words beside floret word vectors trained on the train
# split (compared in docs/model.md, not shipped).  Trained here on a small sample, twice side by side.
import importlib.util  # noqa: E402

needs_floret = pytest.mark.skipif(importlib.util.find_spec("floret") is None,
                                  reason="floret (training only) has no wheel for this Python")


@pytest.fixture(scope="module")
def floret_models(tmp_path_factory):
    root = tmp_path_factory.mktemp("floret")
    outs = [root / "a", root / "b"]
    procs = [subprocess.Popen([sys.executable, str(ROOT / "scripts" / "train_model.py"), "--sample", "240",
                               "--max-steps", "60", "--config", str(ROOT / "nlp" / "train" / "config_floret.cfg"),
                               "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for out in outs]
    for proc in procs:
        output, _ = proc.communicate(timeout=600)
        assert proc.returncode == 0, output[-4000:]
    return outs


def _vector_layer(model_dir):
    from nlp.pipeline.engine import MODEL_PIPE

    analyzer = Analyzer(model_dir=model_dir)
    model = analyzer.nlp.get_pipe(MODEL_PIPE).model
    layers = [node for node in model.walk() if node.name == "saring_floret_pool"]
    assert layers, "the word-vector variant has no word-vector branch"
    return analyzer, layers[0]


@needs_floret
def test_the_word_vector_variant_rebuilds_to_the_same_bytes(floret_models):
    a, b = floret_models
    assert (a / "saring_textcat" / "model").read_bytes() == (b / "saring_textcat" / "model").read_bytes()
    assert json.loads((a / "model.json").read_text()) == json.loads((b / "model.json").read_text())


def test_a_misspelt_or_inflected_word_gets_a_vector_near_its_plain_form():
    """floret gives a word the corpus never had a vector from its character n-grams, so a typo'd
    or suffixed form reads like its plain form, not like an unrelated word (the lookup itself,
    on a seeded random table: no training needed to show it)."""
    import numpy
    import spacy

    from nlp.pipeline.model import _FloretLookup, floret_pool

    layer = floret_pool(minn=3, maxn=5, hash_count=2, hash_seed=2166136261, bow="<", eow=">", table=None)
    layer.set_param("E", numpy.random.default_rng(0).normal(size=(20000, 100)).astype("f"))
    lookup = _FloretLookup(layer)
    strings = spacy.strings.StringStore()
    words = ["rolex", "rolexxx", "draf", "drafnya", "coblos", "dicoblos", "sawah"]
    vec = dict(zip(words, lookup.rows([strings.add(w) for w in words], strings)))

    def cos(x, y):
        return float(numpy.dot(vec[x], vec[y]) / (numpy.linalg.norm(vec[x]) * numpy.linalg.norm(vec[y])))

    for word, variant in (("rolex", "rolexxx"), ("draf", "drafnya"), ("coblos", "dicoblos")):
        assert cos(word, variant) > cos(word, "sawah") + 0.2, (word, variant)


@needs_floret
def test_the_word_vector_cache_stays_bounded_and_gives_the_same_scores(floret_models, monkeypatch):
    """A stream of new words empties the bounded cache; the scores do not change when it does."""
    from nlp.pipeline.model import _FloretLookup

    analyzer, layer = _vector_layer(floret_models[0])
    texts = NO_LEXICON_FLEX + CAR_REVIEWS + [" ".join(f"kata{i}x{j}" for j in range(40)) for i in range(30)]
    before = analyzer.model_scores(texts)
    lookup = layer.attrs["lookup"]
    lookup.cache.clear()
    monkeypatch.setattr(_FloretLookup, "MAX_CACHED", 50)
    after = analyzer.model_scores(texts)
    assert 0 < len(lookup.cache) <= 50 + 60  # at most one post's words beyond the bound
    for x, y in zip(before, after):
        assert x == pytest.approx(y, abs=1e-6)


@needs_floret
def test_the_word_vector_model_needs_neither_floret_nor_its_build_files(floret_models, monkeypatch):
    """floret trains the table; the analyzer reads the table from the model's own weights."""
    monkeypatch.setitem(sys.modules, "floret", None)  # importing it would fail
    meta = load_model_meta(floret_models[0])
    tables = []

    def walk(node):
        if isinstance(node, dict):
            tables.extend(v for k, v in node.items() if k == "table")
            for v in node.values():
                walk(v)

    walk(meta["architecture"])
    assert tables == [None]  # no build-time path left in the architecture
    scores = Analyzer(model_dir=floret_models[0]).model_scores(NO_LEXICON_FLEX + ["", "!!!"])
    assert all(set(s) == set(CATEGORIES) for s in scores)


def test_sure_is_chosen_with_the_warning_threshold_for_the_most_recall_dev_allows():
    """``sure`` (where the model's finding stops yielding to context words) goes as low as dev
    allows: risky posts the context words silence are found from there; a clean real text it
    would reach lifts ``sure`` above it instead of holding the warning threshold up; wrong
    additions turn it off."""
    tm = _train_model_module()
    cat = "facility_misuse"
    low = tm.SURE_GRID[0]
    rows, scores, quiet = [], [], []
    for i in range(40):  # posts the model reads right from 0.45 up, never silenced
        rows.append({"text": f"pakai mobil dinas buat urusan pribadi nomor {i}", "labels": [cat], "source": "w"})
        scores.append({cat: 0.45 + i / 100})
        quiet.append(set())
        rows.append({"text": f"laporan kegiatan pelayanan warga hari ini nomor {i}", "labels": [], "source": "w"})
        scores.append({cat: 0.05})
        quiet.append(set())
    for i in range(12):  # risky posts a context word silences, scored from just above ``low``
        rows.append({"text": f"mobil dinas kan lagi nganggur jadi dipakai antar keluarga nomor {i}",
                     "labels": [cat], "source": "w"})
        scores.append({cat: low + 0.01})
        quiet.append({cat})
    empty = [set() for _ in rows]

    def chosen(extra_score=None, extra_label=(), always=False):
        r, s, q = list(rows), list(scores), list(quiet)
        if extra_score is not None:
            r.append({"text": "minggu kemarin sinyal di rumah saya sempat hilang seharian tidak kok",
                      "labels": list(extra_label), "source": "indonlu"})
            s.append({cat: extra_score})
            q.append({cat})
        hard = [set() for _ in r] if not always else [set() for _ in r[:-1]] + [{cat}]
        t = tm.calibrate(r, [set() for _ in r], s, [set() for _ in r], q, hard)[cat]
        return t["sure"], t["warning"]

    floor = max(0.3, tm.WARNING_FLOOR_BY_CATEGORY.get(cat, tm.WARNING_FLOOR))
    assert chosen() == (low, floor)  # no clean post scores above 0.05
    # a clean real text silenced by a context word at ``low``: ``sure`` rises past it, the
    # warning threshold stays where the unsilenced posts put it
    sure, warning = chosen(low + 0.005)
    assert sure > low + 0.005 and warning == floor
    # the same text silenced by words ``sure`` never sets aside changes nothing
    assert chosen(low + 0.005, always=True) == (low, floor)
    # silenced posts that are mostly clean: ``sure`` off
    for q, r in zip(quiet, rows):
        if q:
            r["labels"] = []
    assert chosen()[0] == 1.0
