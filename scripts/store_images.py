#!/usr/bin/env python3
"""Make the store listing's images (extension/store/images/) with the real extension.

Debian's chromium runs the unpacked extension against a real `saring serve`, on the fixture
pages of the browser tests (tests/browser/), and takes what a user sees:

* screenshots, 1280x800 (Chrome Web Store: up to 5; Edge Add-ons: up to 10), one set per
  listing language (`id`, `en`): the finding card over a post, the question before publishing,
  the toolbar popup, the settings page and the privacy note, each framed with the caption of
  `[<lang>.screenshots]` in extension/store/listing.toml;
* the small promo tile, 440x280 (both stores), the marquee / large promo tile, 1400x560 (both
  stores), and Edge's store logo, 300x300, drawn from the extension's icon.

The browser test tests/browser/test_store_kit.py runs the same code into an untracked folder;
this script is how the committed images are refreshed, on purpose, after a UI change.

Usage: python scripts/store_images.py [--out extension/store/images] [--lang id --lang en]
"""

from __future__ import annotations

import argparse
import base64
import html
import shutil
import socket
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import browser_harness as H  # noqa: E402

STORE = ROOT / "extension" / "store"
DEFAULT_OUT = STORE / "images"
BRAND = "#0f766e"
SHOT = {"width": 1280, "height": 800}
TILES = {"promo-small-440x280.png": (440, 280), "promo-marquee-1400x560.png": (1400, 560),
         "edge-logo-300x300.png": (300, 300)}
# Saring's icon (extension/icons): a white funnel with a yellow drop on the brand colour, as SVG so
# that every size is sharp.
LOGO_SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 128 128" width="100%" height="100%">
<rect x="4" y="4" width="120" height="120" rx="26" fill="{BRAND}"/>
<path d="M28 30 H100 L72 66 V92 L56 100 V66 Z" fill="#fff"/>
<circle cx="64" cy="110" r="5.5" fill="#facc15"/></svg>"""


def listing() -> dict:
    return tomllib.loads((STORE / "listing.toml").read_text(encoding="utf-8"))


def _data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def _render(page, body: str, size: tuple[int, int], path: Path, transparent: bool = False) -> Path:
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.set_content("<!doctype html><meta charset='utf-8'><style>*{box-sizing:border-box}html,body{margin:0;"
                     "width:100%;height:100%;overflow:hidden;font-family:'DejaVu Sans',system-ui,sans-serif}</style>"
                     + body)
    page.evaluate("() => document.fonts.ready")
    page.screenshot(path=str(path), omit_background=transparent)
    return path


def frame(page, capture: bytes, title: str, detail: str, path: Path) -> Path:
    """A 1280x800 screenshot: the caption on the left, the real capture on the right."""
    body = f"""
<div style="display:flex;width:1280px;height:800px;background:#e6f6f3">
  <div style="width:430px;padding:64px 28px 0 56px;color:#134e4a">
    <div style="display:flex;align-items:center;gap:14px;margin-bottom:56px">
      <div style="width:56px;height:56px">{LOGO_SVG}</div>
      <div style="font-size:30px;font-weight:700;color:{BRAND}">Saring</div></div>
    <div data-caption style="font-size:36px;line-height:1.2;font-weight:700;margin-bottom:22px">{html.escape(title)}</div>
    <div style="font-size:20px;line-height:1.5;color:#1f2933">{html.escape(detail)}</div>
  </div>
  <div style="flex:1;display:flex;align-items:center;justify-content:center;padding:40px 48px 40px 0">
    <img src="{_data_url(capture)}" style="max-width:100%;max-height:720px;border-radius:12px;
      box-shadow:0 18px 50px rgba(15,118,110,.28);background:#fff">
  </div>
</div>"""
    return _render(page, body, (1280, 800), path)


def _no_scrollbar(page) -> None:
    """A store picture shows the page, not the window's scrollbar."""
    page.add_style_tag(content="html::-webkit-scrollbar, body::-webkit-scrollbar { display: none }")
    page.wait_for_timeout(300)


