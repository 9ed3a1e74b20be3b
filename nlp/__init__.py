"""Saring's analyzer: checks an Indonesian social-media post for what is risky for a civil servant.

    from nlp import Analyzer
    report = Analyzer().check("Baru beli Rolex 250jt 💎")
    for f in report.findings:
        print(f.category, f.severity, f.text, f.message)
"""

from .analyzer import Analyzer, AnalyzerConfig
from .findings import Finding, Report
from .rules import CATEGORIES, SEVERITIES, RuleError
from .version import __version__

__all__ = ["Analyzer", "AnalyzerConfig", "Finding", "Report", "CATEGORIES", "SEVERITIES", "RuleError", "__version__"]
