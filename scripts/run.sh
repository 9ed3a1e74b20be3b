#!/usr/bin/env bash
# Install Saring into ./.venv and start the server on its defaults (http://127.0.0.1:8731).
# Extra arguments go to `saring serve` (e.g. --port 9000, --config saring.toml).
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "Saring needs Python 3.11 or newer (found: $("$PY" --version 2>&1 || echo none)). Set PYTHON=/path/to/python3.11." >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv || { echo "Could not create a virtual environment (Debian/Ubuntu: apt-get install python3-venv)." >&2; exit 2; }
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
echo "Saring: starting on http://127.0.0.1:8731 (Ctrl+C to stop)" >&2
exec .venv/bin/saring serve "$@"
