"""MONEY recognizer: Indonesian amounts become a rupiah value; counts and units do not.

What a user notices: "Rp 2,5 M", "250jt" or "setengah miliar" in a post is read as the sum it
is (so a rule can say "a purchase above Rp 20 juta"), while "3.000 undangan", an earthquake
"M5,2", "14,6 km", "600 m²", "1TB" or "1,2 juta penduduk" are never taken for money.
"""

from __future__ import annotations

import pytest

from nlp.recognizers.money import find_money, parse_number, parse_words


@pytest.fixture(scope="module")
def money(analyzer):
    make_doc = analyzer.nlp.make_doc

    def run(text):
        return [(text[m.start:m.end], m.value) for m in find_money(make_doc(text))]

    return run


# ---------------------------------------------------------------- every form from the issue
@pytest.mark.parametrize("text,evidence,value", [
    ("Rp 2,5 M", "Rp 2,5 M", 2.5e9),
    ("2.5M", "2.5M", 2.5e9),
    ("250jt", "250jt", 250e6),
    ("250 jt", "250 jt", 250e6),
    ("1,2 miliar", "1,2 miliar", 1.2e9),
    ("setengah miliar", "setengah miliar", 0.5e9),
    ("lima ratus juta", "lima ratus juta", 500e6),
    ("sejuta", "sejuta", 1e6),
    ("$10k", "$10k", 10_000 * 16_000),
    ("€5.000", "€5.000", 5_000 * 17_500),
])
def test_issue_forms(money, text, evidence, value):
    assert money(text) == [(evidence, pytest.approx(value))]


@pytest.mark.parametrize("text,evidence,value", [
    ("Rp 2.500.000", "Rp 2.500.000", 2.5e6),
    ("Rp 250.000,00", "Rp 250.000,00", 250e3),
    ("IDR 10.000.000", "IDR 10.000.000", 10e6),
    ("Rp1,5jt", "Rp1,5jt", 1.5e6),
    ("Rp 1.2M", "Rp 1.2M", 1.2e9),
    ("1,2 milyar", "1,2 milyar", 1.2e9),
    ("5 T", "5 T", 5e12),
    ("500rb", "500rb", 500e3),
    ("seratus lima puluh juta", "seratus lima puluh juta", 150e6),
    ("dua puluh lima juta", "dua puluh lima juta", 25e6),
    ("satu setengah miliar", "satu setengah miliar", 1.5e9),
    ("dua setengah M", "dua setengah M", 2.5e9),
    ("lima ratus ribu", "lima ratus ribu", 500e3),
    ("semiliar", "semiliar", 1e9),
    ("se-M", "se-M", 1e9),
    ("ratusan juta", "ratusan juta", 100e6),
    ("miliaran", "miliaran", 1e9),
    ("10 ribu dolar", "10 ribu dolar", 10_000 * 16_000),
    ("US$ 2,000", "US$ 2,000", 2_000 * 16_000),
    ("$1.5M", "$1.5M", 1.5e6 * 16_000),
    ("S$ 500", "S$ 500", 500 * 12_000),
    ("RM 1.500", "RM 1.500", 1_500 * 3_500),
    ("5.000 euro", "5.000 euro", 5_000 * 17_500),
    ("90jt an", "90jt an", 90e6),
    ("omzet 3jtan", "3jtan", 3e6),
    ("5-6jtan", "5-6jtan", 5e6),              # a range: its lower bound
    ("8jt/orang", "8jt", 8e6),                # per person is still money
])
def test_more_forms(money, text, evidence, value):
    assert money(text) == [(evidence, pytest.approx(value))]


@pytest.mark.parametrize("text,evidence,value", [
    ("harga 2.500.000 udah termasuk ongkir", "2.500.000", 2.5e6),
    ("bayar 2.500.000 tunai", "2.500.000", 2.5e6),
    ("total abis 1,8m 🚙", "1,8m", 1.8e9),    # lower-case m after a money word: miliar
    ("seharga 1,5 M", "1,5 M", 1.5e9),
])
def test_money_word_makes_a_bare_number_money(money, text, evidence, value):
    assert money(text) == [(evidence, pytest.approx(value))]


