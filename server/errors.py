"""Every error the API returns, in one place, as the contract's JSON shape.

``{"error": {"code": "<snake_case>", "message": "<human readable>"}}`` — never an HTML page
or a stack trace, whatever went wrong.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger("saring.server")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


_HTTP_CODES = {
    400: ("invalid_json", "Permintaan tidak valid."),
    403: ("forbidden", "Akses ditolak."),
    404: ("not_found", "Alamat ini tidak ada. Gunakan /v1/check, /v1/health atau /v1/categories."),
    405: ("method_not_allowed", "Metode HTTP ini tidak didukung untuk alamat ini."),
    413: ("too_large", "Permintaan terlalu besar (teks paling banyak 65.536 karakter)."),
    415: ("unsupported_media_type", "Kirim JSON dengan header Content-Type: application/json."),
}


def error_response(status: int, code: str, message: str):
    resp = jsonify({"error": {"code": code, "message": message}})
    resp.status_code = status
    return resp


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return error_response(exc.status, exc.code, exc.message)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        code, message = _HTTP_CODES.get(exc.code or 500, ("internal_error", "Terjadi kesalahan di server Saring."))
        resp = error_response(exc.code or 500, code, message)
        if exc.code == 405 and getattr(exc, "valid_methods", None):
            resp.headers["Allow"] = ", ".join(exc.valid_methods)
        return resp

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        # The exception type only: its message or traceback could quote the post.
        log.error("internal error while handling a request: %s", type(exc).__name__)
        return error_response(500, "internal_error", "Terjadi kesalahan di server Saring. Silakan coba lagi.")
