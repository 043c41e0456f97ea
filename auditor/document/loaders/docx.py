"""Word (.docx) reports: paragraphs and tables in body order, merged cells as grids.

python-docx opens the package; the body XML is walked directly so that content controls
(``w:sdt``), tracked insertions, text boxes and Word's automatic list numbers ("一、" generated
from a numbering definition) are not lost. The zip is checked before parsing: a truncated file,
a zip that is not a Word document, or one that would inflate to more than
:data:`MAX_UNCOMPRESSED` bytes gets a status instead of being read.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

import regex
from lxml import etree

from auditor.document.gridexpand import MAX_CELLS, grid_lines, join_pieces
from auditor.document.model import Grid, PageMeta, RawDocument

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ENTRIES = 10_000

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_NUMBERING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
_MAIN_PART = regex.compile(r"^word/document\d*\.xml$")
_HEADING_STYLE = regex.compile(r"^(?:heading|标题)\s*\d$|^title$", regex.I)
_LEVEL_REF = regex.compile(r"%(\d)")
_CN_DIGITS = "零一二三四五六七八九"
_CN_HEAVENLY = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


_P, _TBL, _TR, _TC, _T, _SDT, _SDT_CONTENT = (
    _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("t"), _w("sdt"), _w("sdtContent")
)  # fmt: skip
_TRANSPARENT = {_SDT, _SDT_CONTENT, _w("customXml"), _w("ins"), _w("smartTag"), _w("hyperlink")}
_VAL = _w("val")
_TAB, _BR, _NB_HYPHEN, _TXBX = _w("tab"), _w("br"), _w("noBreakHyphen"), _w("txbxContent")
_PIECES = {_T: None, _TAB: "\t", _w("ptab"): "\t", _BR: "\n", _w("cr"): "\n", _NB_HYPHEN: "-"}
# Subtrees whose text is not part of the paragraph line (text boxes are read apart).
_SKIP = (_TXBX, _MC_FALLBACK, _w("del"), _w("moveFrom"), _w("instrText"))
_GRID_BEFORE = f"{_w('trPr')}/{_w('gridBefore')}"
_GRID_SPAN = f"{_w('tcPr')}/{_w('gridSpan')}"
_VMERGE = f"{_w('tcPr')}/{_w('vMerge')}"


def load(data: bytes, source: str) -> RawDocument:
    """Read a .docx; bad input becomes a status with a plain message, never an exception."""
    problem = _check_zip(data)
    if problem is not None:
        status, message = problem
        return RawDocument(source, "docx", status=status, message=message)
    try:
        import docx
    except ImportError:
        return RawDocument(
            source, "docx", status="unsupported",
            message="读取 Word 文件需要安装 python-docx（pip install 'ogi-auditor[docx]'）",
        )  # fmt: skip
    try:
        document = docx.Document(io.BytesIO(data))
        return _read(document, source)
    except Exception as exc:  # python-docx raises many kinds on damaged packages
        return RawDocument(
            source, "docx", status="unreadable",
            message=f"Word 文件已损坏或格式不受支持，无法读取（{type(exc).__name__}）",
        )  # fmt: skip


def _check_zip(data: bytes) -> tuple[str, str] | None:
    """Refuse broken zips, zips without a Word body and zip bombs before parsing."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return "unreadable", "Word 文件已损坏或不完整（ZIP 结构无法读取），请重新导出后再提交"
    if len(infos) > MAX_ENTRIES:
        return "unsupported", f"压缩包内文件过多（{len(infos)} 个），不像正常的 Word 文档"
    if not any(_MAIN_PART.match(info.filename) for info in infos):
        return "unsupported", "压缩包中没有 Word 正文（word/document.xml），不是 Word 文档"
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        return (
            "unsupported",
            f"Word 文件解压后过大（约 {total // 1024 // 1024} MB，上限 "
            f"{MAX_UNCOMPRESSED // 1024 // 1024} MB），可能是恶意构造的文件，已拒绝读取",
        )
    return None


# --- body ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Out:
    lines: list[str] = field(default_factory=list)
    tables: list[tuple[Grid, int, int]] = field(default_factory=list)


def _read(document, source: str) -> RawDocument:
    styles = _Styles(document)
    numbering = _Numbering(document, styles)
    out = _Out()
    # Walk block content in body order; layout tables and content controls are opened up.
    pending: list[etree._Element] = list(reversed(_blocks(document.element.body)))
    while pending:
        el = pending.pop()
        if el.tag == _P:
            _paragraph(el, styles, numbering, out, pending)
        elif el.tag == _TBL:
            grid = _table(el, styles, numbering)
            if grid is None:
                for cell_block in reversed(_layout_blocks(el)):
                    pending.append(cell_block)
            else:
                first = len(out.lines)
                out.lines.extend(grid_lines(grid.rows, grid.spanned))
                out.tables.append((grid, first, len(out.lines) - 1))
    raw = RawDocument(source, "docx")
    starts, pos = [], 0
    for line in out.lines:
        starts.append(pos)
        pos += len(line) + 1
    raw.text = "\n".join(out.lines)
    for grid, first, last in out.tables:
        grid.start, grid.end = starts[first], starts[last] + len(out.lines[last])
        raw.grids.append(grid)
    raw.meta = PageMeta(title=(document.core_properties.title or "").strip() or None)
    if not raw.text.strip():
        raw.status, raw.message = "empty", "Word 文件中没有文字内容"
    return raw


