"""Real everyday Indonesian the rules alone once flagged, judged by hand (see
tests/data/realtext/README.md): the analyzer must agree with the judgement.

A false alarm on real text costs trust, so the judged false alarms are held to a ceiling and
the warnings the judge agreed with to a floor; both are gates a change must not worsen. The
figures the analyzer reached when they were set are in docs/model.md.
"""

from __future__ import annotations

import json

import pytest

from saring_testlib import ROOT

DATA = ROOT / "tests" / "data" / "realtext" / "indonlu_flagged_judged.jsonl"
ROWS = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]

# ceilings / floors (shares of the judged warnings), set from what the hybrid reaches
MAX_FALSE_ALARMS_KEPT = 0.58
MIN_RIGHT_WARNINGS_KEPT = 0.90
# categories where every judged false alarm must be gone (the model was trained on reviews,
# comments and tweets like these)
NO_FALSE_ALARM = ("confidential_info", "facility_misuse")


def test_the_set_is_well_formed():
    assert len(ROWS) >= 250
    for r in ROWS:
        assert r["source"].startswith("indonlu/") and isinstance(r["row"], int)
        assert r["text"].strip() and r["flagged_by_rules"]
        assert set(r["expected"]) <= set(r["flagged_by_rules"])


@pytest.fixture(scope="module")
def results(analyzer):
    reports = analyzer.check_many([r["text"] for r in ROWS])
    out = []
    for r, rep in zip(ROWS, reports):
        for c in r["flagged_by_rules"]:
            out.append((r, c, c in r["expected"], rep.flagged(c)))
    return out


def test_judged_false_alarms_mostly_gone(results):
    false_alarms = [(r["text"][:80], c) for r, c, right, flagged in results if not right and flagged]
    total = sum(1 for _, _, right, _ in results if not right)
    assert len(false_alarms) <= MAX_FALSE_ALARMS_KEPT * total, false_alarms[:20]


@pytest.mark.parametrize("category", NO_FALSE_ALARM)
def test_no_judged_false_alarm_left_in(results, category):
    left = [r["text"][:100] for r, c, right, flagged in results if c == category and not right and flagged]
    assert not left


def test_warnings_the_judge_agreed_with_stay(results):
    lost = [(r["text"][:80], c) for r, c, right, flagged in results if right and not flagged]
    total = sum(1 for _, _, right, _ in results if right)
    assert len(lost) <= (1 - MIN_RIGHT_WARNINGS_KEPT) * total, lost[:20]
