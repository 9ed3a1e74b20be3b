"""Read big JSON exports one record at a time, in bounded memory.

``json.load`` on a 150 MB ``tweets.js`` builds every tweet at once (over 1 GB of Python
objects). Here the reader walks the outer containers itself and hands each record (an
element of an array the caller wants) to ``json``'s C decoder on its own: memory holds one
chunk of text and one record. Containers the caller does not need are decoded and dropped
at C speed, never descended into.

``walk(choose)`` calls ``choose(path)`` for each value, where ``path`` is the tuple of
object keys (``"*"`` for an array element) leading to it, and expects ``TAKE`` (decode it
whole and yield it), ``DESCEND`` (walk into it) or ``SKIP``.
"""

from __future__ import annotations

import json
import re
from typing import Callable, Iterator

from .errors import SkipFile

TAKE, DESCEND, SKIP = "take", "descend", "skip"
CHUNK = 1 << 20
MAX_RECORD_CHARS = 64 << 20   # one record larger than this is not a real post
MAX_DEPTH = 32

_WS = re.compile(r"[ \t\n\r]*")
_decoder = json.JSONDecoder()


class JsonStream:
    def __init__(self, fh, prefix_re: re.Pattern | None = None):
        self._fh = fh
        self.buf = ""
        self.pos = 0
        self.eof = False
        try:
            self._fill()
            if prefix_re is not None:  # e.g. the "window.YTD.tweets.part0 = " of X archives
                while True:
                    m = prefix_re.match(self.buf, self.pos)
                    if m or self.eof or len(self.buf) > 4096:
                        break
                    self._fill()
                if m:
                    self.pos = m.end()
        except UnicodeDecodeError:
            raise SkipFile("berkas bukan teks UTF-8") from None

    def _fill(self, at_least: int = CHUNK) -> None:
        if self.eof:
            return
        if self.pos > CHUNK:
            self.buf = self.buf[self.pos:]
            self.pos = 0
        try:
            data = self._fh.read(max(CHUNK, at_least))
        except UnicodeDecodeError:
            raise SkipFile("berkas bukan teks UTF-8") from None
        if not data:
            self.eof = True
        else:
            self.buf += data

    def _peek(self) -> str:
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if self.eof:
                return ""
            self._fill()

    def _bad(self, what: str):
        raise SkipFile(f"JSON tidak valid ({what})")

    def decode(self):
        """Decode the value at the current position whole (C speed)."""
        self._peek()
        while True:
            try:
                value, end = _decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError:
                if self.eof:
                    self._bad("berkas terpotong atau rusak")
                if len(self.buf) - self.pos > MAX_RECORD_CHARS:
                    raise SkipFile("satu catatan JSON terlalu besar") from None
                self._fill(len(self.buf) - self.pos)  # grow geometrically: linear overall
                continue
            except RecursionError:
                raise SkipFile("JSON bersarang terlalu dalam") from None
            if end == len(self.buf) and not self.eof and not isinstance(value, (dict, list, str)):
                self._fill()  # a number may continue in the next chunk
                continue
            self.pos = end
            return value

    def walk(self, choose: Callable[[tuple], str], path: tuple = ()) -> Iterator[tuple[tuple, object]]:
        if len(path) > MAX_DEPTH:
            raise SkipFile("JSON bersarang terlalu dalam")
        action = choose(path)
        c = self._peek()
        if action == TAKE:
            yield path, self.decode()
            return
        if action == SKIP or c not in "{[" or c == "":
            if c == "":
                self._bad("berkas kosong atau terpotong")
            self.decode()
            return
        self.pos += 1
        close = "}" if c == "{" else "]"
        if self._peek() == close:
            self.pos += 1
            return
        while True:
            if c == "{":
                if self._peek() != '"':
                    self._bad("kunci objek")
                key = self.decode()
                if self._peek() != ":":
                    self._bad("tanda titik dua")
                self.pos += 1
                yield from self.walk(choose, path + (key,))
            else:
                yield from self.walk(choose, path + ("*",))
            nxt = self._peek()
            if nxt == ",":
                self.pos += 1
                continue
            if nxt == close:
                self.pos += 1
                return
            self._bad("pemisah")


def records(fh, choose, prefix_re=None) -> Iterator[tuple[tuple, object]]:
    """Every (path, value) ``choose`` takes, from a text stream."""
    stream = JsonStream(fh, prefix_re)
    if stream._peek() == "":
        return
    yield from stream.walk(choose)


def list_items(path):
    """A chooser for the Meta exports (Facebook, Instagram): take each item of a top-level list,
    or of a list one key down ({"comments_v2": [...]}), and skip anything deeper."""
    if not path:
        return DESCEND
    if len(path) == 1:
        return TAKE if path[0] == "*" else DESCEND
    if len(path) == 2 and path[1] == "*":
        return TAKE
    return SKIP
