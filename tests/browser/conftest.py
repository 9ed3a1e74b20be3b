"""Fixtures for the real-browser tests (marker `browser`).

Debian's chromium runs the unpacked extension from extension/ against a real `saring serve`;
fixture pages built from Lexical, Draft.js and Quill are served at the platforms' real URLs
through context.route, so the manifest's own match patterns decide where the content script runs.
A missing chromium, node or npm fails these tests; they are never skipped.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import browser_harness as H  # noqa: E402


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def fixtures_built():
    try:
        H.ensure_fixtures_built()
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    return H.DIST


@pytest.fixture(scope="session")
def pw(fixtures_built):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Python playwright is not installed (pip install playwright; use Debian's chromium, "
                    "never `playwright install`)", pytrace=False)
    try:
        H.require_tools()
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    srv = H.Server(tmp_path_factory.mktemp("serve"))
    srv.start()
    yield srv
    srv.stop()


def _launch(pw, with_extension=True, settings=None):
    user_dir = H.new_user_dir()
    ctx = H.launch(pw, user_dir, with_extension=with_extension)
    if with_extension:
        H.set_user_settings(ctx, settings or {})
        H.close_extra_pages(ctx)
    return ctx, user_dir


@pytest.fixture(scope="module")
def ext_ctx(pw, server):
    """A chromium with the extension, pointed at the session's server."""
    ctx, user_dir = _launch(pw, True, {"serverUrl": server.url})
    yield ctx
    ctx.close()
    shutil.rmtree(user_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def plain_ctx(pw):
    """The same chromium without the extension: the baseline for editor behaviour."""
    ctx, user_dir = _launch(pw, False)
    yield ctx
    ctx.close()
    shutil.rmtree(user_dir, ignore_errors=True)


@pytest.fixture
def ext_page(ext_ctx):
    page = ext_ctx.new_page()
    yield page
    page.close()


@pytest.fixture(scope="session")
def risky_expected(server):
    """What the server finds in the risky post (the page must show the same words)."""
    res = server.check(H.RISKY)
    highs = [f for f in res["findings"] if f["severity"] == "high"]
    assert highs, f"the risky fixture text must carry a `high` finding; the server returned {res}"
    return res
