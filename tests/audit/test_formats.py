"""Every supported export layout gives the right posts: counts, platforms and kinds, the text
itself (repaired where the platform's encoding is broken), dates and links."""

from __future__ import annotations

import collections
import json

import pytest

import fixtures as F
from server.audit import AuditOptions, run_audit
from server.audit.archive import Archive
from server.audit.formats import detect
from server.audit.runner import Context, _posts


def read_posts(path, author=None):
    with Archive.open(path) as arch:
        det = detect(arch)
        ctx = Context(AuditOptions(author=author))
        posts = list(_posts(det, ctx))
        return det.format_id, posts, ctx.skipped


@pytest.mark.parametrize("name", sorted(F.BUILDERS))
@pytest.mark.parametrize("packed", [False, True], ids=["folder", "zip"])
def test_every_layout_gives_its_posts(tmp_path, name, packed):
    root = tmp_path / "export"
    expected = F.BUILDERS[name](root)
    target = F.zip_dir(root, tmp_path / "export.zip") if packed else root
    fmt, posts, skipped = read_posts(target, expected.get("author"))
    got = collections.defaultdict(list)
    for p in posts:
        got[(p.platform, p.kind)].append(p.text)
    assert {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in expected["texts"].items()}
    assert fmt in (expected["format"], "csv" if expected["format"] in ("csv", "jsonl") else expected["format"])
    assert not skipped


def test_format_is_reported_in_the_json(tmp_path, analyzer):
    for name, fmt in (("x", "x"), ("facebook_new", "facebook"), ("instagram_new", "instagram"),
                      ("tiktok_new", "tiktok"), ("linkedin", "linkedin"), ("youtube", "youtube"),
                      ("csv", "csv"), ("jsonl", "jsonl")):
        root = tmp_path / name
        F.BUILDERS[name](root)
        assert run_audit(str(root), AuditOptions(), analyzer=analyzer).format == fmt


@pytest.mark.parametrize("name", ["facebook_new", "facebook_old", "instagram_new", "instagram_old"])
def test_mojibake_is_repaired(tmp_path, name, analyzer):
    root = tmp_path / "export"
    F.BUILDERS[name](root)
    raw = "".join(p.read_text(encoding="utf-8") for p in root.rglob("*.json"))
    assert "\\u00c3\\u00a9" in raw and "Café" not in raw          # the file really is broken
    _, posts, _ = read_posts(root)
    texts = [p.text for p in posts]
    assert F.RISKY_CAFE in texts                                    # "Café … Hermès … 😍" back intact
    assert not any("Ã" in t or "ð\x9f" in t for t in texts)
    result = run_audit(str(root), AuditOptions(), analyzer=analyzer)
    cafe = next(it for it in result.items if it["text"] == F.RISKY_CAFE)
    evidence = [f["text"] for f in cafe["findings"]]
    assert "Hermès" in evidence                                      # found on the repaired word
    for f in cafe["findings"]:
        assert cafe["text"][f["start"]:f["end"]] == f["text"]


def test_x_archive_details(tmp_path):
    root = tmp_path / "export"
    F.build_x(root)
    _, posts, _ = read_posts(root)
    by_text = {p.text: p for p in posts}
    brand = by_text[F.RISKY_BRAND]
    assert brand.url == "https://x.com/budi_asn/status/1001"      # user name from data/account.js
    assert brand.iso_date() == "2019-07-14T09:12:00+00:00"
    assert by_text[F.RISKY_VOTE].kind == "comment"                  # a reply
    assert F.CLEAN_1 + " & <gratis>" in by_text                     # &amp; &lt; &gt; unescaped
    assert F.RISKY_CAR not in by_text                                # like.js is someone else's post
    assert len([p for p in posts if p.source.endswith("tweets-part1.js")]) == 2   # the split part is read


def test_whatsapp_dates_clocks_and_multiline(tmp_path):
    for style in ("android_id", "android_us", "ios"):
        root = tmp_path / style
        exp = F.build_whatsapp(root, style)
        _, posts, _ = read_posts(root, author="  budi SANTOSO ")       # case and spaces do not matter
        assert [p.iso_date() for p in posts] == exp["dates"], style
        assert posts[0].text == F.RISKY_CAR + "\nNanti saya kabari lagi\nya"
        assert all(p.kind == "message" and p.platform == "whatsapp" for p in posts)


