"""Central configuration (issue 6): layers, locks, validation in plain language, hot reload,
last good configuration, /v1/health and /v1/reload, `saring config check`, logs without text,
local statistics."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nlp import CATEGORIES
from server import create_app
from server.config import (Settings, check_file, load_layered, load_settings, merge_layers, read_layer,
                           settings_from_dict)
from nlp.analyzer import AnalyzerConfig
from server.live import LiveConfig
from server.state import server_state

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://127.0.0.1:8731"
CANDIDATE = "Wiratmo Sudibyo"
ENDORSE = f"Semoga Pak {CANDIDATE} menang, kita dukung terus sampai periode kedua!"


@pytest.fixture
def paths(tmp_path, monkeypatch):
    machine, user, data = tmp_path / "machine.toml", tmp_path / "user.toml", tmp_path / "data"
    monkeypatch.setenv("SARING_MACHINE_CONFIG", str(machine))
    monkeypatch.setenv("SARING_USER_CONFIG", str(user))
    monkeypatch.setenv("SARING_DATA_DIR", str(data))
    return machine, user, data


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    # make sure a watcher sees a new mtime even on coarse-grained file systems
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))


def check(client, text=ENDORSE):
    r = client.post("/v1/check", base_url=BASE, json={"text": text})
    assert r.status_code == 200
    return r.get_json()


def rule_ids(body):
    return {f["rule_id"] for f in body["findings"]}


# ----------------------------------------------------------------------------- validation

def test_valid_file_has_no_errors(tmp_path):
    f = tmp_path / "ok.toml"
    f.write_text(f"""
[server]
port = 8731
[categories]
flexing = false
[severity]
"political_neutrality.local_candidate" = "warning"
[lexicon.political_neutrality]
candidates = ["{CANDIDATE}"]
hashtags = ["#WiratmoMenang"]
[lexicon.confidential_info]
[guard]
mode = "block"
[stats]
enabled = true
[lock]
keys = ["guard.mode", "lexicon"]
""", encoding="utf-8")
    errors, warnings = check_file(f)
    assert errors == [] and warnings == []
    s = load_settings(f)
    assert s.guard_mode == "block" and s.analyzer.categories == {"flexing": False}
    assert s.analyzer.lexicon["political_neutrality"]["candidates"] == [CANDIDATE]


def test_invalid_values_are_errors_in_plain_language_with_line_numbers(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text("""[server]
port = "8731"
[categories]
flexing = "no"
[severity]
"flexing.luxury_watch" = "tinggi"
[lexicon.political_neutrality]
candidates = "Budi"
[guard]
mode = "strict"
""", encoding="utf-8")
    errors, _ = check_file(f)
    text = "\n".join(errors)
    assert len(errors) == 5, text
    assert "server.port harus bilangan bulat 1 sampai 65535" in text and "(baris 2)" in text
    assert "categories.flexing harus true atau false" in text and "(baris 4)" in text
    assert "info, warning, high, off" in text and "'tinggi'" in text
    assert "lexicon.political_neutrality.candidates harus berupa daftar teks" in text and "(baris 8)" in text
    assert 'guard.mode harus "warn"' in text and "(baris 10)" in text


def test_unknown_keys_are_warnings_and_ignored(tmp_path):
    f = tmp_path / "warn.toml"
    f.write_text("""
