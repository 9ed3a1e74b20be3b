"""``saring audit PATH``: check an export archive of past posts.

    saring audit PATH [--html FILE] [--json FILE|-] [--csv FILE] [--since DATE] [--until DATE]
                      [--min-severity info|warning|high] [--author NAME] [--workers N]
                      [--locale id|en] [--categories ids] [--config FILE]

Exit codes: 0 nothing reaches the minimum severity, 1 something does, 2 bad usage or an
unreadable archive (a plain Indonesian message naming the file), 130 interrupted.
Nothing is written anywhere but the files the user names.
"""

from __future__ import annotations

import os
import sys

from nlp import CATEGORIES

from .errors import AuditError, AuthorRequired

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def add_parser(sub, parser_class) -> None:
    p = sub.add_parser("audit", help="periksa arsip unggahan lama (ekspor data platform)",
                       description="Periksa arsip unduhan data (X, Facebook, Instagram/Threads, TikTok, LinkedIn, "
                                   "YouTube, WhatsApp, CSV/JSONL) dan tampilkan unggahan lama yang perlu perhatian. "
                                   "Semua berjalan di komputer ini.")
    p.add_argument("path", help="arsip .zip, folder hasil ekstrak, atau satu berkas")
    p.add_argument("--html", metavar="FILE", help="tulis laporan HTML ke FILE")
    p.add_argument("--json", metavar="FILE", help="tulis hasil JSON ke FILE (- untuk layar)")
    p.add_argument("--csv", metavar="FILE", help="tulis CSV (satu baris per temuan) ke FILE")
    p.add_argument("--since", metavar="DATE", help="hanya unggahan sejak tanggal ini (2019-01-01)")
    p.add_argument("--until", metavar="DATE", help="hanya unggahan sampai tanggal ini (termasuk)")
    p.add_argument("--min-severity", default="warning", choices=["info", "warning", "high"],
                   help="tingkat minimal yang dilaporkan (bawaan warning)")
    p.add_argument("--author", metavar="NAME", help="nama Anda di obrolan WhatsApp (hanya pesan Anda yang diperiksa)")
    p.add_argument("--workers", type=int, default=1, metavar="N", help="jumlah proses pemeriksa (bawaan 1)")
    p.add_argument("--locale", default="id", choices=["id", "en"], help="bahasa laporan dan pesan (bawaan id)")
    p.add_argument("--categories", default=None, help="daftar id kategori dipisah koma")
    p.add_argument("--config", default=None, help="berkas konfigurasi TOML (aturan organisasi)")


def _err(msg: str) -> int:
    print(f"saring audit: {msg}", file=sys.stderr)
    return EXIT_USAGE


def _ask_author(authors: list[str]) -> str | None:
    """Ask on the terminal which sender is the user; None when there is no terminal."""
    if not (sys.stdin and sys.stdin.isatty() and sys.stderr.isatty()):
        return None
    print("Obrolan WhatsApp ini berisi pesan beberapa orang. Mana nama Anda?", file=sys.stderr)
    shown = authors[:20]
    for i, name in enumerate(shown, 1):
        print(f"  {i}. {name}", file=sys.stderr)
    while True:
        try:
            answer = input(f"Nomor (1-{len(shown)}): ").strip()
        except EOFError:
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(shown):
            return shown[int(answer) - 1]
        print("Ketik nomor dari daftar di atas.", file=sys.stderr)


def _check_output(path: str | None, flag: str) -> str | None:
    if not path or path == "-":
        return None
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        return f"folder untuk {flag} tidak ada: {parent}"
    if os.path.isdir(path):
        return f"{flag} harus nama berkas, bukan folder: {path}"
    return None


