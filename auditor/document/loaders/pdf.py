"""PDF reports: text layer and ruled tables → :class:`RawDocument`.

Text and geometry come from pypdfium2 (fast). Table structure is found with pdfplumber's
ruling-line algorithm (edges → intersections → cells → tables), fed with the border lines that
pdfium reads from the page's path objects; that avoids pdfminer's slow page parse (~100 ms per
page) while keeping pdfplumber's table finder.

What the loader repairs, so the returned text is what evidence can be quoted from:

* spacing: no spaces between CJK characters or between CJK and digits ("33.59 万条" →
  "33.59万条"); line breaks inside paragraphs are joined, paragraph breaks (first-line indent,
  short last line) and headings (一、 / (一) / （一） / 1.) start new lines;
* page chrome: page numbers ("- 3 -", "第 3 页", "3/6") and lines repeated on most pages;
* tables: merged cells expanded (filled positions recorded in ``Grid.spanned``), bordered text
  pages dropped, a table continued on the next page joined, vertical labels joined; each table
  is written into the text one row per line, cells separated by tabs (spanned positions empty).
"""

from __future__ import annotations

import ctypes
import io
import itertools
import math
import statistics
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import regex

from auditor.document.model import Grid, RawDocument

if TYPE_CHECKING:
    from pypdfium2 import PdfDocument, PdfPage

PageObject = Any  # a raw FPDF_PAGEOBJECT handle (ctypes pointer)

MAX_PAGES = 300

_NEED_EXTRA = "读取 PDF 需要安装 auditor[pdf]（pdfplumber）"
NO_TEXT_MESSAGE = "PDF 没有文字层（扫描图像），需要先进行文字识别（OCR）"

# Words found in the header or label cells of the standard tables (and of older statistics
# tables). A ruled "table" holding none of them and no numeric cell is a bordered text block.
TABLE_KEYWORDS = (
    "信息内容",
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额",
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "本年新收",
    "上年结转",
    "行政复议",
    "行政诉讼",
    "结果维持",
    "结果纠正",
    "尚未审结",
    "第二十条",
    "勾稽关系",
    "统计指标",
)
# Words that open a new table; a continuation on the next page does not start with them.
TABLE_START_KEYWORDS = (
    "申请人情况",
    "勾稽关系",
    "行政复议",
    "本年制发件数",
    "本年新制作数量",
    "统计指标",
)

_CJK = r"\p{Han}\u3000-\u303f\uff00-\uffef、。《》“”‘’〔〕【】—…·"
_SPACE_NEAR_CJK = regex.compile(rf"[^\S\n]+(?=[{_CJK}])|(?<=[{_CJK}])[^\S\n]+")
_MULTI_SPACE = regex.compile(r"[^\S\n]{2,}")
_SPACES = regex.compile(r"\s+")
_DIGITS = regex.compile(r"\d+")
_HEADING = regex.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[）)]"
    r"|\d{1,2}\s*[、．]|\d{1,2}\.(?!\d)"
    r"|第[一二三四五六七八九十\d]{1,3}\s*[部章节])"
)
_ITEM_MARKER = regex.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、])"
)
_NUMBER = regex.compile(r"^[-+]?\d[\d,，]*(?:\.\d+)?%?$")
_PAGE_NUMBER = regex.compile(
    r"^(?:[-—–－~_\s]*\d{1,4}[-—–－~_\s]*"
    r"|第\s*\d+\s*页(?:\s*[/,，]?\s*共\s*\d+\s*页)?"
    r"|共\s*\d+\s*页\s*[,，]?\s*第\s*\d+\s*页"
    r"|\d+\s*/\s*\d+"
    r"|(?i:page)\s*\d+(?:\s*(?i:of)\s*\d+)?)$"
)
_SENTENCE_END = "。！？；：!?;:”）)"


# -- text tidying ---------------------------------------------------------------------------


def tidy(text: str) -> str:
    """Drop the spaces PDF extractors put next to CJK characters; collapse other runs."""
    text = _SPACE_NEAR_CJK.sub("", text)
    return _MULTI_SPACE.sub(" ", text).strip()


