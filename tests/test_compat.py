"""nlp/_compat.py: the private-internals speed-ups and the stock path give the same findings.

``SARING_STOCK=1`` runs plain spaCy (no held memory zone, no string-table compaction) and
plain PySastrawi; a library version outside the tested range does the same on its own."""

import json
import os
import subprocess
import sys

from saring_testlib import ROOT

from nlp import Analyzer, _compat
from nlp.rules import load_all_rulesets

_FINDINGS = """
import json, sys
from nlp import Analyzer, _compat
texts = json.load(open(sys.argv[1], encoding="utf-8"))
a = Analyzer()
out = [[[f.rule_id, f.start, f.end, f.severity, f.message] for f in a.check(t).findings] for t in texts]
out += [[[f.rule_id, f.start, f.end, f.severity, f.message] for f in r.findings] for r in a.check_many(texts[:200])]
a.release_memory()
print(json.dumps({"findings": out, "compacted": _compat.compact_strings(a.nlp.vocab.strings),
                  "zone": a._zone is not None, "fallbacks": _compat.fallbacks()}))
"""


def _texts() -> list[str]:
    texts = [json.loads(line)["text"] for path in sorted((ROOT / "tests" / "data").glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += [ex["text"] for rs in load_all_rulesets().values() for r in rs.rules
              for kind in ("bad", "good") for ex in r.examples[kind]]
    return texts


def _start(path, stock: bool) -> subprocess.Popen:
    env = dict(os.environ)
    env.pop("SARING_STOCK", None)
    if stock:
        env["SARING_STOCK"] = "1"
    return subprocess.Popen([sys.executable, "-c", _FINDINGS, str(path)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")


def _result(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-2000:]
    return json.loads(out)


def test_stock_and_sped_up_paths_give_the_same_findings(tmp_path):
    path = tmp_path / "texts.json"
    path.write_text(json.dumps(_texts(), ensure_ascii=False), encoding="utf-8")
    procs = [_start(path, stock=False), _start(path, stock=True)]  # side by side: two cores
    fast, stock = (_result(p) for p in procs)
    assert fast["fallbacks"] == {} and fast["compacted"] is True and fast["zone"] is False  # released
    assert stock["compacted"] is False
    assert set(stock["fallbacks"]) == {"spacy.StringStore._reset_and_load", "spacy memory zone held open",
                                       "PySastrawi patches"}
    assert sum(map(len, fast["findings"])) > 1000  # the comparison covers real findings
    differ = [(t, a, b) for t, a, b in zip(_texts() + _texts()[:200], fast["findings"], stock["findings"]) if a != b]
    assert not differ, differ[:5]


def test_this_process_runs_the_speed_ups(analyzer):
    from nlp.pipeline import stemmer

    analyzer.check("baru beli Rolex")
    assert "spacy memory zone held open" not in _compat.fallbacks()
    assert analyzer._zone is not None
    assert any(isinstance(v, _compat._GuardedPrefixRule) for v in stemmer._stemmer.visitor_provider.prefix_visitors)


def test_a_library_version_outside_the_tested_range_runs_stock(monkeypatch):
    monkeypatch.setattr(_compat, "_version", lambda dist: (9, 1))
    a = Analyzer()
    a.check("ngopi dulu sebelum rapat 17 Agustus")
    assert a._zone is None  # no zone held open by hand
    strings = a.nlp.vocab.strings
    before = list(strings)
    assert _compat.compact_strings(strings) is False and list(strings) == before
    reasons = _compat.fallbacks()
    assert "spacy 9.1 is outside the tested 3.8–3.9" == reasons["spacy memory zone held open"]
    report = a.check("Baru beli Rolex 250jt 💎")
    assert {f.text for f in report.findings} >= {"Rolex", "250jt"}


def test_sastrawi_patches_refuse_a_stemmer_without_the_expected_internals():
    class Unknown:
        visitor_provider = None

    assert _compat.speed_up_sastrawi(Unknown()) is False
    assert _compat.fallbacks()["PySastrawi patches"] == "the PySastrawi internals it needs are missing"
