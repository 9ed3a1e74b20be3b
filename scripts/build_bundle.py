#!/usr/bin/env python3
"""Build Saring's offline install bundle.

The bundle is one flat folder of wheels -- Saring's own wheel and every dependency's wheel for
each target (Windows x64 and Linux x86-64, CPython 3.11 and 3.12 by default) -- plus the
service scripts, an example configuration, the packaged extension and an INSTALL.txt. On a
workstation without internet access:

    python -m venv /opt/saring
    /opt/saring/bin/pip install --no-index --find-links <bundle> saring

pip picks, from the one folder, the wheels that fit the machine it runs on.

Usage:
    python scripts/build_bundle.py                       # all targets -> dist/saring-bundle-<version>/
    python scripts/build_bundle.py --target linux-cp311  # one target only (fast)
    python scripts/build_bundle.py --archive zip         # also dist/saring-bundle-<version>.zip
    python scripts/build_bundle.py --check DIR           # check an existing bundle is complete

How it works: Saring's wheel is built from the source tree (in a temporary copy, so the work
tree gets no build/ or *.egg-info). Then, per target, `pip download --only-binary=:all:
--platform ... --python-version ...` resolves the dependencies. pip evaluates environment
markers (`; sys_platform == "win32"`) against the interpreter running it, not the target
(pypa/pip#10050), so a second pass reads every wheel's metadata, evaluates its requirements
with the target's marker environment, and downloads whatever is missing until the set is
closed. `--check` runs that second pass alone, without network, and fails on any gap.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path

try:  # `packaging` is nearly always there; pip vendors it otherwise.
    from packaging.markers import Marker  # noqa: F401
    from packaging.requirements import Requirement
    from packaging.tags import Tag, parse_tag
    from packaging.utils import canonicalize_name, parse_wheel_filename
except ImportError:  # pragma: no cover
    from pip._vendor.packaging.requirements import Requirement  # type: ignore
    from pip._vendor.packaging.tags import Tag, parse_tag  # type: ignore
    from pip._vendor.packaging.utils import canonicalize_name, parse_wheel_filename  # type: ignore

REPO = Path(__file__).resolve().parent.parent

# glibc of the oldest Linux the bundle aims at: 2.28 = Debian 10, Ubuntu 18.10/20.04, RHEL 8.
DEFAULT_GLIBC = (2, 28)


@dataclass(frozen=True)
class Target:
    """One platform + Python version the bundle serves."""

    os: str  # "linux" or "windows"
    py: tuple[int, int]
    glibc: tuple[int, int] = DEFAULT_GLIBC

    @property
    def name(self) -> str:
        return f"{self.os}-cp{self.py[0]}{self.py[1]}"

    def platforms(self) -> list[str]:
        if self.os == "windows":
            return ["win_amd64"]
        major, minor = self.glibc
        tags = [f"manylinux_{major}_{m}_x86_64" for m in range(minor, 4, -1)]
        # legacy aliases: manylinux2014 = 2_17, manylinux2010 = 2_12, manylinux1 = 2_5
        tags += ["manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64", "linux_x86_64"]
        return tags

    def pip_args(self) -> list[str]:
        args = ["--only-binary=:all:", "--implementation", "cp",
                "--python-version", f"{self.py[0]}.{self.py[1]}"]
        for plat in self.platforms():
            args += ["--platform", plat]
        return args

    def supported_tags(self) -> set[Tag]:
        """The wheel tags an interpreter of this target accepts (enough for a check)."""
        interp = f"cp{self.py[0]}{self.py[1]}"
        plats = self.platforms() + ["any"]
        tags = set()
        for plat in plats:
            tags.add(Tag(interp, interp, plat))
            tags.add(Tag(interp, "none", plat))
            for minor in range(2, self.py[1] + 1):  # abi3 wheels built for any older 3.x
                tags.add(Tag(f"cp3{minor}", "abi3", plat))
            for minor in range(0, self.py[1] + 1):
                tags.add(Tag(f"py3{minor}", "none", plat))
            tags.add(Tag("py3", "none", plat))
            tags.add(Tag("py2.py3", "none", plat))
        return tags

    def marker_env(self) -> dict[str, str]:
        ver = f"{self.py[0]}.{self.py[1]}"
        if self.os == "windows":
            env = {"os_name": "nt", "sys_platform": "win32", "platform_system": "Windows",
                   "platform_machine": "AMD64", "platform_release": "10", "platform_version": "10.0.19045"}
        else:
            env = {"os_name": "posix", "sys_platform": "linux", "platform_system": "Linux",
                   "platform_machine": "x86_64", "platform_release": "", "platform_version": ""}
        env.update({"python_version": ver, "python_full_version": f"{ver}.0",
                    "implementation_name": "cpython", "implementation_version": f"{ver}.0",
                    "platform_python_implementation": "CPython", "extra": ""})
        return env


def parse_target(text: str) -> Target:
    """`linux-cp311`, `windows-cp312`, also `win_amd64-cp312` / `linux_x86_64-3.11`."""
    m = re.fullmatch(r"(linux|windows|win|win_amd64|linux_x86_64)[-_:/](?:cp|py)?3\.?(\d+)", text.strip().lower())
    if not m:
        raise argparse.ArgumentTypeError(
            f"unknown target {text!r}: use linux-cp311, linux-cp312, windows-cp311 or windows-cp312")
    os_name = "windows" if m.group(1).startswith("win") else "linux"
    minor = int(m.group(2))
    if minor < 11:
        raise argparse.ArgumentTypeError(f"Saring needs Python 3.11 or newer, not 3.{minor}")
    return Target(os_name, (3, minor))


DEFAULT_TARGETS = [Target("linux", (3, 11)), Target("linux", (3, 12)),
                   Target("windows", (3, 11)), Target("windows", (3, 12))]


def read_version() -> str:
    text = (REPO / "nlp" / "version.py").read_text(encoding="utf-8")
    m = re.search(r"""__version__\s*=\s*["']([^"']+)["']""", text)
    if not m:
        raise SystemExit("cannot find __version__ in nlp/version.py")
    return m.group(1)


def log(msg: str) -> None:
    print(f"[bundle] {msg}", flush=True)


def run(cmd: list[str], quiet: bool = False) -> None:
    log("$ " + " ".join(cmd))
    res = subprocess.run(cmd, stdout=subprocess.PIPE if quiet else None,
                         stderr=subprocess.STDOUT if quiet else None, text=True)
    if res.returncode != 0:
        if quiet and res.stdout:
            sys.stdout.write(res.stdout[-6000:])
        raise SystemExit(f"command failed ({res.returncode}): {' '.join(cmd)}")


def pip(python: str) -> list[str]:
    return [python, "-m", "pip", "--disable-pip-version-check"]


# -- Saring's own wheel ------------------------------------------------------------------

_SOURCE_IGNORE = shutil.ignore_patterns(
    ".git", "dist", "build", "*.egg-info", "__pycache__", "*.pyc", ".pytest_cache",
    "node_modules", "tests", "extension", ".ci", ".venv", "venv")


def build_saring_wheel(out: Path, python: str) -> Path:
    with tempfile.TemporaryDirectory(prefix="saring-src-") as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(REPO, src, ignore=_SOURCE_IGNORE)
        if not (src / "README.md").exists():  # pyproject names it as the long description
            (src / "README.md").write_text("# Saring\n", encoding="utf-8")
            log("warning: README.md missing in the source tree; using a stub for the wheel")
        run(pip(python) + ["wheel", "--no-deps", "--wheel-dir", str(out), str(src)], quiet=True)
    wheels = sorted(out.glob("saring-*.whl"), key=lambda p: p.stat().st_mtime)
    if not wheels:
        raise SystemExit("no saring wheel was built")
    return wheels[-1]


# -- closure check ------------------------------------------------------------------------

@dataclass
class WheelInfo:
    path: Path
    name: str
    version: str
    tags: frozenset
    requires: list[str]


def wheel_info(path: Path) -> WheelInfo:
    name, version, _build, tags = parse_wheel_filename(path.name)
    requires: list[str] = []
    with zipfile.ZipFile(path) as zf:
        meta = next((n for n in zf.namelist()
                     if n.count("/") == 1 and n.endswith(".dist-info/METADATA")), None)
        if meta:
            msg = Parser().parsestr(zf.read(meta).decode("utf-8", "replace"), headersonly=True)
            requires = msg.get_all("Requires-Dist") or []
    return WheelInfo(path, canonicalize_name(name), str(version), frozenset(tags), requires)


def scan(folder: Path) -> list[WheelInfo]:
    return [wheel_info(p) for p in sorted(folder.glob("*.whl"))]


def missing_for(target: Target, wheels: list[WheelInfo], root: str = "saring",
                extras: tuple[str, ...] = ()) -> list[str]:
    """Requirements (as strings) that `root` needs on `target` and no wheel in the set meets.

    Walks the dependency graph from `root` with the target's marker environment; picks, for
    each name, the highest compatible version present (as pip would)."""
    supported = target.supported_tags()
    by_name: dict[str, list[WheelInfo]] = {}
    for w in wheels:
        if w.tags & supported:
            by_name.setdefault(w.name, []).append(w)
    env = target.marker_env()
    todo: list[tuple[str, tuple[str, ...], str]] = [(canonicalize_name(root), extras, root)]
    seen: set[tuple[str, tuple[str, ...]]] = set()
    missing: list[str] = []
    while todo:
        name, want_extras, spec = todo.pop()
        if (name, want_extras) in seen:
            continue
        seen.add((name, want_extras))
        req = Requirement(spec) if spec != name else None
        candidates = by_name.get(name, [])
        if req is not None:
            candidates = [w for w in candidates if req.specifier.contains(w.version, prereleases=True)]
        if not candidates:
            missing.append(spec)
            continue
        from packaging.version import Version  # local: only needed here

        best = max(candidates, key=lambda w: Version(w.version))
        for line in best.requires:
            dep = Requirement(line)
            ok = False
            for extra in ("",) + want_extras:
                if dep.marker is None or dep.marker.evaluate({**env, "extra": extra}):
                    ok = True
                    break
            if not ok:
                continue
            dep_spec = f"{dep.name}{'[' + ','.join(sorted(dep.extras)) + ']' if dep.extras else ''}{dep.specifier}"
            todo.append((canonicalize_name(dep.name), tuple(sorted(dep.extras)), dep_spec))
    return sorted(set(missing))


def check_bundle(folder: Path, targets: list[Target]) -> dict[str, list[str]]:
    wheels = scan(folder)
    return {t.name: missing_for(t, wheels) for t in targets}


# -- download -----------------------------------------------------------------------------

def download_target(target: Target, out: Path, saring_wheel: Path, python: str) -> None:
    log(f"resolving dependencies for {target.name}")
    run(pip(python) + ["download", "--dest", str(out), "--find-links", str(out),
                       *target.pip_args(), str(saring_wheel)], quiet=True)
    for _round in range(10):
        missing = missing_for(target, scan(out))
        if not missing:
            return
        log(f"{target.name}: markers pip skipped, fetching {', '.join(missing)}")
        run(pip(python) + ["download", "--dest", str(out), "--find-links", str(out),
                           *target.pip_args(), *missing], quiet=True)
    raise SystemExit(f"{target.name}: could not close the dependency set: {missing_for(target, scan(out))}")


# -- extras: service scripts, config example, extension, docs ----------------------------

def copy_extras(out: Path, with_extension: bool, python: str) -> None:
    service = REPO / "scripts" / "service"
    if service.is_dir():
        shutil.copytree(service, out / "service", dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
    config_dir = out / "config"
    config_dir.mkdir(exist_ok=True)
    for example in sorted((REPO / "scripts" / "config").glob("*.toml")):
        shutil.copy2(example, config_dir / example.name)
    deploy = REPO / "docs" / "deploy.md"
    if deploy.exists():
        shutil.copy2(deploy, out / "deploy.md")
    if with_extension and (REPO / "extension" / "manifest.json").exists():
        run([python, str(REPO / "scripts" / "package_extension.py"), "--out", str(out / "extension")], quiet=True)


INSTALL_TXT = """Saring {version} -- offline install bundle
==========================================

