"""Facebook "Download your information" (JSON).

Layouts:
- older (until 2022): ``posts/your_posts_1.json`` (``_2`` … when long; 2018-2019 exports:
  ``posts/your_posts.json`` as ``{"status_updates": [...]}``), ``comments/comments.json``
  as ``{"comments": [...]}``, ``groups/your_posts_and_comments_in_groups.json``;
- newer (2022 on): ``your_activity_across_facebook/posts/your_posts__check_ins__photos_and_videos_1.json``
  (2024 on also under ``your_facebook_activity/``, and ``profile_posts_1.json``),
  ``…/comments_and_reactions/comments.json`` as ``{"comments_v2": [...]}``,
  ``…/groups/group_posts_and_comments.json`` as ``{"group_posts_v2": [...]}``.

A post: ``{"timestamp": 1560000000, "data": [{"post": "teks"}], "title": "…"}``; a comment:
``{"timestamp": …, "data": [{"comment": {"timestamp", "comment": "teks", "author"}}]}``.
Every string is mojibake (UTF-8 bytes written as ``\\u00XX``): repaired with ``fix_mojibake``.
Exports have no link to the original post.
"""

from __future__ import annotations

import re

from ..jsonstream import DESCEND, SKIP, TAKE, list_items, records
from ..model import Post, clean_text, fix_mojibake, from_epoch

_POSTS = re.compile(r"^(your_posts|profile_posts|your_posts__check_ins__photos_and_videos)(_\d+)?\.json$")
_GROUPS = re.compile(r"^(your_posts_and_comments_in_groups|group_posts_and_comments)\.json$")


choose = list_items  # the records of a top-level list, or of a list one key down


def _texts(rec):
    post_parts, comment = [], None
    for d in rec.get("data") or []:
        if not isinstance(d, dict):
            continue
        if isinstance(d.get("post"), str):
            post_parts.append(d["post"])
        c = d.get("comment")
        if isinstance(c, dict) and isinstance(c.get("comment"), str):
            comment = c
    return post_parts, comment


class FacebookFormat:
    id = "facebook"
    label = "Facebook"

    def claim(self, entry, head):
        low, base = entry.lower, entry.basename.lower()
        if low.startswith("instagram") or "your_instagram_activity" in low:
            return None
        if _POSTS.match(base) and ("posts/" in low or "/" not in low):
            return "posts"
        if base == "comments.json" and ("comments/" in low or "comments_and_reactions/" in low):
            return "comments"
        if _GROUPS.match(base):
            return "posts"
        if "/" not in low and base.endswith(".json"):  # one file given on its own: tell by content
            h = head(entry)[:400]
            if '"comments_v2"' in h or ('"comments"' in h and '"timestamp"' in head(entry)):
                return "comments"
            if '"group_posts_v2"' in h:
                return "posts"
        return None

    def parse(self, entry, part, ctx):
        with entry.open_text() as fh:
            for _, rec in records(fh, choose):
                if not isinstance(rec, dict):
                    continue
                post_parts, comment = _texts(rec)
                if comment is not None:
                    text = clean_text(fix_mojibake(comment["comment"]))
                    date = from_epoch(comment.get("timestamp") or rec.get("timestamp"))
                    if text:
                        yield Post("facebook", "comment", date, text, None, entry.name)
                elif post_parts:
                    text = clean_text(fix_mojibake("\n".join(post_parts)))
                    if text:
                        yield Post("facebook", "post", from_epoch(rec.get("timestamp")), text, None, entry.name)


FORMAT = FacebookFormat()
