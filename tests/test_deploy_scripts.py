"""Deployment scripts (issue 6): service install/uninstall argument handling, the systemd unit
(`systemd-analyze verify`), the launchd plist, the Windows task XML, extension packaging and
the bundle's dependency-closure check. No network."""

from __future__ import annotations

import json
import os
import plistlib
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVICE = ROOT / "scripts" / "service"
sys.path.insert(0, str(ROOT / "scripts"))

import build_bundle  # noqa: E402
import package_extension  # noqa: E402

from nlp import __version__  # noqa: E402


def sh(script: Path, *args, env=None):
    return subprocess.run(["sh", str(script), *args], capture_output=True, text=True, timeout=30,
                          env={**os.environ, **(env or {})})


# ----------------------------------------------------------------------------- Linux (systemd)

LINUX_INSTALL = SERVICE / "linux" / "install.sh"
LINUX_UNINSTALL = SERVICE / "linux" / "uninstall.sh"


@pytest.mark.parametrize("script", [LINUX_INSTALL, LINUX_UNINSTALL,
                                    SERVICE / "macos" / "install.sh", SERVICE / "macos" / "uninstall.sh"])
def test_help_and_bad_usage(script):
    r = sh(script, "--help")
    assert r.returncode == 0 and "Usage:" in r.stdout and "--dry-run" in r.stdout
    r = sh(script, "--no-such-option")
    assert r.returncode == 2 and "unknown option '--no-such-option'" in r.stderr and "--help" in r.stderr


@pytest.mark.parametrize("args, message", [
    (["--port", "99999"], "--port must be a number from 1 to 65535"),
    (["--port", "abc"], "--port must be a number"),
    (["--port"], "option --port needs a value"),
    (["--log-level", "loud"], "--log-level must be debug, info, warning or error"),
    (["--exec"], "option --exec needs a value"),
])
@pytest.mark.parametrize("os_dir", ["linux", "macos"])
def test_install_rejects_bad_values(os_dir, args, message):
    r = sh(SERVICE / os_dir / "install.sh", *args, "--dry-run")
    assert r.returncode == 2 and message in r.stderr


def test_install_refuses_a_missing_program(tmp_path):
    r = sh(LINUX_INSTALL, "--exec", str(tmp_path / "nope" / "saring"), "--unit-dir", str(tmp_path), "--no-systemctl")
    assert r.returncode == 1 and "is not an executable file" in r.stderr
    assert not (tmp_path / "saring.service").exists()


def fake_program(tmp_path: Path, name: str) -> Path:
    path = tmp_path / "bin" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho \"$0 $*\" >> {tmp_path}/calls.log\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def test_linux_install_writes_unit_and_calls_systemctl(tmp_path):
    exe = fake_program(tmp_path, "saring")
    systemctl = fake_program(tmp_path, "systemctl")
    units = tmp_path / "units"
    r = sh(LINUX_INSTALL, "--exec", str(exe), "--port", "9000", "--log-level", "debug", "--unit-dir", str(units),
           env={"SYSTEMCTL": str(systemctl)})
    assert r.returncode == 0, r.stderr
    unit = (units / "saring.service").read_text(encoding="utf-8")
    assert f"ExecStart={exe} serve --port 9000 --log-level debug" in unit
    assert "Restart=on-failure" in unit and "WantedBy=default.target" in unit
    calls = (tmp_path / "calls.log").read_text(encoding="utf-8").splitlines()
    assert [c.split(" ", 1)[1] for c in calls] == ["--user daemon-reload", "--user enable saring.service",
                                                   "--user restart saring.service"]
    # uninstall
    (tmp_path / "calls.log").unlink()
    r = sh(LINUX_UNINSTALL, "--unit-dir", str(units), env={"SYSTEMCTL": str(systemctl)})
    assert r.returncode == 0 and not (units / "saring.service").exists()
    calls = (tmp_path / "calls.log").read_text(encoding="utf-8")
    assert "--user disable --now saring.service" in calls and "--user daemon-reload" in calls
    # uninstalling twice is fine
    assert sh(LINUX_UNINSTALL, "--unit-dir", str(units), "--no-systemctl").returncode == 0