colour = "blue"
[server]
prot = 1
[categories]
flexin = false
[severity]
"flexing.no_such_rule" = "high"
[lexicon.political_neutrality]
candidate = ["Budi"]
""", encoding="utf-8")
    errors, warnings = check_file(f)
    assert errors == []
    text = "\n".join(warnings)
    assert len(warnings) == 5, text
    assert "'colour' tidak dikenal" in text and "'server.prot' tidak dikenal" in text
    assert "kategori 'flexin' tidak dikenal" in text and "aturan 'flexing.no_such_rule' tidak ada" in text
    assert "daftar 'candidate' tidak dipakai" in text and "candidates" in text  # names the right one
    s = load_settings(f)
    assert s.analyzer.categories == {} and s.analyzer.lexicon == {"political_neutrality": {}}


BAD_VALUES = [  # one wrong value for every key a file may hold, and what the error says
    ({"server": {"host": " "}}, 'server.host harus berupa teks, misalnya "127.0.0.1" (sekarang \' \').'),
    ({"server": {"port": True}}, "server.port harus bilangan bulat 1 sampai 65535, tanpa tanda kutip (sekarang True)."),
    ({"server": {"port": 65536}}, "server.port harus bilangan bulat 1 sampai 65535"),
    ({"server": {"allowed_hosts": "a"}}, "server.allowed_hosts harus berupa daftar teks, misalnya [\"...\"] (sekarang 'a')."),
    ({"server": {"extension_ids": ["xyz"]}}, "server.extension_ids: 'xyz' bukan id ekstensi Chrome/Edge (32 huruf a sampai p)."),
    ({"server": {"firefox_origins": ["http://x"]}}, "server.firefox_origins: setiap isian harus diawali moz-extension://"),
    ({"server": {"log_level": "verbose"}}, "server.log_level harus salah satu dari debug, info, warning, error (sekarang 'verbose')."),
    ({"server": 5}, "'server' harus berupa bagian [server], bukan 5."),
    ({"categories": {"hate_abuse": 0}}, "categories.hate_abuse harus true atau false, tanpa tanda kutip (sekarang 0)."),
    ({"severity": {"flexing.luxury_brand": "tinggi"}},
     "tingkat untuk aturan 'flexing.luxury_brand' harus salah satu dari info, warning, high, off (sekarang 'tinggi')."),
    ({"severity": {"flexing.no_such_rule": "tinggi"}}, "tingkat untuk aturan 'flexing.no_such_rule' harus salah satu"),
    ({"lexicon": {"flexing": ["Rolex"]}}, 'lexicon.flexing harus berupa bagian [lexicon.flexing] berisi nama_daftar = ["kata", ...].'),
    ({"lexicon": {"political_neutrality": {"no_such_list": [1]}}}, "lexicon.political_neutrality.no_such_list harus berupa daftar teks"),
    ({"guard": {"mode": "strict"}}, 'guard.mode harus "warn" (boleh tetap kirim) atau "block" (tidak boleh kirim) (sekarang \'strict\').'),
    ({"stats": {"enabled": "yes"}}, "stats.enabled harus true atau false, tanpa tanda kutip (sekarang 'yes')."),
    ({"stats": {"share_with_office": 1}}, "stats.share_with_office harus true atau false"),
    ({"stats": {"office_dir": 3}}, "stats.office_dir harus berupa teks (path folder) (sekarang 3)."),
    ({"stats": {"retention_weeks": 521}}, "stats.retention_weeks harus bilangan bulat 1 sampai 520 (sekarang 521)."),
    ({"model": {"enabled": "no"}}, "model.enabled harus true atau false, tanpa tanda kutip (sekarang 'no')."),
    ({"model": {"thresholds": 0.5}}, "model.thresholds harus berupa bagian [model.thresholds.<kategori>] berisi "
                                     "warning/info/clean/short = angka 0 sampai 1."),
    ({"model": {"thresholds": {"flexing": 0.5}}}, "model.thresholds.flexing harus berupa bagian berisi warning/info/clean/short = angka."),
    ({"model": {"thresholds": {"flexing": {"warning": 1.5}}}},
     "model.thresholds.flexing.warning harus angka 0 sampai 1, misalnya 0.9 (sekarang 1.5)."),
    ({"model": {"thresholds": {"gratification": {"clean": True}}}}, "model.thresholds.gratification.clean harus angka 0 sampai 1"),
    ({"lock": {"keys": "guard.mode"}}, "lock.keys harus berupa daftar teks, misalnya [\"guard.mode\", \"lexicon\"] (sekarang 'guard.mode')."),
]


@pytest.mark.parametrize("data, message", BAD_VALUES, ids=[next(iter(d)) + str(i) for i, (d, _) in enumerate(BAD_VALUES)])
def test_every_key_refuses_a_wrong_value_with_a_plain_message(data, message):
    from server.config import validate

    clean, problems = validate(data, "f.toml", layer="machine")
    assert len(problems.errors) == 1 and problems.errors[0].startswith(f"f.toml: {message}"), problems.errors
    assert problems.warnings == []
    section = next(iter(data))
    assert clean.get(section, {}) in ({}, {"thresholds": {}}, {"flexing": {}}, {"political_neutrality": {}},
                                      {"thresholds": {"flexing": {}}}, {"thresholds": {"gratification": {}}})


def test_model_section_is_checked_and_applied(tmp_path):
    f = tmp_path / "model.toml"
    f.write_text("""[model]
