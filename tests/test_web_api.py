"""The web service's HTTP API and pages, through FastAPI's TestClient (real worker processes)."""

from __future__ import annotations

import asyncio
import base64
import json
import random
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("multipart")

from fastapi.testclient import TestClient

from auditor.web.app import create_app
from auditor.web.settings import Settings
from auditor.web.worker import JobTimeout, WorkerPool
from tests.variants import to_docx

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEED_002 = SAMPLES / "002_750ab5ebf1f3b941.txt"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(workers=2, timeout=60))) as c:
        yield c


@pytest.fixture(scope="module")
def small_client() -> Iterator[TestClient]:
    """A server taking uploads of at most 16 KB."""
    with TestClient(create_app(Settings(workers=1, max_upload_mb=1 / 64))) as c:
        yield c


def seed_text() -> str:
    return SEED_002.read_text(encoding="utf-8")


def failing_categories(result: dict) -> set[str]:
    return {f["category"] for f in result["findings"] if f["status"] == "fail"}


def assert_chinese_error(response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert CJK.search(body["detail"]), body
    assert "Traceback" not in response.text
    return body["detail"]


def test_seed_002_as_text_misses_the_fee_statement(client: TestClient) -> None:
    response = client.post("/api/audit", data={"text": seed_text()})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["status"] == "audited"
    assert "fees" in failing_categories(result)
    assert result["score"] is not None


def test_seed_002_as_a_file_misses_the_fee_statement(client: TestClient) -> None:
    files = {"file": (SEED_002.name, SEED_002.read_bytes(), "text/plain")}
    result = client.post("/api/audit", files=files).json()
    assert result["document"]["source"] == SEED_002.name
    assert "fees" in failing_categories(result)


def test_docx_made_from_the_seed_is_audited(client: TestClient) -> None:
    files = {"file": ("草稿.docx", to_docx(seed_text()), "application/octet-stream")}
    response = client.post("/api/audit", files=files, data={"regime": "auto"})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["document"]["format"] == "docx"
    assert "fees" in failing_categories(result)


def test_format_is_read_from_content_not_extension(client: TestClient) -> None:
    files = {"file": ("报告.pdf", to_docx(seed_text()), "application/pdf")}
    result = client.post("/api/audit", files=files).json()
    assert result["document"]["format"] == "docx"


def test_regime_override_is_applied(client: TestClient) -> None:
    result = client.post("/api/audit", data={"text": seed_text(), "regime": "ogi-2021"}).json()
    assert result["document"]["regime"] == "ogi-2021"


def test_garbage_is_refused_and_the_server_keeps_serving(client: TestClient) -> None:
    garbage = random.Random(5).randbytes(4096)
    response = client.post("/api/audit", files={"file": ("报告.docx", garbage)})
    assert response.json()["code"] == "unsupported"
    assert "docx" in assert_chinese_error(response, 415).lower()
    assert client.get("/api/rules").status_code == 200
    assert client.post("/api/audit", data={"text": seed_text()}).status_code == 200


def test_broken_word_file_gets_a_plain_message(client: TestClient) -> None:
    broken = to_docx(seed_text())[:3000]
    response = client.post("/api/audit", files={"file": ("报告.docx", broken)})
    assert response.status_code in (415, 422)
    assert_chinese_error(response, response.status_code)


def test_empty_file_and_empty_form_are_refused(client: TestClient) -> None:
    response = client.post("/api/audit", files={"file": ("空.txt", b"")})
    assert "空" in assert_chinese_error(response, 422)
    response = client.post("/api/audit", data={"text": "   "})
    assert assert_chinese_error(response, 422)
    response = client.post("/api/audit", data={"text": "x", "issuer_type": "城市"})
    assert "issuer_type" in assert_chinese_error(response, 422)


def test_oversize_upload_gets_413_in_json_and_on_the_page(small_client: TestClient) -> None:
    big = seed_text().encode("utf-8") * 3  # about 37 KB
    response = small_client.post("/api/audit", files={"file": ("大.txt", big)})
    assert "上限" in assert_chinese_error(response, 413)
    page = small_client.post("/audit", files={"file": ("大.txt", big)})
    assert page.status_code == 413
    assert "上限" in page.text and 'id="upload-form"' in page.text
    small = seed_text().encode("utf-8")[:8000]
    assert small_client.post("/api/audit", files={"file": ("小.txt", small)}).status_code == 200


def test_rules_are_listed(client: TestClient) -> None:
    listing = client.get("/api/rules").json()
    assert listing["count"] == len(listing["rules"]) > 10
    rule = next(r for r in listing["rules"] if r["category"] == "fees")
    assert {"id", "title", "severity", "basis"} <= set(rule)


def test_upload_page_is_chinese_and_self_contained(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert 'lang="zh-CN"' in page.text and "开始审查" in page.text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page.text)
    assert "default-src 'none'" in page.headers["content-security-policy"]


def test_result_page_shows_score_fee_rule_and_embedded_downloads(client: TestClient) -> None:
    page = client.post("/audit", data={"text": seed_text()})
    assert page.status_code == 200
    assert 'id="score"' in page.text and 'id="cat-fees"' in page.text
    assert 'download="粘贴的文本-审查结果.json"' in page.text
    assert 'download="粘贴的文本-审查结果.xlsx"' in page.text
    payloads = re.findall(r'data-payload="([A-Za-z0-9+/=]+)"', page.text)
    assert len(payloads) == 2
    embedded = json.loads(base64.b64decode(payloads[0]))
    assert "fees" in failing_categories(embedded)
    assert base64.b64decode(payloads[1])[:2] == b"PK"  # an XLSX (zip) file


def test_page_error_refills_the_form(client: TestClient) -> None:
    page = client.post("/audit", data={"text": "年度报告", "regime": "ogi-1999"})
    assert page.status_code == 422
    assert 'id="error-message"' in page.text and "ogi-1999" in page.text
    assert "年度报告</textarea>" in page.text


def test_unknown_address_and_api_docs(client: TestClient) -> None:
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and "没有这个页面" in missing.text
    assert client.get("/api/nothing").json()["code"] == "http"
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/audit" in docs.text and "<script" not in docs.text
    schema = client.get("/openapi.json").json()
    assert "/api/audit" in schema["paths"] and "/api/rules" in schema["paths"]


def test_store_keeps_upload_and_result_only_when_asked(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(workers=1, store=tmp_path))) as c:
        assert (
            c.post("/api/audit", files={"file": ("报告.txt", SEED_002.read_bytes())}).status_code
            == 200
        )
    (folder,) = tmp_path.iterdir()
    assert (folder / "报告.txt").read_bytes() == SEED_002.read_bytes()
    assert "fees" in failing_categories(json.loads((folder / "result.json").read_text("utf-8")))


def test_timeout_answers_504_and_the_server_keeps_serving() -> None:
    with TestClient(create_app(Settings(workers=1, timeout=0.001))) as c:
        for _ in range(2):
            response = c.post("/api/audit", data={"text": seed_text()})
            assert "超时" in assert_chinese_error(response, 504)
        assert c.get("/api/rules").status_code == 200


def test_pool_replaces_a_stuck_worker() -> None:
    async def scenario() -> None:
        pool = WorkerPool(time.sleep, size=1, timeout=0.5, queue_timeout=10)
        await pool.start()
        try:
            with pytest.raises(JobTimeout):
                await pool.run(30)  # sleeps far past the limit
            assert await pool.run(0) is None  # answered by the replacement worker
        finally:
            pool.close()

    asyncio.run(scenario())
