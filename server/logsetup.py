"""Logging: a rotating file in the user's data folder, plus stderr when there is one.

``<data folder>/logs/saring.log``, 1 MB a file, 5 old files kept. Nothing Saring logs contains a
post's text: the access log has method, path, status and duration; errors log exception types
only (see server/errors.py). ``--log-level`` (or ``[server] log_level``) sets the level.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_BYTES = 1_000_000
BACKUPS = 5


def log_file(data_dir: Path) -> Path:
    return Path(data_dir) / "logs" / "saring.log"


def setup_logging(level: str, data_dir: Path | None, console: bool = True) -> Path | None:
    """Configure the ``saring`` and ``waitress`` loggers. Returns the log file (None if it
    could not be opened: then only stderr is used)."""
    root = logging.getLogger("saring")
    root.setLevel(level.upper())
    root.propagate = False
    for h in list(root.handlers):
        root.removeHandler(h)
        h.close()
    fmt = logging.Formatter(FORMAT)
    path = None
    if data_dir is not None:
        path = log_file(data_dir)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fh = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                      encoding="utf-8", delay=True)
            fh.setFormatter(fmt)
            root.addHandler(fh)
        except OSError as exc:
            path = None
            print(f"saring: tidak bisa menulis log ke {log_file(data_dir)}: {exc.strerror or exc}", file=sys.stderr)
    # pythonw.exe (Windows, no console) has sys.stderr = None.
    if console and sys.stderr is not None:
        sh = logging.StreamHandler(sys.stderr)
        sh.setFormatter(fmt)
        root.addHandler(sh)
    waitress = logging.getLogger("waitress")
    waitress.setLevel(logging.WARNING)
    waitress.propagate = False
    for h in list(waitress.handlers):
        waitress.removeHandler(h)
    for h in root.handlers:
        waitress.addHandler(h)
    return path
