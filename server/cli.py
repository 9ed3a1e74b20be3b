"""``saring``: the command line.

    saring serve [--host H] [--port P] [--config FILE] [--log-level L]
    saring config check FILE | show | paths
    saring rules check FILE…
    saring doctor
    saring stats [--office DIR]
    saring check [TEXT | -] [--json] [--categories ids] [--locale id|en]
    saring audit PATH [--html FILE] [--json FILE] [--csv FILE] [--since D] [--until D] …  (server/audit/cli.py)
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

from .cli_text import LOCALES, cells, detect_locale, t, type_name, use_locale  # noqa: E402


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # exit 2 with a short hint, in the run's language (see cli_text)
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {t('galat', 'error')}: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _int_type():
    def number(value: str) -> int:
        return int(value)

    number.__name__ = type_name("int")
    return number


def _float_type():
    def number(value: str) -> float:
        return float(value)

    number.__name__ = type_name("float")
    return number


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="saring", description=t("Saring sebelum sharing: pemeriksa unggahan media sosial ASN.",
                                             "Saring (filter before you share): a checker for civil servants' "
                                             "social media posts."))
    p.add_argument("--version", action="version", version=f"saring {__version__}")
    p.add_argument("--locale", dest="ui_locale", choices=list(LOCALES), default=None,
                   help=t("bahasa keluaran: id (bawaan) atau en", "output language: id (default) or en"))
    sub = p.add_subparsers(dest="command", metavar=t("PERINTAH", "COMMAND"), parser_class=_Parser)

    serve = sub.add_parser("serve", help=t("jalankan server lokal", "run the local server"))
    serve.add_argument("--host", default=None, help=t("alamat (bawaan 127.0.0.1)", "address (default 127.0.0.1)"))
    serve.add_argument("--port", type=_int_type(), default=None, help=t("port (bawaan 8731)", "port (default 8731)"))
    serve.add_argument("--config", default=None, help=t("berkas konfigurasi TOML", "TOML configuration file"))
    serve.add_argument("--log-level", default=None, choices=["debug", "info", "warning", "error"])
    serve.add_argument("--threads", type=_int_type(), default=16,
                       help=t("thread pekerja waitress (bawaan 16)", "waitress worker threads (default 16)"))
    serve.add_argument("--watch-interval", type=_float_type(), default=2.0,
                       help=t("detik antar-pemeriksaan perubahan berkas konfigurasi (bawaan 2; 0 = tidak dipantau)",
                              "seconds between checks for configuration file changes (default 2; 0 = not watched)"))
    serve.add_argument("--locale", dest="ui_locale", choices=list(LOCALES), default=None, help=argparse.SUPPRESS)

    check = sub.add_parser("check", help=t("periksa satu unggahan", "check one post"))
    check.add_argument("text", nargs="?", default=None,
                       help=t("teks unggahan, atau - untuk membaca stdin", "the post's text, or - to read stdin"))
    check.add_argument("--json", action="store_true", help=t("keluaran JSON", "JSON output"))
    check.add_argument("--categories", default=None,
                       help=t("daftar id kategori dipisah koma", "category ids, separated by commas"))
    check.add_argument("--locale", default="id", choices=list(LOCALES),
                       help=t("bahasa pesan temuan dan keluaran: id (bawaan) atau en",
                              "language of the findings' messages and of the output: id (default) or en"))
    check.add_argument("--config", default=None,
                       help=t("berkas konfigurasi TOML (aturan organisasi)", "TOML configuration file (the organisation's rules)"))

    from .admin import add_parsers  # config check|show|paths, doctor, stats
    from .audit.cli import add_parser as add_audit_parser  # audit PATH (server/audit/)

    add_parsers(sub, _Parser)
    add_audit_parser(sub, _Parser)
    from .rules_cmd import add_parser as add_rules_parser  # rules check

    add_rules_parser(sub, _Parser)
    return p


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


# What the terminal report says, per language.  The severities and labels follow --locale too.
_REPORT = {
    "id": {"high": "TINGGI", "warning": "PERINGATAN", "info": "INFO", "none": "-",
           "header": "Saring menemukan {n} catatan (tertinggi: {top}):", "where": "baris {line}, kolom {col}",
           "reason": "Alasan", "suggestion": "Saran ", "basis": "Dasar ", "repeat": "muncul {n} kali",
           "clean": "✓ Tidak ada catatan. Unggahan ini aman dari sisi aturan yang diperiksa Saring."},
    "en": {"high": "HIGH", "warning": "WARNING", "info": "INFO", "none": "-",
           "header": "Saring found {n} note(s) (highest: {top}):", "where": "line {line}, column {col}",
           "reason": "Reason", "suggestion": "Advice", "basis": "Basis ", "repeat": "appears {n} times",
           "clean": "✓ No findings. Nothing in this post breaks the rules Saring checks."},
}


def format_report(text: str, report, names: dict[str, str], locale: str = "id") -> str:
    words = _REPORT.get(locale, _REPORT["id"])
    if not report.findings:
        return words["clean"]
    lines = [words["header"].format(n=len(report.findings), top=words.get(report.max_severity, report.max_severity)), ""]
    source_lines = [line.rstrip("\r") for line in text.split("\n")]
    for f in report.findings:
        line_no, col = _line_col(text, f.start)
        src_line = source_lines[line_no - 1]
        lines.append(f"[{words[f.severity]}] {names.get(f.category, f.category)} ({f.rule_id})")
        repeat = f" ({words['repeat'].format(n=f.count)})" if getattr(f, "count", 1) > 1 else ""
        lines.append(f"  {words['where'].format(line=line_no, col=col)}: \"{f.text}\"{repeat}")
        if len(src_line) <= 160 and src_line.isprintable():
            # carets under the word: count terminal cells, not code points (emoji and CJK take two)
            before = cells(src_line[:col - 1])
            width = cells(src_line[col - 1:col - 1 + len(f.text)])
            lines.append(f"    {src_line}")
            lines.append("    " + " " * before + "^" * max(1, width))
        lines.append(f"  {words['reason']}: {f.message}")
        if f.suggestion:
            lines.append(f"  {words['suggestion']}: {f.suggestion}")
        if f.basis:
            lines.append(f"  {words['basis']}: {f.basis}")
        lines.append("")
    return "\n".join(lines).rstrip()


def cmd_check(args) -> int:
    from nlp import Analyzer
    from nlp.doctext import replace_lone_surrogates

    if args.text is None or args.text == "-":
        if args.text is None and sys.stdin is not None and sys.stdin.isatty():
            print(t("saring check: beri teks sebagai argumen, atau kirim lewat stdin (saring check - < berkas.txt)",
                    "saring check: give the text as an argument, or send it on stdin (saring check - < file.txt)"),
                  file=sys.stderr)
            return EXIT_USAGE
        raw = sys.stdin.buffer.read() if sys.stdin is not None else b""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            print(t("saring check: masukan bukan teks UTF-8", "saring check: the input is not UTF-8 text"),
                  file=sys.stderr)
            return EXIT_USAGE
    else:
        # A byte that is not UTF-8 in an argument arrives as a lone surrogate (PEP 383): it
        # becomes U+FFFD, as in the server, so every offset stays valid and printing works.
        text = replace_lone_surrogates(args.text)
    if not text.strip() and not args.json:
        # nothing was checked, so nothing is called safe either (exit 0: nothing to warn about)
        print(t("Tidak ada teks untuk diperiksa: teksnya kosong.", "There is no text to check: the text is empty."))
        return EXIT_CLEAN
    categories = None
    if args.categories:
        categories = [c.strip() for c in args.categories.split(",") if c.strip()]
        unknown = [c for c in categories if c not in CATEGORIES]
        if unknown:
            print(t("saring check: kategori tidak dikenal: {u} (pilihan: {c})",
                    "saring check: unknown category: {u} (choices: {c})").format(
                      u=", ".join(unknown), c=", ".join(CATEGORIES)), file=sys.stderr)
            return EXIT_USAGE
    # The same layered configuration as the server: machine-wide, per-user, then --config.
    from .config import load_layered

    if args.config and not os.path.isfile(args.config):
        print(t("saring check: berkas konfigurasi tidak ditemukan: ", "saring check: configuration file not found: ")
              + args.config, file=sys.stderr)
        return EXIT_USAGE
    loaded = load_layered(args.config)
    if not loaded.ok:
        for err in loaded.errors:
            print(f"saring check: {err}", file=sys.stderr)
        if args.config:
            return EXIT_USAGE
        print(t("saring check: konfigurasi bermasalah diabaikan; memakai aturan bawaan",
                "saring check: the broken configuration is ignored; using the built-in rules"), file=sys.stderr)
    settings = loaded.settings
    analyzer = Analyzer(settings.analyzer if settings else None)
    report = analyzer.check(text, categories=categories, locale=args.locale)
    if args.json:
        body = report.to_dict()
        body["version"] = __version__
        print(json.dumps(body, ensure_ascii=False, indent=2))
    else:
        names = {c["id"]: c["name"] for c in analyzer.category_info(args.locale)}
        print(format_report(text, report, names, args.locale))
    return EXIT_FINDINGS if report.flagged() else EXIT_CLEAN


def _port_free(host: str, port: int) -> bool:
    """Whether ``saring serve`` can listen on the port.

    Bound the way waitress binds (``SO_REUSEADDR`` on POSIX): after a crash the old server's
    connections linger in TIME_WAIT for about a minute, and a plain bind would call the port
    taken until they are gone; the restarted service must come back at once.  (On Windows
    ``SO_REUSEADDR`` would let two servers share the port, so it is not set there.)
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        if sys.platform != "win32":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
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
    from .app import create_app
    from .config import data_dir
    from .live import LiveConfig
    from .logsetup import setup_logging
    from .state import server_state
    from .stats import StatsStore

    if args.port is not None and not 1 <= args.port <= 65535:
        print(t("saring serve: --port harus 1–65535", "saring serve: --port must be 1–65535"), file=sys.stderr)
        return EXIT_USAGE
    if not 1 <= args.threads <= 256:
        print(t("saring serve: --threads harus 1–256", "saring serve: --threads must be 1–256"), file=sys.stderr)
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
    stats.start()  # the server records checks: write them out every few seconds and at exit
    server_state(app).stats = stats
    live.start()
    if hasattr(signal, "SIGTERM"):  # systemd/launchd stop: leave through atexit (stats are flushed)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    log.info("Saring %s siap di http://%s:%d", __version__, settings.host, settings.port)
    from .serving import make_server

    make_server(app, host=settings.host.strip("[]"), port=settings.port, threads=args.threads).run()
    return EXIT_CLEAN


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    use_locale(detect_locale(argv))
    for stream in (sys.stdout, sys.stderr):
        # a terminal or pipe that cannot show a character gets "?" instead of a traceback
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):
                pass
    try:
        return _main(argv)
    except BrokenPipeError:
        # "saring check … | head -4": the reader left; say nothing more (and let Python's own
        # flush at exit find a sink that does not complain either)
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        print(t("\ndihentikan.", "\nstopped."), file=sys.stderr)
        return 130


def _main(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    if args.command == "check":
        return cmd_check(args)
    if args.command == "serve":
        return cmd_serve(args)
    if args.command == "audit":
        from .audit.cli import cmd_audit

        return cmd_audit(args)
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
