"""Aggregate, private statistics: how many posts got a warning, per category, per ISO week.

What is kept: ``{"2026-W47": {"flexing": 3, "political_neutrality": 1}}`` in ``stats.json`` in
the user's data folder. Never a text, never evidence, never a time finer than the week.

Counting: a check counts once per category that has a finding of severity ``warning`` or
``high`` (what evaluation counts as flagged). The extension re-checks a draft as it is typed,
so the same finding would otherwise be counted on every keystroke: a finding is counted once per
hour per (rule, evidence), remembered in memory only, as a salted hash that is never written.

Writing: at most every ``flush_interval`` seconds (default 5) from a background thread, and at
exit, once ``start()`` is called (the server does; ``saring stats`` only reads and starts
nothing); the file is replaced atomically.

Office sharing (off by default): when the configuration has ``[stats] share_with_office = true``
and ``office_dir = "<folder>"``, the same weekly counts are also written to
``<office_dir>/<install-id>.json``, where the install id is a random id made on first use (no
user name, no machine name). ``saring stats --office DIR`` adds those files up for IT.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import json
import logging
import os
import secrets
import threading
import time
import uuid
from pathlib import Path

from nlp.rules import CATEGORIES, SEVERITY_RANK

log = logging.getLogger("saring.stats")

DEDUPE_SECONDS = 3600
FLUSHER_THREAD = "saring-stats"


def iso_week(day: dt.date | None = None) -> str:
    year, week, _ = (day or dt.date.today()).isocalendar()
    return f"{year}-W{week:02d}"


def recent_weeks(n: int, today: dt.date | None = None) -> list[str]:
    today = today or dt.date.today()
    return [iso_week(today - dt.timedelta(weeks=i)) for i in range(n - 1, -1, -1)]


class StatsStore:
    def __init__(self, path: Path, enabled: bool = True, share_with_office: bool = False,
                 office_dir: str | None = None, retention_weeks: int = 52, flush_interval: float = 5.0):
        self.path = Path(path)
        self.enabled = enabled
        self.share_with_office = share_with_office
        self.office_dir = office_dir
        self.retention_weeks = retention_weeks
        self.flush_interval = flush_interval
        self._lock = threading.Lock()
        self._dirty = False
        self._salt = secrets.token_bytes(16)
        self._seen: dict[bytes, float] = {}
        self._data = self._read()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None  # the flusher, once start() is called

    def start(self) -> None:
        """Write recorded counts out every ``flush_interval`` seconds and at exit.

        Only a store that records (the server's) needs it; reading the counts
        (``saring stats``, ``snapshot``) starts no thread."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._flusher, name=FLUSHER_THREAD, daemon=True)
        self._thread.start()
        atexit.register(self.flush)

    @classmethod
    def from_settings(cls, path: Path, settings, **kw) -> "StatsStore":
        return cls(path, settings.stats_enabled, settings.stats_share_with_office, settings.stats_office_dir,
                   settings.stats_retention_weeks, **kw)

    def configure(self, settings) -> None:
        with self._lock:
            self.enabled = settings.stats_enabled
            self.share_with_office = settings.stats_share_with_office
            self.office_dir = settings.stats_office_dir
            self.retention_weeks = settings.stats_retention_weeks

    @property
    def office_enabled(self) -> bool:
        return bool(self.enabled and self.share_with_office and self.office_dir)

    # ------------------------------------------------------------------ recording
    def record(self, report) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        cats = set()
        for f in report.findings:
            if SEVERITY_RANK.get(f.severity, 0) < SEVERITY_RANK["warning"]:
                continue
            key = hashlib.blake2b(f"{f.rule_id}\x00{f.text.casefold()}".encode("utf-8", "replace"),
                                  key=self._salt, digest_size=16).digest()
            with self._lock:
                seen = self._seen.get(key)
                self._seen[key] = now
            if seen is not None and now - seen < DEDUPE_SECONDS:
                continue
            cats.add(f.category)
        if not cats:
            return
        week = iso_week()
        with self._lock:
            counts = self._data["weeks"].setdefault(week, {})
            for c in cats:
                counts[c] = counts.get(c, 0) + 1
            self._dirty = True
            if len(self._seen) > 5000:
                self._seen = {k: t for k, t in self._seen.items() if now - t < DEDUPE_SECONDS}

    # ------------------------------------------------------------------ reading
    def snapshot(self, weeks: int = 12) -> dict:
        with self._lock:
            stored = {w: dict(c) for w, c in self._data["weeks"].items()}
        out = []
        for w in recent_weeks(weeks):
            counts = stored.get(w, {})
            out.append({"week": w, "counts": {c: counts.get(c, 0) for c in CATEGORIES},
                        "total": sum(counts.values())})
        return {"enabled": self.enabled, "categories": list(CATEGORIES), "weeks": out,
                "office": {"enabled": self.office_enabled}}

    # ------------------------------------------------------------------ persistence
    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            weeks = {str(w): {str(c): int(n) for c, n in counts.items() if c in CATEGORIES}
                     for w, counts in data.get("weeks", {}).items() if isinstance(counts, dict)}
            return {"install_id": str(data.get("install_id") or uuid.uuid4()), "weeks": weeks}
        except FileNotFoundError:
            pass
        except (OSError, ValueError, AttributeError, TypeError) as exc:
            log.warning("statistik lokal tidak terbaca (%s); mulai dari nol", type(exc).__name__)
        return {"install_id": str(uuid.uuid4()), "weeks": {}}

    def _prune(self) -> None:
        keep = set(recent_weeks(self.retention_weeks))
        self._data["weeks"] = {w: c for w, c in self._data["weeks"].items() if w in keep}

    def flush(self) -> None:
        with self._lock:
            if not self._dirty:
                return
            self._prune()
            payload = json.dumps({"version": 1, "install_id": self._data["install_id"],
                                  "weeks": self._data["weeks"]}, indent=1, sort_keys=True)
            self._dirty = False
            office = self.office_enabled
        _atomic_write(self.path, payload)
        if office:
            _atomic_write(Path(self.office_dir) / f"{self._data['install_id']}.json", payload)

    def _flusher(self) -> None:
        while not self._stop.wait(self.flush_interval):
            try:
                self.flush()
            except OSError as exc:
                log.warning("statistik tidak bisa disimpan: %s", exc.strerror or exc)

    def close(self) -> None:
        self._stop.set()
        self.flush()


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def office_summary(folder: Path) -> dict:
    """Add up the weekly counts that workstations shared into ``folder``."""
    weeks: dict[str, dict[str, int]] = {}
    installs = 0
    for path in sorted(Path(folder).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        installs += 1
        for w, counts in data.get("weeks", {}).items():
            bucket = weeks.setdefault(w, {})
            for c, n in counts.items():
                if c in CATEGORIES and isinstance(n, int):
                    bucket[c] = bucket.get(c, 0) + n
    return {"installs": installs, "weeks": [{"week": w, "counts": weeks[w]} for w in sorted(weeks)]}
