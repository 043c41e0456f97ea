"""DOCX loader: the real 2021 template, seed reports as Word files, merged cells, bad files."""

from __future__ import annotations

import copy
import io
import struct
import zipfile
from pathlib import Path

import docx
import pytest
import regex
from docx.oxml.ns import qn

from auditor.document.gridexpand import grid_lines
from auditor.document.loaders import docx as docx_loader
from auditor.document.loaders import load_bytes
from tests.variants import to_docx

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TEMPLATE = SAMPLES / "004_TEMPLATE_2021-format-blank-template.docx"
SEEDS = sorted(SAMPLES.glob("00[0-4]_*.txt"))
HEADING = regex.compile(r"^\s*([一二三四五六七八九十]+、.*?)\s*$", regex.M)


def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _outside_grids(raw) -> str:
    text = raw.text
    for grid in raw.grids:
        text = text[: grid.start] + " " * (grid.end - grid.start) + text[grid.end :]
    return text


# --- the real blank 2021 template ------------------------------------------------------------


def test_template_tables_and_headings():
    raw = load_bytes(TEMPLATE.read_bytes(), TEMPLATE.name)
    assert raw.status == "ok" and raw.format == "docx"
    assert [(g.n_rows, g.n_cols) for g in raw.grids] == [(14, 4), (28, 10), (4, 15)]
    headings = [h[0] for h in HEADING.findall(_outside_grids(raw))]
    assert headings == list("一二三四五六")
    for grid in raw.grids:
        assert raw.text[grid.start : grid.end].split("\n") == grid_lines(grid.rows, grid.spanned)
        assert all(len(row) == grid.n_cols for row in grid.rows)


def test_template_merged_cells_are_spanned():
    raw = load_bytes(TEMPLATE.read_bytes(), TEMPLATE.name)
    t2, t3, t4 = raw.grids
    assert t2.rows[0] == ["第二十条第（一）项"] * 4
    assert {(0, 1), (0, 2), (0, 3)} <= t2.spanned and (0, 0) not in t2.spanned
    col0 = [row[0] for row in t3.rows]
    merged = [i for i, label in enumerate(col0) if label == "三、本年度办理结果"]
    assert len(merged) == 22  # (一) 1 + (二) 1 + (三) 8 + (四) 3 + (五) 5 + (六) 3 + (七) 1
    assert (merged[0], 0) not in t3.spanned and all((i, 0) in t3.spanned for i in merged[1:])
    assert t3.rows[-1][0] == "四、结转下年度继续办理"
    cols = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert t3.rows[2][3:] == cols  # 自然人 and 总计 are vertical merges from row 1
    assert {(2, 3), (2, 9)} <= t3.spanned and (2, 4) not in t3.spanned
    assert t4.rows[0][:5] == ["行政复议"] * 5 and t4.rows[0][5:] == ["行政诉讼"] * 10
    assert t4.rows[2][:5] == [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
    ]  # vMerge copies


# --- seed reports as Word files --------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seed_docx_keeps_headings(seed):
    text = seed.read_text(encoding="utf-8")
    raw = load_bytes(to_docx(text), seed.with_suffix(".docx").name)
    assert raw.status == "ok" and raw.format == "docx"
    assert [h.strip() for h in HEADING.findall(raw.text)] == [
        h.strip() for h in HEADING.findall(text)
    ]
    assert regex.sub(r"\s", "", raw.text) == regex.sub(r"\s", "", text)


# --- merged cells, body order, numbering, content controls -----------------------------------


def test_merged_cells_and_body_order():
    document = docx.Document()
    document.add_paragraph("一、总体情况")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "第二十条第（一）项"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "行政许可"
    table.cell(1, 1).text = "本年"
    table.cell(1, 2).text = "12"
    table.cell(2, 1).text = "上年"
    cell = table.cell(2, 2)
    cell.text = "行"
    for ch in "政复议":
        cell.add_paragraph(ch)
    document.add_paragraph("二、主动公开")
    raw = docx_loader.load(_save(document), "m.docx")
    assert raw.status == "ok"
    (grid,) = raw.grids
    assert grid.rows == [
        ["第二十条第（一）项"] * 3,
        ["行政许可", "本年", "12"],
        ["行政许可", "上年", "行政复议"],
    ]
    assert grid.spanned == {(0, 1), (0, 2), (2, 0)}
    lines = raw.text.split("\n")
    assert lines[0] == "一、总体情况" and lines[-1] == "二、主动公开"
    assert lines[1:4] == ["第二十条第（一）项\t\t", "行政许可\t本年\t12", "\t上年\t行政复议"]


