"""Build PDF test inputs with reportlab (STSong-Light CID font, no font files needed).

* :func:`text_pdf` — a report's text laid out like a Word export: wrapped lines, a first-line
  indent per paragraph, a running header and "- n -" page numbers, and the spaces PDF
  extractors see around digits ("2017 年");
* :func:`table_pdf` — a ruled table with merged cells that runs over a page break;
* :func:`image_pdf` — a scanned page: an image and shapes, no text layer;
* :func:`encrypted_pdf` — a PDF that needs a password.
"""

from __future__ import annotations

import io

import regex

FONT = "STSong-Light"
SIZE = 12.0
LEADING = 20.0
MARGIN = 72.0
HEADER = "某某市人民政府办公室"

_DIGITS = regex.compile(r"(?<=\p{Han})(?=\d)|(?<=\d)(?=\p{Han})")


def _canvas(buf: io.BytesIO, **kwargs):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return canvas.Canvas(buf, pagesize=A4, **kwargs), A4


def spaced(text: str) -> str:
    """Put spaces around digit runs next to Chinese, as PDF text extraction shows them."""
    return _DIGITS.sub(" ", text)


def _wrap(text: str, width: float, indent: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    avail = width - indent
    for ch in text:
        if stringWidth(line + ch, FONT, SIZE) > avail:
            lines.append(line)
            line, avail = "", width
        line += ch
    if line:
        lines.append(line)
    return lines


def text_pdf(paragraphs: list[str]) -> bytes:
    """A multi-page PDF of the paragraphs (one per list item)."""
    buf = io.BytesIO()
    c, (page_w, page_h) = _canvas(buf)
    width = page_w - 2 * MARGIN
    page = 1
    y = page_h - MARGIN

    def chrome() -> None:
        c.setFont(FONT, 9)
        c.drawCentredString(page_w / 2, page_h - 40, HEADER)
        c.drawCentredString(page_w / 2, 36, f"- {page} -")
        c.setFont(FONT, SIZE)

    chrome()
    for para in paragraphs:
        indent = 2 * SIZE
        for i, line in enumerate(_wrap(spaced(para), width, indent)):
            if y < MARGIN:
                c.showPage()
                page += 1
                chrome()
                y = page_h - MARGIN
            c.drawString(MARGIN + (indent if i == 0 else 0), y, line)
            y -= LEADING
    c.showPage()
    c.save()
    return buf.getvalue()


def table_pdf() -> bytes:
    """Text, then a ruled table with merged cells that runs over a page break.

    Page 1: a heading, a paragraph, the header row (its label spans two columns) and three
    rows; page 2: two more rows (no header), then a closing paragraph. The first column is one
    merged cell per page holding the vertical group label, one character per line, cut in two
    by the page break ("三、本年" / "度办理结果").
    """
    buf = io.BytesIO()
    c, (_, page_h) = _canvas(buf)
    xs = [MARGIN, MARGIN + 40, MARGIN + 200, MARGIN + 290, MARGIN + 380]
    c.setFont(FONT, SIZE)
    c.drawString(MARGIN, page_h - MARGIN, "三、收到和处理政府信息公开申请情况")
    c.drawString(MARGIN + 2 * SIZE, page_h - MARGIN - LEADING, "本年度收到申请情况如下表。")
    top = page_h - MARGIN - 2 * LEADING - 10
    _table_part(c, xs, top, TABLE_ROWS[:3], "三、本年", header=True)
    c.showPage()
    top = page_h - MARGIN
    _table_part(c, xs, top, TABLE_ROWS[3:], "度办理结果", header=False)
    c.setFont(FONT, SIZE)
    c.drawString(MARGIN + 2 * SIZE, top - 2 * ROW_H - 30, "以上为本年度办理情况。")
    c.showPage()
    c.save()
    return buf.getvalue()


ROW_H = 24.0
TABLE_HEADER = ("申请人情况", "自然人", "总计")
TABLE_ROWS = [
    ("（一）予以公开", "5", "5"),
    ("（二）部分公开", "2", "2"),
    ("（三）不予公开", "1", "1"),
    ("（四）无法提供", "3", "3"),
    ("（五）不予处理", "0", "0"),
]


def _table_part(c, xs, top, rows, group: str, header: bool) -> None:
    """Rule and fill one page's part of the table."""
    c.setLineWidth(0.5)
    n = len(rows) + (1 if header else 0)
    bottom = top - n * ROW_H
    body_top = top - ROW_H if header else top
    c.rect(xs[0], bottom, xs[-1] - xs[0], top - bottom)
    c.line(xs[1], body_top, xs[1], bottom)  # the label columns share the header cell
    for x in xs[2:-1]:
        c.line(x, top, x, bottom)
    if header:
        c.line(xs[0], body_top, xs[-1], body_top)
    for i in range(1, len(rows)):
        c.line(xs[1], body_top - i * ROW_H, xs[-1], body_top - i * ROW_H)
    c.setFont(FONT, 9)
    if header:
        for x, label in zip((xs[0], xs[2], xs[3]), TABLE_HEADER, strict=True):
            c.drawString(x + 4, top - 15, label)
    step = (body_top - bottom) / (len(group) + 1)
    for i, ch in enumerate(group):
        c.drawString(xs[0] + 15, body_top - (i + 1) * step - 3, ch)
    for i, (label, a, b) in enumerate(rows):
        y = body_top - i * ROW_H - 15
        c.drawString(xs[1] + 4, y, label)
        c.drawRightString(xs[3] - 6, y, a)
        c.drawRightString(xs[4] - 6, y, b)


def image_pdf() -> bytes:
    """One page holding a grey image and a few shapes: no text layer at all."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    buf = io.BytesIO()
    c, (page_w, page_h) = _canvas(buf)
    img = Image.new("RGB", (200, 280), (235, 235, 235))
    for x in range(20, 180):
        for y in range(40, 44):
            img.putpixel((x, y), (20, 20, 20))
    c.drawImage(ImageReader(img), MARGIN, MARGIN, page_w - 2 * MARGIN, page_h - 2 * MARGIN)
    c.rect(MARGIN, MARGIN, 100, 40)
    c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf() -> bytes:
    """A text PDF that needs the user password "secret" to open."""
    buf = io.BytesIO()
    c, (_, page_h) = _canvas(buf, encrypt="secret")
    c.setFont(FONT, SIZE)
    c.drawString(MARGIN, page_h - MARGIN, "一、总体情况")
    c.showPage()
    c.save()
    return buf.getvalue()