def test_linux_global_dry_run(tmp_path):
    r = sh(LINUX_INSTALL, "--global", "--exec", "/opt/saring/bin/saring", "--dry-run")
    assert r.returncode == 0
    assert "/etc/systemd/user/saring.service" in r.stdout and "systemctl --global enable saring.service" in r.stdout
    assert "ExecStart=/opt/saring/bin/saring serve" in r.stdout


def test_linux_unit_file_parses():
    import configparser

    cp = configparser.ConfigParser(strict=True, interpolation=None)
    cp.optionxform = str
    cp.read_string((SERVICE / "linux" / "saring.service").read_text(encoding="utf-8"))
    assert cp["Service"]["Restart"] == "on-failure"
    assert cp["Service"]["ExecStart"].endswith("saring serve")
    assert cp["Install"]["WantedBy"] == "default.target"


def test_systemd_analyze_verify(tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze not installed (apt-get install systemd)")
    exe = fake_program(tmp_path, "saring")
    units = tmp_path / "units"
    assert sh(LINUX_INSTALL, "--exec", str(exe), "--unit-dir", str(units), "--no-systemctl").returncode == 0
    runtime = tmp_path / "xdg-runtime"
    runtime.mkdir(mode=0o700)
    r = subprocess.run(["systemd-analyze", "--user", "verify", str(units / "saring.service")],
                       capture_output=True, text=True, timeout=60,
                       env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)})
    if r.returncode != 0 and "Failed to initialize manager" in r.stderr:
        pytest.skip(f"systemd-analyze cannot run here: {r.stderr.strip()}")
    assert r.returncode == 0, r.stderr
    # systemd reports unknown keys and bad values as warnings with exit code 0: none allowed
    assert r.stderr.strip() == "", r.stderr


# ----------------------------------------------------------------------------- macOS (launchd)

def test_macos_plist_template_and_rendering(tmp_path):
    tpl = plistlib.loads((SERVICE / "macos" / "id.saring.server.plist").read_bytes())
    assert tpl["Label"] == "id.saring.server" and tpl["RunAtLoad"] is True
    assert tpl["KeepAlive"] == {"SuccessfulExit": False}
    exe = tmp_path / "my venv" / "bin" / "saring"
    cfg = tmp_path / "a&b.toml"
    r = sh(SERVICE / "macos" / "install.sh", "--exec", str(exe), "--port", "9001", "--config", str(cfg), "--dry-run")
    assert r.returncode == 0, r.stderr
    body = r.stdout.split("\n", 1)[1].split("# would run:")[0]
    plist = plistlib.loads(body.encode())
    assert plist["ProgramArguments"] == [str(exe), "serve", "--port", "9001", "--config", str(cfg)]
    assert "launchctl bootstrap gui/" in r.stdout


def test_macos_install_writes_plist_and_loads(tmp_path):
    exe = fake_program(tmp_path, "saring")
    launchctl = fake_program(tmp_path, "launchctl")
    agents = tmp_path / "LaunchAgents"
    r = sh(SERVICE / "macos" / "install.sh", "--exec", str(exe), "--agents-dir", str(agents),
           env={"LAUNCHCTL": str(launchctl)})
    assert r.returncode == 0, r.stderr
    plist = plistlib.loads((agents / "id.saring.server.plist").read_bytes())
    assert plist["ProgramArguments"] == [str(exe), "serve"]
    assert "bootstrap gui/" in (tmp_path / "calls.log").read_text(encoding="utf-8")
    r = sh(SERVICE / "macos" / "uninstall.sh", "--agents-dir", str(agents), env={"LAUNCHCTL": str(launchctl)})
    assert r.returncode == 0 and not (agents / "id.saring.server.plist").exists()


# ----------------------------------------------------------------------------- Windows (Task Scheduler)

NS = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}