def captures(ctx, server, lang: str) -> dict[str, bytes]:
    """What a user sees, taken from the real extension. Raises when a view does not appear."""
    out = {}
    page = H.open_platform(ctx, "facebook")
    page.set_viewport_size({"width": 1000, "height": 760})
    # the fixture page names itself "(fixture)"; a store picture shows the platform's name only
    page.evaluate("""() => { for (const el of document.querySelectorAll('h1, h2, h3, header, .title'))
        for (const n of el.childNodes) if (n.nodeType === 3) n.data = n.data.replace(/\\s*\\(fixture\\)/i, ''); }""")
    H.focus_editor(page, "facebook")
    page.keyboard.type(H.RISKY)
    H.wait_badge(page, severity="high", timeout=15000)
    page.locator("[data-saring=badge] button").click()
    page.wait_for_function("""() => { const h = document.querySelector('[data-saring=card]');
        const c = h && h.shadowRoot && h.shadowRoot.querySelector('.card');
        return !!c && c.getBoundingClientRect().height > 40; }""", timeout=5000)
    # the post and the card over it, nothing else of the page
    box = page.evaluate("""() => {
        const c = document.querySelector('[data-saring=card]').shadowRoot.querySelector('.card').getBoundingClientRect();
        const e = document.querySelector('#composer').closest('section, .card, .shell, form, main') || document.querySelector('#composer');
        const r = e.getBoundingClientRect();
        return {x0: Math.min(c.left, r.left), y0: Math.min(c.top, r.top), x1: Math.max(c.right, r.right), y1: Math.max(c.bottom, r.bottom)}; }""")
    vw = page.viewport_size
    x0, y0 = max(0, box["x0"] - 28), max(0, box["y0"] - 28)
    x1, y1 = min(vw["width"], box["x1"] + 28), min(vw["height"], box["y1"] + 28)
    out["card"] = page.screenshot(clip={"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0})
    page.keyboard.press("Escape")
    page.mouse.click(5, 5)
    page.click(H.PLATFORMS["facebook"]["button"])
    page.locator(f"{H.GUARD} [data-action=edit]").wait_for(state="visible", timeout=8000)
    out["guard"] = page.screenshot(clip={"x": 0, "y": 0, "width": 1000, "height": 700})
    if H.published(page):
        raise RuntimeError("the risky post was published without the question")
    # the extension holds no host permission for the platforms, so the worker cannot read tab
    # URLs: the harness finds the tab through its content script
    tab = H.tab_id_for(ctx, "https://www.facebook.com")
    popup = ctx.new_page()
    popup.set_viewport_size({"width": 370, "height": 1200})
    popup.goto(f"chrome-extension://{H.EXT_ID}/popup/popup.html#tab={tab}")
    popup.wait_for_function("() => document.body.getAttribute('data-server') === 'ok'", timeout=8000)
    popup.wait_for_selector("#findings .finding", timeout=8000)
    popup.wait_for_function("() => !/Memeriksa|Checking/.test(document.getElementById('stats').innerText)", timeout=8000)
    _no_scrollbar(popup)
    height = popup.evaluate("() => Math.min(1200, document.body.getBoundingClientRect().bottom + 12)")
    out["popup"] = popup.screenshot(clip={"x": 0, "y": 0, "width": 370, "height": height})
    popup.close()
    for name, path in (("options", "options/options.html"), ("privacy", "welcome/welcome.html")):
        p = ctx.new_page()
        p.set_viewport_size({"width": 900, "height": 720})
        p.goto(f"chrome-extension://{H.EXT_ID}/{path}")
        p.wait_for_load_state("load")
        p.wait_for_function("() => document.body.innerText.trim().length > 200", timeout=8000)
        _no_scrollbar(p)
        out[name] = p.screenshot()
        p.close()
    page.close()
    return out


def tiles(page, out: Path, slogan: str) -> list[Path]:
    made = []
    small = f"""<div style="width:440px;height:280px;background:{BRAND};display:flex;align-items:center;gap:22px;padding:0 34px;color:#fff">
  <div style="width:120px;height:120px;flex:none">{LOGO_SVG}</div>
  <div><div style="font-size:46px;font-weight:700">Saring</div>
  <div style="font-size:19px;line-height:1.3;opacity:.95">{html.escape(slogan)}</div></div></div>"""
    made.append(_render(page, small, TILES["promo-small-440x280.png"], out / "promo-small-440x280.png"))
    marquee = f"""<div style="width:1400px;height:560px;background:{BRAND};display:flex;align-items:center;gap:60px;padding:0 110px;color:#fff">
  <div style="width:260px;height:260px;flex:none">{LOGO_SVG}</div>
  <div><div style="font-size:96px;font-weight:700;line-height:1">Saring</div>
  <div style="font-size:40px;margin-top:18px;opacity:.95">{html.escape(slogan)}</div></div></div>"""
    made.append(_render(page, marquee, TILES["promo-marquee-1400x560.png"], out / "promo-marquee-1400x560.png"))
    logo = f"""<div style="width:300px;height:300px;background:transparent;padding:12px">{LOGO_SVG}</div>"""
    made.append(_render(page, logo, TILES["edge-logo-300x300.png"], out / "edge-logo-300x300.png", transparent=True))
    return made


def make_images(out: Path, langs=("id", "en"), log_dir: Path | None = None, playwright=None, server=None) -> dict[str, Path]:
    """Every image of the kit into `out`; returns {file name: path}. A caller that already runs
    Playwright (the browser tests' session) or a server passes them in."""
    H.ensure_fixtures_built()
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="saring-store-"))
    own_server = server is None
    if own_server:
        # the standard port when it is free, so the pictures show the address users see
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", 8731))
                port = 8731
            except OSError:
                port = None
        server = H.Server(log_dir or tmp, port=port).start()
    try:
        if playwright is not None:
            return _make(playwright, server, out, langs)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            return _make(pw, server, out, langs)
    finally:
        if own_server:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def _make(pw, server, out: Path, langs) -> dict[str, Path]:
    data = listing()
    made: dict[str, Path] = {}
    for lang in langs:
        user_dir = H.new_user_dir()
        ctx = H.launch(pw, user_dir)
        try:
            H.set_user_settings(ctx, {"serverUrl": server.url, "language": lang})
            H.close_extra_pages(ctx)
            raw = captures(ctx, server, lang)
            page = ctx.new_page()
            for i, shot in enumerate(data[lang]["screenshots"], 1):
                name = f"screenshot-{lang}-{i}-{shot['view']}.png"
                made[name] = frame(page, raw[shot["view"]], shot["caption"], shot["detail"], out / name)
            if lang == langs[0]:
                for path in tiles(page, out, data["common"]["slogan"]):
                    made[path.name] = path
            page.close()
        finally:
            ctx.close()
            shutil.rmtree(user_dir, ignore_errors=True)
    return made


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Make the store listing's screenshots and tiles with the real extension.")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"folder (default {DEFAULT_OUT.relative_to(ROOT)})")
    ap.add_argument("--lang", action="append", choices=["id", "en"], help="listing language (repeatable; default both)")
    args = ap.parse_args(argv)
    made = make_images(args.out, tuple(args.lang or ("id", "en")))
    for name in sorted(made):
        print(made[name])
    return 0


if __name__ == "__main__":
    sys.exit(main())
