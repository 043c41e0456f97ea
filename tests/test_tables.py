"""Recognition of the standard tables 二/三/四 and statistics tables from real grids."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import docx
import pdfplumber
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from auditor.document import tableschema as ts
from auditor.document.loaders import load
from auditor.document.model import Grid, Table
from auditor.document.tables import merge_continuations, parse_cell, recognise

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
T3_COLS = [c.key for c in ts.T3_COLS]
T4_KEYS = [f"{g.key}.{c.key}" for g in ts.T4.rows for c in ts.T4_COLS]


def _tables(grids: list[Grid], doc_text: str | None = None) -> dict[str, Table]:
    out: dict[str, Table] = {}
    for grid in merge_continuations(grids):
        table = recognise(grid, doc_text)
        if table.kind != "other":
            assert table.kind not in out, f"two {table.kind} tables"
            out[table.kind] = table
    return out


@lru_cache(maxsize=4)
def _raw_pdf(name: str) -> tuple[list[Grid], str]:
    """pdfplumber's own tables (merged cells are None, nothing joined) and the page text."""
    grids: list[Grid] = []
    text = []
    with pdfplumber.open(SAMPLES / name) as pdf:
        for i, page in enumerate(pdf.pages):
            text.append(page.extract_text() or "")
            grids.extend(Grid(rows=rows, page=i) for rows in page.extract_tables())
    return grids, "\n".join(text)


def _check_t3(table: Table, expected: dict[str, list[str]]) -> None:
    """Cell for cell: every official row with its seven raw values, nothing else."""
    want = {
        f"table3.{row}.{col}": raw
        for row, values in expected.items()
        for col, raw in zip(T3_COLS, values, strict=True)
    }
    assert {k: c.raw for k, c in table.cells.items()} == want
    for key, raw in want.items():
        assert table.cells[key].value == (int(raw) if raw else None), key


def _check_t4(table: Table, values: list[str]) -> None:
    assert {k: c.raw for k, c in table.cells.items()} == {
        f"table4.{k}": v for k, v in zip(T4_KEYS, values, strict=True)
    }


def _cells(values: str) -> list[str]:
    return values.split()


def _zeros(rows: list[str], **filled: list[str]) -> dict[str, list[str]]:
    return {row: filled.get(row.replace(".", "_"), ["0"] * 7) for row in rows}


T3_2021_ROWS = [r.key for r in ts.T3_2021.rows if r.value]
T3_2019_ROWS = [r.key for r in ts.T3_2019.rows if r.value]


# --- cell values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "value"),
    [
        ("", "", None),
        ("  \u3000", "", None),
        ("/", "/", None),
        ("—", "—", None),
        ("-", "-", None),
        ("0", "0", 0),
        ("1,234", "1,234", 1234),
        ("1，234", "1，234", 1234),
        ("251000元", "251000元", 251000),
        ("0.5", "0.5", 0.5),
        ("96171.6", "96171.6", 96171.6),
        ("-8", "-8", -8),
        ("－8", "－8", -8),
        ("１２", "１２", 12),
        ("1个", "1个", 1),
        ("33.59万元", "33.59万元", 33.59),
        ("5（其中3件已办结）", "5（其中3件已办结）", 5),
        ("无", "无", 0),
        ("不详", "不详", None),
        ("12 件", "12 件", 12),
    ],
)
def test_parse_cell(text: str, raw: str, value: float | None) -> None:
    cell = parse_cell(text)
    assert (cell.raw, cell.value) == (raw, value)
    assert cell.blank == (raw == "")


# --- HTML tables (212, 213) ----------------------------------------------------------------


