"""The HTTP API through Flask's test client: shapes, every error code, security checks."""

import json

import pytest

from nlp import CATEGORIES, __version__
from server import create_app
from server.state import server_state
from server.config import Settings

BASE = "http://127.0.0.1:8731"
EXT_ORIGIN = "chrome-extension://ldjhkggihnbfhglcndojbckekmpmlmff"


@pytest.fixture(scope="module")
def client(analyzer):
    app = create_app(Settings(), analyzer=analyzer)
    return app.test_client()


def post(client, body, **kw):
    headers = kw.pop("headers", {})
    return client.post("/v1/check", base_url=kw.pop("base_url", BASE), headers=headers,
                       data=json.dumps(body) if not isinstance(body, (bytes, str)) else body,
                       content_type=kw.pop("content_type", "application/json"), **kw)


def test_check_returns_contract_shape(client):
    text = "Baru beli Rolex 250jt 💎"
    r = post(client, {"text": text, "platform": "instagram"})
    assert r.status_code == 200
    body = r.get_json()
    assert set(body) == {"findings", "summary", "version", "elapsed_ms"}
    assert body["version"] == __version__
    assert body["elapsed_ms"] >= 0
    rolex = next(f for f in body["findings"] if f["text"] == "Rolex")
    assert rolex["category"] == "flexing" and text[rolex["start"]:rolex["end"]] == "Rolex"
    assert rolex["start_utf16"] == 10 and rolex["end_utf16"] == 15
    assert body["summary"]["max_severity"] in ("warning", "high")


def test_utf16_offsets_after_emoji(client):
    text = "💎💎 Baru beli Rolex 250jt"
    body = post(client, {"text": text}).get_json()
    rolex = next(f for f in body["findings"] if f["text"] == "Rolex")
    assert rolex["start"] == text.index("Rolex")
    assert rolex["start_utf16"] == rolex["start"] + 2  # each 💎 is two UTF-16 units


def test_clean_text_has_none_severity(client):
    body = post(client, {"text": "Rapat koordinasi persiapan HUT kabupaten berjalan lancar 🙏"}).get_json()
    assert body["findings"] == [] and body["summary"] == {"max_severity": "none", "counts": {}}


def test_categories_and_locale(client):
    text = "Mudik lebaran pake mobil dinas, sekalian beli Rolex 250jt"
    body = post(client, {"text": text, "categories": ["facility_misuse"], "locale": "en"}).get_json()
    assert body["findings"] and {f["category"] for f in body["findings"]} == {"facility_misuse"}
    assert "official" in body["findings"][0]["message"].lower()


@pytest.mark.parametrize("body,code", [
    ({}, "invalid_field"),
    ({"text": 42}, "invalid_field"),
    ({"text": None}, "invalid_field"),
    ({"text": "x", "categories": ["flexin"]}, "invalid_field"),
    ({"text": "x", "categories": "flexing"}, "invalid_field"),
    ({"text": "x", "locale": "fr"}, "invalid_field"),
    ({"text": "x", "platform": 7}, "invalid_field"),
    ([1, 2], "invalid_json"),
    ("\"just a string\"", "invalid_json"),
])
def test_invalid_fields_are_400(client, body, code):
    r = post(client, body)
    assert r.status_code == 400
    assert r.get_json()["error"]["code"] == code
    assert r.get_json()["error"]["message"]


def test_malformed_json_is_400(client):
    r = post(client, b'{"text": "unterminated')
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid_json"
    r = post(client, b'\xff\xfe not utf8')
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid_json"


def test_wrong_content_type_is_415(client):
    r = post(client, {"text": "x"}, content_type="text/plain")
    assert r.status_code == 415 and r.get_json()["error"]["code"] == "unsupported_media_type"
    r = client.post("/v1/check", base_url=BASE, data="text=x", content_type="application/x-www-form-urlencoded")
    assert r.status_code == 415


def test_text_over_limit_is_413_and_at_limit_is_ok(client):
    assert post(client, {"text": "a" * 65536}).status_code == 200
    r = post(client, {"text": "a" * 65537})
    assert r.status_code == 413 and r.get_json()["error"]["code"] == "too_large"
    # the limit counts code points: 65,536 emoji (131,072 UTF-16 units) are allowed
    assert post(client, {"text": "😀" * 65536}).status_code == 200


def test_huge_body_is_413(client):
    r = post(client, b'{"text": "' + b"a" * 2_000_000 + b'"}')
    assert r.status_code == 413 and r.get_json()["error"]["code"] == "too_large"


