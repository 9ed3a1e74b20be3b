"""One-click fixes (`replacements`): identifying numbers are masked, prices, campaign hashtags
and ballot numbers can be dropped, and nothing else is offered."""

from __future__ import annotations

import pytest

from nlp.fixes import mask_digits, replacements_for


def _finding(analyzer, text, rule_id):
    found = [f for f in analyzer.check(text).to_dict()["findings"] if f["rule_id"] == rule_id]
    assert found, f"{rule_id} expected in {text!r}"
    return found[0]


@pytest.mark.parametrize("text, rule_id, fixed", [
    ("NIK saya 3201011508900001 ya", "personal_data.nik", "3201********0001"),
    ("Hubungi 081234567890 ya", "personal_data.phone", "0812****7890"),
    ("No HP +62 812-3456-7890", "personal_data.phone", "+62 81*-****-7890"),
])
def test_numbers_are_masked(analyzer, text, rule_id, fixed):
    f = _finding(analyzer, text, rule_id)
    assert f["replacements"] == [fixed]
    # the fix replaces exactly the evidence
    assert text[:f["start"]] + fixed + text[f["end"]:] != text


@pytest.mark.parametrize("text, rule_id", [
    ("Baru beli jam tangan seharga Rp 250 juta", "flexing.big_personal_spend"),
    ("Dukung nomor urut 3 ya", "political_neutrality.candidate_number"),
])
def test_prices_and_ballot_numbers_can_be_dropped(analyzer, text, rule_id):
    assert _finding(analyzer, text, rule_id)["replacements"] == [""]


def test_no_fix_where_none_keeps_the_meaning(analyzer):
    report = analyzer.check("Baru beli Rolex lagi. Ayo coblos nomor 2 di pilkada besok!").to_dict()
    assert report["findings"]
    assert all(f["replacements"] == [] for f in report["findings"])


def test_mask_rules():
    assert mask_digits("12345678") is None  # too short to hide anything
    assert replacements_for("personal_data.nik", "3201011508900001") == ("3201********0001",)
    assert replacements_for("political_neutrality.campaign_hashtag", "#BudiMenang") == ("",)
    assert replacements_for("political_neutrality.campaign_hashtag", "Budi Menang") == ()
    assert replacements_for("hate_abuse.insult", "bodoh") == ()
