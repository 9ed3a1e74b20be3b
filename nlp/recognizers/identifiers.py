"""NIK, KK, NIP, NPWP and bank-account candidates: Indonesian identifiers with structure checks.

Presidio-PatternRecognizer style: a regex over ``doc.text`` finds candidates (identifiers
written with spaces or dots span several tokens), a validator checks the structure, and a
few context words right before the number decide between identifiers that share a shape
(a 16-digit NIK and a 16-digit KK number look alike).  Every match carries
``attrs = {"label": "NIK", "masked": "3273********0003", ...}`` so a rule's message can say
which data it saw and how to mask it.

- NIK (16 digits): province code, kabupaten/kota, kecamatan, then the birth date DDMMYY
  with +40 on the day for women, then a serial (never 0000).
- KK (16 digits): same region prefix, then the issue date DDMMYY (no +40), then a serial;
  recognised as KK when "KK" / "Kartu Keluarga" is written just before it.
- NIP (18 digits, with or without spaces: ``19900317 201503 2 004``): birth date YYYYMMDD,
  start of service (TMT) YYYYMM, gender digit 1/2, serial.
- NPWP: the dotted 15-digit format ``09.254.318.7-812.000`` (16 digits with a leading 0),
  or 15/16 plain digits right after the word NPWP.
- ACCOUNT_NUMBER: any other run of 10–16 digits (dashes, dots or spaces allowed between
  groups, but not the thousands format of an amount).  It is only a *candidate*: the rule
  in ``personal_data.toml`` confirms it with bank words nearby.
"""

from __future__ import annotations

import datetime as _dt
import re

from ..doctext import doc_text
from . import EntityMatch, _at_starts, register

# Province codes (first two digits of NIK/KK).  Papua's new provinces (2022) are included
# conservatively (91–97).
PROVINCES = frozenset(
    [*range(11, 20), 21, *range(31, 37), *range(51, 54), *range(61, 66), *range(71, 77), 81, 82, *range(91, 98)]
)

_SEP = r"[ .\-]"
# 16 digits: plain, 6-6-4 or 4-4-4-4 groups.
_SIXTEEN = re.compile(
    rf"(?<![\w.,/\-])(?:\d{{16}}|\d{{6}}{_SEP}\d{{6}}{_SEP}\d{{4}}|\d{{4}}{_SEP}\d{{4}}{_SEP}\d{{4}}{_SEP}\d{{4}})(?![\w/]|[.,\-]\d)"
)
_NIP = re.compile(r"(?<![\w.,/\-])(\d{8})[ .]?(\d{6})[ .]?(\d)[ .]?(\d{3})(?![\w/]|[.,\-]\d)")
_NPWP_DOTTED = re.compile(r"(?<![\w.,/\-])(0?\d{2})\.(\d{3})\.(\d{3})\.(\d)[.\-](\d{3})\.(\d{3})(?![\w/]|[.,\-]\d)")
_PLAIN_15 = re.compile(r"(?<![\w.,/\-])\d{15,16}(?![\w/]|[.,\-]\d)")
_DIGIT_RUN = re.compile(r"(?<![\w.,/\-+])\d+(?:[ .\-]\d+)*(?![\w/]|[.,\-]\d)")
_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_PHONE_PREFIX = re.compile(r"\+62[ .\-]?$")
_CURRENCY_BEFORE = re.compile(r"(?:rp\.?|idr|usd|\$)\s*$", re.I)

# Speed: scanning the five patterns over a whole post costs ~0.15 ms.  An identifier has at
# least 10 digits with at most one space, dot or dash between two of them, so it lies in a
# "chain" (digits joined by single separators) of 10 digits or more (a _DIGIT_RUN match in a
# shorter chain is always rejected), and it starts at the first digit of a run (the
# lookbehinds reject a digit before it).  Each pattern is matched only at those starts, on
# the whole text so lookarounds see what they see in ``finditer``: the same matches.  _LONG
# tells in one pass whether a post has such a chain at all (most posts have none).
_LONG = re.compile(r"\d(?:[ .\-]?\d){9}")
_CHAIN = re.compile(r"\d+(?:[ .\-]\d+)*")
_RUN_START = re.compile(r"\d(?<!\d\d)")

_CTX_KK = re.compile(r"(?:\bkk\b|kartu\s+keluarga)(?![\s\S]*\bnik\b)[\s\S]*$", re.I)
_CTX_NPWP = re.compile(r"npwp\w*[\s.:#=\-]*(?:saya|kami|suami|istri|nya|no\.?|nomor|nomer)?[\s.:#=\-]*$", re.I)


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def mask(number: str, keep_start: int = 4, keep_end: int = 4) -> str:
    """'3273014909880003' → '3273********0003'."""
    d = digits(number)
    if len(d) <= keep_start + keep_end:
        return "*" * max(0, len(d) - keep_end) + d[-keep_end:]
    return d[:keep_start] + "*" * (len(d) - keep_start - keep_end) + d[-keep_end:]


def _valid_date(day: int, month: int, year: int) -> bool:
    try:
        _dt.date(year, month, day)
        return True
    except ValueError:
        return False


def _two_digit_year(yy: int) -> int:
    this = _dt.date.today().year % 100
    return 2000 + yy if yy <= this else 1900 + yy