def _blocks(container: etree._Element) -> list[etree._Element]:
    """Paragraphs and tables directly in a container, looking through content controls."""
    out = []
    stack = list(reversed(container))
    while stack:
        el = stack.pop()
        if el.tag in (_P, _TBL):
            out.append(el)
        elif el.tag in _TRANSPARENT:
            stack.extend(reversed(el))
    return out


def _layout_blocks(tbl: etree._Element) -> list[etree._Element]:
    """The blocks of a layout table's cells, row by row."""
    return [b for tr in _children(tbl, _TR) for tc in _children(tr, _TC) for b in _blocks(tc)]


def _children(el: etree._Element, tag: str) -> list[etree._Element]:
    out = []
    stack = list(reversed(el))
    while stack:
        child = stack.pop()
        if child.tag == tag:
            out.append(child)
        elif child.tag in _TRANSPARENT:
            stack.extend(reversed(child))
    return out


def _paragraph(p, styles, numbering, out: _Out, pending: list) -> None:
    text, boxes = _runs_text(p)
    label = numbering.label(p)
    if label and text.strip():
        text = label + text
    if styles.is_heading(p):
        text = join_pieces(text.split("\n"))
    out.lines.extend(line for line in text.split("\n") if line.strip())
    for box in reversed(boxes):
        pending.extend(reversed(_blocks(box)))


def _runs_text(p: etree._Element) -> tuple[str, list[etree._Element]]:
    """Text of a paragraph; text boxes are returned apart so they become their own lines."""
    if next(p.iter(*_SKIP), None) is None:  # the common case: lxml walks the runs in C
        return "".join(
            (el.text or "") if el.tag == _T else _PIECES[el.tag] for el in p.iter(*_PIECES)
        ), []
    parts: list[str] = []
    boxes: list[etree._Element] = []
    stack = list(reversed(p))
    while stack:
        el = stack.pop()
        tag = el.tag
        if tag in _PIECES:
            parts.append((el.text or "") if tag == _T else _PIECES[tag])  # type: ignore[arg-type]
        elif tag == _TXBX:
            boxes.append(el)
        elif tag not in _SKIP and len(el):
            stack.extend(reversed(el))
    return "".join(parts), boxes


def _table(tbl: etree._Element, styles, numbering) -> Grid | None:
    """A table as a grid (merged cells repeated and marked), or None for a layout table."""
    rows: list[list[str]] = []
    spanned: set[tuple[int, int]] = set()
    cells = 0
    for r, tr in enumerate(_children(tbl, _TR)):
        line: list[str] = [""] * _int_prop(tr, _GRID_BEFORE, 0)
        for tc in _children(tr, _TC):
            col = len(line)
            span = max(1, min(_int_prop(tc, _GRID_SPAN, 1), 1000))
            cells += span
            if cells > MAX_CELLS:
                return None
            above = rows[r - 1] if r else []
            if _vmerge(tc) == "continue" and col < len(above):
                text, copy = above[col], True
            else:
                text, copy = _cell_text(tc, styles, numbering), False
                if len(text) > 400:
                    return None
            for k in range(span):
                line.append(text)
                if copy or k:
                    spanned.add((r, col + k))
        rows.append(line)
    width = max((len(line) for line in rows), default=0)
    if width < 2:
        return None
    for line in rows:
        line.extend([""] * (width - len(line)))
    return Grid(rows, spanned=spanned)


def _cell_text(tc: etree._Element, styles, numbering) -> str:
    pieces: list[str] = []
    stack = list(reversed(_blocks(tc)))
    while stack:
        el = stack.pop()
        if el.tag == _P:
            text, boxes = _runs_text(el)
            label = numbering.label(el)
            pieces.extend((label + text if label and text.strip() else text).split("\n"))
            for box in boxes:
                stack.extend(reversed(_blocks(box)))
        else:  # a table nested in the cell: read its cells in order
            stack.extend(reversed(_layout_blocks(el)))
    return join_pieces(pieces)


def _int_prop(el: etree._Element, path: str, default: int) -> int:
    prop = el.find(path)
    value = prop.get(_VAL) if prop is not None else None
    return int(value) if value and value.isdigit() else default


def _vmerge(tc: etree._Element) -> str | None:
    prop = tc.find(_VMERGE)
    if prop is None:
        return None
    return prop.get(_VAL) or "continue"


# --- styles and list numbering ---------------------------------------------------------------


