"""Categories and platforms are listed in several languages; this holds the lists equal.

Python (``nlp.CATEGORIES``, the rule files), the extension's shared settings
(``extension/common/settings.js``), its content-script adapters, the managed-policy schema IT
deploys, the locales and the manifest each name them.  Adding a category or a platform means
touching all of them (checklists in docs/architecture.md); a missed one fails here, without a
browser."""

import json
import re

import pytest

from saring_testlib import ROOT

from nlp import CATEGORIES
from nlp.rules import rules_dir

EXT = ROOT / "extension"


def _read(rel: str) -> str:
    return (EXT / rel).read_text(encoding="utf-8")


def _block(source: str, start: str) -> str:
    """The text of the JS literal starting at ``start`` (an array or object), by bracket depth."""
    at = source.index(start) + len(start) - 1
    opening = source[at]
    closing = {"[": "]", "{": "}"}[opening]
    depth = 0
    for i in range(at, len(source)):
        if source[i] == opening:
            depth += 1
        elif source[i] == closing:
            depth -= 1
            if depth == 0:
                return source[at + 1:i]
    raise AssertionError(f"unterminated {start}")


def settings_categories() -> list[str]:
    return re.findall(r'"([a-z_]+)"', _block(_read("common/settings.js"), "var CATEGORY_IDS = ["))


def settings_sites() -> list[tuple[str, str, list[str]]]:
    body = _block(_read("common/settings.js"), "var SITES = [")
    sites = re.findall(r'\{\s*id:\s*"(\w+)",\s*name:\s*"([^"]+)",\s*hosts:\s*\[([^\]]*)\]\s*\}', body)
    assert len(sites) == body.count("id:"), "settings.js SITES: an entry this test cannot read"
    return [(sid, name, re.findall(r'"([^"]+)"', hosts)) for sid, name, hosts in sites]


def adapter_ids() -> list[str]:
    body = _block(_read("content/adapters.js"), "var ADAPTERS = {")
    return re.findall(r"^    (\w+): \{", body, re.M)


def schema() -> dict:
    return json.loads(_read("managed_schema.json"))


def locales() -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXT.glob("_locales/*/messages.json"))}


def manifest() -> dict:
    return json.loads(_read("manifest.json"))


# ------------------------------------------------------------------ categories

def test_settings_js_lists_the_python_categories_in_order():
    assert settings_categories() == list(CATEGORIES)


def test_managed_schema_lists_the_python_categories():
    assert list(schema()["properties"]["categories"]["properties"]) == list(CATEGORIES)


def test_every_category_has_a_rule_file_and_nothing_else_does():
    files = {p.stem for p in rules_dir().glob("*.toml") if not p.stem.startswith("_")}
    assert files == set(CATEGORIES)


@pytest.mark.parametrize("locale", sorted(locales()))
def test_locales_name_every_category_and_no_other(locale):
    names = {k[4:] for k in locales()[locale] if k.startswith("cat_")}
    assert names == set(CATEGORIES), f"_locales/{locale}: cat_* keys differ from nlp.CATEGORIES"
    for cat in CATEGORIES:
        assert locales()[locale][f"cat_{cat}"]["message"].strip(), f"_locales/{locale}: empty cat_{cat}"


def test_locales_have_the_same_keys_and_placeholders():
    all_locales = locales()
    assert set(all_locales) >= {"id", "en"} and manifest()["default_locale"] in all_locales
    keys = {loc: set(msgs) for loc, msgs in all_locales.items()}
    reference = keys[manifest()["default_locale"]]
    for loc, ks in keys.items():
        assert ks == reference, f"_locales/{loc}: missing {sorted(reference - ks)}, extra {sorted(ks - reference)}"
    for key in reference:
        marks = {loc: sorted(set(re.findall(r"\$\d", msgs[key]["message"]))) for loc, msgs in all_locales.items()}
        assert len({tuple(m) for m in marks.values()}) == 1, f"{key}: placeholders differ {marks}"


# ------------------------------------------------------------------ platforms

def test_every_platform_has_an_adapter_and_every_adapter_a_platform():
    assert [s[0] for s in settings_sites()] == adapter_ids()


def test_managed_schema_lists_the_platforms():
    assert list(schema()["properties"]["sites"]["properties"]) == [s[0] for s in settings_sites()]


def _covers(pattern: str, host: str) -> bool:
    m = re.fullmatch(r"https://(\*\.)?([^/*]+)/\*", pattern)
    if not m:
        return False
    wildcard, base = m.groups()
    return host == base or bool(wildcard and host.endswith("." + base))


def test_manifest_injects_the_content_script_on_every_platform_host_and_only_there():
    content = manifest()["content_scripts"]
    matches = [p for cs in content for p in cs["matches"]]
    hosts = [h for _, _, hs in settings_sites() for h in hs]
    for host in hosts:
        probe = "www." + host if host.count(".") == 1 else host  # facebook.com: www.facebook.com too
        assert any(_covers(p, host) or _covers(p, probe) for p in matches), f"manifest: no content script on {host}"
    for pattern in matches:
        assert any(_covers(pattern, h) for h in hosts), f"manifest: content script on {pattern}, no platform has it"
    # The service worker fetches only the local server; the content scripts' matches are what
    # grants the platforms, so host_permissions hold loopback and nothing else.
    host_permissions = manifest()["host_permissions"]
    assert not set(matches) & set(host_permissions), "platform hosts are granted by content_scripts, not host_permissions"
    assert all(re.fullmatch(r"http://(127\.0\.0\.1|localhost|\[::1\])/\*", p) for p in host_permissions), host_permissions


def test_privacy_note_names_every_platform_in_every_locale():
    for loc, msgs in locales().items():
        for _, name, _ in settings_sites():
            assert name in msgs["privacy1"]["message"], f"_locales/{loc} privacy1 does not name {name}"


def test_every_platform_has_a_browser_test_page_and_harness_entry():
    import ast

    sites = {s[0] for s in settings_sites()}
    pages = {p.stem for p in (ROOT / "tests/browser/fixtures/pages").glob("*.html")}
    assert pages == sites
    # tests/browser/browser_harness.py imports playwright: read its PLATFORMS without importing it
    tree = ast.parse((ROOT / "tests/browser/browser_harness.py").read_text(encoding="utf-8"))
    harness = next(node.value for node in tree.body if isinstance(node, ast.Assign)
                   and any(getattr(t, "id", None) == "PLATFORMS" for t in node.targets))
    platforms = {k.value: v for k, v in zip(harness.keys, harness.values)}
    assert set(platforms) == sites
    for name, spec in platforms.items():
        url = next(kw.value.value for kw in spec.keywords if kw.arg == "url")
        host = re.match(r"https://([^/]+)/", url).group(1)
        assert any(host == h or host.endswith("." + h) for s in settings_sites() if s[0] == name for h in s[2]), \
            f"browser_harness: {name} opens {host}, not one of its hosts in settings.js"


def test_this_test_reads_what_it_compares():
    """Guard against a parser that silently finds nothing."""
    assert len(settings_categories()) == 8 and len(settings_sites()) >= 8 and len(adapter_ids()) >= 8
