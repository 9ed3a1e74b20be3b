"""Any CSV or JSON Lines file with a text column (what other tools or an office export).

The text column is the first of ``text, full_text, teks, content, konten, isi, message, pesan,
caption, post, body, tweet, komentar, comment`` (any case); the date column the first of
``date, created_at, timestamp, time, tanggal, waktu, datetime``; the link ``url, link, tautan,
permalink``; the platform ``platform``. A ``.json`` file that is an array of such objects
works too.
"""

from __future__ import annotations

import json

from ..errors import SkipFile
from ..jsonstream import DESCEND, SKIP, TAKE, records
from ..model import Post, clean_text, parse_date
from ._csv import header_of, rows

TEXT_COLS = ("text", "full_text", "teks", "content", "konten", "isi", "message", "pesan", "caption", "post", "body",
             "tweet", "komentar", "comment")
DATE_COLS = ("date", "created_at", "timestamp", "time", "tanggal", "waktu", "datetime", "created")
URL_COLS = ("url", "link", "tautan", "permalink")
KNOWN_PLATFORMS = ("x", "twitter", "facebook", "instagram", "threads", "tiktok", "linkedin", "youtube", "whatsapp")


def _first(low: dict, names):
    for n in names:
        if n in low:
            return n
    return None


def _post(obj: dict, fmt: str, name: str):
    low = {str(k).strip().lower(): v for k, v in obj.items()}
    tcol = _first(low, TEXT_COLS)
    if tcol is None:
        return None
    text = clean_text(low[tcol] if isinstance(low[tcol], str) else "")
    if not text:
        return None
    dcol, ucol = _first(low, DATE_COLS), _first(low, URL_COLS)
    platform = str(low.get("platform") or "").strip().lower()
    if platform == "twitter":
        platform = "x"
    url = low.get(ucol) if ucol else None
    return Post(platform if platform in KNOWN_PLATFORMS else fmt, "post", parse_date(low.get(dcol)) if dcol else None,
                text, url.strip() if isinstance(url, str) and url.strip() else None, name)


def _choose(path):
    if not path:
        return DESCEND
    return TAKE if len(path) == 1 and path[0] == "*" else SKIP


class GenericFormat:
    id = "csv"
    label = "CSV/JSONL"

    def claim(self, entry, head):
        low = entry.lower
        if low.endswith(".csv"):
            cols = [c.lower() for c in header_of(head(entry))]
            return "csv" if any(c in TEXT_COLS for c in cols) else None
        if low.endswith((".jsonl", ".ndjson")):
            return "jsonl"
        if low.endswith(".json") and head(entry).lstrip().startswith("[{"):
            first = head(entry)[:2000].lower()
            return "json" if any(f'"{c}"' in first for c in TEXT_COLS) else None
        return None

    def parse(self, entry, part, ctx):
        if part == "csv":
            for row in rows(entry):
                p = _post(row, "csv", entry.name)
                if p:
                    yield p
            return
        if part == "json":
            with entry.open_text() as fh:
                for _, obj in records(fh, _choose):
                    if isinstance(obj, dict):
                        p = _post(obj, "jsonl", entry.name)
                        if p:
                            yield p
            return
        with entry.open_text() as fh:
            try:
                for n, line in enumerate(fh, 1):
                    line = line.strip()
                    if not line:
                        continue
                    try:
                        obj = json.loads(line)
                    except json.JSONDecodeError:
                        ctx.note(entry.name, f"baris {n} bukan JSON yang valid, dilewati")
                        continue
                    if isinstance(obj, dict):
                        p = _post(obj, "jsonl", entry.name)
                        if p:
                            yield p
            except UnicodeDecodeError:
                raise SkipFile("berkas bukan teks UTF-8") from None


FORMAT = GenericFormat()