def parse_nik(number: str) -> dict | None:
    """Structure of a NIK, or None when it cannot be one.

    >>> parse_nik("3273014909880003")["gender"]
    'F'
    """
    d = digits(number)
    if len(d) != 16 or int(d[:2]) not in PROVINCES or d[2:4] == "00" or d[4:6] == "00":
        return None
    day, month, yy = int(d[6:8]), int(d[8:10]), int(d[10:12])
    gender = "M"
    if 41 <= day <= 71:
        day -= 40
        gender = "F"
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    year = _two_digit_year(yy)
    if not _valid_date(day, month, year):
        # 29 Feb on a two-digit year we guessed wrong: accept when valid in the other century
        if not _valid_date(day, month, year - 100 if year >= 2000 else year + 100):
            return None
    if d[12:] == "0000":
        return None
    return {"province": d[:2], "birth_date": f"{year:04d}-{month:02d}-{day:02d}", "gender": gender}


def parse_kk(number: str) -> dict | None:
    """Structure of a KK number (region, issue date DDMMYY, serial), or None."""
    d = digits(number)
    if len(d) != 16 or int(d[:2]) not in PROVINCES or d[2:4] == "00" or d[4:6] == "00":
        return None
    day, month, yy = int(d[6:8]), int(d[8:10]), int(d[10:12])
    if not (1 <= day <= 31 and 1 <= month <= 12) or d[12:] == "0000":
        return None
    return {"province": d[:2], "issued": f"{_two_digit_year(yy):04d}-{month:02d}-{day:02d}"}


def parse_nip(number: str, today: _dt.date | None = None) -> dict | None:
    """Structure of an 18-digit NIP, or None.

    Birth date YYYYMMDD (1940–2010), TMT YYYYMM (≥ 1960, at least 17 years after birth,
    not in the future), gender 1/2, serial ≠ 000.
    """
    today = today or _dt.date.today()
    d = digits(number)
    if len(d) != 18:
        return None
    by, bm, bd = int(d[:4]), int(d[4:6]), int(d[6:8])
    ty, tm = int(d[8:12]), int(d[12:14])
    gender, serial = d[14], d[15:]
    if not (1940 <= by <= 2010) or not _valid_date(bd, bm, by):
        return None
    if not (1960 <= ty <= today.year + 1 and 1 <= tm <= 12):
        return None
    if (ty, tm) < (by + 17, bm):
        return None
    if gender not in "12" or serial == "000":
        return None
    return {"birth_date": f"{by:04d}-{bm:02d}-{bd:02d}", "tmt": f"{ty:04d}-{tm:02d}",
            "gender": "M" if gender == "1" else "F"}


def _before(text: str, start: int, width: int = 30) -> str:
    return text[max(0, start - width):start]


def _run_starts(text: str) -> list[int]:
    """Where the digit runs of chains with at least 10 digits start (empty for most posts)."""
    first = _LONG.search(text)
    if first is None:
        return []
    starts = []
    for chain in _CHAIN.finditer(text, first.start()):  # the leftmost _LONG match starts a chain
        s, e = chain.span()
        raw = chain.group()
        if e - s - raw.count(" ") - raw.count(".") - raw.count("-") >= 10:
            starts += [m.start() for m in _RUN_START.finditer(text, s, e)]
    return starts


@register("identifiers", labels=("NIK", "KK", "NIP", "NPWP", "ACCOUNT_NUMBER"))
def find_identifiers(doc):
    text = doc_text(doc)
    found: list[EntityMatch] = []
    taken: list[tuple[int, int]] = []

    def free(s, e):
        return not any(a < e and s < b for a, b in taken)

    def add(label, s, e, name, keep_start=4, **attrs):
        if not free(s, e):
            return
        taken.append((s, e))
        masked = mask(text[s:e], keep_start=keep_start)
        found.append(EntityMatch(label, s, e, None, {"label": name, "masked": masked, **attrs}))

    starts = _run_starts(text)
    if not starts:
        return found

    # NPWP first: its dotted format is unambiguous.
    for m in _at_starts(_NPWP_DOTTED, text, starts):
        add("NPWP", m.start(), m.end(), "NPWP")
    # NIP: 18 digits, possibly spaced.
    for m in _at_starts(_NIP, text, starts):
        info = parse_nip(m.group(0))
        if info:
            add("NIP", m.start(), m.end(), "NIP", **info)
    # 16 digits: KK or NPWP by context, else NIK when the structure fits.
    for m in _at_starts(_SIXTEEN, text, starts):
        s, e = m.start(), m.end()
        before = _before(text, s)
        if _CTX_NPWP.search(before):
            add("NPWP", s, e, "NPWP")
        elif _CTX_KK.search(_before(text, s, 40)):
            info = parse_kk(m.group(0))
            if info:
                add("KK", s, e, "nomor KK", **info)
            elif info := parse_nik(m.group(0)):
                add("NIK", s, e, "NIK", **info)
        else:
            info = parse_nik(m.group(0))
            if info:
                add("NIK", s, e, "NIK", **info)
    # 15/16 plain digits right after "NPWP".
    for m in _at_starts(_PLAIN_15, text, starts):
        if _CTX_NPWP.search(_before(text, m.start())):
            add("NPWP", m.start(), m.end(), "NPWP")
    # Other long digit runs: bank-account candidates (confirmed by bank words in the rule).
    for m in _at_starts(_DIGIT_RUN, text, starts):
        raw = m.group(0)
        n = len(digits(raw))
        if not 10 <= n <= 16 or _THOUSANDS.match(raw) or _CURRENCY_BEFORE.search(_before(text, m.start(), 6)):
            continue
        if (raw.startswith(("08", "628")) and n <= 13) or _PHONE_PREFIX.search(_before(text, m.start(), 5)):
            continue  # a mobile number; phone.py handles it
        if " " in raw and any(len(g) < 3 for g in re.split(r"[ .\-]", raw)):
            continue  # "1 2 3 … 10", "27 11 2024": numbers side by side, not one number
        add("ACCOUNT_NUMBER", m.start(), m.end(), "nomor rekening", keep_start=0)
    found.sort(key=lambda x: x.start)
    return found
