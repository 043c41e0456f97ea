"""Open the batch index and a document page in headless Debian Chromium (never a downloaded one).

Screenshots go to ``artifacts/screenshots/`` (kept by CI as artifacts).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from auditor.api import audit_path, ruleset_for
from auditor.document.reader import read
from auditor.render.html import HtmlWriter
from auditor.render.outputs import summary
from auditor.scoring import FORMULA
from tests.browser import CHROMIUM, MISSING, SCREENSHOTS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
NAMES = [
    "001_huaian-hongze-district-2023.pdf",
    "002_750ab5ebf1f3b941.txt",
    "004_bd982173723fbff0.txt",
]

if not CHROMIUM.exists():
    pytest.skip(MISSING, allow_module_level=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("site")
    ruleset = ruleset_for(())
    info = {"ruleset": {"version": ruleset.version, "hash": ruleset.hash}, "scoring": FORMULA}
    writer = HtmlWriter(out, templates=None, run_info=info)
    rows = []
    for index, name in enumerate(NAMES):
        path = ROOT / "samples" / name
        result = audit_path(path).to_json()
        result["document"].setdefault("original_text", read(path).original)
        row = summary(result)
        row["page"] = writer.write_document(index, result)
        rows.append(row)
    writer.write_index(rows)
    return {"out": out, "rows": rows}


def open_page(browser: Browser, url: str) -> tuple[Page, list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: (
            errors.append(f"network: {r.url}") if not r.url.startswith(("file:", "data:")) else None
        ),
    )
    page.goto(url)
    return page, errors


def test_index_in_browser(browser: Browser, site: dict[str, Any]) -> None:
    page, errors = open_page(browser, (site["out"] / "index.html").as_uri())
    rows = page.locator("#docs tbody tr")
    assert rows.count() == len(NAMES)
    assert page.locator("#filters").is_visible()  # the script ran
    page.fill("#filter-text", "工作总结")
    assert page.locator("#docs tbody tr:visible").count() == 1
    page.fill("#filter-text", "")
    page.click("#docs thead th:nth-child(7)")  # score, ascending: unscored first
    page.click("#docs thead th:nth-child(7)")  # descending
    first = page.locator("#docs tbody tr").first.locator("td").nth(6).inner_text()
    best = max(r["score"] for r in site["rows"] if r["score"] is not None)
    assert first == f"{best:.1f}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "index.png"), full_page=True)
    assert errors == []
    page.close()


def test_document_page_in_browser(browser: Browser, site: dict[str, Any]) -> None:
    row = site["rows"][0]
    page, errors = open_page(browser, (site["out"] / row["page"]).as_uri())
    assert page.locator("#score").inner_text() == f"{row['score']:.1f}"
    assert page.locator("#grade").inner_text() == row["grade"]
    assert page.locator("#findings article.st-fail").count() == len(row["findings"])
    assert page.locator("#tbl-table4 td.broken").count() > 0
    assert page.locator(".original mark").count() > 0
    page.screenshot(path=str(SCREENSHOTS / "document.png"))
    page.click('#f-FMT-T4-SUM a.jump[href^="#cell-"]')
    assert page.locator("#cell-table4-review-total").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "document-full.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(SCREENSHOTS / "document-print.png"))
    assert errors == []
    page.close()


def test_non_report_page_in_browser(browser: Browser, site: dict[str, Any]) -> None:
    row = site["rows"][2]
    page, errors = open_page(browser, (site["out"] / row["page"]).as_uri())
    assert page.locator("#status").inner_text() == "不是年度报告"
    assert "工作总结" in page.locator("#status-message").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "not-a-report.png"))
    assert errors == []
    page.close()
