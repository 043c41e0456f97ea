"""The same seed read from other formats gives the same reading.

Each seed is converted to a Word file, a GBK web page wrapped in site chrome, a PDF with a
text layer, and GBK/Big5 text; every variant must give the same kind, year, top-level parts
and section titles as the original crawl text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.document.reader import read, read_bytes
from tests import fixtures_pdf, variants

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEEDS = [
    "000_340bac1f8475ed93.txt",
    "002_750ab5ebf1f3b941.txt",
    "003_3652b83934f3edf5.txt",
    "001_687b4b7f304522fd.txt",
    "004_bd982173723fbff0.txt",
]


def reading(doc) -> tuple:
    return (doc.kind, doc.year, doc.actual_parts, [s.title for s in doc.top_sections()])


@pytest.fixture(scope="module", params=SEEDS)
def seed(request) -> tuple[str, str, tuple, str]:
    path = SAMPLES / request.param
    original = read(path)
    page_title = original.title or "政府信息公开"  # what a site would put in <title>
    return request.param, path.read_text("utf-8"), reading(original), page_title


def test_docx_variant(seed) -> None:
    name, text, expected, _ = seed
    doc = read_bytes(variants.to_docx(text), name.replace(".txt", ".docx"))
    assert doc.format == "docx"
    assert reading(doc) == expected


@pytest.mark.parametrize("layout", ["div", "table"])
def test_gbk_web_page_variant(seed, layout: str) -> None:
    name, text, expected, page_title = seed
    data = variants.to_gbk_html(text, page_title, layout=layout)
    doc = read_bytes(data, name.replace(".txt", ".html"))
    assert doc.format == "html"
    assert doc.encoding == "gb18030"
    assert reading(doc) == expected
    for chrome in ("当前位置", "版权所有", "ICP备"):
        assert chrome not in doc.text


def test_pdf_variant(seed) -> None:
    name, text, expected, _ = seed
    paragraphs = [line for line in text.split("\n") if line.strip()]
    doc = read_bytes(fixtures_pdf.text_pdf(paragraphs), name.replace(".txt", ".pdf"))
    assert doc.format == "pdf"
    assert reading(doc) == expected


def test_gbk_text_variant(seed) -> None:
    name, text, expected, _ = seed
    if name.startswith("003"):
        pytest.skip("Traditional seed: its GBK round trip is covered by the Big5 variant")
    doc = read_bytes(variants.to_encoded_text(text, "gbk"), name)
    assert doc.encoding == "gb18030"
    assert reading(doc) == expected


def test_big5_text_variant() -> None:
    path = SAMPLES / "003_3652b83934f3edf5.txt"
    text = path.read_text("utf-8")
    doc = read_bytes(variants.to_encoded_text(text, "big5"), path.name)
    assert doc.encoding.startswith("big5")
    assert doc.script == "hant"
    assert reading(doc) == reading(read(path))
