"""``Finding`` and ``Report``: what a check returns (shapes fixed by the contract)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .rules import SEVERITY_RANK


@dataclass(frozen=True)
class Finding:
    category: str
    rule_id: str
    severity: str
    start: int  # code points into the original text
    end: int
    text: str  # == original[start:end]
    message: str
    suggestion: str | None = None
    basis: str | None = None
    count: int = 1  # how many times this rule fired on this same word in the post (repeats merged)
    # one-click fixes, each replacing `text` (nlp/fixes.py); empty when none keeps the meaning
    replacements: tuple[str, ...] = ()

    def to_dict(self, utf16: "Utf16Index | None" = None) -> dict:
        # built by hand: dataclasses.asdict deep-copies every field (~10x slower, per finding
        # per request)
        d = {"category": self.category, "rule_id": self.rule_id, "severity": self.severity,
             "start": self.start, "end": self.end, "text": self.text, "message": self.message,
             "suggestion": self.suggestion, "basis": self.basis,
             "replacements": list(self.replacements)}
        if self.count > 1:  # optional, additive: present only for a merged repeat
            d["count"] = self.count
        if utf16 is not None:
            d["start_utf16"] = utf16(self.start)
            d["end_utf16"] = utf16(self.end)
        return d


class Utf16Index:
    """Code-point offset → UTF-16 code-unit offset (what JavaScript strings count).

    Characters outside the Basic Multilingual Plane (most emoji) take two UTF-16 units,
    so every offset after one of them shifts by one.
    """

    def __init__(self, text: str):
        self._astral = [i for i, c in enumerate(text) if ord(c) > 0xFFFF]

    def __call__(self, offset: int) -> int:
        if not self._astral:
            return offset
        # number of astral characters strictly before `offset`
        lo, hi = 0, len(self._astral)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._astral[mid] < offset:
                lo = mid + 1
            else:
                hi = mid
        return offset + lo


@dataclass
class Report:
    text: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def max_severity(self) -> str:
        best = "none"
        for f in self.findings:
            if SEVERITY_RANK[f.severity] > SEVERITY_RANK[best]:
                best = f.severity
        return best

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for f in self.findings:
            counts[f.category] = counts.get(f.category, 0) + 1
        return counts

    def flagged(self, category: str | None = None) -> bool:
        """True when a finding (of ``category``) is ``warning`` or ``high``: what evaluation counts."""
        return any(
            SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warning"] and (category is None or f.category == category)
            for f in self.findings
        )

    def to_dict(self) -> dict:
        index = Utf16Index(self.text)
        return {
            "findings": [f.to_dict(index) for f in self.findings],
            "summary": {"max_severity": self.max_severity, "counts": self.counts},
        }
