"""confidential_info: leaks of internal documents, drafts, exam material and unannounced decisions.

What a user notices: a post that leaks is stopped with a high-severity finding that points at the
leaking words; already-published material, training on document formats, scam warnings and
reminders to keep things internal stay clean.
"""

from __future__ import annotations


import pytest

from nlp import Analyzer

CAT = "confidential_info"


def _mine(report):
    return [f for f in report.findings if f.category == CAT]


# ---------------------------------------------------------------- behaviour
@pytest.mark.parametrize("text, rule", [
    ("Ada yang butuh bocoran soal ujian PPPK minggu depan? japri aja 😉", "confidential_info.exam_material"),
    ("kunci jawaban ujian sekolah Matematika besok udah saya pegang, cek DM 🤫", "confidential_info.answer_key"),
    ("Nota dinas Kaban soal pemotongan TPP, nih fotonya saya upload 📄", "confidential_info.internal_document"),
    ("Draft SK rotasi pejabat udh saya pegang, cek nama kalian di halaman 3", "confidential_info.internal_document"),
    ("SS grup WA pimpinan semalam 👀 bos marah2 soal laporan", "confidential_info.internal_chat"),
    ("Info A1: Kadis Pendidikan bakal dicopot minggu depan, belum diumumkan ya", "confidential_info.leak_cue"),
    ("Hasil rapat tertutup tadi: tunjangan dipotong 25%, jangan disebar dulu ya 🙏", "confidential_info.hush_share"),
])
def test_leaks_are_flagged_high(analyzer, text, rule):
    found = _mine(analyzer.check(text))
    assert any(f.rule_id == rule for f in found), [(f.rule_id, f.text) for f in found]
    assert max(f.severity for f in found if f.rule_id == rule) == "high"


@pytest.mark.parametrize("text", [
    "Perbup tarif parkir sudah diundangkan, salinannya bisa diunduh di JDIH Pemkab 📄",
    "Pengumuman hasil seleksi PPPK sudah resmi, silakan cek di website BKPSDM",
    "Bimtek kearsipan: cara menomori surat keluar dan menyimpan arsip dinas dengan rapi",
    "Bapak ibu, draf SOP pelayanan masih direvisi, versi resminya nanti diumumkan bagian Organisasi 🙏",
    "Materi pengayaan ujian sekolah sudah diunggah guru di LMS, silakan dipelajari ya nak 📚",
    "Waspada penipuan 'bocoran soal CPNS' berbayar, soal CAT diacak sistem!",
    "Atap ruang arsip bocor lagi, dokumen lama dipindah dulu ke gudang 😩",
    "Spill dong tips lolos SKD buat yang mau daftar CPNS tahun ini 🙏",
])
def test_published_training_and_warnings_stay_clean(analyzer, text):
    assert not analyzer.check(text).flagged(CAT), [(f.rule_id, f.text) for f in _mine(analyzer.check(text))]


def test_negated_exam_word_is_not_a_leak(analyzer):
    assert not analyzer.check("Ini kisi-kisi resmi, bukan soal ujian ya, jangan salah paham 🙏").flagged(CAT)


# ---------------------------------------------------------------- configuration
@pytest.fixture(scope="module")
def configured():
    return Analyzer({"lexicon": {CAT: {"document_codes": ["ND/INT-2025"]}}})


CODE_POST = "Barusan dapet ND/INT-2025/031 dari meja Pak Sekda, nih saya fotoin buat kalian 👀"


def test_document_code_from_configuration_is_flagged(configured, analyzer):
    found = [f for f in _mine(configured.check(CODE_POST)) if f.rule_id == "confidential_info.document_code"]
    assert found and found[0].severity == "high"
    assert CODE_POST[found[0].start:found[0].end] == found[0].text
    assert found[0].text.startswith("ND/INT-2025")
    # the default rules know no agency codes
    assert not [f for f in _mine(analyzer.check(CODE_POST)) if f.rule_id == "confidential_info.document_code"]


def test_document_code_without_sharing_context_is_not_flagged(configured):
    assert not configured.check("Arsip ND/INT-2025 sudah dirapikan per bulan oleh bagian umum").flagged(CAT)


def test_rule_can_be_switched_off():
    a = Analyzer({"severity": {"confidential_info.exam_material": "off", "confidential_info.leak_cue": "off"}})
    found = _mine(a.check("Ada yang butuh bocoran soal ujian PPPK minggu depan? japri aja 😉"))
    assert not any(f.rule_id in ("confidential_info.exam_material", "confidential_info.leak_cue") for f in found)


# ---------------------------------------------------------------- offsets and messages


def test_offsets_after_emoji(analyzer):
    text = "🤫🤫👀 " + "Ada yang butuh bocoran soal ujian PPPK minggu depan? japri aja"
    for f in _mine(analyzer.check(text)):
        assert text[f.start:f.end] == f.text


def test_english_locale(analyzer):
    report = analyzer.check("Nota dinas Kaban soal pemotongan TPP, nih fotonya saya upload 📄", locale="en")
    found = _mine(report)
    assert found and "internal" in found[0].message.lower()
    assert found[0].suggestion and found[0].basis
