"""CSV reading shared by the LinkedIn, YouTube and generic parsers."""

from __future__ import annotations

import csv
from typing import Iterator

from ..errors import SkipFile

csv.field_size_limit(16 << 20)


def header_of(head: str) -> list[str]:
    line = head.split("\n", 1)[0].strip("\ufeff\r")
    try:
        return [c.strip() for c in next(csv.reader([line]))]
    except (csv.Error, StopIteration):
        return []


def rows(entry) -> Iterator[dict]:
    with entry.open_text() as fh:
        try:
            reader = csv.DictReader(fh)
            for row in reader:
                yield {(k or "").strip(): (v or "") for k, v in row.items() if not isinstance(v, list)}
        except csv.Error as e:
            raise SkipFile(f"CSV tidak valid ({e})") from None
        except UnicodeDecodeError:
            raise SkipFile("berkas bukan teks UTF-8") from None
