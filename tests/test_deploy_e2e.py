"""Issue 6 "done when", end to end, as a new IT administrator would do it on Linux:

build the offline bundle → install it into a fresh venv with pip unable to reach any index →
install the user service unit (verified with systemd-analyze) → start `saring serve` from that
venv → a post endorsing a made-up local candidate gets no finding → the configuration adds the
candidate → the same post is flagged within seconds, without a restart → the configuration is
broken → the server still answers with the last good rules, /v1/health reports the problem, and
`saring config check` exits non-zero with a plain-language message → `saring doctor` says what to
fix, then all good once the file is fixed. Logs never contain the post.

One bundle build per test session (downloads wheels from PyPI, uses pip's cache), started in
the background when the session begins (see ``prepare_in_background``). Set SARING_BUNDLE_DIR
to reuse a bundle already built by scripts/build_bundle.py.
Measured numbers go to bench_results/deploy_e2e.json.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PY_TAG = f"cp{sys.version_info[0]}{sys.version_info[1]}"
LINUX_TARGET = f"linux-{PY_TAG}"
CANDIDATE = "Wiratmo Sudibyo"
# a well-wisher's "lanjutkan": only the configured name makes it a finding (the model reads
# "Mantap pak …, lanjutkan!" alone as support, 0.71 against its 0.7 for short posts)
POST = f"Semoga sehat selalu pak {CANDIDATE}, lanjutkan 🙏"
METRICS: dict = {}

# pip must not reach any index: --no-index, plus an index and proxies that go nowhere.
OFFLINE_ENV = {"PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_NO_INDEX": "1",
               "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
               "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
               "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_CONFIG_FILE": os.devnull}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _build_bundle(out: Path) -> Path:
    started = time.monotonic()
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_bundle.py"), "--target", LINUX_TARGET,
                        "--target", "windows-cp312", "--out", str(out)], capture_output=True, text=True,
                       timeout=1800)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    METRICS["bundle_build_s"] = round(time.monotonic() - started, 1)
    METRICS["bundle_mb"] = round(sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6, 1)
    METRICS["bundle_wheels"] = len(list(out.glob("*.whl")))
    return out


def _install(bundle: Path, target: Path, cwd: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(target)], check=True, timeout=300)
    started = time.monotonic()
    r = subprocess.run([str(target / "bin" / "pip"), "install", "--no-index", "--find-links", str(bundle), "saring"],
                       capture_output=True, text=True, timeout=900, env={**os.environ, **OFFLINE_ENV}, cwd=cwd)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    METRICS["offline_install_s"] = round(time.monotonic() - started, 1)
    return target


# Building the bundle and installing it take half a minute of pip that needs nothing from the
# other tests: conftest.py starts them in a background thread as soon as the session knows it
# will run this module, and the fixtures below wait for them (the suite's other tests use the
# other core meanwhile).  Run on its own, the module does the same when its fixtures ask.
_prepared: dict = {}


def prepare_in_background(root: Path) -> None:
    if "bundle" in _prepared:
        return
    from concurrent.futures import ThreadPoolExecutor

    prebuilt = os.environ.get("SARING_BUNDLE_DIR")
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="saring-e2e")
    bundle = pool.submit(lambda: Path(prebuilt) if prebuilt else _build_bundle(root / "bundle" / "saring-bundle"))
    (root / "machine").mkdir(parents=True, exist_ok=True)
    (root / "cwd").mkdir(parents=True, exist_ok=True)
    venv = pool.submit(lambda: _install(bundle.result(), root / "machine" / "opt-saring", root / "cwd"))
    pool.shutdown(wait=False)
    _prepared.update(bundle=bundle, venv=venv)


@pytest.fixture(scope="session")
def bundle(tmp_path_factory) -> Path:
    prepare_in_background(tmp_path_factory.mktemp("e2e"))
    return _prepared["bundle"].result()


@pytest.fixture(scope="session")
def venv(bundle) -> Path:
    return _prepared["venv"].result()


def write_metrics():
    out = ROOT / "bench_results"
    out.mkdir(exist_ok=True)
    path = out / "deploy_e2e.json"
    old = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**old, **METRICS}, indent=2) + "\n")


def test_bundle_contents(bundle):
    names = {p.name for p in bundle.iterdir()}
    assert {"INSTALL.txt", "SHA256SUMS", "bundle.json", "service", "config"} <= names
    assert any(n.startswith("saring-") and n.endswith(".whl") for n in names)
    assert any(n.startswith("spacy-") and "win_amd64" in n for n in names)
    assert any(n.startswith("spacy-") and "manylinux" in n and PY_TAG in n for n in names)
    assert any(n.startswith("colorama-") for n in names)  # Windows-only dependency of click
    assert (bundle / "service" / "linux" / "install.sh").exists()
    assert (bundle / "service" / "windows" / "install.ps1").exists()
    assert (bundle / "config" / "saring.example.toml").exists()
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_bundle.py"), "--check", str(bundle),
                        "--target", LINUX_TARGET, "--target", "windows-cp312"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout
    # the example configuration is valid
    from server.config import check_file

    assert check_file(bundle / "config" / "saring.example.toml") == ([], [])


def test_installed_from_bundle_not_from_source(venv):
    r = subprocess.run([str(venv / "bin" / "python"), "-c", "import server, nlp; print(server.__file__, nlp.__file__)"],
                       capture_output=True, text=True, cwd="/", timeout=120)
    assert r.returncode == 0 and str(ROOT) not in r.stdout and str(venv) in r.stdout
    r = subprocess.run([str(venv / "bin" / "saring"), "--version"], capture_output=True, text=True, timeout=120)
    from nlp import __version__

    assert r.returncode == 0 and __version__ in r.stdout


def test_user_service_unit_for_the_installed_program(venv, tmp_path):
    units = tmp_path / "systemd-user"
    r = subprocess.run(["sh", str(ROOT / "scripts" / "service" / "linux" / "install.sh"), "--exec",
                        str(venv / "bin" / "saring"), "--unit-dir", str(units), "--no-systemctl"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    unit = units / "saring.service"
    assert f"ExecStart={venv / 'bin' / 'saring'} serve" in unit.read_text()
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze not installed")
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    r = subprocess.run(["systemd-analyze", "--user", "verify", str(unit)], capture_output=True, text=True,
                       timeout=60, env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)})
    assert r.returncode == 0 and r.stderr.strip() == "", r.stderr


class Server:
    def __init__(self, venv: Path, home: Path, config: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "SARING_MACHINE_CONFIG": str(home / "etc" / "saring.toml"),
                    "SARING_USER_CONFIG": str(home / "user" / "saring.toml"),
                    "SARING_DATA_DIR": str(home / "data")}
        self.venv, self.home = venv, home
        self.out = open(home / "stdout.log", "wb")
        # Start exactly what the user service would: the ExecStart line of the unit install.sh writes
        # (systemd itself does not run in the test container).
        units = home / "systemd-user"
        r = subprocess.run(["sh", str(ROOT / "scripts" / "service" / "linux" / "install.sh"), "--exec",
                            str(venv / "bin" / "saring"), "--port", str(self.port), "--config", str(config),
                            "--unit-dir", str(units), "--no-systemctl"], capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        exec_start = next(line.split("=", 1)[1] for line in (units / "saring.service").read_text().splitlines()
                          if line.startswith("ExecStart="))
        self.command = shlex.split(exec_start)
        assert self.command == [str(venv / "bin" / "saring"), "serve", "--port", str(self.port), "--config", str(config)]
        self.proc = subprocess.Popen(self.command, cwd=home, env=self.env, stdout=self.out, stderr=subprocess.STDOUT)

    def call(self, method, path, body=None, timeout=10):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"} if data else {})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"null")

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, (self.home / "stdout.log").read_text()
            try:
                if self.call("GET", "/v1/health", timeout=1)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError("server did not start")

    def findings(self) -> list[dict]:
        status, body = self.call("POST", "/v1/check", {"text": POST})
        assert status == 200
        return body["findings"]

    def flagged(self) -> bool:
        """Flagged by the rule that uses the organisation's candidate list."""
        return any(f["rule_id"] == "political_neutrality.local_candidate" and f["severity"] in ("warning", "high")
                   and f["text"] == CANDIDATE for f in self.findings())

    def saring(self, *args):
        return subprocess.run([str(self.venv / "bin" / "saring"), *args], capture_output=True, text=True,
                              env=self.env, timeout=120, cwd=self.home)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.out.close()


