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
from typing import Callable

from nlp.analyzer import AnalyzerConfig
from nlp.pipeline.engine import MODEL_THRESHOLD_KEYS

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


# What a configuration file may hold, as data: ``_KEYS`` says what each key's value must be,
# ``_TABLES`` what each table must look like and what is said of a key it does not know.  In a
# path, ``<category>``, ``<rule>``, ``<lexicon>`` and ``<threshold>`` stand for any name of a
# list (the tables that hold them say which).

class _Bad(ValueError):
    """A value that does not fit; a message given here replaces the key's usual one."""


@dataclass(frozen=True)
class Key:
    check: Callable[[object], object]  # the value to keep; raises _Bad
    expect: str  # completes "<name> harus …"; {key} is the key's own name
    name: str = "{path}"  # how the message names the key
    notes: Callable[[str, object, object], list[str]] | None = None  # (path, raw, kept) -> warnings


@dataclass(frozen=True)
class Table:
    shape: str  # the error when the value is not a table
    unknown: str  # the warning for a key the table does not know
    names: Callable[[tuple[str, ...]], list[str]] | None = None  # its keys are names from this list
    placeholder: str = ""  # how ``_KEYS``/``_TABLES`` write such a name
    value_first: bool = False  # a value that does not fit is an error even under an unknown name


def _boolean(value):
    if not isinstance(value, bool):
        raise _Bad
    return value


def _integer(low: int, high: int):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _Bad
        return value
    return check


