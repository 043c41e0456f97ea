"""What a worker process does for one request: audit, and for the page also render it.

Everything CPU-heavy (reading the file, the audit, the HTML page, the XLSX) happens here,
inside a worker process, so the server's event loop only moves bytes.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from auditor.api import AuditOptions, audit_bytes, audit_text

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
    if job.text is not None:
        result = audit_text(job.text, job.name, options).to_json()
    else:
        result = audit_bytes(job.data or b"", job.name, options).to_json()
    answer: dict[str, Any] = {"result": result}
    if job.page and unaudited_status(result) is None:
        answer["page"] = _page(result, job.name, templates)
    return answer


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


def _page(result: dict[str, Any], name: str, templates: str | None) -> str:
    """The audit page, offering the result as JSON and XLSX (as the CLI writes them)."""
    from auditor.web.pages import Download, result_page

    stem = PurePath(name).stem or "报告"
    payload = json.dumps(result, ensure_ascii=False, indent=2).encode("utf-8")
    downloads = [
        Download.of("JSON", f"{stem}-审查结果.json", "application/json", payload),
        Download.of("Excel", f"{stem}-审查结果.xlsx", XLSX_MIME, _xlsx(result)),
    ]
    return result_page(result, downloads, templates)


def _xlsx(result: dict[str, Any]) -> bytes:
    from auditor.render.xlsx import write_xlsx

    with tempfile.TemporaryDirectory(prefix="auditor-web-") as tmp:
        path = Path(tmp) / "results.xlsx"
        write_xlsx(path, [result])
        return path.read_bytes()
