"""One audit run for the server, in a process of its own.

``POST /v1/audit`` starts this in a fresh process (``spawn``): the audit has its own analyzer
and its own interpreter, so it neither waits for nor holds the analyzer lock that
``/v1/check`` uses, and its CPU work does not slow the compose boxes' checks through the GIL.
Messages go back on a queue: ``progress`` (throttled), then ``done`` with the JSON result and
the HTML report, or ``error``. Only counts and the result travel; nothing is logged.
"""

from __future__ import annotations

import time


def run_job(path: str, display_name: str, opts: dict, analyzer_config, queue) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when this process ends
    try:
        from .errors import AuditError, AuthorRequired
        from .report import render_html
        from .runner import AuditOptions, parse_day, run_audit

        queue.put({"type": "progress", "phase": "prepare", "scanned": 0, "flagged": 0, "fraction": 0.0})
        options = AuditOptions(
            since=parse_day(opts["since"]) if opts.get("since") else None,
            until=parse_day(opts["until"], end=True) if opts.get("until") else None,
            min_severity=opts.get("min_severity", "warning"), author=opts.get("author") or None,
            workers=1, locale=opts.get("locale", "id"), categories=opts.get("categories"),
            analyzer_config=analyzer_config, since_label=opts.get("since"), until_label=opts.get("until"))
        last = [0.0]

        def progress(scanned, flagged, fraction, force=False):
            now = time.monotonic()
            if force or now - last[0] >= 0.25:
                last[0] = now
                queue.put({"type": "progress", "phase": "check", "scanned": scanned, "flagged": flagged,
                           "fraction": round(fraction, 4) if fraction is not None else None})

        result = run_audit(path, options, progress=progress, display_name=display_name)
        body = result.to_dict()
        html = render_html(body, options.locale)
        queue.put({"type": "done", "result": body, "html": html})
    except AuthorRequired as e:
        queue.put({"type": "error", "error": {"code": e.code, "message": e.message}, "authors": e.authors[:50]})
    except AuditError as e:
        queue.put({"type": "error", "error": {"code": e.code, "message": e.message}})
    except MemoryError:
        queue.put({"type": "error", "error": {"code": "internal_error",
                                              "message": "Memori tidak cukup untuk memeriksa arsip ini."}})
    except Exception as e:  # noqa: BLE001 - the type only: a message could quote a post
        queue.put({"type": "error", "error": {"code": "internal_error",
                                              "message": f"Pemeriksaan arsip gagal ({type(e).__name__})."}})
