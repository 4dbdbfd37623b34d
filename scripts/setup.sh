#!/usr/bin/env bash
# Create .venv from python3.10 and install exactly the lock file in one pass; `pip check` must pass.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python310() {
  for candidate in python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10 "$HOME"/.pyenv/versions/3.10*/bin/python3.10; do
    if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then
      command -v "$candidate" || echo "$candidate"
      return
    fi
  done
  echo "error: Python 3.10 is needed (Rasa 3.6 runs on nothing newer); install python3.10 and retry" >&2
  exit 1
}

if [ ! -x .venv/bin/python ]; then
  "$(find_python310)" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
.venv/bin/python -m pip check
touch .venv/.installed
