"""PHONE / PHONE_LANDLINE: Indonesian phone numbers (+62 / 62 / 0…), validated with ``phonenumbers``.

A regex over ``doc.text`` finds candidates in the ways people type them
(``0812-6543-2190``, ``+62 812 3456 7890``, ``6281234567890``, ``(061) 4520 771``); each
candidate is parsed and validated with Google's libphonenumber metadata (region ID), which
rejects times (``08.00-16.00``), dates, amounts and account numbers.

Mobile numbers are ``PHONE``, fixed lines ``PHONE_LANDLINE`` (mostly offices).  ``attrs``: ``label`` ("nomor HP" for mobile numbers, "nomor telepon" for landlines),
``kind`` ("mobile" | "landline"), ``masked`` (``0812****2190``: first four and last four
digits).  Whether a number is an official hotline is context, decided by the rule.
"""

from __future__ import annotations

import functools
import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

from ..doctext import doc_text
from . import EntityMatch, register

# +62 / 62 / 0 prefix, then 8–13 more digits in groups separated by a space, dot or dash.
_CAND = re.compile(
    r"(?<![\w+.,/\-])(?:\+62[ .\-]?|62|\(0\d{2,3}\)[ .\-]?|0)\d{1,4}(?:[ .\-]?\d{2,5}){1,4}(?![\w/]|[.,\-]\d)"
)

# Speed: every match of _CAND starts with "+", "(", "0" or "6" that follows no word character,
# "+", ".", ",", "/" or "-" (its lookbehind).  _START finds those characters (a plain character
# class lets the regex engine skip ahead fast) and _CAND is matched only there: the same matches
# as ``_CAND.finditer`` over the whole text, at a fraction of the cost.
_START = re.compile(r"[+(06](?<![\w+.,/\-].)")
_AMOUNT = re.compile(r"\d{1,3}(?:\.\d{3})+")

_MOBILE = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
_FIXED = {PhoneNumberType.FIXED_LINE, PhoneNumberType.VOIP}


def mask_phone(raw: str) -> str:
    d = re.sub(r"\D", "", raw)
    if d.startswith("62"):
        d = "0" + d[2:]
    return d[:4] + "*" * max(0, len(d) - 8) + d[-4:]


@functools.lru_cache(maxsize=1024)  # bounded; a post that repeats one number parses it once
def classify(raw: str) -> str | None:
    """'mobile', 'landline' or None when ``raw`` is not a valid Indonesian number."""
    d = re.sub(r"\D", "", raw)
    if not 9 <= len(d) <= 15:
        return None
    try:
        num = phonenumbers.parse(raw, "ID")
    except NumberParseException:
        return None
    if num.country_code != 62 or not phonenumbers.is_valid_number(num):
        return None
    kind = phonenumbers.number_type(num)
    if kind in _MOBILE and str(num.national_number).startswith("8"):
        return "mobile"
    if kind in _FIXED or kind in _MOBILE:
        return "landline"
    return None


@register("phone", labels=("PHONE", "PHONE_LANDLINE"))
def find_phones(doc):
    text = doc_text(doc)
    found = []
    end = 0
    for start in _START.finditer(text):
        if start.start() < end or not (m := _CAND.match(text, start.start())):
            continue
        end = m.end()
        raw = m.group(0)
        if _AMOUNT.fullmatch(raw):
            continue  # "0.250.000"-like amounts
        kind = classify(raw)
        if kind is None:
            continue
        label = "nomor HP" if kind == "mobile" else "nomor telepon"
        found.append(EntityMatch("PHONE" if kind == "mobile" else "PHONE_LANDLINE", m.start(), m.end(), None,
                                 {"label": label, "kind": kind, "masked": mask_phone(raw)}))
    return found