def render_task(all_users: bool) -> ET.Element:
    """The same substitutions install.ps1 makes."""
    xml = (SERVICE / "windows" / "saring-task.xml").read_text(encoding="utf-8")
    if all_users:
        xml = xml.replace("{{TRIGGER_USER}}", "").replace("{{PRINCIPAL}}", "<GroupId>S-1-5-32-545</GroupId>")
    else:
        xml = xml.replace("{{TRIGGER_USER}}", r"<UserId>PC01\budi</UserId>").replace(
            "{{PRINCIPAL}}", r"<UserId>PC01\budi</UserId><LogonType>InteractiveToken</LogonType>")
    xml = xml.replace("{{COMMAND}}", r"C:\Program Files\Saring\venv\Scripts\pythonw.exe")
    xml = xml.replace("{{ARGUMENTS}}", "-m server serve").replace("{{WORKDIR}}", r"C:\Program Files\Saring\venv\Scripts")
    assert "{{" not in xml
    return ET.fromstring(xml.encode("utf-8"))


@pytest.mark.parametrize("all_users", [True, False])
def test_windows_task_xml(all_users):
    task = render_task(all_users)
    settings = task.find("t:Settings", NS)
    assert settings.findtext("t:ExecutionTimeLimit", namespaces=NS) == "PT0S"   # never stopped after 72 h
    assert settings.findtext("t:MultipleInstancesPolicy", namespaces=NS) == "IgnoreNew"
    assert settings.findtext("t:DisallowStartIfOnBatteries", namespaces=NS) == "false"
    restart = settings.find("t:RestartOnFailure", NS)
    assert restart.findtext("t:Interval", namespaces=NS) == "PT1M" and 1 <= int(restart.findtext("t:Count", namespaces=NS)) <= 255
    trigger = task.find("t:Triggers/t:LogonTrigger", NS)
    assert trigger.findtext("t:Repetition/t:Interval", namespaces=NS) == "PT5M"
    children = [c.tag.split("}")[1] for c in trigger]
    assert children.index("Repetition") < children.index("Delay")  # base-type elements first
    exe = task.find("t:Actions/t:Exec", NS)
    assert exe.findtext("t:Command", namespaces=NS).endswith("pythonw.exe")     # no console window
    assert exe.findtext("t:Arguments", namespaces=NS) == "-m server serve"
    principal = task.find("t:Principals/t:Principal", NS)
    assert principal.findtext("t:RunLevel", namespaces=NS) == "LeastPrivilege"
    if all_users:
        assert principal.findtext("t:GroupId", namespaces=NS) == "S-1-5-32-545"
        assert trigger.find("t:UserId", NS) is None
    else:
        assert principal.findtext("t:LogonType", namespaces=NS) == "InteractiveToken"


def test_windows_powershell_scripts_declare_their_parameters():
    ps1 = (SERVICE / "windows" / "install.ps1").read_text(encoding="utf-8")
    param_block = ps1[ps1.index("param("):ps1.index(")\n\n$ErrorActionPreference")]
    for name in ("VenvDir", "PythonW", "Port", "Config", "LogLevel", "AllUsers", "NoStart", "ExportXml"):
        assert f"${name}" in param_block
        assert f".PARAMETER {name}" in ps1  # documented for Get-Help
    assert "[ValidateRange(1, 65535)][int]$Port" in param_block
    assert "[ValidateSet('debug', 'info', 'warning', 'error')][string]$LogLevel" in param_block
    assert "SupportsShouldProcess" in ps1  # -WhatIf
    assert "Register-ScheduledTask" in ps1 and "-m server serve" in ps1
    # every {{PLACEHOLDER}} of the template is filled by install.ps1
    placeholders = set(re.findall(r"\{\{([A-Z_]+)\}\}", (SERVICE / "windows" / "saring-task.xml").read_text()))
    assert placeholders == {"TRIGGER_USER", "PRINCIPAL", "COMMAND", "ARGUMENTS", "WORKDIR"}
    for name in placeholders:
        assert "'{{%s}}'" % name in ps1
    un = (SERVICE / "windows" / "uninstall.ps1").read_text(encoding="utf-8")
    assert "Unregister-ScheduledTask" in un and "$Purge" in un


