#!/usr/bin/env python3
"""Refresh the extension screenshots in docs/screenshots/ on purpose.

The browser tests never write into docs/ (their screenshots go to tests/browser/.out/); this
script takes the pictures the docs show, in Debian's chromium with the unpacked extension
against a real `saring serve`, on the fixture pages:

* the card and the guard, light and dark, in a wide (1000 px) and a narrow (400 px) window;
* a one-click fix before and after it is applied;
* the badge, the offline card, the guard in block mode and the popup.

Usage: python scripts/refresh_screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import browser_harness as H  # noqa: E402

DARK_PAGE = """() => { for (const el of [document.documentElement, document.body, document.querySelector('.shell')])
  { el.style.background = '#15202b'; el.style.color = '#e7e9ea'; } }"""
PHONE = "Hubungi saya di 081234567890 ya, nanti saya bantu urus KTP-nya."


def shot(page, out: Path, name: str, clip_selector=None):
    path = out / f"{name}.png"
    if clip_selector:
        box = page.locator(clip_selector).first.bounding_box()
        vw = page.viewport_size
        x0, y0 = max(0, box["x"] - 30), max(0, box["y"] - 30)
        x1 = min(vw["width"], box["x"] + box["width"] + 70)
        y1 = min(vw["height"], box["y"] + box["height"] + 330)
        page.screenshot(path=str(path), clip={"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0})
    else:
        page.screenshot(path=str(path))
    print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def open_risky(ctx, name, width, dark):
    page = ctx.new_page()
    page.set_viewport_size({"width": width, "height": 700})
    if dark:
        page.emulate_media(color_scheme="dark")
    H.open_platform(ctx, name, page)
    if dark:
        page.evaluate(DARK_PAGE)
    H.focus_editor(page, name)
    page.keyboard.type(H.RISKY)
    H.wait_badge(page, severity="high")
    return page


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    H.ensure_fixtures_built()
    tmp = Path(tempfile.mkdtemp(prefix="saring-shots-"))
    server = H.Server(tmp).start()
    block = H.config_server(tmp, '[guard]\nmode = "block"\n').start()
    try:
        with sync_playwright() as p:
            ctx, user_dir = H.new_context(p, {"serverUrl": server.url})
            for dark in (False, True):
                theme = "dark" if dark else "light"
                for width, size in ((1000, "wide"), (400, "narrow")):
                    name = "x" if width == 1000 else "facebook"
                    page = open_risky(ctx, name, width, dark)
                    page.mouse.move(2, 2)
                    if width == 1000 and not dark:
                        shot(page, out, f"{name}-badge", H.PLATFORMS[name]["editor"])
                    H.open_badge_card(page)
                    shot(page, out, f"card-{theme}-{size}")
                    page.keyboard.press("Escape")
                    page.click(H.PLATFORMS[name]["button"])
                    page.locator(f"{H.GUARD} [data-action=edit]").wait_for(state="visible", timeout=5000)
                    shot(page, out, f"guard-{theme}-{size}")
                    page.keyboard.press("Escape")
                    page.close()
            # a one-click fix, before and after
            page = ctx.new_page()
            H.open_platform(ctx, "linkedin", page)
            H.focus_editor(page, "linkedin")
            page.keyboard.type(PHONE)
            page.wait_for_function("() => +document.querySelector('[data-saring=badge]')?.dataset.count > 0", timeout=8000)
            H.open_badge_card(page)
            shot(page, out, "fix-before")
            page.locator("[data-saring=card] [data-action=fix]:visible").click()
            H.wait_badge(page, severity="none", count=0)
            page.mouse.move(2, 2)
            shot(page, out, "fix-applied")
            page.close()
            # the offline card with its help and retry
            H.set_user_settings(ctx, {"serverUrl": f"http://127.0.0.1:{H.free_port()}"})
            page = ctx.new_page()
            H.open_platform(ctx, "facebook", page)
            H.focus_editor(page, "facebook")
            page.keyboard.type(H.RISKY)
            H.wait_badge(page, severity="offline")
            H.open_badge_card(page)
            shot(page, out, "facebook-offline", H.PLATFORMS["facebook"]["editor"])
            page.close()
            # block mode (the server's recommendation)
            H.set_user_settings(ctx, {"serverUrl": block.url})
            page = open_risky(ctx, "facebook", 1000, False)
            page.click(H.PLATFORMS["facebook"]["button"])
            page.locator(f"{H.GUARD} [data-action=edit]").wait_for(state="visible", timeout=5000)
            shot(page, out, "facebook-guard-block")
            page.keyboard.press("Escape")
            page.close()
            # the popup
            H.set_user_settings(ctx, {"serverUrl": server.url})
            page = open_risky(ctx, "facebook", 1000, False)
            popup = ctx.new_page()
            popup.set_viewport_size({"width": 340, "height": 600})
            tab = H.tab_id_for(ctx, "https://www.facebook.com")
            popup.goto(f"chrome-extension://{H.EXT_ID}/popup/popup.html#tab={tab}")
            popup.wait_for_function("() => document.body.getAttribute('data-server') === 'ok'", timeout=5000)
            popup.wait_for_selector("#findings .finding", timeout=5000)
            shot(popup, out, "popup")
            ctx.close()
            shutil.rmtree(user_dir, ignore_errors=True)
    finally:
        server.stop()
        block.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
