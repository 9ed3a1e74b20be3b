"""MONEY: amounts of money in the many ways Indonesians write them, with a rupiah value.

"Rp 2,5 M", "2.5M", "250jt", "250 jt", "1,2 miliar", "Rp 2.500.000", "setengah miliar",
"lima ratus juta", "sejuta", "ratusan juta", "$10k", "€5.000", "10 ribu dolar", "5-6jtan" …
Each match carries ``value`` in rupiah (foreign currencies at a rough fixed rate from
``data/money.toml``) so rules can say "a personal purchase above Rp 50 juta".

A bare number is money only with a currency sign or a magnitude word, or right after a money
word ("harga 2.500.000"): "3.000 undangan" is a head count, "M5,2" an earthquake.  A
lower-case "m" after a number means metres unless a currency sign or a money word precedes
it ("total abis 1,8m").  A magnitude followed by a counted noun is a count, not money
("1,2 juta penduduk", "2M views"), and "3M Plus" is a health campaign.  A range
("5-6jtan") is read as its lower bound, enough for a threshold.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from importlib.resources import files

from ..doctext import doc_text
from . import EntityMatch, _at_starts, register

_CFG = tomllib.loads(files("nlp").joinpath("data/money.toml").read_text(encoding="utf-8"))
CURRENCY = {k.lower(): float(v) for k, v in _CFG["currency_idr"].items()}
MAGNITUDE = {k.lower(): float(v) for k, v in _CFG["magnitude"].items()}
MAGNITUDE_FOREIGN = {k.lower(): float(v) for k, v in _CFG["magnitude_foreign"].items()}
VAGUE = {k: float(v) for k, v in _CFG["vague"].items()}
NUMBER_WORDS = {k: float(v) for k, v in _CFG["number_words"].items()}
MULTIPLIERS = {k: float(v) for k, v in _CFG["number_multipliers"].items()}
MONEY_WORDS = frozenset(w.lower() for w in _CFG["money_words"]["words"])
MONEY_WORD_WINDOW = int(_CFG["money_words"].get("window", 3))
COUNT_NOUNS = frozenset(w.lower() for w in _CFG["count_nouns"]["words"])
CAMPAIGN_BEFORE = frozenset(w.lower() for w in _CFG["campaign_m"]["before"])
CAMPAIGN_AFTER = frozenset(w.lower() for w in _CFG["campaign_m"]["after"])

_NUM = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
_CUR = r"rp\.?|idr|us\$|usd|s\$|sgd|\$|€|eur|£|gbp|rm|myr|¥|jpy"
_CUR_AFTER = r"rupiah|dolar|dollar|usd|euro|eur|sgd|ringgit"
_MAG = "|".join(sorted({re.escape(m) for m in list(MAGNITUDE) + list(MAGNITUDE_FOREIGN)}, key=len, reverse=True))
_END = r"(?![^\W\d_])"

# Currency first: "Rp 2,5 M", "$10k", "€5.000", "Rp2.500.000,00", "IDR 1,2 miliar"
_WITH_CURRENCY = re.compile(
    rf"(?<![\w$€£¥])(?P<cur>{_CUR})\s?(?P<num>{_NUM})(?:\s?(?P<mag>{_MAG}){_END})?(?:\s?an{_END})?", re.I
)
# Magnitude required: "250jt", "1,2 miliar", "2.5M", "87jt", "8jt/orang"
_WITH_MAGNITUDE = re.compile(
    rf"(?<![\w.,$€£¥])(?P<num>{_NUM})(?:\s?[-–]\s?(?P<hi>{_NUM}))?\s?(?P<mag>{_MAG})(?:{_END}|(?=an{_END}))"
    rf"(?:\s?an{_END})?(?:\s?(?P<cur>{_CUR_AFTER}){_END})?",
    re.I,
)
# A bare amount right after a money word: "harga 2.500.000", "total abis 1,8m"
_BARE = re.compile(rf"(?<![\w.,$€£¥])(?P<num>\d{{1,3}}(?:\.\d{{3}})+(?:,\d{{1,2}})?)(?![\w.,]\d)|(?<![\w.,$€£¥])(?P<mnum>{_NUM})\s?(?P<m>m){_END}(?!²)")
_WORD = re.compile(r"[^\W\d_]+")
_NEXT_WORDS = re.compile(r"\s+([^\W\d_]+)(?:\s+([^\W\d_]+))?")
# Currency word after: "5.000 euro", "100 dolar"
_CURRENCY_AFTER = re.compile(rf"(?<![\w.,])(?P<num>{_NUM})\s?(?P<cur>{_CUR_AFTER}){_END}", re.I)

_NUMWORD = "|".join(sorted(list(NUMBER_WORDS) + list(MULTIPLIERS) + ["ribu"], key=len, reverse=True))
_BIG = r"ribu|rb|juta|jt|miliar|milyar|triliun|m|t"
_SE_MAG = r"juta|jt|miliar|milyar|m|triliun"
_VAGUE_MAG = r"ribu|juta|jt|miliar|milyar"
_SOLO = r"miliaran|milyaran|triliunan"
# "lima ratus juta", "setengah miliar", "seratus lima puluh juta", "dua setengah M"
_WORDS = re.compile(rf"\b(?P<words>(?:(?:{_NUMWORD})\s+)+)(?P<mag>{_BIG})\b", re.I)
# "sejuta", "semiliar", "se-M", "setriliun"
_SE = re.compile(rf"\bse-?(?P<mag>{_SE_MAG})\b", re.I)
# "ratusan juta", "puluhan juta", "miliaran", "jutaan rupiah"
_VAGUE = re.compile(rf"\b(?P<vague>{'|'.join(VAGUE)})\s+(?P<mag>{_VAGUE_MAG})\b|\b(?P<solo>{_SOLO})\b", re.I)

# ---------------------------------------------------------------- where to look (speed only)
# Scanning the seven patterns over a whole post costs ~0.4 ms per 1,000 characters.  So each
# one is run only where it can match, and always through the pattern itself (``match`` at
# every possible start, or ``finditer`` over windows), which gives exactly the matches of a
# scan of the whole text.  Lookbehinds and "\b" see the whole text whatever the start.
#
# Digit patterns: a match of _WITH_MAGNITUDE, _CURRENCY_AFTER or _BARE starts at the first
# digit of a run of digits (their lookbehinds reject a digit before it), and a match of
# _WITH_CURRENCY has that digit at most _CUR_REACH characters after its start ("Rp. 5").
_RUN_START = re.compile(r"\d(?<!\d\d)")
_CUR_REACH = 4  # the longest currency ("rp.", "us$") and one space
#
# Word patterns: every match of _WORDS, _SE and _VAGUE holds a magnitude word (_MAGS) followed
# by a word boundary, and preceded by a non-word character ("dua juta", "se-M", "miliaran")
# or by "se" ("sejuta").  _WORD_ANCHOR finds them (and a few words more: it only must miss
# none) for a fraction of the cost of the three patterns: it starts with a plain character
# class, not a case-insensitive letter, so the regex engine skips ahead fast.  The class holds
# every character IGNORECASE equates with those letters (non-ASCII ones exist for i, k, s only).
_IGNORECASE_EXTRA = {"i": "İı", "k": "K", "s": "ſ"}
_MAGS = {w for alt in (_BIG, _SE_MAG, _VAGUE_MAG, _SOLO) for w in alt.split("|")}
_FIRST = "".join(sorted({c for w in _MAGS for c in w[0] + w[0].upper() + _IGNORECASE_EXTRA.get(w[0], "")}))
_TAILS = "|".join(sorted({w[1:] for w in _MAGS if len(w) > 1}, key=len, reverse=True))
_WORD_ANCHOR = re.compile(rf"[{_FIRST}](?:(?<!\w.)|(?<=(?i:se).))(?i:{_TAILS})?(?!\w)")
# _SE is matched where "se" or "se-" would start before an anchor.  A match of _WORDS or
# _VAGUE is made of number words, magnitude words and spaces only: it never holds any other
# character (a "k", a digit, a comma, an emoji...).  Their windows run from just after the
# last such character before an anchor to one past the anchor (a non-word character, so the
# cut changes no "\b"); overlapping windows are merged, so "dua ribu juta" stays whole.
_WORD_LETTERS = {c for w in [*NUMBER_WORDS, *MULTIPLIERS, *VAGUE, *_MAGS] for c in w}
_NO_BREAK_RUN = re.compile(rf"[\s{re.escape(''.join(sorted(_WORD_LETTERS)))}]*", re.I)


def _in_windows(pattern: re.Pattern, text: str, windows):
    """``pattern.finditer(text)`` when every match lies in one of ``windows`` (ascending)."""
    for start, end in windows:
        yield from pattern.finditer(text, start, end)


def _with_currency(text: str, runs: list[int]):
    """``_WITH_CURRENCY.finditer(text)``, looking only just before each run of digits."""
    end = 0
    for d in runs:
        pos = max(d - _CUR_REACH, end)
        while pos < d:
            # A match starting before the run needs nothing past its first digit to be found,
            # so the search stops there; the match itself is then taken on the whole text.
            cut = _WITH_CURRENCY.search(text, pos, d + 1)
            if cut is None:
                break
            if m := _WITH_CURRENCY.match(text, cut.start()):
                yield m
                end = m.end()
                break
            pos = cut.start() + 1


def _word_windows(text: str, anchors: list[re.Match]) -> list[list[int]]:
    """Windows for _WORDS and _VAGUE: see above."""
    reverse = text[::-1]  # reverse[len(text) - i] is text[i - 1]
    windows: list[list[int]] = []
    for a in anchors:
        # The run back from this anchor stops at the previous window's end: reaching it means
        # the two windows merge anyway, and each character is then read once (linear time on
        # "juta juta juta …").
        stop = len(text) - windows[-1][1] if windows else len(text)
        run = _NO_BREAK_RUN.match(reverse, len(text) - a.start(), max(stop, len(text) - a.start()))
        start, end = a.start() - (run.end() - run.start()), min(a.end() + 1, len(text))
        if windows and start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
        else:
            windows.append([start, end])
    return windows


def parse_number(text: str) -> float:
    """'2.500.000' → 2500000, '1,2' → 1.2, '2.5' → 2.5, '12,500' → 12500."""
    seps = [i for i, c in enumerate(text) if c in ".,"]
    if not seps:
        return float(text)
    last = seps[-1]
    decimals = len(text) - last - 1
    if decimals == 3 and (len(seps) > 1 or len(text[:last]) <= 3):
        # every separator groups thousands ("2.500.000", "5.000")
        return float(text.replace(".", "").replace(",", ""))
    whole = text[:last].replace(".", "").replace(",", "")
    return float(f"{whole}.{text[last + 1:]}")


def parse_words(words: list[str]) -> float:
    """['lima', 'ratus'] → 500; ['seratus', 'lima', 'puluh'] → 150; ['dua', 'setengah'] → 2.5."""
    acc, pending = 0.0, None
    for w in words:
        if w == "setengah":
            acc += (pending or 0) + 0.5
            pending = None
        elif w == "belas":
            acc += (pending or 1) + 10
            pending = None
        elif w in MULTIPLIERS:
            acc += (pending or 1) * MULTIPLIERS[w]
            pending = None
        elif w == "ribu":
            acc = (acc + (pending or 0) or 1) * 1000
            pending = None
        elif w in NUMBER_WORDS:
            if pending is not None:
                acc += pending
            pending = NUMBER_WORDS[w]
    return acc + (pending or 0)


def _magnitude(mag: str | None, foreign: bool, cur_explicit: bool) -> float | None:
    if not mag:
        return 1.0
    key = mag.lower()
    if foreign and key in MAGNITUDE_FOREIGN:
        return MAGNITUDE_FOREIGN[key]
    if key == "m" and mag == "m" and not cur_explicit:
        return None  # "600 m" is metres
    if key == "t" and mag == "t":
        return None  # "5 t" is tonnes
    return MAGNITUDE.get(key)


def _rate(cur: str | None) -> tuple[float, bool]:
    if not cur:
        return 1.0, False
    key = cur.lower().rstrip(".")
    key = {"dolar": "usd", "dollar": "usd", "euro": "eur", "ringgit": "myr", "rupiah": "idr"}.get(key, key)
    rate = CURRENCY.get(key, 1.0)
    return rate, rate != 1.0


def _words_before(text: str, pos: int, n: int) -> list[str]:
    return [w.lower() for w in _WORD.findall(text, max(0, pos - 60), pos)][-n:]


def _counted(text: str, end: int) -> bool:
    """'1,2 juta penduduk', '2M views': the next word (after a space) is a counted noun."""
    m = _NEXT_WORDS.match(text, end, end + 40)
    if not m:
        return False
    first = m.group(1).lower()
    return first in COUNT_NOUNS or (m.group(2) is not None and f"{first} {m.group(2).lower()}" in COUNT_NOUNS)


def _campaign(text: str, start: int, end: int, mag: str | None) -> bool:
    """'3M Plus', 'gerakan 5M': a campaign's letters after a small whole number."""
    if mag != "M":
        return False
    after = text[end:end + 8].strip().lower()
    if any(after.startswith(a) for a in CAMPAIGN_AFTER):
        return True
    return bool(set(_words_before(text, start, 2)) & CAMPAIGN_BEFORE)