def test_word_list_numbers_are_written():
    """Headings numbered by Word (一、 from a numbering definition) keep their numbers."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = copy.deepcopy(numbering.find(qn("w:abstractNum")))
    abstract.set(qn("w:abstractNumId"), "90")
    for lvl in abstract.findall(qn("w:lvl")):
        if lvl.get(qn("w:ilvl")) == "0":
            lvl.find(qn("w:numFmt")).set(qn("w:val"), "chineseCounting")
            lvl.find(qn("w:lvlText")).set(qn("w:val"), "%1、")
            lvl.find(qn("w:start")).set(qn("w:val"), "1")
    numbering.insert(0, abstract)
    num = numbering.add_num(90)
    for title in ["总体情况", "主动公开政府信息情况", "其他需要报告的事项"]:
        p = document.add_paragraph(title, style="Heading 1")
        p_pr = p._p.get_or_add_pPr()
        num_pr = p_pr.get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = num.numId
        document.add_paragraph("正文。")
    raw = docx_loader.load(_save(document), "n.docx")
    assert [h for h in raw.text.split("\n") if h != "正文。"] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、其他需要报告的事项",
    ]


def test_content_controls_and_tracked_insertions_are_read():
    document = docx.Document()
    document.add_paragraph("前言")
    inside = document.add_paragraph("控件中的段落")
    sdt = inside._p.makeelement(qn("w:sdt"), {})
    content = sdt.makeelement(qn("w:sdtContent"), {})
    sdt.append(content)
    inside._p.addprevious(sdt)
    content.append(inside._p)
    para = document.add_paragraph("原有")
    ins = para._p.makeelement(qn("w:ins"), {qn("w:id"): "1", qn("w:author"): "a"})
    run = para.add_run("插入")._r
    ins.append(run)
    para._p.append(ins)
    raw = docx_loader.load(_save(document), "c.docx")
    assert raw.text.split("\n") == ["前言", "控件中的段落", "原有插入"]


def test_core_title_fills_meta():
    document = docx.Document()
    document.core_properties.title = "某局2023年政府信息公开工作年度报告"
    document.add_paragraph("正文")
    raw = docx_loader.load(_save(document), "t.docx")
    assert raw.meta.title == "某局2023年政府信息公开工作年度报告"


# --- bad input -------------------------------------------------------------------------------


def test_truncated_docx_is_unreadable():
    data = TEMPLATE.read_bytes()
    raw = load_bytes(data[: len(data) // 2], "half.docx")
    assert raw.status == "unreadable" and "损坏" in raw.message


def test_zip_without_word_body_is_unsupported():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("word/styles.xml", "<x/>")
        archive.writestr("readme.txt", "hello")
    raw = load_bytes(buf.getvalue(), "fake.docx")
    assert raw.status == "unsupported" and "word/document.xml" in raw.message


def test_zip_bomb_is_refused_before_parsing():
    """A member that claims to inflate to ~4 GB: refused from the zip directory alone."""
    data = bytearray(TEMPLATE.read_bytes())
    cd = data.rfind(b"PK\x01\x02")  # last central-directory entry
    struct.pack_into("<I", data, cd + 24, 0xFFFFFFF0)
    raw = docx_loader.load(bytes(data), "bomb.docx")
    assert raw.status == "unsupported" and "过大" in raw.message


def test_real_deflate_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(docx_loader, "MAX_UNCOMPRESSED", 5 * 1024 * 1024)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (6 * 1024 * 1024))
    assert len(buf.getvalue()) < 100_000
    raw = docx_loader.load(buf.getvalue(), "bomb.docx")
    assert raw.status == "unsupported"


def test_garbage_after_zip_magic_is_unreadable():
    raw = docx_loader.load(b"PK\x03\x04" + b"word/" + b"\x00\xff" * 500, "junk.docx")
    assert raw.status == "unreadable" and raw.message


def test_broken_document_xml_is_unreadable():
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(TEMPLATE.read_bytes())) as src,
        zipfile.ZipFile(buf, "w") as dst,
    ):
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/document.xml":
                body = body[: len(body) // 2]
            dst.writestr(info, body)
    raw = docx_loader.load(buf.getvalue(), "broken.docx")
    assert raw.status == "unreadable" and "Word" in raw.message


def test_empty_docx():
    raw = docx_loader.load(_save(docx.Document()), "empty.docx")
    assert raw.status == "empty"