def test_213_html_cell_for_cell() -> None:
    raw = load(SAMPLES / "213_ptzhsyqjjp-2024.body.html")
    tables = _tables(raw.grids, raw.text)
    assert set(tables) == {"table2", "table3", "table4"}

    t2 = tables["table2"]
    assert t2.version == "2021"
    assert {k: c.raw for k, c in t2.cells.items()} == {
        "table2.normative.issued": "0",
        "table2.normative.repealed": "0",
        "table2.normative.in_force": "1",
        "table2.licensing.decisions": "0",
        "table2.punishment.decisions": "0",
        "table2.coercion.decisions": "0",
        "table2.fees.amount": "0",
    }
    assert t2.unresolved == ["table2.rules"]  # the report left the 规章 row out

    t3 = tables["table3"]
    assert t3.version == "2021"
    assert (t3.rows, t3.cols) == (28, 10)
    one = ["1", "0", "0", "0", "0", "0", "1"]
    _check_t3(
        t3,
        _zeros(
            T3_2021_ROWS,
            new=["8", "0", "0", "0", "0", "0", "8"],
            results_granted=["4", "0", "0", "0", "0", "0", "4"],
            results_denied_third_party=one,
            results_unable_not_held=["2", "0", "0", "0", "0", "0", "2"],
            results_not_processed_repeat=one,
            results_total=["8", "0", "0", "0", "0", "0", "8"],
            carried_out=["0", "", "0", "0", "0", "0", "0"],
        ),
    )
    assert t3.cells["table3.carried_out.commercial"].value is None  # blank is not zero
    assert t3.unresolved == [] and t3.ambiguous == []
    assert t3.row_labels[3].startswith("一、本年新收")
    assert t3.col_labels[3].endswith("自然人")

    t4 = tables["table4"]
    _check_t4(t4, ["0"] * 15)
    assert t4.unresolved == []


def test_212_html_cell_for_cell() -> None:
    raw = load(SAMPLES / "212_ptzhsyqshs-2023.body.html")
    tables = _tables(raw.grids, raw.text)
    t2 = tables["table2"]
    assert {k: c.value for k, c in t2.cells.items()} == {
        "table2.normative.issued": 2,
        "table2.normative.repealed": 12,
        "table2.normative.in_force": 0,
        "table2.licensing.decisions": 1396,  # one value cell spanning three columns
        "table2.punishment.decisions": 14,
        "table2.coercion.decisions": 0,
        "table2.fees.amount": 0,
    }
    t3 = tables["table3"]  # header says 钩稽 instead of 勾稽
    one = ["1", "0", "0", "0", "0", "0", "1"]
    _check_t3(
        t3,
        _zeros(T3_2021_ROWS, new=one, results_unable_not_held=one, results_total=one),
    )
    _check_t4(
        tables["table4"],
        ["0", "0", "0", "0", "0", "3", "0", "0", "1", "4", "1", "0", "0", "0", "1"],
    )


# --- PDF tables (淮安) ---------------------------------------------------------------------

HUAIAN_2024_T3 = {
    "new": ["3001", "53", "0", "0", "61", "4", "3119"],
    "carried_in": ["34", "0", "0", "0", "0", "0", "34"],
    "results.granted": ["1288", "21", "0", "0", "50", "3", "1362"],
    "results.partial": ["447", "7", "0", "0", "0", "0", "454"],
    "results.denied.state_secret": ["2", "0", "0", "0", "0", "0", "2"],
    "results.denied.law_forbidden": ["30", "1", "0", "0", "0", "0", "31"],
    "results.denied.three_safety": ["5", "0", "0", "0", "0", "0", "5"],
    "results.denied.third_party": ["6", "0", "0", "0", "0", "0", "6"],
    "results.denied.internal": ["7", "1", "0", "0", "0", "0", "8"],
    "results.denied.process": ["12", "0", "0", "0", "0", "0", "12"],
    "results.denied.enforcement": ["9", "0", "0", "0", "0", "0", "9"],
    "results.denied.inquiry": ["105", "0", "0", "0", "0", "0", "105"],
    "results.unable.not_held": ["746", "12", "0", "0", "10", "1", "769"],
    "results.unable.needs_creation": ["11", "0", "0", "0", "0", "0", "11"],
    "results.unable.unclear": ["1", "0", "0", "0", "0", "0", "1"],
    "results.not_processed.petition": ["56", "6", "0", "0", "0", "0", "62"],
    "results.not_processed.repeat": ["25", "0", "0", "0", "0", "0", "25"],
    "results.not_processed.publication": ["0"] * 7,
    "results.not_processed.bulk": ["0"] * 7,
    "results.not_processed.confirm": ["1", "0", "0", "0", "0", "0", "1"],
    "results.other.no_correction": ["67", "3", "0", "0", "1", "0", "71"],
    "results.other.fee_unpaid": ["6", "0", "0", "0", "0", "0", "6"],
    "results.other.other": ["108", "2", "0", "0", "0", "0", "110"],
    "results.total": ["2932", "53", "0", "0", "61", "4", "3050"],
    "carried_out": ["103", "0", "0", "0", "0", "0", "103"],
}
HUAIAN_2024_T4 = _cells("72 64 178 37 351 13 4 8 1 26 12 1 1 6 20")
HUAIAN_2024_T2 = {
    "table2.rules.issued": 1,
    "table2.rules.repealed": 0,
    "table2.rules.in_force": 11,
    "table2.normative.issued": 8,
    "table2.normative.repealed": 26,
    "table2.normative.in_force": 66,
    "table2.licensing.decisions": 447228,
    "table2.punishment.decisions": 3985758,
    "table2.coercion.decisions": 88283,
    "table2.fees.amount": 96171.6,
}


