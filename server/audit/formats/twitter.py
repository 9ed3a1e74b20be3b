"""X/Twitter archive ("Download an archive of your data").

Layout (2019 to now): ``data/tweets.js`` (``data/tweet.js`` in archives made before late
2020), split into ``data/tweets-part1.js``, ``-part2.js`` … for big accounts. Each file is a
JavaScript assignment, ``window.YTD.tweets.part0 = [ … ]``, of ``{"tweet": {...}}`` objects
(bare tweet objects in the oldest ones) with ``id_str``, ``full_text``, ``created_at``
("Wed Oct 10 20:19:24 +0000 2018") and ``in_reply_to_status_id_str``. Long posts keep their
full text in ``data/note-tweet.js`` (``{"noteTweet": {"core": {"text"}, "createdAt"}}``).
``data/account.js`` gives the user name for links.
"""

from __future__ import annotations

import re

from ..jsonstream import DESCEND, TAKE, records
from ..model import Post, clean_text, parse_date, unescape_html

_NAME = re.compile(r"^(tweets?|note-tweet)(-part\d+)?\.js$")
_PREFIX = re.compile(r"\s*window\.YTD\.[A-Za-z_]+\.part\d+\s*=\s*")
_CONTENT = re.compile(r"window\.YTD\.(tweets?|note_tweet)\.part\d+\s*=")


def _choose(path):
    return DESCEND if not path else TAKE


class TwitterFormat:
    id = "x"
    label = "X/Twitter"

    def claim(self, entry, head):
        base = entry.basename.lower()
        if base == "account.js":
            return "account" if "window.YTD.account." in head(entry) else None
        if _NAME.match(base) or (base.endswith(".js") and _CONTENT.search(head(entry)[:300] or "")):
            h = head(entry)[:300]
            if "note_tweet" in h or base.startswith("note-tweet"):
                return "notes"
            return "tweets" if "window.YTD." in h else None
        return None

    def parse(self, entry, part, ctx):
        with entry.open_text() as fh:
            for _, rec in records(fh, _choose, _PREFIX):
                if not isinstance(rec, dict):
                    continue
                if part == "account":
                    acc = rec.get("account", rec)
                    if isinstance(acc, dict) and acc.get("username"):
                        ctx.state["x_username"] = str(acc["username"])
                    continue
                if part == "notes":
                    note = rec.get("noteTweet", rec)
                    text = clean_text((note.get("core") or {}).get("text") if isinstance(note, dict) else "")
                    if text:
                        yield Post("x", "post", parse_date(note.get("createdAt")), unescape_html(text), None,
                                   entry.name)
                    continue
                tw = rec.get("tweet", rec)
                if not isinstance(tw, dict):
                    continue
                text = clean_text(tw.get("full_text") or tw.get("text"))
                if not text:
                    continue
                tid = str(tw.get("id_str") or tw.get("id") or "")
                user = ctx.state.get("x_username")
                url = None
                if tid.isdigit():
                    url = f"https://x.com/{user}/status/{tid}" if user else f"https://x.com/i/web/status/{tid}"
                kind = "comment" if tw.get("in_reply_to_status_id_str") or tw.get("in_reply_to_status_id") else "post"
                yield Post("x", kind, parse_date(tw.get("created_at")), unescape_html(text), url, entry.name)


FORMAT = TwitterFormat()
