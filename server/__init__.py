"""Saring's local HTTP server: a Flask application (``create_app``) served by waitress."""

from .app import create_app

__all__ = ["create_app"]
