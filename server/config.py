"""Server configuration (TOML): layered files, locks, validation in plain language.

Layers, later wins, except for keys the machine-wide file locks:

1. machine-wide  (IT)      Linux /etc/saring/saring.toml
                           Windows %ProgramData%\\Saring\\saring.toml
                           macOS /Library/Application Support/Saring/saring.toml
2. per user                Linux $XDG_CONFIG_HOME/saring/saring.toml (~/.config/saring/saring.toml)
                           Windows %APPDATA%\\Saring\\saring.toml
                           macOS ~/Library/Application Support/Saring/saring.toml
3. ``--config FILE``       given on the command line (treated like a per-user file)

Environment overrides (tests, unusual deployments): ``SARING_MACHINE_CONFIG``,
``SARING_USER_CONFIG`` (a path, or empty to skip that layer) and ``SARING_DATA_DIR``.

The machine-wide file may hold ``[lock] keys = ["guard.mode", "lexicon", "categories", ...]``:
a locked key (and everything under it) keeps the machine-wide value; a later layer's value is
ignored with a warning. ``"*"`` locks everything. Lexicon lists are *added up* across layers
(an organisation's list plus a user's own words), other values replace.

Validation: an unknown key is a warning (ignored), an invalid value is an error. A file with
errors is not used at all; the server keeps its last good configuration (see server/live.py).
Messages are in Indonesian, plain language, with the line number where it can be found.
"""

from __future__ import annotations

import functools
import os
import re
import stat
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from nlp.analyzer import AnalyzerConfig

DEFAULT_PORT = 8731
# Saring's own Chrome/Edge extension id, pinned by the "key" in extension/manifest.json.
DEFAULT_EXTENSION_IDS = ("ldjhkggihnbfhglcndojbckekmpmlmff",)
LOG_LEVELS = ("debug", "info", "warning", "error")
GUARD_MODES = ("warn", "block")
SEVERITY_VALUES = ("info", "warning", "high", "off")


class ConfigError(ValueError):
    """The configuration is invalid; the message says what and where, in plain language."""


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    allowed_hosts: list[str] = field(default_factory=list)
    extension_ids: list[str] = field(default_factory=lambda: list(DEFAULT_EXTENSION_IDS))
    firefox_origins: list[str] | None = None  # None: any moz-extension:// origin
    log_level: str = "info"
    guard_mode: str = "warn"
    analyzer: AnalyzerConfig = field(default_factory=AnalyzerConfig)
    stats_enabled: bool = True            # local, per-user counts; never texts
    stats_share_with_office: bool = False  # off by default; needs stats.office_dir too
    stats_office_dir: str | None = None
    stats_retention_weeks: int = 52
    locked: list[str] = field(default_factory=list)
    source: str | None = None  # the file(s) these settings came from
    sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    raw: dict = field(default_factory=dict)  # the merged, validated TOML data


# ---------------------------------------------------------------------------- locations

def _env_path(name: str) -> Path | None | bool:
    """``False`` when the variable is unset, ``None`` when set but empty (layer skipped)."""
    if name not in os.environ:
        return False
    value = os.environ[name].strip()
    return Path(value) if value else None


def machine_config_path() -> Path | None:
    env = _env_path("SARING_MACHINE_CONFIG")
    if env is not False:
        return env  # type: ignore[return-value]
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Saring" / "saring.toml"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/Saring/saring.toml")
    return Path("/etc/saring/saring.toml")


def user_config_path() -> Path | None:
    env = _env_path("SARING_USER_CONFIG")
    if env is not False:
        return env  # type: ignore[return-value]
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", home / "AppData" / "Roaming")) / "Saring" / "saring.toml"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "Saring" / "saring.toml"
    return Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / "saring" / "saring.toml"


def data_dir() -> Path:
    """The user's data folder: logs/, stats.json, last-good-config.json."""
    env = os.environ.get("SARING_DATA_DIR", "").strip()
    if env:
        return Path(env)
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local")) / "Saring"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "Saring"
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "saring"


# ---------------------------------------------------------------------------- rule facts

