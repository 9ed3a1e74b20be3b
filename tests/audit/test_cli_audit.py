"""``saring audit``: options, exit codes, the JSON/CSV/HTML outputs, nothing written elsewhere."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import fixtures as F
from server.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_outputs_exit_codes_and_nothing_else_written(tmp_path, capsys):
    root = tmp_path / "export"
    F.build_facebook(root)
    out = tmp_path / "out"
    out.mkdir()
    rc = main(["audit", str(root), "--json", str(out / "a.json"), "--csv", str(out / "a.csv"),
               "--html", str(out / "a.html")])
    assert rc == 1
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "a.html", "a.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export", "out"]
    body = json.loads((out / "a.json").read_text(encoding="utf-8"))
    assert body["format"] == "facebook" and body["posts_scanned"] == 5 and body["posts_flagged"] == 3
    assert body["by_category"]["facility_misuse"] == 1 and set(body["by_category"]) >= {"flexing", "gratification"}
    rows = list(csv.DictReader((out / "a.csv").open(encoding="utf-8-sig")))
    assert {r["evidence"] for r in rows} >= {"Mobil dinas", "Hermès", "parcel"}
    assert all(r["message"] and r["date"] for r in rows)
    html = (out / "a.html").read_text(encoding="utf-8")
    assert html.count('<article class="item') == 3
    printed = capsys.readouterr().out
    assert "5 unggahan" in printed and "3 perlu perhatian" in printed
    # nothing reaches "high" among the warnings only: exit 0 with --min-severity high on a clean export
    clean = tmp_path / "clean.jsonl"
    clean.write_text(json.dumps({"text": F.CLEAN_1}) + "\n", encoding="utf-8")
    assert main(["audit", str(clean)]) == 0


def test_json_to_stdout_since_until_and_locale(tmp_path, capsys):
    root = tmp_path / "x"
    F.build_x(root)
    assert main(["audit", str(root), "--json", "-", "--since", "2020-01-01", "--until", "2022-12-31",
                 "--locale", "en"]) == 1
    body = json.loads(capsys.readouterr().out)
    assert [i["text"] for i in body["items"]] == [F.RISKY_PARCEL]
    assert body["since"] == "2020-01-01" and body["until"] == "2022-12-31"
    assert body["posts_scanned"] == 2                                  # 2020 and 2021 posts only
    assert "gift" in body["items"][0]["findings"][0]["message"].lower() or \
        body["items"][0]["findings"][0]["message"].isascii()          # English messages


def test_bad_usage_exits_2_with_a_plain_message(tmp_path, capsys):
    root = tmp_path / "x"
    F.build_x(root)

    def run(*args):  # in-process: the same code path, without a new interpreter each time
        try:
            rc = main(["audit", *map(str, args)])
        except SystemExit as e:
            rc = e.code
        captured = capsys.readouterr()
        return subprocess.CompletedProcess(args, rc, captured.out, captured.err)

    for args, says in (([root, "--since", "kemarin"], "Tanggal tidak dikenali"),
                       ([root, "--html", tmp_path / "tidak" / "ada" / "r.html"], "folder untuk --html tidak ada"),
                       ([root, "--min-severity", "parah"], "pilihan tidak dikenal"),
                       ([root, "--workers", "0"], "--workers"),
                       ([root, "--categories", "flexing,asal"], "kategori tidak dikenal"),
                       ([root, "--since", "2023-01-01", "--until", "2020-01-01"], "--since harus sebelum")):
        r = run(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert says in r.stderr and "Traceback" not in r.stderr


def test_whatsapp_author_is_asked_for(tmp_path, capsys):
    root = tmp_path / "wa"
    F.build_whatsapp(root)
    assert main(["audit", str(root), "--json", "-"]) == 2             # no terminal to ask on
    err = capsys.readouterr().err
    assert "--author" in err and "Budi Santoso" in err and "Siti" in err and str(root) in err
    assert main(["audit", str(root), "--json", "-", "--author", "Joko"]) == 2      # nobody of that name
    err = capsys.readouterr().err
    assert '"Joko" tidak ada' in err and "Budi Santoso" in err
    assert main(["audit", str(root), "--json", "-", "--author", "Budi Santoso"]) == 1
    body = json.loads(capsys.readouterr().out)
    assert body["posts_scanned"] == 3                                 # only Budi's own messages
    assert F.RISKY_BRAND not in [i["text"] for i in body["items"]]     # Siti's message is not checked


def test_workers_give_the_same_result(tmp_path, capsys):
    root = tmp_path / "x"
    F.build_x(root)
    codes, bodies = [], []
    for extra in ([], ["--workers", "2"]):  # in this process: the workers are forked from it
        codes.append(main(["audit", str(root), "--json", "-", *extra]))
        out = capsys.readouterr()
        assert not out.err                                            # quiet when stderr is not a terminal
        bodies.append(json.loads(out.out))
    a, b = bodies
    for body in (a, b):
        body.pop("generated")
    assert codes == [1, 1] and a == b


def test_progress_bar_on_a_terminal_and_ctrl_c_writes_nothing(tmp_path):
    import pty
    import signal
    import time

    root = tmp_path / "big"
    F.build_many_x(root, 30000)
    master, slave = pty.openpty()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    report = tmp_path / "laporan.html"
    # as a command typed at a terminal: Ctrl+C delivered, even when this test suite itself was started
    # in the background by a shell without job control (which starts it with SIGINT ignored, and a
    # child inherits that)
    proc = subprocess.Popen([sys.executable, "-m", "server.cli", "audit", str(root), "--html", str(report)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 60
    while b"sisa" not in seen and time.monotonic() < deadline and proc.poll() is None:
        try:
            seen += os.read(master, 4096)
        except OSError:
            break
    assert b"%" in seen and b"unggahan" in seen and b"sisa ~" in seen      # count, percentage, ETA
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=30)
    try:
        while True:
            chunk = os.read(master, 4096)
            if not chunk:
                break
            seen += chunk
    except OSError:
        pass
    os.close(master)
    assert proc.returncode == 130
    assert "dibatalkan".encode() in seen and b"Traceback" not in seen
    assert not report.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big"]