def _summary(result, names) -> str:
    lines = [f"Saring memeriksa {result.posts_scanned:,} unggahan ({result.format}); "
             f"{result.posts_flagged:,} perlu perhatian.".replace(",", ".")]
    for cat, n in result.by_category.items():
        if n:
            lines.append(f"  {names.get(cat, cat)}: {n}")
    for n, it in enumerate(result.iter_items()):
        if n == 10:
            break
        date = (it["date"] or "tanpa tanggal")[:10]
        text = " ".join(it["text"].split())
        text = text if len(text) <= 70 else text[:69] + "…"
        lines.append(f"  - {date} {it['platform']}: {text}")
    if result.posts_flagged > 10:
        lines.append(f"  … dan {result.posts_flagged - 10} lainnya (simpan laporan lengkap dengan --html FILE)")
    if result.skipped:
        lines.append(f"  {len(result.skipped)} berkas/baris dilewati (rinciannya ada di laporan).")
    return "\n".join(lines)


def cmd_audit(args) -> int:
    from .report import category_names, write_html
    from .runner import AuditOptions, parse_day, run_audit, write_csv, write_json

    for path, flag in ((args.html, "--html"), (args.json, "--json"), (args.csv, "--csv")):
        problem = _check_output(path, flag)
        if problem:
            return _err(problem)
    if args.html == "-" or args.csv == "-":
        return _err("--html dan --csv perlu nama berkas (hanya --json yang boleh '-')")
    if not 1 <= args.workers <= 32:
        return _err("--workers harus 1–32")
    categories = None
    if args.categories:
        categories = [c.strip() for c in args.categories.split(",") if c.strip()]
        unknown = [c for c in categories if c not in CATEGORIES]
        if unknown:
            return _err(f"kategori tidak dikenal: {', '.join(unknown)} (pilihan: {', '.join(CATEGORIES)})")
    try:
        since = parse_day(args.since) if args.since else None
        until = parse_day(args.until, end=True) if args.until else None
    except AuditError as e:
        return _err(e.message)
    if since and until and since >= until:
        return _err("--since harus sebelum --until")
    from ..config import load_layered

    if args.config and not os.path.isfile(args.config):
        return _err(f"berkas konfigurasi tidak ditemukan: {args.config}")
    loaded = load_layered(args.config)
    if not loaded.ok:
        for err in loaded.errors:
            print(f"saring audit: {err}", file=sys.stderr)
        if args.config:
            return EXIT_USAGE
    settings = loaded.settings
    options = AuditOptions(since=since, until=until, min_severity=args.min_severity, author=args.author,
                           workers=args.workers, locale=args.locale, categories=categories,
                           analyzer_config=settings.analyzer if settings else None,
                           since_label=args.since, until_label=args.until)
    from .progress import ProgressBar

    bar = ProgressBar()
    try:
        while True:
            try:
                result = run_audit(args.path, options, progress=bar)
                break
            except AuthorRequired as e:
                bar.done()
                chosen = _ask_author(e.authors)
                if chosen is None:
                    return _err(f"{args.path}: {e.message}")
                options.author = chosen
    except AuditError as e:
        bar.done()
        return _err(e.message)
    except KeyboardInterrupt:
        bar.done()
        print("saring audit: dibatalkan; tidak ada berkas yang ditulis.", file=sys.stderr)
        return EXIT_INTERRUPTED
    bar.done()
    try:
        if args.json:
            if args.json == "-":
                write_json(result, sys.stdout)
            else:
                with open(args.json, "w", encoding="utf-8") as fh:
                    write_json(result, fh)
        if args.csv:
            with open(args.csv, "w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel reads UTF-8
                write_csv(result, fh)
        if args.html:
            with open(args.html, "w", encoding="utf-8") as fh:
                write_html(fh, result.summary(), result.iter_items(), args.locale)
    except OSError as e:
        return _err(f"tidak dapat menulis berkas: {e.filename or ''} ({e.strerror or e})")
    if args.json != "-":
        print(_summary(result, category_names(args.locale)))
        for path, what in ((args.html, "Laporan HTML"), (args.json, "JSON"), (args.csv, "CSV")):
            if path:
                print(f"{what}: {os.path.abspath(path)}")
    return EXIT_FINDINGS if result.posts_flagged else EXIT_CLEAN
