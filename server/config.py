"""Server configuration (TOML).

A minimal single-file loader; layered machine-wide/per-user files, locking and hot reload
build on ``Settings`` and ``load_settings`` (see docs/deploy.md).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from nlp.analyzer import AnalyzerConfig

DEFAULT_PORT = 8731
# Saring's own Chrome/Edge extension id, pinned by the "key" in extension/manifest.json.
DEFAULT_EXTENSION_IDS = ("ldjhkggihnbfhglcndojbckekmpmlmff",)


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
    source: str | None = None  # the file these settings came from
    warnings: list[str] = field(default_factory=list)


_SERVER_KEYS = {"host", "port", "allowed_hosts", "extension_ids", "firefox_origins", "log_level"}
_TOP_KEYS = {"server", "categories", "severity", "lexicon", "guard"}


def settings_from_dict(data: dict, source: str | None = None) -> Settings:
    s = Settings(source=source)
    where = source or "konfigurasi"
    for key in sorted(set(data) - _TOP_KEYS):
        s.warnings.append(f"{where}: kunci '{key}' tidak dikenal dan diabaikan")
    server = data.get("server", {})
    if not isinstance(server, dict):
        raise ConfigError(f"{where}: [server] harus berupa tabel")
    for key in sorted(set(server) - _SERVER_KEYS):
        s.warnings.append(f"{where}: kunci 'server.{key}' tidak dikenal dan diabaikan")
    if "port" in server:
        port = server["port"]
        if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
            raise ConfigError(f"{where}: server.port harus bilangan bulat 1–65535 (sekarang: {port!r})")
        s.port = port
    if "host" in server:
        if not isinstance(server["host"], str) or not server["host"]:
            raise ConfigError(f"{where}: server.host harus berupa teks")
        s.host = server["host"]
    for key in ("allowed_hosts", "extension_ids", "firefox_origins"):
        if key in server:
            val = server[key]
            if not isinstance(val, list) or not all(isinstance(v, str) for v in val):
                raise ConfigError(f"{where}: server.{key} harus berupa daftar teks")
            setattr(s, key, list(val))
    if "log_level" in server:
        if server["log_level"] not in ("debug", "info", "warning", "error"):
            raise ConfigError(f"{where}: server.log_level harus debug, info, warning, atau error")
        s.log_level = server["log_level"]
    guard = data.get("guard", {})
    if guard.get("mode", "warn") not in ("warn", "block"):
        raise ConfigError(f"{where}: guard.mode harus \"warn\" atau \"block\"")
    s.guard_mode = guard.get("mode", "warn")
    try:
        s.analyzer = AnalyzerConfig.from_mapping({
            "categories": data.get("categories", {}), "severity": data.get("severity", {}),
            "lexicon": data.get("lexicon", {}),
        })
        s.analyzer.validate()
    except (ValueError, AttributeError, TypeError) as exc:
        raise ConfigError(f"{where}: {exc}") from None
    return s


def load_settings(path: str | Path | None) -> Settings:
    if path is None:
        return Settings()
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"berkas konfigurasi tidak ditemukan: {p}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: bukan TOML yang valid ({exc})") from None
    return settings_from_dict(data, str(p))
