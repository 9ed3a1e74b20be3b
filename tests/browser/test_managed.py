"""Settings managed by policy: Chromium reads /etc/chromium/policies/managed/*.json, and the
extension's storage.managed gets its "3rdparty" values (schema: extension/managed_schema.json).
Managed values win over the user's and are shown locked."""

from __future__ import annotations

import json
import os
import shutil

import pytest

import browser_harness as H

POLICY_FILE = H.POLICY_DIR / "saring_test.json"


@pytest.fixture(scope="module")
def managed_ctx(pw, server):
    try:
        H.POLICY_DIR.mkdir(parents=True, exist_ok=True)
        policy = {"3rdparty": {"extensions": {H.EXT_ID: {
            "serverUrl": server.url,
            "guardMode": "block",
            "sites": {"threads": False},
            "categories": {"gratification": False},
            "lockedSettings": ["categories", "extraSites"],
            "suppressWelcome": True,
        }}}}
        POLICY_FILE.write_text(json.dumps(policy), encoding="utf-8")
    except PermissionError:
        pytest.fail(f"the managed-policy test writes {POLICY_FILE} and must run as root (uid {os.getuid()})",
                    pytrace=False)
    user_dir = H.new_user_dir()
    try:
        ctx = H.launch(pw, user_dir)
        # the user's own choice points elsewhere: the policy's address must win
        H.set_user_settings(ctx, {"serverUrl": "http://127.0.0.1:9", "sites": {"threads": True},
                                  "categories": {"gratification": True}})
        sw = H.service_worker(ctx)
        sw.evaluate("""() => new Promise((resolve, reject) => {
            const t0 = Date.now();
            (function poll() {
              chrome.storage.managed.get(null, v => {
                if (v && v.guardMode) return resolve(v);
                if (Date.now() - t0 > 20000) return reject(new Error('managed policy not read'));
                setTimeout(poll, 200);
              });
            })();
        })""")
        H.close_extra_pages(ctx)
        yield ctx
        ctx.close()
    finally:
        POLICY_FILE.unlink(missing_ok=True)
        shutil.rmtree(user_dir, ignore_errors=True)


def test_policy_is_read_by_chromium(managed_ctx, server):
    got = H.service_worker(managed_ctx).evaluate(
        "() => new Promise(r => chrome.storage.managed.get(null, r))")
    assert got["serverUrl"] == server.url
    assert got["guardMode"] == "block"


def test_managed_server_and_block_mode(managed_ctx, server):
    page = H.open_platform(managed_ctx, "facebook")
    H.focus_editor(page, "facebook")
    page.keyboard.type(H.RISKY)
    # findings arrive: the policy's server address won over the user's dead one
    H.wait_badge(page, severity="high", timeout=10000)
    page.click(H.PLATFORMS["facebook"]["button"])
    page.locator(f"{H.GUARD} [data-action=edit]").wait_for(state="visible", timeout=5000)
    # block mode: no "Tetap kirim"
    assert page.locator(f"{H.GUARD} [data-action=publish]").count() == 0
    assert "blokir" in page.locator(f"{H.GUARD} .dlg").inner_text()
    H.shot(page, "facebook-guard-block")
    page.click(f"{H.GUARD} [data-action=edit]")
    page.wait_for_timeout(200)
    assert H.published(page) == []
    page.close()


def test_managed_site_off(managed_ctx):
    page = H.open_platform(managed_ctx, "threads")
    H.focus_editor(page, "threads")
    page.keyboard.type(H.RISKY)
    page.wait_for_timeout(1000)
    assert page.locator("[data-saring]").count() == 0
    page.click(H.PLATFORMS["threads"]["button"])
    assert H.published(page) == [H.RISKY]
    page.close()


def test_managed_category_off_and_locked_in_options(managed_ctx, server):
    sw = H.service_worker(managed_ctx)
    cfg = sw.evaluate("() => config()")
    assert cfg["settings"]["categories"]["gratification"] is False
    assert {"serverUrl", "guardMode", "categories", "sites", "extraSites"} <= set(cfg["locked"])
    page = managed_ctx.new_page()
    page.goto(f"chrome-extension://{H.EXT_ID}/options/options.html")
    page.wait_for_function("() => document.getElementById('serverUrl').value !== ''", timeout=5000)
    assert page.input_value("#serverUrl") == server.url
    assert page.is_disabled("#serverUrl")
    assert page.is_disabled("#cat-gratification")
    assert not page.is_checked("#cat-gratification")
    assert page.is_visible("#managedNote")
    assert page.locator("[data-lock=serverUrl]").is_visible()
    H.shot(page, "options-managed")
    page.close()
