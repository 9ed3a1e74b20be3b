"""Helpers for Saring's real-browser tests: Debian's chromium with the unpacked extension,
fixture pages served at the platforms' real URLs, and a real `saring serve`.

Nothing here skips: a missing chromium, node or npm is a test failure with a clear message.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
# SARING_EXTENSION_DIR runs the tests against another copy of the extension (e.g. an older
# commit's, to see a new test fail there)
EXT = Path(os.environ.get("SARING_EXTENSION_DIR") or (ROOT / "extension"))
HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
PAGES = FIXTURES / "pages"
DIST = FIXTURES / "dist"
# Screenshots taken by the tests go to an untracked folder; scripts/refresh_screenshots.py sets
# SARING_SCREENSHOTS=docs/screenshots to refresh the docs' pictures on purpose.
SCREENSHOTS = Path(os.environ.get("SARING_SCREENSHOTS") or (ROOT / "tests" / "browser" / ".out" / "screenshots"))
EXT_ID = "ldjhkggihnbfhglcndojbckekmpmlmff"
CHROMIUM = os.environ.get("SARING_CHROMIUM", "/usr/bin/chromium")
POLICY_DIR = Path("/etc/chromium/policies/managed")

# Each fixture page mimics one platform: its compose box built with the editor library the
# platform uses, and a publish button whose handler records a publish in window.__published.
PLATFORMS = {
    "facebook": dict(url="https://www.facebook.com/", page="facebook.html", editor="#composer",
                     kind="lexical", button="#post", send_key=None),
    "instagram": dict(url="https://www.instagram.com/p/C0saring/", page="instagram.html", editor="#comment",
                      kind="textarea", button="#post", send_key="Enter"),
    "x": dict(url="https://x.com/home", page="x.html", editor=".public-DraftEditor-content",
              kind="draft", button="[data-testid=tweetButtonInline]", send_key="Control+Enter"),
    "linkedin": dict(url="https://www.linkedin.com/feed/", page="linkedin.html", editor=".ql-editor",
                     kind="quill", button=".share-actions__primary-action", send_key="Control+Enter"),
    "threads": dict(url="https://www.threads.net/", page="threads.html", editor="#composer",
                    kind="lexical", button="#post", send_key="Control+Enter"),
    "whatsapp": dict(url="https://web.whatsapp.com/", page="whatsapp.html", editor="#composer",
                     kind="lexical", button="#send", send_key="Enter"),
    "youtube": dict(url="https://www.youtube.com/watch?v=saring", page="youtube.html",
                    editor="#contenteditable-root", kind="contenteditable", button="#submit-button button", send_key=None),
    "tiktok": dict(url="https://www.tiktok.com/@budi/video/7300000000000000000", page="tiktok.html",
                   editor=".public-DraftEditor-content", kind="draft", button="[data-e2e=comment-post]", send_key="Enter"),
}
# A site Saring has no adapter for: it must stay off there.
OTHER_SITE = "https://www.example.org/"

HOST_PAGE = {urlparse(p["url"]).hostname: p["page"] for p in PLATFORMS.values()}
HOST_RE = re.compile(r"^https://(" + "|".join(re.escape(h) for h in list(HOST_PAGE) + ["www.example.org"]) + r")/")

# Post texts. The risky one must carry at least one finding of severity "high" (the tests ask
# the server which words, and compare with what the page shows).
RISKY = "Baru beli Rolex lagi. Ayo coblos nomor 2 di pilkada besok!"
CLEAN = "Selamat pagi, hari ini pelayanan KTP elektronik buka sampai pukul 15.00"
EMOJI_PREFIX = "🙂🎉👍🏽 "

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"]


def require_tools() -> None:
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    for tool in ("node", "npm"):
        if not shutil.which(tool):
            missing.append(f"{tool} (Debian: apt-get install nodejs npm)")
    if missing:
        raise RuntimeError("browser tests need: " + "; ".join(missing))


def _newest_mtime(paths) -> float:
    return max((p.stat().st_mtime for p in paths if p.exists()), default=0.0)


def ensure_fixtures_built() -> None:
    """npm ci (when node_modules is missing) and the esbuild bundle (when dist/ is stale)."""
    require_tools()
    if not (FIXTURES / "node_modules" / ".package-lock.json").exists():
        cmd = ["npm", "ci", "--no-audit", "--no-fund"] if (FIXTURES / "package-lock.json").exists() else \
            ["npm", "install", "--no-audit", "--no-fund"]
        r = subprocess.run(cmd, cwd=FIXTURES, capture_output=True, text=True, timeout=600)
        if r.returncode:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    sources = list((FIXTURES / "src").glob("*")) + [FIXTURES / "build.mjs", FIXTURES / "package-lock.json"]
    outs = [DIST / f"{n}.js" for n in ("lexical", "draft", "quill", "plain")]
    if not all(o.exists() for o in outs) or min(o.stat().st_mtime for o in outs) < _newest_mtime(sources):
        r = subprocess.run(["node", "build.mjs"], cwd=FIXTURES, capture_output=True, text=True, timeout=300)
        if r.returncode:
            raise RuntimeError(f"esbuild bundle failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")


# ---------------------------------------------------------------- server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_json(method: str, url: str, body=None, timeout: float = 5.0):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read())


class Server:
    """A real `saring serve` on a free loopback port."""

    def __init__(self, log_dir: Path, port: int | None = None, extra_args=()):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_dir) / f"serve-{self.port}.log"
        self.extra_args = list(extra_args)
        self.proc = None

    def start(self, timeout: float = 60.0) -> "Server":
        fh = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--port", str(self.port), *self.extra_args],
            cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"saring serve exited early:\n{self.log()}")
            try:
                if http_json("GET", self.url + "/v1/health", timeout=1).get("status") == "ok":
                    return self
            except (urllib.error.URLError, ConnectionError, OSError, ValueError):
                pass
            time.sleep(0.15)
        self.stop()
        raise RuntimeError(f"saring serve did not answer in {timeout:.0f} s:\n{self.log()}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.proc = None

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]
        except OSError:
            return ""

    def check(self, text: str) -> dict:
        return http_json("POST", self.url + "/v1/check", {"text": text})


# ---------------------------------------------------------------- browser

def launch(playwright, user_data_dir: str, with_extension: bool = True, extra_args=()):
    require_tools()
    args = ["--headless=new", *LAUNCH_ARGS, *extra_args]
    if with_extension:
        args += [f"--load-extension={EXT}", f"--disable-extensions-except={EXT}"]
    ctx = playwright.chromium.launch_persistent_context(
        user_data_dir,
        executable_path=CHROMIUM,
        headless=False,
        # Playwright adds --disable-extensions by default; the extension must load.
        ignore_default_args=["--disable-extensions"],
        args=args,
        viewport={"width": 1000, "height": 700},
        locale="id-ID",
    )
    if with_extension:
        service_worker(ctx)  # route only once the extension's worker runs (see install_routes)
    install_routes(ctx)
    return ctx


def _route(route):
    url = urlparse(route.request.url)
    path = url.path
    if path.startswith("/__fixture__/dist/"):
        f = DIST / Path(path).name
        if f.exists():
            return route.fulfill(status=200, content_type="text/javascript; charset=utf-8", body=f.read_bytes())
    elif path.startswith("/__fixture__/pages/"):
        f = PAGES / Path(path).name
        if f.exists():
            ctype = "text/css" if f.suffix == ".css" else "text/html"
            return route.fulfill(status=200, content_type=ctype + "; charset=utf-8", body=f.read_bytes())
    elif route.request.resource_type == "document":
        page = HOST_PAGE.get(url.hostname)
        if page:
            return route.fulfill(status=200, content_type="text/html; charset=utf-8", body=(PAGES / page).read_bytes())
        if url.hostname == "www.example.org":
            body = ('<!doctype html><meta charset="utf-8"><title>Other</title>'
                    '<textarea id="t" style="width:400px;height:80px"></textarea>'
                    '<button id="post">Kirim</button><script>window.__published=[];'
                    'document.getElementById("post").onclick=()=>__published.push(document.getElementById("t").value)</script>')
            return route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)
    return route.fulfill(status=404, content_type="text/plain", body="not found")


def install_routes(ctx) -> None:
    # Only the platform hosts are routed; the extension's requests to 127.0.0.1 go out untouched.
    ctx.route(HOST_RE, _route)


def service_worker(ctx, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for sw in ctx.service_workers:
            if sw.url.startswith(f"chrome-extension://{EXT_ID}/"):
                return sw
        try:
            ctx.wait_for_event("serviceworker", timeout=1000)
        except Exception:  # noqa: BLE001 - keep polling until the deadline
            pass
    ids = [sw.url for sw in ctx.service_workers]
    raise RuntimeError(f"the Saring extension's service worker did not start (pinned id {EXT_ID}); workers: {ids}")


def set_user_settings(ctx, settings: dict) -> None:
    sw = service_worker(ctx)
    sw.evaluate("(s) => new Promise(r => chrome.storage.local.set({settings: s, firstRunShown: true}, r))", settings)


def close_extra_pages(ctx) -> None:
    for p in list(ctx.pages):
        if p.url.startswith("chrome-extension://"):
            p.close()


def open_platform(ctx, name: str, page=None):
    spec = PLATFORMS[name]
    page = page or ctx.new_page()
    page.goto(spec["url"], wait_until="domcontentloaded")
    page.wait_for_function("() => window.__fixtureReady === true", timeout=10000)
    return page


def focus_editor(page, name: str):
    sel = PLATFORMS[name]["editor"]
    page.click(sel)
    return sel


# ---------------------------------------------------------------- what the extension shows

BADGE = "[data-saring=badge]"
GUARD = "[data-saring=guard]"

JS_HIGHLIGHTS = """() => {
  const out = [];
  if (!window.CSS || !CSS.highlights) return out;
  for (const [name, h] of CSS.highlights) for (const r of h) {
    const rects = [...r.getClientRects()].filter(q => q.width > 0.5).map(q => ({left: q.left, top: q.top, width: q.width, height: q.height}));
    out.push({name, text: r.toString(), rects});
  }
  return out;
}"""

JS_MARKS = """() => {
  const host = document.querySelector('[data-saring=overlay]');
  if (!host || !host.shadowRoot) return [];
  return [...host.shadowRoot.querySelectorAll('[data-saring-mark]')].filter(m => m.style.display !== 'none').map(m => {
    const r = m.getBoundingClientRect();
    // the marks carry no words or rule ids (a page could read them): the words come from the editor
    const start = +m.getAttribute('data-start'), end = +m.getAttribute('data-end');
    return {text: window.__editorText ? window.__editorText().slice(start, end) : null, severity: m.getAttribute('data-severity'),
            start, end, cls: m.className,
            left: r.left, top: r.top, width: r.width, height: r.height};
  });
}"""

# Which text offset lies under a point, by the browser's own hit testing (works inside textareas too).
JS_OFFSET_AT = """([x, y]) => {
  const p = document.caretPositionFromPoint ? document.caretPositionFromPoint(x, y) : null;
  if (!p) return null;
  const n = p.offsetNode;
  if (n && (n.tagName === 'TEXTAREA' || n.tagName === 'INPUT')) return {kind: 'field', offset: p.offset};
  return {kind: 'node', text: n && n.nodeType === 3 ? n.data : null, offset: p.offset};
}"""


def badge_state(page):
    return page.evaluate("""() => { const b = document.querySelector('[data-saring=badge]');
      return b ? {count: +b.getAttribute('data-count'), severity: b.getAttribute('data-severity')} : null; }""")


def wait_badge(page, severity=None, count=None, timeout=8000):
    cond = []
    if severity:
        cond.append(f"b.getAttribute('data-severity') === {json.dumps(severity)}")
    if count is not None:
        cond.append(f"b.getAttribute('data-count') === '{count}'")
    expr = " && ".join(cond) or "true"
    page.wait_for_function(f"() => {{ const b = document.querySelector('[data-saring=badge]'); return !!b && {expr}; }}",
                           timeout=timeout)
    return badge_state(page)


def published(page):
    return page.evaluate("() => window.__published.map(p => p.text)")


def editor_state(page):
    return page.evaluate("() => ({text: window.__editorText(), caret: window.__caret(), model: window.__model()})")


def shot(page, name: str, clip_selector: str | None = None, pad: int = 40) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if clip_selector:
        box = page.locator(clip_selector).first.bounding_box()
        vw = page.viewport_size
        x0, y0 = max(0, box["x"] - pad), max(0, box["y"] - pad)
        x1 = min(vw["width"], box["x"] + box["width"] + pad + 60)
        y1 = min(vw["height"], box["y"] + box["height"] + pad + 260)
        page.screenshot(path=str(path), clip={"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0})
    else:
        page.screenshot(path=str(path))
    return path


class IsolatedWorld:
    """Evaluate in the content script's isolated world through CDP (used by the benchmark and
    to read the content script's own timing records)."""

    def __init__(self, page):
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.contexts = []
        self.cdp.on("Runtime.executionContextCreated", lambda e: self.contexts.append(e["context"]))
        self.cdp.send("Runtime.enable")

    def context_id(self):
        for c in reversed(self.contexts):
            aux = c.get("auxData", {})
            if c.get("origin", "").startswith(f"chrome-extension://{EXT_ID}") or EXT_ID in c.get("name", "") or \
                    (aux.get("type") == "isolated" and "Saring" in c.get("name", "")):
                return c["id"]
        for c in reversed(self.contexts):
            if c.get("auxData", {}).get("type") == "isolated":
                return c["id"]
        raise RuntimeError(f"no isolated world for the extension: {[c.get('name') for c in self.contexts]}")

    def eval(self, expression: str):
        r = self.cdp.send("Runtime.evaluate", {"expression": expression, "contextId": self.context_id(),
                                                "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            raise RuntimeError(str(r["exceptionDetails"]))
        return r["result"].get("value")


def new_user_dir(prefix="saring-browser-") -> str:
    return tempfile.mkdtemp(prefix=prefix)


# ---------------------------------------------------------------- more helpers

AXE = FIXTURES / "node_modules" / "axe-core" / "axe.min.js"


def axe_serious(page, include=None):
    """axe-core's serious and critical violations on the page (or inside `include`, a list of
    axe context selectors). axe is evaluated through DevTools, so an extension page's CSP does
    not stop it; it reads open shadow roots, where Saring's card and guard live."""
    if not page.evaluate("() => !!window.axe"):
        page.evaluate("() => { " + AXE.read_text(encoding="utf-8") + "\n}")
        if not page.evaluate("() => !!window.axe"):
            page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    found = page.evaluate("""(inc) => axe.run(inc ? {include: inc} : document, {resultTypes: ['violations']})
        .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            nodes: v.nodes.map(n => JSON.stringify(n.target))})))""", include)
    return [v for v in found if v["impact"] in ("serious", "critical")]


def config_server(log_dir: Path, toml: str) -> Server:
    """A real `saring serve` with its own configuration file."""
    cfg = Path(log_dir) / f"saring-{free_port()}.toml"
    cfg.write_text(toml, encoding="utf-8")
    return Server(log_dir, extra_args=["--config", str(cfg)])


def open_badge_card(page):
    page.locator("[data-saring=badge] button").click()
    card = page.locator("[data-saring=card] .card")
    card.wait_for(state="visible", timeout=3000)
    return card


def new_context(pw, settings: dict):
    """A chromium with the extension and these user settings (set the first time, as a user would)."""
    user_dir = new_user_dir()
    ctx = launch(pw, user_dir)
    set_user_settings(ctx, settings)
    close_extra_pages(ctx)
    return ctx, user_dir


def tab_id_for(ctx, origin: str):
    """The id of the tab showing `origin`. The extension has no host permission for the
    platforms (it needs none), so the worker cannot read tab URLs: each tab's content script
    says where it runs."""
    return service_worker(ctx).evaluate("""(origin) => new Promise(resolve => chrome.tabs.query({}, tabs => {
        let left = tabs.length, found = null;
        if (!left) return resolve(null);
        for (const t of tabs) chrome.tabs.sendMessage(t.id, {type: 'pageState'}, s => {
          void chrome.runtime.lastError;
          if (s && s.origin === origin && found === null) found = t.id;
          if (--left === 0) resolve(found);
        });
      }))""", origin)
