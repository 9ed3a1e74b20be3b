"""Safe, streaming access to an export: a ``.zip``, its unpacked folder, or one file.

Exports come from the user but may have been tampered with, so the archive is treated as
hostile:

- nothing is extracted to disk: files are read as streams straight out of the zip;
- zip-slip paths (absolute, ``..``, drive letters) are ignored and counted;
- zip bombs are stopped: each file read is capped (``MAX_FILE_BYTES``), the total read is
  capped (``MAX_TOTAL_BYTES``), and a file whose compression ratio is above ``MAX_RATIO`` is
  skipped; the caps are enforced on the bytes actually decompressed, not only on the sizes
  the zip declares;
- nested archives are not opened (counted skip); a corrupt or truncated zip is a clear error,
  a corrupt member a counted skip;
- in a folder, symbolic links are not followed, so nothing outside it is read.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator

from .errors import AuditError, SkipFile

MAX_FILE_BYTES = 1 << 30          # 1 GiB of text in one export file is already far beyond real ones
MAX_TOTAL_BYTES = 4 << 30         # what one audit reads in all
MAX_RATIO = 200                   # real JSON/CSV compress ~5-20x; bombs 1000x and more
RATIO_MIN_BYTES = 1 << 20         # the ratio test applies to files above 1 MiB
MAX_ENTRIES = 500_000
NESTED_SUFFIXES = (".zip", ".tar", ".tgz", ".gz", ".bz2", ".xz", ".7z", ".rar", ".zst")
# Files an export keeps its text in; media (jpg, mp4, …) are never opened.
TEXT_SUFFIXES = (".js", ".json", ".jsonl", ".ndjson", ".csv", ".txt", ".html", ".htm")


@dataclass
class Budget:
    """Bytes read so far, shared by every file of one audit (progress and the total cap)."""

    read: int = 0
    total_expected: int = 0
    limit: int = MAX_TOTAL_BYTES

    def add(self, n: int, name: str) -> None:
        self.read += n
        if self.read > self.limit:
            raise AuditError(f"Arsip terlalu besar untuk diperiksa: lebih dari {self.limit >> 20} MB teks "
                             f"(berhenti di {name}). Arsip ini mungkin rusak atau sengaja dibuat berbahaya.",
                             code="archive_too_large")


class _CappedReader(io.RawIOBase):
    """A binary stream that counts what it yields and stops a file that grows past its cap."""

    def __init__(self, raw, name: str, cap: int, budget: Budget):
        self._raw, self._name, self._cap, self._budget = raw, name, cap, budget
        self._n = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        try:
            data = self._raw.read(len(b))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as e:  # CRC, truncated data
            raise SkipFile(f"berkas rusak di dalam arsip ({type(e).__name__})") from None
        except RuntimeError as e:  # encrypted member
            raise SkipFile(f"berkas terenkripsi atau tidak dapat dibaca ({e})") from None
        n = len(data)
        self._n += n
        if self._n > self._cap:
            raise SkipFile(f"berkas lebih besar dari batas {self._cap >> 20} MB (kemungkinan zip bomb)")
        self._budget.add(n, self._name)
        b[:n] = data
        return n

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


@dataclass
class Entry:
    name: str                 # POSIX path inside the archive (or relative to the folder)
    size: int                 # uncompressed size as declared
    _opener: Callable[[], object] = field(repr=False, default=None)
    archive: "Archive" = field(repr=False, default=None)

    @property
    def lower(self) -> str:
        return self.name.lower()

    @property
    def basename(self) -> str:
        return PurePosixPath(self.name).name

    def open_binary(self) -> io.BufferedReader:
        try:
            raw = self._opener()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
            raise SkipFile(f"berkas tidak dapat dibuka ({type(e).__name__})") from None
        except RuntimeError as e:
            raise SkipFile(f"berkas terenkripsi atau tidak dapat dibaca ({e})") from None
        return io.BufferedReader(_CappedReader(raw, self.name, MAX_FILE_BYTES, self.archive.budget), 1 << 16)

    def open_text(self) -> io.TextIOWrapper:
        """UTF-8 text (a BOM is dropped); bytes that are not UTF-8 raise ``SkipFile`` when read."""
        return io.TextIOWrapper(self.open_binary(), encoding="utf-8-sig", errors="strict", newline="")

    def head(self, n: int = 4096) -> str:
        """The first characters, for telling formats apart (``SkipFile`` when unreadable)."""
        with self.open_binary() as fh:
            data = fh.read(n)
        return data.decode("utf-8-sig", errors="ignore")


def _safe_name(name: str) -> str | None:
    """The member's path if it stays inside the archive, else None (zip-slip)."""
    name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    return "/".join(parts)


