"""The Windows rollout for PCs not joined to a domain (issue 12): setup.ps1, the browser policy
files, the PATH shim, the full uninstall, and a deploy guide an admin can follow.

PowerShell does not run on the CI machine (Debian has no pwsh package), so the scripts are
checked statically (tests/ps_static.py) and against each other and the guide."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sys
from pathlib import Path

import pytest

import ps_static

ROOT = Path(__file__).resolve().parent.parent
WIN = ROOT / "scripts" / "service" / "windows"
POLICIES = ROOT / "scripts" / "service" / "policies"
GUIDE = ROOT / "docs" / "deploy.md"
SCRIPTS = {name: WIN / name for name in ("install.ps1", "setup.ps1", "uninstall.ps1")}
CWS_UPDATE = "https://clients2.google.com/service/update2/crx"
EDGE_UPDATE = "https://edge.microsoft.com/extensionwebstorebase/v1/crx"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def guide() -> str:
    return read(GUIDE)


def section(text: str, heading: str) -> str:
    start = text.index(heading)
    level = heading.split(" ")[0]
    nxt = re.compile(r"^#{1,%d} " % len(level), re.M).search(text, start + len(heading))
    return text[start:nxt.start() if nxt else len(text)]


def extension_id_from_key(key_b64: str) -> str:
    """Chrome's id of an extension: the first 128 bits of SHA-256 of its public key, in a-p."""
    digest = hashlib.sha256(base64.b64decode(key_b64)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


# ----------------------------------------------------------------------------- the scripts parse

@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_powershell_scripts_pass_the_static_check(name):
    assert SCRIPTS[name].exists(), f"{name} is missing"
    assert ps_static.problems(read(SCRIPTS[name])) == []


@pytest.mark.parametrize("source, expected", [
    ("$a = (1 + 2", "not closed"),
    ("Write-Output 'x", "not closed"),
    ('Write-Output "$(Get-Date"', "not closed"),
    ("$a = 1\nWrite-Output $b", "$b is read but never assigned"),
    ('$Browser = 1\nWrite-Output "$Browser: done"', "scope-qualified"),
    ("Get-Thingy -Name x", "unknown command Get-Thingy"),
    ("function F($a) { Write-Output $a }\nF($typo, 1)", "$typo is read but never assigned"),
])
def test_the_static_check_finds_real_mistakes(source, expected):
    assert any(expected in p for p in ps_static.problems(source)), ps_static.problems(source)


def test_the_static_check_reads_subexpressions_and_env_paths():
    ok = ('$x = "a $((1, 2) -join \'", "\') b"\n$y = ${env:ProgramFiles(x86)}\n'
          "Write-Output \"$x`: ${y}: $env:TEMP\"")
    assert ps_static.problems(ok) == []


def test_every_parameter_is_documented_for_get_help():
    for name, path in SCRIPTS.items():
        text = read(path)
        params = ps_static.parameters(text)
        assert params, name
        for p in params:
            assert f".PARAMETER {p}" in text, f"{name}: -{p} has no .PARAMETER help"
        assert "SupportsShouldProcess = $true" in text, f"{name}: no -WhatIf"


# ----------------------------------------------------------------------------- the guide uses what ships

SCRIPT_CALL = re.compile(r"(install|setup|uninstall)\.ps1\b([^\n`|]*)")
COMMON = {"WhatIf", "Confirm", "Verbose", "Detailed", "Full", "Examples"}


def test_the_guide_passes_only_declared_parameters():
    sys.path.insert(0, str(ROOT / "scripts"))
    import build_bundle

    declared = {name: ps_static.parameters(read(path)) for name, path in SCRIPTS.items()}
    seen = set()
    # the guide, the bundle's INSTALL.txt and the scripts' own examples
    sources = guide() + "\n" + build_bundle.INSTALL_TXT + "\n" + "\n".join(read(p) for p in SCRIPTS.values())
    for m in SCRIPT_CALL.finditer(sources):
        script = m.group(1) + ".ps1"
        args = re.split(r"\b(?:install|setup|uninstall)\.ps1\b", m.group(2))[0]   # up to the next script named
        for flag in re.findall(r"(?<![\w-])-([A-Za-z]+)\b", args):
            seen.add((script, flag))
            assert flag in declared[script] | COMMON, f"deploy.md passes -{flag} to {script}, which has no such parameter"
    assert ("setup.ps1", "SyncConfigFrom") in seen and ("uninstall.ps1", "Purge") in seen
    assert ("setup.ps1", "PythonInstaller") in seen           # INSTALL.txt's one-run line


def test_the_worked_example_uses_files_that_ship():
    example = section(guide(), "## 7. Worked example")
    for name in ("setup.ps1", "chrome-policy.json", "edge-policy.json"):
        assert name in example
        assert list((ROOT / "scripts" / "service").rglob(name)), f"the worked example uses {name}, which does not ship"
    # run under the default execution policy, as the guide says
    assert "powershell -ExecutionPolicy Bypass -File \\\\fileserver\\it\\saring\\setup.ps1" in example
    assert "Unblock-File" in example and "Unblock-File" in read(SCRIPTS["setup.ps1"])
    # the share layout the example describes is what setup.ps1 looks for next to itself
    setup = read(SCRIPTS["setup.ps1"])
    for looked_for in ("'saring-bundle-*'", "'python-3.1*-amd64.exe'", "'saring.toml'", "'chrome-policy.json'",
                       "'edge-policy.json'"):
        assert looked_for in setup


def test_bundle_carries_the_windows_kit(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    import build_bundle

    build_bundle.copy_extras(tmp_path, False, sys.executable)
    for rel in ("service/windows/setup.ps1", "service/windows/install.ps1", "service/windows/uninstall.ps1",
                "service/policies/chrome-policy.json", "service/policies/edge-policy.json",
                "service/policies/firefox-policies.json", "deploy.md"):
        assert (tmp_path / rel).is_file(), rel
    # setup.ps1 finds the bundle it sits in (..\..\bundle.json) and its policies (..\policies)
    setup = read(SCRIPTS["setup.ps1"])
    assert "Join-Path $Here '..\\..'" in setup and "..\\policies\\$Name" in setup


# ----------------------------------------------------------------------------- policy files

def _validate(value, schema, path="") -> list[str]:
    """The subset of JSON Schema that Chrome's managed_schema uses."""
    errors = []
    t = schema.get("type")
    kinds = {"string": str, "boolean": bool, "object": dict, "array": list, "integer": int}
    if t and not isinstance(value, kinds[t]) or (t == "integer" and isinstance(value, bool)):
        return [f"{path or '/'}: expected {t}, got {value!r}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not in {schema['enum']}")
    if t == "object":
        props = schema.get("properties", {})
        for k, v in value.items():
            if k not in props:
                errors.append(f"{path}/{k}: not in the schema (Chrome drops the whole policy)")
            else:
                errors += _validate(v, props[k], f"{path}/{k}")
    if t == "array":
        for i, v in enumerate(value):
            errors += _validate(v, schema.get("items", {}), f"{path}/{i}")
    return errors


def test_validator_rejects_what_chrome_rejects():
    schema = json.loads(read(ROOT / "extension" / "managed_schema.json"))
    assert _validate({"guardMode": "loud"}, schema) and _validate({"serverUrl": 8731}, schema)
    assert _validate({"lockedSettings": "serverUrl"}, schema) and _validate({"typo": True}, schema)
    assert _validate({"guardMode": "block", "lockedSettings": ["guardMode"]}, schema) == []


def test_chrome_and_edge_policy_files():
    manifest = json.loads(read(ROOT / "extension" / "manifest.json"))
    schema = json.loads(read(ROOT / "extension" / "managed_schema.json"))
    pattern = re.search(r"\$ExtensionIdPattern = '([^']+)'", read(SCRIPTS["setup.ps1"])).group(1)
    own_id = extension_id_from_key(manifest["key"])
    for name, update_url in (("chrome-policy.json", CWS_UPDATE), ("edge-policy.json", EDGE_UPDATE)):
        policy = json.loads(read(POLICIES / name))
        settings = policy["ExtensionSettings"]
        assert settings, name
        for ext_id, entry in settings.items():
            assert entry["installation_mode"] == "force_installed"
            assert entry["update_url"] == update_url, f"{name}: {ext_id} must update from its own browser's store"
            managed = policy["3rdparty"]["extensions"][ext_id]
            assert _validate(managed, schema) == [], name
            assert managed["serverUrl"] == "http://127.0.0.1:8731"
        if name == "chrome-policy.json":
            assert list(settings) == [own_id]          # Saring's id, derived from the manifest key
            assert re.fullmatch(pattern, own_id)
        else:
            # Edge Add-ons gives its own id: the file ships with a placeholder setup.ps1 refuses
            assert all(not re.fullmatch(pattern, i) for i in settings)
    setup = read(SCRIPTS["setup.ps1"])
    assert "$prop.Name -cnotmatch $ExtensionIdPattern" in setup      # case-sensitive: Chrome ids are lower case
    assert "[server] extension_ids" in setup


def test_firefox_policy_template():
    manifest = json.loads(read(ROOT / "extension" / "manifest.json"))
    gecko_id = manifest["browser_specific_settings"]["gecko"]["id"]
    policy = json.loads(read(POLICIES / "firefox-policies.json"))["policies"]
    entry = policy["ExtensionSettings"][gecko_id]
    assert entry["installation_mode"] == "force_installed" and entry["install_url"].startswith("file:///")
    schema = json.loads(read(ROOT / "extension" / "managed_schema.json"))
    assert _validate(policy["3rdparty"]["Extensions"][gecko_id], schema) == []
    assert f"$FirefoxId = '{gecko_id}'" in read(SCRIPTS["setup.ps1"])
    assert f"$FirefoxId = '{gecko_id}'" in read(SCRIPTS["uninstall.ps1"])


# ----------------------------------------------------------------------------- registry, PATH, uninstall

REGISTRY = ("HKLM:\\SOFTWARE\\Policies\\Google\\Chrome", "HKLM:\\SOFTWARE\\Policies\\Microsoft\\Edge",
            "CloudManagementEnrollmentToken", "EdgeManagementEnrollmentToken", "\\3rdparty\\extensions\\")


def test_setup_writes_and_uninstall_removes_the_same_registry_paths():
    setup, un = read(SCRIPTS["setup.ps1"]), read(SCRIPTS["uninstall.ps1"])
    for path in REGISTRY:
        assert path in setup, f"setup.ps1 does not write {path}"
        assert path in un, f"uninstall.ps1 does not remove {path}"
    # the guide names the same keys
    text = guide()
    for path in ("HKLM\\SOFTWARE\\Policies\\Microsoft\\Edge\\ExtensionSettings",
                 "HKLM\\SOFTWARE\\Policies\\Microsoft\\Edge\\3rdparty\\extensions\\<Edge Add-ons id>\\policy",
                 "HKLM\\SOFTWARE\\Policies\\Google\\Chrome\\CloudManagementEnrollmentToken",
                 "HKLM\\SOFTWARE\\Policies\\Microsoft\\Edge\\EdgeManagementEnrollmentToken"):
        assert path in text, path


def _powershell_blocks(text: str) -> list[str]:
    return re.findall(r"```powershell\n(.*?)```", text, re.S)


def test_no_registry_key_is_recreated_over_an_existing_one():
    """`New-Item -Force` on a registry key that exists empties it: every other browser policy gone."""
    sources = {name: read(p) for name, p in SCRIPTS.items()}
    sources["deploy.md"] = "\n".join(_powershell_blocks(guide()))
    for name, text in sources.items():
        for line in text.splitlines():
            code = line.split("#", 1)[0] if line.lstrip().startswith("#") else line
            if re.search(r"\bNew-Item\b", code) and "-Force" in code and "Directory" not in code:
                assert "Test-Path" in line, f"{name}: {line.strip()}"


def test_saring_goes_on_the_path_through_a_shim_only():
    install = read(SCRIPTS["install.ps1"])
    assert "'saring.cmd'" in install and "%*" in install
    assert "Session Manager\\Environment" in install and "-Type ExpandString" in install
    assert "Join-Path $env:ProgramFiles 'Saring\\bin'" in install and "'Machine'" in install
    assert "Join-Path $env:LOCALAPPDATA 'Saring\\bin'" in install and "'User'" in install
    assert not re.search(r"Path.*Scripts['\"]?\s*\)?\s*-join", install), "the venv's Scripts folder must not join the PATH"
    un = read(SCRIPTS["uninstall.ps1"])
    assert "Remove-FromPath (Join-Path $SaringDir 'bin') 'Machine'" in un
    assert "Remove-FromPath (Join-Path $env:LOCALAPPDATA 'Saring\\bin') 'User'" in un
    text = guide()
    assert "C:\\Program Files\\Saring\\bin" in text and "new** PowerShell" in text


def test_uninstall_removes_everything_setup_leaves():
    setup, un = read(SCRIPTS["setup.ps1"]), read(SCRIPTS["uninstall.ps1"])
    sync = re.search(r"Register-ScheduledTask -TaskName '([^']+)' -TaskPath '([^']+)'", setup)
    assert sync and f"$SyncTaskName = '{sync.group(1)}'" in un and f"$TaskPath = '{sync.group(2)}'" in un
    assert "Remove-Task $SyncTaskName" in un and "Remove-Task $TaskName" in un
    assert "'install-record.json'" in setup and "'install-record.json'" in un
    for removed in ("Remove-Folder $venv", "Remove-Folder $MachineDir", "Remove-BrowserPolicy $browser",
                    "Remove-FirefoxPolicy", "Stop-SaringServers"):
        assert removed in un, removed
    # -Purge covers every user profile, not only the one running it
    purge = un[un.index("if ($Purge)"):]
    assert "Get-ProfileFolders" in purge and "ProfileList" in un
    assert "AppData\\Local\\Saring" in purge and "AppData\\Roaming\\Saring" in purge


def test_upgrade_stops_running_servers_before_pip():
    setup = read(SCRIPTS["setup.ps1"])
    assert setup.index("Stop-SaringServers $VenvDir") < setup.index("-m pip install --upgrade --no-index")
    text = guide()
    upgrade = text[text.index("**Upgrade**"):text.index("## 4. Run at logon")]
    assert "Windows" in upgrade and "Linux" in upgrade and "macOS" in upgrade
    assert "systemctl --user -M" in upgrade and "launchctl kickstart -k" in upgrade
    assert "schtasks /Run" in upgrade


# ----------------------------------------------------------------------------- the guide

def test_guide_has_an_edge_section_and_unmanaged_management_routes():
    text = guide()
    edge = section(text, "### Microsoft Edge")
    for needed in ("Edge Add-ons", "edge://policy", "Microsoft Edge management service", "Intune",
                   EDGE_UPDATE, "EdgeManagementEnrollmentToken"):
        assert needed in edge, needed
    chrome = section(text, "### Chrome: force-install from the Chrome Web Store")
    assert "Chrome Enterprise Core" in chrome and "CloudManagementEnrollmentToken" in chrome
    ids = section(text, "### Store ids and `[server] extension_ids`")
    assert "extension_ids = [" in ids and "replaces" in ids and "saring config check" in ids


def test_guide_says_how_firefox_updates():
    firefox = section(guide(), "### Firefox: `policies.json`")
    assert "**Updating the Firefox extension.**" in firefox
    assert "install_url" in firefox and "-FirefoxXpi" in firefox and "update_url" in firefox


def test_docs_carry_no_stale_rule_counts(analyzer):
    """Figures such as the rule count in /v1/health are generated or left out: any that a page
    states must be the analyzer's own."""
    actual = analyzer.rule_count
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
             *sorted(ROOT.glob("*/README.md"))]
    for page in pages:
        text = read(page)
        for m in re.finditer(r'"rules"\s*:\s*(\d+)|\b(\d+)\s+(?:rules|aturan)\b', text):
            stated = int(m.group(1) or m.group(2))
            assert stated == actual, f"{page.relative_to(ROOT)} states {m.group(0)!r}; the analyzer has {actual} rules"
