"""The library API shared by the CLI, the web page, tests and notebooks.

>>> from auditor.api import AuditOptions, audit_path
>>> result = audit_path("报告.docx", AuditOptions())
>>> result.score, [f.rule for f in result.findings if f.status == "fail"]

Every function here returns a :class:`~auditor.results.DocumentResult` and never raises for
bad input: unreadable, unsupported or broken files get a status and a plain message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from auditor.document.model import Document
from auditor.results import DocumentResult, RulesetInfo


@dataclass(frozen=True, slots=True)
class AuditOptions:
    """What to audit with; hashable so that a worker process loads the rule set once."""

    rules: tuple[str, ...] = ()  # extra rule files or folders (--rules)
    waivers: str | None = None  # waivers file (--waivers)
    profile: str | None = None  # profile name; None = chosen from the document
    regime: str | None = None  # override the regime read from the report year
    issuer_type: str | None = None  # override government/department
    exclude: tuple[str, ...] = field(default=())  # rule ids switched off for this run


@lru_cache(maxsize=4)
def ruleset_for(rules: tuple[str, ...] = ()):
    """The shipped rules plus extra rule paths, loaded and compiled once per process."""
    from auditor.ruleset import load_ruleset

    return load_ruleset(extra_paths=[Path(p) for p in rules])


@lru_cache(maxsize=4)
def _waivers(path: str | None):
    if not path:
        return None
    from auditor.ruleset.waivers import load_waivers

    return load_waivers(Path(path))


def audit_document(doc: Document, options: AuditOptions) -> DocumentResult:
    """Audit a document that has been read already."""
    from auditor.engine import audit

    ruleset = ruleset_for(options.rules)
    try:
        result = audit(doc, ruleset, profile=options.profile, waivers=_waivers(options.waivers))
    except Exception as exc:
        return failed_result(Path(doc.source), f"审查时出错：{exc}", detail=_trace(), doc=doc)
    return result


def audit_path(path: str | Path, options: AuditOptions | None = None) -> DocumentResult:
    """Read and audit one file."""
    from auditor.document.reader import read

    options = options or AuditOptions()
    try:
        doc = read(path, regime=options.regime, issuer_type=options.issuer_type)
    except Exception as exc:
        return failed_result(Path(path), f"读取时出错：{exc}", detail=_trace())
    return audit_document(doc, options)


def audit_bytes(data: bytes, name: str, options: AuditOptions | None = None) -> DocumentResult:
    """Read and audit an uploaded file."""
    from auditor.document.reader import read_bytes

    options = options or AuditOptions()
    try:
        doc = read_bytes(data, name, regime=options.regime, issuer_type=options.issuer_type)
    except Exception as exc:
        return failed_result(Path(name), f"读取时出错：{exc}", detail=_trace())
    return audit_document(doc, options)


def audit_text(
    text: str, name: str = "粘贴的文本", options: AuditOptions | None = None
) -> DocumentResult:
    """Audit text pasted by a user."""
    from auditor.document.reader import read_text

    options = options or AuditOptions()
    doc = read_text(text, name, regime=options.regime, issuer_type=options.issuer_type)
    return audit_document(doc, options)


def _trace() -> str:
    """The traceback of the exception being handled (for developers)."""
    import traceback

    return traceback.format_exc()


def failed_result(
    path: Path, message: str, *, detail: str | None = None, doc: Document | None = None
) -> DocumentResult:
    """A result for an input that could not be audited because something went wrong."""
    if doc is None:
        doc = Document(
            source=str(path), format=path.suffix.lstrip(".").lower() or "unknown", status="error"
        )
    doc_json = doc.to_json()
    doc_json["status"] = "error"
    doc_json["message"] = message
    try:
        info = ruleset_for(()).version, ruleset_for(()).hash
    except Exception:
        info = ("?", "?")
    return DocumentResult(
        document=doc_json,
        status="error",
        message=message,
        error_detail=detail,
        ruleset=RulesetInfo(version=info[0], hash=info[1]),
    )