def _check_huaian_2024(tables: dict[str, Table]) -> None:
    assert set(tables) == {"table2", "table3", "table4"}
    assert {k: c.value for k, c in tables["table2"].cells.items()} == HUAIAN_2024_T2
    t3 = tables["table3"]
    assert t3.version == "2021" and t3.unresolved == []
    _check_t3(t3, HUAIAN_2024_T3)
    # the official identities hold on this clean report (a wrong column map would break them)
    for col in T3_COLS:
        v = {row: t3.value(f"table3.{row}.{col}") for row in HUAIAN_2024_T3}
        assert v["new"] + v["carried_in"] == v["results.total"] + v["carried_out"]
        parts = ts.T3_RESULT_PARTS["2021"]
        assert sum(v[p] for p in parts) == v["results.total"]
    _check_t4(tables["table4"], HUAIAN_2024_T4)


def test_huaian_2024_pdf_through_loader() -> None:
    raw = load(SAMPLES / "003_huaian-city-gov-2024.pdf")
    _check_huaian_2024(_tables(raw.grids, raw.text))


def test_huaian_2024_pdf_raw_pdfplumber_grids() -> None:
    """None for merged cells, vertical labels, table 二 and 三 split over pages, text frames."""
    grids, text = _raw_pdf("003_huaian-city-gov-2024.pdf")
    assert len(merge_continuations(grids)) == len(grids) - 2
    _check_huaian_2024(_tables(grids, text))


def test_split_tables_without_merge_are_partial_but_correct() -> None:
    grids, text = _raw_pdf("003_huaian-city-gov-2024.pdf")
    parts = [recognise(g, text) for g in grids]
    t3 = [t for t in parts if t.kind == "table3"]
    assert len(t3) == 2
    first, second = t3
    assert first.value("table3.new.total") == 3119
    assert "table3.carried_out" in first.unresolved
    assert second.value("table3.carried_out.total") == 103
    assert second.value("table3.results.unable.needs_creation.natural_person") == 11
    assert "table3.new" in second.unresolved
    assert not set(first.cells) & set(second.cells)


def test_merge_is_idempotent_and_keeps_whole_tables() -> None:
    raw = load(SAMPLES / "213_ptzhsyqjjp-2024.body.html")
    assert merge_continuations(raw.grids) == raw.grids
    grids, _ = _raw_pdf("003_huaian-city-gov-2024.pdf")
    once = merge_continuations(grids)
    assert merge_continuations(once) == once


@pytest.mark.parametrize("source", ["pdfplumber", "loader"])
def test_hongze_2023_typo_single_other_row_and_table4_as_printed(source: str) -> None:
    if source == "loader":
        raw = load(SAMPLES / "001_huaian-hongze-district-2023.pdf")
        grids, text = raw.grids, raw.text
    else:
        grids, text = _raw_pdf("001_huaian-hongze-district-2023.pdf")
    tables = _tables(grids, text)
    t3 = tables["table3"]
    # row label typo "2.其他法律行政止公开" still maps to law_forbidden
    typo = next(i for i, row in enumerate(t3.grid) if "行政止公开" in row[2])
    assert t3.row_labels[typo] == "2.其他法律行政止公开"
    assert t3.value("table3.results.denied.law_forbidden.total") == 0
    assert t3.value("table3.results.denied.state_secret.total") == 1
    assert t3.value("table3.results.unable.needs_creation.total") == 3
    assert t3.value("table3.new.total") == 21 and t3.value("table3.results.total.total") == 21
    # 2021 document (table 二 markers) whose table 三 keeps the 2019 single （六）其他处理 row
    assert t3.version == "2021"
    assert t3.value("table3.results.other.total") == 0
    assert t3.unresolved == [
        "table3.results.other.no_correction",
        "table3.results.other.fee_unpaid",
        "table3.results.other.other",
    ]
    # table 四 as printed (its 总计 cells are wrong in the source: 10+1 ≠ 0)
    _check_t4(tables["table4"], _cells("10 1 0 0 0 0 0 0 0 0 5 0 0 0 0"))
    assert tables["table2"].value("table2.fees.amount") == 7730.28
    assert tables["table2"].value("table2.licensing.decisions") == 550
    # without the document text the row set alone says 2019
    alone = recognise(next(g for g in merge_continuations(grids) if g.n_cols == 10))
    assert alone.kind == "table3" and alone.version == "2019" and alone.unresolved == []