def touch_write(path: Path, text: str):
    path.write_text(text, encoding="utf-8")


def test_it_admin_scenario(venv, tmp_path):
    home = tmp_path
    config = home / "kantor.toml"
    touch_write(config, '# konfigurasi kantor\n[guard]\nmode = "warn"\n')
    started = time.monotonic()
    srv = Server(venv, home, config)
    try:
        srv.wait_ready()
        METRICS["server_start_s"] = round(time.monotonic() - started, 1)
        status, health = srv.call("GET", "/v1/health")
        assert status == 200 and "config" not in health

        # 1. before: the made-up candidate means nothing to Saring
        assert not [f for f in srv.findings() if f["category"] == "political_neutrality"]

        # 2. IT pushes a configuration naming the candidate: flagged within seconds, no restart
        pid = srv.proc.pid
        touch_write(config, f'# konfigurasi kantor\n[guard]\nmode = "block"\n\n'
                            f'[lexicon.political_neutrality]\ncandidates = ["{CANDIDATE}"]\n'
                            f'hashtags = ["#WiratmoMenang"]\n')
        t0 = time.monotonic()
        while not srv.flagged():
            assert time.monotonic() - t0 < 15, "the new candidate was not picked up within 15 s"
            time.sleep(0.1)
        METRICS["reload_latency_s"] = round(time.monotonic() - t0, 2)
        assert srv.proc.pid == pid and srv.proc.poll() is None
        assert srv.call("GET", "/v1/settings")[1]["guard_mode"] == "block"

        # 3. a broken file: the server keeps answering with the last good rules and says why
        touch_write(config, f'[lexicon.political_neutrality]\ncandidates = ["{CANDIDATE}"\n')  # missing ]
        t0 = time.monotonic()
        while "config" not in srv.call("GET", "/v1/health")[1]:
            assert time.monotonic() - t0 < 15, "the broken file was not noticed within 15 s"
            time.sleep(0.1)
        status, health = srv.call("GET", "/v1/health")
        assert status == 200 and health["status"] == "ok" and health["config"]["status"] == "error"
        assert any("kantor.toml" in p and "baris" in p for p in health["config"]["problems"])
        assert srv.flagged()  # last good rules
        r = srv.saring("config", "check", str(config))
        assert r.returncode == 1
        assert "GALAT" in r.stdout and "bukan TOML yang valid" in r.stdout and "baris" in r.stdout
        r = srv.saring("doctor", "--port", str(srv.port), "--config", str(config))
        assert r.returncode == 1 and "Perbaiki:" in r.stdout and "menjawab" in r.stdout

        # 4. fixed: the message goes away, doctor is happy
        touch_write(config, f'[guard]\nmode = "block"\n[lexicon.political_neutrality]\ncandidates = ["{CANDIDATE}"]\n')
        t0 = time.monotonic()
        while "config" in srv.call("GET", "/v1/health")[1]:
            assert time.monotonic() - t0 < 15
            time.sleep(0.1)
        assert srv.flagged()
        r = srv.saring("doctor", "--port", str(srv.port), "--config", str(config))
        assert r.returncode == 0, r.stdout
        assert srv.saring("config", "check", str(config)).returncode == 0

        # 5. statistics counted the warning, without the text
        status, stats = srv.call("GET", "/v1/stats?weeks=1")
        assert status == 200 and stats["weeks"][-1]["counts"]["political_neutrality"] >= 1
    finally:
        srv.stop()
    logs = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in (home / "data" / "logs").glob("saring.log*"))
    assert "POST /v1/check 200" in logs and "dimuat ulang" in logs
    assert CANDIDATE not in (home / "data" / "stats.json").read_text()
    assert "Mantap" not in logs and "lanjutkan" not in logs
    write_metrics()
