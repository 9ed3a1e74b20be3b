"""`saring` on the command line: output, JSON, stdin, exit codes.

Most tests run the command in this process (the ``cli`` fixture, through ``server.cli.main``);
a few start the real program, for what only a process shows: the exit code a shell sees and
the output as bytes on a pipe (more in test_bad_input.py: a pipe closed by ``head``, bytes that
are not UTF-8 in argv).
"""

import json
import subprocess
import sys

import pytest

from saring_testlib import ROOT

ROLEX = "Baru beli Rolex 250jt 💎"


def saring(*args, stdin=None):
    """The real program, in a process of its own."""
    return subprocess.run([sys.executable, "-m", "server.cli", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_version(cli):
    from nlp import __version__

    r = cli("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"saring {__version__}"


def test_check_risky_post_prints_findings_in_indonesian_and_exits_1():
    r = saring("check", ROLEX)  # the real program: exit code and UTF-8 output as a shell gets them
    assert r.returncode == 1
    out = r.stdout
    assert "Pamer kemewahan" in out and "\"Rolex\"" in out and "\"250jt\"" in out
    assert "baris 1, kolom 11" in out  # where "Rolex" is
    assert "Alasan:" in out and "Saran :" in out and "Dasar :" in out


def test_check_clean_post_exits_0(cli):
    r = cli("check", "Posyandu hari ini melayani 47 balita, terima kasih kader hebat 🙏")
    assert r.returncode == 0 and "Tidak ada catatan" in r.stdout


def test_check_json_matches_contract(cli):
    r = cli("check", ROLEX, "--json")
    assert r.returncode == 1
    body = json.loads(r.stdout)
    assert set(body) >= {"findings", "summary"}
    assert body["findings"]
    for f in body["findings"]:
        assert ROLEX[f["start"]:f["end"]] == f["text"]
        assert "start_utf16" in f


@pytest.mark.parametrize("args", [("check", "-"), ("check",)])
def test_check_reads_stdin(cli, args):
    r = cli(*args, stdin=ROLEX)
    assert r.returncode == 1 and "Rolex" in r.stdout


def test_check_categories_filter(cli):
    text = "Mudik lebaran pake mobil dinas, sekalian beli Rolex 250jt"
    r = cli("check", text, "--json", "--categories", "facility_misuse")
    assert {f["category"] for f in json.loads(r.stdout)["findings"]} == {"facility_misuse"}


@pytest.mark.parametrize("args", [("check", "x", "--categories", "flexin"), ("nonsense",), (), ("check", "x", "--locale", "fr"),
                                  ("serve", "--port", "notaport")])
def test_bad_usage_exits_2_with_message(cli, args):
    r = cli(*args)
    assert r.returncode == 2
    assert r.stderr.strip() or r.stdout.strip()
    assert "Traceback" not in r.stderr


def test_bad_usage_exits_2_from_the_real_program():
    r = saring("check", "x", "--categories", "flexin")
    assert r.returncode == 2 and "flexin" in r.stderr and "Traceback" not in r.stderr


def test_invalid_utf8_on_stdin_is_a_usage_error(cli):
    r = cli("check", "-", stdin=b"\xff\xfe\xfa")
    assert r.returncode == 2 and "UTF-8" in r.stderr and "Traceback" not in r.stderr


def test_empty_stdin_is_clean(cli):
    r = cli("check", "-", stdin="")
    assert r.returncode == 0
