#!/usr/bin/env bash
# Install everything the tests need and run the whole suite: Python packages into ./.venv,
# Debian's chromium (for the real-browser extension tests), the npm packages of the
# browser fixtures (Lexical, Draft.js, Quill, esbuild, web-ext).  Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "Saring needs Python 3.11 or newer (found: $("$PY" --version 2>&1 || echo none))." >&2
  exit 2
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
apt_updated=0
apt_install() {
  if ! command -v apt-get >/dev/null; then return 1; fi
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq && apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

if ! command -v chromium >/dev/null; then
  echo "== installing Debian's chromium for the browser tests" >&2
  apt_install chromium || { echo "chromium is missing and could not be installed (apt-get install chromium)." >&2; exit 2; }
fi
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
  echo "== installing node and npm for the browser fixtures" >&2
  apt_install nodejs npm || { echo "node/npm are missing and could not be installed." >&2; exit 2; }
fi
if [ ! -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ]; then
  apt_install fonts-noto-color-emoji >/dev/null 2>&1 || true  # emoji in the screenshots; tests do not need it
fi
if ! command -v systemd-analyze >/dev/null; then
  apt_install systemd >/dev/null 2>&1 || true  # for verifying the user unit; the test says so if absent
fi

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
echo "== installing Saring and the test packages into .venv" >&2
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'

echo "== installing the browser fixtures' npm packages" >&2
(cd tests/browser/fixtures && npm ci --no-audit --no-fund --loglevel=error)

echo "== running the test suite" >&2
export PATH="$PWD/.venv/bin:$PATH"
exec .venv/bin/python -m pytest tests -p no:cacheprovider "$@"
