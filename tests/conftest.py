"""Shared fixtures: one Analyzer for the session, and a real `saring serve` process."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

from saring_testlib import ROOT, SHARED, LiveServer, free_port, run_cli, start_server, stop_server  # noqa: F401

# Keep every test (and every `saring serve` it starts) away from this machine's real
# configuration files and the user's data folder (logs, statistics): see server/config.py.
os.environ.setdefault("SARING_MACHINE_CONFIG", "")
os.environ.setdefault("SARING_USER_CONFIG", "")
os.environ.setdefault("SARING_DATA_DIR", tempfile.mkdtemp(prefix="saring-test-data-"))


def pytest_collection_finish(session):
    """The offline bundle of test_deploy_e2e.py (build, then install into a fresh venv: half a
    minute of pip) starts at once in a background thread when the session will run that module,
    instead of when its first test is reached."""
    e2e = next((item.module for item in session.items
                if getattr(item, "module", None) is not None and item.module.__name__.endswith("test_deploy_e2e")), None)
    if e2e is not None:
        factory = getattr(session.config, "_tmp_path_factory", None)  # tmp_path_factory's, before any fixture
        e2e.prepare_in_background(factory.mktemp("e2e") if factory else Path(tempfile.mkdtemp(prefix="saring-e2e-")))


@pytest.fixture(scope="module")
def own_rows(request):
    """The labelled posts we wrote for the test module's category (its module-level ``CAT``)."""
    path = ROOT / "tests" / "data" / f"{request.module.CAT}_posts.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def analyzer():
    from nlp import Analyzer

    return Analyzer()


@pytest.fixture(scope="session")
def rules_only():
    """An Analyzer with the trained model switched off: what the rules alone find."""
    from nlp import Analyzer

    return Analyzer({"model": {"enabled": False}})


@pytest.fixture
def cli(analyzer, monkeypatch):
    """``run_cli`` (``saring ARGS`` in this process).  A command that builds an Analyzer with
    the default configuration gets the session's one: the same rules, built once instead of
    once per command.  Any other configuration builds its own, as the command would."""
    import nlp
    from nlp.analyzer import AnalyzerConfig

    build = nlp.Analyzer

    def analyzer_for(config=None, **kw):
        if not kw and AnalyzerConfig.from_mapping(config) == AnalyzerConfig():
            return analyzer
        return build(config, **kw)

    monkeypatch.setattr(nlp, "Analyzer", analyzer_for)
    return run_cli


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("serve"))
    yield server
    stop_server(server)
