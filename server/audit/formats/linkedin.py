"""LinkedIn "Get a copy of your data": ``Shares.csv`` and ``Comments.csv``.

- ``Shares.csv``: ``Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility``; the post is
  ``ShareCommentary`` (multi-line, quoted, quotes doubled), ``Date`` is
  "2023-04-05 08:09:10" in UTC, ``ShareLink`` links to the post;
- ``Comments.csv``: ``Date,Link,Message``.

Recognised by the header, not the name (Google Takeout's YouTube ``comments.csv`` shares it).
"""

from __future__ import annotations

from ..model import Post, clean_text, parse_date
from ._csv import header_of, rows


class LinkedInFormat:
    id = "linkedin"
    label = "LinkedIn"

    def claim(self, entry, head):
        if not entry.lower.endswith(".csv"):
            return None
        cols = {c.lower() for c in header_of(head(entry))}
        if {"date", "sharecommentary"} <= cols:
            return "shares"
        if {"date", "link", "message"} <= cols and len(cols) <= 4:
            return "comments"
        return None

    def parse(self, entry, part, ctx):
        for row in rows(entry):
            low = {k.lower(): v for k, v in row.items()}
            if part == "shares":
                text, url, kind = low.get("sharecommentary", ""), low.get("sharelink"), "post"
            else:
                text, url, kind = low.get("message", ""), low.get("link"), "comment"
            text = clean_text(text)
            if text:
                yield Post("linkedin", kind, parse_date(low.get("date")), text, (url or "").strip() or None,
                           entry.name)


FORMAT = LinkedInFormat()
