"""The toolbar popup: server status and version, the active box's findings, switches for this
site and for categories, and the weekly chart from /v1/stats."""

from __future__ import annotations

import browser_harness as H


def _tab_id(ctx, url_prefix):
    return H.tab_id_for(ctx, url_prefix.rstrip("/"))


def test_popup_shows_status_findings_and_switches(ext_ctx, server):
    page = H.open_platform(ext_ctx, "facebook")
    H.focus_editor(page, "facebook")
    page.keyboard.type(H.RISKY)
    H.wait_badge(page, severity="high")
    tab = _tab_id(ext_ctx, "https://www.facebook.com/")
    popup = ext_ctx.new_page()
    popup.set_viewport_size({"width": 360, "height": 900})
    popup.goto(f"chrome-extension://{H.EXT_ID}/popup/popup.html#tab={tab}")
    popup.wait_for_function("() => document.body.getAttribute('data-server') === 'ok'", timeout=5000)
    health = H.http_json("GET", server.url + "/v1/health")
    assert health["version"] in popup.inner_text("#serverStatus")
    assert popup.is_hidden("#versionWarn")  # same version on both sides
    popup.wait_for_selector("#findings .finding", timeout=5000)
    assert "coblos nomor 2" in popup.inner_text("#findings")
    assert popup.is_checked("#siteSwitch")
    assert popup.locator("#categories input[type=checkbox]").count() == 8
    popup.click("#more summary")  # categories and the weekly chart are one click away
    popup.wait_for_function("() => !/Memeriksa/.test(document.getElementById('stats').innerText)", timeout=5000)
    H.shot(popup, "popup")
    # switching a category off reaches the page: its findings go away
    popup.click("#categories label.switch:has(#cat-political_neutrality)")
    H.wait_badge(page, severity="warning", timeout=8000)
    popup.click("#categories label.switch:has(#cat-political_neutrality)")
    # switching the site off removes Saring from the page
    popup.click("#siteBox label.switch")
    page.wait_for_function("() => !document.querySelector('[data-saring=badge]')", timeout=5000)
    popup.click("#siteBox label.switch")
    popup.close()
    page.close()
