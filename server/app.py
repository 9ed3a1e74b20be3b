"""Flask application factory: ``create_app(settings)``.

Security, as the contract asks:
- ``Host`` allow-list: only ``127.0.0.1``, ``localhost`` or ``[::1]`` at the server's own port
  (plus host names IT configures for an office server) — a DNS-rebinding page cannot reach us;
- ``Origin``: a web page (``http(s)://…``, ``null``) is refused; Saring's own Chrome/Edge extension
  id is allowed, other ids only when configured; ``moz-extension://`` origins are allowed
  unless the configuration pins them; no ``Origin`` (CLI, curl) is allowed;
- CORS headers only for those extension origins;
- no post text in any log line: the access log records method, path, status and duration.
"""

from __future__ import annotations

import logging
import re
import time

from flask import Flask, g, request
from flask_cors import CORS

from nlp import Analyzer

from .api import bp as api_bp
from .audit.http import bp as audit_bp
from .ops import bp as ops_bp
from .config import Settings
from .errors import ApiError, register_error_handlers
from .state import current_settings, init_app

log = logging.getLogger("saring.server")
access_log = logging.getLogger("saring.access")

_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
# A JSON body can escape every character of a 65,536-character text as \uXXXX\uXXXX.
MAX_BODY_BYTES = 65536 * 12 + 4096


def _allowed_hosts(settings: Settings) -> set[str]:
    hosts = {f"{name}:{settings.port}" for name in _LOOPBACK_NAMES}
    if settings.port == 80:
        hosts |= set(_LOOPBACK_NAMES)
    for name in settings.allowed_hosts:
        name = name.lower()
        hosts.add(name if ":" in name.strip("[]").split("]")[-1] else f"{name}:{settings.port}")
    return hosts


def origin_allowed(origin: str, settings: Settings) -> bool:
    if origin.startswith("chrome-extension://"):
        return origin[len("chrome-extension://"):].rstrip("/") in settings.extension_ids
    if origin.startswith("moz-extension://"):
        if settings.firefox_origins is None:
            return re.fullmatch(r"moz-extension://[0-9a-fA-F-]{8,}/?", origin) is not None
        return origin.rstrip("/") in {o.rstrip("/") for o in settings.firefox_origins}
    return False


def create_app(settings: Settings | None = None, analyzer: Analyzer | None = None) -> Flask:
    settings = settings or Settings()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    init_app(app, settings, analyzer or Analyzer(settings.analyzer))
    allowed_hosts = _allowed_hosts(settings)

    @app.before_request
    def _guard():
        g.started = time.perf_counter()
        host = (request.host or "").lower()
        if host not in allowed_hosts:
            raise ApiError(403, "forbidden_host",
                           "Host tidak diizinkan. Hubungi Saring lewat 127.0.0.1 atau localhost.")
        origin = request.headers.get("Origin")
        if origin is not None and not origin_allowed(origin, current_settings(app)):
            raise ApiError(403, "forbidden_origin",
                           "Asal permintaan ini tidak diizinkan. Saring hanya melayani ekstensinya sendiri.")

    @app.after_request
    def _access_log(resp):
        started = g.get("started")
        ms = (time.perf_counter() - started) * 1000 if started else 0.0
        access_log.info("%s %s %s %.1fms", request.method, request.path, resp.status_code, ms)
        # flask-cors matches origins by pattern; only an origin this configuration allows may
        # read a response (this hook runs after flask-cors's, so it has the last word).
        origin = request.headers.get("Origin")
        if origin is not None and not origin_allowed(origin, current_settings(app)):
            for header in ("Access-Control-Allow-Origin", "Access-Control-Allow-Credentials"):
                resp.headers.pop(header, None)
        return resp

    CORS(app, resources={r"/v1/*": {"origins": [r"chrome-extension://[a-p]{32}", r"moz-extension://[0-9a-fA-F-]+"]}},
         methods=["GET", "POST", "OPTIONS"], allow_headers=["Content-Type"], max_age=600)
    app.register_blueprint(api_bp)
    app.register_blueprint(ops_bp)
    app.register_blueprint(audit_bp)  # POST /v1/audit, the extension's "Periksa arsip" page
    register_error_handlers(app)
    return app