Targets: {targets}
Needs: CPython 3.11 or 3.12, 64-bit. No internet access is needed.
Full guide: deploy.md in this folder.

Linux (as root, once per machine):
    python3 -m venv /opt/saring
    /opt/saring/bin/pip install --no-index --find-links "$BUNDLE" saring
    install -D -m 0644 config/saring.example.toml /etc/saring/saring.toml   # then edit
    sh service/linux/install.sh --global --exec /opt/saring/bin/saring
  (every user then gets the server at logon; or, per user without root:
    sh service/linux/install.sh --exec /opt/saring/bin/saring)

Windows (PowerShell as administrator, once per machine), all in one run:
    powershell -ExecutionPolicy Bypass -File service\\windows\\setup.ps1 -Config <your saring.toml> -PythonInstaller <python-3.12.x-amd64.exe>
  (Python only if the PC has none; the Chrome/Edge policies come from service\\policies\\: put your
  store ids into edge-policy.json first, or add -NoBrowserPolicy; -WhatIf shows every step.
  `saring` is then on the PATH in new windows. deploy.md section 7 shows it run from a share.)
  Or step by step:
    py -3.12 -m venv "C:\\Program Files\\Saring\\venv"
    & "C:\\Program Files\\Saring\\venv\\Scripts\\pip.exe" install --no-index --find-links "$BUNDLE" saring
    New-Item -ItemType Directory -Force "$env:ProgramData\\Saring"
    Copy-Item config\\saring.example.toml "$env:ProgramData\\Saring\\saring.toml"   # then edit
    powershell -ExecutionPolicy Bypass -File service\\windows\\install.ps1 -AllUsers -VenvDir "C:\\Program Files\\Saring\\venv"
  Remove everything again: powershell -ExecutionPolicy Bypass -File service\\windows\\uninstall.ps1 -Purge