class Archive:
    """The files of one export, opened safely. Use ``Archive.open(path)``; close when done."""

    def __init__(self, label: str):
        self.label = label
        self.entries: list[Entry] = []
        self.skipped: list[tuple[str, str]] = []  # (name, reason)
        self.budget = Budget(limit=MAX_TOTAL_BYTES)
        self._zip: zipfile.ZipFile | None = None

    # ---------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | os.PathLike, display_name: str | None = None) -> "Archive":
        p = Path(path)
        label = display_name or str(path)
        try:
            st = os.stat(p)
        except FileNotFoundError:
            raise AuditError(f"Berkas atau folder tidak ditemukan: {label}", code="not_found") from None
        except OSError as e:
            raise AuditError(f"Tidak dapat membaca {label}: {e.strerror or e}") from None
        arch = cls(label)
        if stat.S_ISDIR(st.st_mode):
            arch._open_dir(p)
        elif _looks_like_zip(p):
            arch._open_zip(p, label)
        else:
            name = PurePosixPath((display_name or p.name).replace("\\", "/")).name or "berkas"
            if name.lower().endswith(NESTED_SUFFIXES):
                raise AuditError(f"{label} bukan arsip ZIP yang dapat dibaca (rusak, terpotong, atau format "
                                 f"kompresi lain). Unduh ulang arsipnya dalam format ZIP.")
            arch.entries.append(Entry(name, st.st_size, lambda p=p: open(p, "rb"), arch))
        return arch

    def _open_zip(self, p: Path, label: str) -> None:
        try:
            zf = zipfile.ZipFile(p)
            infos = zf.infolist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as e:
            raise AuditError(f"{label} bukan arsip ZIP yang utuh: berkasnya rusak atau terpotong "
                             f"({type(e).__name__}). Unduh ulang arsipnya.", code="corrupt_archive") from None
        if len(infos) > MAX_ENTRIES:
            zf.close()
            raise AuditError(f"{label} berisi lebih dari {MAX_ENTRIES} berkas; ini bukan ekspor yang wajar.",
                             code="archive_too_large")
        self._zip = zf
        for info in infos:
            if info.is_dir():
                continue
            name = _safe_name(info.filename)
            if name is None:
                self.skipped.append((info.filename, "jalur berbahaya (di luar folder arsip) diabaikan"))
                continue
            low = name.lower()
            if low.endswith(NESTED_SUFFIXES):
                self.skipped.append((name, "arsip di dalam arsip tidak dibuka; ekstrak dan periksa terpisah"))
                continue
            if not low.endswith(TEXT_SUFFIXES):
                continue  # media and other files are never read
            if info.file_size > MAX_FILE_BYTES:
                self.skipped.append((name, f"berkas lebih besar dari {MAX_FILE_BYTES >> 20} MB"))
                continue
            if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(1, info.compress_size):
                self.skipped.append((name, "rasio kompresi tidak wajar (kemungkinan zip bomb)"))
                continue
            self.entries.append(Entry(name, info.file_size, lambda info=info: zf.open(info), self))

    def _open_dir(self, root: Path) -> None:
        count = 0
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames.sort()
            for fn in sorted(filenames):
                count += 1
                if count > MAX_ENTRIES:
                    raise AuditError(f"Folder {self.label} berisi lebih dari {MAX_ENTRIES} berkas.",
                                     code="archive_too_large")
                full = Path(dirpath) / fn
                rel = full.relative_to(root).as_posix()
                if full.is_symlink():
                    self.skipped.append((rel, "tautan simbolik tidak diikuti"))
                    continue
                low = rel.lower()
                if low.endswith(NESTED_SUFFIXES):
                    self.skipped.append((rel, "arsip di dalam folder tidak dibuka; periksa terpisah"))
                    continue
                if not low.endswith(TEXT_SUFFIXES):
                    continue
                try:
                    size = full.stat().st_size
                except OSError:
                    self.skipped.append((rel, "tidak dapat dibaca"))
                    continue
                if size > MAX_FILE_BYTES:
                    self.skipped.append((rel, f"berkas lebih besar dari {MAX_FILE_BYTES >> 20} MB"))
                    continue
                self.entries.append(Entry(rel, size, lambda full=full: open(full, "rb"), self))

    # ---------------------------------------------------------------- use
    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _looks_like_zip(p: Path) -> bool:
    try:
        with open(p, "rb") as fh:
            sig = fh.read(4)
    except OSError:
        return False
    # local file header, or the end record of an empty archive
    return sig in (b"PK\x03\x04", b"PK\x05\x06") or p.suffix.lower() == ".zip"
