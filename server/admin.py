"""Commands for IT: ``saring config check|show|paths``, ``saring doctor``, ``saring stats``.

Exit codes: 0 all good (warnings allowed), 1 a problem was found, 2 bad usage.
Messages are in Indonesian, in plain language, each problem followed by what to do.
"""

from __future__ import annotations

import json
import socket
import sys
import urllib.error
import urllib.request
from pathlib import Path

from nlp import __version__

from .config import (DEFAULT_PORT, check_file, data_dir, load_layered, machine_config_path,
                     user_config_path)

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


def add_parsers(sub, parser_class) -> None:
    from .cli_text import LOCALES, t

    def locale_option(p):  # every command speaks --locale (cli_text picks it up before parsing)
        p.add_argument("--locale", dest="ui_locale", choices=list(LOCALES), default=None,
                       help=t("bahasa keluaran: id (bawaan) atau en", "output language: id (default) or en"))

    cfg = sub.add_parser("config", help=t("periksa atau tampilkan konfigurasi", "check or show the configuration"))
    locale_option(cfg)
    cfg_sub = cfg.add_subparsers(dest="config_command", metavar=t("PERINTAH", "COMMAND"), parser_class=parser_class)
    chk = cfg_sub.add_parser("check", help=t("periksa satu berkas konfigurasi TOML", "check one TOML configuration file"))
    chk.add_argument("file", help=t("berkas TOML yang diperiksa", "the TOML file to check"))
    chk.add_argument("--user", action="store_true",
                     help=t("periksa sebagai berkas per pengguna ([lock] tidak berlaku)",
                            "check it as a per-user file ([lock] does not apply)"))
    show = cfg_sub.add_parser("show", help=t("tampilkan konfigurasi gabungan yang berlaku",
                                             "show the merged configuration in force"))
    show.add_argument("--config", default=None, help=t("berkas tambahan, seperti pada 'saring serve --config'",
                                                       "an extra file, as for 'saring serve --config'"))
    paths = cfg_sub.add_parser("paths", help=t("tampilkan letak berkas konfigurasi, log dan statistik",
                                               "show where the configuration, log and statistics files are"))
    for p in (chk, show, paths):
        locale_option(p)

    doc = sub.add_parser("doctor", help=t("periksa pemasangan Saring dan sarankan perbaikan",
                                          "check the Saring installation and suggest fixes"))
    doc.add_argument("--config", default=None, help=t("berkas tambahan, seperti pada 'saring serve --config'",
                                                      "an extra file, as for 'saring serve --config'"))
    doc.add_argument("--port", type=int, default=None,
                     help=t("port server (bawaan: dari konfigurasi, atau 8731)",
                            "server port (default: from the configuration, or 8731)"))
    doc.add_argument("--json", action="store_true", help=t("keluaran JSON", "JSON output"))
    locale_option(doc)

    st = sub.add_parser("stats", help=t("statistik peringatan per minggu (tanpa teks)",
                                        "warnings per week (no text)"))
    st.add_argument("--weeks", type=int, default=12, help=t("berapa minggu terakhir (bawaan 12)",
                                                           "how many recent weeks (default 12)"))
    st.add_argument("--office", default=None, metavar="DIR",
                    help=t("jumlahkan berkas statistik yang dibagikan komputer-komputer ke folder DIR",
                           "add up the statistics files that computers share in folder DIR"))
    st.add_argument("--json", action="store_true", help=t("keluaran JSON", "JSON output"))
    locale_option(st)


def dispatch(args, parser) -> int | None:
    if args.command == "config":
        if args.config_command == "check":
            return cmd_config_check(args.file, user=args.user)
        if args.config_command == "show":
            return cmd_config_show(args.config)
        if args.config_command == "paths":
            return cmd_config_paths()
        parser.parse_args(["config", "--help"])
        return EXIT_USAGE
    if args.command == "doctor":
        return cmd_doctor(args)
    if args.command == "stats":
        return cmd_stats(args)
    return None


# ------------------------------------------------------------------------------- config

