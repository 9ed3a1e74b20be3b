"""The terminal progress bar: count, percentage and ETA on stderr, only when it is a terminal."""

from __future__ import annotations

import sys
import time


class ProgressBar:
    def __init__(self, stream=None, label: str = "Memeriksa"):
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.label = label
        self.started = time.monotonic()
        self.last = 0.0
        self.drawn = False

    def __call__(self, scanned: int, flagged: int, fraction: float | None, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.2:
            return
        self.last = now
        elapsed = now - self.started
        if fraction:
            width = 24
            filled = int(width * fraction)
            bar = "█" * filled + "░" * (width - filled)
            eta = elapsed * (1 - fraction) / fraction if fraction > 0.01 else None
            eta_s = f" sisa ~{int(eta // 60)}:{int(eta % 60):02d}" if eta is not None else ""
            line = f"{self.label} {bar} {fraction * 100:3.0f}%  {scanned:,} unggahan, {flagged:,} perlu perhatian{eta_s}"
        else:
            line = f"{self.label}… {scanned:,} unggahan, {flagged:,} perlu perhatian"
        self.stream.write("\r" + line.replace(",", ".") + "\033[K")
        self.stream.flush()
        self.drawn = True

    def done(self) -> None:
        if self.enabled and self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