class _Styles:
    """Paragraph styles: heading detection and numbering inherited through ``basedOn``."""

    def __init__(self, document) -> None:
        self.by_id: dict[str, etree._Element] = {}
        try:
            root = document.styles.element
        except Exception:  # a document without a styles part
            return
        for style in root.iter(_w("style")):
            style_id = style.get(_w("styleId"))
            if style_id:
                self.by_id[style_id] = style

    def _chain(self, style_id: str | None) -> list[etree._Element]:
        chain, seen = [], set()
        while style_id and style_id not in seen and style_id in self.by_id:
            seen.add(style_id)
            style = self.by_id[style_id]
            chain.append(style)
            based = style.find(_w("basedOn"))
            style_id = based.get(_VAL) if based is not None else None
        return chain

    @staticmethod
    def style_id(p: etree._Element) -> str | None:
        ps = p.find(f"{_w('pPr')}/{_w('pStyle')}")
        return ps.get(_VAL) if ps is not None else None

    def is_heading(self, p: etree._Element) -> bool:
        if p.find(f"{_w('pPr')}/{_w('outlineLvl')}") is not None:
            return True
        for style in self._chain(self.style_id(p)):
            name = style.find(_w("name"))
            if name is not None and _HEADING_STYLE.match(name.get(_VAL) or ""):
                return True
            if style.find(f"{_w('pPr')}/{_w('outlineLvl')}") is not None:
                return True
        return False

    def num_pr(self, p: etree._Element) -> tuple[str | None, int | None]:
        """(numId, ilvl) of a paragraph, from its own properties or its style."""
        num_id, ilvl = None, None
        for holder in [p, *self._chain(self.style_id(p))]:
            pr = holder.find(f"{_w('pPr')}/{_w('numPr')}")
            if pr is None:
                continue
            nid, lvl = pr.find(_w("numId")), pr.find(_w("ilvl"))
            if num_id is None and nid is not None:
                num_id = nid.get(_VAL)
            if ilvl is None and lvl is not None and (lvl.get(_VAL) or "").isdigit():
                ilvl = int(lvl.get(_VAL))
        return num_id, ilvl


@dataclass(slots=True)
class _Level:
    fmt: str
    text: str
    start: int


class _Numbering:
    """Word list numbering, rendered as the label Word shows ("一、", "（二）", "3.")."""

    def __init__(self, document, styles: _Styles) -> None:
        self.styles = styles
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstractId, overrides)
        self.counters: dict[str, dict[int, int]] = {}
        root = _numbering_root(document)
        if root is None:
            return
        for ab in root.iter(_w("abstractNum")):
            levels = {}
            for lvl in ab.iter(_w("lvl")):
                ilvl = int(lvl.get(_w("ilvl"), "0"))
                levels[ilvl] = _Level(
                    _val(lvl, "numFmt", "decimal"),
                    _val(lvl, "lvlText", ""),
                    int(_val(lvl, "start", "1")),
                )
            self.abstract[ab.get(_w("abstractNumId"), "")] = levels
        for num in root.iter(_w("num")):
            ab_id = _val(num, "abstractNumId", "")
            overrides = {}
            for ov in num.iter(_w("lvlOverride")):
                start = ov.find(_w("startOverride"))
                if start is not None and (start.get(_VAL) or "").isdigit():
                    overrides[int(ov.get(_w("ilvl"), "0"))] = int(start.get(_VAL))
            self.nums[num.get(_w("numId"), "")] = (ab_id, overrides)

    def label(self, p: etree._Element) -> str:
        if not self.nums:
            return ""
        num_id, ilvl = self.styles.num_pr(p)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        ilvl = ilvl or 0
        ab_id, overrides = self.nums[num_id]
        levels = self.abstract.get(ab_id, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(ab_id, {})
        start = overrides.get(ilvl, levels[ilvl].start)
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        level = levels[ilvl]
        if level.fmt in ("bullet", "none"):
            return ""

        def render(m: regex.Match) -> str:
            k = int(m.group(1)) - 1
            ref = levels.get(k)
            value = counters.get(k, ref.start if ref else 1)
            return _format_number(value, ref.fmt if ref else "decimal")

        return _LEVEL_REF.sub(render, level.text)


def _numbering_root(document) -> etree._Element | None:
    for rel in document.part.rels.values():
        if rel.reltype == _NUMBERING_REL and not rel.is_external:
            return getattr(rel.target_part, "element", None)
    return None


def _val(el: etree._Element, child: str, default: str) -> str:
    found = el.find(_w(child))
    value = found.get(_VAL) if found is not None else None
    return value if value is not None else default


def _format_number(n: int, fmt: str) -> str:
    """A list counter in Word's number formats (the ones Chinese documents use)."""
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "chineseLegalSimplified",
    ):
        return _cn_number(n)
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return _CN_HEAVENLY[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt in ("upperLetter", "lowerLetter") and n >= 1:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 1 <= n < 4000:
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(n)


def _cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (counters stay small)."""
    if n <= 0 or n >= 10_000:
        return str(n)
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero:
                out += "零"
            out += ("" if (unit == "十" and digit == 1 and not out) else _CN_DIGITS[digit]) + unit
            zero = False
        elif out:
            zero = True
    return out


def _roman(n: int) -> str:
    out = ""
    for value, sym in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while n >= value:
            out, n = out + sym, n - value
    return out
