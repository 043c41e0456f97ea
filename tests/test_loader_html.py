"""HTML loader: real page bodies with tables, GBK pages with chrome, hostile markup."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from auditor.document.gridexpand import SpanCell, expand, grid_lines, join_pieces
from auditor.document.loaders import html, load_bytes
from tests.variants import as_encoded, to_encoded_text, to_gbk_html

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
BODIES = ["212_ptzhsyqshs-2023", "213_ptzhsyqjjp-2024"]
SEEDS = sorted(SAMPLES.glob("00[0-4]_*.txt"))
HEADING = regex.compile(r"^\s*([一二三四五六七八九十]+、.*?)\s*$", regex.M)
CHROME = [
    "当前位置",
    "版权所有",
    "ICP备",
    "主办单位",
    "网站标识码",
    "打印",
    "请输入关键字",
    "走进本市",
]


def _load_body(name: str):
    return html.load((SAMPLES / f"{name}.body.html").read_bytes(), f"{name}.body.html")


def _table3(raw):
    return next(g for g in raw.grids if any("本年新收" in row[0] for row in g.rows))


def _outside_grids(raw) -> str:
    """The text with every grid's span blanked out."""
    text = raw.text
    for grid in raw.grids:
        text = text[: grid.start] + " " * (grid.end - grid.start) + text[grid.end :]
    return text


# --- real page bodies -------------------------------------------------------------------


@pytest.mark.parametrize("name", BODIES)
def test_real_body_has_three_grids_and_six_headings(name):
    raw = _load_body(name)
    assert raw.status == "ok" and raw.format == "html"
    assert len(raw.grids) == 3
    headings = [h[0] for h in HEADING.findall(_outside_grids(raw))]
    assert headings == list("一二三四五六")


@pytest.mark.parametrize("name", BODIES)
def test_real_body_text_matches_crawl_text(name):
    """Apart from whitespace, the loaded text is the crawl text of the same page."""
    raw = _load_body(name)
    crawl = (SAMPLES / f"{name}.txt").read_text(encoding="utf-8")
    body = crawl.split("正文 ====================", 1)[1]
    assert regex.sub(r"\s", "", raw.text) == regex.sub(r"\s", "", body)


@pytest.mark.parametrize("name", BODIES)
def test_table3_grid_shape_and_rows(name):
    grid = _table3(_load_body(name))
    header = next(row for row in grid.rows if "商业企业" in row)
    data_cols = header[header.index("自然人") :]
    assert data_cols == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    assert grid.n_cols == 7 + header.index("自然人") and header.index("自然人") >= 1
    labels = [row[0] for row in grid.rows]
    first = next(i for i, lab in enumerate(labels) if lab.startswith("一、本年新收"))
    assert labels[first + 1].startswith("二、上年结转")
    assert labels[-1] == "四、结转下年度继续办理"
    assert all(lab.startswith("三、本年度办理结果") for lab in labels[first + 2 : -1])
    assert all(len(row) == grid.n_cols for row in grid.rows)


@pytest.mark.parametrize("name", BODIES)
def test_grid_stands_in_text_where_the_table_is(name):
    raw = _load_body(name)
    for grid in raw.grids:
        assert raw.text[grid.start : grid.end].split("\n") == grid_lines(grid.rows, grid.spanned)
    # each grid follows the heading of its part
    starts = [g.start for g in raw.grids]
    for number, start in zip("二三四", starts, strict=True):
        before = raw.text[:start].rstrip("\n").rsplit("\n", 1)[-1]
        assert before.startswith(f"{number}、")


def test_blank_br_cell_stays_blank():
    grid = _table3(_load_body("213_ptzhsyqjjp-2024"))
    row = grid.rows[-1]
    assert row[0] == "四、结转下年度继续办理"
    label_cols = grid.n_cols - 7
    assert row[label_cols:] == ["0", "", "0", "0", "0", "0", "0"]


def test_spanned_positions_recorded():
    grid = _table3(_load_body("213_ptzhsyqjjp-2024"))
    # "三、本年度办理结果" spans many rows in column 0: only its first row is the original
    rows = [i for i, row in enumerate(grid.rows) if row[0] == "三、本年度办理结果"]
    assert len(rows) > 10
    assert (rows[0], 0) not in grid.spanned
    assert all((i, 0) in grid.spanned for i in rows[1:])