def _join_pieces(a: str, b: str) -> str:
    """Join two pieces of one paragraph or cell broken by a line end."""
    if not a or not b:
        return a + b
    if a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha():
        return a + " " + b
    return a + b


def _cell_text(raw: str) -> str:
    pieces = [tidy(p) for p in raw.replace("\r", "").split("\n")]
    out = ""
    for piece in pieces:
        if piece:
            out = _join_pieces(out, piece)
    return out


# -- page reading ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Char:
    ch: str
    box: tuple[float, float, float, float] | None  # x0, top, x1, bottom (top-down) or None


@dataclass(slots=True)
class _Line:
    text: str
    x0: float | None = None
    x1: float | None = None
    top: float | None = None
    bottom: float | None = None


@dataclass(slots=True)
class _Cell:
    r0: int
    r1: int  # exclusive
    c0: int
    c1: int  # exclusive
    text: str


@dataclass(slots=True)
class _Table:
    page: int
    xs: list[float]  # column boundaries
    ys: list[float]  # row boundaries (top-down); only meaningful before a cross-page join
    cells: list[_Cell]

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def top(self) -> float:
        return self.ys[0]

    @property
    def bottom(self) -> float:
        return self.ys[-1]

    def grid(self) -> tuple[list[list[str]], set[tuple[int, int]]]:
        n_cols = len(self.xs) - 1
        rows = [[""] * n_cols for _ in range(self.n_rows)]
        spanned: set[tuple[int, int]] = set()
        for cell in self.cells:
            for r in range(cell.r0, cell.r1):
                for c in range(cell.c0, cell.c1):
                    rows[r][c] = cell.text
                    if (r, c) != (cell.r0, cell.c0):
                        spanned.add((r, c))
        return rows, spanned


@dataclass(slots=True)
class _Page:
    number: int  # 1-based
    items: list[_Line | _Table] = field(default_factory=list)
    chars: int = 0  # non-space characters of the text layer
    images: int = 0
    garbled: int = 0  # replacement / private-use characters


def _read_chars(page: PdfPage, height: float) -> list[_Char]:
    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        text = textpage.get_text_range(0, n) if n else ""
        if len(text) != n:  # surrogate pairs: no per-character geometry
            return [_Char(ch, None) for ch in text]
        out: list[_Char] = []
        for i, ch in enumerate(text):
            if ch.isspace():
                out.append(_Char(ch, None))
                continue
            left, bottom, right, top = textpage.get_charbox(i)
            if right <= left and top <= bottom:
                out.append(_Char(ch, None))
            else:
                out.append(_Char(ch, (left, height - top, right, height - bottom)))
        return out
    finally:
        textpage.close()


def _lines(chars: list[_Char]) -> list[_Line]:
    lines: list[_Line] = []
    buf: list[_Char] = []

    def flush() -> None:
        text = tidy("".join(c.ch for c in buf).replace("\r", ""))
        boxes = [c.box for c in buf if c.box is not None and not c.ch.isspace()]
        if text:
            if boxes:
                lines.append(
                    _Line(
                        text,
                        min(b[0] for b in boxes),
                        max(b[2] for b in boxes),
                        min(b[1] for b in boxes),
                        max(b[3] for b in boxes),
                    )
                )
            else:
                lines.append(_Line(text))
        buf.clear()

    for c in chars:
        if c.ch == "\n":
            flush()
        else:
            buf.append(c)
    flush()
    return lines


# -- ruling lines from pdfium path objects ----------------------------------------------------


