"""The page's editor behaves exactly as without the extension: typing, deleting, moving the
caret, pasting and undo give the same text, caret and editor selection, step by step, in a
chromium with the extension and one without it. The extension adds nothing inside the editor."""

from __future__ import annotations

import pytest

import browser_harness as H

PASTE = "tempel: coblos nomor 2 di pilkada 🗳️"

STEPS = [
    ("type", "Halo semua, baru beli Rolex lagi 🙂 "),
    ("wait", 300),
    ("press", "Backspace", 3),
    ("type", "ok"),
    ("press", "ArrowLeft", 4),
    ("type", "X"),
    ("wait", 900),          # the extension has drawn its findings by now
    ("press", "End", 1),
    ("paste", PASTE),
    ("wait", 900),
    ("type", " ya"),
    ("wait", 700),
    ("undo", 1),
    ("wait", 400),
    ("undo", 1),
    ("wait", 400),
    ("press", "Home", 1),
    ("type", "Pagi! "),
    ("wait", 700),
]


def _paste(page, text):
    page.evaluate("(t) => navigator.clipboard.writeText(t)", text)
    page.keyboard.press("Control+V")


def run_steps(ctx, name):
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=H.PLATFORMS[name]["url"].split("/", 3)[0] + "//" + H.PLATFORMS[name]["url"].split("/")[2])
    page = ctx.new_page()
    try:
        H.open_platform(ctx, name, page)
        H.focus_editor(page, name)
        snaps = []
        for step in STEPS:
            kind = step[0]
            if kind == "type":
                page.keyboard.type(step[1])
            elif kind == "press":
                for _ in range(step[2]):
                    page.keyboard.press(step[1])
            elif kind == "paste":
                _paste(page, step[1])
            elif kind == "undo":
                page.keyboard.press("Control+z")
            elif kind == "wait":
                page.wait_for_timeout(step[1])
                continue
            page.wait_for_timeout(60)
            snaps.append((step[:2], H.editor_state(page)))
        dom_inside = page.evaluate(
            f"() => document.querySelector({H.PLATFORMS[name]['editor']!r}).querySelectorAll('[data-saring], saring-ui').length")
        badge = H.badge_state(page)
        return snaps, dom_inside, badge
    finally:
        page.close()


@pytest.mark.parametrize("name", list(H.PLATFORMS))
def test_editor_behaves_as_without_extension(ext_ctx, plain_ctx, server, name):
    base, _, base_badge = run_steps(plain_ctx, name)
    assert base_badge is None
    # the steps did edit: typed text, paste and undo all took effect in the baseline
    assert "Pagi! " in base[-1][1]["text"]
    assert any(PASTE in s["text"] for _, s in base)
    with_ext, inside, badge = run_steps(ext_ctx, name)
    for (step, a), (_, b) in zip(base, with_ext):
        assert a == b, f"{name}: after {step} the editor differs with the extension:\n without: {a}\n with:    {b}"
    assert len(base) == len(with_ext)
    assert inside == 0
    assert badge is not None, "the extension was active during the run"
