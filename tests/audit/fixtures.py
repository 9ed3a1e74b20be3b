"""Generators of each platform's export, built from the layouts documented in docs/audit.md.

Every builder writes the export's files under ``root`` (the folder an unpacked archive would
be) and returns what a correct reader must find: the posts' texts per platform and kind.
``zip_dir`` packs a folder as the platform's ``.zip``. The awkward cases are here on purpose:
Facebook's and Instagram's mojibake, X's split parts and HTML entities, WhatsApp's date
formats, 12/24-hour clocks, invisible marks and multi-line messages.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path

# Texts whose verdict the analyzer gives today (tests assert against the analyzer, not these notes).
RISKY_BRAND = "Baru beli Rolex lagi 😎"
RISKY_VOTE = "Ayo coblos nomor 2 di pilkada besok!"
RISKY_CAFE = "Ngopi di Café de Flore, tas Hermès baru dari suami 😍"   # non-ASCII: mojibake in FB/IG
RISKY_CAR = "Mobil dinas saya pakai mudik lebaran ke Solo"
RISKY_PARCEL = "Dapat parcel dari vendor proyek, makasih pak 🙏"
CLEAN_1 = "Pelayanan KTP elektronik buka sampai pukul 15.00"
CLEAN_2 = "Rapat koordinasi penanganan stunting bersama puskesmas"
CLEAN_3 = "Terima kasih warga yang hadir di musrenbang kelurahan"


def ts(y, mo, d, h=9, mi=0):
    return int(datetime(y, mo, d, h, mi, tzinfo=timezone.utc).timestamp())


def mojibake_json(obj) -> str:
    """JSON as Facebook writes it: every UTF-8 byte of a non-ASCII character as its own \\u00XX."""
    def broken(v):
        if isinstance(v, str):
            return v.encode("utf-8").decode("latin-1")
        if isinstance(v, list):
            return [broken(x) for x in v]
        if isinstance(v, dict):
            return {broken(k): broken(x) for k, x in v.items()}
        return v
    return json.dumps(broken(obj), ensure_ascii=True, indent=2)


def _write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")


def zip_dir(root: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(root.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(root).as_posix())
    return out


# ------------------------------------------------------------------ X / Twitter

def _tweet(i, text, y, reply=False):
    tw = {"edit_info": {"initial": {"editTweetIds": [str(i)], "isEditEligible": False}}, "retweeted": False,
          "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
          "entities": {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []},
          "display_text_range": ["0", str(len(text))], "favorite_count": "3", "id_str": str(i), "truncated": False,
          "retweet_count": "0", "id": str(i), "created_at": datetime(y, 7, 14, 9, 12, tzinfo=timezone.utc)
          .strftime("%a %b %d %H:%M:%S +0000 %Y"), "favorited": False,
          "full_text": text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), "lang": "in"}
    if reply:
        tw["in_reply_to_status_id_str"] = "999"
        tw["in_reply_to_screen_name"] = "warga"
    return {"tweet": tw}


def build_x(root: Path, old_name: bool = False) -> dict:
    """data/tweets.js + data/tweets-part1.js (split), account.js, note-tweet.js."""
    part0 = [_tweet(1001, RISKY_BRAND, 2019), _tweet(1002, CLEAN_1 + " & <gratis>", 2020),
             _tweet(1003, RISKY_VOTE, 2023, reply=True)]
    part1 = [_tweet(1004, CLEAN_2, 2018), _tweet(1005, RISKY_PARCEL, 2021)]
    name = "tweet" if old_name else "tweets"
    _write(root / "data" / f"{name}.js", f"window.YTD.{name}.part0 = " + json.dumps(part0, indent=2, ensure_ascii=False))
    _write(root / "data" / f"{name}-part1.js", f"window.YTD.{name}.part1 = " + json.dumps(part1, indent=2, ensure_ascii=False))
    _write(root / "data" / "account.js", "window.YTD.account.part0 = " + json.dumps(
        [{"account": {"email": "budi@example.go.id", "username": "budi_asn", "accountId": "42"}}], indent=2))
    _write(root / "data" / "note-tweet.js", "window.YTD.note_tweet.part0 = " + json.dumps(
        [{"noteTweet": {"noteTweetId": "77", "createdAt": "2024-02-01T10:00:00.000Z",
                        "core": {"text": CLEAN_3 + " " + "Terima kasih. " * 30}}}], indent=2))
    _write(root / "data" / "like.js", "window.YTD.like.part0 = " + json.dumps(
        [{"like": {"tweetId": "5", "fullText": RISKY_CAR}}]))  # someone else's post: not read
    _write(root / "data" / "tweets_media" / "1001-a.jpg", b"\xff\xd8\xff")
    return {"format": "x", "texts": {("x", "post"): [RISKY_BRAND, CLEAN_1 + " & <gratis>", CLEAN_2, RISKY_PARCEL,
                                                      CLEAN_3 + " " + ("Terima kasih. " * 30).strip()],
                                     ("x", "comment"): [RISKY_VOTE]}}


# ------------------------------------------------------------------ Facebook

def _fb_post(text, t):
    return {"timestamp": t, "attachments": [{"data": [{"external_context": {"url": "https://example.org/"}}]}],
            "data": [{"post": text}, {"update_timestamp": t}], "title": "Budi Santoso memperbarui statusnya."}


def _fb_comment(text, t):
    return {"timestamp": t, "data": [{"comment": {"timestamp": t, "comment": text, "author": "Budi Santoso"}}],
            "title": "Budi Santoso mengomentari kiriman Siti Rahayu."}


def build_facebook(root: Path, layout: str = "new") -> dict:
    posts = [_fb_post(RISKY_CAFE, ts(2019, 7, 14)), _fb_post(CLEAN_2, ts(2020, 1, 2)),
             _fb_post(RISKY_CAR, ts(2022, 4, 30)),
             {"timestamp": ts(2021, 1, 1), "attachments": [{"data": [{"media": {"uri": "photos/1.jpg"}}]}]}]  # photo only
    comments = [_fb_comment(RISKY_PARCEL, ts(2021, 3, 3)), _fb_comment("Mantap, semoga lancar 👍", ts(2022, 3, 3))]
    if layout == "new":
        base = root / "your_activity_across_facebook"
        _write(base / "posts" / "your_posts__check_ins__photos_and_videos_1.json", mojibake_json(posts))
        _write(base / "comments_and_reactions" / "comments.json", mojibake_json({"comments_v2": comments}))
        _write(base / "messages" / "inbox" / "siti_1" / "message_1.json", mojibake_json(
            {"messages": [{"content": RISKY_BRAND}]}))  # private messages are not read
    else:
        _write(root / "posts" / "your_posts_1.json", mojibake_json(posts))
        _write(root / "comments" / "comments.json", mojibake_json({"comments": comments}))
    _write(root / "profile_information" / "profile_information.json", mojibake_json({"profile_v2": {"name": "Budi"}}))
    return {"format": "facebook", "texts": {("facebook", "post"): [RISKY_CAFE, CLEAN_2, RISKY_CAR],
                                            ("facebook", "comment"): [RISKY_PARCEL, "Mantap, semoga lancar 👍"]}}


# ------------------------------------------------------------------ Instagram + Threads

def build_instagram(root: Path, layout: str = "new") -> dict:
    posts = [{"media": [{"uri": "media/posts/1.jpg", "creation_timestamp": ts(2019, 8, 1), "title": RISKY_CAFE}]},
             {"media": [{"uri": "a.jpg", "creation_timestamp": ts(2020, 8, 1), "title": ""},
                        {"uri": "b.jpg", "creation_timestamp": ts(2020, 8, 1), "title": ""}],
              "title": CLEAN_1, "creation_timestamp": ts(2020, 8, 1)},
             {"media": [{"uri": "c.jpg", "creation_timestamp": ts(2021, 8, 1), "title": ""}]}]  # no caption
    if layout in ("new", "2024"):
        base = root / "your_instagram_activity"
        _write(base / ("media" if layout == "2024" else "content") / "posts_1.json", mojibake_json(posts))
        _write(base / "media" / "posts" / "202001" / "1.jpg", b"\xff\xd8\xff")
        _write(base / "comments" / "post_comments_1.json", mojibake_json([
            {"media_list_data": [{"uri": ""}], "string_map_data": {
                "Comment": {"value": RISKY_PARCEL}, "Media Owner": {"value": "siti"}, "Time": {"timestamp": ts(2022, 1, 5)}}},
            {"media_list_data": [{"uri": ""}], "string_map_data": {
                "Komentar": {"value": "Keren, café-nya nyaman ☕"}, "Pemilik Media": {"value": "andi"},
                "Waktu": {"timestamp": ts(2022, 2, 5)}}}]))
        _write(base / "threads" / "threads_and_replies.json", mojibake_json({"text_post_app_text_posts": [
            {"media": [{"uri": "", "creation_timestamp": ts(2023, 9, 9), "title": RISKY_VOTE}]},
            {"media": [{"uri": "", "creation_timestamp": ts(2023, 9, 10), "title": CLEAN_3}]}]}))
        expected = {("instagram", "post"): [RISKY_CAFE, CLEAN_1],
                    ("instagram", "comment"): [RISKY_PARCEL, "Keren, café-nya nyaman ☕"],
                    ("threads", "post"): [RISKY_VOTE, CLEAN_3]}
    else:
        _write(root / "content" / "posts_1.json", mojibake_json(posts))
        _write(root / "comments" / "post_comments.json", mojibake_json({"comments_media_comments": [
            {"title": "siti", "string_list_data": [{"value": RISKY_PARCEL, "timestamp": ts(2021, 1, 5)}]}]}))
        expected = {("instagram", "post"): [RISKY_CAFE, CLEAN_1], ("instagram", "comment"): [RISKY_PARCEL]}
    _write(root / "personal_information" / "personal_information.json", mojibake_json({"profile_user": []}))
    return {"format": "instagram", "texts": expected}


# ------------------------------------------------------------------ TikTok

def build_tiktok(root: Path, newer: bool = True) -> dict:
    videos = [{"Date": "2021-05-01 10:11:12", "Link": "https://www.tiktokv.com/share/video/7001/", "Likes": "12",
               ("Title" if newer else "Desc"): RISKY_CAR},
              {"Date": "2022-05-01 10:11:12", "Link": "https://www.tiktokv.com/share/video/7002/", "Likes": "3",
               ("Title" if newer else "Desc"): CLEAN_2},
              {"Date": "2022-06-01 10:11:12", "Link": "https://www.tiktokv.com/share/video/7003/", "Likes": "0"}]
    comments = [{"date": "2023-01-02 03:04:05", "comment": RISKY_BRAND, "photo": "N/A", "url": ""},
                {"date": "2023-01-03 03:04:05", "comment": CLEAN_3, "photo": "N/A", "url": ""}]
    data = {
        "Activity" if not newer else "Your Activity": {
            "Watch History" if newer else "Video Browsing History": {
                "VideoList": [{"Date": "2023-01-01 00:00:00", "Link": f"https://x/{i}"} for i in range(500)]},
            "Like List": {"ItemFavoriteList": [{"date": "2023-01-01", "link": "https://x/1"}]}},
        "Comment": {"Comments": {"CommentsList": comments}},
        ("Post" if newer else "Video"): {("Posts" if newer else "Videos"): {"VideoList": videos}},
        "Direct Message": {"Direct Messages": {"ChatHistory": {"Chat History with siti:": [
            {"Date": "2023-01-01 00:00:00", "From": "siti", "Content": RISKY_PARCEL}]}}},
        "Profile": {"Profile Information": {"ProfileMap": {"userName": "budi", "bioDescription": "ASN"}}},
    }
    _write(root / ("user_data_tiktok.json" if newer else "user_data.json"), json.dumps(data, ensure_ascii=False, indent=2))
    return {"format": "tiktok", "texts": {("tiktok", "post"): [RISKY_CAR, CLEAN_2],
                                          ("tiktok", "comment"): [RISKY_BRAND, CLEAN_3]}}


# ------------------------------------------------------------------ LinkedIn

def _csv(rows_):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows_)
    return buf.getvalue()


def build_linkedin(root: Path) -> dict:
    multi = "Alhamdulillah, terima kasih \"tim hebat\" kami.\n\n" + RISKY_PARCEL + "\n#kinerja"
    _write(root / "Shares.csv", _csv([["Date", "ShareLink", "ShareCommentary", "SharedUrl", "MediaUrl", "Visibility"],
                                      ["2022-03-04 05:06:07", "https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A1",
                                       multi, "", "", "MEMBER_NETWORK"],
                                      ["2023-03-04 05:06:07", "https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A2",
                                       CLEAN_1, "", "", "MEMBER_NETWORK"],
                                      ["2023-03-05 05:06:07", "https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A3",
                                       "", "https://example.org", "", "MEMBER_NETWORK"]]))
    _write(root / "Comments.csv", _csv([["Date", "Link", "Message"],
                                        ["2021-01-02 03:04:05", "https://www.linkedin.com/feed/update/urn:li:activity:9",
                                         RISKY_BRAND]]))
    _write(root / "Connections.csv", _csv([["First Name", "Last Name", "Company", "Position"],
                                           ["Siti", "Rahayu", "Pemkot", "Kepala Bidang"]]))
    _write(root / "messages.csv", _csv([["CONVERSATION ID", "FROM", "TO", "DATE", "CONTENT"], ["1", "a", "b", "c", RISKY_CAR]]))
    return {"format": "linkedin", "texts": {("linkedin", "post"): [multi, CLEAN_1],
                                            ("linkedin", "comment"): [RISKY_BRAND]}}


# ------------------------------------------------------------------ YouTube (Google Takeout)

def _segments(text):
    words = text.split(" ")
    half = len(words) // 2
    return ",".join(json.dumps({"text": t}, ensure_ascii=False) for t in
                    (" ".join(words[:half]) + " ", " ".join(words[half:])))


def build_youtube(root: Path, localized: bool = False) -> dict:
    base = root / "Takeout" / ("YouTube dan YouTube Music" if localized else "YouTube and YouTube Music")
    header = (["ID Komentar", "ID Channel", "Stempel Waktu Pembuatan Komentar", "Harga", "ID Komentar Induk", "ID Video",
               "Teks Komentar"] if localized else
              ["Comment ID", "Channel ID", "Comment Create Timestamp", "Price", "Parent Comment ID", "Video ID",
               "Comment Text"])
    rows_ = [header,
             ["UgxAbCdEfGhIjKlMnOp4AaABAg", "UC1234567890abcdefghij", "2021-03-04T05:06:07.123456+00:00", "", "",
              "dQw4w9WgXcQ", _segments(RISKY_VOTE)],
             ["UgyZyXwVuTsRqPoNmLk4AaABAg", "UC1234567890abcdefghij", "2022-03-04T05:06:07+00:00", "", "",
              "abcdefghijk", _segments(CLEAN_2)]]
    folder = "komentar" if localized else "comments"
    _write(base / folder / (f"{folder}.csv"), _csv(rows_))
    _write(base / "history" / "watch-history.html", "<html><body>watched</body></html>")
    return {"format": "youtube", "texts": {("youtube", "comment"): [RISKY_VOTE, CLEAN_2]}}


# ------------------------------------------------------------------ WhatsApp

def build_whatsapp(root: Path, style: str = "android_id") -> dict:
    """style: android_id (31/12/19 21.41 - ), android_us (12/31/19, 9:41 PM - ), ios ([31/12/19 21.41.05] )."""
    me, other = "Budi Santoso", "Siti"
    msgs = [
        (datetime(2019, 12, 31, 21, 41), None, "Pesan dan panggilan dienkripsi secara end-to-end."),
        (datetime(2019, 12, 31, 21, 42), other, "Pak, jadi ke kantor besok?"),
        (datetime(2019, 12, 31, 21, 43), me, RISKY_CAR + "\nNanti saya kabari lagi\nya"),  # multi-line
        (datetime(2020, 1, 13, 8, 5), me, "<Media tidak disertakan>" if style == "android_id" else "<Media omitted>"),
        (datetime(2020, 1, 13, 8, 6), other, RISKY_BRAND),   # someone else's: not checked
        (datetime(2020, 1, 14, 13, 7), me, CLEAN_1),
        (datetime(2020, 1, 15, 23, 59), me, RISKY_PARCEL),
    ]
    lines = []
    for d, who, text in msgs:
        if style == "android_id":
            stamp = d.strftime("%d/%m/%y %H.%M") + " - "
        elif style == "android_us":
            h = d.hour % 12 or 12
            stamp = f"{d.month}/{d.day}/{d:%y}, {h}:{d:%M} {'PM' if d.hour >= 12 else 'AM'} - "
        else:
            stamp = "\u200e[" + d.strftime("%d/%m/%y %H.%M.%S") + "] "
        body = text.split("\n")
        first = f"{stamp}{who}: {body[0]}" if who else f"{stamp}{body[0]}"
        lines.append(first)
        lines.extend(body[1:])
    name = "_chat.txt" if style == "ios" else ("Chat WhatsApp dengan Siti.txt" if style == "android_id"
                                               else "WhatsApp Chat with Siti.txt")
    _write(root / name, "\n".join(lines) + "\n")
    return {"format": "whatsapp", "author": me, "other": other,
            "texts": {("whatsapp", "message"): [RISKY_CAR + "\nNanti saya kabari lagi\nya", CLEAN_1, RISKY_PARCEL]},
            "dates": ["2019-12-31T21:43:00", "2020-01-14T13:07:00", "2020-01-15T23:59:00"]}


# ------------------------------------------------------------------ generic

def build_generic_csv(root: Path) -> dict:
    _write(root / "unggahan.csv", _csv([["tanggal", "platform", "teks", "tautan"],
                                        ["2020-02-02", "facebook", RISKY_BRAND, "https://facebook.com/1"],
                                        ["2020-02-03", "", CLEAN_1, ""]]))
    return {"format": "csv", "texts": {("facebook", "post"): [RISKY_BRAND], ("csv", "post"): [CLEAN_1]}}


def build_generic_jsonl(root: Path) -> dict:
    _write(root / "posts.jsonl", "\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"text": RISKY_VOTE, "created_at": "2024-01-01T10:00:00Z"}, {"text": CLEAN_2}, {"note": "tanpa teks"}]) + "\n")
    return {"format": "jsonl", "texts": {("jsonl", "post"): [RISKY_VOTE, CLEAN_2]}}


BUILDERS = {
    "x": build_x, "x_2019": lambda r: build_x(r, old_name=True),
    "facebook_new": build_facebook, "facebook_old": lambda r: build_facebook(r, "old"),
    "instagram_new": build_instagram, "instagram_old": lambda r: build_instagram(r, "old"),
    "instagram_2024": lambda r: build_instagram(r, "2024"),
    "tiktok_new": build_tiktok, "tiktok_old": lambda r: build_tiktok(r, newer=False),
    "linkedin": build_linkedin, "youtube": build_youtube, "youtube_id": lambda r: build_youtube(r, localized=True),
    "whatsapp_android_id": build_whatsapp, "whatsapp_android_us": lambda r: build_whatsapp(r, "android_us"),
    "whatsapp_ios": lambda r: build_whatsapp(r, "ios"),
    "csv": build_generic_csv, "jsonl": build_generic_jsonl,
}


def build_many_x(root: Path, n: int) -> dict:
    """An X archive of ``n`` posts (every 10th risky), for timing-related tests."""
    texts = [CLEAN_1, CLEAN_2, CLEAN_3, "Musrenbang kelurahan {} berjalan lancar", "Vaksinasi di puskesmas {} hari ini",
             "Pelayanan adminduk keliling ke desa {}", "Rapat evaluasi program {} bersama camat",
             "Terima kasih relawan posyandu {}", "Jadwal pelayanan pajak kendaraan minggu ke-{}", RISKY_CAR]
    tweets = [_tweet(10_000 + i, texts[i % 10].replace("{}", str(i)), 2015 + i % 10) for i in range(n)]
    _write(root / "data" / "tweets.js", "window.YTD.tweets.part0 = " + json.dumps(tweets, ensure_ascii=False))
    return {"format": "x", "count": n, "flagged": n // 10}