def test_multi_paragraph_cells_join():
    raw = _load_body("212_ptzhsyqshs-2023")
    cells = {cell for grid in raw.grids for row in grid.rows for cell in row}
    assert "行政复议" in cells and "行政诉讼" in cells
    assert "结果维持" in cells and "尚未审结" in cells
    assert not any("\n" in c or "\t" in c for c in cells)


# --- generated GBK pages with site chrome ----------------------------------------------------


@pytest.mark.parametrize("layout", ["div", "table"])
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_gbk_page_keeps_headings_and_drops_chrome(seed, layout):
    text = seed.read_text(encoding="utf-8")
    data = to_gbk_html(text, "某市政务服务中心2017年度政府信息公开工作年度报告", layout)
    raw = load_bytes(data, "page.html")
    assert raw.status == "ok" and raw.format == "html" and raw.encoding == "gb18030"
    assert [h.strip() for h in HEADING.findall(raw.text)] == [
        h.strip() for h in HEADING.findall(text)
    ]
    for word in CHROME:
        assert word not in raw.text.replace(text, ""), word
    assert raw.text.startswith("某市政务服务中心2017年度政府信息公开工作年度报告\n")
    assert raw.meta.title == "某市政务服务中心2017年度政府信息公开工作年度报告"
    assert raw.meta.published == "2024-01-26"
    assert raw.meta.written == "2024-01-20"
    assert raw.meta.index_no == "11350100MB0000000X/2024-00012"
    assert raw.meta.issuer == "市政务服务中心"
    assert raw.meta.body_start > 0
    assert not raw.text[raw.meta.body_start :].startswith(("索引号", "成文日期", "标题"))


def test_gbk_only_character_does_not_truncate():
    """A page declaring gb2312 that uses 〇 (GBK only): everything after it is kept."""
    page = (
        '<html><head><meta charset="gb2312"></head><body><div id="zoom">'
        "<p>一、总体情况</p><p>二〇二四年一月十日</p><p>联系电话：12345</p></div></body></html>"
    )
    raw = html.load(page.encode("gbk"), "p.html")
    assert raw.encoding == "gb18030"
    assert raw.text.split("\n")[-2:] == ["二〇二四年一月十日", "联系电话：12345"]


def test_encoded_text_variants_decode_to_same_text():
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        encodings = ["gbk", "big5"] if seed.name.startswith("003") else ["gbk"]
        for encoding in encodings:
            raw = load_bytes(to_encoded_text(text, encoding), seed.name)
            assert raw.status == "ok", (seed.name, encoding)
            assert raw.text == as_encoded(text, encoding), (seed.name, encoding)


def test_government_meta_tags_and_title_fallback():
    page = (
        "<html><head><title>某局2023年政府信息公开工作年度报告_年报_某市政府</title>"
        '<meta name="PubDate" content="2024-01-26 14:58"><meta name="ContentSource" content="某局">'
        '</head><body><div class="TRS_Editor"><p>本报告根据条例编制。一、总体情况。</p></div>'
        "</body></html>"
    )
    raw = html.load(page.encode("utf-8"), "p.html")
    assert raw.meta.published == "2024-01-26"
    assert raw.meta.source == "某局"
    assert raw.meta.title == "某局2023年政府信息公开工作年度报告"
    assert raw.text.startswith("本报告")  # a <title> is not written into the text


# --- hostile and malformed markup ------------------------------------------------------------


def _text(page: str) -> str:
    raw = html.load(page.encode("utf-8"), "p.html")
    assert raw.status == "ok", raw.message
    return raw.text


def test_scripts_styles_and_handlers_never_reach_text():
    text = _text(
        '<html><head><script>var a="<p>坏</p>";</script><style>p{color:red}</style></head>'
        '<body onload="steal()"><p onclick="alert(1)" onmouseover="x()">正文内容</p>'
        '<script type="text/template"><div>模板</div></script><noscript>请启用脚本</noscript>'
        '<a href="javascript:alert(2)">链接</a><iframe src="x">框架</iframe></body></html>'
    )
    assert "正文内容" in text and "链接" in text
    for bad in ("坏", "color", "steal", "alert", "模板", "请启用脚本", "框架"):
        assert bad not in text


