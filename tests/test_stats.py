"""Tests for auditor.document.stats on the real 2008–2018 samples and on edge cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document.model import Table
from auditor.document.normalise import normalise
from auditor.document.stats import read_stats

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _text(name: str) -> str:
    return normalise((SAMPLES / name).read_text(encoding="utf-8"))[0]


def _pairs(table: Table) -> dict[str, int | float | None]:
    return {label: cell.value for label, cell in table.pairs}


def _check_offsets(text: str, table: Table) -> None:
    assert 0 <= table.start < table.end <= len(text)
    for _, cell in table.pairs:
        if cell.value is not None:
            assert text[cell.start : cell.end] == cell.raw
            assert table.start <= cell.start < cell.end <= table.end


def test_seed_003_one_cell_per_line() -> None:
    text = _text("003_3652b83934f3edf5.txt")
    tables = read_stats(text)
    assert len(tables) == 4
    for t in tables:
        assert (t.kind, t.source, t.cols) == ("stats", "lines", 1)
        assert not t.ambiguous and not t.unresolved
        _check_offsets(text, t)
    assert _pairs(tables[0]) == {
        "主动公开信息数": 104221,
        "公开政府信息公开工作年度报告": 179,
        "政府网站公开政府信息数": 104221,
        "政府公报发布政府信息数": 161,
        "政务微博公开政府信息数": 37020,
        "政务微信公开政府信息数": 23177,
        "其他方式公开政府信息数": 14943,
    }
    assert _pairs(tables[1]) == {
        "申请总数": 3561,
        "当面申请数": 3101,
        "传真电话申请数": 0,
        "网络申请数": 367,
        "信函申请数": 93,
        "对申请答复总数": 3561,
        "属于已主动公开范围数": 157,
        "同意公开答复数": 1504,
        "同意部分公开答复数": 912,
        "不同意公开答复数": 1497,
        "其他": 781,
    }
    assert _pairs(tables[2]) == {"接受咨询数量": 75015}
    assert _pairs(tables[3]) == {"行政复议数": 8, "行政诉讼数": 5}
    assert text[tables[0].start :].startswith("附表1\n主动公开情况统计表")
    assert tables[1].grid[1] == ["申请总数", "件", "3561"]
    # the table stops before the page chrome that follows it
    assert "相关词条" not in text[tables[3].start : tables[3].end]


OLD_FORM_LABELS = [
    "主动公开信息数",
    "网站公开",
    "政府公报公开",
    "受理依申请公开信息总数",
    "当面申请数",
    "传真申请数",
    "电子邮件申请数",
    "网上申请数",
    "信函申请数",
    "其他形式申请数",
    "对申请的答复总数",
    "同意公开答复数",
    "同意部分公开答复数",
    "否决公开答复总数",
    "行政复议数",
    "行政诉讼数",
    "行政申诉数",
]


@pytest.mark.parametrize(
    ("name", "published"), [("201_ptzhsyqscj-2009.txt", 4), ("202_ptzhsyqshs-2012.txt", 58)]
)
def test_old_form_flattened(name: str, published: int) -> None:
    text = _text(name)
    (table,) = read_stats(text)
    _check_offsets(text, table)
    assert (table.source, table.cols, table.col_labels) == ("flattened", 1, ["年末统计"])
    expected = dict.fromkeys(OLD_FORM_LABELS, 0)
    expected["主动公开信息数"] = expected["网站公开"] = published
    assert _pairs(table) == expected
    assert [label for label, _ in table.pairs] == OLD_FORM_LABELS
    assert table.grid[1] == ["主动公开信息数", "条", str(published)]
    assert text[table.start :].startswith("附表:指标名称")
    assert not table.ambiguous


def test_202_stray_value_is_unresolved() -> None:
    (table,) = read_stats(_text("202_ptzhsyqshs-2012.txt"))
    assert table.unresolved == ["行政申诉数"]
    assert table.end == _text("202_ptzhsyqshs-2012.txt").index("附件下载")


def test_201_table_starts_after_signature() -> None:
    text = _text("201_ptzhsyqscj-2009.txt")
    (table,) = read_stats(text)
    assert "二○一○年四月十日" in text[: table.start]
    assert table.unresolved == []


def test_205_glued_columns_settled_by_stated_totals() -> None:
    text = _text("205_ptzhsyqnyn-2018.txt")
    (table,) = read_stats(text)
    _check_offsets(text, table)
    assert (table.cols, table.col_labels) == (2, ["2018年", "历年累计"])
    assert table.ambiguous == [] and table.unresolved == []
    rows = {
        "主动公开文件数": (68, 181),
        "政府网站公开数": (68, 181),
        "政府公报公开数": (0, 0),
        "受理政府信息公开申请总数": (0, 1),
        "当面申请数": (0, 0),
        "网上申请数": (0, 0),
        "信函、传真申请数": (0, 1),
        "对申请的答复总数": (0, 1),
        "同意公开答复数": (0, 0),
        "同意部分公开答复数": (0, 1),
        "不予公开答复数": (0, 0),
        "其他类型答复数": (0, 0),
        "接受行政申诉、举报数": (0, 0),
        "行政复议数": (0, 0),
        "行政诉讼数": (0, 0),
    }
    expected = {}
    for label, (year, total) in rows.items():
        expected[label] = year
        expected[f"{label}|历年累计"] = total
    assert _pairs(table) == expected
    pairs = dict(table.pairs)
    first, second = pairs["主动公开文件数"], pairs["主动公开文件数|历年累计"]
    assert first.end == second.start and text[first.start : second.end] == "68181"


GLUED = (
    "附表:指标名称单位2018年历年累计主动公开文件数条68181其中:1.政府网站公开数条68181 "
    "2.政府公报公开数条00行政复议数件00"
)


def test_glued_columns_without_a_hard_check_stay_ambiguous() -> None:
    (table,) = read_stats(GLUED)
    assert table.ambiguous == [
        "主动公开文件数",
        "主动公开文件数|历年累计",
        "政府网站公开数",
        "政府网站公开数|历年累计",
    ]
    pairs = dict(table.pairs)
    assert pairs["主动公开文件数"].value is None
    assert pairs["主动公开文件数"].raw == "68181"
    assert pairs["政府公报公开数|历年累计"].value == 0


def test_glued_columns_settled_by_text_and_sums() -> None:
    text = "本年度主动公开政府信息68条,累计主动公开政府信息181条。" + GLUED
    (table,) = read_stats(text)
    assert table.ambiguous == []
    pairs = _pairs(table)
    assert (pairs["政府网站公开数"], pairs["政府网站公开数|历年累计"]) == (68, 181)


def test_text_only_partly_stating_a_reading_does_not_settle() -> None:
    text = "本年度主动公开政府信息68条,另有其他181条。" + GLUED
    (table,) = read_stats(text)
    assert "主动公开文件数" in table.ambiguous


def test_children_settled_by_parent_total() -> None:
    text = (
        "附表:指标名称单位2017年2018年受理申请总数条12 121其中:1.当面申请数条1120 2.网上申请数条111"
    )
    (table,) = read_stats(text)
    # 1|120 + 11|1 is the only pair of readings that adds up to 12|121
    assert table.ambiguous == []
    pairs = _pairs(table)
    assert (pairs["当面申请数"], pairs["当面申请数|2018年"]) == (1, 120)
    assert (pairs["网上申请数"], pairs["网上申请数|2018年"]) == (11, 1)


def test_cumulative_column_is_never_below_the_year() -> None:
    (table,) = read_stats("附表:指标名称单位2018年历年累计主动公开数条312行政复议数件00")
    # 3|12 stays, 31|2 is impossible
    assert table.ambiguous == []
    assert _pairs(table)["主动公开数|历年累计"] == 12


def test_digits_that_fit_no_reading_are_unresolved() -> None:
    (table,) = read_stats("附表:指标名称单位2018年历年累计主动公开数条5 行政复议数件00")
    assert table.unresolved == ["主动公开数"]
    assert _pairs(table)["主动公开数"] is None


def test_unit_line_per_row() -> None:
    text = (
        "附表1\n主动公开情况统计表\n指标\n单位\n数量\n主动公开信息数\n条\n12\n行政复议数\n件\n3\n"
    )
    (table,) = read_stats(text)
    assert _pairs(table) == {"主动公开信息数": 12, "行政复议数": 3}
    assert [row[1] for row in table.grid[1:]] == ["条", "件"]


def test_two_columns_one_cell_per_line_with_blank_cells() -> None:
    text = (
        "附表2\n依申请公开情况统计表\n指标名称\n单位\n2017年\n2016年\n"
        "申请总数\n件\n12\n10\n其中:1.当面申请数\n件\n—\n4\n对申请答复总数\n件\n12\n/\n"
    )
    (table,) = read_stats(text)
    assert (table.source, table.col_labels) == ("lines", ["2017年", "2016年"])
    assert _pairs(table) == {
        "申请总数": 12,
        "申请总数|2016年": 10,
        "当面申请数": None,
        "当面申请数|2016年": 4,
        "对申请答复总数": 12,
        "对申请答复总数|2016年": None,
    }
    assert dict(table.pairs)["当面申请数"].raw == "—"
    assert table.ambiguous == [] and table.unresolved == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "各项指标均达到要求,共受理申请12件。",
        "项目数量达到5个,其中重点项目3个。",
        "本报告由概述、附表等六个部分组成。附表(详见附件)",
        "附表:指标名称计量单位年末统计。今年共公开12条,明年计划20条。",
        "统计表\n指标\n数量(条)\n2018年1月25日\n联系电话0591-24379123",
    ],
)
def test_narrative_is_not_a_table(text: str) -> None:
    assert read_stats(text) == []


def test_no_stats_table_in_modern_reports() -> None:
    for path in sorted(SAMPLES.glob("2[01][6-9]_*.txt")):
        assert read_stats(normalise(path.read_text(encoding="utf-8"))[0]) == [], path.name


@settings(max_examples=200)
@given(st.text())
def test_arbitrary_text_never_raises(s: str) -> None:
    read_stats(s)


@settings(max_examples=200)
@given(
    st.text(
        alphabet="附表指标名称计量单位年末统计数量历年累计其中主动公开条件:.()\n 0123456789年,。"
    )
)
def test_table_soup_never_raises(s: str) -> None:
    for table in read_stats(s):
        _check_offsets(s, table)
