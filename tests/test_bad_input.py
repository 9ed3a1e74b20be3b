"""Every bad input gets a clean answer, and no input stalls the server (issue 12).

What a user or an admin notices: a 200 or a JSON error instead of a 500; a short answer to
a post that repeats one word thousands of times; a server that still answers while other
programs hold connections open, trickle their headers or send huge bodies; a service that
comes back at once after a crash; a configuration watcher that cannot be frozen or flooded
by what the file turns out to be, and that says so in /v1/health and `saring doctor`.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from saring_testlib import ROOT, free_port, start_server, stop_server

from nlp.pipeline.engine import MAX_FINDINGS_PER_CATEGORY
from server.app import MAX_BODY_BYTES, create_app
from server.config import MAX_CONFIG_BYTES, Settings, read_layer
from server.live import LiveConfig

BASE = "http://127.0.0.1:8731"
POST_CHARS = 65536


def repeated(unit: str, n: int = POST_CHARS) -> str:
    return (unit * (n // len(unit) + 1))[:n]


# The adversarial posts of scripts/bench.py: 65,536 characters of one thing repeated.
ADVERSARIAL = {
    "brand": repeated("Rolex "),
    "amount": repeated("juta "),
    "amount_short": repeated("250jt "),
    "purchase": repeated("beli Rolex 250jt "),
    "address": repeated("jl. "),
    "emoji": repeated("💎"),
    "long_word": "a" * POST_CHARS,
    "newlines": "\n" * POST_CHARS,
    "mixed_scripts": repeated("Rolex 💎 汉字 ابت Жж 250jt jl. "),
    "phone": repeated("081234567890 "),
}


@pytest.fixture(scope="module")
def client(analyzer):
    return create_app(Settings(), analyzer=analyzer).test_client()


def post_check(client, raw: bytes, content_type="application/json"):
    return client.post("/v1/check", data=raw, base_url=BASE, headers={"Content-Type": content_type})


# ---------------------------------------------------------------------------------- input

def test_lone_surrogate_is_replaced_and_answered(client):
    # what the extension sends when it cuts a long post inside an emoji
    raw = b'{"text": "beli Rolex \\ud83d 250jt \\ud800 dunia"}'
    r = post_check(client, raw)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    text = "beli Rolex \ufffd 250jt \ufffd dunia"  # one code point for one code point
    assert body["findings"], "the rest of the post is still checked"
    for f in body["findings"]:
        assert text[f["start"]:f["end"]] == f["text"]
    assert any(f["text"] == "250jt" and f["start"] == 13 for f in body["findings"])


def test_lone_surrogate_in_python_api(analyzer):
    report = analyzer.check("halo \ud800 dunia, baru beli Rolex 250jt")
    assert report.text == "halo \ufffd dunia, baru beli Rolex 250jt"
    assert {f.text for f in report.findings} >= {"Rolex", "250jt"}


def test_deeply_nested_json_is_invalid_json_not_500(client):
    raw = ('{"text": "halo", "x": ' + "[" * 100_000 + "]" * 100_000 + "}").encode()
    assert len(raw) < MAX_BODY_BYTES
    r = post_check(client, raw)
    assert r.status_code == 400
    assert r.get_json()["error"]["code"] == "invalid_json"


def test_reload_refuses_a_form_body_like_check(tmp_path, analyzer):
    app = create_app(Settings(), analyzer=analyzer)
    live = LiveConfig(extra=tmp_path / "saring.toml", data_dir=tmp_path, interval=0)
    (tmp_path / "saring.toml").write_text("", encoding="utf-8")
    live.initial()
    live.attach(app)
    c = app.test_client()
    r = c.post("/v1/reload", base_url=BASE, data="x=1", content_type="application/x-www-form-urlencoded")
    assert r.status_code == 415 and r.get_json()["error"]["code"] == "unsupported_media_type"
    r = c.post("/v1/reload", base_url=BASE, data="{}", content_type="text/plain")
    assert r.status_code == 415
    r = c.post("/v1/reload", base_url=BASE, data="{nope", content_type="application/json")
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid_json"
    r = c.post("/v1/reload", base_url=BASE, json={})
    assert r.status_code == 200 and r.get_json()["reloaded"] is True


# ---------------------------------------------------------------------------------- long posts

@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_post_gets_a_short_answer(client, name):
    r = post_check(client, json.dumps({"text": ADVERSARIAL[name]}).encode())
    assert r.status_code == 200
    assert len(r.data) <= 256 * 1024, f"{len(r.data):,} bytes"
    counts = r.get_json()["summary"]["counts"]
    assert all(n <= MAX_FINDINGS_PER_CATEGORY for n in counts.values())


def test_repeats_of_one_rule_on_one_word_merge_with_a_count(analyzer):
    report = analyzer.check("Baru beli Rolex 250jt, Rolex kedua buat istri, rolex ketiga buat anak")
    brand = [f for f in report.findings if f.rule_id == "flexing.luxury_brand"]
    assert len(brand) == 1 and brand[0].count == 3
    assert brand[0].to_dict()["count"] == 3
    # an ordinary finding carries no count at all (the field is optional)
    single = analyzer.check("Baru beli Rolex 250jt 💎")
    assert all("count" not in f.to_dict() for f in single.findings)


def test_findings_per_category_are_capped(analyzer):
    brands = ["Rolex", "Hermes", "Gucci", "Louis Vuitton", "Chanel", "Prada", "Dior", "Cartier", "Bvlgari",
              "Patek Philippe", "Audemars Piguet", "Balenciaga", "Porsche", "Ferrari", "Lamborghini", "Tiffany",
              "Omega", "Fendi", "Versace", "Givenchy", "Bentley", "Maserati", "Hublot", "Rolls Royce"]
    text = " ".join(f"Baru beli {b} {100 + i}jt." for i, b in enumerate(brands * 2))
    report = analyzer.check(text)
    assert report.counts.get("flexing", 0) == MAX_FINDINGS_PER_CATEGORY
    assert report.max_severity == "high"


# ---------------------------------------------------------------------------------- live server

@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = start_server(tmp_path_factory.mktemp("hardening"))
    yield s
    stop_server(s)


def _raw_request(port: int, head: bytes, timeout: float = 10) -> tuple[int, dict, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head)
        data = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            data += chunk
            if b"\r\n\r\n" in data:
                head_part, _, body = data.partition(b"\r\n\r\n")
                length = [int(line.split(b":")[1]) for line in head_part.split(b"\r\n")
                          if line.lower().startswith(b"content-length:")]
                if length and len(body) >= length[0]:
                    break
    head_part, _, body = data.partition(b"\r\n\r\n")
    lines = head_part.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)}
    return int(lines[0].split()[1]), headers, body


@pytest.mark.slow
def test_huge_declared_body_is_refused_at_once_in_json(server):
    # waitress used to wait for (and buffer) up to 1 GiB before the app could refuse it
    started = time.monotonic()
    status, headers, body = _raw_request(server.port, (
        f"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {100 * 1024 * 1024}\r\n\r\n").encode(), timeout=5)
    assert time.monotonic() - started < 3
    assert status == 413
    assert headers["content-type"].startswith("application/json")
    assert json.loads(body)["error"]["code"] == "too_large"


@pytest.mark.slow
def test_huge_headers_get_a_json_error(server):
    status, headers, body = _raw_request(server.port, (
        f"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nX-Big: {'a' * 100_000}\r\n\r\n").encode())
    assert status == 431
    assert headers["content-type"].startswith("application/json")
    assert json.loads(body)["error"]["code"] == "headers_too_large"


@pytest.mark.slow
def test_slow_connections_do_not_shut_the_extension_out(server):
    """200 connections that trickle their headers (slowloris), then a check must still answer."""
    stop = threading.Event()
    socks = []
    for _ in range(200):
        s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        s.sendall(f"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n".encode())
        socks.append(s)

    def trickle():
        while not stop.wait(0.5):
            for s in socks:
                try:
                    s.sendall(b"X-a: b\r\n")
                except OSError:
                    pass

    t = threading.Thread(target=trickle, daemon=True)
    t.start()
    try:
        time.sleep(1.5)
        started = time.monotonic()
        status, _, body = server.request("POST", "/v1/check", {"text": "Baru beli Rolex 250jt"}, timeout=5)
        assert status == 200 and body["findings"]
        assert time.monotonic() - started < 2
        status, _, _ = server.request("GET", "/v1/health", timeout=5)
        assert status == 200
    finally:
        stop.set()
        t.join(timeout=5)
        for s in socks:
            s.close()


@pytest.mark.slow
def test_a_trickling_request_is_cut_off(server):
    from server.serving import CLEANUP_INTERVAL, REQUEST_DEADLINE

    s = socket.create_connection(("127.0.0.1", server.port), timeout=REQUEST_DEADLINE + 3 * CLEANUP_INTERVAL + 5)
    s.sendall(f"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n".encode())
    started = time.monotonic()
    closed = False
    while time.monotonic() - started < REQUEST_DEADLINE + 3 * CLEANUP_INTERVAL + 3:
        try:
            s.sendall(b"X-a: b\r\n")
            s.settimeout(1)
            if s.recv(1024) == b"":
                closed = True
                break
        except socket.timeout:
            continue
        except OSError:
            closed = True
            break
    s.close()
    assert closed, "a request still trickling in after the deadline must be closed"


@pytest.mark.slow
def test_service_comes_back_at_once_after_kill_9(tmp_path):
    port = free_port()
    first = start_server(tmp_path, port=port)
    conns = []
    try:
        for _ in range(20):  # connections the server holds when it dies
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("POST", "/v1/check", body=json.dumps({"text": "Baru beli Rolex 250jt"}),
                      headers={"Content-Type": "application/json"})
            c.getresponse().read()
            conns.append(c)
        first.proc.send_signal(signal.SIGKILL)
        first.proc.wait(timeout=10)
    finally:
        for c in conns:
            c.close()
    time.sleep(0.3)
    started = time.monotonic()
    second = start_server(tmp_path, port=port)  # raises if it exits (port "in use") or never answers
    try:
        assert time.monotonic() - started < 15
        assert second.request("GET", "/v1/health")[0] == 200
    finally:
        stop_server(second)


# ---------------------------------------------------------------------------------- config files

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev/zero are POSIX")


@posix_only
def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "saring.toml"
    os.mkfifo(fifo)
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("layer", read_layer(fifo, "extra")), daemon=True)
    t.start()
    t.join(timeout=5)
    assert not t.is_alive(), "reading a FIFO blocked"
    assert "bukan berkas biasa" in result["layer"].errors[0]


@posix_only
def test_a_symlink_to_dev_zero_is_refused(tmp_path):
    link = tmp_path / "saring.toml"
    link.symlink_to("/dev/zero")
    layer = read_layer(link, "extra")
    assert layer.errors and "bukan berkas biasa" in layer.errors[0]


def test_a_huge_file_is_refused(tmp_path):
    big = tmp_path / "saring.toml"
    big.write_bytes(b"# " + b"x" * (MAX_CONFIG_BYTES + 10) + b"\n")
    layer = read_layer(big, "extra")
    assert layer.errors and "terlalu besar" in layer.errors[0]


@posix_only
@pytest.mark.slow
def test_fifo_config_neither_freezes_reloads_nor_hides_from_health(tmp_path):
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    server = start_server(tmp_path, env={"SARING_USER_CONFIG": str(fifo)})
    try:
        for _ in range(10):
            status, _, body = server.request("POST", "/v1/reload", {}, timeout=5)
            assert status == 422 and "bukan berkas biasa" in body["error"]["message"]
        status, _, health = server.request("GET", "/v1/health", timeout=5)
        assert status == 200 and any("bukan berkas biasa" in p for p in health["config"]["problems"])
        assert server.request("POST", "/v1/check", {"text": "halo"}, timeout=5)[0] == 200
        doctor = subprocess.run([sys.executable, "-m", "server.cli", "doctor", "--port", str(server.port)],
                                cwd=ROOT, capture_output=True, text=True, timeout=120,
                                env={**os.environ, "SARING_USER_CONFIG": str(tmp_path / "none.toml")})
        assert doctor.returncode == 1 and "bukan berkas biasa" in doctor.stdout
    finally:
        stop_server(server)


@posix_only
def test_deleting_a_symlink_loop_clears_its_message(tmp_path, analyzer):
    loop = tmp_path / "saring.toml"
    loop.symlink_to(loop)
    app = create_app(Settings(), analyzer=analyzer)
    live = LiveConfig(extra=None, data_dir=tmp_path, interval=0)
    env = {"SARING_USER_CONFIG": str(loop)}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        live.initial()
        live.attach(app)
        assert live.problems, "a symlink loop is a problem to report"
        loop.unlink()
        assert live.changed(), "deleting the loop is a change the watcher sees"
        live.reload("test")
        assert live.problems == []
        assert "config" not in app.test_client().get("/v1/health", base_url=BASE).get_json()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def test_a_watcher_failure_shows_in_health(tmp_path, monkeypatch, analyzer):
    conf = tmp_path / "saring.toml"
    conf.write_text("", encoding="utf-8")
    app = create_app(Settings(), analyzer=analyzer)
    live = LiveConfig(extra=conf, data_dir=tmp_path, interval=0.05)
    live.initial()
    live.attach(app)

    def broken():
        raise MemoryError

    monkeypatch.setattr(live, "changed", broken)
    live.start()
    try:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not live.problems:
            time.sleep(0.05)
        health = app.test_client().get("/v1/health", base_url=BASE).get_json()
        assert any("pemantau konfigurasi" in p and "MemoryError" in p for p in health["config"]["problems"])
        monkeypatch.setattr(live, "changed", lambda: False)  # it recovers: the message goes
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and live.problems:
            time.sleep(0.05)
        assert "config" not in app.test_client().get("/v1/health", base_url=BASE).get_json()
    finally:
        live.stop()


# ---------------------------------------------------------------------------------- CLI

def saring(*args, stdin=None, env=None):
    return subprocess.run([sys.executable, "-m", "server.cli", *args], cwd=ROOT, input=stdin,
                          capture_output=True, timeout=120, env={**os.environ, **(env or {})})


def test_check_with_a_byte_that_is_not_utf8_answers_without_traceback():
    r = subprocess.run([sys.executable.encode(), b"-m", b"server.cli", b"check", b"beli Rolex \xff 250jt"],
                       cwd=ROOT, capture_output=True, timeout=120)
    assert b"Traceback" not in r.stderr
    assert r.returncode == 1 and "250jt".encode() in r.stdout


def test_check_into_a_closed_pipe_prints_no_traceback():
    r = subprocess.run(f"'{sys.executable}' -m server.cli check 'Baru beli Rolex 250jt 💎' | head -1",
                       shell=True, cwd=ROOT, capture_output=True, timeout=120)
    assert b"Traceback" not in r.stderr and b"BrokenPipe" not in r.stderr, r.stderr.decode()
    assert r.stdout.decode("utf-8").startswith("Saring menemukan")


def test_usage_errors_speak_one_language(cli):
    r = cli("config", "check")
    err = r.stderr
    assert r.returncode == 2
    assert "wajib diisi" in err and "pemakaian:" in err
    assert "the following arguments" not in err and "usage:" not in err
    r = cli("serve", "--port", "x")
    err = r.stderr
    assert "tidak valid" in err and "invalid" not in err
    r = cli("config", "check", "--locale", "en")
    err = r.stderr
    assert "the following arguments are required" in err and "error:" in err and "usage:" in err
    assert "galat" not in err and "pemakaian" not in err


def test_check_in_english_translates_the_whole_report():
    r = saring("check", "Baru beli Rolex 250jt", "--locale", "en")  # the real program, start to end in English
    out = r.stdout.decode("utf-8")
    assert r.returncode == 1
    assert "line 1, column 11" in out and "Reason:" in out and "[HIGH]" in out and "highest: HIGH" in out
    for word in ("baris", "kolom", "Alasan", "Saran", "TINGGI", "catatan"):
        assert word not in out


@pytest.mark.parametrize("before", ["💎 ", "汉字 ", "👍🏽 ", "é "])
def test_carets_sit_under_the_word_after_wide_characters(cli, before):
    r = cli("check", f"{before}Baru beli Rolex 250jt")
    lines = r.stdout.splitlines()
    i = next(n for n, line in enumerate(lines) if line.strip().startswith(before.strip()))
    source, carets = lines[i], lines[i + 1]
    import unicodedata

    def cells(s):
        return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") or 0x1F3FB <= ord(c) <= 0x1F3FF
                   else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)

    rolex = source.index("Rolex")
    assert carets.index("^") == cells(source[:rolex])


def test_check_of_empty_text_says_there_is_no_text(cli):
    for args, stdin in ((("check", ""), None), (("check", "-"), b"  \n")):
        r = cli(*args, stdin=stdin)
        out = r.stdout
        assert r.returncode == 0
        assert "Tidak ada teks" in out and "aman" not in out


@pytest.mark.slow
def test_doctor_says_nothing_is_all_good_after_a_warning(cli, server, tmp_path):
    # the server answers (OK) but no logon service is installed here (a warning)
    r = cli("doctor", "--port", str(server.port), env={"XDG_CONFIG_HOME": str(tmp_path)})
    out = r.stdout
    assert "[PERINGATAN" in out
    assert "Semua baik" not in out and "peringatan" in out.splitlines()[-1]
    # the fix it suggests names an installer that exists in this checkout
    installer = ROOT / "scripts" / "service" / "linux" / "install.sh"
    if sys.platform.startswith("linux"):
        assert str(installer) in out and installer.exists()


def test_stats_shows_full_category_names_and_dates(cli, tmp_path):
    import datetime as dt

    from server.stats import iso_week

    week = iso_week(dt.date.today())
    (tmp_path / "stats.json").write_text(json.dumps({"install_id": "x", "weeks": {
        week: {"political_neutrality": 2, "confidential_info": 1}}}), encoding="utf-8")
    r = cli("stats", "--weeks", "2", env={"SARING_DATA_DIR": str(tmp_path)})
    out = r.stdout
    assert r.returncode == 0
    assert "Netralitas" in out and "Informasi rahasia" in out or "rahasia" in out.lower()
    assert "political_" not in out and "confidenti" not in out and "-W" not in out
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    assert str(monday.year) in out and f"{(monday + dt.timedelta(days=6)).day} " in out
