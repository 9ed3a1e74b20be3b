"""hate_abuse on real Indonesian tweets (Ibrohim & Budi 2019, dev part; outside the repo).

The issue's target on the Abusive label: F1 ≥ 0.85 with precision ≥ 0.85, a tweet counting as
predicted positive when it has a hate_abuse finding at warning or above.  The data file is
NOT part of the project (licence and policy: measuring only): it lives beside the checkout in
../shared, which CI has; in a plain clone the measurement skips with a one-line reason.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from saring_testlib import SHARED, needs_shared

ROOT = Path(__file__).resolve().parents[1]
DATA = SHARED / "data/ibrohim2019/re_dataset_dev.csv"
TARGET_F1 = 0.85
TARGET_P = 0.85


def _module():
    spec = importlib.util.spec_from_file_location("eval_ibrohim", ROOT / "scripts" / "eval_ibrohim.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def mod():
    return _module()


def test_clean_tweet_undoes_storage_artefacts(mod):
    raw = "RT USER: USER dasar\\nbego URL \\xf0\\x9f\\x98\\xa0'"
    out = mod.clean_tweet(raw)
    assert "\\n" not in out and "\n" in out
    assert "USER" not in out and "@user" in out
    assert "URL" not in out and "\\x" not in out
    assert not out.startswith("RT ")


@needs_shared("data/ibrohim2019/re_dataset_dev.csv")
def test_abusive_label_targets(mod, analyzer):
    result = mod.evaluate(mod.load_tweets(DATA), analyzer)
    m = result["warning_plus"]["abusive"]
    assert m["support"] > 1000
    assert m["precision"] >= TARGET_P, m
    assert m["f1"] >= TARGET_F1, m
    # the info-level variant must not be worse than warning+ by much (nudges are rare)
    assert result["info_plus"]["abusive"]["f1"] >= m["f1"] - 0.05
