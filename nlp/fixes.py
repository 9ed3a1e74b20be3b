"""One-click fixes: the ``replacements`` a finding offers (see the contract).

A fix is offered only where it keeps what the post is about and removes exactly the risky part:

* an identifying number (NIK, KK, NIP, NPWP, phone, bank account) is masked: the first and last
  four digits stay, every digit between becomes ``*`` and separators stay where they were
  (``3201011508900001`` → ``3201********0001``), so the post still says "my number is …";
* a price or sum shown off, a campaign hashtag and a candidate's ballot number are dropped
  (``""``): the sentence around them stands without them.

Everything else (a brand, an insult, a call to vote) has no replacement that keeps the meaning;
the finding's suggestion says what to write instead. Kept apart from the rule engine: the rules
say *what* is risky, this module only says how to take it out.
"""

from __future__ import annotations

import re

# Rules whose evidence is an identifying number: masked.
MASK_RULES = frozenset({
    "personal_data.nik", "personal_data.kk", "personal_data.nip", "personal_data.npwp",
    "personal_data.phone", "personal_data.home_phone", "personal_data.bank_account",
})
# Rules whose evidence can go without changing what the post is about: dropped.
DROP_RULES = frozenset({
    "flexing.big_personal_spend",                 # "Rp 250 juta", "1,2 M"
    "political_neutrality.campaign_hashtag",
    "political_neutrality.candidate_hashtag",
    "political_neutrality.candidate_number",      # "nomor urut 3"
})

KEEP_DIGITS = 4
_AMOUNT = re.compile(r"^(rp\.?\s*)?[\d.,]+(\s*(rb|ribu|jt|juta|m|miliar|milyar|t|triliun|k))?$", re.I)
_HASHTAG = re.compile(r"^#\w+$")
_NUMBER_ONLY = re.compile(r"^(nomor|no\.?)\s*(urut\s*)?\d{1,2}$", re.I)


def mask_digits(text: str, keep: int = KEEP_DIGITS) -> str | None:
    """Mask every digit but the first and last ``keep``; None when too short to mask."""
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    if len(digits) <= 2 * keep:
        return None
    hidden = set(digits[keep:-keep])
    return "".join("*" if i in hidden else c for i, c in enumerate(text))


def replacements_for(rule_id: str, text: str) -> tuple[str, ...]:
    """The one-click fixes for a finding of ``rule_id`` whose evidence is ``text``."""
    if rule_id in MASK_RULES:
        masked = mask_digits(text)
        return (masked,) if masked else ()
    if rule_id in DROP_RULES:
        t = text.strip()
        if rule_id == "flexing.big_personal_spend" and not _AMOUNT.match(t):
            return ()
        if rule_id.endswith("_hashtag") and not _HASHTAG.match(t):
            return ()
        if rule_id == "political_neutrality.candidate_number" and not _NUMBER_ONLY.match(t):
            return ()
        return ("",)
    return ()
