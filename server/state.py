"""What a running server holds, typed, in one place.

Flask keeps an extension's state in ``app.extensions[name]``.  Saring keeps one object there,
a ``ServerState`` set up by ``init_app`` (called by ``create_app``), and reads it through the
accessors below: a misspelt attribute fails loudly, where a misspelt string key used to give
``None`` and a quietly missing feature.

- ``settings``: the configuration in force (``LiveConfig`` replaces it on a reload);
- ``analyzer``: an ``AnalyzerHolder`` (a reload swaps the analyzer without a restart);
- ``config_problems``: what ``GET /v1/health`` shows under ``"config"`` (``LiveConfig``
  updates the list in place);
- ``live_config``: the watched configuration files, when the server has them (``saring serve``);
- ``stats``: the local statistics store, when counting is wired in (``saring serve``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask import Flask, current_app

from nlp import Analyzer

if TYPE_CHECKING:  # imported for the annotations only (live.py imports this module)
    from .config import Settings
    from .live import LiveConfig
    from .stats import StatsStore

EXTENSION_KEY = "saring"


class AnalyzerHolder:
    """The analyzer the server is using right now, swappable without a restart.

    A configuration reload builds a new ``Analyzer`` off to the side and swaps it in with one
    assignment; requests in flight finish with the one they started with.
    """

    def __init__(self, analyzer: Analyzer):
        self._analyzer = analyzer
        self._lock = threading.Lock()

    def get(self) -> Analyzer:
        return self._analyzer

    def swap(self, analyzer: Analyzer) -> None:
        with self._lock:
            self._analyzer = analyzer


@dataclass
class ServerState:
    settings: Settings
    analyzer: AnalyzerHolder
    config_problems: list[str] = field(default_factory=list)
    live_config: LiveConfig | None = None
    stats: StatsStore | None = None


def init_app(app: Flask, settings: Settings, analyzer: Analyzer) -> ServerState:
    """Give ``app`` its state (once, from ``create_app``)."""
    state = ServerState(settings=settings, analyzer=AnalyzerHolder(analyzer))
    app.extensions[EXTENSION_KEY] = state
    return state


def server_state(app: Flask | None = None) -> ServerState:
    """The state of ``app``, or of the app handling the current request."""
    return (app if app is not None else current_app).extensions[EXTENSION_KEY]


def current_settings(app: Flask | None = None) -> Settings:
    return server_state(app).settings


def current_analyzer(app: Flask | None = None) -> Analyzer:
    return server_state(app).analyzer.get()


def stats_store(app: Flask | None = None) -> StatsStore | None:
    return server_state(app).stats


def live_config(app: Flask | None = None) -> LiveConfig | None:
    return server_state(app).live_config


def config_problems(app: Flask | None = None) -> list[str]:
    return server_state(app).config_problems
