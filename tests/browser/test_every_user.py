"""Saring for every user: keyboard (shortcut, Escape, the guard's focus trap), screen readers
(named dialog, a polite live region, named switches), contrast, narrow windows and zoom, dark
pages, the Options page, and axe-core with no serious or critical issue on the card, the
guard, the popup, Options and the welcome page."""

from __future__ import annotations

import pytest

import browser_harness as H

POPUP_MAX_HEIGHT = 600  # Chrome's popup is at most 600 px tall


def _contrast(a, b):
    def lum(c):
        def f(v):
            v /= 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2])
    la, lb = lum(a), lum(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def _rgb(css):
    nums = css[css.index("(") + 1:css.index(")")].replace("/", ",").split(",")
    return tuple(float(x) for x in nums[:3])


def _type_risky(page, name="facebook"):
    H.focus_editor(page, name)
    page.keyboard.type(H.RISKY)
    return H.wait_badge(page, severity="high")


def _active_in(page, kind):
    return page.evaluate(f"""() => {{ const h = document.querySelector('[data-saring={kind}]');
        return !!h && document.activeElement === h && !!h.shadowRoot.activeElement; }}""")


# ------------------------------------------------------------------ keyboard

def test_shortcut_opens_the_findings_and_escape_returns_to_the_post(ext_page, server):
    page = H.open_platform(ext_page.context, "facebook", ext_page)
    _type_risky(page)
    page.keyboard.press("Alt+Shift+S")
    card = page.locator("[data-saring=card] .card")
    card.wait_for(state="visible", timeout=3000)
    assert _active_in(page, "card"), "the shortcut moves the focus into the findings"
    assert H.editor_state(page)["text"] == H.RISKY, "the shortcut types nothing"
    page.keyboard.press("Escape")
    card.wait_for(state="hidden", timeout=2000)
    # back in the post, where the caret was: typing goes on at the end
    page.keyboard.type(" ok")
    assert H.editor_state(page)["text"] == H.RISKY + " ok"


def test_escape_closes_a_card_opened_by_mouse(ext_page, server):
    page = H.open_platform(ext_page.context, "x", ext_page)
    _type_risky(page, "x")
    H.open_badge_card(page)
    page.keyboard.press("Escape")
    page.locator("[data-saring=card] .card").wait_for(state="hidden", timeout=2000)


def test_guard_keeps_the_focus(ext_page, server):
    page = H.open_platform(ext_page.context, "facebook", ext_page)
    _type_risky(page)
    page.click(H.PLATFORMS["facebook"]["button"])
    page.locator(f"{H.GUARD} [data-action=edit]").wait_for(state="visible", timeout=5000)
    for key in ("Tab", "Tab", "Tab", "Shift+Tab", "Tab"):
        page.keyboard.press(key)
        assert _active_in(page, "guard"), f"after {key} the focus left the guard"
    page.keyboard.type("zz")
    assert H.editor_state(page)["text"] == H.RISKY, "keys typed with the guard open reached the post"
    assert page.locator(H.GUARD).count() == 1
    page.keyboard.press("Escape")
    assert page.locator(H.GUARD).count() == 0
    assert H.published(page) == []


# ------------------------------------------------------------------ screen readers

def test_findings_are_announced_and_the_card_is_named(ext_page, server, risky_expected):
    page = H.open_platform(ext_page.context, "facebook", ext_page)
    _type_risky(page)
    n = len(risky_expected["findings"])
    page.wait_for_function("""(n) => { const h = document.querySelector('[data-saring=live]');
        const r = h && h.shadowRoot.querySelector('[aria-live=polite]');
        return !!r && r.textContent.includes(n + ' temuan') && /Tinggi/.test(r.textContent); }""", arg=n, timeout=5000)
    H.open_badge_card(page)
    name = page.evaluate("""() => { const d = document.querySelector('[data-saring=card]').shadowRoot.querySelector('[role=dialog]');
        return d.getAttribute('aria-label') || ''; }""")
    assert name.strip()


# ------------------------------------------------------------------ contrast

def test_badge_and_underline_colours_meet_wcag_aa(ext_page, server):
    page = H.open_platform(ext_page.context, "instagram", ext_page)
    H.focus_editor(page, "instagram")
    page.keyboard.type("Baru beli Rolex lagi")  # a warning: its underline is a box in a textarea
    H.wait_badge(page, severity="warning")
    colours = page.evaluate("""() => {
      const b = document.querySelector('[data-saring=badge]').shadowRoot.querySelector('button');
      const keep = b.className, out = {};
      for (const sev of ['info', 'warning', 'high', 'offline', 'none']) {
        b.className = sev; out[sev] = [getComputedStyle(b).backgroundColor, getComputedStyle(b).color];
      }
      b.className = keep;
      const m = [...document.querySelector('[data-saring=overlay]').shadowRoot.querySelectorAll('[data-saring-mark]')]
        .find(x => x.style.display !== 'none');
      out.underline = getComputedStyle(m).borderBottomColor;
      return out;
    }""")
    for sev in ("info", "warning", "high", "offline", "none"):
        bg, fg = colours[sev]
        assert _contrast(_rgb(bg), _rgb(fg)) >= 4.5, (sev, bg, fg)
    assert _contrast(_rgb(colours["underline"]), (255, 255, 255)) >= 3.0, colours["underline"]


# ------------------------------------------------------------------ layout

def test_narrow_window_card_and_badge_fit(ext_page, server):
    page = ext_page
    page.set_viewport_size({"width": 400, "height": 700})
    try:
        page = H.open_platform(page.context, "facebook", page)
        _type_risky(page)
        badge = page.locator("[data-saring=badge] button").bounding_box()
        assert badge["x"] >= 0 and badge["x"] + badge["width"] <= 400, badge
        H.open_badge_card(page)
        box = page.locator("[data-saring=card] .card").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 400, box
    finally:
        page.set_viewport_size({"width": 1000, "height": 700})


def test_guard_buttons_stay_on_screen_at_125_percent_zoom(ext_page, server):
    page = ext_page
    # a 1000 x 600 window at 125 % zoom is 800 x 480 CSS pixels
    page.set_viewport_size({"width": 800, "height": 480})
    try:
        page = H.open_platform(page.context, "facebook", page)
        H.focus_editor(page, "facebook")
        page.keyboard.type(" ".join([H.RISKY] * 4))
        H.wait_badge(page, severity="high")
        page.click(H.PLATFORMS["facebook"]["button"])
        page.locator(f"{H.GUARD} [data-action=edit]").wait_for(state="visible", timeout=5000)
        for action in ("edit", "publish"):
            b = page.locator(f"{H.GUARD} [data-action={action}]").bounding_box()
            assert b["y"] >= 0 and b["y"] + b["height"] <= 480, (action, b)
        page.keyboard.press("Escape")
    finally:
        page.set_viewport_size({"width": 1000, "height": 700})


def test_popup_fits_in_chromes_popup(ext_ctx, server):
    popup = ext_ctx.new_page()
    popup.set_viewport_size({"width": 360, "height": 600})
    popup.goto(f"chrome-extension://{H.EXT_ID}/popup/popup.html")
    popup.wait_for_function("() => document.body.getAttribute('data-server') === 'ok'", timeout=5000)
    popup.wait_for_timeout(300)
    height = popup.evaluate("() => document.documentElement.scrollHeight")
    assert height <= POPUP_MAX_HEIGHT, height
    popup.close()


# ------------------------------------------------------------------ dark pages

def _luminance(css):
    r, g, b = _rgb(css)
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def test_dark_page_gets_a_dark_card_and_guard(ext_page, server):
    page = H.open_platform(ext_page.context, "x", ext_page)
    page.emulate_media(color_scheme="dark")
    page.evaluate("() => { for (const el of [document.documentElement, document.body, document.querySelector('.shell')])"
                  " { el.style.background = '#15202b'; el.style.color = '#e7e9ea'; } }")
    try:
        _type_risky(page, "x")
        H.open_badge_card(page)
        bg = page.evaluate("() => getComputedStyle(document.querySelector('[data-saring=card]').shadowRoot.querySelector('.card')).backgroundColor")
        assert _luminance(bg) < 0.3, bg
        assert H.axe_serious(page, [["[data-saring=card]"]]) == []
        page.keyboard.press("Escape")
        page.click(H.PLATFORMS["x"]["button"])
        page.locator(f"{H.GUARD} [data-action=edit]").wait_for(state="visible", timeout=5000)
        bg = page.evaluate("() => getComputedStyle(document.querySelector('[data-saring=guard]').shadowRoot.querySelector('.dlg')).backgroundColor")
        assert _luminance(bg) < 0.3, bg
        assert H.axe_serious(page, [["[data-saring=guard]"]]) == []
        page.keyboard.press("Escape")
    finally:
        page.emulate_media(color_scheme="light")


def test_popup_follows_a_dark_system_theme(ext_ctx, server):
    popup = ext_ctx.new_page()
    popup.emulate_media(color_scheme="dark")
    popup.goto(f"chrome-extension://{H.EXT_ID}/popup/popup.html")
    popup.wait_for_function("() => document.body.getAttribute('data-server') === 'ok'", timeout=5000)
    assert _luminance(popup.evaluate("() => getComputedStyle(document.body).backgroundColor")) < 0.3
    assert H.axe_serious(popup) == []
    popup.close()


# ------------------------------------------------------------------ Options

def test_options_without_policy_apply_at_once(ext_ctx, server):
    page = ext_ctx.new_page()
    page.goto(f"chrome-extension://{H.EXT_ID}/options/options.html")
    page.wait_for_function("() => document.getElementById('serverUrl').value !== ''", timeout=5000)
    text = page.inner_text("body")
    assert "Diatur oleh instansi" not in text, "no policy is set"
    assert "HTTPS://" not in text, "addresses are shown as written"
    assert page.locator("#save").count() == 0 or not page.is_visible("#save")
    # a switch applies at once, like the popup's
    page.click("label.switch:has(#cat-misinformation)")
    sw = H.service_worker(ext_ctx)
    sw.evaluate("""() => new Promise((resolve, reject) => { const t0 = Date.now(); (function poll() {
        chrome.storage.local.get('settings', v => { if (v.settings && v.settings.categories && v.settings.categories.misinformation === false) return resolve();
          if (Date.now() - t0 > 3000) return reject(new Error('not applied')); setTimeout(poll, 100); }); })(); })""")
    page.click("label.switch:has(#cat-misinformation)")
    page.wait_for_timeout(300)
    page.close()


# ------------------------------------------------------------------ axe-core

def test_axe_card_guard_and_pages(ext_ctx, server):
    page = H.open_platform(ext_ctx, "facebook")
    _type_risky(page)
    H.open_badge_card(page)
    assert H.axe_serious(page, [["[data-saring=card]"]]) == []
    page.keyboard.press("Escape")
    page.click(H.PLATFORMS["facebook"]["button"])
    page.locator(f"{H.GUARD} [data-action=edit]").wait_for(state="visible", timeout=5000)
    assert H.axe_serious(page, [["[data-saring=guard]"]]) == []
    page.keyboard.press("Escape")
    page.close()
    for path, ready in (("popup/popup.html", "document.body.getAttribute('data-server') === 'ok'"),
                        ("options/options.html", "document.getElementById('serverUrl').value !== ''"),
                        ("welcome/welcome.html", "document.getElementById('ok').textContent !== ''")):
        p = ext_ctx.new_page()
        p.goto(f"chrome-extension://{H.EXT_ID}/{path}")
        p.wait_for_function(f"() => {ready}", timeout=5000)
        p.wait_for_timeout(300)
        assert H.axe_serious(p) == [], path
        p.close()