def _after_money_word(text: str, start: int) -> bool:
    return bool(set(_words_before(text, start, MONEY_WORD_WINDOW)) & MONEY_WORDS)


@register("money", labels=("MONEY",))
def find_money(doc):
    text = doc_text(doc)
    found: list[EntityMatch] = []
    # Spans already taken, kept sorted and non-overlapping: a new match is tested against its
    # two neighbours only (a post of 10,000 amounts is not 10,000² comparisons).
    taken_starts: list[int] = []
    taken_ends: list[int] = []
    runs = [m.start() for m in _RUN_START.finditer(text)]
    anchors = list(_WORD_ANCHOR.finditer(text))
    windows = _word_windows(text, anchors) if anchors else []
    se_starts = sorted({p for a in anchors for p in (a.start() - 3, a.start() - 2) if p >= 0})  # "se-M", "sejuta"

    def add(start, end, value, **attrs):
        if value is None or value <= 0:
            return
        i = bisect.bisect_left(taken_starts, start)
        if i < len(taken_starts) and taken_starts[i] < end:
            return  # a span taken earlier starts inside this one
        if i > 0 and taken_ends[i - 1] > start:
            return  # the span before this one reaches into it
        taken_starts.insert(i, start)
        taken_ends.insert(i, end)
        found.append(EntityMatch("MONEY", start, end, value, attrs))

    for m in _with_currency(text, runs):
        rate, foreign = _rate(m.group("cur"))
        mag = _magnitude(m.group("mag"), foreign, True)
        if mag is None:
            continue
        add(m.start(), m.end(), parse_number(m.group("num")) * mag * rate, currency=m.group("cur"))
    for m in _at_starts(_WITH_MAGNITUDE, text, runs):
        rate, foreign = _rate(m.group("cur"))
        explicit = bool(m.group("cur"))
        mag = _magnitude(m.group("mag"), foreign, explicit)
        if mag is None and m.group("mag") == "m" and _after_money_word(text, m.start()):
            mag = MAGNITUDE["m"]  # "total abis 1,8m"
        if mag is None:
            continue
        if not explicit and (_counted(text, m.end()) or _campaign(text, m.start(), m.end(), m.group("mag"))):
            continue
        attrs = {"currency": m.group("cur") or "rp"}
        if m.group("hi"):
            attrs["range_high"] = parse_number(m.group("hi")) * mag * rate
        add(m.start(), m.end(), parse_number(m.group("num")) * mag * rate, **attrs)
    for m in _at_starts(_CURRENCY_AFTER, text, runs):
        rate, _ = _rate(m.group("cur"))
        add(m.start(), m.end(), parse_number(m.group("num")) * rate, currency=m.group("cur"))
    for m in _at_starts(_BARE, text, runs):
        if not _after_money_word(text, m.start()):
            continue
        if m.group("num"):
            add(m.start(), m.end(), parse_number(m.group("num")), currency="rp")
        else:
            add(m.start(), m.end(), parse_number(m.group("mnum")) * MAGNITUDE["m"], currency="rp")
    for m in _in_windows(_WORDS, text, windows):
        words = m.group("words").lower().split()
        mag = _magnitude(m.group("mag"), False, True)
        if mag and mag >= 1e3 and not _counted(text, m.end()):
            add(m.start(), m.end(), parse_words(words) * mag, currency="rp", words=True)
    for m in _at_starts(_SE, text, se_starts):
        if _counted(text, m.end()):
            continue
        add(m.start(), m.end(), MAGNITUDE.get(m.group("mag").lower(), 0), currency="rp", words=True)
    for m in _in_windows(_VAGUE, text, windows):
        if _counted(text, m.end()):
            continue
        if m.group("solo"):
            base = 1e9 if m.group("solo").lower().startswith("mil") else 1e12
            add(m.start(), m.end(), base, currency="rp", approx=True)
        else:
            mag = MAGNITUDE.get(m.group("mag").lower(), 1.0)
            # case-insensitive matching also accepts "ratuſan" (long s), which lower() keeps
            vague = VAGUE.get(m.group("vague").lower())
            if vague is not None:
                add(m.start(), m.end(), vague * mag, currency="rp", approx=True)
    found.sort(key=lambda e: e.start)
    return found