def _matrix(obj: PageObject) -> tuple[float, ...]:
    import pypdfium2.raw as c

    m = c.FS_MATRIX()
    if not c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _mat_mul(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """Matrix of applying ``m`` first, then ``n``."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _drawn(obj: PageObject) -> bool:
    """False for paths that are neither filled nor stroked (clipping paths).

    White fills are kept: Word paints white cell backgrounds whose borders close the cells
    of a row cut by a page break.
    """
    import pypdfium2.raw as c

    fill, stroke = ctypes.c_int(0), ctypes.c_int(0)
    if not c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return True
    return bool(fill.value or stroke.value)


def _path_edges(obj: PageObject, matrix: tuple[float, ...], height: float) -> list[dict]:
    import pypdfium2.raw as c

    a, b, cc, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    edges: list[dict] = []
    start = cur = None
    for i in range(c.FPDFPath_CountSegments(obj)):
        seg = c.FPDFPath_GetPathSegment(obj, i)
        if not c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
            continue
        pt = (a * x.value + cc * y.value + e, height - (b * x.value + d * y.value + f))
        kind = c.FPDFPathSegment_GetType(seg)
        if kind == c.FPDF_SEGMENT_MOVETO:
            start = pt
        elif kind == c.FPDF_SEGMENT_LINETO and cur is not None:
            _add_edge(edges, cur, pt)
        cur = pt
        if c.FPDFPathSegment_GetClose(seg) and start is not None:
            _add_edge(edges, pt, start)
            cur = start
    return edges


def _add_edge(edges: list[dict], p: tuple[float, float], q: tuple[float, float]) -> None:
    x0, x1 = sorted((p[0], q[0]))
    top, bottom = sorted((p[1], q[1]))
    if bottom - top < 0.5 and x1 - x0 >= 1:
        orientation = "h"
    elif x1 - x0 < 0.5 and bottom - top >= 1:
        orientation = "v"
    else:
        return
    if orientation == "h":
        top = bottom = (top + bottom) / 2
    else:
        x0 = x1 = (x0 + x1) / 2
    edges.append(
        {
            "object_type": "line",
            "orientation": orientation,
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "doctop": top,
            "width": x1 - x0,
            "height": bottom - top,
        }
    )


@dataclass(slots=True)
class _Scan:
    """What the page's objects hold besides text."""

    edges: list[dict] = field(default_factory=list)  # ruling lines
    images: int = 0
    lossy: bool = False  # text pdfium cannot measure and so leaves out (see _lossy_text)


def _lossy_text(obj: PageObject, embedded: dict[int | None, bool]) -> bool:
    """A text object with a zero-width box in a font that is not embedded.

    pdfium measures glyphs with the font program; with a non-embedded CJK font and no system
    font to stand in, a one-character text object has no width and pdfium drops it from the
    text layer (vertical labels drawn one character at a time vanish). ``embedded`` caches
    each font's answer.
    """
    import pypdfium2.raw as c

    font = c.FPDFTextObj_GetFont(obj)
    key = ctypes.cast(font, ctypes.c_void_p).value
    if key not in embedded:
        embedded[key] = not font or bool(c.FPDFFont_GetIsEmbedded(font))
    if embedded[key]:
        return False
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not c.FPDFPageObj_GetBounds(
        obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)
    ):
        return False
    return right.value - left.value <= 0.01


def _scan(page: PdfPage, height: float) -> _Scan:
    import pypdfium2.raw as c

    out = _Scan()
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    embedded: dict[int | None, bool] = {}

    def walk(objs: list[PageObject], parent: tuple[float, ...], depth: int) -> None:
        for obj in objs:
            kind = c.FPDFPageObj_GetType(obj)
            if kind == c.FPDF_PAGEOBJ_PATH and _drawn(obj):
                out.edges.extend(_path_edges(obj, _mat_mul(_matrix(obj), parent), height))
            elif kind == c.FPDF_PAGEOBJ_TEXT and not out.lossy:
                out.lossy = _lossy_text(obj, embedded)
            elif kind == c.FPDF_PAGEOBJ_IMAGE:
                out.images += 1
            elif kind == c.FPDF_PAGEOBJ_FORM and depth < 4:
                m = _mat_mul(_matrix(obj), parent)
                n = c.FPDFFormObj_CountObjects(obj)
                walk([c.FPDFFormObj_GetObject(obj, i) for i in range(max(0, n))], m, depth + 1)

    raw = page.raw
    walk([c.FPDFPage_GetObject(raw, i) for i in range(c.FPDFPage_CountObjects(raw))], identity, 0)
    return out


