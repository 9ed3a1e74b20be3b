"""The repository as a newcomer finds it (issue 12): a plain clone passes, the licence is
there and declared the way packaging tools read it, an sdist is complete for what it holds."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib

import pytest

from saring_testlib import ROOT


def test_measurements_against_shared_skip_with_one_line_reason_without_it(tmp_path):
    """In a plain clone (no ../shared beside it) the measuring tests skip; they do not fail."""
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs",
         "tests/test_category_targets.py", "tests/test_eval_ibrohim.py"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "SARING_SHARED_DIR": str(tmp_path / "no-shared-here")})
    assert r.returncode == 0, r.stdout[-3000:]
    skips = [line for line in r.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(skips) >= 2, r.stdout[-2000:]
    assert all("../shared/" in line for line in skips)


def test_readme_links_stay_inside_the_repository():
    """Links a reader follows on GitHub or in a plain clone must exist there (../shared does not)."""
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if "://" in target or target.startswith("mailto:"):
                continue
            path = (doc.parent / target).resolve()
            assert ROOT in path.parents or path == ROOT, f"{doc.name}: link leaves the repository: {target}"
            assert path.exists(), f"{doc.name}: broken link {target}"


def test_readme_says_shared_data_is_outside_the_clone():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../shared" in text
    assert re.search(r"not part of (this|the) repository", text)


def test_license_file_matches_the_spdx_declaration():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"  # the SPDX string form (the table form is deprecated)
    assert "LICENSE" in project.get("license-files", ["LICENSE"])
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text


@pytest.mark.slow
def test_sdist_is_complete_for_what_it_holds(tmp_path):
    """An sdist either holds what its tests need or leaves the tests out."""
    src = tmp_path / "src"
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, files):
        if (ROOT / rel).is_file():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, src / rel)
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-W", "error::DeprecationWarning:setuptools", "-c",
                        f"from setuptools import build_meta as b; print(b.build_sdist({str(out)!r}))"],
                       cwd=src, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "License classifiers are deprecated" not in r.stderr and "project.license` as a TOML table" not in r.stderr
    sdist = out / r.stdout.strip().splitlines()[-1]
    with tarfile.open(sdist) as tar:
        names = [n.split("/", 1)[1] for n in tar.getnames() if "/" in n]
        pkg_info = tar.extractfile(next(m for m in tar.getmembers() if m.name.endswith("/PKG-INFO"))).read().decode()
    assert "LICENSE" in names
    assert re.search(r"^License-Expression: MIT$", pkg_info, re.M)
    tests = [n for n in names if n.startswith("tests/")]
    if tests:  # then everything they read must be there too
        for needed in ("tests/conftest.py", "tests/saring_testlib.py", "tests/data/flexing_posts.jsonl",
                       "scripts/eval.py", "tests/browser/fixtures/package.json"):
            assert needed in names, f"the sdist holds tests but not {needed}"
    for needed in ("nlp/data/rules/flexing.toml", "nlp/data/money.toml", "server/cli.py", "pyproject.toml"):
        assert needed in names