def _fraction(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise _Bad
    return float(value)


def _choice(options: tuple[str, ...]):
    def check(value):
        if value not in options:
            raise _Bad
        return value
    return check


def _string(value):
    if not isinstance(value, str):
        raise _Bad
    return value


def _host(value):
    if not isinstance(value, str) or not value.strip():
        raise _Bad
    return value.strip()


def _is_str_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _texts(problem: Callable[[str], str | None] | None = None):
    """A list of text; ``problem(item)`` names what is wrong with one item, if anything."""
    def check(value):
        if not _is_str_list(value):
            raise _Bad
        for item in value:
            message = problem(item) if problem else None
            if message:
                raise _Bad(message)
        return list(value)
    return check


def _words(value):
    if not _is_str_list(value):
        raise _Bad
    return [w.strip() for w in value if w.strip()]


def _extension_id(item: str) -> str | None:
    if not re.fullmatch(r"[a-p]{32}", item):
        return f"server.extension_ids: '{item}' bukan id ekstensi Chrome/Edge (32 huruf a sampai p)."
    return None


def _firefox_origin(item: str) -> str | None:
    return None if item.startswith("moz-extension://") else "server.firefox_origins: setiap isian harus diawali moz-extension://"


def _empty_entries(path: str, raw, kept) -> list[str]:
    return [f"{path}: isian kosong diabaikan."] if len(kept) != len(raw) else []


def _lock_targets(path: str, raw, kept) -> list[str]:
    sections = ", ".join(sorted(_TOP - {"lock"}))
    return [f"lock.keys: '{item}' tidak merujuk bagian yang dikenal ({sections})."
            for item in kept if item != "*" and item.split(".")[0] not in _TOP - {"lock"}]


def _categories(path) -> list[str]:
    from nlp.rules import CATEGORIES

    return list(CATEGORIES)


def _rule_ids(path) -> list[str]:
    return sorted(set().union(*rule_facts()[0].values()))


def _lexicon_names(path) -> list[str]:
    return sorted(rule_facts()[1][path[-1]])


def _threshold_names(path) -> list[str]:
    return list(MODEL_THRESHOLD_KEYS)


BOOLEAN = "harus true atau false, tanpa tanda kutip"
SECTION = "'{key}' harus berupa bagian [{key}], bukan {shown}."
KNOWN_KEYS = "kunci '{path}' tidak dikenal, diabaikan. Yang dikenal: {known}."
UNKNOWN_CATEGORY = "kategori '{key}' tidak dikenal, diabaikan. Kategori: {known}."

_KEYS: dict[str, Key] = {
    "categories.<category>": Key(_boolean, BOOLEAN),
    "guard.mode": Key(_choice(GUARD_MODES), 'harus "warn" (boleh tetap kirim) atau "block" (tidak boleh kirim)'),
    "lexicon.<category>.<lexicon>": Key(_words, 'harus berupa daftar teks, misalnya {key} = ["Budi Santoso", '
                                                '"#BudiMenang"]', notes=_empty_entries),
    "lock.keys": Key(_texts(), 'harus berupa daftar teks, misalnya ["guard.mode", "lexicon"]', notes=_lock_targets),
    "model.enabled": Key(_boolean, BOOLEAN),
    "model.thresholds.<category>.<threshold>": Key(_fraction, "harus angka 0 sampai 1, misalnya 0.9"),
    "server.allowed_hosts": Key(_texts(), 'harus berupa daftar teks, misalnya ["..."]'),
    "server.extension_ids": Key(_texts(_extension_id), 'harus berupa daftar teks, misalnya ["..."]'),
    "server.firefox_origins": Key(_texts(_firefox_origin), 'harus berupa daftar teks, misalnya ["..."]'),
    "server.host": Key(_host, 'harus berupa teks, misalnya "127.0.0.1"'),
    "server.log_level": Key(_choice(LOG_LEVELS), f"harus salah satu dari {', '.join(LOG_LEVELS)}"),
    "server.port": Key(_integer(1, 65535), "harus bilangan bulat 1 sampai 65535, tanpa tanda kutip"),
    "severity.<rule>": Key(_choice(SEVERITY_VALUES), f"harus salah satu dari {', '.join(SEVERITY_VALUES)}",
                           name="tingkat untuk aturan '{key}'"),
    "stats.enabled": Key(_boolean, BOOLEAN),
    "stats.office_dir": Key(_string, "harus berupa teks (path folder)"),
    "stats.retention_weeks": Key(_integer(1, 520), "harus bilangan bulat 1 sampai 520"),
    "stats.share_with_office": Key(_boolean, BOOLEAN),
}

_TABLES: dict[str, Table] = {
    "": Table("", "bagian/kunci '{key}' tidak dikenal, diabaikan.{hint} Yang dikenal: {known}."),
    "categories": Table(SECTION, UNKNOWN_CATEGORY, _categories, "<category>"),
    "guard": Table(SECTION, KNOWN_KEYS),
    "lexicon": Table(SECTION, "[{path}]: " + UNKNOWN_CATEGORY, _categories, "<category>"),
    "lexicon.<category>": Table('{path} harus berupa bagian [{path}] berisi nama_daftar = ["kata", ...].',
                                "daftar '{key}' tidak dipakai oleh aturan kategori {table}, diabaikan. "
                                "Daftar yang bisa ditambah: {known}.", _lexicon_names, "<lexicon>", value_first=True),
    "lock": Table(SECTION, KNOWN_KEYS),
    "model": Table(SECTION, KNOWN_KEYS),
    "model.thresholds": Table("{path} harus berupa bagian [{path}.<kategori>] berisi warning/info/clean/short = angka "
                              "0 sampai 1.", "[{path}]: " + UNKNOWN_CATEGORY, _categories, "<category>"),
    "model.thresholds.<category>": Table("{path} harus berupa bagian berisi warning/info/clean/short = angka.",
                                         "{path} tidak dikenal, diabaikan. Yang dikenal: {known}.",
                                         _threshold_names, "<threshold>"),
    "server": Table(SECTION, KNOWN_KEYS),
    "severity": Table(SECTION, "aturan '{key}' tidak ada, diabaikan. Id aturan berbentuk \"kategori.nama\"; lihat "
                               "nlp/data/rules/ atau keluaran 'saring check --json'.", _rule_ids, "<rule>",
                      value_first=True),
    "stats": Table(SECTION, KNOWN_KEYS),
}


def _children(pattern: str) -> list[str]:
    """The fixed keys of a table (alphabetical, as the messages list them)."""
    prefix = f"{pattern}." if pattern else ""
    return sorted(p[len(prefix):] for p in (*_TABLES, *_KEYS)
                  if p and p.startswith(prefix) and "." not in p[len(prefix):])


_TOP = set(_children(""))


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_table(p: Problems, path: tuple[str, ...], pattern: str, value) -> dict | None:
    """The cleaned table at ``path`` (``pattern`` in the tables' terms), or None if it is not one."""
    from nlp.rules import CATEGORIES

    spec = _TABLES[pattern]
    dotted = ".".join(path)
    if not isinstance(value, dict):
        p.error(path, spec.shape.format(key=path[-1], path=dotted, shown=_shown(value)))
        return None
    known = spec.names(path) if spec.names else _children(pattern)
    out = {}
    for key, item in value.items():
        child = path + (key,)
        fields = {"key": key, "path": ".".join(child), "table": path[-1] if path else "", "known": ", ".join(known),
                  "hint": f" Mungkin maksudnya [categories] {key} = true/false atau [lexicon.{key}]?"
                          if not path and key in CATEGORIES else ""}
        unknown = key not in known
        if unknown and not spec.value_first:
            p.warn(child, spec.unknown.format(**fields))
            continue
        child_pattern = ".".join(filter(None, (pattern, spec.placeholder if spec.names else key)))
        if child_pattern in _TABLES:
            table = _check_table(p, child, child_pattern, item)
            if table is not None:
                out[key] = table
            continue
        rule = _KEYS[child_pattern]
        try:
            kept = rule.check(item)
        except _Bad as exc:
            name = rule.name.format(key=key, path=fields["path"])
            p.error(child, str(exc) or f"{name} {rule.expect.format(key=key)} (sekarang {_shown(item)}).")
            continue
        if unknown:
            p.warn(child, spec.unknown.format(**fields))
            continue
        for note in rule.notes(fields["path"], item, kept) if rule.notes else ():
            p.warn(child, note)
        out[key] = kept
    return out


def validate(data: dict, where: str, text: str = "", layer: str = "user") -> tuple[dict, Problems]:
    """Check ``data`` (parsed TOML) against ``_KEYS`` and ``_TABLES``. Returns the cleaned data
    (unknown keys dropped) and the problems found. ``layer`` is "machine" or "user": only a
    machine-wide file may lock keys."""
    p = Problems(where, text)
    if layer != "machine" and isinstance(data.get("lock"), dict):
        p.warn(("lock",), "[lock] hanya berlaku di berkas konfigurasi seluruh komputer (milik TI); di sini diabaikan.")
    clean = _check_table(p, (), "", data) or {}
    lock = clean.pop("lock", {})
    if layer == "machine" and "keys" in lock:
        clean["lock"] = {"keys": lock["keys"]}
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


def settings_from_clean(data: dict) -> Settings:
    """Settings from already validated data (see ``validate``/``merge_layers``)."""
    s = Settings()
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
    s = settings_from_clean(clean)
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
    s = settings_from_clean(layer.data)
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
        s = settings_from_clean(merged)
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
