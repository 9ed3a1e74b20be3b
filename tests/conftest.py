"""Shared fixtures: one Analyzer for the session, and a real `saring serve` process."""

from __future__ import annotations

import json
import os
import tempfile

import pytest

from saring_testlib import ROOT, SHARED, LiveServer, free_port, start_server, stop_server  # noqa: F401

# Keep every test (and every `saring serve` it starts) away from this machine's real
# configuration files and the user's data folder (logs, statistics): see server/config.py.
os.environ.setdefault("SARING_MACHINE_CONFIG", "")
os.environ.setdefault("SARING_USER_CONFIG", "")
os.environ.setdefault("SARING_DATA_DIR", tempfile.mkdtemp(prefix="saring-test-data-"))


@pytest.fixture(scope="module")
def own_rows(request):
    """The labelled posts we wrote for the test module's category (its module-level ``CAT``)."""
    path = ROOT / "tests" / "data" / f"{request.module.CAT}_posts.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def analyzer():
    from nlp import Analyzer

    return Analyzer()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("serve"))
    yield server
    stop_server(server)