def test_fake_closing_tags_are_text_or_ignored():
    assert _text("<p>甲&lt;/p&gt;&lt;/table&gt;乙</p>") == "甲</p></table>乙"
    assert _text("<div><p>甲</span></table></td>乙</p><p>丙</p></div>") == "甲乙\n丙"


@pytest.mark.parametrize("depth", [600, 5000, 100_000])
def test_deep_nesting_gives_a_status(depth):
    page = "<div>" * depth + "深" + "</div>" * depth
    raw = html.load(page.encode(), "deep.html")
    assert raw.status == "unsupported"
    assert "嵌套" in raw.message


def test_moderate_nesting_reads():
    assert _text("<div>" * 200 + "正文" + "</div>" * 200) == "正文"


def test_malformed_markup_still_reads():
    text = _text(
        "<html><body><div><p>一、总体情况<p>内容甲<br>内容乙<table><tr><td>项目<td>数量"
        "<tr><td>申请<td>3</table><p>二、其他<font><b>未闭合"
    )
    assert text.split("\n") == [
        "一、总体情况",
        "内容甲",
        "内容乙",
        "项目\t数量",
        "申请\t3",
        "二、其他未闭合",
    ]


@pytest.mark.parametrize("data", [b"", b"   \n", b"<!-- only a comment -->", b"<html></html>"])
def test_empty_pages(data):
    raw = html.load(data, "e.html")
    assert raw.status == "empty" and raw.message


def test_nul_and_control_bytes_are_dropped():
    assert _text("<p>正\x00文\x07内容</p>") == "正文内容"


def test_short_page_wrapped_in_a_form_keeps_its_body():
    """ASP.NET pages wrap everything in <form>; a short report must not go with the footer."""
    body = "".join(f"<p>{n}、第{n}部分的正文内容。</p>" for n in "一二三四五六")
    page = (
        '<?xml version="1.0" encoding="gb2312"?><html><head><meta charset="gb2312"/></head>'
        f'<body><form id="form1"><div class="nav">首页 政务公开</div><div class="con">{body}</div>'
        '<div class="bottom">版权所有 某市人民政府</div></form></body></html>'
    )
    raw = html.load(page.encode("gbk"), "form.html")
    assert raw.status == "ok"
    assert raw.text.split("\n") == [f"{n}、第{n}部分的正文内容。" for n in "一二三四五六"]


def test_layout_table_is_not_a_grid():
    page = (
        '<div id="zoom"><table><tr><td><p>一、总体情况</p><p>正文第一段。</p><p>二、主动公开</p>'
        "</td></tr><tr><td>第二行</td></tr></table></div>"
    )
    raw = html.load(page.encode(), "l.html")
    assert raw.grids == []
    assert raw.text.split("\n") == ["一、总体情况", "正文第一段。", "二、主动公开", "第二行"]


# --- grid expansion --------------------------------------------------------------------------


def test_expand_rowspan_colspan():
    rows = [
        [SpanCell("A", rowspan=2), SpanCell("B", colspan=2)],
        [SpanCell("c"), SpanCell("d")],
        [SpanCell("e", colspan=3)],
    ]
    grid, spanned = expand(rows)
    assert grid == [["A", "B", "B"], ["A", "c", "d"], ["e", "e", "e"]]
    assert spanned == {(0, 2), (1, 0), (2, 1), (2, 2)}
    assert grid_lines(grid, spanned) == ["A\tB\t", "\tc\td", "e\t\t"]


def test_expand_clips_spans_and_pads_rows():
    grid, spanned = expand(
        [[SpanCell("x", rowspan=0)], [SpanCell("y")], [SpanCell("z", rowspan=99)]]
    )
    assert grid == [["x", ""], ["x", "y"], ["x", "z"]]
    assert spanned == {(1, 0), (2, 0)}
    grid, _ = expand([[SpanCell("a", colspan=10**9)]])
    assert len(grid[0]) == 1000
    with pytest.raises(ValueError):
        expand([[SpanCell("a", rowspan=1000, colspan=1000)]] + [[]] * 999)


def test_join_pieces():
    assert join_pieces(["行", "政", "复", "议"]) == "行政复议"
    assert join_pieces(["结果", " 纠正\u00a0"]) == "结果纠正"
    assert join_pieces(["12", "345"]) == "12 345"
    assert join_pieces(["", "  ", "总计"]) == "总计"
