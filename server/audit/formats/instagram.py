"""Instagram "Download your information" (JSON), with Threads inside it.

Layouts:
- 2021-2023: ``content/posts_1.json`` (array of posts), ``comments/post_comments.json``
  (``{"comments_media_comments": [{"string_list_data": [{"value", "timestamp"}], "title"}]}``)
  or ``post_comments_1.json``, ``comments/reels_comments.json``;
- 2023 on: ``your_instagram_activity/content/posts_1.json`` (2024 on ``…/media/posts_1.json``),
  ``…/comments/post_comments_1.json`` as an array of
  ``{"string_map_data": {"Comment": {"value"}, "Media Owner": {"value"}, "Time": {"timestamp"}}}``
  (the keys follow the account's language: "Komentar", "Waktu" …), ``reels.json``, ``stories.json``;
- Threads: ``your_instagram_activity/threads/threads_and_replies.json`` as
  ``{"text_post_app_text_posts": [{"media": [{"title", "creation_timestamp"}]}]}``;
- before 2021: ``media.json`` (``{"photos": [{"caption", "taken_at"}], "videos": …}``) and
  ``comments.json`` (``{"media_comments": [["2019-05-01T10:00:00", "teks", "pemilik"], …]}``).

A post: ``{"media": [{"uri", "creation_timestamp", "title": "caption"}], "title": …}``: the
caption is the post's ``title`` or, for one photo, its media's ``title``. The same mojibake as
Facebook, repaired. Exports have no link to the original.
"""

from __future__ import annotations

import re

from ..jsonstream import DESCEND, SKIP, TAKE, list_items, records
from ..model import Post, clean_text, fix_mojibake, from_epoch, parse_date

_POSTS = re.compile(r"^(posts|reels|stories|igtv_videos|archived_posts)(_\d+)?\.json$")
_COMMENTS = re.compile(r"^(post_comments|reels_comments|comments)(_\d+)?\.json$")
_COMMENT_KEYS = ("comment", "komentar", "text", "teks")


def _is_instagram(low: str) -> bool:
    return ("your_instagram_activity/" in low or low.startswith(("content/", "comments/", "media/", "threads/"))
            or "/content/" in low or "/comments/" in low or "/threads/" in low or "instagram" in low)


choose = list_items  # the records of a top-level list, or of a list one key down


def _caption(rec):
    text = rec.get("title") if isinstance(rec.get("title"), str) else ""
    date = from_epoch(rec.get("creation_timestamp"))
    media = rec.get("media") if isinstance(rec.get("media"), list) else []
    if media and isinstance(media[0], dict):
        if not text:
            text = media[0].get("title") or ""
        if date is None:
            date = from_epoch(media[0].get("creation_timestamp"))
    if not text and isinstance(rec.get("caption"), str):  # media.json before 2021
        text = rec["caption"]
        date = date or parse_date(rec.get("taken_at"))
    return text, date


def _comment(rec):
    smd = rec.get("string_map_data")
    if isinstance(smd, dict):
        text, date = "", None
        for key, val in smd.items():
            if not isinstance(val, dict):
                continue
            if "timestamp" in val and val.get("timestamp"):
                date = date or from_epoch(val["timestamp"])
            if key.strip().lower() in _COMMENT_KEYS and isinstance(val.get("value"), str):
                text = val["value"]
        return text, date
    sld = rec.get("string_list_data")
    if isinstance(sld, list) and sld and isinstance(sld[0], dict):
        return sld[0].get("value") or "", from_epoch(sld[0].get("timestamp"))
    return "", None


class InstagramFormat:
    id = "instagram"
    label = "Instagram/Threads"

    def claim(self, entry, head):
        low, base = entry.lower, entry.basename.lower()
        if base == "threads_and_replies.json" or (base.endswith(".json") and "text_post_app_text_posts" in
                                                  head(entry)[:200]):
            return "threads"
        if not base.endswith(".json"):
            return None
        if base == "media.json" and '"photos"' in head(entry)[:2000]:
            return "posts"
        if "/" not in low and (_POSTS.match(base) or _COMMENTS.match(base)):  # a file on its own
            h = head(entry)
            if '"string_map_data"' in h or '"comments_media_comments"' in h or '"comments_reels_comments"' in h:
                return "comments"
            if '"creation_timestamp"' in h and _POSTS.match(base):
                return "posts"
        if not _is_instagram(low):
            return None
        if _POSTS.match(base):
            return "posts"
        if _COMMENTS.match(base) and ("comments/" in low or base.startswith(("post_comments", "reels_comments"))
                                      or base == "comments.json"):
            return "comments"
        return None

    def parse(self, entry, part, ctx):
        platform = "threads" if part == "threads" else "instagram"
        with entry.open_text() as fh:
            for path, rec in records(fh, choose):
                if part == "comments":
                    if isinstance(rec, list) and len(rec) >= 2:  # before 2021: [date, text, owner]
                        text, date = rec[1] if isinstance(rec[1], str) else "", parse_date(rec[0])
                    elif isinstance(rec, dict):
                        text, date = _comment(rec)
                    else:
                        continue
                    text = clean_text(fix_mojibake(text))
                    if text:
                        yield Post(platform, "comment", date, text, None, entry.name)
                    continue
                if not isinstance(rec, dict):
                    continue
                text, date = _caption(rec)
                text = clean_text(fix_mojibake(text))
                if text:
                    kind = "post"
                    if platform == "threads" and len(path) == 2 and "repl" in str(path[0]).lower():
                        kind = "comment"
                    yield Post(platform, kind, date, text, None, entry.name)


FORMAT = InstagramFormat()
