"""Live configuration: pick up changed files without a restart, survive broken ones.

``LiveConfig`` owns the layered configuration of a running server:

- ``reload()`` re-reads every layer. A valid result builds a new ``Analyzer`` off to the side
  and swaps it in (``AnalyzerHolder.swap``); requests in flight finish with the old one.
- A broken file (invalid TOML, an invalid value) changes nothing: the server keeps its last good
  configuration, logs the problem and shows it in ``GET /v1/health`` under ``"config"``. Once the
  file is fixed, the next reload clears the message.
- A watcher thread polls the files' modification times (every 2 s by default) and reloads on a
  change; ``POST /v1/reload`` reloads at once.
- The last good merged configuration is kept in the data folder (``last-good-config.json``),
  so a server started while a file is broken still runs with the organisation's last good rules
  instead of the bare defaults.

Settings that only take effect at start (host, port, allowed_hosts) are reported when they
change ("restart needed") but not applied.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from pathlib import Path

from nlp import Analyzer

from .config import LoadResult, Settings, load_layered, settings_from_clean
from .state import server_state

log = logging.getLogger("saring.config")

RESTART_KEYS = ("host", "port", "allowed_hosts")
LAST_GOOD = "last-good-config.json"


def _stamp(path: Path) -> tuple | None:
    """What the watcher compares: the file's (followed) identity, or, when it cannot be
    followed (a symlink loop, a dangling link), the link's own; None when nothing is there.
    A link that is fixed or deleted thus counts as a change, and its old message goes."""
    try:
        st = path.stat()
        return ("file", st.st_mtime_ns, st.st_size, st.st_ino, st.st_mode)
    except FileNotFoundError:
        pass
    except OSError as exc:
        return ("unreadable", exc.errno, *_lstamp(path))
    return ("link", *_lstamp(path)) if _lstamp(path) else None


def _lstamp(path: Path) -> tuple:
    try:
        st = path.lstat()
    except OSError:
        return ()
    return (st.st_mtime_ns, st.st_ino)


class LiveConfig:
    def __init__(self, app=None, extra: str | Path | None = None, data_dir: Path | None = None,
                 interval: float = 2.0, overrides: dict | None = None):
        self.app = None
        self.extra = extra
        self.data_dir = data_dir
        self.interval = interval
        self.overrides = overrides or {}  # command-line values (host, port, log_level) that win
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._stamps: dict[Path, tuple | None] = {}
        self.loaded_at: float | None = None
        self.last_result: LoadResult | None = None
        self.problems: list[str] = []  # what /v1/health shows (the same list object, updated in place)
        self._config_problems: list[str] = []
        self.watch_error: str | None = None
        self.notes: list[str] = []
        self.reloads = 0
        if app is not None:
            self.attach(app)

    def attach(self, app) -> None:
        """Serve this configuration's status through ``app`` (/v1/health, /v1/reload)."""
        self.app = app
        state = server_state(app)
        state.config_problems = self.problems
        state.live_config = self

    # ----------------------------------------------------------------- initial load
    def initial(self) -> Settings:
        """Settings to start with: the files if valid, else the last good copy, else defaults."""
        result = load_layered(self.extra)
        self.last_result = result
        self._remember_stamps(result)
        if result.ok:
            self._save_last_good(result.settings)
            self.loaded_at = time.time()
            for w in result.warnings:
                log.warning("konfigurasi: %s", w)
            return self._apply_overrides(result.settings)
        fallback = self._load_last_good()
        what = "konfigurasi terakhir yang valid" if fallback else "pengaturan bawaan"
        self._set_problems(result.errors, f"Server memakai {what} sampai berkas diperbaiki.")
        return self._apply_overrides(fallback or Settings())

    def _apply_overrides(self, s: Settings) -> Settings:
        for key, value in self.overrides.items():
            if value is not None:
                setattr(s, key, value)
        return s

    # ----------------------------------------------------------------- reloading
    def reload(self, reason: str = "request") -> dict:
        with self._lock:
            started = time.perf_counter()
            result = load_layered(self.extra)
            self.last_result = result
            self._remember_stamps(result)
            if not result.ok:
                when = time.strftime("%H:%M:%S", time.localtime(self.loaded_at)) if self.loaded_at else None
                keep = (f"Server tetap memakai konfigurasi terakhir yang valid (dimuat {when})."
                        if when else "Server tetap memakai konfigurasi yang sedang berjalan.")
                self._set_problems(result.errors, keep)
                return {"reloaded": False, "errors": list(result.errors), "warnings": list(result.warnings)}
            new = self._apply_overrides(result.settings)
            state = server_state(self.app)
            old: Settings = state.settings
            holder = state.analyzer
            if new.analyzer != old.analyzer or holder.get() is None:
                try:
                    analyzer = Analyzer(new.analyzer)
                except Exception as exc:  # a rule-engine refusal must not take the server down
                    self._set_problems([f"aturan organisasi tidak bisa dipakai: {exc}"],
                                       "Server tetap memakai konfigurasi yang sedang berjalan.")
                    return {"reloaded": False, "errors": list(self.problems), "warnings": []}
                holder.swap(analyzer)
            self.notes = [f"server.{k} berubah ({getattr(old, k)!r} → {getattr(new, k)!r}); berlaku setelah "
                          f"server dimulai ulang." for k in RESTART_KEYS if getattr(old, k) != getattr(new, k)]
            for k in RESTART_KEYS:  # not applied while running
                setattr(new, k, getattr(old, k))
            state.settings = new
            if state.stats is not None:
                state.stats.configure(new)
            self._set_problems([], None)
            self._save_last_good(new)
            self.loaded_at = time.time()
            self.reloads += 1
            level = logging.getLogger("saring")
            if new.log_level and not self.overrides.get("log_level"):
                level.setLevel(new.log_level.upper())
            ms = (time.perf_counter() - started) * 1000
            log.info("konfigurasi dimuat ulang (%s) dari %s dalam %.0f ms", reason, ", ".join(new.sources) or "bawaan", ms)
            for w in result.warnings + self.notes:
                log.warning("konfigurasi: %s", w)
            return {"reloaded": True, "sources": new.sources, "warnings": list(result.warnings) + self.notes,
                    "elapsed_ms": round(ms, 1)}

    def _set_problems(self, errors: list[str], consequence: str | None) -> None:
        self._config_problems = list(errors) + ([consequence] if errors and consequence else [])
        self._publish()
        if errors:
            for e in errors:
                log.error("konfigurasi tidak valid: %s", e)
            if consequence:
                log.error("%s", consequence)

    # ----------------------------------------------------------------- watching
    def _remember_stamps(self, result: LoadResult) -> None:
        self._stamps = {p: _stamp(p) for p in result.watched_paths()}

    def changed(self) -> bool:
        return any(_stamp(p) != s for p, s in self._stamps.items())

    def start(self) -> None:
        if self._thread is not None or self.interval <= 0:
            return
        self._thread = threading.Thread(target=self._watch, name="saring-config-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                if self.changed():
                    # A file being written may be caught half-way: wait a moment, then read.
                    time.sleep(0.2)
                    self.reload("berkas berubah")
                if self.watch_error:
                    self.watch_error = None
                    self._publish()
            except Exception as exc:  # never let the watcher die; say so where IT looks
                self.watch_error = (f"pemantau konfigurasi gagal ({type(exc).__name__}); perubahan berkas mungkin "
                                    f"tidak terbaca. Periksa berkasnya, lalu POST /v1/reload atau mulai ulang server.")
                log.error("pemantau konfigurasi: %s", type(exc).__name__)
                self._publish()

    def _publish(self) -> None:
        """Refresh the list /v1/health shows: configuration problems, then the watcher's."""
        shown = list(self._config_problems)
        if self.watch_error:
            shown.append(self.watch_error)
        self.problems[:] = shown

    # ----------------------------------------------------------------- last good copy
    def _last_good_path(self) -> Path | None:
        return self.data_dir / LAST_GOOD if self.data_dir else None

    def _save_last_good(self, s: Settings | None) -> None:
        path = self._last_good_path()
        if path is None or s is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"sources": s.sources, "saved": time.time(), "config": s.raw},
                                      ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("tidak bisa menyimpan salinan konfigurasi terakhir: %s", exc.strerror or exc)

    def _load_last_good(self) -> Settings | None:
        path = self._last_good_path()
        if path is None or not path.exists():
            return None
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            # only a copy made from the same files: another --config must not inherit it
            current = sorted(str(layer.path) for layer in (self.last_result.layers if self.last_result else [])
                             if layer.exists)
            if sorted(saved.get("sources", [])) != current:
                return None
            s = settings_from_clean(saved["config"])
            s.sources = list(saved.get("sources", []))
            self.loaded_at = saved.get("saved")
            return s
        except Exception as exc:
            log.warning("salinan konfigurasi terakhir tidak terbaca: %s", type(exc).__name__)
            return None
