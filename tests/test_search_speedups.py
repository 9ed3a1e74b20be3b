"""The recognizers' "search only where a match can start" speed-ups find what a plain
``finditer`` over the whole text finds (property tests, hypothesis).

Money, identifiers and phone numbers try their regexes only after a digit run starts, near a
number word, or at a character a number can begin with; these tests hold each shortcut equal
to the plain search on generated text built from the characters and words that matter."""

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nlp.recognizers import LABELS, _at_starts, identifiers, money, phone

PIECES = [
    "0", "1", "2", "5", "8", "9", "08", "62", "+62", "021", "(021)", "12", "250", "3578", "2024", "19900317",
    " ", "  ", ".", ",", "-", "/", "+", "(", ")", "$", "€", "\n", "²",
    "rp", "Rp", "Rp.", "IDR", "US$", "usd", "jt", "juta", "rb", "ribu", "k", "m", "M", "miliar", "T", "triliun",
    "rupiah", "dolar", "se", "se-", "sejuta", "semiliar", "satu", "dua", "tiga", "puluh", "ratus", "ratusan",
    "puluhan", "miliaran", "an", "nik", "NIK", "kk", "KK", "npwp", "NPWP", "no", "HP", "total", "harga",
    "abis", "beli", "x", "a", "é", "ſ", "İ", "٣",
]
# numbers as people write them: digit groups with separators, behind a phone prefix or not
numbers = st.builds(lambda groups, sep: sep.join(groups),
                    st.lists(st.text(alphabet="0123456789", min_size=1, max_size=6), min_size=1, max_size=5),
                    st.sampled_from(["", " ", ".", "-", ","]))
phones = st.builds(str.__add__, st.sampled_from(["08", "+62", "+62 ", "62", "(021) ", "0", "021-"]), numbers)
amounts = st.builds(lambda cur, num, space, mag: cur + num + space + mag,
                    st.sampled_from(["", "", "Rp", "Rp ", "rp.", "IDR ", "US$", "$", "€"]), numbers,
                    st.sampled_from(["", " "]),
                    st.sampled_from(["", "jt", "juta", "rb", "ribu", "k", "m", "M", "miliar", "T", "rupiah", "dolar"]))
pieces = st.one_of(st.sampled_from(PIECES), numbers, phones, amounts)
texts = st.one_of(
    st.lists(pieces, max_size=24).map(" ".join),
    st.lists(pieces, max_size=30).map("".join),
    st.text(max_size=120),
)
phone_texts = st.one_of(texts, st.lists(st.one_of(phones, phones, st.sampled_from(PIECES)), max_size=10).map(" ".join))
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def spans(matches):
    return [m.span() for m in matches]


def digit_count(m: re.Match) -> int:
    return sum(c.isdigit() for c in m.group(0))


# ------------------------------------------------------------------ the shared helper

@FAST
@given(st.text(alphabet="ab01 .", max_size=60), st.sampled_from([r"\d+", r"a+b?", r"(?<!\w)\d[ .]?\d", r"b|0 "]))
def test_at_starts_with_every_position_is_finditer(text, source):
    pattern = re.compile(source)
    assert spans(_at_starts(pattern, text, range(len(text) + 1))) == spans(pattern.finditer(text))


# ------------------------------------------------------------------ money

def _money_starts(text):
    """Where find_money looks, computed as it does."""
    runs = [m.start() for m in money._RUN_START.finditer(text)]
    anchors = list(money._WORD_ANCHOR.finditer(text))
    windows = money._word_windows(text, anchors) if anchors else []
    se_starts = sorted({p for a in anchors for p in (a.start() - 3, a.start() - 2) if p >= 0})
    return runs, windows, se_starts


@FAST
@given(texts)
@example("gaji 3,5jt + bonus Rp 2.000.000 dan US$ 120")
@example("dua ratus juta, sejuta, se-M, ratusan juta, miliaran")
def test_money_searches_find_what_finditer_finds(text):
    runs, windows, se_starts = _money_starts(text)
    for pattern in (money._WITH_MAGNITUDE, money._CURRENCY_AFTER, money._BARE):
        assert spans(_at_starts(pattern, text, runs)) == spans(pattern.finditer(text)), pattern.pattern[:60]
    assert spans(money._with_currency(text, runs)) == spans(money._WITH_CURRENCY.finditer(text))
    for pattern in (money._WORDS, money._VAGUE):
        assert spans(money._in_windows(pattern, text, windows)) == spans(pattern.finditer(text)), pattern.pattern[:60]
    assert spans(_at_starts(money._SE, text, se_starts)) == spans(money._SE.finditer(text))


# ------------------------------------------------------------------ identifiers

@FAST
@given(texts)
@example("NIK 3273014909880003, NIP 19900317 201503 2 004, NPWP 09.254.318.7-812.000")
@example("rek 1310012345678 / 0812 3456 7890 / 1 2 3 4 5 6 7 8 9 10")
def test_identifier_searches_find_every_long_number_finditer_finds(text):
    starts = identifiers._run_starts(text)
    for pattern in (identifiers._NPWP_DOTTED, identifiers._NIP, identifiers._SIXTEEN, identifiers._PLAIN_15,
                    identifiers._DIGIT_RUN):
        # the identifiers all have at least 10 digits: shorter numbers are not looked for
        expected = [m.span() for m in pattern.finditer(text) if digit_count(m) >= 10]
        found = [m.span() for m in _at_starts(pattern, text, starts) if digit_count(m) >= 10]
        assert found == expected, pattern.pattern[:60]


# ------------------------------------------------------------------ phone

def _phones_by_finditer(text):
    out = []
    for m in phone._CAND.finditer(text):
        raw = m.group(0)
        if phone._AMOUNT.fullmatch(raw) or phone.classify(raw) is None:
            continue
        out.append(m.span())
    return out


@FAST
@given(phone_texts)
@example("hubungi 0812-3456-7890 atau +62 21 5550 1234 atau (021) 555 0123")
def test_phone_search_finds_what_finditer_finds(analyzer, text):
    doc = analyzer.nlp.make_doc(text)
    found = phone.find_phones(doc)
    assert [(m.start, m.end) for m in found] == _phones_by_finditer(text)
    assert {m.label for m in found} <= set(LABELS["phone"])


@FAST
@given(texts)
def test_recognizers_produce_only_the_labels_they_declare(analyzer, text):
    doc = analyzer.nlp.make_doc(text)
    assert {m.label for m in money.find_money(doc)} <= set(LABELS["money"])
    assert {m.label for m in identifiers.find_identifiers(doc)} <= set(LABELS["identifiers"])
