"""Helpers shared by the test modules: the repository root and a real `saring serve` process.

(A module of its own, not conftest.py: tests/ and tests/browser/ each have a conftest.py, so
`from conftest import …` would be ambiguous.)
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The measuring data beside our checkout (the shared development corpus, the Ibrohim tweets).
# It is not part of the repository: a plain clone has no ../shared, and the tests that measure
# against it skip there (CI has it, and runs them).  SARING_SHARED_DIR points elsewhere.
SHARED = Path(os.environ.get("SARING_SHARED_DIR") or ROOT.parent / "shared")


def needs_shared(relative: str):
    """Skip a test (or module) when ``SHARED / relative`` is missing, with a one-line reason."""
    import pytest

    path = SHARED / relative
    return pytest.mark.skipif(not path.exists(), reason=f"needs ../shared/{relative} (not in this clone; "
                                                        f"measuring data beside the checkout)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """A `saring serve` subprocess on a free loopback port."""

    def __init__(self, port: int, proc: subprocess.Popen, log_path: Path):
        self.port, self.proc, self.log_path = port, proc, log_path
        self.base = f"http://127.0.0.1:{port}"

    def request(self, method: str, path: str, body=None, headers=None, raw: bytes | None = None, timeout=10):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        hdrs = {"Content-Type": "application/json"} if body is not None else {}
        hdrs.update(headers or {})
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, dict(resp.headers), json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as err:
            payload = err.read()
            return err.code, dict(err.headers), json.loads(payload) if payload else None

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def start_server(tmp_path: Path, *extra_args: str, port: int | None = None, env=None) -> LiveServer:
    port = port or free_port()
    log_path = tmp_path / f"serve-{port}.log"
    fh = open(log_path, "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port), *extra_args],
        cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
    )
    server = LiveServer(port, proc, log_path)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"saring serve exited early:\n{server.log()}")
        try:
            status, _, _ = server.request("GET", "/v1/health", timeout=1)
            if status == 200:
                return server
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"saring serve did not answer in 30 s:\n{server.log()}")


def stop_server(server: LiveServer) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.proc.kill()


def run_cli(*args: str, stdin: bytes | str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """``saring ARGS`` in this process, through ``server.cli.main``: the exit code and what it
    wrote to stdout and stderr (UTF-8 bytes decoded), as ``subprocess.run(..., text=True)`` gives
    them.  ``stdin`` is what the command reads (none: an empty pipe, never a terminal); ``env``
    sets environment variables for the run only.  Spares the interpreter start and the imports
    of a real process; the tests that need the process itself (a pipe closed by ``head``, bytes
    in argv, exit codes as a shell sees them) still start one."""
    import argparse
    import io

    from server.cli import main

    if isinstance(stdin, str):
        stdin = stdin.encode("utf-8")
    streams = {name: io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
               for name in ("stdout", "stderr")}
    fake_stdin = io.TextIOWrapper(io.BytesIO(stdin or b""), encoding="utf-8")
    saved_streams = {name: getattr(sys, name) for name in ("stdin", "stdout", "stderr")}
    saved_env = {k: os.environ.get(k) for k in (env or {})}
    saved_gettext = argparse._, argparse.ngettext  # the CLI points argparse at its own words
    os.environ.update(env or {})
    sys.stdin, sys.stdout, sys.stderr = fake_stdin, streams["stdout"], streams["stderr"]
    try:
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: --help, --version, usage errors
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        for name, stream in saved_streams.items():
            setattr(sys, name, stream)
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        argparse._, argparse.ngettext = saved_gettext
    out = {name: s.buffer.getvalue().decode("utf-8") for name, s in streams.items()}
    return subprocess.CompletedProcess(list(args), code, out["stdout"], out["stderr"])
