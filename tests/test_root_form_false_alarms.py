"""Root forms widen a term to every word built on the same root (``beli`` finds ``membeli``).
Where the affix carries the meaning, that widening turned ordinary work posts into warnings:
``saya persulit`` (a threat) found ``saya sulit`` (I find it hard), ``tunjangannya saya potong``
found ``tunjangan saya dipotong``, ``teruskan ke`` found ``terus ke``, ``penghasilan`` found
every ``hasil``, ``pengawal`` was stemmed to ``awal``.  These posts, each about the writer's
work, must stay clean, and the threats those terms were written for must still be caught.
"""

from __future__ import annotations

import pytest

from nlp.pipeline.stemmer import root

WORK_POSTS = [
    "Jujur saya sulit menahan haru melihat warga menerima sertifikat tanah.",
    "Tunjangan saya dipotong karena terlambat, jadi pelajaran untuk disiplin.",
    "Mulai bulan depan saya dimutasi ke Dinas Kesehatan, mohon doanya.",
    "Saya mutasi ke Dinas Kesehatan bulan depan, terima kasih rekan2 Bappeda.",
    "Rasa kantuk bisa saya tahan, antrean warga harus selesai hari ini.",
    "Berkas itu saya tahan dulu sampai tanda tangan kepala desa lengkap.",
    "Permohonan izin ini saya tolak karena syarat tidak lengkap.",
    "Dana BOS bisa tidak cair jika laporan terlambat, mohon operator segera mengunggah.",
    "Proyek kamu bisa tidak cair kalau laporan pertanggungjawaban belum masuk, mohon dilengkapi ya",
    "Laporan ini saya teruskan ke bidang terkait untuk ditindaklanjuti.",
    "Rapat koordinasi berlanjut, terus ke lokasi banjir untuk membagikan logistik.",
    "Petugas memeriksa tiket dan barang bawaan penumpang di pelabuhan.",
    "Hasil panen padi petani binaan kami tahun ini 1.200 ton, senilai Rp 6 miliar.",
    "Kami mengawal penyaluran bantuan sampai ke tangan warga.",
    "Di awal tahun ini kami membuka layanan perizinan daring.",
    "Terima kasih atas masukan warga, perbaikan jalan desa dimulai bulan depan.",
]


@pytest.mark.parametrize("text", WORK_POSTS)
def test_work_post_sharing_a_root_with_a_term_stays_clean(analyzer, text):
    findings = analyzer.check(text).findings
    assert findings == [], [(f.rule_id, f.text) for f in findings]


@pytest.mark.parametrize("text, rule_id", [
    ("izin usaha kamu bisa saya tahan 😤", "flexing.power_abuse"),
    ("izinmu bisa gue tahan 😤", "flexing.power_abuse"),
    ("yg gak setor laporan ke saya, tunjangannya saya tahan.", "flexing.power_abuse"),
    ("kalau masih telat, berkasnya saya persulit", "flexing.power_abuse"),
    ("yang nyinyir di grup kalian saya mutasi ke pulau 🙂", "flexing.power_abuse"),
    ("proyek lo bisa gak cair", "flexing.power_abuse"),
    ("Warga siap2 ngungsi, teruskan ke keluarga!!", "misinformation.spread_call"),
    ("Jangan keluar rumah!! teruskan ke 10 grup", "misinformation.spread_call"),
    ("Gaji PNS ditunda 3 bulan! TERUSKAN!!!", "misinformation.spread_call"),
    ("otw kondangan dikawal voorijder, bebas macet 😎", "flexing.escort"),
    ("penghasilan sebulan 80jt dari bisnis sampingan 😎", "flexing.big_personal_spend"),
])
def test_the_threats_and_boasts_those_terms_were_for_are_still_caught(analyzer, text, rule_id):
    assert rule_id in {f.rule_id for f in analyzer.check(text).findings}


def test_escort_words_keep_their_own_root():
    # Sastrawi reads meng-/peng- + "kawal" as + "awal" (the beginning); roots.tsv corrects it.
    assert {root(w) for w in ("mengawal", "pengawal", "pengawalan", "dikawal")} == {"kawal"}
    assert root("awalnya") == "awal"