@functools.lru_cache(maxsize=1)
def rule_facts() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """({category: rule ids}, {category: lexicon names an organisation may extend})."""
    from nlp.rules import CATEGORIES, load_all_rulesets, load_common

    common = set(load_common())
    rulesets = load_all_rulesets()
    rules = {c: {r.id for r in rulesets[c].rules} for c in CATEGORIES}
    lexicons = {c: set(rulesets[c].lexicons) | common for c in CATEGORIES}
    return rules, lexicons


# ---------------------------------------------------------------------------- validation

@dataclass
class Problems:
    where: str
    text: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def _line(self, *keys: str) -> str:
        """Best effort: the line where the last of ``keys`` is written."""
        if not self.text:
            return ""
        key = keys[-1]
        pats = [re.escape(key), re.escape(f'"{key}"'), re.escape(f"'{key}'")]
        table = ".".join(keys[:-1])
        lines = self.text.splitlines()
        start = 0
        if table:
            for i, line in enumerate(lines):
                if re.match(rf"\s*\[\s*{re.escape(table)}\s*\]", line):
                    start = i
                    break
        for i in range(start, len(lines)):
            if re.match(rf"\s*(?:{'|'.join(pats)})\s*=", lines[i]):
                return f" (baris {i + 1})"
        return ""

    def error(self, keys: tuple[str, ...], message: str) -> None:
        self.errors.append(f"{self.where}{self._line(*keys)}: {message}")

    def warn(self, keys: tuple[str, ...], message: str) -> None:
        self.warnings.append(f"{self.where}{self._line(*keys)}: {message}")


_TOP = {"server", "categories", "severity", "lexicon", "guard", "stats", "model", "lock"}
_SERVER = {"host", "port", "allowed_hosts", "extension_ids", "firefox_origins", "log_level"}
_STATS = {"enabled", "share_with_office", "office_dir", "retention_weeks"}
_MODEL_THRESHOLDS = ("warning", "info", "clean", "short")


