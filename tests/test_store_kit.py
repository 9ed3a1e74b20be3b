"""The store listing kit (extension/store/, issue 12): texts within the Chrome Web Store's and
Edge Add-ons' limits and true to the manifest, every permission justified, a privacy policy in
both languages that names everything the extension stores, and images at the stores' sizes.
(The images themselves are made by the browser test tests/browser/test_store_images.py.)"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tomllib
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

import png_read

ROOT = Path(__file__).resolve().parent.parent
EXT = ROOT / "extension"
STORE = EXT / "store"
LANGS = ("id", "en")
VIEWS = {"card", "guard", "popup", "options", "privacy"}
TILES = {"promo-small-440x280.png": (440, 280), "promo-marquee-1400x560.png": (1400, 560),
         "edge-logo-300x300.png": (300, 300)}


@pytest.fixture(scope="module")
def listing():
    return tomllib.loads((STORE / "listing.toml").read_text(encoding="utf-8"))


def messages(lang):
    return json.loads((EXT / "_locales" / lang / "messages.json").read_text(encoding="utf-8"))


def manifest():
    return json.loads((EXT / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", LANGS)
def test_name_and_short_description_are_the_packages_own(listing, lang):
    """Both stores take them from the package: the kit must say the same, within 132 characters."""
    entry, msg = listing[lang], messages(lang)
    assert entry["name"] == msg["extName"]["message"]
    assert entry["short_description"] == msg["extDescription"]["message"]
    assert len(entry["short_description"]) <= 132
    assert len(entry["name"]) <= 75


@pytest.mark.parametrize("lang", LANGS)
def test_texts_within_the_stores_limits(listing, lang):
    entry = listing[lang]
    long = entry["long_description"].strip()
    assert 600 <= len(long) < 10_000                     # Edge: under 10,000; Chrome: 16,000
    assert "127.0.0.1" in long                           # where the text goes, said up front
    assert 50 <= len(entry["single_purpose"]) <= 1000
    terms = entry["search_terms"]
    assert 1 <= len(terms) <= 7 and all(len(t) <= 30 for t in terms)
    assert sum(len(t.split()) for t in terms) <= 21
    assert entry["data_usage"] and entry["reviewer_notes"].strip()
    shots = entry["screenshots"]
    assert 1 <= len(shots) <= 5                          # Chrome shows at most 5
    assert {s["view"] for s in shots} <= VIEWS and len({s["view"] for s in shots}) == len(shots)
    assert all(s["caption"] and len(s["caption"]) <= 60 and s["detail"] for s in shots)
    assert listing["common"]["chrome_category"] and listing["common"]["edge_category"]


def _permission_key(entry: str) -> str:
    if re.match(r"https?://(127\.0\.0\.1|localhost|\[::1\])[:/]", entry):
        return "host_local"
    if entry in ("https://*/*", "http://*/*", "<all_urls>"):
        return "optional_hosts"
    if "://" in entry:
        return "host_platforms"
    return entry


def test_every_permission_the_manifest_asks_for_is_justified(listing):
    m = manifest()
    asked = set(m.get("permissions", [])) | {_permission_key(h) for h in m.get("host_permissions", [])}
    asked |= {_permission_key(h) for h in m.get("optional_host_permissions", [])}
    for cs in m.get("content_scripts", []):
        asked |= {_permission_key(h) for h in cs["matches"]}
    assert asked >= {"storage", "host_local", "host_platforms"}
    for lang in LANGS:
        justified = listing[lang]["permissions"]
        for key in asked:
            assert len(justified.get(key, "")) >= 40, f"{lang}: no justification for {key}"
        # nothing justified that the manifest does not ask for
        assert set(justified) <= asked, set(justified) - asked


def test_the_kit_is_not_shipped_inside_the_extension(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    import package_extension

    # a copy of the extension with its store folder, as it is in the repository
    src = tmp_path / "ext"
    shutil.copytree(EXT, src, ignore=shutil.ignore_patterns("images"))
    (src / "store" / "images").mkdir(parents=True, exist_ok=True)
    (src / "store" / "images" / "promo.png").write_bytes(b"png")
    (src / "store" / "privacy-policy.en.html").write_text("<html></html>", encoding="utf-8")
    out = package_extension.package(src, tmp_path / "out")
    for path in out.values():
        with zipfile.ZipFile(path) as zf:
            assert not [n for n in zf.namelist() if n.startswith("store/")], path.name


# ----------------------------------------------------------------------------- privacy policy

class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang = None
        self.text = []
        self.links = []
        self.sources = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "title":
            self._in_title = True
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        for attr in ("src", "href"):
            if tag != "a" and a.get(attr):
                self.sources.append(a[attr])

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        self.text.append(data)


def stored_keys() -> set[str]:
    """Every key the extension writes to its storage."""
    keys = set()
    for js in EXT.rglob("*.js"):
        if "store" in js.relative_to(EXT).parts[:-1]:
            continue
        for m in re.finditer(r"storage\.(?:local|sync|session)\.set\(\s*\{([^}]*)\}", js.read_text(encoding="utf-8")):
            keys |= set(re.findall(r"([A-Za-z_]\w*)\s*:", m.group(1)))
    return keys


@pytest.mark.parametrize("lang", LANGS)
def test_privacy_policy_page(listing, lang):
    name = f"privacy-policy.{lang}.html"
    assert name in listing["common"]["privacy_policy_files"]
    page = _Page()
    page.feed((STORE / name).read_text(encoding="utf-8"))
    text = " ".join(page.text)
    assert page.lang == lang and page.title.strip()
    other = "en" if lang == "id" else "id"
    assert f"privacy-policy.{other}.html" in page.links
    assert not [s for s in page.sources if re.match(r"(https?:)?//", s)], "the page loads nothing from elsewhere"
    assert "http://127.0.0.1:8731" in text
    keys = stored_keys()
    assert keys >= {"settings", "firstRunShown"}
    for key in keys:
        assert key in text, f"{name} does not say that the extension stores '{key}'"
    for server_file in ("stats.json", "saring.log", "last-good-config.json"):
        assert server_file in text, server_file
    if lang == "id":
        assert "tidak pernah keluar dari komputer Anda" in text
    else:
        assert "never leaves your computer" in text


# ----------------------------------------------------------------------------- images in the kit

def test_committed_images_have_the_stores_sizes(listing):
    images = STORE / "images"
    for lang in LANGS:
        for i, shot in enumerate(listing[lang]["screenshots"], 1):
            path = images / f"screenshot-{lang}-{i}-{shot['view']}.png"
            assert path.exists(), f"{path.name} missing: run python scripts/store_images.py"
            assert png_read.size(path) == (1280, 800)
    for name, dims in TILES.items():
        assert png_read.size(images / name) == dims, name
    expected = {f"screenshot-{lang}-{i}-{s['view']}.png" for lang in LANGS
                for i, s in enumerate(listing[lang]["screenshots"], 1)} | set(TILES)
    assert {p.name for p in images.glob("*.png")} == expected, "stale images in the kit"


def test_png_reader_reads_what_it_is_given(tmp_path):
    import struct
    import zlib

    def png(w, h, rows):
        def chunk(kind, body):
            return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        raw = b"".join(b"\x00" + r for r in rows)
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

    p = tmp_path / "x.png"
    p.write_bytes(png(2, 2, [b"\xff\x00\x00\x00\xff\x00", b"\x00\x00\xff\xff\xff\xff"]))
    assert png_read.size(p) == (2, 2)
    assert png_read.colours(p, step=1) == {(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)}
    p.write_bytes(b"not a png")
    with pytest.raises(ValueError):
        png_read.size(p)
