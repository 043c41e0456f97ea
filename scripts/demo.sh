#!/usr/bin/env bash
# Sets everything up, audits every document in samples/, writes the HTML audit (out/index.html)
# and the JSON results, and prints the terminal summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
VENV="${VENV:-.venv}"
set +e
"$VENV/bin/auditor" check samples/ --out out/ --format html --format json --format xlsx --format terminal
code=$?
set -e
echo
echo "HTML audit: $(pwd)/out/index.html  (exit code $code: 0 = no critical failure, 1 = some report failed a critical rule)"
