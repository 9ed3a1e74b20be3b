"""political_neutrality: support for, campaigning for or attacks on candidates and parties.

What a user notices: endorsements, candidate numbers with a hint, campaign hashtags, slogans,
hand signs, taking part in a campaign and attacks on candidates are flagged `high` (coded hints
`warning`); neutral civic information (TPS, DPT, schedules, "gunakan hak pilihmu"), news,
council business and neutrality reminders stay clean.  IT can add local candidate names,
slogans and hashtags through the configuration, without code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nlp import Analyzer

ROOT = Path(__file__).resolve().parent.parent
CAT = "political_neutrality"
INDONESIAN = re.compile(r"\b(unggahan|ASN|calon|netral|hapus|ini|yang|dan|atau)\b", re.I)


@pytest.fixture(scope="module")
def configured():
    return Analyzer({"lexicon": {CAT: {
        "candidates": ["Budi Santoso"], "slogans": ["Bersama Bangun Kota"], "hashtags": ["#BudiBisa"],
    }}})


def _mine(report, min_sev=("warning", "high")):
    return [f for f in report.findings if f.category == CAT and f.severity in min_sev]


# ---------------------------------------------------------------- what the user sees
@pytest.mark.parametrize("text,rule", [
    ("Yuk bapak ibu, tgl 27 coblos nomor 2 ya 🙏", "vote_for_number"),
    ("Pilkada tinggal seminggu, udh mantep pilih 02 aja lah", "pick_number"),
    ("Paslon 03 satu2nya yg peduli honorer 💯", "candidate_number"),
    ("Semangat relawan! #PastiMenang #AkuPilih01", "campaign_hashtag"),
    ("Cagub paling merakyat se-Sulsel 🙌 #AndiUntukSulsel", "candidate_hashtag"),
    ("POKOKNYA DUA PERIODE!!! 🔥", "term_slogan"),
    ("Salam 2 jari dari kami ✌️", "hand_sign"),
    ("Petahana 5 thn gagal total, jalan rusak semua 😤", "attack_candidate"),
    ("Bangga jd simpatisan Golkar sejak dulu, pemilu nanti coblos lagi 💛", "party_support"),
    ("Semalam ikut rapat akbar relawan cagub, seru banget 🔥", "campaign_participation"),
    ("Yuk dukung Pak Haji Rusli jadi bupati, orangnya dermawan 🙏", "endorse_for_office"),
])
def test_campaigning_is_flagged_with_evidence(analyzer, text, rule):
    findings = _mine(analyzer.check(text))
    assert f"{CAT}.{rule}" in {f.rule_id for f in findings}, [(f.rule_id, f.text) for f in findings]
    for f in findings:
        assert text[f.start:f.end] == f.text
        assert f.message and f.suggestion and f.basis
        assert INDONESIAN.search(f.message) and INDONESIAN.search(f.suggestion)
        assert "netral" in (f.message + f.basis).lower() or "kampanye" in f.message.lower()


def test_coded_number_with_wink_is_a_warning(analyzer):
    findings = _mine(analyzer.check("Pilgub boleh beda pilihan, tapi hati ini tetap nomor 2 ya 😉"))
    assert [(f.rule_id, f.severity) for f in findings] == [(f"{CAT}.coded_number", "warning")]


@pytest.mark.parametrize("text", [
    "📢 Hari H pencoblosan, TPS 12 di balai RW buka jam 7 pagi. Jangan lupa bawa KTP-el ya #PemiluDamai",
    "Pastikan nama Anda terdaftar sebagai pemilih, cek di situs resmi KPU 🙏",
    "Datang ke TPS ya, suaramu menentukan, siapa pun pilihanmu itu urusanmu 😊",
    "KPU umumkan jadwal debat cagub: 19 Oktober dan 3 November 📝",
    "Satpol PP menurunkan 540 APK dari SEMUA paslon tanpa kecuali 🧹 #MasaTenang",
    "ASN wajib netral! Dilarang like/comment/share konten kampanye paslon mana pun",
    "Hasil pengundian: paslon 1, 2 dan 3 resmi ditetapkan KPU",
    "Quick count: paslon 01 unggul sementara 52%, tunggu hasil resmi KPU ya",
    "Rapat paripurna: Fraksi Golkar dan PKS sampaikan pandangan atas Raperda APBD",
    "Revisi UU Desa: masa jabatan kades maksimal 2 periode",
    "Jangan pilih calon hanya karena dikasih amplop, tolak politik uang!",
    "Ingat, coblos 1 kali saja di surat suara 🙏",
    "Soal latihan: pilih 1 jawaban yang paling tepat ya anak2",
    "Timnas menang 2-0! dukung terus Garuda 🇮🇩",
    "Kampanye cuci tangan pakai sabun di SD bersama Puskesmas 🧼",
    "Selamat datang calon mahasiswa baru, semoga jadi yang terbaik! 🎓",
    "Penyaluran bantuan pangan selesai 100% 💪 #MelayaniUntukNegeri",
])
def test_civic_information_news_and_everyday_posts_stay_clean(analyzer, text):
    assert [(f.rule_id, f.text) for f in _mine(analyzer.check(text))] == []


# ---------------------------------------------------------------- configuration
def test_local_candidate_added_by_configuration(configured, analyzer, rules_only):
    text = "Ayo dukung Budi Santoso!"
    findings = _mine(configured.check(text))
    assert [(f.rule_id, f.text, f.severity) for f in findings] == [(f"{CAT}.local_candidate", "Budi Santoso", "high")]
    # the default rules do not know the name (the trained model may still read the support)
    assert _mine(rules_only.check(text)) == []


def test_configured_name_in_news_is_not_flagged(configured):
    assert _mine(configured.check("Budi Santoso hadir di debat KPU semalam, tema kesehatan")) == []


def test_configured_slogan_and_hashtag(configured):
    ids = {f.rule_id for f in _mine(configured.check("Bersama Bangun Kota! #BudiBisa"))}
    assert ids == {f"{CAT}.slogan"}
    assert len(_mine(configured.check("Bersama Bangun Kota! #BudiBisa"))) == 2


def test_shipped_lexicons_are_named_for_it_to_extend():
    import tomllib
    data = tomllib.loads((ROOT / "nlp" / "data" / "rules" / f"{CAT}.toml").read_text(encoding="utf-8"))
    lex = data["lexicons"]
    assert {"candidates", "parties", "slogans", "hashtags"} <= set(lex)
    assert lex["candidates"] == []  # names change every election: configuration, not code
    assert {"gerindra", "pdip", "golkar", "pks", "nasdem", "pkb", "demokrat", "ppp", "pan", "perindo"} <= set(lex["parties"])
    assert "pbb" not in lex["parties"]  # PBB is also the land and building tax


def test_attack_on_configured_candidate(configured):
    findings = _mine(configured.check("Jangan pilih Budi Santoso, udah kebukti gagal 😤"))
    assert [f.text for f in findings] == ["Budi Santoso"]


def test_official_activity_of_configured_incumbent_stays_clean(configured):
    assert _mine(configured.check("Bupati Budi Santoso meresmikan jembatan Desa Suka Maju, semoga bermanfaat")) == []
