"""TikTok "Download your data" (JSON format): ``user_data.json`` (``user_data_tiktok.json``
since 2024), one object:

- posts: ``{"Video": {"Videos": {"VideoList": [...]}}}`` (newer: ``"Post"`` / ``"Posts"``),
  each ``{"Date": "2023-01-02 10:11:12", "Link": "https://…", "Likes": "3", "Title": "deskripsi"}``
  (older exports call the description ``Desc`` or have none);
- comments: ``{"Comment": {"Comments": {"CommentsList": [{"Date"|"date", "Comment"|"comment"}]}}}``.

Dates are UTC. Everything else in the file (watch history, likes, messages) is skipped
unread, at C speed, never descended into.
"""

from __future__ import annotations

from ..jsonstream import DESCEND, SKIP, TAKE, records
from ..model import Post, clean_text, parse_date

_POST_ROOTS, _POST_LISTS = ("post", "video"), ("posts", "videos")
_TEXT_KEYS = ("title", "desc", "description", "videodescription", "caption")


def choose(path):
    n = len(path)
    if n == 0:
        return DESCEND
    k = [str(p).lower() for p in path]
    if k[0] in _POST_ROOTS:
        if n == 1 or (n == 2 and k[1] in _POST_LISTS) or (n == 3 and k[1] in _POST_LISTS and k[2] == "videolist"):
            return DESCEND
        if n == 4 and k[3] == "*":
            return TAKE
        return SKIP
    if k[0] == "comment":
        if n == 1 or (n == 2 and k[1] in ("comments", "commentslist")) or (n == 3 and k[2] == "commentslist"):
            return DESCEND
        if k[-1] == "*" and "commentslist" in k:
            return TAKE
        return SKIP
    return SKIP


def _get(rec: dict, keys):
    low = {str(k).lower(): v for k, v in rec.items()}
    for k in keys:
        v = low.get(k)
        if isinstance(v, str) and v.strip() and v.strip().upper() != "N/A":
            return v
    return ""


class TikTokFormat:
    id = "tiktok"
    label = "TikTok"

    def claim(self, entry, head):
        base = entry.basename.lower()
        if base in ("user_data.json", "user_data_tiktok.json"):
            return "user_data"
        if base.endswith(".json"):
            h = head(entry)[:3000]
            if h.lstrip().startswith("{") and any(k in h for k in ('"Your Activity"', '"Activity"', '"App Settings"',
                                                                    '"Tiktok Live"')) and '"Profile"' in h:
                return "user_data"
        return None

    def parse(self, entry, part, ctx):
        with entry.open_text() as fh:
            for path, rec in records(fh, choose):
                if not isinstance(rec, dict):
                    continue
                date = parse_date(_get(rec, ("date",)))
                if str(path[0]).lower() == "comment":
                    text = clean_text(_get(rec, ("comment", "text")))
                    if text:
                        yield Post("tiktok", "comment", date, text, _get(rec, ("url", "link")) or None, entry.name)
                else:
                    text = clean_text(_get(rec, _TEXT_KEYS))
                    if text:
                        yield Post("tiktok", "post", date, text, _get(rec, ("link",)) or None, entry.name)


FORMAT = TikTokFormat()