def _is_str_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate(data: dict, where: str, text: str = "", layer: str = "user") -> tuple[dict, Problems]:
    """Check ``data`` (parsed TOML). Returns the cleaned data (unknown keys dropped) and the
    problems found. ``layer`` is "machine" or "user": only a machine-wide file may lock keys."""
    from nlp.rules import CATEGORIES

    p = Problems(where, text)
    clean: dict = {}
    rules, lexicons = rule_facts()
    all_rules = set().union(*rules.values())
    for key in data:
        if key not in _TOP:
            hint = ""
            if key in CATEGORIES:
                hint = f" Mungkin maksudnya [categories] {key} = true/false atau [lexicon.{key}]?"
            p.warn((key,), f"bagian/kunci '{key}' tidak dikenal, diabaikan.{hint} "
                            f"Yang dikenal: {', '.join(sorted(_TOP))}.")

    def table(name: str) -> dict | None:
        if name not in data:
            return None
        value = data[name]
        if not isinstance(value, dict):
            p.error((name,), f"'{name}' harus berupa bagian [{name}], bukan {_shown(value)}.")
            return None
        return value

    server = table("server")
    if server is not None:
        out = {}
        for key, value in server.items():
            keys = ("server", key)
            if key not in _SERVER:
                p.warn(keys, f"kunci 'server.{key}' tidak dikenal, diabaikan. Yang dikenal: {', '.join(sorted(_SERVER))}.")
            elif key == "port":
                if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
                    p.error(keys, f"server.port harus bilangan bulat 1 sampai 65535, tanpa tanda kutip (sekarang {_shown(value)}).")
                else:
                    out[key] = value
            elif key == "host":
                if not isinstance(value, str) or not value.strip():
                    p.error(keys, f"server.host harus berupa teks, misalnya \"127.0.0.1\" (sekarang {_shown(value)}).")
                else:
                    out[key] = value.strip()
            elif key == "log_level":
                if value not in LOG_LEVELS:
                    p.error(keys, f"server.log_level harus salah satu dari {', '.join(LOG_LEVELS)} (sekarang {_shown(value)}).")
                else:
                    out[key] = value
            else:  # lists of text
                if not _is_str_list(value):
                    p.error(keys, f"server.{key} harus berupa daftar teks, misalnya [\"...\"] (sekarang {_shown(value)}).")
                elif key == "extension_ids" and any(not re.fullmatch(r"[a-p]{32}", v) for v in value):
                    bad = next(v for v in value if not re.fullmatch(r"[a-p]{32}", v))
                    p.error(keys, f"server.extension_ids: '{bad}' bukan id ekstensi Chrome/Edge (32 huruf a sampai p).")
                elif key == "firefox_origins" and any(not v.startswith("moz-extension://") for v in value):
                    p.error(keys, "server.firefox_origins: setiap isian harus diawali moz-extension://")
                else:
                    out[key] = list(value)
        clean["server"] = out

    cats = table("categories")
    if cats is not None:
        out = {}
        for key, value in cats.items():
            if key not in CATEGORIES:
                p.warn(("categories", key), f"kategori '{key}' tidak dikenal, diabaikan. Kategori: {', '.join(CATEGORIES)}.")
            elif not isinstance(value, bool):
                p.error(("categories", key), f"categories.{key} harus true atau false, tanpa tanda kutip (sekarang {_shown(value)}).")
            else:
                out[key] = value
        clean["categories"] = out

    sev = table("severity")
    if sev is not None:
        out = {}
        for key, value in sev.items():
            if value not in SEVERITY_VALUES:
                p.error(("severity", key), f"tingkat untuk aturan '{key}' harus salah satu dari "
                                           f"{', '.join(SEVERITY_VALUES)} (sekarang {_shown(value)}).")
            elif key not in all_rules:
                p.warn(("severity", key), f"aturan '{key}' tidak ada, diabaikan. Id aturan berbentuk "
                                          f"\"kategori.nama\"; lihat nlp/data/rules/ atau keluaran 'saring check --json'.")
            else:
                out[key] = value
        clean["severity"] = out

    lex = table("lexicon")
    if lex is not None:
        out = {}
        for cat, names in lex.items():
            if cat not in CATEGORIES:
                p.warn(("lexicon", cat), f"[lexicon.{cat}]: kategori '{cat}' tidak dikenal, diabaikan. "
                                         f"Kategori: {', '.join(CATEGORIES)}.")
                continue
            if not isinstance(names, dict):
                p.error(("lexicon", cat), f"lexicon.{cat} harus berupa bagian [lexicon.{cat}] berisi "
                                          f"nama_daftar = [\"kata\", ...].")
                continue
            out_cat = {}
            for name, entries in names.items():
                keys = (f"lexicon.{cat}", name)
                if not _is_str_list(entries):
                    p.error(keys, f"lexicon.{cat}.{name} harus berupa daftar teks, misalnya "
                                  f"{name} = [\"Budi Santoso\", \"#BudiMenang\"] (sekarang {_shown(entries)}).")
                elif name not in lexicons[cat]:
                    p.warn(keys, f"daftar '{name}' tidak dipakai oleh aturan kategori {cat}, diabaikan. "
                                 f"Daftar yang bisa ditambah: {', '.join(sorted(lexicons[cat]))}.")
                else:
                    words = [w.strip() for w in entries if w.strip()]
                    if len(words) != len(entries):
                        p.warn(keys, f"lexicon.{cat}.{name}: isian kosong diabaikan.")
                    out_cat[name] = words
            out[cat] = out_cat
        clean["lexicon"] = out

    guard = table("guard")
    if guard is not None:
        out = {}
        for key, value in guard.items():
            if key != "mode":
                p.warn(("guard", key), f"kunci 'guard.{key}' tidak dikenal, diabaikan. Yang dikenal: mode.")
            elif value not in GUARD_MODES:
                p.error(("guard", key), f"guard.mode harus \"warn\" (boleh tetap kirim) atau \"block\" "
                                        f"(tidak boleh kirim) (sekarang {_shown(value)}).")
            else:
                out[key] = value
        clean["guard"] = out

    stats = table("stats")
    if stats is not None:
        out = {}
        for key, value in stats.items():
            keys = ("stats", key)
            if key not in _STATS:
                p.warn(keys, f"kunci 'stats.{key}' tidak dikenal, diabaikan. Yang dikenal: {', '.join(sorted(_STATS))}.")
            elif key in ("enabled", "share_with_office"):
                if not isinstance(value, bool):
                    p.error(keys, f"stats.{key} harus true atau false, tanpa tanda kutip (sekarang {_shown(value)}).")
                else:
                    out[key] = value
            elif key == "office_dir":
                if not isinstance(value, str):
                    p.error(keys, f"stats.office_dir harus berupa teks (path folder) (sekarang {_shown(value)}).")
                else:
                    out[key] = value
            elif key == "retention_weeks":
                if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 520:
                    p.error(keys, f"stats.retention_weeks harus bilangan bulat 1 sampai 520 (sekarang {_shown(value)}).")
                else:
                    out[key] = value
        clean["stats"] = out

    model = table("model")
    if model is not None:
        out = {}
        for key, value in model.items():
            keys = ("model", key)
            if key == "enabled":
                if not isinstance(value, bool):
                    p.error(keys, f"model.enabled harus true atau false, tanpa tanda kutip (sekarang {_shown(value)}).")
                else:
                    out[key] = value
            elif key == "thresholds":
                if not isinstance(value, dict):
                    p.error(keys, "model.thresholds harus berupa bagian [model.thresholds.<kategori>] berisi "
                                  "warning/info/clean/short = angka 0 sampai 1.")
                    continue
                th = {}
                for cat, values in value.items():
                    where = (f"model.thresholds.{cat}",)
                    if cat not in CATEGORIES:
                        p.warn(where, f"[model.thresholds.{cat}]: kategori '{cat}' tidak dikenal, diabaikan. "
                                      f"Kategori: {', '.join(CATEGORIES)}.")
                        continue
                    if not isinstance(values, dict):
                        p.error(where, f"model.thresholds.{cat} harus berupa bagian berisi warning/info/clean/short = angka.")
                        continue
                    cat_out = {}
                    for name, number in values.items():
                        k = (f"model.thresholds.{cat}", name)
                        if name not in _MODEL_THRESHOLDS:
                            p.warn(k, f"model.thresholds.{cat}.{name} tidak dikenal, diabaikan. "
                                      f"Yang dikenal: {', '.join(_MODEL_THRESHOLDS)}.")
                        elif isinstance(number, bool) or not isinstance(number, (int, float)) or not 0 <= number <= 1:
                            p.error(k, f"model.thresholds.{cat}.{name} harus angka 0 sampai 1, misalnya 0.9 "
                                       f"(sekarang {_shown(number)}).")
                        else:
                            cat_out[name] = float(number)
                    th[cat] = cat_out
                out[key] = th
            else:
                p.warn(keys, f"kunci 'model.{key}' tidak dikenal, diabaikan. Yang dikenal: enabled, thresholds.")
        clean["model"] = out

    lock = table("lock")
    if lock is not None:
        if layer != "machine":
            p.warn(("lock",), "[lock] hanya berlaku di berkas konfigurasi seluruh komputer (milik TI); di sini diabaikan.")
        for key, value in lock.items():
            if key != "keys":
                p.warn(("lock", key), f"kunci 'lock.{key}' tidak dikenal, diabaikan. Yang dikenal: keys.")
            elif not _is_str_list(value):
                p.error(("lock", key), f"lock.keys harus berupa daftar teks, misalnya [\"guard.mode\", \"lexicon\"] "
                                       f"(sekarang {_shown(value)}).")
            else:
                for item in value:
                    if item != "*" and item.split(".")[0] not in _TOP - {"lock"}:
                        p.warn(("lock", key), f"lock.keys: '{item}' tidak merujuk bagian yang dikenal "
                                              f"({', '.join(sorted(_TOP - {'lock'}))}).")
                if layer == "machine":
                    clean["lock"] = {"keys": list(value)}
    return clean, p


