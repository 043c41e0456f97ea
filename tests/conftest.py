"""Fixtures shared by several test modules."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import ARGS, CHROMIUM, MISSING

# Rule sets are cached in a temporary folder (set before test modules load rules at import),
# never in the user's own cache.
os.environ["AUDITOR_CACHE_DIR"] = _RULESET_CACHE = tempfile.mkdtemp(prefix="auditor-rules-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_RULESET_CACHE, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright (skips when either is missing)."""
    if not CHROMIUM.exists():
        pytest.skip(MISSING)
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()