def test_hongze_2024_table4() -> None:
    raw = load(SAMPLES / "002_huaian-hongze-district-2024.pdf")
    tables = _tables(raw.grids, raw.text)
    _check_t4(tables["table4"], _cells("1 1 0 0 2 1 0 0 0 1 2 0 1 0 3"))
    assert tables["table3"].value("table3.new.total") == 95


# --- DOCX template: every data cell blank -----------------------------------------------------


@pytest.mark.parametrize("source", ["python-docx", "loader"])
def test_blank_template_gives_none_not_zero(source: str) -> None:
    path = SAMPLES / "004_TEMPLATE_2021-format-blank-template.docx"
    if source == "loader":
        grids = load(path).grids
    else:
        document = docx.Document(str(path))
        grids = [Grid(rows=[[c.text for c in r.cells] for r in t.rows]) for t in document.tables]
    tables = _tables(grids)
    assert set(tables) == {"table2", "table3", "table4"}
    for kind, spec in (("table2", ts.T2_2021), ("table3", ts.T3_2021), ("table4", ts.T4)):
        table = tables[kind]
        assert table.version == "2021"
        assert sorted(table.cells) == sorted(spec.keys()), kind
        assert all(c.raw == "" and c.value is None for c in table.cells.values()), kind
        assert table.unresolved == []


# --- 2019 format -------------------------------------------------------------------------------


def _caption(n: str) -> list[str]:
    return [f"第二十条第（{n}）项"] * 4


T2_2019_GRID = [
    _caption("一"),
    ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
    ["规章", "0", "0", "0"],
    ["规范性文件", "0", "0", "0"],
    _caption("五"),
    ["信息内容", "上一年项目数量", "本年增/减量", "处理决定数量"],
    ["行政许可", "2", "1", "5"],
    ["其他对外管理服务事项", "0", "0", "0"],
    _caption("六"),
    ["信息内容", "上一年项目数量", "本年增/减量", "处理决定数量"],
    ["行政处罚", "30", "0", "0"],  # flattened "3000" in 206 is ambiguous; any split will do
    ["行政强制", "0", "-8", "0"],  # a decrease is written as a negative number
    _caption("八"),
    ["信息内容", "上一年项目数量", "本年增/减量", "本年增/减量"],
    ["行政事业性收费", "0", "0", "0"],
    _caption("九"),
    ["信息内容", "采购项目数量", "采购总金额", "采购总金额"],
    ["政府集中采购", "1个", "246900元", "246900元"],
]
# the merged (colspan) cells of the 八 and 九 blocks
T2_2019_SPANNED = {(13, 3), (14, 3), (16, 3), (17, 3)} | {
    (r, c) for r in (0, 4, 8, 12, 15) for c in (1, 2, 3)
}


def _t3_2019_grid() -> list[list[str]]:
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    head = [
        [note] * 3 + ["申请人情况"] * 7,
        [note] * 3 + ["自然人"] + ["法人或其他组织"] * 5 + ["总计"],
        [note] * 3
        + ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
    ]
    body = []
    for i, row in enumerate(r for r in ts.T3_2019.rows if r.value):
        group = next((g.label for g in ts.T3_2019.rows if g.key == f"results.{row.group}"), "")
        top = "三、本年度办理结果" if row.key.startswith("results.") else row.label
        label = [top, group or row.label, row.label]
        body.append(label + [str(i)] * 6 + [str(6 * i)])
    return head + body


def test_2019_format_tables() -> None:
    doc_text = (SAMPLES / "206_ptzhsyqlyy-2019.txt").read_text(encoding="utf-8")
    t2 = recognise(Grid(rows=T2_2019_GRID, spanned=T2_2019_SPANNED), doc_text)
    assert (t2.kind, t2.version) == ("table2", "2019")
    assert t2.unresolved == []
    assert sorted(t2.cells) == sorted(ts.T2_2019.keys())
    assert t2.value("table2.licensing.prev_count") == 2
    assert t2.value("table2.licensing.change") == 1
    assert t2.value("table2.licensing.decisions") == 5
    assert t2.value("table2.coercion.change") == -8
    assert t2.cells["table2.procurement.count"].raw == "1个"
    assert t2.value("table2.procurement.count") == 1
    assert t2.value("table2.procurement.amount") == 246900
    assert t2.value("table2.fees.change") == 0

    t3 = recognise(Grid(rows=_t3_2019_grid()), doc_text)
    assert (t3.kind, t3.version) == ("table3", "2019")
    assert t3.unresolved == []
    assert sorted(t3.cells) == sorted(ts.T3_2019.keys())
    for i, row in enumerate(T3_2019_ROWS):
        assert t3.value(f"table3.{row}.natural_person") == i
        assert t3.value(f"table3.{row}.total") == 6 * i
    assert t3.value("table3.results.other.other") == T3_2019_ROWS.index("results.other")


