"""Hostile or broken archives: clean errors or counted skips, never a traceback; nothing
extracted to disk; nothing read outside the archive."""

from __future__ import annotations

import io
import os
import subprocess
import zipfile
from pathlib import Path

import pytest

import fixtures as F
from server.audit import AuditError, AuditOptions, run_audit
from server.audit import archive as archive_mod

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli(capsys):
    """``saring audit`` in this process (the same code path as the command, without a new
    interpreter per call): returns exit code, stdout and stderr."""
    from server.cli import main

    def run(*args):
        try:
            rc = main(["audit", *map(str, args)])
        except SystemExit as e:
            rc = e.code
        out = capsys.readouterr()
        return subprocess.CompletedProcess(args, rc, out.out, out.err)
    return run


def x_zip(tmp_path, extra=None) -> Path:
    root = tmp_path / "x"
    F.build_x(root)
    out = tmp_path / "x.zip"
    F.zip_dir(root, out)
    if extra:
        with zipfile.ZipFile(out, "a") as zf:
            for name, data in extra:
                zf.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return out


def test_zip_slip_paths_are_ignored(tmp_path, analyzer):
    evil = 'window.YTD.tweets.part0 = [{"tweet": {"id_str": "9", "full_text": "Mobil dinas saya pakai mudik", ' \
           '"created_at": "Wed Oct 10 20:19:24 +0000 2018"}}]'
    z = x_zip(tmp_path, [("../../data/tweets.js", evil), ("/etc/data/tweets.js", evil), ("C:/data/tweets.js", evil)])
    before = set(tmp_path.parent.iterdir())
    result = run_audit(str(z), AuditOptions(), analyzer=analyzer)
    assert result.posts_scanned == 6                                   # only the archive's own files
    reasons = [r for f, r in result.skipped if "tweets.js" in f]
    assert len(reasons) == 3 and all("berbahaya" in r for r in reasons)
    assert set(tmp_path.parent.iterdir()) == before                    # nothing written anywhere
    assert not (tmp_path.parent / "data").exists()


def test_zip_bomb_is_stopped_by_ratio(tmp_path, analyzer):
    bomb = b'window.YTD.tweets.part9 = [' + b" " * (8 << 20) + b"]"     # 8 MB that compresses ~1000x
    z = x_zip(tmp_path, [("data/tweets-part9.js", bomb)])
    assert z.stat().st_size < 200_000
    result = run_audit(str(z), AuditOptions(), analyzer=analyzer)
    assert result.posts_scanned == 6
    assert any("zip bomb" in r for f, r in result.skipped if f.endswith("tweets-part9.js"))


def test_per_file_and_total_caps_count_real_bytes(tmp_path, analyzer, monkeypatch):
    z = x_zip(tmp_path)
    monkeypatch.setattr(archive_mod, "MAX_FILE_BYTES", 600)           # tweets.js is larger than this
    result = run_audit(str(z), AuditOptions(), analyzer=analyzer)
    assert any("lebih besar" in r for f, r in result.skipped if f.endswith("tweets.js"))
    # a member that decompresses to more than it declares is stopped at the cap, not trusted
    arch = archive_mod.Archive("lying.zip")
    entry = archive_mod.Entry("data/tweets.js", 10, lambda: io.BytesIO(b"x" * 5000), arch)
    with pytest.raises(archive_mod.SkipFile) as e:
        entry.open_binary().read()
    assert "batas" in e.value.reason
    monkeypatch.setattr(archive_mod, "MAX_FILE_BYTES", 1 << 30)
    monkeypatch.setattr(archive_mod, "MAX_TOTAL_BYTES", 2000)
    with pytest.raises(AuditError) as e:
        run_audit(str(z), AuditOptions(), analyzer=analyzer)
    assert e.value.code == "archive_too_large"


def test_nested_archive_is_a_counted_skip(tmp_path, analyzer):
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("data/tweets.js", "window.YTD.tweets.part0 = []")
    z = x_zip(tmp_path, [("media/old-archive.zip", inner.read_bytes())])
    result = run_audit(str(z), AuditOptions(), analyzer=analyzer)
    assert result.posts_scanned == 6
    assert any("arsip di dalam arsip" in r for f, r in result.skipped if f.endswith("old-archive.zip"))


