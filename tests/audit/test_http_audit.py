"""``POST /v1/audit`` (the extension's "Periksa arsip" page): the streamed result equals the
command's, the contract's Host/Origin rules, its own size limit, one audit at a time, the
upload deleted afterwards, and /v1/check answering quickly while an audit runs."""

from __future__ import annotations

import json
import tempfile
import threading
import time

import pytest

import fixtures as F
from server import create_app
from server.audit import AuditOptions, run_audit
from server.audit import http as audit_http
from server.config import Settings

BASE = "http://127.0.0.1:8731"
EXT_ORIGIN = "chrome-extension://ldjhkggihnbfhglcndojbckekmpmlmff"


@pytest.fixture(scope="module")
def app(analyzer):
    return create_app(Settings(), analyzer=analyzer)


@pytest.fixture
def client(app, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    return app.test_client()


def upload(client, path, query="", headers=None, buffered=True):
    return client.post(f"/v1/audit?filename={path.name}{query}", base_url=BASE, data=path.read_bytes(),
                       content_type="application/zip", headers={"Origin": EXT_ORIGIN, **(headers or {})},
                       buffered=buffered)


def lines(resp):
    return [json.loads(x) for x in resp.get_data(as_text=True).splitlines() if x.strip()]


def test_streams_progress_then_the_same_result_as_the_command(client, tmp_path, analyzer):
    root = tmp_path / "x"
    F.build_x(root)
    z = F.zip_dir(root, tmp_path / "twitter-2024.zip")
    r = upload(client, z)
    assert r.status_code == 200 and r.mimetype == "application/x-ndjson"
    msgs = lines(r)
    assert msgs[-1]["type"] == "done"
    assert any(m["type"] == "progress" and m.get("phase") == "check" for m in msgs)
    got = msgs[-1]["result"]
    want = run_audit(str(z), AuditOptions(), analyzer=analyzer).to_dict()
    for body in (got, want):
        body.pop("generated")
    assert got == want
    assert msgs[-1]["html"].startswith("<!doctype html>") and msgs[-1]["html"].count('<article class="item') == 3
    assert not list((tmp_path / "tmp").iterdir())                     # the upload is gone


def test_whatsapp_asks_for_the_author_then_checks_only_theirs(client, tmp_path):
    root = tmp_path / "wa"
    F.build_whatsapp(root)
    chat = next(root.iterdir())
    msgs = lines(upload(client, chat))
    assert msgs[-1]["type"] == "error" and msgs[-1]["error"]["code"] == "author_required"
    assert msgs[-1]["authors"][:2] == ["Budi Santoso", "Siti"]
    msgs = lines(upload(client, chat, "&author=Budi%20Santoso"))
    assert msgs[-1]["type"] == "done" and msgs[-1]["result"]["posts_scanned"] == 3


def test_origin_and_host_rules(client, tmp_path):
    root = tmp_path / "x"
    F.build_x(root)
    z = F.zip_dir(root, tmp_path / "x.zip")
    r = upload(client, z, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "forbidden_origin"
    r = upload(client, z, headers={"Origin": "null"})
    assert r.status_code == 403
    r = client.post("/v1/audit", base_url="http://rebind.example:8731", data=z.read_bytes(),
                    headers={"Origin": EXT_ORIGIN})
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "forbidden_host"
    assert not list((tmp_path / "tmp").iterdir())


def test_own_size_limit_gives_a_clean_413(client, app, tmp_path, monkeypatch):
    root = tmp_path / "x"
    F.build_x(root)
    z = F.zip_dir(root, tmp_path / "x.zip")
    monkeypatch.setitem(app.config, "SARING_AUDIT_MAX_BYTES", 1000)
    r = upload(client, z)
    assert r.status_code == 413
    err = r.get_json()["error"]
    assert err["code"] == "too_large" and "saring audit" in err["message"]
    # larger than /v1/check's limit (~800 kB) but within the audit's own: accepted
    monkeypatch.setitem(app.config, "SARING_AUDIT_MAX_BYTES", 512 << 20)
    big = tmp_path / "big"
    F.build_many_x(big, 3000)
    zb = F.zip_dir(big, tmp_path / "big.zip")
    (big / "data" / "tweets.js").rename(tmp_path / "tweets.js")
    body = (tmp_path / "tweets.js")
    assert body.stat().st_size > 1 << 20
    r = upload(client, body)
    assert r.status_code == 200 and lines(r)[-1]["result"]["posts_scanned"] == 3000
    assert zb.exists()


def test_bad_parameters_and_one_audit_at_a_time(client, tmp_path):
    root = tmp_path / "x"
    F.build_x(root)
    z = F.zip_dir(root, tmp_path / "x.zip")
    for q, field in (("&locale=fr", "locale"), ("&min_severity=parah", "min_severity"), ("&since=kemarin", "since"),
                     ("&categories=asal", "Kategori")):
        r = upload(client, z, q)
        assert r.status_code == 400 and field in r.get_json()["error"]["message"]
    r = client.post("/v1/audit", base_url=BASE, data=b"", headers={"Origin": EXT_ORIGIN})
    assert r.status_code == 400
    assert audit_http._busy.acquire(blocking=False)
    try:
        r = upload(client, z)
        assert r.status_code == 409 and r.get_json()["error"]["code"] == "audit_busy"
    finally:
        audit_http._busy.release()


def test_a_closed_page_stops_the_audit_and_deletes_the_upload(client, tmp_path):
    root = tmp_path / "big"
    F.build_many_x(root, 3000)
    z = F.zip_dir(root, tmp_path / "big.zip")
    r = upload(client, z, buffered=False)
    first = next(iter(r.response))
    assert json.loads(first)["type"] in ("progress", "heartbeat")
    assert list((tmp_path / "tmp").iterdir())                         # kept while the audit runs
    r.close()                                                         # the page went away
    assert not list((tmp_path / "tmp").iterdir())
    assert audit_http._busy.acquire(blocking=False)                    # and the next audit may start
    audit_http._busy.release()


def test_check_is_not_blocked_while_an_audit_runs(client, tmp_path):
    root = tmp_path / "big"
    F.build_many_x(root, 4000)
    z = F.zip_dir(root, tmp_path / "big.zip")
    state = {"running": False, "done": None}

    def audit():
        r = upload(client, z, buffered=False)
        for raw in r.response:
            msg = json.loads(raw)
            if msg["type"] == "progress" and msg.get("phase") == "check":
                state["running"] = True
            if msg["type"] in ("done", "error"):
                state["done"] = msg
        r.close()

    t = threading.Thread(target=audit)
    t.start()
    deadline = time.monotonic() + 60
    while not state["running"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert state["running"]
    times = []
    while state["done"] is None and len(times) < 20:
        t0 = time.perf_counter()
        r = client.post("/v1/check", base_url=BASE, json={"text": F.RISKY_BRAND}, headers={"Origin": EXT_ORIGIN})
        times.append(time.perf_counter() - t0)
        assert r.status_code == 200 and r.get_json()["findings"]
        time.sleep(0.05)
    t.join(120)
    assert state["done"] and state["done"]["type"] == "done"
    assert len(times) >= 3 and max(times) < 0.5, times                # answered during the audit, not after it


def test_a_response_closed_before_its_first_line_cleans_up(client, tmp_path):
    root = tmp_path / "x"
    F.build_x(root)
    z = F.zip_dir(root, tmp_path / "x.zip")
    r = upload(client, z, buffered=False)
    assert list((tmp_path / "tmp").iterdir())
    r.close()                                                         # never iterated
    assert not list((tmp_path / "tmp").iterdir())
    assert audit_http._busy.acquire(blocking=False)
    audit_http._busy.release()
