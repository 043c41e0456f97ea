"""Where the shipped rule files and report templates live.

In a wheel they are packaged as ``auditor/_data/rules`` and ``auditor/_data/reports``; in a
source checkout they are the top-level ``rules/`` and ``reports/`` folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"cannot find the shipped '{name}' folder next to {_PACKAGE}")


def rules_dir() -> Path:
    """The folder of shipped YAML rule files."""
    return _find("rules")


def reports_dir() -> Path:
    """The folder of shipped Jinja2 report templates."""
    return _find("reports")
