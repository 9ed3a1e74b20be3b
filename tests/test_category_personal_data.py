"""personal_data: NIK, KK, NIP, NPWP, phone numbers, bank accounts, home addresses, health data.

What a user notices: a post exposing someone's identifier, number, address or diagnosis gets a
finding on exactly that piece of text, saying which data it is and showing how to mask it; a
citizen's data is `high`, one's own data a `warning`.  Data-protection tips, official hotlines,
office addresses, masked numbers and health campaigns stay clean.
"""

from __future__ import annotations

import re

import pytest

CAT = "personal_data"
INDONESIAN = re.compile(r"\b(unggahan|data|pribadi|nomor|hapus|ini|yang|dan|atau)\b", re.I)


def _mine(report):
    return [f for f in report.findings if f.category == CAT]


# ---------------------------------------------------------------- what the user sees
@pytest.mark.parametrize("text,evidence,label", [
    ("Pemohon yg ngamuk tadi NIK-nya 7371064503920002, biar kapok 😤", "7371064503920002", "NIK"),
    ("admin, KK kami 3273051708190003 kok belum terdaftar bansos ya?", "3273051708190003", "KK"),
    ("Pegawai yg bolos itu NIP 19900317 201503 2 004, laporin!", "19900317 201503 2 004", "NIP"),
    ("NPWP suami 09.254.318.7-812.000 udh jadi 🥳", "09.254.318.7-812.000", "NPWP"),
    ("Ini no HP tukang parkir liar itu: 0819-4471-2286, teror aja 😤", "0819-4471-2286", "nomor HP"),
    ("Arisan tf ke rek Mandiri 1310012345678 a.n. Wulan ya", "1310012345678", "rekening"),
])
def test_identifier_is_underlined_and_masked(analyzer, text, evidence, label):
    findings = _mine(analyzer.check(text))
    assert findings, text
    f = findings[0]
    assert f.text == evidence and text[f.start:f.end] == f.text
    assert f.severity in ("warning", "high")
    assert label.lower() in f.message.lower()
    # the message shows a masked form, never the full number again
    digits = re.sub(r"\D", "", evidence)
    assert digits not in re.sub(r"\D", "", f.message + (f.suggestion or ""))
    assert "*" in f.message + (f.suggestion or "")


def test_citizen_data_is_high_and_own_data_is_warning(analyzer):
    citizen = _mine(analyzer.check("Data warga penerima bansos: Siti, NIK 7371054903960001"))
    own = _mine(analyzer.check("NIK saya 3204125608910003 kok gak kedaftar ya min?"))
    assert [f.severity for f in citizen] == ["high"]
    assert [f.severity for f in own] == ["warning"]


@pytest.mark.parametrize("text", [
    "Ingat ya, nomor NIK dan NIP itu data pribadi, jangan dikirim ke orang tak dikenal 🙅",
    "Gimana cara ganti alamat di KTP kalau pindah? Perlu bawa KK asli gak?",
    "Layanan pengaduan BPBD via WhatsApp resmi 0811-7788-990, khusus pesan teks 📲",
    "Call center Dukcapil 0812 6000 1234 siap melayani Senin–Jumat",
    "Pelayanan Disdukcapil sementara di Gedung Serbaguna Jl. Merdeka No. 5 selama renovasi",
    "Info: (061) 4520 771, jam kerja 08.00–16.00",
    "NIK saya 3273********0003 sudah terdaftar 🙏",
    "Donasi banjir lewat rekening resmi BAZNAS BSI 7000123456",
    "Skrining TBC gratis di Puskesmas, Pak Camat ikut hadir ajak warga periksa",
    "Mohon doanya untuk Bu Ani yang sedang dirawat, semoga lekas sembuh 🙏",
    "Bantu evakuasi pohon tumbang di Jl. Sudirman tadi siang 💪",
])
def test_procedures_hotlines_offices_and_campaigns_stay_clean(analyzer, text):
    assert [f for f in _mine(analyzer.check(text)) if f.severity != "info"] == []


def test_home_address_and_health_data(analyzer):
    addr = "Ini rumah warga yg maki2 petugas: Jl. Flamboyan Gg. 3 No. 8 RT 04/RW 02, datangi aja"
    found = _mine(analyzer.check(addr))
    assert found and found[0].rule_id.startswith("personal_data.home_address")
    assert "Jl. Flamboyan Gg. 3 No. 8" in {f.text for f in found}
    health = "Mohon doa utk rekan kami Pak Hendrik, dirawat di RSUD, hasil lab positif tifus 😢"
    hf = _mine(analyzer.check(health))
    assert [f.rule_id for f in hf] == ["personal_data.health"] and hf[0].severity == "high"


def test_messages_are_indonesian_with_english_variant(analyzer):
    text = "Yg nemu KTP saya NIK 1271121408870003 hubungi 0812-6543-2190, alamat rumah Jl. Mawar No. 21"
    id_findings = _mine(analyzer.check(text))
    en_findings = _mine(analyzer.check(text, locale="en"))
    assert {f.rule_id for f in id_findings} >= {"personal_data.nik", "personal_data.phone"}
    for f in id_findings:
        assert f.message and f.suggestion and f.basis
        assert INDONESIAN.search(f.message) and INDONESIAN.search(f.suggestion)
        assert "27/2022" in f.basis
        assert text[f.start:f.end] == f.text
    for f in en_findings:
        assert f.message and re.search(r"\b(this|post|contains|number)\b", f.message, re.I)


def test_offsets_survive_emoji_before_the_number(analyzer):
    text = "😡😡 ini dia 👉 NIK 3273014909880003 🤬"
    f = _mine(analyzer.check(text))[0]
    assert text[f.start:f.end] == "3273014909880003"
    d = analyzer.check(text).to_dict()["findings"]
    mine = [x for x in d if x["category"] == CAT][0]
    assert text.encode("utf-16-le")[mine["start_utf16"] * 2:mine["end_utf16"] * 2].decode("utf-16-le") == f.text
