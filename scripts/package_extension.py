#!/usr/bin/env python3
"""Package Saring's browser extension for Chrome/Edge (zip) and Firefox (unsigned xpi).

The version is taken from nlp/version.py -- the one place it is written -- and stamped into
each packaged manifest, so the server and the extension always ship the same number.

Outputs (default folder dist/extension/):
    saring-<version>-chrome.zip        manifest keeps `key` (fixed id ldjhkggihnbfhglcndojbckekmpmlmff):
                                       for "Load unpacked", for packing a CRX, for testing
    saring-<version>-chrome-store.zip  without `key`: what the Chrome Web Store and Edge Add-ons
                                       accept as an upload
    saring-<version>-firefox.xpi       unsigned; Firefox Release installs only signed add-ons, see
                                       docs/deploy.md ("Firefox")

Per browser the manifest is trimmed to what that browser reads: Chrome/Edge get
`background.service_worker` and no `browser_specific_settings`; Firefox gets
`background.scripts` and no `key`/`service_worker`. Tests, dev files and dotfiles are left out.
The archives are reproducible: sorted entries with a fixed timestamp.

Usage:
    python scripts/package_extension.py [--out DIR] [--src extension] [--only chrome|chrome-store|firefox]
"""

from __future__ import annotations

import argparse
import copy
import fnmatch
import json
import re
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Paths (relative, posix) or file-name patterns never shipped.
# `store` holds the store listing (texts, privacy policy, images): uploaded to the stores' forms,
# never part of the extension itself.
EXCLUDE_DIRS = {"tests", "test", "__tests__", "node_modules", "dev", "docs", "coverage", "playwright-report", "store"}
EXCLUDE_FILES = ["*.test.js", "*.spec.js", "*.map", "package.json", "package-lock.json", "*.md",
                 "*.pem", "*.crx", "*.zip", "*.xpi", "Thumbs.db", "*.log", "*.py", "*.pyc",
                 "tsconfig.json", "jsconfig.json", "web-ext-config.*", "*.orig", "*~"]
FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def read_version() -> str:
    text = (REPO / "nlp" / "version.py").read_text(encoding="utf-8")
    m = re.search(r"""__version__\s*=\s*["']([^"']+)["']""", text)
    if not m:
        raise SystemExit("cannot find __version__ in nlp/version.py")
    return m.group(1)


def manifest_version(version: str) -> str:
    """Chrome wants 1-4 dot-separated integers: 0.1.0rc1 -> 0.1.0, 1.2.0.post3 -> 1.2.0."""
    m = re.match(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?", version)
    if not m:
        raise SystemExit(f"version {version!r} has no leading number")
    parts = [g for g in m.groups() if g is not None]
    return ".".join(str(int(p)) for p in parts)


def shipped_files(src: Path) -> list[Path]:
    files = []
    for path in sorted(src.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(src)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if any(part in EXCLUDE_DIRS for part in rel.parts[:-1]):
            continue
        if any(fnmatch.fnmatch(rel.name, pat) for pat in EXCLUDE_FILES):
            continue
        if rel.as_posix() == "manifest.json":
            continue
        files.append(path)
    return files


def manifest_for(manifest: dict, browser: str, version: str) -> dict:
    m = copy.deepcopy(manifest)
    m["version"] = manifest_version(version)
    if version != m["version"]:
        m["version_name"] = version
    bg = m.get("background") or {}
    if browser.startswith("chrome"):
        m.pop("browser_specific_settings", None)
        bg.pop("scripts", None)
        if browser == "chrome-store":
            m.pop("key", None)
    else:  # firefox
        m.pop("key", None)
        m.pop("minimum_chrome_version", None)
        if "scripts" in bg:
            bg.pop("service_worker", None)
        elif "service_worker" in bg:
            bg["scripts"] = [bg.pop("service_worker")]
        # `storage.managed_schema` stays: Firefox ignores it and reads 3rdparty policy instead.
    if bg:
        m["background"] = bg
    return m


def referenced_files(manifest: dict) -> set[str]:
    refs: set[str] = set()

    def add(value):
        if isinstance(value, str) and not value.startswith("__MSG_") and "." in value and "*" not in value:
            refs.add(value.lstrip("/"))

    for icon in (manifest.get("icons") or {}).values():
        add(icon)
    action = manifest.get("action") or {}
    add(action.get("default_popup"))
    for icon in (action.get("default_icon") or {}).values():
        add(icon)
    bg = manifest.get("background") or {}
    add(bg.get("service_worker"))
    for s in bg.get("scripts", []):
        add(s)
    add((manifest.get("options_ui") or {}).get("page"))
    add((manifest.get("storage") or {}).get("managed_schema"))
    for cs in manifest.get("content_scripts", []):
        for f in cs.get("js", []) + cs.get("css", []):
            add(f)
    return refs


def write_zip(dest: Path, src: Path, files: list[Path], manifest: dict) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo("manifest.json", FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        zf.writestr(info, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(src).as_posix(), FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())


def package(src: Path, out: Path, only: list[str] | None = None) -> dict[str, Path]:
    manifest_path = src / "manifest.json"
    if not manifest_path.exists():
        raise SystemExit(f"{manifest_path} not found")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    version = read_version()
    files = shipped_files(src)
    present = {p.relative_to(src).as_posix() for p in files}
    results: dict[str, Path] = {}
    names = {"chrome": f"saring-{version}-chrome.zip",
             "chrome-store": f"saring-{version}-chrome-store.zip",
             "firefox": f"saring-{version}-firefox.xpi"}
    for browser, name in names.items():
        if only and browser not in only:
            continue
        m = manifest_for(manifest, browser, version)
        missing = sorted(referenced_files(m) - present)
        if missing:
            print(f"warning: {browser}: manifest names files that are not there: {', '.join(missing)}",
                  file=sys.stderr)
        write_zip(out / name, src, files, m)
        results[browser] = out / name
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="package_extension.py",
                                 description="Package the extension: Chrome/Edge zip and unsigned Firefox xpi.")
    ap.add_argument("--src", type=Path, default=REPO / "extension", help="extension folder (default: extension/)")
    ap.add_argument("--out", type=Path, default=REPO / "dist" / "extension", help="output folder")
    ap.add_argument("--only", action="append", choices=["chrome", "chrome-store", "firefox"],
                    help="build only this package (repeatable)")
    args = ap.parse_args(argv)
    for browser, path in package(args.src, args.out, args.only).items():
        print(f"{browser}: {path} ({path.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
