"""facility_misuse: official vehicles, office property, budget, staff or working hours used privately.

What a user notices: a homecoming trip in a red-plate car, a wedding in the office hall or a mall
visit after clocking in gets a finding; vehicles on duty (disaster aid, patrols, ambulance runs),
cars left at the office over the holidays, approved leave and sanctioned use stay clean.
"""

from __future__ import annotations


import pytest

from nlp import Analyzer

CAT = "facility_misuse"


def _mine(report):
    return [f for f in report.findings if f.category == CAT]


# ---------------------------------------------------------------- behaviour
@pytest.mark.parametrize("text, rule, severity", [
    ("Mudik ke Wonosobo naik mobdin, alhamdulillah lancar 🚗", "facility_misuse.vehicle_private", "high"),
    ("Liburan ke Pangandaran bareng keluarga pake Innova plat merah 🏖️", "facility_misuse.vehicle_private", "high"),
    ("Tiap pagi antar anak sekolah pake mobil dinas, sekalian ngantor 🚙", "facility_misuse.vehicle_private", "warning"),
    ("SPPD ke Lombok, rapat sejam, sisanya healing ke Gili 🏝️", "facility_misuse.budget_private", "warning"),
    ("perdin fiktif, uang harian SPPD buat bayar cicilan 🤫", "facility_misuse.budget_private", "high"),
    ("Arisan keluarga besar di aula kantor, sound system kantor dipinjem, lumayan hemat 😁", "facility_misuse.office_asset_private", "warning"),
    ("Sopir kantor tiap hari antar jemput anak ke les 😆", "facility_misuse.staff_private", "warning"),
    ("Rabu jam 10 pagi, jam kantor, udah nongkrong di bioskop 🍿", "facility_misuse.work_hours_leisure", "warning"),
    ("udah absen pagi, langsung cus karaoke sama geng 🎤", "facility_misuse.clock_then_leave", "warning"),
    ("titip absen ke temen, gue ke salon dulu 💅", "facility_misuse.skip_work", "warning"),
    ("Rumah dinas disewain ke orang, lumayan buat tambahan 💰", "facility_misuse.asset_commercial", "high"),
])
def test_private_use_is_flagged(analyzer, text, rule, severity):
    found = _mine(analyzer.check(text))
    assert any(f.rule_id == rule and f.severity == severity for f in found), [(f.rule_id, f.severity, f.text) for f in found]


@pytest.mark.parametrize("text", [
    "Sesuai edaran, selama cuti bersama kendaraan dinas diparkir di halaman kantor, kuncinya di bagian umum 🔑",
    "Mobil dinas kelurahan dipakai antar obat ke warga isoman 💊",
    "Ambulans desa siaga 24 jam, tadi subuh antar warga yang sesak napas ke IGD 🚑",
    "Tim Satpol PP razia PKL pakai mobil patroli dinas, ketertiban pasar terjaga 🚨",
    "Rakor di ibu kota provinsi, kami berangkat naik travel biar hemat anggaran 🚐",
    "Aula kantor dipakai untuk vaksinasi lansia, 120 warga terlayani 💉",
    "Cuti tahunan disetujui, besok liburan ke Bali pakai tabungan sendiri 🏝️",
    "Pulang kantor langsung nonton film sama anak2 🍿",
    "Jangan pakai mobil dinas untuk mudik ya rekan2, ingat SE MenPAN-RB 🙏",
    "Lelang mobil dinas bekas Pemkab dibuka minggu depan di situs lelang resmi",
    "Titip absen itu pelanggaran disiplin, sanksinya pemotongan TPP ⏰",
    # colleagues invited to a private occasion: people, not the office's hall or car
    "Undangan syukuran anakku hari Minggu jam 10 di rumah, teman-teman kantor datang ya",
    "Aqiqah si kecil Sabtu besok di rumah mertua, rekan-rekan kantor ditunggu kehadirannya 🙏",
])
def test_duty_use_and_reminders_stay_clean(analyzer, text):
    found = _mine(analyzer.check(text))
    assert not analyzer.check(text).flagged(CAT), [(f.rule_id, f.text) for f in found]


def test_configured_vehicle_name_extends_the_lexicon():
    text = "Mudik lebaran pake mobil siaga kecamatan, lancar jaya 🚙"
    a = Analyzer({"lexicon": {CAT: {"official_vehicle": ["mobil siaga kecamatan"]}}})
    assert a.check(text).flagged(CAT)


def test_severity_can_be_changed():
    a = Analyzer({"severity": {"facility_misuse.work_hours_leisure": "info"}})
    found = _mine(a.check("Rabu jam 10 pagi, jam kantor, udah nongkrong di bioskop 🍿"))
    assert found and all(f.severity == "info" for f in found if f.rule_id == "facility_misuse.work_hours_leisure")


# ---------------------------------------------------------------- offsets and messages


def test_offsets_after_emoji(analyzer):
    text = '🚗🚗🏖️ Mudik ke Wonosobo naik mobdin bareng keluarga, alhamdulillah lancar'
    for f in _mine(analyzer.check(text)):
        assert text[f.start:f.end] == f.text


def test_english_locale(analyzer):
    report = analyzer.check('Mudik ke Wonosobo naik mobdin, alhamdulillah lancar 🚗', locale="en")
    found = _mine(report)
    assert found and 'vehicle' in found[0].message.lower()
    assert found[0].suggestion and found[0].basis
