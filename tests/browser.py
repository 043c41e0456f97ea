"""Settings shared by the tests that drive Debian's Chromium with Playwright.

The browser is the one ``apt-get install chromium`` puts at /usr/bin/chromium; a browser
download (``playwright install``) is never used. Screenshots go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
SCREENSHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
MISSING = "Debian chromium is not installed (apt-get install chromium fonts-noto-cjk)"