# ---------------------------------------------------------------- traps: not money
@pytest.mark.parametrize("text", [
    "3.000 undangan",
    "gempa M5,2 tadi pagi",
    "Gempa M 6,1 di laut Banda",
    "jalan desa 14,6 km",
    "gedung seluas 600 m²",
    "100 gram telur per balita",
    "SSD 1TB",
    "tinggi 2.5m",
    "kolam 25m",
    "5 t pasir",
    "1,2 juta penduduk",
    "ratusan juta penduduk",
    "jutaan orang",
    "3 juta dosis vaksin",
    "video tembus 2M views",
    "Ayo terapkan 3M Plus cegah DBD",
    "gerakan 5M",
    "tahun 2024",
    "pukul 07.00 WIB",
    "iPhone 15 Pro Max",
])
def test_not_money(money, text):
    assert money(text) == []


def test_currency_wins_over_count_noun(money):
    # "Rp" makes it money even before a word that usually counts things.
    assert money("Rp 2 juta orang") == [("Rp 2 juta", pytest.approx(2e6))]


def test_several_amounts_and_offsets(money, analyzer):
    text = "Tas 80jt 👜, jam $10k, sisanya setengah miliar buat DP 🏡"
    found = money(text)
    assert [e for e, _ in found] == ["80jt", "$10k", "setengah miliar"]
    for m in find_money(analyzer.nlp.make_doc(text)):
        assert text[m.start:m.end] in {"80jt", "$10k", "setengah miliar"}


@pytest.mark.parametrize("text,expected", [
    ("250jt buat DP 👉 sisanya dua ribu juta (katanya), terus se-M lagi buat rumah. Totalnya LIMA RATUS JUTA",
     [("250jt", 250e6), ("dua ribu juta", 2e9), ("se-M", 1e9), ("LIMA RATUS JUTA", 500e6)]),
    ("Sejuta rupiah cukup? Gaji 8 tahun lalu Rp5jt, sekarang ratusan juta; rumah 3 miliar, mobil seharga 1,5 M",
     [("Sejuta", 1e6), ("Rp5jt", 5e6), ("ratusan juta", 100e6), ("3 miliar", 3e9), ("1,5 M", 1.5e9)]),
])
def test_every_amount_in_a_long_post(money, text, expected):
    # At the very start or end of a post, in any case, in words or digits, next to other amounts.
    assert money(text) == [(e, pytest.approx(v)) for e, v in expected]


def test_amount_after_emoji_keeps_code_point_offsets(money):
    text = "💎💎 Rolex 250jt"
    assert money(text) == [("250jt", pytest.approx(250e6))]


# ---------------------------------------------------------------- helpers
@pytest.mark.parametrize("raw,value", [
    ("2.500.000", 2_500_000), ("1,2", 1.2), ("2.5", 2.5), ("12,500", 12_500), ("5.000", 5_000), ("250", 250),
])
def test_parse_number(raw, value):
    assert parse_number(raw) == pytest.approx(value)


@pytest.mark.parametrize("words,value", [
    (["lima", "ratus"], 500), (["seratus", "lima", "puluh"], 150), (["dua", "setengah"], 2.5),
    (["dua", "belas"], 12), (["sebelas"], 11), (["setengah"], 0.5),
])
def test_parse_words(words, value):
    assert parse_words(words) == pytest.approx(value)


def test_money_entity_reaches_the_pipeline(analyzer):
    doc = analyzer.nlp("Baru beli Rolex 250jt 💎")
    spans = [s for s in doc.spans["saring_entities"] if s.label_ == "MONEY"]
    assert [(s.text, s._.value) for s in spans] == [("250jt", 250e6)]


@pytest.mark.parametrize("text", ["ratuſan juta", "rİbuan juta habis buat tas", "puluhan ﬀ juta"])
def test_unusual_letters_never_crash_a_check(analyzer, text):
    """Case-insensitive matching treats ſ and İ as s and i; the value lookup must not crash."""
    report = analyzer.check(text)
    assert all(text[f.start:f.end] == f.text for f in report.findings)