enabled = false
colour = 1
[model.thresholds.flexing]
warning = 0.8
clean = 0
loud = 0.5
[model.thresholds.bogus]
info = 0.1
[model.thresholds.gratification]
info = 2
""", encoding="utf-8")
    errors, warnings = check_file(f)
    assert errors == [f"{f} (baris 11): model.thresholds.gratification.info harus angka 0 sampai 1, misalnya 0.9 "
                      f"(sekarang 2)."]
    assert sorted(warnings) == sorted([
        f"{f} (baris 3): kunci 'model.colour' tidak dikenal, diabaikan. Yang dikenal: enabled, thresholds.",
        f"{f} (baris 7): model.thresholds.flexing.loud tidak dikenal, diabaikan. Yang dikenal: warning, info, clean, short, confirm, sure.",
        f"{f}: [model.thresholds.bogus]: kategori 'bogus' tidak dikenal, diabaikan. Kategori: " + ", ".join(CATEGORIES) + ".",
    ])
    f.write_text("[model]\nenabled = false\n[model.thresholds.flexing]\nwarning = 0.8\nclean = 0\n", encoding="utf-8")
    s = load_settings(f)
    assert s.analyzer.model is False and s.analyzer.model_thresholds == {"flexing": {"warning": 0.8, "clean": 0.0}}


def test_values_are_cleaned_and_lock_applies_to_the_machine_file_only():
    from server.config import validate

    data = {"server": {"host": " 127.0.0.1 "}, "lexicon": {"political_neutrality": {"candidates": [" Budi ", " "]}},
            "lock": {"keys": ["guard.mode", "warna"]}}
    clean, problems = validate(data, "m.toml", layer="machine")
    assert problems.errors == []
    assert clean == {"server": {"host": "127.0.0.1"}, "lexicon": {"political_neutrality": {"candidates": ["Budi"]}},
                     "lock": {"keys": ["guard.mode", "warna"]}}
    assert problems.warnings == [
        "m.toml: lexicon.political_neutrality.candidates: isian kosong diabaikan.",
        "m.toml: lock.keys: 'warna' tidak merujuk bagian yang dikenal (categories, guard, lexicon, model, server, "
        "severity, stats)."]
    clean, problems = validate(data, "u.toml", layer="user")
    assert "lock" not in clean
    assert problems.warnings[0] == ("u.toml: [lock] hanya berlaku di berkas konfigurasi seluruh komputer (milik TI); "
                                    "di sini diabaikan.")
    clean, problems = validate({"flexing": {"x": 1}}, "u.toml")
    assert clean == {} and problems.warnings == [
        "u.toml: bagian/kunci 'flexing' tidak dikenal, diabaikan. Mungkin maksudnya [categories] flexing = "
        "true/false atau [lexicon.flexing]? Yang dikenal: categories, guard, lexicon, lock, model, server, severity, stats."]


def test_toml_syntax_error_names_line_and_column(tmp_path):
    f = tmp_path / "broken.toml"
    f.write_text('[lexicon.political_neutrality]\ncandidates = ["Budi",\n', encoding="utf-8")
    errors, _ = check_file(f)
    assert len(errors) == 1 and "bukan TOML yang valid" in errors[0] and "baris" in errors[0]


def test_settings_from_dict_keeps_its_contract():
    s = settings_from_dict({"server": {"port": 9999}, "guard": {"mode": "block"}}, "x.toml")
    assert s.port == 9999 and s.guard_mode == "block"
    with pytest.raises(ValueError):
        settings_from_dict({"server": {"port": 0}})


# ----------------------------------------------------------------------------- layers and locks

def test_user_overrides_machine_but_not_locked_keys(paths):
    machine, user, _ = paths
    write(machine, """
