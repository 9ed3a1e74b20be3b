"""``saring``: the command line.

    saring serve [--host H] [--port P] [--config FILE] [--log-level L]
    saring config check FILE | show | paths
    saring rules check FILE…
    saring doctor
    saring stats [--office DIR]
    saring check [TEXT | -] [--json] [--categories ids] [--locale id|en]
    saring --version

``check`` exits 0 when there is no finding of severity ``warning`` or above, 1 when there
is, and 2 on bad usage.  Messages for people are in Indonesian.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import sys

from nlp import CATEGORIES, __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
SEVERITY_LABEL = {"high": "TINGGI", "warning": "PERINGATAN", "info": "INFO"}


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # exit 2 with a short Indonesian hint, as argparse does in English
        self.print_usage(sys.stderr)
        print(f"{self.prog}: galat: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="saring", description="Saring sebelum sharing: pemeriksa unggahan media sosial ASN.")
    p.add_argument("--version", action="version", version=f"saring {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    serve = sub.add_parser("serve", help="jalankan server lokal")
    serve.add_argument("--host", default=None, help="alamat (bawaan 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (bawaan 8731)")
    serve.add_argument("--config", default=None, help="berkas konfigurasi TOML")
    serve.add_argument("--log-level", default=None, choices=["debug", "info", "warning", "error"])
    serve.add_argument("--threads", type=int, default=8, help="thread pekerja waitress (bawaan 8)")
    serve.add_argument("--watch-interval", type=float, default=2.0,
                       help="detik antar-pemeriksaan perubahan berkas konfigurasi (bawaan 2; 0 = tidak dipantau)")

    check = sub.add_parser("check", help="periksa satu unggahan")
    check.add_argument("text", nargs="?", default=None, help="teks unggahan, atau - untuk membaca stdin")
    check.add_argument("--json", action="store_true", help="keluaran JSON")
    check.add_argument("--categories", default=None, help="daftar id kategori dipisah koma")
    check.add_argument("--locale", default="id", choices=["id", "en"])
    check.add_argument("--config", default=None, help="berkas konfigurasi TOML (aturan organisasi)")

    from .admin import add_parsers  # config check|show|paths, doctor, stats

    add_parsers(sub, _Parser)
    from .rules_cmd import add_parser as add_rules_parser  # rules check

    add_rules_parser(sub, _Parser)
    return p


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def format_report(text: str, report, names: dict[str, str]) -> str:
    if not report.findings:
        return "✓ Tidak ada catatan. Unggahan ini aman dari sisi aturan yang diperiksa Saring."
    lines = [f"Saring menemukan {len(report.findings)} catatan "
             f"(tertinggi: {SEVERITY_LABEL.get(report.max_severity, report.max_severity)}):", ""]
    for f in report.findings:
        line_no, col = _line_col(text, f.start)
        src_line = text.splitlines()[line_no - 1] if text.splitlines() else text
        lines.append(f"[{SEVERITY_LABEL[f.severity]}] {names.get(f.category, f.category)} ({f.rule_id})")
        lines.append(f"  baris {line_no}, kolom {col}: \"{f.text}\"")
        if len(src_line) <= 160 and "\t" not in src_line:
            lines.append(f"    {src_line}")
            lines.append("    " + " " * (col - 1) + "^" * max(1, min(len(f.text), len(src_line) - col + 1)))
        lines.append(f"  Alasan: {f.message}")
        if f.suggestion:
            lines.append(f"  Saran : {f.suggestion}")
        if f.basis:
            lines.append(f"  Dasar : {f.basis}")
        lines.append("")
    return "\n".join(lines).rstrip()


def cmd_check(args) -> int:
    from nlp import Analyzer

    if args.text is None or args.text == "-":
        if args.text is None and sys.stdin is not None and sys.stdin.isatty():
            print("saring check: beri teks sebagai argumen, atau kirim lewat stdin (saring check - < berkas.txt)",
                  file=sys.stderr)
            return EXIT_USAGE
        raw = sys.stdin.buffer.read() if sys.stdin is not None else b""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            print("saring check: masukan bukan teks UTF-8", file=sys.stderr)
            return EXIT_USAGE
    else:
        text = args.text
    categories = None
    if args.categories:
        categories = [c.strip() for c in args.categories.split(",") if c.strip()]
        unknown = [c for c in categories if c not in CATEGORIES]
        if unknown:
            print(f"saring check: kategori tidak dikenal: {', '.join(unknown)} (pilihan: {', '.join(CATEGORIES)})",
                  file=sys.stderr)
            return EXIT_USAGE
    # The same layered configuration as the server: machine-wide, per-user, then --config.
    from .config import load_layered

    if args.config and not os.path.isfile(args.config):
        print(f"saring check: berkas konfigurasi tidak ditemukan: {args.config}", file=sys.stderr)
        return EXIT_USAGE
    loaded = load_layered(args.config)
    if not loaded.ok:
        for err in loaded.errors:
            print(f"saring check: {err}", file=sys.stderr)
        if args.config:
            return EXIT_USAGE
        print("saring check: konfigurasi bermasalah diabaikan; memakai aturan bawaan", file=sys.stderr)
    settings = loaded.settings
    analyzer = Analyzer(settings.analyzer if settings else None)
    report = analyzer.check(text, categories=categories, locale=args.locale)
    if args.json:
        body = report.to_dict()
        body["version"] = __version__
        print(json.dumps(body, ensure_ascii=False, indent=2))
    else:
        names = {c["id"]: c["name"] for c in analyzer.category_info(args.locale)}
        print(format_report(text, report, names))
    return EXIT_FINDINGS if report.flagged() else EXIT_CLEAN


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        try:
            s.bind((host.strip("[]"), port))
            return True
        except OSError:
            return False


def _limit_malloc_arenas(arenas: int = 2) -> None:
    """Linux (glibc): at most ``arenas`` malloc arenas for the whole process.

    glibc gives threads that allocate at the same time arenas of their own (up to 8 per core)
    and memory freed in one arena is not reused by another.  Checks run one at a time but
    on whichever waitress thread took the request, so with the default the server's memory
    crept up by ~16 MB over 20,000 checks; with two arenas, ~9 MB (scripts/bench.py).
    ``MALLOC_ARENA_MAX`` in the environment, when set, is left to decide.
    """
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
        return
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return
    M_ARENA_MAX = -8
    mallopt(M_ARENA_MAX, arenas)


def cmd_serve(args) -> int:
    from waitress import serve

    from .app import create_app
    from .config import data_dir
    from .live import LiveConfig
    from .logsetup import setup_logging
    from .stats import StatsStore

    if args.port is not None and not 1 <= args.port <= 65535:
        print("saring serve: --port harus 1–65535", file=sys.stderr)
        return EXIT_USAGE
    if args.config and not os.path.isfile(args.config):
        print(f"saring serve: berkas konfigurasi tidak ditemukan: {args.config}", file=sys.stderr)
        return EXIT_USAGE
    # Machine-wide + per-user + --config files, watched and reloaded while running; a broken
    # file never stops the server (it keeps the last good configuration, see server/live.py).
    _limit_malloc_arenas()  # before any thread starts
    ddir = data_dir()
    log_path = setup_logging(args.log_level or "info", ddir)
    live = LiveConfig(extra=args.config, data_dir=ddir, interval=args.watch_interval,
                      overrides={"host": args.host, "port": args.port, "log_level": args.log_level})
    settings = live.initial()
    level = args.log_level or settings.log_level
    logging.getLogger("saring").setLevel(level.upper())
    log = logging.getLogger("saring.server")
    if log_path:
        log.info("log: %s", log_path)
    if settings.host not in ("127.0.0.1", "localhost", "::1", "[::1]"):
        log.warning("server terbuka di %s, bukan hanya loopback: pastikan memang diminta TI", settings.host)
    if not _port_free(settings.host, settings.port):
        log.error("port %d di %s sudah dipakai; server tidak dimulai", settings.port, settings.host)
        print(f"saring serve: port {settings.port} di {settings.host} sudah dipakai. "
              f"Mungkin Saring sudah berjalan (cek http://127.0.0.1:{settings.port}/v1/health) "
              f"atau pilih port lain dengan --port.", file=sys.stderr)
        return EXIT_USAGE
    app = create_app(settings)
    live.attach(app)
    stats = StatsStore.from_settings(ddir / "stats.json", settings)
    app.extensions["saring.stats"] = stats
    live.start()
    if hasattr(signal, "SIGTERM"):  # systemd/launchd stop: leave through atexit (stats are flushed)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    log.info("Saring %s siap di http://%s:%d", __version__, settings.host, settings.port)
    serve(app, host=settings.host.strip("[]"), port=settings.port, threads=args.threads, ident="saring",
          _quiet=True)
    return EXIT_CLEAN


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    if args.command == "check":
        return cmd_check(args)
    if args.command == "serve":
        return cmd_serve(args)
    if args.command == "rules":
        from .rules_cmd import dispatch as rules_dispatch

        return rules_dispatch(args, parser)
    from .admin import dispatch

    rc = dispatch(args, parser)
    if rc is not None:
        return rc
    parser.print_help()
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
