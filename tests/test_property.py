"""Any string at all: the analyzer never raises and every finding points at its evidence."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp import CATEGORIES, SEVERITIES

WORDS = ["beli", "Rolex", "250jt", "Rp", "2,5", "M", "mobil dinas", "mudik", "coblos", "nomor", "2", "g0bl0k",
         "NIK", "3273014909880003", "0812-6543-2190", "SEBARKAN!!!", "parsel", "rekanan", "bocoran", "soal",
         "💎", "🇮🇩", "👨‍👩‍👧", "#sultan", "anj*ng", "t o l o l", "\u200b", "\x00", "-", "...", "\n"]

texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=40).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_gives_valid_findings(analyzer, text):
    report = analyzer.check(text)
    d = report.to_dict()
    utf16 = text.encode("utf-16-le", "surrogatepass")
    for f, fd in zip(report.findings, d["findings"]):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start:f.end] == f.text
        assert f.category in CATEGORIES and f.severity in SEVERITIES
        assert f.message
        assert utf16[fd["start_utf16"] * 2:fd["end_utf16"] * 2] == f.text.encode("utf-16-le", "surrogatepass")
    assert [f.start for f in report.findings] == sorted(f.start for f in report.findings)
