#!/usr/bin/env bash
# Sets everything up, then runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
VENV="${VENV:-.venv}"
"$VENV/bin/ruff" check auditor tests scripts bench 2>/dev/null || "$VENV/bin/ruff" check auditor tests
exec "$VENV/bin/python" -m pytest "$@"
