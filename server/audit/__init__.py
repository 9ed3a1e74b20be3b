"""``saring audit``: check years of past posts from the platforms' own data exports.

    from server.audit import AuditOptions, run_audit
    result = run_audit("twitter-2024.zip", AuditOptions(min_severity="warning"))

Pieces: ``archive`` (safe, streaming access to a zip, folder or file), ``formats/`` (one
parser per platform export), ``jsonstream`` (big JSON one record at a time), ``runner``
(batches through ``Analyzer.check_many``, optional worker processes), ``report`` (the
self-contained HTML report), ``cli`` (``saring audit``), ``http`` (``POST /v1/audit`` for the
extension's "Periksa arsip" page). Formats and their sources: ``docs/audit.md``.
"""

from .errors import AuditError, AuthorRequired
from .runner import AuditOptions, AuditResult, run_audit

__all__ = ["AuditError", "AuthorRequired", "AuditOptions", "AuditResult", "run_audit"]
