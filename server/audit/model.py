"""What every format parser yields: a ``Post``, plus the helpers they share (dates, text repair)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, timezone

KINDS = ("post", "comment", "message")


@dataclass(slots=True)
class Post:
    platform: str            # x, facebook, instagram, threads, tiktok, linkedin, youtube, whatsapp, csv, jsonl
    kind: str                # post | comment | message
    date: datetime | None    # aware (UTC) when the export says; WhatsApp: the phone's local time, naive
    text: str
    url: str | None = None
    source: str = ""         # the file inside the archive it came from

    def iso_date(self) -> str | None:
        if self.date is None:
            return None
        return self.date.isoformat(timespec="seconds")

    def sort_key(self) -> float:
        """Newest first; posts without a date last. Naive (local) times are taken as UTC."""
        if self.date is None:
            return float("-inf")
        d = self.date if self.date.tzinfo else self.date.replace(tzinfo=timezone.utc)
        return d.timestamp()


def fix_mojibake(s: str) -> str:
    """Undo Facebook's and Instagram's broken encoding.

    Their JSON writes each UTF-8 *byte* of a non-ASCII character as its own ``\\u00XX`` escape,
    so "Pergi ke Café 😍" decodes to "Pergi ke CafÃ© Ã°ÂŸÂ˜Â". When every character of a string
    is below U+0100, those characters are the original bytes: re-encoding as Latin-1 and
    decoding as UTF-8 gives the text back. A string that is already correct either has a
    character above U+00FF or is not valid UTF-8 as bytes, and is kept as it is.
    """
    if not s or s.isascii():
        return s
    try:
        return s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s


def from_epoch(value) -> datetime | None:
    try:
        ts = float(value)
    except (TypeError, ValueError):
        return None
    if ts > 1e12:  # milliseconds
        ts /= 1000.0
    if not 0 < ts < 4102444800:  # before 2100
        return None
    return datetime.fromtimestamp(ts, tz=timezone.utc)


_TZ_ABBR = re.compile(r"\s*(UTC|GMT|Z)$", re.I)


def parse_date(value) -> datetime | None:
    """Dates as exports write them: epoch numbers, ISO 8601, 'YYYY-MM-DD HH:MM:SS' (UTC), X's
    'Wed Oct 10 20:19:24 +0000 2018'."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return from_epoch(value)
    s = str(value).strip()
    if not s or s.upper() == "N/A":
        return None
    if re.fullmatch(r"\d{9,13}(\.\d+)?", s):
        return from_epoch(s)
    try:
        return datetime.strptime(s, "%a %b %d %H:%M:%S %z %Y")
    except ValueError:
        pass
    t = _TZ_ABBR.sub("", s)
    if t.endswith("Z"):
        t = t[:-1] + "+00:00"
    try:
        d = datetime.fromisoformat(t)
    except ValueError:
        d = None
        for fmt in ("%Y/%m/%d %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y/%m/%d",
                    "%b %d, %Y, %I:%M:%S %p", "%d %b %Y, %H:%M:%S", "%b %d, %Y %I:%M:%S %p"):
            try:
                d = datetime.strptime(t, fmt)
                break
            except ValueError:
                continue
        if d is None:
            return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    return d


def clean_text(s) -> str:
    if not isinstance(s, str):
        return ""
    return s.replace("\r\n", "\n").replace("\r", "\n").strip()


def unescape_html(s: str) -> str:
    """X stores '&amp;', '&lt;' and '&gt;' escaped in full_text."""
    return html.unescape(s) if "&" in s else s
