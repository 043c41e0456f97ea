"""Turn a submitted form into an audit job, checking the upload by its content."""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from pathlib import Path, PurePath
from typing import Any

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from auditor.web.errors import WebError
from auditor.web.jobs import Job
from auditor.web.settings import ACCEPTED_FORMATS, ISSUER_TYPES, REGIMES, Settings, size_label

PASTED_NAME = "粘贴的文本.txt"
AUTO = ("", "auto")
FIELDS = ("text", "regime", "issuer_type")  # the text fields a form error shows again

# OpenAPI description of the form read by :func:`read_job` (parsed by hand to control limits).
FORM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "file": {
            "type": "string",
            "format": "binary",
            "description": "报告文件：.docx、.pdf、.html 或 .txt（按内容识别格式，不看扩展名）",
        },
        "text": {"type": "string", "description": "粘贴的报告全文（不上传文件时使用）"},
        "regime": {
            "type": "string",
            "enum": ["auto", *REGIMES],
            "description": "适用格式；默认 auto，按报告年度自动判断",
        },
        "issuer_type": {
            "type": "string",
            "enum": ["auto", *ISSUER_TYPES],
            "description": "报告主体；默认 auto，按机关名称自动判断",
        },
    },
}


async def read_job(request: Request, settings: Settings, *, page: bool) -> Job:
    """Parse the submitted form and build the job; errors carry the text fields for a refill."""
    try:
        form = await request.form(
            max_files=1, max_fields=8, max_part_size=settings.max_upload_bytes + 1
        )
    except (HTTPException, ValueError, KeyError) as exc:
        raise WebError(400, "上传内容无法解析，请重新选择文件后提交", "bad_form") from exc
    try:
        return await job_from_form(form, settings, page=page)
    except WebError as exc:
        exc.form = {key: value for key in FIELDS if isinstance(value := form.get(key), str)}
        raise
    finally:
        await form.close()


def refill(job: Job) -> dict[str, str]:
    """The form fields to show again with an error about ``job``."""
    return {
        "text": job.text or "",
        "regime": job.regime or "",
        "issuer_type": job.issuer_type or "",
    }


async def job_from_form(fields: Any, settings: Settings, *, page: bool) -> Job:
    """Validate the fields and build the job (file bytes are read here)."""
    regime = _choice(fields.get("regime"), REGIMES, "适用格式", "regime")
    issuer_type = _choice(fields.get("issuer_type"), ISSUER_TYPES, "报告主体", "issuer_type")
    limit = settings.max_upload_bytes
    upload = fields.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(limit + 1)
        name = upload_name(upload.filename)
        if len(data) > limit:
            raise too_large(settings)
        if not data.strip():
            raise WebError(422, f"上传的文件“{name}”是空的，没有可审查的内容", "empty")
        check_format(data, name)
        return Job(name, data=data, regime=regime, issuer_type=issuer_type, page=page)
    text = fields.get("text")
    if isinstance(text, str) and text.strip():
        if len(text.encode("utf-8")) > limit:
            raise too_large(settings)
        return Job(PASTED_NAME, text=text, regime=regime, issuer_type=issuer_type, page=page)
    raise WebError(422, "请选择要审查的报告文件，或者粘贴报告全文", "no_input")


def check_format(data: bytes, name: str) -> None:
    """Refuse uploads whose content is not Word, PDF, a web page or text (415)."""
    from auditor.document.loaders import load_bytes, sniff

    if sniff(data, name) in ACCEPTED_FORMATS:
        return
    # For formats we do not read, load_bytes only names the format and explains; it is cheap.
    raw = load_bytes(data, name)
    message = f"“{name}”：{raw.message or '无法识别的文件格式'}"
    raise WebError(
        415,
        f"{message}。支持的格式：Word（.docx）、PDF、网页（.html）、纯文本（.txt）",
        "unsupported",
    )


def too_large(settings: Settings) -> WebError:
    limit = size_label(settings.max_upload_bytes)
    return WebError(413, f"上传的内容超过 {limit} 的上限，请压缩图片或拆分文件后再试", "too_large")


def upload_name(filename: str) -> str:
    """The file's own name (browsers may send a full Windows path), at most 120 characters."""
    name = PurePath(filename.replace("\\", "/")).name.strip()
    return name[-120:] or "上传的文件"


def _choice(value: Any, allowed: dict[str, str], label: str, field: str) -> str | None:
    if value is None or (isinstance(value, str) and value.strip() in AUTO):
        return None
    if isinstance(value, str) and value.strip() in allowed:
        return value.strip()
    options = "、".join(["auto", *allowed])
    raise WebError(422, f"{label}（{field}）的取值“{value}”无效，可选：{options}", "bad_option")


def store(directory: Path, job: Job, result: dict[str, Any]) -> Path:
    """Keep an upload and its result (only when the operator asked for ``--store``)."""
    folder = directory / f"{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}"
    folder.mkdir(parents=True, exist_ok=False)
    if job.text is not None:
        (folder / PASTED_NAME).write_text(job.text, encoding="utf-8")
    else:
        (folder / upload_name(job.name)).write_bytes(job.data or b"")
    body = json.dumps(result, ensure_ascii=False, indent=2)
    (folder / "result.json").write_text(body + "\n", encoding="utf-8")
    return folder