def test_whatsapp_day_first_versus_month_first(tmp_path):
    root = tmp_path / "chat"
    root.mkdir()
    (root / "_chat.txt").write_text("12/31/19, 11:05 PM - Budi: Mobil dinas saya pakai mudik\n"
                                    "1/2/20, 7:00 AM - Budi: Selamat pagi\n", encoding="utf-8")
    _, posts, _ = read_posts(root)                                   # one sender: no need to ask
    assert [p.iso_date() for p in posts] == ["2019-12-31T23:05:00", "2020-01-02T07:00:00"]
    (root / "_chat.txt").write_text("02/01/20 07.00 - Budi: Selamat pagi\n13/01/20 08.00 - Budi: Halo\n",
                                    encoding="utf-8")
    _, posts, _ = read_posts(root)
    assert [p.iso_date()[:10] for p in posts] == ["2020-01-02", "2020-01-13"]


def test_youtube_and_linkedin_links(tmp_path):
    _, posts, _ = read_posts(F.build_youtube(tmp_path / "yt") and tmp_path / "yt")
    vote = next(p for p in posts if p.text == F.RISKY_VOTE)           # segments joined back
    assert vote.url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ&lc=UgxAbCdEfGhIjKlMnOp4AaABAg"
    assert vote.iso_date().startswith("2021-03-04T05:06:07")
    _, posts, _ = read_posts(F.build_linkedin(tmp_path / "li") and tmp_path / "li")
    shares = [p for p in posts if p.kind == "post"]
    assert shares[0].url.startswith("https://www.linkedin.com/feed/update/")
    assert "\n\n" in shares[0].text and '"tim hebat"' in shares[0].text    # multi-line, doubled quotes


def test_since_until_and_min_severity(tmp_path, analyzer):
    root = tmp_path / "x"
    F.build_x(root)
    from server.audit.runner import parse_day

    everything = run_audit(str(root), AuditOptions(min_severity="info"), analyzer=analyzer)
    only_2021 = run_audit(str(root), AuditOptions(since=parse_day("2021-01-01"), until=parse_day("2021-12-31", True)),
                          analyzer=analyzer)
    assert only_2021.posts_scanned == 1 and [i["text"] for i in only_2021.items] == [F.RISKY_PARCEL]
    high = run_audit(str(root), AuditOptions(min_severity="high"), analyzer=analyzer)
    assert all(f["severity"] == "high" for it in high.items for f in it["findings"])
    assert F.RISKY_BRAND not in [i["text"] for i in high.items]     # a warning only
    assert F.RISKY_BRAND in [i["text"] for i in everything.items]
    dates = [i["date"] for i in everything.items]
    assert dates == sorted(dates, reverse=True)                      # newest first
    body = everything.to_dict()
    assert set(body) >= {"format", "posts_scanned", "posts_flagged", "by_category", "items"}
    assert body["posts_flagged"] == len(body["items"])
    assert set(body["items"][0]) >= {"platform", "kind", "date", "url", "text", "findings"}
    assert {"start_utf16", "end_utf16", "message", "rule_id"} <= set(body["items"][0]["findings"][0])
    json.dumps(body)


def test_extension_report_assets_are_the_servers():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for name in ("report.js", "report.css"):
        assert (root / "extension" / "audit" / name).read_bytes() == \
            (root / "server" / "audit" / "assets" / name).read_bytes(), name


@pytest.mark.parametrize("name,files", [
    ("x", ["data/tweets.js"]),
    ("facebook_new", ["your_activity_across_facebook/posts/your_posts__check_ins__photos_and_videos_1.json",
                      "your_activity_across_facebook/comments_and_reactions/comments.json"]),
    ("facebook_old", ["posts/your_posts_1.json", "comments/comments.json"]),
    ("instagram_new", ["your_instagram_activity/content/posts_1.json",
                       "your_instagram_activity/comments/post_comments_1.json",
                       "your_instagram_activity/threads/threads_and_replies.json"]),
    ("tiktok_new", ["user_data_tiktok.json"]), ("linkedin", ["Shares.csv", "Comments.csv"]),
    ("youtube", ["Takeout/YouTube and YouTube Music/comments/comments.csv"]),
    ("whatsapp_ios", ["_chat.txt"]), ("csv", ["unggahan.csv"]), ("jsonl", ["posts.jsonl"]),
])
def test_one_export_file_on_its_own(tmp_path, name, files):
    expected = F.BUILDERS[name](tmp_path / "export")
    for rel in files:
        fmt, posts, skipped = read_posts(tmp_path / "export" / rel, expected.get("author"))
        assert posts, rel
        assert fmt in (expected["format"], "csv"), rel
