"""The API blueprint: ``/v1/check``, ``/v1/health``, ``/v1/categories``, ``/v1/settings``."""

from __future__ import annotations

import time

from flask import Blueprint, jsonify, request

from nlp import CATEGORIES, __version__

from .errors import ApiError
from .state import config_problems, current_analyzer, current_settings, stats_store

bp = Blueprint("api", __name__, url_prefix="/v1")

MAX_TEXT_CHARS = 65536
LOCALES = ("id", "en")


def json_body() -> dict:
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", "Kirim JSON dengan header Content-Type: application/json.")
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested deeper than Python's parser goes: not a post
        data = None
    if data is None:
        raise ApiError(400, "invalid_json", "Isi permintaan bukan JSON yang valid (UTF-8).")
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", "Isi permintaan harus berupa objek JSON, misalnya {\"text\": \"...\"}.")
    return data


@bp.post("/check")
def check():
    data = json_body()
    text = data.get("text")
    if not isinstance(text, str):
        raise ApiError(400, "invalid_field", "Kolom \"text\" wajib ada dan berupa teks.")
    if len(text) > MAX_TEXT_CHARS:
        raise ApiError(413, "too_large", f"Teks terlalu panjang: {len(text)} karakter (paling banyak {MAX_TEXT_CHARS}).")
    categories = data.get("categories")
    if categories is not None:
        if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
            raise ApiError(400, "invalid_field", "Kolom \"categories\" harus berupa daftar id kategori.")
        unknown = [c for c in categories if c not in CATEGORIES]
        if unknown:
            raise ApiError(400, "invalid_field",
                           f"Kategori tidak dikenal: {', '.join(unknown)}. Pilihan: {', '.join(CATEGORIES)}.")
    locale = data.get("locale", "id")
    if locale not in LOCALES:
        raise ApiError(400, "invalid_field", "Kolom \"locale\" harus \"id\" atau \"en\".")
    platform = data.get("platform")
    if platform is not None and (not isinstance(platform, str) or len(platform) > 64):
        raise ApiError(400, "invalid_field", "Kolom \"platform\" harus berupa teks pendek, misalnya \"instagram\".")
    started = time.perf_counter()
    report = current_analyzer().check(text, categories=categories, locale=locale)
    body = report.to_dict()
    body["version"] = __version__
    body["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 3)
    recorder = stats_store()
    if recorder is not None:
        recorder.record(report)
    return jsonify(body)


@bp.get("/health")
def health():
    analyzer = current_analyzer()
    body = {"status": "ok", "version": __version__, "rules": analyzer.rule_count}
    problems = config_problems()
    if problems:
        body["config"] = {"status": "error", "problems": list(problems)}
    return jsonify(body)


@bp.get("/categories")
def categories():
    locale = request.args.get("locale", "id")
    if locale not in LOCALES:
        raise ApiError(400, "invalid_field", "Parameter \"locale\" harus \"id\" atau \"en\".")
    info = current_analyzer().category_info(locale)
    return jsonify([{k: c[k] for k in ("id", "name", "description", "severity")} for c in info])


@bp.get("/settings")
def settings():
    s = current_settings()
    analyzer = current_analyzer()
    return jsonify({
        "guard_mode": s.guard_mode,
        "categories": {c: c in analyzer.categories for c in CATEGORIES},
        "stats": {"enabled": bool(getattr(stats_store(), "enabled", False))},
    })
