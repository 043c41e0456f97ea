"""The self-check web page in headless Debian Chromium, against a real ``auditor serve``.

Screenshots go to ``artifacts/screenshots/`` (kept by CI as artifacts).
"""

from __future__ import annotations

import json
import random
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser import CHROMIUM, MISSING, SCREENSHOTS
from tests.variants import to_docx

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SEED_002 = ROOT / "samples" / "002_750ab5ebf1f3b941.txt"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

if not CHROMIUM.exists():
    pytest.skip(MISSING, allow_module_level=True)
pytest.importorskip("uvicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``auditor serve`` on a free local port, in its own process."""
    port = free_port()
    log = (tmp_path_factory.mktemp("serve") / "serve.log").open("w")
    command = [sys.executable, "-m", "auditor", "serve", "--port", str(port), "--workers", "2"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"auditor serve did not start; see {log.name}") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def open_page(browser: Browser, base: str) -> tuple[Page, list[str]]:
    """The upload page; the list collects script errors and requests leaving the server."""
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "request",
        lambda r: None if r.url.startswith((base, "data:", "blob:")) else problems.append(r.url),
    )
    page.goto(base + "/")
    return page, problems


def shot(page: Page, name: str, full: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full)


def test_upload_docx_and_see_the_audit(browser: Browser, server: str) -> None:
    page, problems = open_page(browser, server)
    assert page.locator("h1").first.inner_text() == "年度报告自查"
    shot(page, "web-upload.png")
    docx = to_docx(SEED_002.read_text(encoding="utf-8"))
    page.set_input_files(
        "#file", files=[{"name": "草稿.docx", "mimeType": DOCX_MIME, "buffer": docx}]
    )
    assert "草稿.docx" in page.locator("#chosen").inner_text()
    with page.expect_navigation():
        page.click("#submit")
    score = page.locator("#score").inner_text()
    assert float(score) > 0
    fee_rules = page.locator("#cat-fees article.st-fail")
    assert fee_rules.count() >= 1
    assert fee_rules.first.locator(".message").inner_text().strip()
    assert page.locator(".original mark").count() > 0  # evidence marked in the report's text
    shot(page, "web-result.png")
    shot(page, "web-result-full.png", full=True)
    with page.expect_download() as download:
        page.click("#download-json")
    result = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert result["document"]["format"] == "docx"
    assert any(f["category"] == "fees" and f["status"] == "fail" for f in result["findings"])
    with page.expect_download() as download:
        page.click("#download-excel")
    assert download.value.suggested_filename == "草稿-审查结果.xlsx"
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"
    assert problems == []
    page.close()


def test_garbage_upload_shows_the_chinese_message(browser: Browser, server: str) -> None:
    page, problems = open_page(browser, server)
    garbage = random.Random(7).randbytes(5000)
    page.set_input_files(
        "#file", files=[{"name": "报告.docx", "mimeType": DOCX_MIME, "buffer": garbage}]
    )
    with page.expect_navigation():
        page.click("#submit")
    message = page.locator("#error-message").inner_text()
    assert "二进制文件" in message and "docx" in message.lower()
    assert page.locator("#upload-form").is_visible()  # the user can try again at once
    shot(page, "web-error.png")
    assert [p for p in problems if "status of 415" not in p] == []  # the 415 is the answer
    page.close()


def test_pasted_text_and_an_empty_submit(browser: Browser, server: str) -> None:
    page, problems = open_page(browser, server)
    page.click("#submit")  # nothing chosen: the page says so without a round trip
    assert "请选择" in page.locator("#client-error").inner_text()
    page.fill("#text", SEED_002.read_text(encoding="utf-8"))
    page.select_option("#issuer_type", "department")
    with page.expect_navigation():
        page.click("#submit")
    assert page.locator("#cat-fees article.st-fail").count() >= 1
    assert problems == []
    page.close()
