"""``saring rules check FILE…``: validate rule files the way the analyzer loads them.

For IT and contributors who edit a category's rule file (``nlp/data/rules/*.toml``) or
``_common.toml``: every mistake is reported at once, Vale-style, one a line as
``FILE:LINE:COL: galat: RULE: problem``, so an editor or CI log jumps to it.  Exit codes as
the other commands: 0 valid, 1 a problem was found, 2 bad usage (no such file).

``lexicon_warnings`` gives ``saring config check`` the same scrutiny for an organisation's
``[lexicon.<category>]`` additions.
"""

from __future__ import annotations

import dataclasses
import sys
import tomllib
from pathlib import Path

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


def add_parser(sub, parser_class) -> None:
    rules = sub.add_parser("rules", help="periksa berkas aturan (TOML) sebelum dipakai")
    rules_sub = rules.add_subparsers(dest="rules_command", parser_class=parser_class)
    chk = rules_sub.add_parser("check", help="periksa satu atau beberapa berkas aturan")
    chk.add_argument("files", nargs="+", metavar="FILE", help="berkas aturan kategori atau _common.toml")


def dispatch(args, parser) -> int:
    if getattr(args, "rules_command", None) == "check":
        return cmd_rules_check(args.files)
    parser.parse_args(["rules", "--help"])
    return EXIT_USAGE


def _problems(path: Path):
    """Problems of one file (``nlp.rules.Problem``), or a usage message."""
    from nlp.rules import Problem, RuleError, load_rule_file, parse_common, toml_problem

    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [toml_problem(path.name, exc)]
    except UnicodeDecodeError:
        return [Problem(path.name, 0, 0, None, "not UTF-8 text")]
    try:
        if "category" not in data and "rules" not in data:
            parse_common(data, path.name, text)  # a lexicon file such as _common.toml
        else:
            load_rule_file(path)
    except RuleError as exc:
        return exc.problems or [Problem(path.name, 0, 0, None, str(exc).removeprefix(path.name + ": "))]
    return []


def cmd_rules_check(files: list[str]) -> int:
    missing = [f for f in files if not Path(f).is_file()]
    if missing:
        for f in missing:
            print(f"saring rules check: berkas tidak ditemukan: {f}", file=sys.stderr)
        return EXIT_USAGE
    total = 0
    for f in files:
        found = _problems(Path(f))
        for p in found:
            p = dataclasses.replace(p, file=f)
            where = f"{p.file}:{p.line}:{p.col}" if p.line else p.file
            rule = f" {p.rule}:" if p.rule else ""
            print(f"{where}: galat:{rule} {p.message}")
        total += len(found)
        if not found:
            print(f"{f}: valid.")
    if total:
        print(f"\n{total} galat. Analyzer menolak memuat berkas aturan yang bergalat: perbaiki dulu "
              f"sebelum dipasang.", file=sys.stderr)
        return EXIT_PROBLEM
    return EXIT_OK


def lexicon_warnings(config_file: str) -> list[str]:
    """Additions in ``[lexicon.<category>]`` of a configuration file that would match nothing
    (``saring config check`` prints them as warnings; the file's own errors come from
    ``server.config``)."""
    from nlp.rules import CATEGORIES, RuleError, lexicon_entry_problems, load_ruleset

    try:
        data = tomllib.loads(Path(config_file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []  # check_file reports it
    out = []
    lexicon = data.get("lexicon")
    for cat, table in (lexicon.items() if isinstance(lexicon, dict) else ()):
        if cat not in CATEGORIES or not isinstance(table, dict):
            continue
        try:
            rs = load_ruleset(cat)
        except RuleError as exc:  # the installed rules themselves are broken
            return [str(exc)]
        for name, entries in table.items():
            if isinstance(entries, list) and all(isinstance(e, str) for e in entries):
                out += lexicon_entry_problems(rs, name, entries)
    return out
