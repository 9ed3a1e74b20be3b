"""The extension's "Periksa arsip" page end to end in chromium, against a real `saring serve`:
opened from the popup, an archive chosen or dropped, progress streamed, the report shown and
worked (filters, checkboxes), the HTML report downloaded; a WhatsApp chat asks whose
messages to check; a server that is down gets a plain message."""

from __future__ import annotations

import base64
import sys
from pathlib import Path

import pytest

import browser_harness as H

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "audit"))

import fixtures as F  # noqa: E402
from server.audit import AuditOptions, run_audit  # noqa: E402

PAGE = f"chrome-extension://{H.EXT_ID}/audit/audit.html"


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("archives")
    F.build_facebook(tmp / "fb")
    F.build_whatsapp(tmp / "wa")
    return {"facebook": F.zip_dir(tmp / "fb", tmp / "facebook-budi.zip"), "whatsapp": next((tmp / "wa").iterdir())}


def open_page(ctx):
    page = ctx.new_page()
    page.goto(PAGE)
    page.wait_for_selector("body[data-ready='1']")
    return page


def test_popup_links_to_the_page(ext_ctx):
    popup = ext_ctx.new_page()
    popup.goto(f"chrome-extension://{H.EXT_ID}/popup/popup.html")
    before = set(ext_ctx.pages)
    popup.click("#openAudit")
    page = None
    for _ in range(100):
        page = next((p for p in ext_ctx.pages if p not in before and p.url == PAGE), None)
        if page:
            break
        popup.wait_for_timeout(100)
    assert page is not None, [p.url for p in ext_ctx.pages]
    page.wait_for_selector("body[data-ready='1']")
    assert page.url == PAGE
    assert "Periksa arsip" in page.inner_text("h1")
    page.close()
    popup.close()


def test_audit_end_to_end_report_and_download(ext_ctx, archives, analyzer, tmp_path):
    want = run_audit(str(archives["facebook"]), AuditOptions(), analyzer=analyzer)
    page = open_page(ext_ctx)
    states = []
    page.expose_function("__noteState", lambda s: states.append(s))
    page.evaluate("""() => new MutationObserver(() => window.__noteState(document.body.dataset.state))
                     .observe(document.body, {attributes: true, attributeFilter: ['data-state']})""")
    page.set_input_files("#file", str(archives["facebook"]))
    page.wait_for_selector("body[data-state='done']", timeout=60000)
    assert "checking" in states                                        # progress was shown while it ran
    assert page.get_attribute("body", "data-scanned") == str(want.posts_scanned) == "5"
    assert page.get_attribute("body", "data-flagged") == str(want.posts_flagged) == "3"
    assert "5" in page.inner_text("#status") and "3" in page.inner_text("#status")
    report = page.locator("#report #saring-report")
    assert report.get_attribute("data-ready") == "1"
    texts = page.evaluate("() => [...document.querySelectorAll('#report article.item .text')].map(e => e.innerText)")
    assert texts == [i["text"] for i in want.items]                    # newest first, repaired text
    # the report works inside the page: a filter and a checkbox
    page.select_option("#report [data-filter=category]", "facility_misuse")
    shown = page.evaluate("() => [...document.querySelectorAll('#report article.item')].filter(a => !a.hidden).length")
    assert shown == 1
    page.select_option("#report [data-filter=category]", "")
    page.locator("#report input[data-role=done]").first.check()
    assert page.get_attribute("#report #saring-report", "data-done") == "1"
    # the downloadable report is the self-contained HTML file
    with page.expect_download() as dl:
        page.click("#download")
    saved = tmp_path / "laporan.html"
    dl.value.save_as(saved)
    assert dl.value.suggested_filename == "laporan-saring-facebook-budi.html"
    html = saved.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and html.count('<article class="item') == 3
    assert "<script src" not in html and "<link " not in html
    page.close()


def test_dropped_whatsapp_chat_asks_whose_messages(ext_ctx, archives):
    page = open_page(ext_ctx)
    chat = archives["whatsapp"]
    page.evaluate("""([name, b64]) => {
        const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], name, {type: 'text/plain'}));
        const drop = document.getElementById('drop');
        drop.dispatchEvent(new DragEvent('dragenter', {dataTransfer: dt, bubbles: true, cancelable: true}));
        drop.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
    }""", [chat.name, base64.b64encode(chat.read_bytes()).decode()])
    page.wait_for_selector("body[data-state='author']", timeout=30000)
    names = page.evaluate("() => [...document.querySelectorAll('#authorList button')].map(b => b.textContent)")
    assert names == ["Budi Santoso", "Siti"]
    page.click("#authorList button[data-author='Budi Santoso']")
    page.wait_for_selector("body[data-state='done']", timeout=30000)
    assert page.get_attribute("body", "data-scanned") == "3"          # Budi's messages only
    assert page.get_attribute("body", "data-flagged") == "2"
    page.close()


def test_server_down_gets_a_plain_message(ext_ctx, archives, server):
    import socket

    holder = socket.socket()                 # a port that is bound but never listens: refused,
    holder.bind(("127.0.0.1", 0))            # and no other process can take it meanwhile
    H.set_user_settings(ext_ctx, {"serverUrl": f"http://127.0.0.1:{holder.getsockname()[1]}"})
    try:
        page = open_page(ext_ctx)
        page.set_input_files("#file", str(archives["facebook"]))
        page.wait_for_selector("body[data-state='error']", timeout=15000)
        assert "tidak dapat dihubungi" in page.inner_text("#error")
        assert page.is_visible("#drop")                                   # the user can try again
        page.close()
    finally:
        holder.close()
        H.set_user_settings(ext_ctx, {"serverUrl": server.url})
