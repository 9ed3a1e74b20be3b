"""YouTube comments from Google Takeout ("YouTube and YouTube Music").

- 2023 on: ``Takeout/YouTube and YouTube Music/comments/comments.csv`` (long histories split
  into ``comments(1).csv`` …; folder and column names follow the account's language), columns
  ``Comment ID, Channel ID, Comment Create Timestamp, Price, Parent Comment ID, Video ID,
  Comment Text``; the text is a list of JSON segments, ``{"text":"Mantap "},{"text":"pak"}``.
  Columns are found by their English names or, in another language, by their content (the
  JSON segments, the ISO time stamp, the 11-character video id);
- before 2023: ``…/my-comments/my-comments.html``, one ``<li>`` per comment with a link to
  the video (``&lc=`` the comment id) and the text after the last ``<br>``.

Links point to the comment (``watch?v=<video>&lc=<comment>``).
"""

from __future__ import annotations

import html as htmlmod
import json
import re

from ..errors import SkipFile
from ..model import Post, clean_text, parse_date
from ._csv import header_of, rows

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_SEGMENTS = re.compile(r'^\s*\{\s*"(text|mention|link)')


def segments_text(cell: str) -> str:
    """'{"text":"a "},{"text":"b"}' → 'a b' (mentions and links keep their visible text)."""
    if not _SEGMENTS.match(cell or ""):
        return cell or ""
    try:
        parts = json.loads("[" + cell + "]")
    except json.JSONDecodeError:
        return cell
    out = []
    for p in parts:
        if isinstance(p, dict):
            if isinstance(p.get("text"), str):
                out.append(p["text"])
            elif isinstance(p.get("mention"), dict):
                out.append(str(p["mention"].get("text") or p["mention"].get("name") or ""))
            elif isinstance(p.get("link"), dict):
                out.append(str(p["link"].get("text") or p["link"].get("url") or ""))
    return "".join(out)


def _pick(row: dict):
    """Text, date, video id and comment id of a row, by column name or by content."""
    low = {k.lower(): v for k, v in row.items()}
    text = low.get("comment text")
    date = low.get("comment create timestamp")
    video = low.get("video id")
    cid = low.get("comment id")
    values = list(row.values())
    if text is None:
        text = next((v for v in values if _SEGMENTS.match(v or "")), "")
    if date is None:
        date = next((v for v in values if _ISO.match(v or "")), "")
    if video is None:
        video = next((v for v in reversed(values) if _VIDEO_ID.match(v or "")), "")
    if cid is None and values:
        cid = values[0] if "_" not in values[0][:2] and len(values[0]) > 15 else ""
    return segments_text(text), date, video, cid


_LI = re.compile(r"<li[^>]*>(.*?)</li>", re.S | re.I)
_HREF = re.compile(r'href="(https?://www\.youtube\.com/watch\?[^"]+)"', re.I)
_TAG = re.compile(r"<[^>]+>")


class YouTubeFormat:
    id = "youtube"
    label = "YouTube"

    def claim(self, entry, head):
        low = entry.lower
        if low.endswith(".csv"):
            cols = {c.lower() for c in header_of(head(entry))}
            if {"comment text", "video id"} <= cols:
                return "comments_csv"
            if "youtube" in low and ("/comments/" in low or "/komentar/" in low or "comment" in entry.basename.lower()):
                return "comments_csv"
            return None
        if low.endswith((".html", ".htm")) and "youtube" in low and "comment" in entry.basename.lower():
            return "comments_html"
        return None

    def parse(self, entry, part, ctx):
        if part == "comments_csv":
            for row in rows(entry):
                text, date, video, cid = _pick(row)
                text = clean_text(text)
                if not text:
                    continue
                url = None
                if video:
                    url = f"https://www.youtube.com/watch?v={video}" + (f"&lc={cid}" if cid else "")
                yield Post("youtube", "comment", parse_date(date), text, url, entry.name)
            return
        with entry.open_text() as fh:
            try:
                doc = fh.read()
            except UnicodeDecodeError:
                raise SkipFile("berkas bukan teks UTF-8") from None
        for m in _LI.finditer(doc):
            block = m.group(1)
            href = _HREF.search(block)
            pieces = [htmlmod.unescape(_TAG.sub("", p)).strip() for p in re.split(r"<br\s*/?>", block, flags=re.I)]
            pieces = [p for p in pieces if p]
            if len(pieces) < 2:
                continue
            text = clean_text(pieces[-1])
            date = None
            for p in pieces[:-1]:
                date = parse_date(p)
                if date:
                    break
            if text:
                url = htmlmod.unescape(href.group(1)) if href else None
                yield Post("youtube", "comment", date, text, url, entry.name)


FORMAT = YouTubeFormat()
