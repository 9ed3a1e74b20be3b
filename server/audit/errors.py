"""Errors an audit reports to a person: plain Indonesian, naming the file, never a traceback."""

from __future__ import annotations


class AuditError(Exception):
    """The archive cannot be audited at all (unreadable, not an export, bad option): exit 2."""

    def __init__(self, message: str, code: str = "unreadable_archive"):
        super().__init__(message)
        self.message = message
        self.code = code


class AuthorRequired(AuditError):
    """A WhatsApp chat holds several people's messages: the user must say which are theirs."""

    def __init__(self, authors: list[str]):
        names = ", ".join(authors[:12]) + (" …" if len(authors) > 12 else "")
        super().__init__(
            "Ekspor WhatsApp berisi pesan beberapa orang. Pilih nama Anda sendiri dengan --author "
            f"(nama di ekspor: {names}).", code="author_required")
        self.authors = authors


class SkipFile(Exception):
    """One file inside the archive is skipped (counted and reported), the rest go on."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
