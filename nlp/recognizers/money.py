"""MONEY: amounts of money in the many ways Indonesians write them, with a rupiah value.

"Rp 2,5 M", "2.5M", "250jt", "250 jt", "1,2 miliar", "Rp 2.500.000", "setengah miliar",
"lima ratus juta", "sejuta", "ratusan juta", "$10k", "€5.000", "10 ribu dolar" …
Each match carries ``value`` in rupiah (foreign currencies at a rough fixed rate from
``data/money.toml``) so rules can say "a personal purchase above Rp 50 juta".

A bare number is money only with a currency sign or a magnitude word: "3.000 undangan" is a
head count, "M5,2" an earthquake.  A lower-case "m" after a number means metres unless a
currency sign precedes it.
"""

from __future__ import annotations

import re
import tomllib
from importlib.resources import files

from . import EntityMatch, register

_CFG = tomllib.loads(files("nlp").joinpath("data/money.toml").read_text(encoding="utf-8"))
CURRENCY = {k.lower(): float(v) for k, v in _CFG["currency_idr"].items()}
MAGNITUDE = {k.lower(): float(v) for k, v in _CFG["magnitude"].items()}
MAGNITUDE_FOREIGN = {k.lower(): float(v) for k, v in _CFG["magnitude_foreign"].items()}
VAGUE = {k: float(v) for k, v in _CFG["vague"].items()}
NUMBER_WORDS = {k: float(v) for k, v in _CFG["number_words"].items()}
MULTIPLIERS = {k: float(v) for k, v in _CFG["number_multipliers"].items()}

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
    rf"(?<![\w.,$€£¥])(?P<num>{_NUM})\s?(?P<mag>{_MAG}){_END}(?:\s?an{_END})?(?:\s?(?P<cur>{_CUR_AFTER}){_END})?", re.I
)
# Currency word after: "5.000 euro", "100 dolar"
_CURRENCY_AFTER = re.compile(rf"(?<![\w.,])(?P<num>{_NUM})\s?(?P<cur>{_CUR_AFTER}){_END}", re.I)

_NUMWORD = "|".join(sorted(list(NUMBER_WORDS) + list(MULTIPLIERS) + ["ribu"], key=len, reverse=True))
_BIG = r"juta|jt|miliar|milyar|triliun|m|t"
# "lima ratus juta", "setengah miliar", "seratus lima puluh juta", "dua setengah M"
_WORDS = re.compile(rf"\b(?P<words>(?:(?:{_NUMWORD})\s+)+)(?P<mag>{_BIG})\b", re.I)
# "sejuta", "semiliar", "se-M", "setriliun"
_SE = re.compile(r"\bse-?(?P<mag>juta|jt|miliar|milyar|m|triliun)\b", re.I)
# "ratusan juta", "puluhan juta", "miliaran", "jutaan rupiah"
_VAGUE = re.compile(rf"\b(?P<vague>{'|'.join(VAGUE)})\s+(?P<mag>ribu|juta|jt|miliar|milyar)\b|\b(?P<solo>miliaran|milyaran|triliunan)\b", re.I)


def parse_number(text: str) -> float:
    """'2.500.000' → 2500000, '1,2' → 1.2, '2.5' → 2.5, '12,500' → 12500."""
    seps = [i for i, c in enumerate(text) if c in ".,"]
    if not seps:
        return float(text)
    last = seps[-1]
    decimals = len(text) - last - 1
    if decimals == 3 and (len(seps) > 1 or len(text[:last]) <= 3):
        # every separator groups thousands ("2.500.000", "5.000")
        return float(re.sub(r"[.,]", "", text))
    whole = re.sub(r"[.,]", "", text[:last])
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


@register("money")
def find_money(doc):
    text = doc.text
    found: list[EntityMatch] = []
    taken: list[tuple[int, int]] = []

    def add(start, end, value, **attrs):
        if value is None or value <= 0:
            return
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append(EntityMatch("MONEY", start, end, value, attrs))

    for m in _WITH_CURRENCY.finditer(text):
        rate, foreign = _rate(m.group("cur"))
        mag = _magnitude(m.group("mag"), foreign, True)
        if mag is None:
            continue
        add(m.start(), m.end(), parse_number(m.group("num")) * mag * rate, currency=m.group("cur"))
    for m in _WITH_MAGNITUDE.finditer(text):
        rate, foreign = _rate(m.group("cur"))
        mag = _magnitude(m.group("mag"), foreign, bool(m.group("cur")))
        if mag is None:
            continue
        add(m.start(), m.end(), parse_number(m.group("num")) * mag * rate, currency=m.group("cur") or "rp")
    for m in _CURRENCY_AFTER.finditer(text):
        rate, _ = _rate(m.group("cur"))
        add(m.start(), m.end(), parse_number(m.group("num")) * rate, currency=m.group("cur"))
    for m in _WORDS.finditer(text):
        words = m.group("words").lower().split()
        mag = _magnitude(m.group("mag"), False, True)
        if mag and mag >= 1e6:
            add(m.start(), m.end(), parse_words(words) * mag, currency="rp", words=True)
    for m in _SE.finditer(text):
        add(m.start(), m.end(), MAGNITUDE.get(m.group("mag").lower(), 0), currency="rp", words=True)
    for m in _VAGUE.finditer(text):
        if m.group("solo"):
            base = 1e9 if m.group("solo").lower().startswith("mil") else 1e12
            add(m.start(), m.end(), base, currency="rp", approx=True)
        else:
            mag = MAGNITUDE.get(m.group("mag").lower(), 1.0)
            add(m.start(), m.end(), VAGUE[m.group("vague").lower()] * mag, currency="rp", approx=True)
    found.sort(key=lambda e: e.start)
    return found
