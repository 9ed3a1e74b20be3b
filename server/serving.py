"""The waitress server Saring runs on, with limits fitted to a local, single-user service.

waitress's defaults suit a public web server behind a proxy; Saring listens on the user's own
machine, where a local process or a web page opening many connections must not shut the
extension out (issue 12):

- ``connection_limit``: waitress stops *accepting* at 100 open connections; 98 connections that
  trickle their headers were enough to starve it.  Saring allows ``CONNECTION_LIMIT`` (poll()
  where the platform has it: select() cannot watch more than ~1,000 sockets, 512 on Windows).
- A request must arrive whole within ``REQUEST_DEADLINE`` seconds of its first byte: a
  connection that trickles its headers (slowloris) is closed then, however often it sends a
  byte.  waitress's own ``channel_timeout`` only closes connections that send nothing.
- ``max_request_body_size``: waitress reads bodies of up to 1 GiB before the app can refuse
  them; Saring's limit is the contract's largest valid request (``MAX_BODY_BYTES``).
- waitress's own errors (a body or headers too large, a malformed request) come back in the
  API's JSON error shape instead of waitress's text/plain page.

What waitress still answers in text: nothing it sends is text, except when a client breaks
the connection before a response can be written (then nothing at all is sent).
"""

from __future__ import annotations

import json
import logging
import select
import sys
import time

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import create_server
from waitress.task import ErrorTask

from .app import MAX_BODY_BYTES

log = logging.getLogger("saring.server")

CONNECTION_LIMIT = 400 if sys.platform == "win32" or not hasattr(select, "poll") else 1000
REQUEST_DEADLINE = 10  # seconds from a request's first byte to its last
CHANNEL_TIMEOUT = 30  # seconds an idle keep-alive connection stays open
CLEANUP_INTERVAL = 2  # seconds between two sweeps for idle and too slow connections
MAX_HEADER_BYTES = 32 * 1024

# waitress's error classes (waitress.utilities): status -> the API's code and message.
_WAITRESS_ERRORS = {
    400: ("bad_request", "Permintaan HTTP tidak valid."),
    413: ("too_large", "Permintaan terlalu besar (teks paling banyak 65.536 karakter)."),
    431: ("headers_too_large", "Header permintaan terlalu besar."),
    500: ("internal_error", "Terjadi kesalahan di server Saring. Silakan coba lagi."),
    501: ("not_implemented", "Cara pengiriman ini tidak didukung (Transfer-Encoding)."),
}


class JsonErrorTask(ErrorTask):
    """waitress's own error responses, in the API's ``{"error": {...}}`` shape."""

    def execute(self):
        err = self.request.error
        code, message = _WAITRESS_ERRORS.get(err.code, ("bad_request", "Permintaan HTTP tidak valid."))
        body = json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False).encode("utf-8")
        self.status = f"{err.code} {err.reason}"
        self.response_headers.append(("Content-Type", "application/json"))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class TimedRequestParser(HTTPRequestParser):
    """A request parser that remembers when the request's first byte came."""

    def __init__(self, adj):
        super().__init__(adj)
        self.started = time.monotonic()


class SaringChannel(HTTPChannel):
    error_task_class = JsonErrorTask
    parser_class = TimedRequestParser


def _close_slow_requests(server, deadline: float) -> None:
    """Mark connections whose current request has taken longer than ``deadline`` to arrive."""
    cutoff = time.monotonic() - deadline
    for channel in list(server.active_channels.values()):
        partial = getattr(channel, "request", None)
        started = getattr(partial, "started", None)
        if started is not None and started < cutoff and not channel.will_close:
            channel.will_close = True


def make_server(app, host: str, port: int, threads: int = 16):
    """A waitress server for ``app`` with Saring's limits (not started; call ``.run()``)."""
    server = create_server(
        app, host=host, port=port, threads=threads, ident="saring",
        connection_limit=CONNECTION_LIMIT, asyncore_use_poll=hasattr(select, "poll"),
        channel_timeout=CHANNEL_TIMEOUT, cleanup_interval=CLEANUP_INTERVAL,
        max_request_body_size=MAX_BODY_BYTES, max_request_header_size=MAX_HEADER_BYTES,
    )
    _fit(server)
    return server


def _fit(server) -> None:
    # A MultiSocketServer (several addresses, e.g. "localhost" on IPv4 and IPv6) holds one
    # TcpWSGIServer per socket in its map; each accepts and sweeps its own connections.
    targets = [server]
    if not hasattr(server, "maintenance"):
        targets = [d for d in server.map.values() if hasattr(d, "maintenance")]
    for s in targets:
        s.channel_class = SaringChannel
        original = s.maintenance

        def maintenance(now, _original=original, _s=s):
            _original(now)
            _close_slow_requests(_s, REQUEST_DEADLINE)

        s.maintenance = maintenance