# --- table 四 variants ------------------------------------------------------------------------


def test_table4_typo_and_transposed_layout() -> None:
    header = [
        ["行政法复议"] * 5 + ["行政诉讼"] * 10,
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
        + ["未经复议直接起诉"] * 5
        + ["复议后起诉"] * 5,
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3,
    ]
    values = [str(i) for i in range(15)]
    t4 = recognise(Grid(rows=[*header, values]))
    assert t4.kind == "table4"
    _check_t4(t4, values)

    transposed = [
        ["", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
        ["行政复议", "1", "2", "3", "4", "10"],
        ["行政诉讼（未经复议直接起诉）", "0", "0", "0", "0", "0"],
        ["行政诉讼（复议后起诉）", "5", "", "/", "0", "5"],
    ]
    t4 = recognise(Grid(rows=transposed))
    assert t4.kind == "table4"
    assert t4.value("table4.review.total") == 10
    assert t4.value("table4.litigation_after_review.maintained") == 5
    assert t4.cells["table4.litigation_after_review.corrected"].raw == ""
    assert t4.cells["table4.litigation_after_review.other"].raw == "/"
    assert len(t4.cells) == 15


# --- statistics tables (2008–2018) -----------------------------------------------------------


def test_stats_table_2009_three_columns() -> None:
    # 201_ptzhsyqscj-2009.txt: 指标名称 | 计量单位 | 年末统计
    rows = [
        ["指标名称", "计量单位", "年末统计"],
        ["主动公开信息数", "条", "4"],
        ["其中：1．网站公开", "条", "4"],
        ["2．政府公报公开", "条", "0"],
        ["受理依申请公开信息总数", "条", "0"],
        ["行政复议数", "件", "0"],
    ]
    t = recognise(Grid(rows=rows))
    assert t.kind == "stats"
    assert [(label, c.value) for label, c in t.pairs] == [
        ("主动公开信息数", 4),
        ("其中:1.网站公开", 4),
        ("2.政府公报公开", 0),
        ("受理依申请公开信息总数", 0),
        ("行政复议数", 0),
    ]
    assert t.cells == {}


def test_stats_table_traditional_and_cumulative_column() -> None:
    # 003_3652b83934f3edf5.txt 附表1 (Traditional characters)
    rows = [
        ["指 標", "數量(條)"],
        ["主動公開信息數", "104221"],
        ["政務微博公開政府信息數", "37020"],
    ]
    t = recognise(Grid(rows=rows))
    assert t.kind == "stats"
    assert [(label, c.raw) for label, c in t.pairs] == [
        ("主动公开信息数", "104221"),
        ("政务微博公开政府信息数", "37020"),
    ]
    rows = [
        ["指 标 名 称", "单位", "2018年", "历年累计"],
        ["受理政府信息公开申请总数", "条", "0", "1"],
        ["行政复议数", "件", "0", "0"],
    ]
    t = recognise(Grid(rows=rows))
    assert [(label, c.value) for label, c in t.pairs] == [
        ("受理政府信息公开申请总数", 0),
        ("受理政府信息公开申请总数(历年累计)", 1),
        ("行政复议数", 0),
        ("行政复议数(历年累计)", 0),
    ]


def test_text_frames_are_other() -> None:
    frame = Grid(
        rows=[
            ["本报告由淮安市人民政府办公室根据《条例》规定编制。"],
            ["如对本报告有疑问，请联系。"],
        ]
    )
    assert recognise(frame).kind == "other"
    assert recognise(Grid(rows=[])).kind == "other"


# --- layout variants ---------------------------------------------------------------------------


def test_table2_with_caption_column_and_placeholders() -> None:
    rows = [
        ["第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["第二十条第（一）项", "规章", "/", "/", "/"],
        ["第二十条第（一）项", "行政规范性文件", "3", "1", "20"],
        ["第二十条第（五）项", "信息内容", "本年处理决定数量", "", ""],
        ["第二十条第（五）项", "行政许可", "1,234", "", ""],
        ["第二十条第（六）项", "信息内容", "本年处理决定数量", "", ""],
        ["第二十条第（六）项", "行政处罚", "12", "", ""],
        ["第二十条第（六）项", "行政强制", "0", "", ""],
        ["第二十条第（八）项", "信息内容", "本年收费金额（单位：万元）", "", ""],
        ["第二十条第（八）项", "行政事业性收费", "0.35", "", ""],
    ]
    t = recognise(Grid(rows=rows))
    assert (t.kind, t.version, t.unresolved) == ("table2", "2021", [])
    assert {k: c.value for k, c in t.cells.items()} == {
        "table2.rules.issued": None,
        "table2.rules.repealed": None,
        "table2.rules.in_force": None,
        "table2.normative.issued": 3,
        "table2.normative.repealed": 1,
        "table2.normative.in_force": 20,
        "table2.licensing.decisions": 1234,
        "table2.punishment.decisions": 12,
        "table2.coercion.decisions": 0,
        "table2.fees.amount": 0.35,
    }


def test_table3_with_title_row_subtotal_column_and_variant_labels() -> None:
    head = [
        ["三、收到和处理政府信息公开申请情况"] * 11,
        ["（本列数据的钩稽关系为：…）", "", "", "申请人情况"] + [""] * 7,
        ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "", "总计"],
        [
            "",
            "",
            "",
            "",
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
            "小计",
            "",
        ],
    ]
    body = []
    for i, row in enumerate(r for r in ts.T3_2021.rows if r.value):
        label = {"results.total": "七、总计", "results.other.other": "3、其他"}.get(
            row.key, row.label
        )
        body.append([label, "", ""] + [str(i)] * 6 + ["999", str(6 * i)])
    t = recognise(Grid(rows=head + body))
    assert (t.kind, t.version, t.unresolved, t.ambiguous) == ("table3", "2021", [], [])
    assert sorted(t.cells) == sorted(ts.T3_2021.keys())  # the 小计 column has no key
    for i, row in enumerate(T3_2021_ROWS):
        assert t.value(f"table3.{row}.other") == i
        assert t.value(f"table3.{row}.total") == 6 * i


def test_table4_split_from_its_data_row_with_a_label_column() -> None:
    header = [
        ["", *["行政复议"] * 5, *["行政诉讼"] * 10],
        ["", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
        + ["未经复议直接起诉"] * 5
        + ["复议后起诉"] * 5,
        ["", *["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3],
    ]
    values = ["件数", *[str(i) for i in range(15)]]
    joined = merge_continuations([Grid(rows=header, page=1), Grid(rows=[values], page=2)])
    assert len(joined) == 1 and joined[0].page == 1
    _check_t4(recognise(joined[0]), values[1:])


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(
                [
                    None,
                    "",
                    "0",
                    "7",
                    "/",
                    "无",
                    "-3",
                    "总计",
                    "自然人",
                    "结果维持",
                    "行政复议",
                    "一、本年新收",
                    "(七)总计",
                    "3.其他",
                    "规章",
                    "信息内容",
                    "第二十条第(一)项",
                    "行政许可",
                    "复议后起诉",
                    "商业企业",
                    "主动公开信息数",
                    "条",
                ]
            ),
            max_size=16,
        ),
        max_size=8,
    )
)
@example(rows=[["0", "0", "总计"], ["0", "0", "总计", "0"]])  # a short row's padding is no cell
def test_never_raises_never_invents(rows: list[list[str | None]]) -> None:
    grid = Grid(rows=rows)  # type: ignore[arg-type]
    table = recognise(grid)
    texts = {(cell or "").strip() for row in rows for cell in row}
    for cell in [*table.cells.values(), *(c for _, c in table.pairs)]:
        assert cell.raw in texts
        if cell.raw == "":
            assert cell.value is None
    assert len(merge_continuations([grid, grid])) in (1, 2)


def test_table3_continuation_with_repeated_header() -> None:
    grids, text = _raw_pdf("003_huaian-city-gov-2024.pdf")
    first, rest = (g for g in grids if g.n_cols == 10)
    repeated = Grid(rows=first.rows[:3] + rest.rows, page=rest.page)
    joined = merge_continuations([first, repeated])
    assert len(joined) == 1 and joined[0].n_rows == first.n_rows + rest.n_rows
    t3 = recognise(joined[0], text)
    assert t3.unresolved == []
    _check_t3(t3, HUAIAN_2024_T3)