def test_python_dash_m_server_runs_the_cli():
    r = subprocess.run([sys.executable, "-m", "server", "--version"], cwd=ROOT, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0 and __version__ in r.stdout


# ----------------------------------------------------------------------------- extension packaging

def test_manifest_version_matches_nlp_version():
    manifest = json.loads((ROOT / "extension" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == package_extension.manifest_version(__version__)


def test_package_extension(tmp_path):
    src = tmp_path / "ext"
    shutil.copytree(ROOT / "extension", src)
    (src / "tests").mkdir(exist_ok=True)
    (src / "tests" / "x.test.js").write_text("test", encoding="utf-8")
    (src / "package.json").write_text("{}", encoding="utf-8")
    (src / ".eslintrc").write_text("{}", encoding="utf-8")
    manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
    manifest["version"] = "0.0.1"  # the packaged one must carry nlp/version.py's
    (src / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    out = package_extension.package(src, tmp_path / "out")
    assert set(out) == {"chrome", "chrome-store", "firefox"}
    for browser, path in out.items():
        assert path.name.startswith(f"saring-{__version__}-")
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            m = json.loads(zf.read("manifest.json"))
        assert m["version"] == package_extension.manifest_version(__version__)
        assert not any(n.startswith("tests/") or n.endswith("package.json") or "/." in "/" + n for n in names)
        if browser == "firefox":
            assert "key" not in m and m["browser_specific_settings"]["gecko"]["id"] == "saring@saring.id"
            assert "service_worker" not in m.get("background", {})
        else:
            assert "browser_specific_settings" not in m
            assert ("key" in m) == (browser == "chrome")
    # reproducible
    again = package_extension.package(src, tmp_path / "again")
    assert again["firefox"].read_bytes() == out["firefox"].read_bytes()


def test_manifest_version_format():
    assert package_extension.manifest_version("1.2.3") == "1.2.3"
    assert package_extension.manifest_version("0.2.0rc1") == "0.2.0"
    assert package_extension.manifest_version("1.0") == "1.0"


# ----------------------------------------------------------------------------- bundle logic (offline)

def test_parse_target():
    t = build_bundle.parse_target("windows-cp312")
    assert (t.os, t.py) == ("windows", (3, 12)) and t.platforms() == ["win_amd64"]
    t = build_bundle.parse_target("linux_x86_64-3.11")
    assert (t.os, t.py) == ("linux", (3, 11)) and "manylinux_2_17_x86_64" in t.platforms()
    with pytest.raises(Exception):
        build_bundle.parse_target("mac-cp311")
    with pytest.raises(Exception):
        build_bundle.parse_target("linux-cp310")


def fake_wheel(folder: Path, filename: str, requires: list[str]) -> None:
    name, version = filename.split("-")[:2]
    with zipfile.ZipFile(folder / filename, "w") as zf:
        meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + "".join(
            f"Requires-Dist: {r}\n" for r in requires)
        zf.writestr(f"{name}-{version}.dist-info/METADATA", meta)


def test_closure_check_evaluates_markers_for_the_target(tmp_path):
    fake_wheel(tmp_path, "saring-0.1.0-py3-none-any.whl", ["click>=8", "native>=1"])
    fake_wheel(tmp_path, "click-8.1.0-py3-none-any.whl", ['colorama; platform_system == "Windows"'])
    fake_wheel(tmp_path, "native-1.0-cp311-cp311-manylinux_2_17_x86_64.whl", [])
    fake_wheel(tmp_path, "native-1.0-cp312-cp312-win_amd64.whl", ['tomli; python_version < "3.11"'])
    wheels = build_bundle.scan(tmp_path)
    linux311 = build_bundle.Target("linux", (3, 11))
    win312 = build_bundle.Target("windows", (3, 12))
    assert build_bundle.missing_for(linux311, wheels) == []
    assert build_bundle.missing_for(win312, wheels) == ["colorama"]  # pip on Linux would skip it
    assert build_bundle.missing_for(build_bundle.Target("linux", (3, 12)), wheels) == ["native>=1"]
    fake_wheel(tmp_path, "colorama-0.4.6-py2.py3-none-any.whl", [])
    assert build_bundle.missing_for(win312, build_bundle.scan(tmp_path)) == []
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_bundle.py"), "--check", str(tmp_path),
                        "--target", "linux-cp311", "--target", "linux-cp312"], capture_output=True, text=True)
    assert r.returncode == 1 and "linux-cp311: complete" in r.stdout and "linux-cp312: MISSING native>=1" in r.stdout