def test_corrupt_and_truncated_zips_are_clean_errors(tmp_path, cli):
    z = x_zip(tmp_path)
    truncated = tmp_path / "terpotong.zip"
    truncated.write_bytes(z.read_bytes()[: z.stat().st_size // 2])
    garbage = tmp_path / "rusak.zip"
    garbage.write_bytes(b"PK\x03\x04" + os.urandom(3000))
    for bad in (truncated, garbage):
        r = cli(bad)
        assert r.returncode == 2, r.stderr
        assert bad.name in r.stderr and "rusak atau terpotong" in r.stderr
        assert "Traceback" not in r.stderr + r.stdout
    r = cli(tmp_path / "tidak-ada.zip")
    assert r.returncode == 2 and "tidak ditemukan" in r.stderr and "tidak-ada.zip" in r.stderr


def test_corrupt_member_and_bad_files_are_counted_skips(tmp_path, analyzer):
    root = tmp_path / "x"
    F.build_x(root)
    (root / "data" / "tweets-part2.js").write_bytes(b'window.YTD.tweets.part2 = [{"tweet": {"full_text": "\xff\xfe caf\xe9"}}]')
    (root / "data" / "tweets-part3.js").write_text('window.YTD.tweets.part3 = [{"tweet": {"full_text": "ter', encoding="utf-8")
    (root / "data" / "tweets-part4.js").write_text("window.YTD.tweets.part4 = " + "[" * 5000 + "]" * 5000,
                                                   encoding="utf-8")
    result = run_audit(str(root), AuditOptions(), analyzer=analyzer)
    assert result.posts_scanned == 6
    skipped = dict(result.skipped)
    assert "UTF-8" in skipped["data/tweets-part2.js"]
    assert "terpotong" in skipped["data/tweets-part3.js"]
    assert "dalam" in skipped["data/tweets-part4.js"]
    # a member whose bytes do not match its CRC: the file is skipped, the rest is read
    z = tmp_path / "crc.zip"
    F.zip_dir(tmp_path / "x", z)
    data = bytearray(z.read_bytes())
    with zipfile.ZipFile(z) as zf:
        info = zf.getinfo("data/tweets-part1.js")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 10] ^= 0xFF
    z.write_bytes(bytes(data))
    result = run_audit(str(z), AuditOptions(), analyzer=analyzer)
    assert "data/tweets-part1.js" in dict(result.skipped)
    assert result.posts_scanned >= 4


def test_symlinks_in_a_folder_are_not_followed(tmp_path, analyzer):
    outside = tmp_path / "rahasia"
    outside.mkdir()
    (outside / "tweets.js").write_text('window.YTD.tweets.part0 = [{"tweet": {"full_text": "Mobil dinas saya pakai '
                                       'mudik", "id_str": "1"}}]', encoding="utf-8")
    root = tmp_path / "x"
    F.build_x(root)
    os.symlink(outside / "tweets.js", root / "data" / "tweets-part7.js")
    result = run_audit(str(root), AuditOptions(), analyzer=analyzer)
    assert result.posts_scanned == 6
    assert "tautan simbolik" in dict(result.skipped)["data/tweets-part7.js"]


def test_not_an_export(tmp_path, cli):
    empty = tmp_path / "kosong"
    empty.mkdir()
    (empty / "foto.jpg").write_bytes(b"\xff\xd8")
    r = cli(empty)
    assert r.returncode == 2 and "tidak dikenali" in r.stderr and "kosong" in r.stderr
    notes = tmp_path / "catatan.txt"
    notes.write_text("hanya catatan biasa\ntanpa format apa pun\n", encoding="utf-8")
    r = cli(notes)
    assert r.returncode == 2 and "catatan.txt" in r.stderr and "Traceback" not in r.stderr


def test_an_html_export_is_told_to_ask_for_json(tmp_path, cli):
    root = tmp_path / "facebook-budi"
    (root / "your_activity_across_facebook" / "posts").mkdir(parents=True)
    (root / "your_activity_across_facebook" / "posts" / "your_posts__check_ins__photos_and_videos_1.html").write_text(
        "<html><body><div>Baru beli Rolex</div></body></html>", encoding="utf-8")
    r = cli(root)
    assert r.returncode == 2 and "format HTML" in r.stderr and "JSON" in r.stderr
