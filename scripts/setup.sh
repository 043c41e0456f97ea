#!/usr/bin/env bash
# Sets up everything the auditor and its tests need on a fresh machine:
# Debian packages for the browser tests (when run as root with apt-get), a virtual
# environment in .venv, and the project with all extras and test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 && [ -z "${AUDITOR_SKIP_APT:-}" ]; then
  if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
    echo "== installing Debian packages: chromium fonts-noto-cjk poppler-utils"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk poppler-utils >/dev/null
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "== creating virtual environment $VENV"
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q -U pip
echo "== installing ogi-auditor with all extras and test tools"
"$VENV/bin/pip" install -q -e ".[test]"
