"""WhatsApp "Export chat" (without media: a ``.txt``; with media: a ``.zip`` holding it).

The file is ``WhatsApp Chat with <name>.txt`` / ``Chat WhatsApp dengan <name>.txt`` on
Android, ``_chat.txt`` on iPhone. One message starts a line; the lines after it until the
next start belong to the same message. The start depends on the phone and its language:

    Android, English (US):  12/31/19, 9:41 PM - Budi: teks
    Android, English (UK):  31/12/2019, 21:41 - Budi: teks
    Android, Indonesian:    31/12/19 21.41 - Budi: teks
    iPhone:                 [31/12/19 21.41.05] Budi: teks      [12/31/19, 9:41:05 PM] Budi: teks

(iPhones put U+200E marks around and U+202F before AM/PM). Whether the date is day/month or
month/day is decided for the whole file: a first number above 12 means day first, a second
above 12 month first; otherwise a 12-hour clock means month first (US), else day first.
Lines without "name: " are WhatsApp's own notices. Only the user's own messages are checked:
``--author NAME``; when it is missing and the chat has several senders the user is asked.
Times are the phone's local time (no time zone in the export).
"""

from __future__ import annotations

import re
from datetime import datetime

from ..errors import AuthorRequired, SkipFile
from ..model import Post

_MARKS = "\u200e\u200f\u202a\u202b\u202c\u2068\u2069\ufeff"
_START = re.compile(
    r"^\[?(?P<d1>\d{1,4})[/.\-](?P<d2>\d{1,2})[/.\-](?P<d3>\d{2,4}),?\s+"
    r"(?P<h>\d{1,2})[.:](?P<m>\d{2})(?:[.:](?P<s>\d{2}))?\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?)?\]?"
    r"(?:\s+-\s+|\s+)(?P<rest>.*)$")
_SKIP_BODIES = re.compile(
    r"^(<media omitted>|<media tidak disertakan>|<file media tidak disertakan>|"
    r"(image|video|audio|sticker|gif|document|gambar|stiker|dokumen) (omitted|tidak disertakan)|"
    r"this message was deleted|pesan ini (telah )?dihapus|you deleted this message|anda menghapus pesan ini|"
    r"null|<pesan ini telah diedit>)$", re.I)
_EDITED = re.compile(r"\s*<(this message was edited|pesan ini (telah )?diedit)>\s*$", re.I)


def _clean_line(line: str) -> str:
    return line.rstrip("\r\n").translate({ord(c): None for c in _MARKS}).replace("\u202f", " ").replace("\xa0", " ")


def _norm_author(name: str) -> str:
    return " ".join(name.translate({ord(c): None for c in _MARKS}).split()).casefold()


def _split_sender(rest: str):
    i = rest.find(": ")
    if i <= 0 or i > 80:
        return None, rest
    return rest[:i].strip(), rest[i + 2:]


class WhatsAppFormat:
    id = "whatsapp"
    label = "WhatsApp"

    def claim(self, entry, head):
        low = entry.lower
        if not low.endswith(".txt"):
            return None
        lines = [_clean_line(x) for x in head(entry).splitlines()[:15] if x.strip()]
        starts = sum(1 for x in lines if _START.match(x))
        if starts >= 1 and starts >= len(lines) // 3:
            return "chat"
        return None

    # -------------------------------------------------------------- reading
    def _lines(self, entry):
        with entry.open_text() as fh:
            try:
                for line in fh:
                    yield _clean_line(line)
            except UnicodeDecodeError:
                raise SkipFile("berkas bukan teks UTF-8") from None

    def _scan(self, entry):
        """First pass: the date order and the senders."""
        day_first = month_first = twelve = False
        senders: dict[str, tuple[str, int]] = {}
        for line in self._lines(entry):
            m = _START.match(line)
            if not m:
                continue
            a, b = int(m["d1"]), int(m["d2"])
            if len(m["d1"]) <= 2:
                day_first |= a > 12
                month_first |= b > 12
            twelve |= m["ampm"] is not None
            who, _ = _split_sender(m["rest"])
            if who:
                key = _norm_author(who)
                name, n = senders.get(key, (who, 0))
                senders[key] = (name, n + 1)
        if day_first:
            order = "dmy"
        elif month_first:
            order = "mdy"
        else:
            order = "mdy" if twelve else "dmy"
        return order, senders

    def _date(self, m, order):
        d1, d2, d3 = int(m["d1"]), int(m["d2"]), int(m["d3"])
        if len(m["d1"]) == 4:            # 2019-12-31
            y, mo, d = d1, d2, d3
        elif order == "dmy":
            d, mo, y = d1, d2, d3
        else:
            mo, d, y = d1, d2, d3
        if y < 100:
            y += 2000
        h, mi, s = int(m["h"]), int(m["m"]), int(m["s"] or 0)
        if m["ampm"]:
            pm = m["ampm"][0] in "pP"
            h = (h % 12) + (12 if pm else 0)
        try:
            return datetime(y, mo, d, h, mi, s)
        except ValueError:
            return None

    def parse(self, entry, part, ctx):
        order, senders = self._scan(entry)
        wanted = ctx.author_key()
        if wanted is None:
            if len(senders) > 1:
                ranked = sorted(senders.values(), key=lambda x: -x[1])
                raise AuthorRequired([name for name, _ in ranked])
            wanted = next(iter(senders), None)
        names = ctx.state.setdefault("whatsapp_senders", {})
        for key, (name, n) in senders.items():
            names[key] = (name, names.get(key, (name, 0))[1] + n)
        if wanted not in senders:
            ctx.note(entry.name, "tidak ada pesan dari nama yang dipilih di obrolan ini")
            return
        ctx.state["whatsapp_author_found"] = True
        current = None  # [date, lines] of the user's message being read
        for line in self._lines(entry):
            m = _START.match(line)
            if m:
                if current:
                    yield from self._emit(current, entry)
                    current = None
                who, body = _split_sender(m["rest"])
                if who and _norm_author(who) == wanted:
                    current = [self._date(m, order), [body]]
            elif current is not None:
                current[1].append(line)
        if current:
            yield from self._emit(current, entry)

    def _emit(self, current, entry):
        text = _EDITED.sub("", "\n".join(current[1]).strip())
        if text and not _SKIP_BODIES.match(text):
            yield Post("whatsapp", "message", current[0], text, None, entry.name)


FORMAT = WhatsAppFormat()
