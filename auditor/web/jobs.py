"""What a worker process does for one request: audit, and for the page also render it.

Everything CPU-heavy (reading the file, the audit, the HTML page, the XLSX) happens here,
inside a worker process, so the server's event loop only moves bytes.
"""

from __future__ import annotations

import json
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from auditor.api import AuditOptions, audit_document, failed_result
from auditor.document.model import Document

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Result statuses meaning "not audited"; the HTTP status the web answers with.
UNAUDITED = {
    "unsupported": 415,
    "unreadable": 422,
    "empty": 422,
    "no_text_layer": 422,
    "error": 422,
}


@dataclass(frozen=True, slots=True)
class Job:
    """One audit request: either uploaded bytes or pasted text."""

    name: str
    data: bytes | None = None
    text: str | None = None
    regime: str | None = None
    issuer_type: str | None = None
    page: bool = False  # also render the audit page with its downloads


def execute(job: Job, templates: str | None = None) -> dict[str, Any]:
    """Audit ``job``; answer ``{"result": dict}`` plus ``"page"`` (HTML) when asked for."""
    options = AuditOptions(regime=job.regime, issuer_type=job.issuer_type)
    try:
        doc = _read(job, options)
    except Exception as exc:  # a reader bug on odd input is this upload's problem only
        result = failed_result(Path(job.name), f"读取时出错：{exc}", detail=traceback.format_exc())
        return {"result": result.to_json()}
    data = audit_document(doc, options).to_json()
    answer: dict[str, Any] = {"result": data}
    if job.page and unaudited_status(data) is None:
        # The page marks evidence in the original text, as the CLI's pages do.
        shown = {**data, "document": {"original_text": doc.original, **data["document"]}}
        answer["page"] = _page(shown, data, job.name, templates)
    return answer


def _read(job: Job, options: AuditOptions) -> Document:
    from auditor.document.reader import read_bytes, read_text

    overrides = {"regime": options.regime, "issuer_type": options.issuer_type}
    if job.text is not None:
        return read_text(job.text, job.name, **overrides)
    return read_bytes(job.data or b"", job.name, **overrides)


def unaudited_status(result: dict[str, Any]) -> int | None:
    """The HTTP status for a result that was not audited (bad input), else None."""
    return UNAUDITED.get(str(result.get("status")))


def message_of(result: dict[str, Any]) -> str:
    """The plain message explaining a result's status."""
    document = result.get("document") or {}
    return str(result.get("message") or document.get("message") or "文件无法审查")


def warmup() -> None:
    """Load the rules and the heavy modules once, when a worker starts."""
    import auditor.document.reader
    import auditor.engine  # noqa: F401
    from auditor.api import ruleset_for
    from auditor.web.pages import environment

    ruleset_for(())
    environment(None).get_template("web/result.html")


def _page(shown: dict[str, Any], result: dict[str, Any], name: str, templates: str | None) -> str:
    """The audit page of ``shown``, offering ``result`` (as the CLI writes it) for download."""
    from auditor.web.pages import Download, result_page

    stem = PurePath(name).stem or "报告"
    payload = json.dumps(result, ensure_ascii=False, indent=2).encode("utf-8")
    downloads = [
        Download.of("JSON", f"{stem}-审查结果.json", "application/json", payload),
        Download.of("Excel", f"{stem}-审查结果.xlsx", XLSX_MIME, _xlsx(result)),
    ]
    return result_page(shown, downloads, templates)


def _xlsx(result: dict[str, Any]) -> bytes:
    from auditor.render.xlsx import write_xlsx

    with tempfile.TemporaryDirectory(prefix="auditor-web-") as tmp:
        path = Path(tmp) / "results.xlsx"
        write_xlsx(path, [result])
        return path.read_bytes()
