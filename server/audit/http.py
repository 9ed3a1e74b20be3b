"""``POST /v1/audit``: the extension's "Periksa arsip" page uploads an export here.

Request: the archive (or one export file) as the raw body, any content type; options in the
query string: ``filename`` (its name, for format detection), ``locale`` (id|en),
``min_severity`` (info|warning|high), ``since``/``until`` (YYYY-MM-DD), ``author`` (WhatsApp),
``categories`` (comma-separated ids).

Response: ``application/x-ndjson``, one JSON object a line, streamed while the audit runs:
``{"type": "progress", "phase": "prepare"|"check", "scanned", "flagged", "fraction"}`` …, then
``{"type": "done", "result": {…same as saring audit --json…}, "html": "<!doctype html>…"}``
or ``{"type": "error", "error": {"code", "message"}, "authors": [...]}`` (``author_required``
lists the chat's senders so the page can ask).

Errors before the stream starts use the API's JSON shape: 413 ``too_large`` above
``SARING_AUDIT_MAX_BYTES`` (default 512 MiB), 400 ``invalid_field``, 409 ``audit_busy`` while
another audit runs. The Host/Origin rules of the contract apply as for every ``/v1`` route
(the app's guard runs first): only the extension (or a local process without an Origin) can
call it. The upload is kept in a private temporary folder while the audit runs and deleted
afterwards, also when the page goes away or the server stops.
"""

from __future__ import annotations

import atexit
import json
import multiprocessing
import os
import queue as queue_mod
import re
import shutil
import tempfile
import threading

from flask import Blueprint, Response, current_app, request

from nlp import CATEGORIES

from ..errors import ApiError
from ..state import current_analyzer

bp = Blueprint("audit", __name__, url_prefix="/v1")

DEFAULT_MAX_BYTES = 512 << 20
IDLE_TIMEOUT_S = 600          # an audit that sends nothing for this long is stopped
_busy = threading.Lock()
_live_dirs: set[str] = set()


@atexit.register
def _cleanup_all() -> None:
    for d in list(_live_dirs):
        shutil.rmtree(d, ignore_errors=True)


def _params() -> dict:
    a = request.args
    locale = a.get("locale", "id")
    if locale not in ("id", "en"):
        raise ApiError(400, "invalid_field", "Parameter \"locale\" harus \"id\" atau \"en\".")
    sev = a.get("min_severity", "warning")
    if sev not in ("info", "warning", "high"):
        raise ApiError(400, "invalid_field", "Parameter \"min_severity\" harus info, warning atau high.")
    opts = {"locale": locale, "min_severity": sev}
    for key in ("since", "until"):
        v = a.get(key, "").strip()
        if v:
            if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", v):
                raise ApiError(400, "invalid_field", f"Parameter \"{key}\" harus tanggal seperti 2019-07-14.")
            opts[key] = v
    author = a.get("author", "").strip()
    if author:
        if len(author) > 200:
            raise ApiError(400, "invalid_field", "Parameter \"author\" terlalu panjang.")
        opts["author"] = author
    cats = a.get("categories", "").strip()
    if cats:
        ids = [c.strip() for c in cats.split(",") if c.strip()]
        unknown = [c for c in ids if c not in CATEGORIES]
        if unknown:
            raise ApiError(400, "invalid_field", f"Kategori tidak dikenal: {', '.join(unknown)}.")
        opts["categories"] = ids
    return opts


def _safe_filename(name: str) -> str:
    name = os.path.basename(name.replace("\\", "/"))[:200]
    name = re.sub(r"[\x00-\x1f]", "", name).strip() or "arsip"
    return name


def _receive(limit: int, dest: str) -> int:
    """Copy the request body to ``dest``; 413 as soon as it is larger than ``limit``."""
    stream = request.environ.get("wsgi.input")
    remaining = request.content_length
    total = 0
    with open(dest, "wb") as out:
        while True:
            want = 1 << 20 if remaining is None else min(1 << 20, remaining - total)
            if want <= 0:
                break
            chunk = stream.read(want) if stream is not None else b""
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise ApiError(413, "too_large", _too_large_message(limit))
            out.write(chunk)
    return total


def _too_large_message(limit: int) -> str:
    return (f"Arsip terlalu besar untuk diunggah ke Saring (paling besar {limit >> 20} MB). Untuk arsip sebesar "
            f"ini, jalankan di terminal: saring audit ARSIP.zip --html laporan.html")


@bp.post("/audit")
def audit():
    limit = int(current_app.config.get("SARING_AUDIT_MAX_BYTES", DEFAULT_MAX_BYTES))
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, "too_large", _too_large_message(limit))
    opts = _params()
    filename = _safe_filename(request.args.get("filename", "arsip.zip"))
    if not _busy.acquire(blocking=False):
        raise ApiError(409, "audit_busy", "Saring sedang memeriksa arsip lain. Tunggu sampai selesai, lalu coba lagi.")
    tmpdir = None
    try:
        tmpdir = tempfile.mkdtemp(prefix="saring-audit-")
        _live_dirs.add(tmpdir)
        suffix = os.path.splitext(filename)[1][:10] if re.search(r"\.[A-Za-z0-9]{1,8}$", filename) else ""
        path = os.path.join(tmpdir, "upload" + suffix)
        size = _receive(limit, path)
        if size == 0:
            raise ApiError(400, "invalid_field", "Tidak ada berkas yang diunggah.")
        analyzer_config = current_analyzer().config
        ctx = multiprocessing.get_context("spawn")
        q = ctx.Queue()
        from .job import run_job

        proc = ctx.Process(target=run_job, args=(path, filename, opts, analyzer_config, q), daemon=True)
        proc.start()
    except BaseException:
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
            _live_dirs.discard(tmpdir)
        _busy.release()
        raise

    cleaned = threading.Event()

    def cleanup():
        if cleaned.is_set():
            return
        cleaned.set()
        if proc.is_alive():
            proc.terminate()
        proc.join(5)
        q.close()
        shutil.rmtree(tmpdir, ignore_errors=True)
        _live_dirs.discard(tmpdir)
        _busy.release()

    def stream():
        try:
            idle = 0.0
            while True:
                try:
                    msg = q.get(timeout=1.0)
                except queue_mod.Empty:
                    idle += 1.0
                    if not proc.is_alive() or idle > IDLE_TIMEOUT_S:
                        yield _line({"type": "error", "error": {
                            "code": "internal_error", "message": "Pemeriksaan arsip berhenti tanpa hasil."}})
                        return
                    yield _line({"type": "heartbeat"})  # a closed page is noticed here
                    continue
                idle = 0.0
                yield _line(msg)
                if msg.get("type") in ("done", "error"):
                    return
        finally:
            cleanup()

    resp = Response(_Stream(stream(), cleanup), mimetype="application/x-ndjson")
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


def _line(msg: dict) -> bytes:
    return (json.dumps(msg, ensure_ascii=False) + "\n").encode("utf-8")


class _Stream:
    """The response body: closing it ends the audit and deletes the upload even when the
    server closes the response before its first line was sent (a generator that never
    started would not run its ``finally``)."""

    def __init__(self, gen, cleanup):
        self._gen, self._cleanup = gen, cleanup

    def __iter__(self):
        return self._gen

    def close(self):
        try:
            self._gen.close()
        finally:
            self._cleanup()