def _plain_toml_error(exc: tomllib.TOMLDecodeError) -> str:
    msg = str(exc)
    m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
    what = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", msg).strip() or "kesalahan penulisan"
    if m:
        where = f"baris {m.group(1)}, kolom {m.group(2)}: "
    elif "end of document" in msg:
        where = "di akhir berkas (baris terakhir): ada yang belum ditutup, misalnya ] atau \" — "
    else:
        where = ""
    return (f"{where}bukan TOML yang valid ({what}). Periksa tanda kutip, kurung siku dan tanda '=' "
            f"di sekitar tempat itu; teks harus diapit \"...\" dan daftar ditulis [\"a\", \"b\"].")


@dataclass
class Layer:
    kind: str  # "machine" | "user" | "extra"
    path: Path
    exists: bool = False
    data: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


MAX_CONFIG_BYTES = 1024 * 1024  # a configuration file is a few KB; a larger one is a mistake


class _NotRegular(OSError):
    pass


def read_config_bytes(path: Path) -> bytes:
    """A configuration file's bytes: a regular file of at most ``MAX_CONFIG_BYTES`` only.

    Opened without blocking and checked on the open handle, so what is read is what was
    checked: a FIFO (which would block the reading thread, and with it the server's reloads),
    a device such as ``/dev/zero`` behind a symlink (endless bytes), a folder or a huge file
    are refused with a message instead."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _NotRegular("bukan berkas biasa (mungkin folder, FIFO atau perangkat); konfigurasi harus berkas "
                              "teks TOML")
        if st.st_size > MAX_CONFIG_BYTES:
            raise _NotRegular(f"terlalu besar ({st.st_size:,} byte; paling besar {MAX_CONFIG_BYTES:,})".replace(",", "."))
        with os.fdopen(fd, "rb", closefd=False) as fh:
            raw = fh.read(MAX_CONFIG_BYTES + 1)
        if len(raw) > MAX_CONFIG_BYTES:
            raise _NotRegular(f"terlalu besar (lebih dari {MAX_CONFIG_BYTES:,} byte)".replace(",", "."))
        return raw
    finally:
        os.close(fd)


def read_layer(path: Path, kind: str) -> Layer:
    layer = Layer(kind, path)
    try:
        raw = read_config_bytes(path)
    except FileNotFoundError:
        if kind == "extra":
            layer.errors.append(f"{path}: berkas konfigurasi tidak ditemukan.")
        return layer
    except _NotRegular as exc:
        layer.exists = True
        layer.errors.append(f"{path}: tidak dipakai: {exc}.")
        return layer
    except OSError as exc:
        layer.exists = True
        layer.errors.append(f"{path}: tidak bisa dibaca ({exc.strerror or exc}).")
        return layer
    layer.exists = True
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        layer.errors.append(f"{path}: bukan teks UTF-8. Simpan ulang berkas dengan pengodean UTF-8.")
        return layer
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        layer.errors.append(f"{path}: {_plain_toml_error(exc)}")
        return layer
    clean, problems = validate(data, str(path), text, "machine" if kind == "machine" else "user")
    layer.data, layer.errors, layer.warnings = clean, problems.errors, problems.warnings
    return layer


# ---------------------------------------------------------------------------- merging

def _flatten(data: dict, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    out = []
    for key, value in data.items():
        if isinstance(value, dict) and value:
            out.extend(_flatten(value, prefix + (key,)))
        else:
            out.append((prefix + (key,), value))
    return out


def _locked(path: tuple[str, ...], locks: list[str]) -> bool:
    dotted = ".".join(path)
    return any(lock == "*" or dotted == lock or dotted.startswith(lock + ".") for lock in locks)


def merge_layers(layers: list[Layer]) -> tuple[dict, list[str], list[str]]:
    """Merge valid layers in order. Returns (data, locks, warnings about ignored locked keys)."""
    merged: dict = {}
    locks: list[str] = []
    warnings: list[str] = []
    for layer in layers:
        if not layer.exists or layer.errors:
            continue
        if layer.kind == "machine":
            locks = list(layer.data.get("lock", {}).get("keys", []))
        for path, value in _flatten({k: v for k, v in layer.data.items() if k != "lock"}):
            if layer.kind != "machine" and _locked(path, locks):
                warnings.append(f"{layer.path}: '{'.'.join(path)}' dikunci oleh TI di berkas seluruh komputer; "
                                f"nilai di sini diabaikan.")
                continue
            node = merged
            for key in path[:-1]:
                node = node.setdefault(key, {})
            if path[0] == "lexicon" and isinstance(value, list) and isinstance(node.get(path[-1]), list):
                node[path[-1]] = node[path[-1]] + [v for v in value if v not in node[path[-1]]]
            else:
                node[path[-1]] = value
    if locks:
        merged["lock"] = {"keys": locks}
    return merged, locks, warnings


def settings_from_clean(data: dict, source: str | None = None) -> Settings:
    """Settings from already validated data (see ``validate``/``merge_layers``)."""
    s = Settings(source=source)
    server = data.get("server", {})
    for key in ("host", "port", "log_level", "allowed_hosts", "extension_ids", "firefox_origins"):
        if key in server:
            setattr(s, key, server[key])
    s.guard_mode = data.get("guard", {}).get("mode", "warn")
    stats = data.get("stats", {})
    s.stats_enabled = stats.get("enabled", True)
    s.stats_share_with_office = stats.get("share_with_office", False)
    s.stats_office_dir = stats.get("office_dir") or None
    s.stats_retention_weeks = stats.get("retention_weeks", 52)
    s.locked = list(data.get("lock", {}).get("keys", []))
    s.analyzer = AnalyzerConfig.from_mapping({
        "categories": data.get("categories", {}), "severity": data.get("severity", {}),
        "lexicon": data.get("lexicon", {}), "model": data.get("model", {}),
    })
    s.analyzer.validate()
    s.raw = data
    return s


def settings_from_dict(data: dict, source: str | None = None) -> Settings:
    """One file's data → Settings; raises ConfigError listing every error."""
    clean, problems = validate(data, source or "konfigurasi", layer="machine")
    if problems.errors:
        raise ConfigError("\n".join(problems.errors))
    s = settings_from_clean(clean, source)
    s.warnings = problems.warnings
    if source:
        s.sources = [source]
    return s


