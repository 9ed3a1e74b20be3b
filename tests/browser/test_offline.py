"""When the server is down or slow: typing is not held up, the badge says offline, and
publishing is free (fail open)."""

from __future__ import annotations

import shutil
import socket
import threading
import time

import pytest

import browser_harness as H


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    srv = H.Server(tmp_path_factory.mktemp("serve-offline")).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def ctx(pw, own_server):
    user_dir = H.new_user_dir()
    c = H.launch(pw, user_dir)
    H.set_user_settings(c, {"serverUrl": own_server.url})
    H.close_extra_pages(c)
    yield c
    c.close()
    shutil.rmtree(user_dir, ignore_errors=True)


class HangingServer:
    """Accepts connections and never answers: a server that is too slow."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        self.stop = False
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        self.sock.settimeout(0.2)
        while not self.stop:
            try:
                c, _ = self.sock.accept()
                self.conns.append(c)
            except OSError:
                pass

    def close(self):
        self.stop = True
        for c in self.conns:
            c.close()
        self.sock.close()


def test_server_stopped_badge_offline_and_publishing_free(ctx, own_server):
    page = H.open_platform(ctx, "whatsapp")
    H.focus_editor(page, "whatsapp")
    page.keyboard.type(H.RISKY)
    H.wait_badge(page, severity="high")
    own_server.stop()
    page.keyboard.type(" lagi")
    b = H.wait_badge(page, severity="offline", timeout=8000)
    assert b["severity"] == "offline"
    # the send shortcut goes through at once: no guard, published exactly once
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.__published.length > 0", timeout=3000)
    page.wait_for_timeout(200)
    assert page.locator(H.GUARD).count() == 0
    assert H.published(page) == [H.RISKY + " lagi"]
    # and the button, for a new post typed while the server is down
    page.keyboard.type(H.RISKY)
    page.wait_for_timeout(700)
    H.wait_badge(page, severity="offline")
    page.click(H.PLATFORMS["whatsapp"]["button"])
    page.wait_for_function("() => window.__published.length > 1", timeout=3000)
    assert page.locator(H.GUARD).count() == 0
    assert H.published(page) == [H.RISKY + " lagi", H.RISKY]
    page.close()


def _restart(ctx, srv):
    # the old port may linger in TIME_WAIT: a fresh one, and the extension pointed at it
    srv.port = H.free_port()
    srv.url = f"http://127.0.0.1:{srv.port}"
    srv.start()
    H.set_user_settings(ctx, {"serverUrl": srv.url})


def test_offline_card_and_screenshot(ctx, own_server):
    if own_server.proc is None:
        _restart(ctx, own_server)
    own_server.stop()
    try:
        page = H.open_platform(ctx, "facebook")
        H.focus_editor(page, "facebook")
        page.keyboard.type(H.RISKY)
        H.wait_badge(page, severity="offline")
        page.locator("[data-saring=badge] button").click()
        card = page.locator("[data-saring=card] .card")
        card.wait_for(state="visible", timeout=3000)
        assert "tidak terjangkau" in card.inner_text()
        H.shot(page, "facebook-offline", "#composer")
        page.close()
    finally:
        _restart(ctx, own_server)


def test_slow_server_typing_free_and_fails_open(ctx):
    hang = HangingServer()
    try:
        H.set_user_settings(ctx, {"serverUrl": f"http://127.0.0.1:{hang.port}"})
        page = H.open_platform(ctx, "x")
        H.focus_editor(page, "x")
        t0 = time.monotonic()
        page.keyboard.type(H.RISKY)
        typing = time.monotonic() - t0
        assert H.editor_state(page)["text"] == H.RISKY
        assert typing < 5, f"typing took {typing:.1f} s"
        # the publish button is answered within the guard's short check, without a dialog
        t1 = time.monotonic()
        page.click(H.PLATFORMS["x"]["button"])
        page.wait_for_function("() => window.__published.length > 0", timeout=5000)
        waited = time.monotonic() - t1
        assert waited < 3.5, f"publishing was held {waited:.1f} s"
        assert page.locator(H.GUARD).count() == 0
        assert H.published(page) == [H.RISKY]
        H.wait_badge(page, severity="offline", timeout=8000)
        page.close()
    finally:
        hang.close()