macOS (per user):
    python3 -m venv ~/Library/Application\\ Support/Saring/venv
    ~/Library/Application\\ Support/Saring/venv/bin/pip install --no-index --find-links "$BUNDLE" saring
    sh service/macos/install.sh --exec ~/Library/Application\\ Support/Saring/venv/bin/saring

Then check with:  saring doctor
Browser extension: extension/ (zip for Chrome/Edge, unsigned xpi for Firefox); see deploy.md.
Integrity: SHA256SUMS lists every file (sha256sum -c SHA256SUMS / Get-FileHash).
"""


def write_manifest(out: Path, version: str, targets: list[Target]) -> None:
    wheels = scan(out)
    per_target = {}
    for t in targets:
        sup = t.supported_tags()
        per_target[t.name] = sorted(w.path.name for w in wheels if w.tags & sup)
    (out / "bundle.json").write_text(json.dumps({
        "saring_version": version,
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "targets": [t.name for t in targets],
        "wheels": per_target,
        "install": "pip install --no-index --find-links <this folder> saring",
    }, indent=2) + "\n", encoding="utf-8")
    (out / "INSTALL.txt").write_text(
        INSTALL_TXT.format(version=version, targets=", ".join(t.name for t in targets)), encoding="utf-8")
    lines = []
    for path in sorted(p for p in out.rglob("*") if p.is_file() and p.name != "SHA256SUMS"):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {path.relative_to(out).as_posix()}")
    (out / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_archive(out: Path, kind: str) -> Path:
    base = out.parent / out.name
    fmt = {"zip": "zip", "tar.gz": "gztar"}[kind]
    return Path(shutil.make_archive(str(base), fmt, root_dir=out.parent, base_dir=out.name))


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="build_bundle.py",
        description="Build Saring's offline install bundle (wheels for every target + service scripts).")
    ap.add_argument("--target", action="append", type=parse_target, metavar="OS-cpXY",
                    help="linux-cp311, linux-cp312, windows-cp311, windows-cp312 (repeatable; default: all four)")
    ap.add_argument("--out", type=Path, help="output folder (default: dist/saring-bundle-<version>)")
    ap.add_argument("--archive", choices=["zip", "tar.gz"], help="also pack the folder into one archive")
    ap.add_argument("--no-extension", action="store_true", help="do not package the browser extension")
    ap.add_argument("--python", default=sys.executable, help="interpreter whose pip does the work")
    ap.add_argument("--clean", action="store_true", help="empty the output folder first")
    ap.add_argument("--check", type=Path, metavar="DIR",
                    help="only check that DIR holds every wheel each target needs (offline); exit 1 if not")
    args = ap.parse_args(argv)
    targets = args.target or DEFAULT_TARGETS

    if args.check:
        gaps = check_bundle(args.check, targets)
        bad = {k: v for k, v in gaps.items() if v}
        for name, miss in gaps.items():
            print(f"{name}: {'complete' if not miss else 'MISSING ' + ', '.join(miss)}")
        return 1 if bad else 0

    version = read_version()
    out = (args.out or REPO / "dist" / f"saring-bundle-{version}").resolve()
    if args.clean and out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("saring-*.whl"):  # never ship two Saring versions side by side
        old.unlink()
    started = time.monotonic()
    saring_wheel = build_saring_wheel(out, args.python)
    log(f"built {saring_wheel.name}")
    for target in targets:
        download_target(target, out, saring_wheel, args.python)
    gaps = {k: v for k, v in check_bundle(out, targets).items() if v}
    if gaps:
        raise SystemExit(f"bundle incomplete: {gaps}")
    copy_extras(out, not args.no_extension, args.python)
    write_manifest(out, version, targets)
    size = folder_size(out)
    log(f"bundle ready: {out} ({size / 1e6:.1f} MB, {len(list(out.glob('*.whl')))} wheels, "
        f"{time.monotonic() - started:.0f} s)")
    if args.archive:
        archive = make_archive(out, args.archive)
        log(f"archive: {archive} ({archive.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
