"""gratification: gifts, parcels, money, trips or favours from vendors, partners, subordinates or people served.

What a user notices: thanking a contractor for a parcel or showing an envelope from an applicant is
stopped with a high-severity finding; a gift reported to the UPG, a refused envelope, family gifts,
door prizes, contest prizes and KPK reminders stay clean.
"""

from __future__ import annotations


import pytest

from nlp import Analyzer

CAT = "gratification"


def _mine(report):
    return [f for f in report.findings if f.category == CAT]


# ---------------------------------------------------------------- behaviour
@pytest.mark.parametrize("text, rule, severity", [
    ("Parsel Natal dari rekanan proyek udah nyampe rumah 🎁 makasih bapak2 kontraktor", "gratification.gift_from_job_party", "high"),
    ("Terima kasih Pak Dedi atas amplopnya waktu saya bantu urus balik nama sertifikat 🙏", "gratification.gift_for_service", "high"),
    ("dikirimin madu hutan sama pak haji yg berkasnya kami percepat kemarin, alhamdulillah 🍯", "gratification.favour_received", "high"),
    ("tiap razia pedagang kasih uang 'kopi' biar lapaknya aman 😂", "gratification.grease_money", "high"),
    ("Wali murid ngasih amplop pas bagi rapor, lumayan 😅", "gratification.gift_from_served", "high"),
    ("Fee 7% dari proyek pengadaan komputer udah masuk rekening 😁", "gratification.kickback", "high"),
    ("Para pengusaha di wilayah kami, jangan lupa THR buat petugas ya 😁", "gratification.solicit_holiday_gift", "high"),
    ("Kado ultah dari anak buah: sepatu kulit 😍 makasih tim", "gratification.gift_from_subordinate", "warning"),
])
def test_job_related_gifts_are_flagged(analyzer, text, rule, severity):
    found = _mine(analyzer.check(text))
    assert any(f.rule_id == rule and f.severity == severity for f in found), [(f.rule_id, f.severity, f.text) for f in found]


@pytest.mark.parametrize("text", [
    "Parsel dari vendor sudah kami laporkan ke UPG Inspektorat 🙏 #TolakGratifikasi",
    "Tadi ada pemohon mau kasih amplop, saya tolak baik2. Layanan kami gratis 🙏",
    "Kado ulang tahun dari istri dan anak2: kue bolu buatan sendiri 🥹",
    "Dapet doorprize kipas angin pas jalan sehat HUT Korpri wkwk",
    "Kelurahan kami juara kampung bersih, uang pembinaannya dipakai beli tong sampah terpilah ♻️",
    "Murid kelas 6 pamitan, bikinin surat tulisan tangan buat gurunya 🥹✉️",
    "KPK mengingatkan ASN menolak parsel dari rekanan, jika terpaksa menerima laporkan dalam 30 hari kerja",
    "THR ASN sudah cair, jangan lupa zakat ya bapak ibu 🙏",
    "Alhamdulillah dapat penghargaan pelayanan publik terbaik dari Kemenpan RB 🏆",
    "Kado ultah dari rekan kerja se-ruangan, makasih ya gaes 🥳",
])
def test_reported_refused_family_and_prizes_stay_clean(analyzer, text):
    found = _mine(analyzer.check(text))
    assert not analyzer.check(text).flagged(CAT), [(f.rule_id, f.text) for f in found]


def test_configured_giver_roles_extend_the_lexicon(analyzer, rules_only):
    text = "Hampers lebaran dari Koperasi Sejahtera Mandiri udah nyampe 🎁 makasih ya"
    # the rules alone do not know the giver (the trained model may suspect it anyway)
    assert not rules_only.check(text).flagged(CAT)
    a = Analyzer({"lexicon": {CAT: {"giver_role": ["koperasi sejahtera mandiri"]}}})
    assert a.check(text).flagged(CAT)


def test_rule_can_be_switched_off():
    a = Analyzer({"severity": {"gratification.gift_from_job_party": "off"}})
    text = "Parsel Natal dari rekanan proyek udah nyampe rumah 🎁"
    assert not [f for f in _mine(a.check(text)) if f.rule_id == "gratification.gift_from_job_party"]


# ---------------------------------------------------------------- offsets and messages


def test_offsets_after_emoji(analyzer):
    text = '🎁🎁🧧 Parsel Natal dari rekanan proyek udah nyampe rumah, makasih bapak2 kontraktor'
    for f in _mine(analyzer.check(text)):
        assert text[f.start:f.end] == f.text


def test_english_locale(analyzer):
    report = analyzer.check('Parsel Natal dari rekanan proyek udah nyampe rumah 🎁 makasih bapak2 kontraktor', locale="en")
    found = _mine(report)
    assert found and 'gift' in found[0].message.lower()
    assert found[0].suggestion and found[0].basis