[guard]
mode = "block"
[categories]
political_neutrality = true
[lexicon.political_neutrality]
candidates = ["Calon Satu"]
[lock]
keys = ["guard.mode", "categories.political_neutrality"]
""")
    write(user, """
[guard]
mode = "warn"
[categories]
political_neutrality = false
flexing = false
[lexicon.political_neutrality]
candidates = ["Calon Dua"]
""")
    result = load_layered()
    assert result.ok, result.errors
    s = result.settings
    assert s.guard_mode == "block"                                  # locked: machine wins
    assert s.analyzer.categories == {"political_neutrality": True, "flexing": False}  # unlocked key: user wins
    assert s.analyzer.lexicon["political_neutrality"]["candidates"] == ["Calon Satu", "Calon Dua"]  # added up
    assert s.locked == ["guard.mode", "categories.political_neutrality"]
    assert sum("dikunci oleh TI" in w for w in result.warnings) == 2


def test_lock_star_ignores_the_user_file(paths):
    machine, user, _ = paths
    write(machine, '[lock]\nkeys = ["*"]\n')
    write(user, '[guard]\nmode = "block"\n[lexicon.political_neutrality]\ncandidates = ["X"]\n')
    s = load_layered().settings
    assert s.guard_mode == "warn" and s.analyzer.lexicon == {}


def test_lock_in_user_file_is_ignored(tmp_path):
    f = tmp_path / "u.toml"
    f.write_text('[lock]\nkeys = ["guard.mode"]\n', encoding="utf-8")
    layer = read_layer(f, "user")
    assert "lock" not in layer.data and any("[lock] hanya berlaku" in w for w in layer.warnings)
    assert merge_layers([layer])[1] == []


def test_missing_standard_files_are_fine_but_missing_extra_is_an_error(paths, tmp_path):
    assert load_layered().ok
    result = load_layered(tmp_path / "nope.toml")
    assert not result.ok and "tidak ditemukan" in result.errors[0]


# ----------------------------------------------------------------------------- live reload

@pytest.fixture
def live_app(paths, tmp_path, analyzer):
    extra = tmp_path / "org.toml"
    write(extra, '[guard]\nmode = "warn"\n')
    live = LiveConfig(extra=extra, data_dir=paths[2], interval=0)
    settings = live.initial()
    assert settings.analyzer == AnalyzerConfig()  # the session's analyzer has this configuration
    app = create_app(settings, analyzer=analyzer)
    live.attach(app)
    return app, live, extra


def test_adding_a_candidate_is_picked_up_without_restart(live_app):
    app, live, extra = live_app
    client = app.test_client()
    assert "political_neutrality.local_candidate" not in rule_ids(check(client))
    write(extra, f'[guard]\nmode = "block"\n[lexicon.political_neutrality]\ncandidates = ["{CANDIDATE}"]\n')
    assert live.changed()
    r = client.post("/v1/reload", base_url=BASE, json={})
    assert r.status_code == 200 and r.get_json()["reloaded"] is True
    body = check(client)
    assert "political_neutrality.local_candidate" in rule_ids(body)
    assert body["summary"]["max_severity"] == "high"
    assert client.get("/v1/settings", base_url=BASE).get_json()["guard_mode"] == "block"


def test_broken_file_keeps_last_good_rules_and_reports_it(live_app):
    app, live, extra = live_app
    client = app.test_client()
    write(extra, f'[lexicon.political_neutrality]\ncandidates = ["{CANDIDATE}"]\n')
    assert live.reload()["reloaded"]
    write(extra, f'[lexicon.political_neutrality\ncandidates = ["{CANDIDATE}"]\n')  # invalid TOML
    r = client.post("/v1/reload", base_url=BASE, json={})
    assert r.status_code == 422 and r.get_json()["reloaded"] is False
    assert r.get_json()["error"]["code"] == "invalid_config" and "bukan TOML" in r.get_json()["error"]["message"]
    assert "political_neutrality.local_candidate" in rule_ids(check(client))  # last good rules
    health = client.get("/v1/health", base_url=BASE).get_json()
    assert health["status"] == "ok"
    assert health["config"]["status"] == "error"
    problems = " ".join(health["config"]["problems"])
    assert "bukan TOML yang valid" in problems and "konfigurasi terakhir yang valid" in problems
    # an invalid value (valid TOML) is treated the same way
    write(extra, '[guard]\nmode = "sometimes"\n')
    assert live.reload()["reloaded"] is False
    assert "political_neutrality.local_candidate" in rule_ids(check(client))
    # fixed: the message goes away
    write(extra, '[guard]\nmode = "warn"\n')
    assert live.reload()["reloaded"] is True
    assert "config" not in client.get("/v1/health", base_url=BASE).get_json()
    assert "political_neutrality.local_candidate" not in rule_ids(check(client))


def test_severity_override_and_revert(live_app):
    app, live, extra = live_app
    client = app.test_client()
    write(extra, f'[lexicon.political_neutrality]\ncandidates = ["{CANDIDATE}"]\n'
                 '[severity]\n"political_neutrality.local_candidate" = "info"\n')
    live.reload()
    sev = {f["rule_id"]: f["severity"] for f in check(client)["findings"]}
    assert sev["political_neutrality.local_candidate"] == "info"
    write(extra, f'[lexicon.political_neutrality]\ncandidates = ["{CANDIDATE}"]\n')
    live.reload()
    sev = {f["rule_id"]: f["severity"] for f in check(client)["findings"]}
    assert sev["political_neutrality.local_candidate"] == "high"


def test_category_switched_off(live_app):
    app, live, extra = live_app
    client = app.test_client()
    write(extra, f'[lexicon.political_neutrality]\ncandidates = ["{CANDIDATE}"]\n[categories]\npolitical_neutrality = false\n')
    live.reload()
    assert rule_ids(check(client)) == set()
    assert client.get("/v1/settings", base_url=BASE).get_json()["categories"]["political_neutrality"] is False


def test_start_with_broken_file_uses_last_good_copy(paths, tmp_path):
    extra = tmp_path / "org.toml"
    write(extra, f'[lexicon.political_neutrality]\ncandidates = ["{CANDIDATE}"]\n')
    LiveConfig(extra=extra, data_dir=paths[2], interval=0).initial()   # saves the last good copy
    write(extra, "[[[ broken")
    live = LiveConfig(extra=extra, data_dir=paths[2], interval=0)
    s = live.initial()
    assert s.analyzer.lexicon["political_neutrality"]["candidates"] == [CANDIDATE]
    app = create_app(s)
    live.attach(app)
    client = app.test_client()
    assert "political_neutrality.local_candidate" in rule_ids(check(client))
    assert client.get("/v1/health", base_url=BASE).get_json()["config"]["status"] == "error"


def test_last_good_copy_is_not_used_for_other_files(paths, tmp_path):
    extra = tmp_path / "org.toml"
    write(extra, f'[lexicon.political_neutrality]\ncandidates = ["{CANDIDATE}"]\n')
    LiveConfig(extra=extra, data_dir=paths[2], interval=0).initial()
    other = tmp_path / "other.toml"
    write(other, "[[[ broken")
    live = LiveConfig(extra=other, data_dir=paths[2], interval=0)
    s = live.initial()
    assert s.analyzer.lexicon == {} and "pengaturan bawaan" in " ".join(live.problems)


def test_watcher_thread_reloads_on_change(paths, tmp_path, analyzer):
    extra = tmp_path / "org.toml"
    write(extra, "")
    live = LiveConfig(extra=extra, data_dir=paths[2], interval=0.2)
    app = create_app(live.initial(), analyzer=analyzer)
    live.attach(app)
    live.start()
    try:
        client = app.test_client()
        write(extra, f'[lexicon.political_neutrality]\ncandidates = ["{CANDIDATE}"]\n')
        deadline = time.monotonic() + 10
        while "political_neutrality.local_candidate" not in rule_ids(check(client)):
            assert time.monotonic() < deadline, "no reload within 10 s"
            time.sleep(0.1)
    finally:
        live.stop()


def test_reload_endpoint_without_live_config_is_409(analyzer):
    app = create_app(Settings(), analyzer=analyzer)
    r = app.test_client().post("/v1/reload", base_url=BASE, json={})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "reload_unavailable"


# ----------------------------------------------------------------------------- CLI

def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def saring(*args, env=None, **kw):
    """The real program (``python -m server``), in a process of its own."""
    return subprocess.run([sys.executable, "-m", "server", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=60, **kw)


def test_config_check_cli(tmp_path, cli):
    good = tmp_path / "good.toml"
    good.write_text(f'[lexicon.political_neutrality]\ncandidates = ["{CANDIDATE}"]\n', encoding="utf-8")
    r = cli("config", "check", str(good))
    assert r.returncode == 0 and "valid" in r.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text('[guard]\nmode = block\n', encoding="utf-8")
    r = saring("config", "check", str(bad))  # the real program: exit code 1 as a script sees it
    assert r.returncode == 1
    assert "GALAT" in r.stdout and "baris 2" in r.stdout and "TIDAK VALID" in r.stdout
    r = cli("config", "check", str(tmp_path / "missing.toml"))
    assert r.returncode == 1 and "tidak ditemukan" in r.stdout
    r = cli("config", "check")
    assert r.returncode == 2


def test_config_show_and_paths(paths, cli):
    machine, user, data = paths
    write(machine, '[guard]\nmode = "block"\n[lock]\nkeys = ["guard.mode"]\n')
    write(user, '[guard]\nmode = "warn"\n')
    env = {"SARING_MACHINE_CONFIG": str(machine), "SARING_USER_CONFIG": str(user), "SARING_DATA_DIR": str(data)}
    r = cli("config", "show", env=env)
    assert r.returncode == 0
    shown = json.loads(r.stdout[r.stdout.index("{"):])
    assert shown["guard"]["mode"] == "block" and "dikunci" in r.stderr
    r = cli("config", "paths", env=env)
    assert str(machine) in r.stdout and str(data) in r.stdout


def test_doctor_reports_missing_server_and_bad_config(paths, tmp_path, cli):
    machine, user, data = paths
    write(user, "[guard\n")
    env = {"SARING_MACHINE_CONFIG": str(machine), "SARING_USER_CONFIG": str(user), "SARING_DATA_DIR": str(data)}
    r = cli("doctor", "--port", str(free_port()), env=env)
    assert r.returncode == 1
    assert "GALAT" in r.stdout and "bukan TOML yang valid" in r.stdout and "tidak ada server" in r.stdout
    assert "Perbaiki:" in r.stdout and "berkas aturan" in r.stdout


# ----------------------------------------------------------------------------- logs, stats

def test_logs_never_contain_post_text(paths, tmp_path, analyzer):
    from server.logsetup import setup_logging

    log_path = setup_logging("debug", paths[2], console=False)
    try:
        live = LiveConfig(extra=None, data_dir=paths[2], interval=0)
        app = create_app(live.initial(), analyzer=analyzer)
        live.attach(app)
        client = app.test_client()
        secret = "Rahasia-XYZZY-12345 beli Rolex 500 juta NIK 3171234567890001"
        check(client, secret)
        client.post("/v1/check", base_url=BASE, data=json.dumps({"text": secret, "locale": "xx"}),
                    content_type="application/json")
        logging.getLogger("saring").handlers[0].flush()
        content = log_path.read_text(encoding="utf-8")
        assert "POST /v1/check 200" in content and "POST /v1/check 400" in content
        for piece in ("XYZZY", "Rolex", "3171234567890001", "500 juta"):
            assert piece not in content
    finally:  # give logging back as other tests expect it (caplog relies on propagation)
        for name in ("saring", "waitress"):
            logger = logging.getLogger(name)
            for h in list(logger.handlers):
                logger.removeHandler(h)
                h.close()
            logger.propagate = True
            logger.setLevel(logging.NOTSET)


def test_stats_count_weeks_without_text(tmp_path, analyzer):
    from server.stats import StatsStore, iso_week, office_summary

    path = tmp_path / "stats.json"
    office = tmp_path / "office"
    store = StatsStore(path, enabled=True, flush_interval=3600)
    app = create_app(Settings(), analyzer=analyzer)
    server_state(app).stats = store
    client = app.test_client()
    text = "Baru beli Rolex 250jt, mantap"
    for _ in range(5):  # re-checks of the same draft count once
        check(client, text)
    check(client, "Selamat pagi, layanan KTP buka jam 8")
    body = client.get("/v1/stats?weeks=4", base_url=BASE).get_json()
    assert body["enabled"] is True and body["office"]["enabled"] is False
    assert [w["week"] for w in body["weeks"]][-1] == iso_week()
    assert body["weeks"][-1]["counts"]["flexing"] == 1 and body["weeks"][-1]["total"] == 1
    store.flush()
    saved = path.read_text(encoding="utf-8")
    assert "Rolex" not in saved and "250jt" not in saved and json.loads(saved)["weeks"][iso_week()] == {"flexing": 1}
    assert not office.exists()  # office sharing is off by default
    # IT enables office sharing
    store.configure(Settings(stats_share_with_office=True, stats_office_dir=str(office)))
    check(client, "Alhamdulillah dapat parsel lebaran dari vendor proyek, makasih pak")
    store.flush()
    shared = list(office.glob("*.json"))
    assert len(shared) == 1 and "parsel" not in shared[0].read_text(encoding="utf-8")
    assert office_summary(office)["installs"] == 1
    assert client.get("/v1/stats?weeks=0", base_url=BASE).status_code == 400
    store.close()


def test_stats_off(tmp_path, analyzer):
    from server.stats import StatsStore

    store = StatsStore(tmp_path / "s.json", enabled=False, flush_interval=3600)
    app = create_app(Settings(), analyzer=analyzer)
    server_state(app).stats = store
    check(app.test_client(), "Baru beli Rolex 250jt")
    assert store.snapshot(1)["weeks"][0]["total"] == 0 and store.snapshot(1)["enabled"] is False
    store.close()
    assert not (tmp_path / "s.json").exists()


def test_reading_stats_starts_no_thread(tmp_path, monkeypatch, capsys):
    """`saring stats` only reads the counts: no flusher thread (only the server's store writes)."""
    import threading
    from types import SimpleNamespace

    from server.cli import main
    from server.stats import StatsStore, iso_week

    monkeypatch.setenv("SARING_DATA_DIR", str(tmp_path))
    path = tmp_path / "stats.json"
    path.write_text(json.dumps({"version": 1, "install_id": "x", "weeks": {iso_week(): {"flexing": 2}}}),
                    encoding="utf-8")
    before = set(threading.enumerate())
    assert main(["stats", "--json", "--weeks", "2"]) == 0
    assert json.loads(capsys.readouterr().out)["weeks"][-1]["counts"]["flexing"] == 2
    store = StatsStore(path, flush_interval=0.05)
    assert store.snapshot(1)["weeks"][0]["total"] == 2
    assert [t.name for t in threading.enumerate() if t not in before] == []
    # the server starts its store's flusher: a recorded check reaches the file on its own
    store.start()
    flusher = [t for t in threading.enumerate() if t not in before]
    assert [t.name for t in flusher] == ["saring-stats"]
    finding = SimpleNamespace(category="gratification", rule_id="gratification.x", severity="high", text="parsel")
    store.record(SimpleNamespace(findings=[finding]))
    deadline = time.monotonic() + 10
    while "gratification" not in path.read_text(encoding="utf-8") and time.monotonic() < deadline:
        time.sleep(0.02)
    assert json.loads(path.read_text(encoding="utf-8"))["weeks"][iso_week()] == {"flexing": 2, "gratification": 1}
    store.close()
    flusher[0].join(timeout=5)
    assert not flusher[0].is_alive()
