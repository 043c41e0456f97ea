"""XLSX export: three Chinese sheets with frozen headers, filters and one row per item."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from auditor.api import audit_path
from auditor.document.tableschema import all_keys
from auditor.render.xlsx import FACT_COLUMNS, FINDING_COLUMNS, SUMMARY_COLUMNS, write_xlsx

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TABLE_KEYS = all_keys()
NAMES = [
    "002_750ab5ebf1f3b941.txt",
    "004_bd982173723fbff0.txt",
    "201_ptzhsyqscj-2009.txt",
    "213_ptzhsyqjjp-2024.txt",
]


@pytest.fixture(scope="module")
def results() -> list[dict[str, Any]]:
    return [audit_path(SAMPLES / name).to_json() for name in NAMES]


@pytest.fixture(scope="module")
def workbook(results: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    path = tmp_path_factory.mktemp("xlsx") / "results.xlsx"
    hostile = {
        **results[0],
        "document": {**results[0]["document"], "agency": '=HYPERLINK("http://x")\x07'},
    }
    write_xlsx(path, [*results, hostile])
    return load_workbook(path)


def rows(sheet: Worksheet) -> list[dict[str, Any]]:
    header = [c.value for c in sheet[1]]
    return [
        dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)
    ]


def test_sheets_headers_frozen_and_filtered(workbook: Workbook) -> None:
    assert workbook.sheetnames == ["汇总", "问题", "事实"]
    for sheet, columns in zip(
        workbook, (SUMMARY_COLUMNS, FINDING_COLUMNS, FACT_COLUMNS), strict=True
    ):
        assert [c.value for c in sheet[1]] == [name for name, _ in columns]
        assert sheet.freeze_panes == "A2"
        assert (
            sheet.auto_filter.ref
            == f"A1:{sheet.cell(1, len(columns)).column_letter}{sheet.max_row}"
        )
        assert sheet.column_dimensions["B"].width >= 24


def test_summary_has_one_row_per_document(
    workbook: Workbook, results: list[dict[str, Any]]
) -> None:
    summary = rows(workbook["汇总"])
    assert len(summary) == len(results) + 1
    assert [r["文件"] for r in summary[: len(NAMES)]] == NAMES
    audited, work_summary = summary[0], summary[1]
    assert audited["得分"] == results[0]["score"] and audited["等级"] == results[0]["grade"]
    assert audited["状态"] == "已审查"
    assert work_summary["状态"] == "不是年度报告" and work_summary["得分"] is None
    assert "工作总结" in work_summary["说明"]


def test_findings_one_row_each_failures_first(
    workbook: Workbook, results: list[dict[str, Any]]
) -> None:
    findings = rows(workbook["问题"])
    assert len(findings) == sum(len(r["findings"]) for r in results) + len(results[0]["findings"])
    first_doc = [f for f in findings if f["序号"] == 1]
    failed = {f["rule"] for f in results[0]["findings"] if f["status"] == "fail"}
    assert {f["规则"] for f in first_doc[: len(failed)]} == failed
    assert all(f["结果"] == "未通过" for f in first_doc[: len(failed)])
    assert all(f["依据"] for f in first_doc)


def listed_facts(result: dict[str, Any]) -> set[str]:
    """Named facts, and the table cells that hold a value."""
    return {k for k, f in result["facts"].items() if f["value"] is not None or k not in TABLE_KEYS}


def test_facts_rows_and_formula_text_stays_text(
    workbook: Workbook, results: list[dict[str, Any]]
) -> None:
    facts = rows(workbook["事实"])
    assert len(facts) == sum(len(listed_facts(r)) for r in results) + len(listed_facts(results[0]))
    assert {f["事实编号"] for f in facts if f["序号"] == 1} == listed_facts(results[0])
    assert any(f["事实编号"] in TABLE_KEYS for f in facts)  # cells of table 三 of the 2024 report
    named = next(f for f in facts if f["序号"] == 1 and f["事实编号"] == "report.year_mentioned")
    assert named["值"] == results[0]["facts"]["report.year_mentioned"]["value"]
    hostile = rows(workbook["汇总"])[-1]
    assert hostile["机关"] == '=HYPERLINK("http://x")'
    assert workbook["汇总"].cell(workbook["汇总"].max_row, 3).data_type == "s"
