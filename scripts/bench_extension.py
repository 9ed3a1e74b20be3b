#!/usr/bin/env python3
"""Measure the Saring extension in a real browser (Debian's chromium + the unpacked extension,
a real `saring serve`, the Lexical / Draft.js / Quill / textarea fixture pages).

Two numbers per fixture:

* per-keystroke main-thread cost of the content script, on a post of about 1,000 characters
  that already carries findings (so underlines are kept aligned on every keystroke), and in a
  textarea right after a 20,000-character paste (row "instagram+paste20k"). The
  content script times each of its own handlers (keydown, input, mutation observer, the
  frame's layout pass) with performance.now(); they are read from its isolated world through
  CDP and summed per keystroke. Target: p95 < 2 ms.
* last keystroke -> visible highlight: from the page's own timestamp of the last keydown to the
  animation frame in which the underline for the new risky words exists (CSS Custom Highlight
  registry, or the overlay's boxes for a textarea), measured in the page. Includes the pause
  (debounce, 400 ms) and the round trip to the server. Target: < 800 ms.

Usage: python scripts/bench_extension.py [--trials 8] [--keys 120] [--out bench_results/extension.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import browser_harness as H  # noqa: E402

FIXTURES = ["facebook", "x", "linkedin", "instagram", "whatsapp"]
FILLER = ("Hari ini tim kami melayani warga yang mengurus KTP elektronik dan kartu keluarga di kantor "
          "kecamatan. Antrean tertib dan petugas ramah. ")
PREFIX = "Baru beli Rolex lagi. "          # a finding already stands while typing
TAIL = " Ayo coblos nomor 2 di pilkada!"  # the risky words typed last
TAIL_WORD = "coblos nomor 2"

JS_WATCH = """(word) => new Promise((resolve) => {
  const t0 = performance.now();
  function found() {
    if (window.CSS && CSS.highlights) {
      for (const [, h] of CSS.highlights) for (const r of h) if (r.toString() === word) return true;
    }
    const host = document.querySelector('[data-saring=overlay]');
    if (host && host.shadowRoot) {
      for (const m of host.shadowRoot.querySelectorAll('[data-saring-mark]'))
        // marks carry offsets only (no words): the words come from the page's own text
        if (m.style.display !== 'none' && window.__editorText().slice(+m.dataset.start, +m.dataset.end) === word) return true;
    }
    return false;
  }
  function tick() {
    if (found()) return resolve({at: performance.now(), lastKey: window.__benchLastKey});
    if (performance.now() - t0 > 10000) return resolve(null);
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})"""

JS_KEYSTAMP = """() => { window.__benchLastKey = 0;
  window.addEventListener('keydown', e => { window.__benchLastKey = e.timeStamp; }, true); }"""


def pct(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    k = (len(v) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def long_post(n=1000):
    text = PREFIX
    while len(text) < n:
        text += FILLER
    return text[:n]


def per_keystroke_cost(ctx, name, keys, delay_ms, length=1000):
    page = ctx.new_page()
    world = H.IsolatedWorld(page)
    H.open_platform(ctx, name, page)
    # the content script records its handlers' time only when asked (never in a user's tab)
    world.eval("SaringCS.enablePerf()")
    H.focus_editor(page, name)
    post = long_post(length - keys)
    page.keyboard.insert_text(post)  # one input event with the whole text, as a paste
    H.wait_badge(page, count=None, timeout=10000)
    page.wait_for_function("() => { const b = document.querySelector('[data-saring=badge]'); return b && +b.dataset.count > 0; }",
                           timeout=10000)
    world.eval("__saringPerf.samples.length = 0, 0")
    typed = (FILLER * 3)[:keys]
    page.keyboard.type(typed, delay=delay_ms)
    page.wait_for_timeout(100)  # the last frame's layout pass
    samples = world.eval("__saringPerf.samples.slice()")
    length = len(H.editor_state(page)["text"])
    page.close()
    # sum the handlers' time per keystroke: from one keydown to the next
    starts = [s[1] for s in samples if s[0] == "keydown"]
    per_key = []
    for i, t in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else float("inf")
        per_key.append(sum(s[2] for s in samples if t <= s[1] < end))
    kinds = {}
    for s in samples:
        kinds.setdefault(s[0], []).append(s[2])
    return {
        "keystrokes": len(per_key),
        "post_length": length,
        "p50_ms": round(pct(per_key, 50), 3),
        "p95_ms": round(pct(per_key, 95), 3),
        "max_ms": round(max(per_key), 3) if per_key else None,
        "by_handler_p95_ms": {k: round(pct(v, 95), 3) for k, v in sorted(kinds.items())},
    }


def highlight_latency(ctx, name, trials, delay_ms):
    out = []
    post = long_post(1000 - len(TAIL))
    for _ in range(trials):
        page = ctx.new_page()
        H.open_platform(ctx, name, page)
        H.focus_editor(page, name)
        page.keyboard.insert_text(post)
        page.wait_for_function("() => { const b = document.querySelector('[data-saring=badge]'); return b && +b.dataset.count > 0; }",
                               timeout=10000)
        page.evaluate(JS_KEYSTAMP)
        page.keyboard.type(TAIL, delay=delay_ms)
        res = page.evaluate(JS_WATCH, TAIL_WORD)
        if res and res["lastKey"]:
            out.append(res["at"] - res["lastKey"])
        page.close()
    return {
        "trials": len(out),
        "p50_ms": round(pct(out, 50), 1),
        "p95_ms": round(pct(out, 95), 1),
        "max_ms": round(max(out), 1) if out else None,
        "mean_ms": round(statistics.mean(out), 1) if out else None,
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=8, help="latency trials per fixture")
    ap.add_argument("--keys", type=int, default=120, help="keystrokes measured per fixture")
    ap.add_argument("--delay", type=int, default=35, help="ms between keystrokes (a fast typist)")
    ap.add_argument("--fixtures", default=",".join(FIXTURES))
    ap.add_argument("--out", default=str(ROOT / "bench_results" / "extension.json"))
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    H.ensure_fixtures_built()
    server = H.Server(Path(tempfile.mkdtemp(prefix="saring-bench-"))).start()
    results = {"chromium": None, "fixtures": {}, "targets": {"keystroke_p95_ms": 2.0, "highlight_p95_ms": 800.0},
               "debounce_ms": 400, "keystroke_delay_ms": args.delay}
    try:
        with sync_playwright() as p:
            ctx = H.launch(p, H.new_user_dir("saring-bench-"))
            results["chromium"] = ctx.browser.version if ctx.browser else None
            H.set_user_settings(ctx, {"serverUrl": server.url})
            H.close_extra_pages(ctx)
            for name in args.fixtures.split(","):
                t0 = time.monotonic()
                cost = per_keystroke_cost(ctx, name, args.keys, args.delay)
                lat = highlight_latency(ctx, name, args.trials, args.delay)
                results["fixtures"][name] = {"editor": H.PLATFORMS[name]["kind"], "keystroke": cost, "highlight": lat,
                                             "seconds": round(time.monotonic() - t0, 1)}
                print(f"  {name}: done in {time.monotonic() - t0:.1f} s", file=sys.stderr)
            if "instagram" in args.fixtures.split(","):
                # typing on right after a 20,000-character paste into a textarea
                t0 = time.monotonic()
                cost = per_keystroke_cost(ctx, "instagram", args.keys, args.delay, length=20000)
                results["fixtures"]["instagram+paste20k"] = {"editor": "textarea", "keystroke": cost, "highlight": None,
                                                             "seconds": round(time.monotonic() - t0, 1)}
                print(f"  instagram+paste20k: done in {time.monotonic() - t0:.1f} s", file=sys.stderr)
            ctx.close()
    finally:
        server.stop()

    rows = [("fixture", "editor", "keys", "post len", "key p50 ms", "key p95 ms", "key max ms",
             "hl p50 ms", "hl p95 ms", "hl max ms")]
    for name, r in results["fixtures"].items():
        k = r["keystroke"]
        h = r["highlight"] if r["highlight"] and r["highlight"]["trials"] else {"p50_ms": float("nan"), "p95_ms": float("nan"), "max_ms": float("nan")}
        rows.append((name, r["editor"], str(k["keystrokes"]), str(k["post_length"]), f"{k['p50_ms']:.3f}",
                     f"{k['p95_ms']:.3f}", f"{k['max_ms']:.3f}", f"{h['p50_ms']:.0f}", f"{h['p95_ms']:.0f}",
                     f"{h['max_ms']:.0f}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for i, r in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    worst_key = max(r["keystroke"]["p95_ms"] for r in results["fixtures"].values())
    worst_hl = max(r["highlight"]["p95_ms"] for r in results["fixtures"].values() if r["highlight"])
    results["summary"] = {"keystroke_p95_ms_worst": worst_key, "highlight_p95_ms_worst": worst_hl,
                          "meets_targets": worst_key < 2.0 and worst_hl < 800.0}
    print(f"\nworst p95 per keystroke: {worst_key:.3f} ms (target < 2 ms); "
          f"worst p95 last key -> highlight: {worst_hl:.0f} ms (target < 800 ms)")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"written: {out}")
    return 0 if results["summary"]["meets_targets"] else 1


if __name__ == "__main__":
    sys.exit(main())
