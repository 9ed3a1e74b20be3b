"""One parser per platform export, and the detection that picks them from the content.

Each module has a ``FORMAT`` object with:

- ``id`` and ``label``;
- ``claim(entry, head) -> part | None``: whether this file of the archive is one it reads
  (by the file's name and its first characters) and which part it is (``"tweets"``, ``"comments"``…);
- ``parse(entry, part, ctx) -> Iterator[Post]``: the file's posts, streamed.

Detection first asks the platform parsers; the generic CSV/JSONL reader is asked only when
no platform recognised any file (a LinkedIn or Instagram export holds other CSV/JSON files
that are not posts).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..archive import Archive, Entry
from ..errors import SkipFile
from . import facebook, generic, instagram, linkedin, tiktok, twitter, whatsapp, youtube

PLATFORM_FORMATS = [twitter.FORMAT, facebook.FORMAT, instagram.FORMAT, tiktok.FORMAT, linkedin.FORMAT,
                    youtube.FORMAT, whatsapp.FORMAT]
GENERIC_FORMATS = [generic.FORMAT]
FORMATS = {f.id: f for f in PLATFORM_FORMATS + GENERIC_FORMATS}

# Folders of private messages (Messenger, Instagram DMs): not posts, never read.
_IGNORED_DIRS = ("messages/inbox/", "messages/archived_threads/", "messages/filtered_threads/",
                 "messages/message_requests/", "messages/e2ee_cutover/")


@dataclass
class Job:
    format: object
    entry: Entry
    part: str


@dataclass
class Detection:
    jobs: list[Job] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def format_id(self) -> str | None:
        """The export's format: the one with the most files (an Instagram export also holds Threads)."""
        if not self.jobs:
            return None
        counts: dict[str, int] = {}
        for j in self.jobs:
            counts[j.format.id] = counts.get(j.format.id, 0) + 1
        return max(counts, key=lambda k: (counts[k], -list(FORMATS).index(k)))


def detect(archive: Archive) -> Detection:
    det = Detection()
    heads: dict[str, str] = {}
    candidates = [e for e in archive if not any(d in "/" + e.lower for d in _IGNORED_DIRS)]

    def head(e: Entry) -> str:
        if e.name not in heads:
            heads[e.name] = e.head() if e.size else ""
        return heads[e.name]

    for formats in (PLATFORM_FORMATS, GENERIC_FORMATS):
        for e in candidates:
            for fmt in formats:
                try:
                    part = fmt.claim(e, head)
                except SkipFile as s:
                    det.skipped.append((e.name, s.reason))
                    break
                if part:
                    det.jobs.append(Job(fmt, e, part))
                    break
        if det.jobs:
            break
    # the order files are read in: the account details (X user name) first
    det.jobs.sort(key=lambda j: (0 if j.part == "account" else 1, j.entry.name))
    return det