def cmd_config_check(file: str, user: bool = False) -> int:
    errors, warnings = check_file(file, "user" if user else "machine")
    if not errors:  # additions to the rules' lexicons that would match nothing
        from .rules_cmd import lexicon_warnings

        warnings = list(warnings) + lexicon_warnings(file)
    for e in errors:
        print(f"GALAT: {e}")
    for w in warnings:
        print(f"PERINGATAN: {w}")
    if errors:
        print(f"\n{file}: TIDAK VALID ({len(errors)} galat). Server yang sedang berjalan tetap memakai "
              f"konfigurasi terakhir yang valid sampai berkas ini diperbaiki.")
        return EXIT_PROBLEM
    extra = f", {len(warnings)} peringatan" if warnings else ""
    print(f"{file}: valid{extra}.")
    return EXIT_OK


def cmd_config_show(extra: str | None) -> int:
    result = load_layered(extra)
    for layer in result.layers:
        state = "dipakai" if layer.exists and not layer.errors else ("GALAT" if layer.errors else "tidak ada")
        print(f"# {layer.kind:<8} {layer.path}  [{state}]")
    for e in result.errors:
        print(f"GALAT: {e}", file=sys.stderr)
    for w in result.warnings:
        print(f"PERINGATAN: {w}", file=sys.stderr)
    if not result.ok:
        return EXIT_PROBLEM
    print(json.dumps(result.settings.raw, ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_config_paths() -> int:
    from .logsetup import log_file

    print(f"konfigurasi seluruh komputer (TI): {machine_config_path() or '(tidak dipakai)'}")
    print(f"konfigurasi per pengguna        : {user_config_path() or '(tidak dipakai)'}")
    print(f"folder data pengguna            : {data_dir()}")
    print(f"log                             : {log_file(data_dir())}")
    print(f"statistik                       : {data_dir() / 'stats.json'}")
    return EXIT_OK


# ------------------------------------------------------------------------------- doctor

class DoctorReport:
    """What `saring doctor` found: one item per check (status ok|warning|error, detail, fix)."""

    def __init__(self):
        self.items: list[dict] = []

    def add(self, status: str, check: str, detail: str, fix: str | None = None) -> None:
        self.items.append({"status": status, "check": check, "detail": detail, "fix": fix})

    @property
    def failed(self) -> bool:
        return any(i["status"] == "error" for i in self.items)


LABEL = {"ok": "OK        ", "warning": "PERINGATAN", "error": "GALAT     "}


def _installer(platform: str) -> str:
    """Where this installation's service installer is: the checkout's scripts/service/…, the
    offline bundle's service/… beside the wheels, or the name to look for."""
    script = "install.ps1" if platform == "windows" else "install.sh"
    checkout = Path(__file__).resolve().parent.parent / "scripts" / "service" / platform / script
    if checkout.exists():
        return str(checkout)
    sep = "\\" if platform == "windows" else "/"
    return f"service{sep}{platform}{sep}{script} di folder bundel Saring (scripts/service/{platform}/{script} di salinan sumber)"


def _platform_dir() -> str:
    return "windows" if sys.platform == "win32" else "macos" if sys.platform == "darwin" else "linux"


def _service_hint() -> str:
    if sys.platform == "win32":
        return ('jalankan tugas terjadwal: Start-ScheduledTask -TaskPath "\\Saring\\" -TaskName "Saring Server" '
                f'(atau pasang: {_installer("windows")})')
    if sys.platform == "darwin":
        return f"launchctl kickstart -k gui/$(id -u)/id.saring.server (atau pasang: {_installer('macos')})"
    return (f"systemctl --user restart saring (atau pasang: {_installer('linux')}); "
            "lihat: journalctl --user -u saring")


def _probe(port: int, timeout: float = 2.0) -> tuple[str, dict | None]:
    """('saring', health) | ('other', None) | ('none', None)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            pass
    except OSError:
        return "none", None
    try:
        req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/health", headers={"Accept": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = json.loads(resp.read().decode("utf-8"))
        if isinstance(body, dict) and "version" in body and "rules" in body:
            return "saring", body
    except (urllib.error.URLError, ValueError, OSError):
        pass
    return "other", None


def _service_installed() -> tuple[bool, str]:
    if sys.platform == "win32":
        import subprocess

        try:
            res = subprocess.run(["schtasks", "/Query", "/TN", "\\Saring\\Saring Server"], capture_output=True,
                                 timeout=10)
            return res.returncode == 0, "tugas terjadwal \\Saring\\Saring Server"
        except (OSError, subprocess.SubprocessError):
            return False, "tugas terjadwal \\Saring\\Saring Server"
    if sys.platform == "darwin":
        paths = [Path.home() / "Library/LaunchAgents/id.saring.server.plist",
                 Path("/Library/LaunchAgents/id.saring.server.plist")]
    else:
        import os

        cfg = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
        paths = [cfg / "systemd/user/saring.service", Path("/etc/systemd/user/saring.service")]
    found = [p for p in paths if p.exists()]
    return bool(found), str(found[0] if found else paths[0])


def cmd_doctor(args) -> int:
    rep = DoctorReport()
    rep.add("ok", "versi", f"saring {__version__}, Python {sys.version.split()[0]} ({sys.executable})")
    if sys.version_info < (3, 11):
        rep.add("error", "python", "Saring butuh Python 3.11 atau lebih baru.", "pasang Python 3.11/3.12 lalu buat ulang venv")

    # configuration
    result = load_layered(args.config)
    for layer in result.layers:
        if layer.errors:
            for e in layer.errors:
                rep.add("error", f"konfigurasi ({layer.kind})", e,
                        f"perbaiki berkasnya; periksa dengan: saring config check \"{layer.path}\"")
        elif layer.exists:
            rep.add("ok", f"konfigurasi ({layer.kind})", f"{layer.path} valid")
        else:
            rep.add("ok", f"konfigurasi ({layer.kind})", f"{layer.path} tidak ada (tidak wajib)")
    for w in result.warnings:
        rep.add("warning", "konfigurasi", w, "hapus atau betulkan kunci itu")
    settings = result.settings

    # rule files and the analyzer with the organisation's additions
    try:
        from nlp import Analyzer
        from nlp.rules import load_all_rulesets

        rulesets = load_all_rulesets()
        n_rules = sum(len(rs.rules) for rs in rulesets.values())
        analyzer = Analyzer(settings.analyzer if settings else None)
        rep.add("ok", "berkas aturan", f"{len(rulesets)} kategori, {n_rules} aturan dimuat; "
                                        f"{analyzer.rule_count} aktif dengan konfigurasi ini")
    except Exception as exc:  # any failure here is what the admin needs to see
        rep.add("error", "berkas aturan", f"aturan tidak bisa dimuat: {exc}",
                "pasang ulang Saring dari bundel: pip install --force-reinstall --no-index --find-links BUNDEL saring")

    # data folder
    ddir = data_dir()
    try:
        ddir.mkdir(parents=True, exist_ok=True)
        probe = ddir / ".doctor"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
        rep.add("ok", "folder data", f"{ddir} bisa ditulisi (log: {ddir / 'logs' / 'saring.log'})")
    except OSError as exc:
        rep.add("error", "folder data", f"{ddir} tidak bisa ditulisi: {exc.strerror or exc}",
                "periksa hak akses folder itu, atau atur SARING_DATA_DIR")

    # port and server
    port = args.port or (settings.port if settings else DEFAULT_PORT)
    state, health = _probe(port)
    if state == "saring":
        v = health.get("version")
        if v != __version__:
            rep.add("warning", "server", f"server di port {port} menjawab dengan versi {v}, program ini {__version__}",
                    f"mulai ulang server agar versinya sama: {_service_hint()}")
        else:
            rep.add("ok", "server", f"server di http://127.0.0.1:{port} menjawab (versi {v}, {health.get('rules')} aturan)")
        cfg = health.get("config")
        if cfg:
            for pr in cfg.get("problems", []):
                rep.add("error", "server: konfigurasi", pr, "perbaiki berkas konfigurasi; server memuatnya ulang sendiri")
    elif state == "other":
        rep.add("error", "port", f"port {port} dipakai program lain, bukan Saring",
                f"hentikan program itu, atau pilih port lain di [server] port = ... (ekstensi juga harus diatur ke port itu)")
    else:
        rep.add("error", "server", f"tidak ada server di http://127.0.0.1:{port}", _service_hint())

    installed, where = _service_installed()
    if installed:
        rep.add("ok", "mulai otomatis", f"terpasang: {where}")
    else:
        rep.add("warning", "mulai otomatis", f"tidak ditemukan: {where}",
                f"pasang layanan agar server berjalan saat login: {_installer(_platform_dir())} "
                f"(lihat docs/deploy.md)")

    if getattr(args, "json", False):
        print(json.dumps({"ok": not rep.failed, "checks": rep.items}, ensure_ascii=False, indent=2))
    else:
        for item in rep.items:
            print(f"[{LABEL[item['status']]}] {item['check']}: {item['detail']}")
            if item["fix"] and item["status"] != "ok":
                print(f"             Perbaiki: {item['fix']}")
        print()
        warnings = sum(1 for i in rep.items if i["status"] == "warning")
        if rep.failed:
            print("Ada masalah; lihat baris GALAT di atas.")
        elif warnings:
            print(f"Tidak ada galat, tetapi ada {warnings} peringatan; lihat baris PERINGATAN di atas.")
        else:
            print("Semua baik.")
    return EXIT_PROBLEM if rep.failed else EXIT_OK


# ------------------------------------------------------------------------------- stats

def cmd_stats(args) -> int:
    from nlp import CATEGORIES

    from .stats import StatsStore, office_summary

    if args.office:
        body = office_summary(Path(args.office))
    else:
        store = StatsStore(data_dir() / "stats.json")  # read only: no flusher thread
        body = store.snapshot(max(1, min(args.weeks, 104)))
    if args.json:
        print(json.dumps(body, ensure_ascii=False, indent=2))
        return EXIT_OK
    from nlp.rules import load_all_rulesets

    names = {}
    for cat, rs in load_all_rulesets().items():
        name = rs.meta.get("name", cat)
        names[cat] = (name.get("id") or cat) if isinstance(name, dict) else str(name)
    if args.office:
        print(f"{body['installs']} berkas statistik dijumlahkan")
    if not body.get("enabled", True) and not args.office:
        print("Statistik dimatikan ([stats] enabled = false).")
    weeks = body["weeks"]
    print("Unggahan yang mendapat peringatan, per minggu (Senin–Minggu):")
    totals: dict[str, int] = {}
    for w in weeks:
        counts = {c: n for c, n in w["counts"].items() if n}
        for c, n in counts.items():
            totals[c] = totals.get(c, 0) + n
        detail = ", ".join(f"{names.get(c, c)} {n}" for c, n in sorted(counts.items(), key=lambda kv: -kv[1]))
        total = w.get("total", sum(counts.values()))
        print(f"  {week_label(w['week'])}: " + (f"{total} — {detail}" if total else "0"))
    overall = ", ".join(f"{names.get(c, c)} {n}" for c, n in sorted(totals.items(), key=lambda kv: -kv[1]))
    print(f"Jumlah {len(weeks)} minggu: " + (overall if overall else "tidak ada peringatan"))
    return EXIT_OK


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def week_label(week: str) -> str:
    """'2026-W47' -> '16–22 Nov 2026' (the week's Monday to Sunday, as people say it)."""
    import datetime as dt

    try:
        year, num = week.split("-W")
        monday = dt.date.fromisocalendar(int(year), int(num), 1)
    except ValueError:
        return week
    sunday = monday + dt.timedelta(days=6)
    if monday.year != sunday.year:
        start = f"{monday.day} {_MONTHS[monday.month - 1]} {monday.year}"
    elif monday.month != sunday.month:
        start = f"{monday.day} {_MONTHS[monday.month - 1]}"
    else:
        start = f"{monday.day}"
    return f"{start}–{sunday.day} {_MONTHS[sunday.month - 1]} {sunday.year}"
