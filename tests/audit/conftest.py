"""Shared pieces of the archive-check tests: the fixture generators and a session analyzer."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