def load_settings(path: str | Path | None) -> Settings:
    """A single file (no layering); raises ConfigError. ``None`` gives the defaults."""
    if path is None:
        return Settings()
    layer = read_layer(Path(path), "extra")
    if layer.errors:
        raise ConfigError("\n".join(layer.errors))
    s = settings_from_clean(layer.data, str(path))
    s.warnings = layer.warnings
    s.sources = [str(path)]
    return s


@dataclass
class LoadResult:
    settings: Settings | None  # None when some layer has errors
    layers: list[Layer]
    errors: list[str]
    warnings: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors

    def watched_paths(self) -> list[Path]:
        return [layer.path for layer in self.layers]


def standard_layers(extra: str | Path | None = None) -> list[tuple[Path, str]]:
    out = []
    machine, user = machine_config_path(), user_config_path()
    if machine is not None:
        out.append((machine, "machine"))
    if user is not None:
        out.append((user, "user"))
    if extra:
        out.append((Path(extra), "extra"))
    return out


def load_layered(extra: str | Path | None = None) -> LoadResult:
    """Read machine-wide, per-user and ``extra`` files. Never raises for a bad file: the
    result carries the errors (and ``settings`` is None then)."""
    layers = [read_layer(path, kind) for path, kind in standard_layers(extra)]
    errors = [e for layer in layers for e in layer.errors]
    warnings = [w for layer in layers for w in layer.warnings]
    if errors:
        return LoadResult(None, layers, errors, warnings)
    merged, _locks, lock_warnings = merge_layers(layers)
    warnings += lock_warnings
    used = [str(layer.path) for layer in layers if layer.exists]
    try:
        s = settings_from_clean(merged, ", ".join(used) or None)
    except ValueError as exc:  # AnalyzerConfig.validate: should not happen after validate()
        return LoadResult(None, layers, [str(exc)], warnings)
    s.sources, s.warnings = used, warnings
    return LoadResult(s, layers, [], warnings)


def check_file(path: str | Path, layer: str = "machine") -> tuple[list[str], list[str]]:
    """Errors and warnings of one file, for ``saring config check``."""
    result = read_layer(Path(path), "extra" if layer != "machine" else "machine")
    if not result.exists and not result.errors:
        result.errors.append(f"{path}: berkas konfigurasi tidak ditemukan.")
    return result.errors, result.warnings
