"""Recognizers for Indonesian identifiers: NIK, KK, NIP, NPWP, bank-account candidates, phones.

What a user notices: a real-looking identifier is found wherever it sits in the post (also when
written with spaces), with a masked form to copy; numbers that only look similar (times, dates,
amounts, an impossible birth date, a foreign card) are left alone.
"""

from __future__ import annotations

import datetime as dt

import pytest

from nlp.recognizers.identifiers import find_identifiers, mask, parse_kk, parse_nik, parse_nip
from nlp.recognizers.phone import classify, find_phones, mask_phone


@pytest.fixture(scope="module")
def make_doc(analyzer):
    return analyzer.nlp.make_doc


def _found(recognizer, make_doc, text):
    return [(m.label, text[m.start:m.end], m.attrs) for m in recognizer(make_doc(text))]


# ---------------------------------------------------------------- NIK
@pytest.mark.parametrize("nik,gender,birth", [
    ("3273014909880003", "F", "1988-09-09"),   # day 49 = 9 + 40: a woman
    ("1271121408870003", "M", "1987-08-14"),
    ("9103011007780004", "M", "1978-07-10"),   # Papua
    ("7371064503920002", "F", "1992-03-05"),
])
def test_valid_nik_structure(nik, gender, birth):
    info = parse_nik(nik)
    assert info and info["gender"] == gender and info["birth_date"] == birth


@pytest.mark.parametrize("nik", [
    "2078144909880002",  # province 20 does not exist
    "0078144909880002",  # province 00
    "3578143209880002",  # day 32
    "3578147209880002",  # day 72 (women: 41–71)
    "3578141413880002",  # month 13
    "3578140100880002",  # month 00
    "3578141509880000",  # serial 0000
    "3578143002880001",  # 30 February
    "357814150988000",   # 15 digits
])
def test_invalid_nik_structure(nik):
    assert parse_nik(nik) is None


def test_new_papua_province_codes_accepted_and_gaps_rejected():
    assert parse_nik("9501011507900001")  # Papua Pegunungan era codes (9x)
    assert parse_nik("9801011507900001") is None
    assert parse_nik("6601011507900001") is None  # 66 is not a province


def test_kk_uses_issue_date_without_plus_40():
    assert parse_kk("3273051203150004")["issued"] == "2015-03-12"
    assert parse_kk("3374014503150007") is None


# ---------------------------------------------------------------- NIP
def test_valid_nip_with_and_without_spaces():
    a = parse_nip("19900317 201503 2 004")
    b = parse_nip("199003172015032004")
    assert a == b and a["gender"] == "F" and a["tmt"] == "2015-03" and a["birth_date"] == "1990-03-17"


@pytest.mark.parametrize("nip", [
    "19900317 200503 2 004",   # appointed at 15: before birth + 17
    "18900317 201503 2 004",   # born 1890
    "20150317 203503 1 004",   # born 2015
    "19900317 201503 3 004",   # gender digit 3
    "19900317 201513 1 004",   # TMT month 13
    "19900231 201503 1 004",   # 31 February
    "19900317 201503 1 000",   # serial 000
    "19600317 195803 1 004",   # TMT before 1960
])
def test_invalid_nip(nip):
    assert parse_nip(nip) is None


def test_nip_in_the_future_is_rejected():
    next_year = dt.date.today().year + 2
    assert parse_nip(f"19900317{next_year}03 1 004") is None


# ---------------------------------------------------------------- recognizer over text
def test_finds_each_identifier_with_offsets_and_mask(make_doc):
    text = ("NIK 3273014909880003, KK saya 3273051203150004, NIP 19900317 201503 2 004, "
            "NPWP 09.254.318.7-812.000, rek BRI 0392-01-018274-50-8")
    got = {label: (span, attrs) for label, span, attrs in _found(find_identifiers, make_doc, text)}
    assert got["NIK"][0] == "3273014909880003" and got["NIK"][1]["masked"] == "3273********0003"
    assert got["KK"][0] == "3273051203150004" and got["KK"][1]["label"] == "nomor KK"
    assert got["NIP"][0] == "19900317 201503 2 004" and got["NIP"][1]["label"] == "NIP"
    assert got["NPWP"][0] == "09.254.318.7-812.000"
    assert got["ACCOUNT_NUMBER"][0] == "0392-01-018274-50-8"
    assert got["ACCOUNT_NUMBER"][1]["masked"].endswith("4508") and "0392" not in got["ACCOUNT_NUMBER"][1]["masked"]


def test_nik_written_in_groups(make_doc):
    found = _found(find_identifiers, make_doc, "nik: 3273 0112 0890 0004 ya")
    assert [(lab, s) for lab, s, _ in found] == [("NIK", "3273 0112 0890 0004")]


@pytest.mark.parametrize("text", [
    "Jam layanan 08.00-16.00, istirahat 12.00-13.00",
    "Anggaran Rp 2.500.000.000 sudah cair",
    "Realisasi 1.250.000.000 dari pagu",
    "tgl 27-11-2024 pukul 07.00",
    "NIK 1234567890123456 contoh asal",      # province 12 ok but date 90/12 impossible
    "angka 1 2 3 4 5 6 7 8 9 10 11",
    "kode 3273014909880003123 kepanjangan",  # 19 digits: not a NIK
])
def test_lookalikes_are_not_identifiers(make_doc, text):
    assert [lab for lab, _, _ in _found(find_identifiers, make_doc, text) if lab != "ACCOUNT_NUMBER"] == []


def test_masked_numbers_are_not_found(make_doc):
    assert _found(find_identifiers, make_doc, "NIK saya 3273********0003") == []


def test_mask_keeps_last_digits():
    assert mask("3273014909880003") == "3273********0003"
    assert mask("0392-01-018274-50-8", keep_start=0) == "***********4508"


# ---------------------------------------------------------------- phones
@pytest.mark.parametrize("raw,kind", [
    ("0812-6543-2190", "mobile"), ("+62 812 3456 7890", "mobile"), ("6281234567890", "mobile"),
    ("0821 1847 3362", "mobile"), ("(061) 4520 771", "landline"), ("021-7654321", "landline"),
])
def test_phone_classification(raw, kind):
    assert classify(raw) == kind


@pytest.mark.parametrize("raw", ["08.00-16.00", "12345", "0392-01-018274-50-8", "+1 415 555 0100"])
def test_not_indonesian_phone(raw):
    assert classify(raw) is None


def test_phone_recognizer_offsets_labels_and_mask(make_doc):
    text = "HP 0813-6274-9150, kantor (061) 4520 771, jam 08.00-16.00"
    found = _found(find_phones, make_doc, text)
    assert [(lab, s, a["label"]) for lab, s, a in found] == [
        ("PHONE", "0813-6274-9150", "nomor HP"), ("PHONE_LANDLINE", "(061) 4520 771", "nomor telepon")]
    assert found[0][2]["masked"] == "0813****9150"
    assert mask_phone("+62 812 3456 7890") == "0812****7890"


def test_mobile_number_is_not_also_an_account(make_doc):
    labels = [lab for lab, _, _ in _found(find_identifiers, make_doc, "WA +62 812 3456 7890 atau 081234567890")]
    assert "ACCOUNT_NUMBER" not in labels
