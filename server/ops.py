"""Operations endpoints: ``GET /v1/stats`` and ``POST /v1/reload`` (same error format).

``POST /v1/reload``: 200 ``{"reloaded": true, "sources": [...], "warnings": [...], "elapsed_ms": …}``;
422 ``{"error": {"code": "invalid_config", "message": …}, "reloaded": false, "errors": [...]}`` when a
file is broken (the last good configuration stays in force); 409 ``reload_unavailable`` when the
server runs without watched files (tests, embedding); 415 unless the request is JSON
(``Content-Type: application/json``, an empty body or ``{}``), as for ``/v1/check``.

Both sit behind the app's Host/Origin guard, like every /v1 route.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from .api import json_body
from .errors import ApiError
from .state import live_config, stats_store

bp = Blueprint("ops", __name__, url_prefix="/v1")


@bp.get("/stats")
def stats():
    store = stats_store()
    try:
        weeks = int(request.args.get("weeks", 12))
    except ValueError:
        raise ApiError(400, "invalid_field", "Parameter \"weeks\" harus bilangan bulat 1–104.") from None
    if not 1 <= weeks <= 104:
        raise ApiError(400, "invalid_field", "Parameter \"weeks\" harus bilangan bulat 1–104.")
    if store is None:
        return jsonify({"enabled": False, "categories": [], "weeks": [], "office": {"enabled": False}})
    return jsonify(store.snapshot(weeks))


@bp.post("/reload")
def reload():
    # The same rule as /v1/check: only a JSON request ("{}" will do).  A form or text/plain
    # body is what a web page can send without a CORS preflight; it is refused before anything
    # is read from disk.
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type",
                       "Kirim JSON dengan header Content-Type: application/json, misalnya {}.")
    if request.get_data(cache=True):
        json_body()
    live = live_config()
    if live is None:
        raise ApiError(409, "reload_unavailable",
                       "Server ini dijalankan tanpa berkas konfigurasi yang dipantau; tidak ada yang dimuat ulang.")
    result = live.reload("permintaan /v1/reload")
    if result.get("reloaded"):
        return jsonify(result)
    # Refused: the error shape every endpoint uses, plus the full list of problems.
    errors = result.get("errors") or ["konfigurasi tidak valid"]
    body = {"error": {"code": "invalid_config",
                      "message": f"Konfigurasi tidak dimuat ulang: {errors[0]} Server tetap memakai konfigurasi "
                                 f"terakhir yang valid."},
            **result}
    return jsonify(body), 422
