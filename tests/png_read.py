"""Read a PNG without Pillow (not a dependency): size, and the pixels of the 8-bit RGB/RGBA,
non-interlaced images that chromium writes. Used to check the store kit's pictures."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path


def size(path: Path) -> tuple[int, int]:
    data = Path(path).read_bytes()[:33]
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError(f"{path} is not a PNG")
    return struct.unpack(">II", data[16:24])


def pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """(width, height, rows); each row holds width * channels bytes."""
    data = Path(path).read_bytes()
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"{path}: only 8-bit RGB/RGBA, non-interlaced PNGs are read here")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, [bytes(r) if bpp == 3 else bytes(v for i, v in enumerate(r) if i % 4 != 3) for r in rows]


def colours(path: Path, step: int = 3) -> set[tuple[int, int, int]]:
    """The distinct colours on a grid of every `step`-th pixel."""
    w, h, rows = pixels(path)
    found = set()
    for y in range(0, h, step):
        r = rows[y]
        for x in range(0, w, step):
            found.add((r[3 * x], r[3 * x + 1], r[3 * x + 2]))
    return found
