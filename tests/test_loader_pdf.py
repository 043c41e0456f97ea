"""PDF loader: the three real reports (text, chrome, standard tables cell for cell) and built
fixtures (reportlab text layer, cross-page table, scanned image, encrypted, truncated)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import regex

from auditor.document.loaders import load_bytes, pdf
from auditor.document.model import Grid, RawDocument
from tests import fixtures_pdf

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
REAL = {
    "hz2023": "001_huaian-hongze-district-2023.pdf",
    "hz2024": "002_huaian-hongze-district-2024.pdf",
    "ha2024": "003_huaian-city-gov-2024.pdf",
}
HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
BROKEN_SPACING = regex.compile(r"\p{Han}[ \u3000]+[\p{Han}\d]|\d[ \u3000]+\p{Han}")
PAGE_NUMBER_LINE = regex.compile(r"^\s*(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页.*|\d+\s*/\s*\d+)\s*$")


@cache
def _real(key: str) -> RawDocument:
    path = SAMPLES / REAL[key]
    return pdf.load(path.read_bytes(), str(path))


def _grid(raw: RawDocument, word: str) -> Grid:
    found = [g for g in raw.grids if any(word in cell for row in g.rows for cell in row)]
    assert len(found) == 1, f"{len(found)} grids hold {word}"
    return found[0]


def _row(grid: Grid, label: str) -> list[str]:
    rows = [
        row
        for r, row in enumerate(grid.rows)
        if any(label in cell for c, cell in enumerate(row) if (r, c) not in grid.spanned)
    ]
    assert len(rows) == 1, f"{len(rows)} rows labelled {label}"
    return rows[0]


def _cells(numbers: str) -> list[str]:
    return numbers.split()


def _numbers(row: list[str]) -> list[str]:
    return [cell for cell in row if regex.fullmatch(r"\d+(?:\.\d+)?", cell)]


# -- the real reports -------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(REAL))
def test_real_text_is_clean(key: str) -> None:
    raw = _real(key)
    assert raw.status == "ok", raw.message
    assert raw.format == "pdf"
    assert raw.pages == (6 if key == "ha2024" else 5)
    lines = raw.text.split("\n")
    for heading in HEADINGS:
        assert any(line.startswith(heading) for line in lines), heading
    assert any(regex.match(r"\d{4}年政府信息公开工作年度报告$", line) for line in lines)
    outside = _outside_grids(raw)
    assert not BROKEN_SPACING.search(outside), BROKEN_SPACING.search(outside)
    assert not [line for line in lines if PAGE_NUMBER_LINE.match(line)]
    assert "政府信⏎息" not in raw.text
    # paragraphs are joined: each heading line ends where its paragraph ends
    assert "受理政府信息公开申请" in raw.text.replace("\n", "⏎")


def _outside_grids(raw: RawDocument) -> str:
    text = raw.text
    for g in sorted(raw.grids, key=lambda g: g.start, reverse=True):
        text = text[: g.start] + text[g.end :]
    return text


@pytest.mark.parametrize("key", sorted(REAL))
def test_real_grids_stand_in_text(key: str) -> None:
    raw = _real(key)
    assert len(raw.grids) == 3  # 二 (joined over a page break), 三 (joined), 四
    for g in raw.grids:
        lines = raw.text[g.start : g.end].split("\n")
        assert len(lines) == g.n_rows
        for r, (line, row) in enumerate(zip(lines, g.rows, strict=True)):
            cells = line.split("\t")
            assert len(cells) == len(row)
            for c, (written, cell) in enumerate(zip(cells, row, strict=True)):
                assert written == ("" if (r, c) in g.spanned else cell)
        assert g.page is not None


def test_hz2023_fee_statement_and_figures() -> None:
    text = _real("hz2023").text
    assert "受理政府信息公开申请21件" in text
    assert "主动公开政府信息1136条" in text
    assert "0517-87222589" in text
    assert "信息处理费0元" in text


def test_ha2024_table3() -> None:
    g = _grid(_real("ha2024"), "本年新收")
    assert g.page == 4 and g.n_cols == 10
    assert _numbers(_row(g, "一、本年新收")) == ["3001", "53", "0", "0", "61", "4", "3119"]
    assert _numbers(_row(g, "二、上年结转")) == ["34", "0", "0", "0", "0", "0", "34"]
    assert _numbers(_row(g, "（一）予以公开")) == ["1288", "21", "0", "0", "50", "3", "1362"]
    assert _numbers(_row(g, "本机关不掌握")) == ["746", "12", "0", "0", "10", "1", "769"]
    assert _numbers(_row(g, "（七）总计")) == ["2932", "53", "0", "0", "61", "4", "3050"]
    assert _numbers(_row(g, "四、结转下年度继续办理")) == ["103", "0", "0", "0", "0", "0", "103"]
    # the header cells
    assert g.rows[0][3] == "申请人情况" and g.rows[1][3] == "自然人" and g.rows[1][9] == "总计"
    assert g.rows[2][4:9] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    # vertical group label joined and spread over its rows; first copy only is not spanned
    first = g.rows.index(_row(g, "（一）予以公开"))
    last = g.rows.index(_row(g, "（七）总计"))
    assert {g.rows[r][0] for r in range(first, last + 1)} == {"三、本年度办理结果"}
    assert (first, 0) not in g.spanned
    assert all((r, 0) in g.spanned for r in range(first + 1, last + 1))
    # "（四）无" / "法提供" cut by the page break is one label again
    assert _row(g, "2.没有现成信息需要另行制作")[1] == "（四）无法提供"
    assert _row(g, "3.补正后申请内容仍不明确")[1] == "（四）无法提供"
    assert _row(g, "3、其他")[1] == "（六）其他处理"


def test_ha2024_table4() -> None:
    g = _grid(_real("ha2024"), "复议后起诉")
    assert (g.n_rows, g.n_cols) == (4, 15)
    assert g.rows[0] == ["行政复议"] * 5 + ["行政诉讼"] * 10
    assert g.rows[1][5:] == ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5
    assert g.rows[2][5:10] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert g.rows[3] == _cells("72 64 178 37 351 13 4 8 1 26 12 1 1 6 20")


def test_ha2024_table2() -> None:
    g = _grid(_real("ha2024"), "本年制发件数")
    assert _row(g, "规章")[:4] == ["规章", "1", "0", "11"]
    assert _row(g, "行政规范性文件")[:4] == ["行政规范性文件", "8", "26", "66"]
    # the part on the next page is joined; its 2-column rows span the 3 number columns
    r = g.rows.index(_row(g, "行政处罚"))
    assert g.rows[r] == ["行政处罚", "3985758", "3985758", "3985758"]
    assert {(r, 2), (r, 3)} <= g.spanned and (r, 1) not in g.spanned
    assert _row(g, "行政事业性收费")[1] == "96171.6"


def test_hz2023_table4_keeps_source_defect() -> None:
    g = _grid(_real("hz2023"), "复议后起诉")
    # 行政复议 维持10 纠正1 其他0 未结0 but 总计 0 in the source: kept as printed
    assert g.rows[3] == _cells("10 1 0 0 0 0 0 0 0 0 5 0 0 0 0")
    assert g.rows[0] == ["行政复议"] * 5 + ["行政诉讼"] * 10


def test_hz2023_table3() -> None:
    g = _grid(_real("hz2023"), "本年新收")
    assert g.n_rows == 26 and g.n_cols == 10
    assert _numbers(_row(g, "一、本年新收")) == ["21", "0", "0", "0", "0", "0", "21"]
    assert _numbers(_row(g, "本机关不掌握")) == ["10", "0", "0", "0", "0", "0", "10"]
    assert _numbers(_row(g, "没有现成信息")) == ["3", "0", "0", "0", "0", "0", "3"]
    assert _numbers(_row(g, "信访举报投诉类")) == ["1", "0", "0", "0", "0", "0", "1"]
    assert _numbers(_row(g, "（七）总计")) == ["21", "0", "0", "0", "0", "0", "21"]
    assert _row(g, "2.其他法律行政止公开")[0] == "三、本年度办理结果"  # source typo kept
    # a row cut by the page break: the labels above continue into it
    assert _row(g, "3.补正后申请内容仍不明确")[:2] == ["三、本年度办理结果", "（四）无法提供"]
    assert _row(g, "5.要求行政机关确认或重新出具已获取信息")[1] == "（五）不予处理"


def test_hz2024_tables() -> None:
    raw = _real("hz2024")
    g3 = _grid(raw, "本年新收")
    assert _numbers(_row(g3, "一、本年新收")) == ["95", "0", "0", "0", "0", "0", "95"]
    assert _numbers(_row(g3, "（一）予以公开")) == ["50", "0", "0", "0", "0", "0", "50"]
    assert _numbers(_row(g3, "（七）总计")) == ["95", "0", "0", "0", "0", "0", "95"]
    g4 = _grid(raw, "复议后起诉")
    assert g4.rows[3] == _cells("1 1 0 0 2 1 0 0 0 1 2 0 1 0 3")
    g2 = _grid(raw, "本年制发件数")
    assert _row(g2, "行政规范性文件")[:4] == ["行政规范性文件", "3", "0", "8"]
    assert _row(g2, "行政许可")[1] == "9487"


def test_dispatch_through_load_bytes() -> None:
    path = SAMPLES / REAL["hz2024"]
    raw = load_bytes(path.read_bytes(), "upload.docx")  # content decides, not the name
    assert raw.format == "pdf" and raw.status == "ok" and len(raw.sha256) == 64


# -- built fixtures ---------------------------------------------------------------------------


def _seed_paragraphs() -> list[str]:
    text = (SAMPLES / "000_340bac1f8475ed93.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


def test_text_layer_fixture_round_trips_paragraphs() -> None:
    paragraphs = _seed_paragraphs()
    data = fixtures_pdf.text_pdf(paragraphs)
    raw = pdf.load(data, "seed.pdf")
    assert raw.status == "ok", raw.message
    assert raw.pages and raw.pages >= 3
    lines = raw.text.split("\n")
    # one line per source paragraph: wrapped lines joined, paragraph breaks kept
    assert [regex.sub(r"\s+", "", x) for x in lines] == [
        regex.sub(r"\s+", "", p) for p in paragraphs
    ]
    assert fixtures_pdf.HEADER not in raw.text  # running header repeated on every page
    assert not [line for line in lines if PAGE_NUMBER_LINE.match(line)]
    assert not BROKEN_SPACING.search(raw.text)  # the drawn "2017 年" reads "2017年"
    assert "2017年度市政务办依申请公开政府信息135件" in raw.text
    assert raw.grids == []


def test_table_fixture_joins_pages_and_expands_spans() -> None:
    raw = pdf.load(fixtures_pdf.table_pdf(), "table.pdf")
    assert raw.status == "ok", raw.message
    assert len(raw.grids) == 1
    g = raw.grids[0]
    assert g.page == 1
    label = "三、本年度办理结果"  # drawn a character per line, cut by the page break
    assert g.rows == [
        ["申请人情况", "申请人情况", "自然人", "总计"],
        *([label, name, a, b] for name, a, b in fixtures_pdf.TABLE_ROWS),
    ]
    assert g.spanned == {(0, 1), (2, 0), (3, 0), (4, 0), (5, 0)}
    assert raw.text[g.start : g.end].split("\n")[1] == f"{label}\t（一）予以公开\t5\t5"
    assert raw.text.endswith("以上为本年度办理情况。")


def test_image_only_pdf_has_no_text_layer() -> None:
    raw = pdf.load(fixtures_pdf.image_pdf(), "scan.pdf")
    assert raw.status == "no_text_layer"
    assert raw.message == "PDF 没有文字层（扫描图像），需要先进行文字识别（OCR）"
    assert raw.text == ""


def test_encrypted_pdf_is_unreadable() -> None:
    raw = pdf.load(fixtures_pdf.encrypted_pdf(), "locked.pdf")
    assert raw.status == "unreadable"
    assert "加密" in raw.message


@pytest.mark.parametrize("key", sorted(REAL))
def test_truncated_pdf_never_raises(key: str) -> None:
    data = (SAMPLES / REAL[key]).read_bytes()
    raw = pdf.load(data[: len(data) // 2], "half.pdf")
    assert raw.status in ("unreadable", "ok")
    assert raw.warnings and "不完整" in raw.warnings[0]
    if raw.status == "unreadable":
        assert raw.message


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", b"%PDF-" + bytes(500)],
)
def test_broken_pdf_is_unreadable(data: bytes) -> None:
    raw = pdf.load(data, "broken.pdf")
    assert raw.status in ("unreadable", "empty")
    assert raw.message


def test_page_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "MAX_PAGES", 3)
    raw = pdf.load((SAMPLES / REAL["hz2023"]).read_bytes(), "long.pdf")
    assert raw.status == "unsupported"
    assert "3 页" in raw.message and raw.pages == 5


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("政府信息 33.59 万条", "政府信息33.59万条"),
        ("2017 年", "2017年"),
        ("号 ， 邮 编 ： 223100 ，", "号，邮编：223100，"),
        ("总 计", "总计"),
        ("hzzwgk@126.com  mail  box", "hzzwgk@126.com mail box"),
        ("10 1 0", "10 1 0"),
    ],
)
def test_tidy(given: str, expected: str) -> None:
    assert pdf.tidy(given) == expected
