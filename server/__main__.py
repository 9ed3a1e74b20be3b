"""``python -m server ...`` = ``saring ...`` (used by the Windows Scheduled Task with pythonw.exe,
which has no console window)."""

import sys

from .cli import main

sys.exit(main())