def test_unknown_path_is_404_and_wrong_method_405(client):
    r = client.get("/v1/nope", base_url=BASE)
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"
    r = client.get("/", base_url=BASE)
    assert r.status_code == 404 and r.is_json
    r = client.get("/v1/check", base_url=BASE)
    assert r.status_code == 405 and r.get_json()["error"]["code"] == "method_not_allowed"
    r = client.put("/v1/health", base_url=BASE)
    assert r.status_code == 405


def test_internal_error_is_json_500_without_details(analyzer, caplog):
    class Exploding:
        categories = CATEGORIES
        rule_count = 0

        def check(self, *a, **k):
            raise RuntimeError("secret post text must not leak")

    app = create_app(Settings(), analyzer=analyzer)
    server_state(app).analyzer.swap(Exploding())
    r = post(app.test_client(), {"text": "secret post text must not leak"})
    assert r.status_code == 500
    assert r.get_json() == {"error": {"code": "internal_error", "message": r.get_json()["error"]["message"]}}
    assert "secret" not in r.get_data(as_text=True)
    assert "secret" not in caplog.text


@pytest.mark.parametrize("host", ["evil.example:8731", "127.0.0.1:9999", "attacker.com", "localhost.evil.com:8731"])
def test_foreign_host_is_403(client, host):
    r = client.get("/v1/health", base_url=f"http://{host}")
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "forbidden_host"


@pytest.mark.parametrize("host", ["127.0.0.1:8731", "localhost:8731", "[::1]:8731"])
def test_loopback_hosts_are_allowed(client, host):
    assert client.get("/v1/health", base_url=f"http://{host}").status_code == 200


def test_configured_office_host_is_allowed(analyzer):
    app = create_app(Settings(allowed_hosts=["saring.kantor.go.id"]), analyzer=analyzer)
    c = app.test_client()
    assert c.get("/v1/health", base_url="http://saring.kantor.go.id:8731").status_code == 200
    assert c.get("/v1/health", base_url="http://other.kantor.go.id:8731").status_code == 403


@pytest.mark.parametrize("origin", ["https://www.instagram.com", "http://localhost:3000", "null",
                                    "chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "file://"])
def test_web_and_foreign_origins_are_403(client, origin):
    r = post(client, {"text": "x"}, headers={"Origin": origin})
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "forbidden_origin"
    assert "Access-Control-Allow-Origin" not in r.headers or r.headers["Access-Control-Allow-Origin"] != origin


def test_own_extension_origins_get_cors(client):
    for origin in (EXT_ORIGIN, "moz-extension://3f2a1b4c-1111-2222-3333-444455556666"):
        r = post(client, {"text": "Baru beli Rolex"}, headers={"Origin": origin})
        assert r.status_code == 200
        assert r.headers["Access-Control-Allow-Origin"] == origin
        pre = client.options("/v1/check", base_url=BASE, headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        assert pre.status_code in (200, 204)
        assert pre.headers["Access-Control-Allow-Origin"] == origin


def test_pinned_firefox_origins(analyzer):
    pinned = "moz-extension://11111111-2222-3333-4444-555555555555"
    app = create_app(Settings(firefox_origins=[pinned]), analyzer=analyzer)
    c = app.test_client()
    assert post(c, {"text": "x"}, headers={"Origin": pinned}).status_code == 200
    other = "moz-extension://99999999-2222-3333-4444-555555555555"
    assert post(c, {"text": "x"}, headers={"Origin": other}).status_code == 403


def test_health_categories_settings(client):
    h = client.get("/v1/health", base_url=BASE).get_json()
    assert h["status"] == "ok" and h["version"] == __version__ and isinstance(h["rules"], int) and h["rules"] > 8
    cats = client.get("/v1/categories", base_url=BASE).get_json()
    assert [c["id"] for c in cats] == list(CATEGORIES)
    assert all(set(c) == {"id", "name", "description", "severity"} for c in cats)
    assert cats[0]["name"] == "Pamer kemewahan"
    en = client.get("/v1/categories?locale=en", base_url=BASE).get_json()
    assert en[0]["name"] != cats[0]["name"]
    assert client.get("/v1/categories?locale=xx", base_url=BASE).status_code == 400
    s = client.get("/v1/settings", base_url=BASE).get_json()
    assert s["guard_mode"] in ("warn", "block") and set(s["categories"]) == set(CATEGORIES)


def test_post_text_never_reaches_the_log(analyzer, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    app = create_app(Settings(), analyzer=analyzer)
    secret = "Rahasia-unik-9f8e7d Baru beli Rolex 250jt"
    post(app.test_client(), {"text": secret})
    post(app.test_client(), {"text": secret, "locale": "xx"})
    assert "9f8e7d" not in caplog.text
    assert "/v1/check" in caplog.text  # the access log line is there, without the text
