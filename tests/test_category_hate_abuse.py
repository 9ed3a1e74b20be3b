"""hate_abuse: insults, abusive words (also disguised), SARA hate — and the innocent senses.

Behaviour a user notices: an insult typed as g0bl0k or t*l*l is still caught, a dog is still a
dog, a quoted word in an anti-bullying post is not an insult, and hate against a group is
marked high.  Targets on the dev corpus and on our own posts: precision ≥ 0.90, recall ≥ 0.85.
"""

from __future__ import annotations


import pytest


CAT = "hate_abuse"


@pytest.fixture(scope="module")
def az(analyzer):
    return analyzer  # the session's analyzer: building another costs a second of start-up


def flagged(report, cat=CAT):
    return [f for f in report.findings if f.category == cat and f.severity in ("warning", "high")]


def max_sev(report, cat=CAT):
    order = {"info": 1, "warning": 2, "high": 3}
    return max((order[f.severity] for f in report.findings if f.category == cat), default=0)


# ------------------------------------------------------------------ disguised spellings
@pytest.mark.parametrize("text", [
    "dasar g0bl0k, udh dibilang antri",
    "emang t*l*l tuh orang",
    "b4ngs4t lah yg nyerempet motor gw",
    "T O L O L banget sih vendornya",
    "sopir angkot anj*ng, main serobot",
    "goblokkkk bgt yg bikin jadwal",
    "BANGSAT!!! lembur gak dibayar",
    "bgst emg, helm gw ilang di parkiran",
    "J4NC0K, revisi lagi",
    "kntl emang tuh orang",
])
def test_obfuscated_insults_are_caught(az, text):
    assert flagged(az.check(text, categories=[CAT])), text


# ------------------------------------------------------------------ innocent senses
@pytest.mark.parametrize("text", [
    "Anjing pelacak K9 temukan 2 kg sabu di bandara 🐕",
    "Harga daging babi di pasar naik jelang Natal",
    "Tes buta warna jadi syarat sekolah kedinasan",
    "Rombongan monyet turun ke kebun warga, BKSDA minta jangan kasih makan",
    "Kampanye anti perundungan: jangan panggil rekan 'bego' atau 'tolol', itu menyakitkan 💛 #KantorRamah",
    "Dosen etika komunikasi menjelaskan kenapa kata 'bangsat' bisa berujung pidana",
    "alhamdulillah 2 ton sampah terangkut dari saluran air",
    "Basmi sarang nyamuk dengan 3M plus 🦟",
    "Tahi lalat di pipi kiri itu ciri anak saya yg hilang",
    "Saya bodoh banget tadi lupa bawa flashdisk 🤦",
    "Kisah cinta monyet jaman SMA muncul lagi di reuni 😆",
])
def test_innocent_senses_are_not_flagged(az, text):
    assert not flagged(az.check(text, categories=[CAT])), text


@pytest.mark.parametrize("text", ["anjir, file SPJ belum ke-save malah mati lampu 😭", "GILA sih timnas semalem", "anjay keren bgt aplikasinya"])
def test_mild_exclamation_is_only_a_nudge(az, text):
    rep = az.check(text, categories=[CAT])
    assert max_sev(rep) == 1, [(f.rule_id, f.severity) for f in rep.findings]


def test_mild_exclamation_aimed_at_someone_is_a_warning(az):
    assert flagged(az.check("gila lo ya, laporan orang dihapus", categories=[CAT]))


# ------------------------------------------------------------------ severity
@pytest.mark.parametrize("text", [
    "orang pendatang itu pemalas semua, usir aja dari sini",
    "orang pendatang itu penyakit, harus dibasmi dari kota ini",
    "agama mereka itu sesat, kitabnya sampah",
    "Kalau mereka bikin gereja di sini lagi, kita bakar aja",
])
def test_group_hate_and_incitement_are_high(az, text):
    rep = az.check(text, categories=[CAT])
    assert max_sev(rep) == 3, [(f.rule_id, f.severity) for f in rep.findings]


def test_personal_insult_is_warning(az):
    rep = az.check("Warga yg nyolot di loket tadi emang goblok", categories=[CAT])
    assert max_sev(rep) == 2


# ------------------------------------------------------------------ findings' shape
SAMPLES = [
    "anj*ng emang tuh pemborong 😡 jalan baru sebulan udah bolong, bgst",
    "Wkwk staf baru itu gembrot kayak kuda nil 🦛 jalannya lambat",
    "😤😤 Orang Madura emang kasar semua, t o l o l",
]