class _Plumber:
    """pdfplumber (pdfminer) characters for pages pdfium cannot read fully; opened lazily."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pdf = None

    def chars(self, index: int) -> list[_Char] | None:
        try:
            import pdfplumber
        except ImportError:
            return None
        try:
            if self._pdf is None:
                self._pdf = pdfplumber.open(io.BytesIO(self._data))
            return _chars_from_plumber(self._pdf.pages[index].chars)
        except Exception:  # pdfminer cannot parse it either: keep what pdfium read
            return None

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()


def _chars_from_plumber(objs: list[dict]) -> list[_Char]:
    """pdfminer characters in stream order, with the line breaks and gaps pdfium would add."""
    out: list[_Char] = []
    prev: dict | None = None
    for obj in objs:
        text = obj.get("text") or ""
        if not text:
            continue
        size = max(float(obj.get("size") or 0), 1.0)
        if prev is not None:
            if abs(obj["top"] - prev["top"]) > 0.5 * size or obj["x0"] < prev["x0"] - size:
                out.append(_Char("\n", None))
            elif obj["x0"] - prev["x1"] > 0.3 * size:
                out.append(_Char(" ", None))
        box = (obj["x0"], obj["top"], obj["x1"], obj["bottom"])
        out.extend(_Char(ch, None if ch.isspace() else box) for ch in text)
        prev = obj
    return out


# -- tables -----------------------------------------------------------------------------------


def _cluster(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _nearest(bounds: list[float], v: float) -> int:
    """Index of the value in sorted ``bounds`` closest to ``v``."""
    i = bisect_right(bounds, v)
    if i == 0:
        return 0
    if i == len(bounds) or v - bounds[i - 1] <= bounds[i] - v:
        return i - 1
    return i


def _find_tables(edges: list[dict], chars: list[_Char], page_no: int) -> list[_Table]:
    from pdfplumber.table import (
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )
    from pdfplumber.utils import filter_edges

    edges = merge_edges(edges, 3, 3, 3, 3)
    edges = filter_edges(edges, min_length=3)
    cells = intersections_to_cells(edges_to_intersections(edges, 3, 3))
    tables = []
    for boxes in cells_to_tables(cells):
        table = _build_table(boxes, chars, page_no)
        if table is not None:
            tables.append(table)
    return tables


def _build_table(boxes: list[tuple], chars: list[_Char], page_no: int) -> _Table | None:
    """Grid of one ruled table: boundaries, cells with spans, cell text from the characters."""
    xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes])
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows < 1 or n_cols < 1:
        return None
    owner = [[-1] * n_cols for _ in range(n_rows)]
    cells: list[_Cell] = []
    for x0, top, x1, bottom in boxes:
        c0, c1, r0, r1 = _nearest(xs, x0), _nearest(xs, x1), _nearest(ys, top), _nearest(ys, bottom)
        if c1 <= c0 or r1 <= r0:
            continue
        cells.append(_Cell(r0, r1, c0, c1, ""))
        for r in range(r0, r1):
            for c in range(c0, c1):
                owner[r][c] = len(cells) - 1
    for c in range(n_cols):  # positions no cell covers: each vertical run becomes a cell
        run: _Cell | None = None
        for r in range(n_rows):
            if owner[r][c] >= 0:
                run = None
                continue
            if run is None:
                run = _Cell(r, r + 1, c, c + 1, "")
                cells.append(run)
            run.r1 = r + 1
            owner[r][c] = len(cells) - 1  # the run is always the last cell
    texts, extents = _cell_texts(chars, xs, ys, owner, len(cells))
    for i, cell in enumerate(cells):
        cell.text = _cell_text(texts[i])
    return _Table(page_no, xs, ys, _merge_centred(cells, xs, extents))


def _cell_texts(
    chars: list[_Char], xs: list[float], ys: list[float], owner: list[list[int]], n: int
) -> tuple[list[str], list[tuple[float, float] | None]]:
    """Characters → owning cell by their centre; generated breaks between them are kept.

    Returns each cell's text and the horizontal extent of its characters.
    """
    texts = [""] * n
    extents: list[tuple[float, float] | None] = [None] * n
    last = -1
    pending = ""
    for ch in chars:
        if ch.box is None:
            pending += ch.ch
            continue
        cx, cy = (ch.box[0] + ch.box[2]) / 2, (ch.box[1] + ch.box[3]) / 2
        c, r = bisect_right(xs, cx) - 1, bisect_right(ys, cy) - 1
        if 0 <= r < len(owner) and 0 <= c < len(owner[0]):
            idx = owner[r][c]
            if idx == last and pending:
                texts[idx] += pending
            texts[idx] += ch.ch
            ext = extents[idx]
            extents[idx] = (
                (ch.box[0], ch.box[2])
                if ext is None
                else (min(ext[0], ch.box[0]), max(ext[1], ch.box[2]))
            )
            last = idx
        else:
            last = -1
        pending = ""
    return texts, extents


def _merge_centred(
    cells: list[_Cell], xs: list[float], extents: list[tuple[float, float] | None]
) -> list[_Cell]:
    """Merge an empty cell into its neighbour when the neighbour's text is centred on both.

    Word draws some header cells as two boxes split by an invisible border ("行政诉讼" over
    the columns of both kinds of lawsuit); the text centred on the union shows the real span.
    """
    alive = [True] * len(cells)
    numeric_rows = {r for c in cells if _NUMBER.match(c.text) for r in range(c.r0, c.r1)}
    for i, empty in enumerate(cells):
        if empty.text or numeric_rows & set(range(empty.r0, empty.r1)):
            continue
        for j, cell in enumerate(cells):
            ext = extents[j]
            if (
                not alive[j]
                or not cell.text
                or ext is None
                or (cell.r0, cell.r1) != (empty.r0, empty.r1)
            ):
                continue
            if cell.c0 != empty.c1 and cell.c1 != empty.c0:
                continue
            c0, c1 = min(cell.c0, empty.c0), max(cell.c1, empty.c1)
            mid = (ext[0] + ext[1]) / 2
            own = (xs[cell.c0] + xs[cell.c1]) / 2
            union = (xs[c0] + xs[c1]) / 2
            if abs(mid - union) < 0.1 * (xs[c1] - xs[c0]) and abs(mid - own) > 0.1 * (
                xs[cell.c1] - xs[cell.c0]
            ):
                cell.c0, cell.c1 = c0, c1
                alive[i] = False
                break
    return [c for c, keep in zip(cells, alive, strict=True) if keep]


def _row_cells(table: _Table, r: int) -> list[_Cell]:
    return [c for c in table.cells if c.r0 <= r < c.r1]


def _is_data_row(table: _Table, r: int) -> bool:
    """A row of two or more filled cells holding a number or a table header word."""
    row = [c for c in _row_cells(table, r) if c.text]
    if len(row) < 2:
        return False
    return any(
        (_NUMBER.match(c.text) and c.r0 == r) or any(k in c.text for k in TABLE_KEYWORDS)
        for c in row
    )


def _is_title_row(table: _Table, r: int) -> bool:
    """A one-cell row naming a part of the table ("第二十条第(一)项")."""
    row = _row_cells(table, r)
    return (
        len(row) == 1 and len(row[0].text) <= 30 and any(k in row[0].text for k in TABLE_KEYWORDS)
    )


def _trim(table: _Table) -> _Table | None:
    """Keep the rows of the table proper; None for a bordered block of running text."""
    data = [r for r in range(table.n_rows) if _is_data_row(table, r)]
    if not data:
        return None
    first, last = data[0], data[-1]
    while first > 0 and _is_title_row(table, first - 1):
        first -= 1
    while last < table.n_rows - 1 and _is_title_row(table, last + 1):
        last += 1
    if first == 0 and last == table.n_rows - 1:
        return table
    cells = []
    for cell in table.cells:
        r0, r1 = max(cell.r0, first), min(cell.r1, last + 1)
        if r0 < r1:
            cells.append(_Cell(r0 - first, r1 - first, cell.c0, cell.c1, cell.text))
    return _Table(table.page, table.xs, table.ys[first : last + 2], cells)


def _tables_on_page(edges: list[dict], chars: list[_Char], page_no: int) -> list[_Table]:
    if len(edges) < 4:
        return []
    tables = (_trim(t) for t in _find_tables(edges, chars, page_no))
    return [t for t in tables if t is not None]


def _column_map(src: list[float], dst: list[float], tol: float = 4.0) -> list[int] | None:
    """Index in ``dst`` of every boundary in ``src``, or None when they do not line up."""
    out = []
    for x in src:
        j = _nearest(dst, x)
        if abs(dst[j] - x) > tol:
            return None
        out.append(j)
    if out[0] != 0 or out[-1] != len(dst) - 1 or any(b <= a for a, b in itertools.pairwise(out)):
        return None
    return out


def _remap(table: _Table, cmap: list[int], xs: list[float]) -> None:
    for cell in table.cells:
        cell.c0, cell.c1 = cmap[cell.c0], cmap[cell.c1]
    table.xs = xs


def _join(prev: _Table, cont: _Table) -> bool:
    """Append ``cont`` (top of the next page) to ``prev`` when it continues it."""
    if any(k in c.text for c in cont.cells if c.r0 == 0 for k in TABLE_START_KEYWORDS):
        return False
    cmap = _column_map(cont.xs, prev.xs)
    if cmap is not None:
        _remap(cont, cmap, prev.xs)
    elif (back := _column_map(prev.xs, cont.xs)) is not None:
        _remap(prev, back, cont.xs)
    elif len(cont.xs) == len(prev.xs):
        cont.xs = prev.xs
    else:
        return False
    offset = prev.n_rows
    first_row = [c for c in cont.cells if c.r0 == 0]
    seam = {(c.c0, c.c1): c for c in prev.cells if c.r1 == offset}
    for cell in cont.cells:
        cell.r0 += offset
        cell.r1 += offset
    for cell in first_row:
        upper = seam.get((cell.c0, cell.c1))
        if upper is not None and _continues(upper, cell, first_row):
            upper.r1 = cell.r1
            upper.text = _join_pieces(upper.text, cell.text)
            cont.cells.remove(cell)
    shift = prev.ys[-1] - cont.ys[0]
    prev.ys = prev.ys + [y + shift for y in cont.ys[1:]]
    prev.cells.extend(cont.cells)
    return True


def _continues(upper: _Cell, lower: _Cell, row: list[_Cell]) -> bool:
    """Is ``lower`` (first row on the new page) the rest of a cell cut by the page break?

    Only group labels continue across a break: the cell must have no label to its left in
    its row. An empty one continues the label above; a filled one does when it is the tail of
    a numbered label ("（四）无" / "法提供") with the row's own labels to its right.
    """

    def label(c: _Cell) -> bool:
        return bool(c.text) and not _NUMBER.match(c.text)

    if not label(upper) or any(c.c1 <= lower.c0 and label(c) for c in row):
        return False
    if not lower.text:
        return True
    if not label(lower) or _ITEM_MARKER.match(lower.text):
        return False
    labels_right = any(c.c0 >= lower.c1 and label(c) for c in row)
    return bool(_ITEM_MARKER.match(upper.text)) and labels_right


# -- page chrome ------------------------------------------------------------------------------


def _chrome_key(text: str) -> str:
    return _DIGITS.sub("#", _SPACES.sub("", text))


def _edge_lines(page: _Page) -> list[_Line]:
    lines = [i for i in page.items if isinstance(i, _Line)]
    head = [x for x in page.items[:2] if isinstance(x, _Line)]
    tail = [x for x in page.items[-2:] if isinstance(x, _Line)]
    return [x for x in lines if any(x is y for y in head + tail)]


def _strip_chrome(pages: list[_Page]) -> None:
    """Remove page numbers and lines repeated at the top or bottom of most pages."""
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_chrome_key(x.text) for x in _edge_lines(page)})
    n = len(pages)
    repeated = {k for k, v in counts.items() if n >= 3 and v >= max(3, math.ceil(0.6 * n))}
    for page in pages:
        drop = [
            x
            for x in _edge_lines(page)
            if _PAGE_NUMBER.match(x.text) or _chrome_key(x.text) in repeated
        ]
        page.items = [i for i in page.items if not any(i is d for d in drop)]


# -- paragraphs -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Layout:
    left: float
    right: float
    size: float
    gap: float


def _layout(lines: list[_Line]) -> _Layout | None:
    geo = [x for x in lines if x.x0 is not None and len(x.text) >= 4]
    if len(geo) < 3:
        return None
    heights = [x.bottom - x.top for x in geo if x.bottom - x.top > 1]  # type: ignore[operator]
    widths = [(x.x1 - x.x0) / len(x.text) for x in geo]  # type: ignore[operator]
    size = statistics.median(heights) if len(heights) * 2 > len(geo) else statistics.median(widths)
    left = Counter(round(x.x0 / 2) for x in geo).most_common(1)[0][0] * 2  # type: ignore[operator]
    right = max(x.x1 for x in geo if x.x1 is not None)  # type: ignore[type-var]
    gaps = [b.top - a.bottom for a, b in itertools.pairwise(geo) if 0 < b.top - a.bottom < 3 * size]  # type: ignore[operator]
    return _Layout(left, right, max(size, 1.0), statistics.median(gaps) if gaps else size)


def _breaks(a: _Line, b: _Line, la: _Layout | None, lb: _Layout | None, same_page: bool) -> bool:
    """Does line ``b`` start a new paragraph after line ``a``?

    Geometry decides: ``b`` indented (first-line indent, centred title) or ``a`` ending short of
    the right margin, or a wider gap. A line starting like a heading breaks too, unless it
    merely continues a full line that ends mid-sentence ("第5、6、9、10、⏎12、13条").
    """
    heading = bool(_HEADING.match(b.text))
    if la is None or lb is None or a.x1 is None or b.x0 is None:
        return heading or a.text[-1] in _SENTENCE_END
    if b.x0 > lb.left + 0.8 * lb.size or b.x0 < lb.left - 0.8 * lb.size:
        return True
    if a.x1 < la.right - 1.5 * la.size:
        return True
    if heading and a.text[-1] in _SENTENCE_END:
        return True
    if same_page and a.bottom is not None and b.top is not None:
        return b.top - a.bottom > 1.8 * la.gap + 0.3 * la.size
    return False


# -- assembly ---------------------------------------------------------------------------------


def _read_page(page: PdfPage, number: int, plumber: _Plumber, warnings: list[str]) -> _Page:
    height = page.get_height()
    scan = _scan(page, height)
    chars = plumber.chars(number - 1) if scan.lossy else None
    if chars is None:
        chars = _read_chars(page, height)
    out = _Page(number, images=scan.images)
    real = [c.ch for c in chars if not c.ch.isspace()]
    out.chars = len(real)
    out.garbled = sum(1 for ch in real if ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff")
    if not real:
        return out
    try:
        tables = _tables_on_page(scan.edges, chars, number)
    except ImportError:
        tables = []
        if "未安装" not in "".join(warnings):
            warnings.append("未安装 pdfplumber（auditor[pdf]），PDF 中的表格未按表格读取")
    body = [c for c in chars if c.box is None or not any(_inside(c.box, t) for t in tables)]
    items: list[tuple[float, int, _Line | _Table]] = []
    top = 0.0
    for line in _lines(body):  # reading order by height: footers drawn first go last
        top = line.top if line.top is not None else top
        items.append((top, len(items), line))
    items.extend((t.top, len(items) + i, t) for i, t in enumerate(tables))
    out.items = [item for _, _, item in sorted(items, key=lambda x: (x[0], x[1]))]
    return out


def _inside(box: tuple[float, float, float, float], t: _Table) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return t.xs[0] <= cx <= t.xs[-1] and t.top <= cy <= t.bottom


def _join_tables(pages: list[_Page]) -> None:
    for prev_page, page in itertools.pairwise(pages):
        if not prev_page.items or not page.items:
            continue
        last, first = prev_page.items[-1], page.items[0]
        if isinstance(last, _Table) and isinstance(first, _Table) and _join(last, first):
            page.items.pop(0)


def _compose(pages: list[_Page]) -> tuple[str, list[Grid]]:
    parts: list[str] = []
    grids: list[Grid] = []
    pos = 0
    para = ""
    prev: tuple[_Line, _Layout | None, int] | None = None

    def emit(text: str) -> int:
        nonlocal pos
        if parts:
            parts.append("\n")
            pos += 1
        start = pos
        parts.append(text)
        pos += len(text)
        return start

    whole = _layout([i for p in pages for i in p.items if isinstance(i, _Line)])
    for page in pages:
        layout = _layout([i for i in page.items if isinstance(i, _Line)]) or whole
        for item in page.items:
            if isinstance(item, _Table):
                if para:
                    emit(para)
                    para, prev = "", None
                rows, spanned = item.grid()
                block = "\n".join(
                    "\t".join("" if (r, c) in spanned else v for c, v in enumerate(row))
                    for r, row in enumerate(rows)
                )
                start = emit(block)
                grids.append(Grid(rows, start, start + len(block), item.page, spanned))
                continue
            if prev is not None and not _breaks(
                prev[0], item, prev[1], layout, prev[2] == page.number
            ):
                para = _join_pieces(para, item.text)
            else:
                if para:
                    emit(para)
                para = item.text
            prev = (item, layout, page.number)
    if para:
        emit(para)
    return "".join(parts), grids


def load(data: bytes, source: str) -> RawDocument:
    """Read a PDF; every failure becomes a status with a plain message (never raises)."""
    try:
        return _load(data, source)
    except Exception as exc:  # a loader never raises for bad input
        return RawDocument(
            source, "pdf", status="error", message=f"读取 PDF 时出错（{type(exc).__name__}）"
        )


def _load(data: bytes, source: str) -> RawDocument:
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return RawDocument(
            source,
            "pdf",
            status="unsupported",
            message=_NEED_EXTRA,
        )
    raw = RawDocument(source, "pdf")
    if b"%%EOF" not in data[-4096:]:
        raw.warnings.append("PDF 文件不完整（缺少文件结束标记），可能被截断，部分内容可能缺失")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raw.status = "unreadable"
        if "password" in str(exc).lower():
            raw.message = "PDF 文件已加密（需要密码才能打开），无法读取"
        else:
            raw.message = "PDF 文件已损坏或不完整，无法打开"
        return raw
    plumber = _Plumber(data)
    try:
        return _read(pdf, plumber, raw)
    finally:
        plumber.close()
        pdf.close()


def _read(pdf: PdfDocument, plumber: _Plumber, raw: RawDocument) -> RawDocument:
    import pypdfium2 as pdfium

    n = len(pdf)
    raw.pages = n
    if n == 0:
        raw.status, raw.message = "empty", "PDF 没有页面，没有可审查的内容"
        return raw
    if n > MAX_PAGES:
        raw.status = "unsupported"
        raw.message = f"PDF 共 {n} 页，超过 {MAX_PAGES} 页的上限，请拆分后再提交"
        return raw
    pages: list[_Page] = []
    for i in range(n):
        try:
            page = pdf[i]
        except pdfium.PdfiumError:
            raw.warnings.append(f"第 {i + 1} 页无法读取，已跳过")
            continue
        try:
            read = _read_page(page, i + 1, plumber, raw.warnings)
        finally:
            page.close()
        pages.append(read)
    chars = sum(p.chars for p in pages)
    garbled = sum(p.garbled for p in pages)
    if chars == 0:
        raw.status, raw.message = "no_text_layer", NO_TEXT_MESSAGE
        return raw
    if garbled > 0.5 * chars:
        raw.status = "unreadable"
        raw.message = "PDF 的文字层无法解码（字体缺少字符映射），需要先进行文字识别（OCR）"
        return raw
    blank = [p.number for p in pages if not p.chars and p.images]
    if blank:
        listed = "、".join(str(b) for b in blank[:10])
        raw.warnings.append(f"第 {listed} 页没有文字层（可能是扫描图像），这些页的内容未读取")
    _strip_chrome(pages)
    _join_tables(pages)
    raw.text, raw.grids = _compose(pages)
    if not raw.text.strip():
        raw.status, raw.message = "empty", "PDF 中没有可读的文字内容"
    return raw
