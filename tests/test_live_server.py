"""A real `saring serve` process on loopback, the way the extension and curl reach it."""

import socket

import pytest

from saring_testlib import start_server, stop_server

pytestmark = pytest.mark.slow  # every test here talks to a real `saring serve` process

EXT = "chrome-extension://ldjhkggihnbfhglcndojbckekmpmlmff"


def test_check_over_real_http(live_server):
    status, headers, body = live_server.request("POST", "/v1/check", {"text": "Baru beli Rolex 250jt 💎"})
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert {f["text"] for f in body["findings"] if f["category"] == "flexing"} >= {"Rolex", "250jt"}


def test_health_and_categories(live_server):
    status, _, body = live_server.request("GET", "/v1/health")
    assert status == 200 and body["status"] == "ok"
    status, _, cats = live_server.request("GET", "/v1/categories?locale=en")
    assert status == 200 and len(cats) == 8


@pytest.mark.parametrize("method,path,body,raw,headers,status,code", [
    ("POST", "/v1/check", None, b"{nope", {"Content-Type": "application/json"}, 400, "invalid_json"),
    ("POST", "/v1/check", {"text": 1}, None, {}, 400, "invalid_field"),
    ("POST", "/v1/check", None, b"text=hi", {"Content-Type": "text/plain"}, 415, "unsupported_media_type"),
    ("POST", "/v1/check", {"text": "a" * 65537}, None, {}, 413, "too_large"),
    ("GET", "/v1/missing", None, None, {}, 404, "not_found"),
    ("DELETE", "/v1/check", None, None, {}, 405, "method_not_allowed"),
    ("POST", "/v1/check", {"text": "x"}, None, {"Origin": "https://evil.example"}, 403, "forbidden_origin"),
    ("GET", "/v1/health", None, None, {"Host": "rebind.evil.example:8731"}, 403, "forbidden_host"),
])
def test_errors_are_json(live_server, method, path, body, raw, headers, status, code):
    got_status, got_headers, got = live_server.request(method, path, body, headers=headers, raw=raw)
    assert got_status == status
    assert got_headers["Content-Type"].startswith("application/json")
    assert got["error"]["code"] == code and got["error"]["message"]


def test_extension_origin_gets_cors_header(live_server):
    status, headers, _ = live_server.request("POST", "/v1/check", {"text": "halo"}, headers={"Origin": EXT})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == EXT


def test_binds_loopback_only(live_server):
    # Reachable on 127.0.0.1, not on the machine's other addresses.
    with socket.create_connection(("127.0.0.1", live_server.port), timeout=2):
        pass
    others = set()
    try:
        others = {ai[4][0] for ai in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)} - {"127.0.0.1"}
    except socket.gaierror:
        pass
    for addr in others:
        if addr.startswith("127."):
            continue
        with pytest.raises(OSError):
            socket.create_connection((addr, live_server.port), timeout=1).close()


def test_log_never_contains_post_text(live_server):
    marker = "PenandaUnik7731 beli Rolex 300jt"
    live_server.request("POST", "/v1/check", {"text": marker})
    live_server.request("POST", "/v1/check", {"text": marker, "categories": ["bogus"]})
    assert "PenandaUnik7731" not in live_server.log()
    assert "POST /v1/check" in live_server.log()


def test_port_in_use_gives_clear_error(live_server, tmp_path):
    import subprocess
    import sys

    from saring_testlib import ROOT

    r = subprocess.run([sys.executable, "-m", "server.cli", "serve", "--port", str(live_server.port)], cwd=ROOT,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "sudah dipakai" in r.stderr and "Traceback" not in r.stderr


def test_config_file_sets_port_and_bad_config_is_refused(tmp_path):
    from saring_testlib import free_port

    port = free_port()
    cfg = tmp_path / "saring.toml"
    cfg.write_text(f"[server]\nport = {port}\nwho_knows = 1\n\n[categories]\nhate_abuse = false\n", encoding="utf-8")
    server = start_server(tmp_path, "--config", str(cfg), port=port)
    try:
        status, _, body = server.request("POST", "/v1/check", {"text": "dasar goblok lo"})
        assert status == 200 and not any(f["category"] == "hate_abuse" for f in body["findings"])
        assert "who_knows" in server.log()  # unknown key: a clear warning, not a crash
    finally:
        stop_server(server)
    # A broken file never takes the server down: it starts on the last good (here: default)
    # configuration and says what is wrong in /v1/health and the log.
    bad = tmp_path / "bad.toml"
    bad.write_text("[server]\nport = \"delapan\"\n", encoding="utf-8")
    server = start_server(tmp_path, "--config", str(bad))
    try:
        status, _, health = server.request("GET", "/v1/health")
        assert status == 200 and "port" in str(health.get("config", {})).lower()
        status, _, body = server.request("POST", "/v1/check", {"text": "Baru beli Rolex 250jt"})
        assert status == 200 and body["findings"]
        assert "Traceback" not in server.log()
    finally:
        stop_server(server)
