"""The FastAPI app: the upload page, the audit page, the JSON API and its offline reference.

Nothing is shared between requests: each audit's result goes straight back to the browser
(downloads are embedded in the page), and uploads are dropped after the response unless
the operator set ``--store``.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.types import Scope

from auditor import __version__
from auditor.results import DocumentResult
from auditor.web import pages
from auditor.web.errors import ErrorBody, WebError, status_message
from auditor.web.headers import PrivateHeaders
from auditor.web.jobs import Job, execute, message_of, unaudited_status, warmup
from auditor.web.limits import BodyLimit
from auditor.web.settings import Settings
from auditor.web.uploads import FORM_SCHEMA, read_job, refill, store, too_large
from auditor.web.worker import JobError, JobTimeout, PoolBusy, WorkerLost, WorkerPool

log = logging.getLogger("auditor.web")

FORM_SLACK = 256 * 1024  # multipart boundaries and the small fields around the file
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in {
        400: "请求格式不正确",
        413: "上传内容超过大小上限",
        415: "文件格式不支持（按内容识别）",
        422: "没有提交内容、文件为空或损坏、无文字层、参数取值无效",
        503: "审查任务过多，请稍后再试",
        504: "审查超时",
    }.items()
}
AUDIT_DESCRIPTION = """上传报告文件（字段 `file`）或粘贴全文（字段 `text`），返回审查结果 JSON
（与命令行 `auditor check --format json` 中每份文档的结构相同）。

文件格式按内容识别：Word（.docx）、PDF、网页（.html）、纯文本（.txt）。
出错时返回 `{"detail": 中文说明, "code": 原因代码}`。"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the worker pool starts with the app and stops with it."""
    settings = settings or Settings()
    templates = str(settings.templates) if settings.templates else None
    pool = WorkerPool(
        functools.partial(execute, templates=templates),
        size=settings.worker_count,
        timeout=settings.timeout,
        queue_timeout=settings.queue_timeout,
        warmup=warmup,
        memory_mb=settings.memory_mb,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await pool.start()
        try:
            yield
        finally:
            pool.close()

    app = FastAPI(
        title="政府信息公开工作年度报告审查",
        version=__version__,
        description="上传年度报告草稿，按条例和格式要求逐条审查。",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.pool = pool

    async def audit(job: Job) -> dict[str, Any]:
        try:
            answer = await pool.run(job)
        except JobTimeout as exc:
            raise WebError(504, str(exc), "timeout") from exc
        except PoolBusy as exc:
            raise WebError(503, str(exc), "busy") from exc
        except WorkerLost as exc:
            raise WebError(422, str(exc), "worker_lost") from exc
        except JobError as exc:
            raise WebError(500, str(exc), "audit_failed") from exc
        result = answer["result"]
        if settings.store is not None:
            await _keep(settings, job, result)
        status = unaudited_status(result)
        if status is not None:
            message = message_of(result)
            if job.text is None:
                message = f"“{job.name}”：{message}"
            raise WebError(status, message, str(result.get("status")))
        return answer

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def upload_form() -> HTMLResponse:
        return HTMLResponse(pages.upload_page(settings))

    @app.post("/audit", response_class=HTMLResponse, include_in_schema=False)
    async def audit_page(request: Request) -> HTMLResponse:
        job: Job | None = None
        try:
            job = await read_job(request, settings, page=True)
            answer = await audit(job)
        except WebError as exc:
            form = refill(job) if job is not None else exc.form
            page = pages.upload_page(settings, error=exc.message, form=form)
            return HTMLResponse(page, status_code=exc.status)
        return HTMLResponse(answer["page"])

    @app.post(
        "/api/audit",
        summary="审查一份报告",
        description=AUDIT_DESCRIPTION,
        responses={200: {"model": DocumentResult, "description": "审查结果"}, **ERRORS},
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {"schema": FORM_SCHEMA},
                    "application/x-www-form-urlencoded": {"schema": FORM_SCHEMA},
                },
            }
        },
    )
    async def api_audit(request: Request) -> JSONResponse:
        job = await read_job(request, settings, page=False)
        answer = await audit(job)
        return JSONResponse(answer["result"])

    @app.get(
        "/api/rules",
        summary="列出审查规则",
        description="当前规则集的全部规则：编号、标题、类别、严重程度、权重、依据和修改建议。",
        responses={200: {"description": "规则列表"}},
    )
    async def api_rules() -> JSONResponse:
        return JSONResponse(await asyncio.to_thread(rules_listing))

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)  # the pages carry no icon; spare the browser a 404

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    async def api_docs(request: Request) -> HTMLResponse:
        base_url = str(request.base_url).rstrip("/")
        return HTMLResponse(pages.api_docs_page(settings, app.openapi(), base_url))

    _add_error_handlers(app, settings)
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.max_upload_bytes + FORM_SLACK,
        respond=functools.partial(_too_large_response, settings),
    )
    app.add_middleware(PrivateHeaders)
    return app


@functools.lru_cache(maxsize=1)
def rules_listing() -> dict[str, Any]:
    """The shipped rules as JSON (what ``GET /api/rules`` returns)."""
    from auditor.api import ruleset_for

    ruleset = ruleset_for(())
    fields = {
        "id",
        "title",
        "category",
        "severity",
        "weight",
        "kind",
        "basis",
        "message",
        "hint",
        "applies",
    }
    rules = [{k: v for k, v in rule.to_json().items() if k in fields} for rule in ruleset.rules]
    return {
        "ruleset": {"version": ruleset.version, "hash": ruleset.hash},
        "count": len(rules),
        "rules": rules,
    }


async def _keep(settings: Settings, job: Job, result: dict[str, Any]) -> None:
    assert settings.store is not None
    try:
        folder = await asyncio.to_thread(store, settings.store, job, result)
        log.info("stored upload in %s", folder)
    except OSError as exc:
        log.error("could not store the upload in %s: %s", settings.store, exc)


def _wants_json(path: str) -> bool:
    return path.startswith("/api/") or path == "/openapi.json"


def _error_response(
    settings: Settings, path: str, status: int, message: str, code: str
) -> Response:
    if _wants_json(path):
        return JSONResponse({"detail": message, "code": code}, status_code=status)
    if path == "/audit":
        return HTMLResponse(pages.upload_page(settings, error=message), status_code=status)
    return HTMLResponse(pages.error_page(settings, status, message), status_code=status)


def _too_large_response(settings: Settings, scope: Scope) -> Response:
    error = too_large(settings)
    return _error_response(settings, scope["path"], error.status, error.message, error.code)


def _add_error_handlers(app: FastAPI, settings: Settings) -> None:
    async def web_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, WebError)
        return _error_response(settings, request.url.path, exc.status, exc.message, exc.code)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message = status_message(exc.status_code)
        response = _error_response(settings, request.url.path, exc.status_code, message, "http")
        response.headers.update(exc.headers or {})
        return response

    async def invalid_request(request: Request, exc: Exception) -> Response:
        return _error_response(settings, request.url.path, 422, "请求参数不正确", "invalid")

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path, exc_info=exc)
        return _error_response(settings, request.url.path, 500, status_message(500), "internal")

    app.add_exception_handler(WebError, web_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(Exception, server_error)
