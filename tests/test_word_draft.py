"""An agency's Word draft made by filling in the official blank template (the self-check case)."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from auditor.api import audit_bytes

TEMPLATE = (
    Path(__file__).resolve().parent.parent
    / "samples"
    / "004_TEMPLATE_2021-format-blank-template.docx"
)
TEXT = (
    "本年度我局严格落实条例，主动公开政府信息56条。存在的问题是公开不够及时，下一步将加强培训。"
    "本报告所列数据的统计期限自2023年1月1日至2023年12月31日。如有疑问请联系局办公室（电话：0591-1234567）。"
    "本报告电子版可在县政府门户网站下载。本年度未发出收费通知，未收取信息处理费。"
)
T3_ROWS = 25


def draft(new_total_row: list[int], results_total_row: list[int]) -> bytes:
    """The template with its placeholders replaced and tables 二/三/四 filled in."""
    document = docx.Document(str(TEMPLATE))
    document.paragraphs[0].text = "某县应急管理局2023年政府信息公开工作年度报告"
    for paragraph in document.paragraphs:
        if paragraph.text.strip().startswith("（文字描述"):
            paragraph.text = TEXT
    table2, table3, table4 = document.tables
    _fill(table2, [0, 0, 0, 2, 1, 5, 12, 3, 0, 0.5])
    values: list[int] = []
    for row in range(T3_ROWS):
        values += {
            0: new_total_row,
            2: [2, 0, 0, 0, 0, 0, 2],
            3: [0, 1, 0, 0, 0, 0, 1],
            23: results_total_row,
        }.get(row, [0] * 7)
    _fill(table3, values)
    _fill(table4, [0] * 15)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _fill(table, values: list) -> None:
    """Write ``values`` into the blank cells in reading order (data cells are never merged)."""
    pending = iter(values)
    for row in table.rows:
        for cell in row.cells:
            if cell.text.strip():
                continue
            try:
                cell.text = str(next(pending))
            except StopIteration:
                return


@pytest.fixture(scope="module")
def consistent():
    return audit_bytes(draft([2, 1, 0, 0, 0, 0, 3], [2, 1, 0, 0, 0, 0, 3]), "草稿.docx")


def test_filled_template_is_read_as_a_report(consistent) -> None:
    assert consistent.status == "audited"
    doc = consistent.document
    assert (doc["format"], doc["kind"], doc["year"], doc["regime"]) == (
        "docx",
        "annual_report",
        2023,
        "ogi-2021",
    )
    assert [s["title"] for s in doc["sections"] if s["level"] == 1][:3] == [
        "总体情况",
        "主动公开政府信息情况",
        "收到和处理政府信息公开申请情况",
    ]
    assert consistent.facts["applications.received"].value == 3
    assert consistent.facts["applications.concluded"].value == 3


def test_consistent_draft_passes_the_table_rules(consistent) -> None:
    failed = {f.rule for f in consistent.findings if f.status == "fail"}
    assert not {f for f in failed if f.startswith(("FMT-T3", "FMT-T4", "FMT-TABLE"))}, failed
    assert "OGI-PLACEHOLDER" not in failed


def test_draft_with_wrong_total_fails_with_the_cells_named() -> None:
    result = audit_bytes(draft([2, 1, 0, 0, 0, 0, 4], [2, 1, 0, 0, 0, 0, 3]), "草稿.docx")
    by_rule = {f.rule: f for f in result.findings}
    assert by_rule["FMT-T3-ROWSUM"].status == "fail"
    assert "table3.new.total" in by_rule["FMT-T3-ROWSUM"].cells
    assert by_rule["FMT-T3-BALANCE"].status == "fail"
    assert result.grade == "不合格"  # a critical identity failure caps the grade


def test_unfilled_instruction_left_in_the_draft_is_flagged() -> None:
    document = docx.Document(str(TEMPLATE))
    document.paragraphs[0].text = "某县应急管理局2023年政府信息公开工作年度报告"
    buf = io.BytesIO()
    document.save(buf)
    result = audit_bytes(buf.getvalue(), "草稿.docx")
    # an untouched template with only its title changed is still recognised as a blank template
    assert result.status == "not_annual_report"
    assert result.document["kind"] == "template"
