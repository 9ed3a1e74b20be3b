"""The analyzer the server is using right now, swappable without a restart.

A configuration reload builds a new ``Analyzer`` off to the side and swaps it in with one
assignment; requests in flight finish with the one they started with.
"""

from __future__ import annotations

import threading

from nlp import Analyzer


class AnalyzerHolder:
    def __init__(self, analyzer: Analyzer):
        self._analyzer = analyzer
        self._lock = threading.Lock()

    def get(self) -> Analyzer:
        return self._analyzer

    def swap(self, analyzer: Analyzer) -> None:
        with self._lock:
            self._analyzer = analyzer
