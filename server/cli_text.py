"""The command line's own words, in Indonesian (default) or English (``--locale en``).

argparse writes its messages through gettext ("usage:", "the following arguments are
required", "invalid choice" …), which gave half-English errors under an Indonesian prefix.
``use_locale`` points argparse at this table, so every message of one run speaks one
language.  Terminal cells (``cells``) are counted here too: wide characters (CJK, most emoji)
take two cells and combining marks none, so a caret lands under the word it points at.
"""

from __future__ import annotations

import argparse
import unicodedata

LOCALES = ("id", "en")

# argparse's gettext message ids -> Indonesian
_ARGPARSE_ID = {
    "usage: ": "pemakaian: ",
    "positional arguments": "argumen",
    "options": "opsi",
    "optional arguments": "opsi",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "show program's version number and exit": "tampilkan versi program lalu keluar",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "pilihan tidak dikenal: %(value)r (pilihan: %(choices)s)",
    "invalid %(type)s value: %(value)r": "nilai %(type)s tidak valid: %(value)r",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "expected one argument": "butuh satu nilai",
    "expected at most one argument": "paling banyak satu nilai",
    "expected at least one argument": "butuh paling sedikit satu nilai",
    "ambiguous option: %(option)s could match %(matches)s": "opsi ambigu: %(option)s bisa berarti %(matches)s",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "one of the arguments %s is required": "salah satu argumen %s wajib diisi",
    "ignored explicit argument %r": "nilai %r diabaikan",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "perintah tidak dikenal %(parser_name)r (pilihan: %(choices)s)",
    "unexpected option string: %s": "opsi tak terduga: %s",
}
_ARGPARSE_ID_PLURAL = {"expected %s argument": "butuh %s nilai"}
# the type names argparse puts in "invalid %(type)s value"
_TYPE_ID = {"int": "bilangan bulat", "float": "bilangan"}

_state = {"locale": "id"}


def locale() -> str:
    return _state["locale"]


def t(id_text: str, en_text: str) -> str:
    """The text in the run's language."""
    return en_text if _state["locale"] == "en" else id_text


def detect_locale(argv: list[str]) -> str:
    """``--locale en`` / ``--locale=en`` anywhere on the command line (before parsing, so that
    parsing errors speak the same language)."""
    for i, arg in enumerate(argv):
        if arg == "--locale" and i + 1 < len(argv) and argv[i + 1] in LOCALES:
            return argv[i + 1]
        if arg.startswith("--locale=") and arg.split("=", 1)[1] in LOCALES:
            return arg.split("=", 1)[1]
    return "id"


def use_locale(loc: str) -> None:
    _state["locale"] = loc if loc in LOCALES else "id"
    if _state["locale"] == "en":
        argparse._ = lambda s: s  # type: ignore[attr-defined]
        argparse.ngettext = lambda s, p, n: s if n == 1 else p  # type: ignore[attr-defined]
        return

    def _(message: str) -> str:
        return _ARGPARSE_ID.get(message, message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return _ARGPARSE_ID_PLURAL.get(singular, singular if n == 1 else plural)

    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def type_name(name: str) -> str:
    return _TYPE_ID.get(name, name) if _state["locale"] == "id" else name


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes (wcwidth, simplified): wide characters (CJK, most
    emoji) two; combining marks, format characters, variation selectors and skin-tone
    modifiers none; a character joined to an emoji by a zero-width joiner none (👨‍👩‍👧 is one
    picture)."""
    n = 0
    joined = False
    for ch in text:
        if ch == "\u200d":
            joined = True
            continue
        if joined:
            joined = False
            continue
        if (unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf")
                or ch in "\ufe0e\ufe0f" or 0x1F3FB <= ord(ch) <= 0x1F3FF):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n
