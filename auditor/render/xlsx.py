"""The XLSX export: sheets 汇总 (one row per document), 问题 (one row per finding), 事实 (facts).

Written in openpyxl's write-only mode (rows stream to disk). Every text cell is written as a
string, so a document quoting ``=HYPERLINK(…)`` never becomes a formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from auditor.document.tableschema import all_keys
from auditor.labels import (
    CATEGORY_LABELS,
    FINDING_LABELS,
    ISSUER_LABELS,
    KIND_LABELS,
    REGIME_LABELS,
    SEVERITY_LABELS,
)
from auditor.render.presenter import file_name, format_value, is_audited, label, status_label

TABLE_KEYS = all_keys()
MAX_CELL = 32_000  # Excel's limit is 32,767 characters
SEVERITIES = ("critical", "major", "minor", "info")
STATUS_ORDER = {
    s: i for i, s in enumerate(("fail", "error", "blocked", "waived", "pass", "not_applicable"))
}

# (header, width) per sheet
SUMMARY_COLUMNS = [
    ("序号", 6),
    ("文件", 34),
    ("机关", 28),
    ("标题", 40),
    ("年度", 7),
    ("文件类型", 16),
    ("适用格式", 16),
    ("报告主体", 10),
    ("审查方案", 22),
    ("状态", 12),
    ("说明", 40),
    ("得分", 7),
    ("等级", 8),
    ("严重", 6),
    ("重要", 6),
    ("一般", 6),
    ("提示", 6),
    ("重复于", 30),
]
FINDING_COLUMNS = [
    ("序号", 6),
    ("文件", 30),
    ("机关", 24),
    ("规则", 24),
    ("规则名称", 36),
    ("类别", 16),
    ("结果", 9),
    ("严重程度", 9),
    ("说明", 50),
    ("依据", 50),
    ("修改建议", 50),
    ("首条证据", 40),
    ("证据位置", 24),
]
FACT_COLUMNS = [
    ("序号", 6),
    ("文件", 30),
    ("事实编号", 40),
    ("名称", 30),
    ("值", 14),
    ("单位", 6),
    ("原文摘录", 50),
]

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1D3A5F")


def write_xlsx(path: Path, results: list[dict[str, Any]]) -> None:
    """Write the workbook for ``results`` (full result dicts, in input order)."""
    wb = Workbook(write_only=True)
    _sheet(wb, "汇总", SUMMARY_COLUMNS, _summary_rows(results))
    _sheet(wb, "问题", FINDING_COLUMNS, _finding_rows(results))
    _sheet(wb, "事实", FACT_COLUMNS, _fact_rows(results))
    wb.save(path)


def _sheet(
    wb: Workbook, title: str, columns: list[tuple[str, int]], rows: Iterable[list[Any]]
) -> None:
    ws = wb.create_sheet(title)
    for i, (_, width) in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.append([_header(ws, name) for name, _ in columns])
    count = 0
    for row in rows:
        ws.append([_cell(ws, value) for value in row])
        count += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"


def _header(ws: Any, name: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=name)
    cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    return cell


def _cell(ws: Any, value: Any) -> Any:
    """Numbers stay numbers; text is cleaned and shortened, and never read as a formula."""
    if value is None or isinstance(value, bool) or not isinstance(value, str | int | float):
        value = "" if value is None else format_value(value)
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL] if _suspect(value) else value
    if not text.startswith("="):
        return text
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    return cell


def _suspect(text: str) -> bool:
    """Text that may hold control characters or be too long for a cell (checked cheaply)."""
    return len(text) > MAX_CELL or not text.isprintable()


def _doc_cols(number: int, result: dict[str, Any]) -> list[Any]:
    doc = result.get("document") or {}
    return [number, file_name(doc.get("source")), doc.get("agency") or ""]


def _summary_rows(results: list[dict[str, Any]]) -> Iterator[list[Any]]:
    for number, result in enumerate(results, 1):
        doc = result.get("document") or {}
        status = result.get("status")
        failed = [f for f in result.get("findings") or [] if f.get("status") == "fail"]
        message = result.get("message") or doc.get("message") or ""
        if not message and not is_audited(status):
            message = doc.get("kind_reason") or ""
        yield [
            *_doc_cols(number, result),
            doc.get("title") or "",
            doc.get("year"),
            label(KIND_LABELS, doc.get("kind")),
            label(REGIME_LABELS, doc.get("regime")),
            label(ISSUER_LABELS, doc.get("issuer_type")),
            result.get("profile") or "",
            status_label(status),
            message,
            result.get("score"),
            result.get("grade") or "",
            *[sum(1 for f in failed if f.get("severity") == s) for s in SEVERITIES],
            file_name(result["duplicate_of"]) if result.get("duplicate_of") else "",
        ]


def _finding_rows(results: list[dict[str, Any]]) -> Iterator[list[Any]]:
    for number, result in enumerate(results, 1):
        findings = sorted(
            result.get("findings") or [],
            key=lambda f: (
                STATUS_ORDER.get(f.get("status"), 9),
                SEVERITIES.index(f["severity"]) if f.get("severity") in SEVERITIES else 9,
            ),
        )
        for f in findings:
            first = next(iter(f.get("evidence") or []), {})
            yield [
                *_doc_cols(number, result),
                f.get("rule") or "",
                f.get("title") or "",
                label(CATEGORY_LABELS, f.get("category")),
                label(FINDING_LABELS, f.get("status")),
                label(SEVERITY_LABELS, f.get("severity")),
                f.get("message") or "",
                f.get("basis") or "",
                f.get("hint") or "",
                first.get("quote") or "",
                first.get("section") or "",
            ]


def _fact_rows(results: list[dict[str, Any]]) -> Iterator[list[Any]]:
    """Named facts (also when the document is silent) and the table cells the document has."""
    for number, result in enumerate(results, 1):
        source = file_name((result.get("document") or {}).get("source"))
        for key, fact in (result.get("facts") or {}).items():
            value = fact.get("value")
            if value is None and key in TABLE_KEYS:
                continue
            first = next(iter(fact.get("evidence") or []), {})
            quote = first.get("quote") or ""
            yield [
                number,
                source,
                key,
                fact.get("title") or "",
                value,
                fact.get("unit") or "",
                quote,
            ]
