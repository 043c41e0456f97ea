"""Web pages: decode, find the report body, drop site chrome, keep tables as grids.

The bytes are decoded by :mod:`auditor.document.encoding` (with the charset the page declares)
and lxml parses the resulting ``str``: lxml given raw GBK bytes silently truncates the page.
The report body is the first content root a CMS uses (``.TRS_Editor``, ``#zoom`` …), else the
block holding most of the page's non-link Chinese text. Navigation, breadcrumbs, tool bars and
footers are dropped; the page's metadata block (索引号 / 发布机构 / 发布日期 …) goes into
:class:`PageMeta`, and the article title becomes the first line of the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex
from lxml import etree

from auditor.document.encoding import decode
from auditor.document.gridexpand import SpanCell, expand, grid_lines, join_pieces
from auditor.document.metadata import iso_date
from auditor.document.model import Grid, PageMeta, RawDocument

MAX_DEPTH = 500

_DROP_TAGS = {
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
    "embed", "svg", "math", "canvas", "select", "option", "button", "input", "textarea",
    "audio", "video", "map", "head", "title", "meta", "link",
}  # fmt: skip
_STRUCT_CHROME = {"nav", "header", "footer", "aside", "form", "menu"}
_BLOCK = {
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
    "tr", "td", "th", "table", "tbody", "thead", "tfoot", "caption", "section", "article",
    "main", "blockquote", "pre", "address", "center", "hr", "body", "html", "figure",
    "figcaption", "fieldset", "legend", "details", "summary",
}  # fmt: skip
_DESCEND = {
    "div", "td", "th", "table", "tbody", "thead", "tfoot", "tr", "section", "article",
    "main", "center", "font", "span", "body", "form", "dd", "li", "ul",
}  # fmt: skip

# Content roots of the CMSs Chinese government sites use: (attribute, value, specific).
# Specific roots need only some Chinese text; generic ones must hold much of the page.
_ROOTS: tuple[tuple[str, str, bool], ...] = (
    ("class", "trs_editor", True),
    ("class", "trs_ueditor", True),
    ("id", "zoom", True),
    ("id", "ucap-content", True),
    ("class", "article-content", True),
    ("class", "article_content", True),
    ("class", "articlecontent", True),
    ("class", "pages_content", True),
    ("class", "wzcon", True),
    ("class", "zwnr", True),
    ("class", "view", False),
    ("id", "content", False),
    ("class", "content", False),
    ("tag", "article", False),
    ("tag", "main", False),
)
_CHROME_NAME = regex.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|breadcrumbs?|crumbs?|position|location|footer|foot|bottom|"
    r"copyright|share|bdshare|print|toolbar|search|sidebar|topbar|header|top)(?:[-_\s\d]|$)",
    regex.I,
)
_CRUMB = regex.compile(r"^\s*(?:您|你)?(?:当前|现在|目前)?(?:所在)?(?:的)?位置\s*[:：]")
_TOOLS = regex.compile(r"字号|[大中小]\s+[大中小]|打印|关闭|分享|收藏|纠错|返回顶部")
_FOOT_STRONG = regex.compile(
    r"版权所有|ICP\s*[备证]|备案号|网站标识码|网站识别码|公网安备|Copyright|©", regex.I
)
_FOOT_WEAK = regex.compile(
    r"主办单位|主办\s*[:：]|承办单位|承办\s*[:：]|技术支持|维护单位|联系我们|网站地图|网站声明"
)
_TOOL_LEAD = regex.compile(r"(?:分享到|字号)\s*[:：]")
_TRIGGER = regex.compile(
    f"位置|{_TOOLS.pattern}|{_FOOT_STRONG.pattern}|{_FOOT_WEAK.pattern}", regex.I
)
_DIGITS = regex.compile(r"\s*(\d+)")
_HAN = regex.compile(r"\p{Han}")
_WS = regex.compile(r"[ \t\n\r\f\u00a0]+")
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_XML_DECL = regex.compile(r"^\s*<\?xml[^>]*>")
_CHARSET = regex.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", regex.I)
_TITLE_SPLIT = regex.compile(r"\s*(?:[_|｜]|\s[-–—]\s)\s*")
_TITLE_CLASS = regex.compile(r"title|biaoti|bt\b|tit\b", regex.I)

# Metadata block fields. Values run to the next label or the end of the line.
_META_FIELDS = {
    "index_no": r"索\s*引\s*号",
    "issuer": r"发布机构|发文机关|发文单位|发布单位|发布部门",
    "written": r"成文日期|成文时间",
    "published": r"发布日期|发布时间|公开日期|发文日期",
    "source": r"信息来源|文章来源|来\s*源",
    "title": r"标\s*题|文章标题",
}
_META_KEYS = [(key, regex.compile(pat)) for key, pat in _META_FIELDS.items()]
_OTHER_LABELS = (
    r"文\s*号|发文字号|公开方式|主题分类|体裁分类|组配分类|有效性|浏览次数|访问次数|点击数|"
    r"所属主题|公开范围|字号|栏目|分类"
)
_ANY_LABEL = "|".join([*_META_FIELDS.values(), _OTHER_LABELS])
_META_ITEM = regex.compile(
    rf"(?:^|(?<=[\s【\[|｜]))(?P<label>{_ANY_LABEL})\s*[:：]\s*(?P<value>.*?)"
    rf"(?=\s*(?:[【\[|｜]\s*)?(?:{_ANY_LABEL})\s*[:：]|[】\]|｜]|$)"
)
_META_LABEL = regex.compile(rf"(?:{'|'.join(_META_FIELDS.values())})\s*[:：]")
_META_TAGS = {
    "articletitle": "title",
    "pubdate": "published",
    "contentsource": "source",
    "url": "url",
}


class _TooDeep(Exception):
    """The markup nests deeper than :data:`MAX_DEPTH`."""


def load(data: bytes, source: str) -> RawDocument:
    """Read a web page; bad input becomes a status, never an exception."""
    try:
        return _load(data, source)
    except _TooDeep:
        return RawDocument(
            source, "html", status="unsupported",
            message=f"网页结构嵌套过深（超过 {MAX_DEPTH} 层），无法可靠读取正文",
        )  # fmt: skip
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        return RawDocument(source, "html", status="unreadable", message=f"无法解析网页：{exc}")


def _load(data: bytes, source: str) -> RawDocument:
    decoded = decode(data, _declared_charset(data[:4096]))
    raw = RawDocument(source, "html", encoding=decoded.encoding)
    decoded.report(raw, "网页")
    if raw.status != "ok":
        return raw
    text = _CONTROL.sub("", _XML_DECL.sub("", decoded.text, count=1))
    if not text.strip():
        raw.status, raw.message = "empty", "网页为空，没有可审查的内容"
        return raw
    parser = etree.HTMLParser(
        remove_comments=True, remove_pis=True, huge_tree=True, no_network=True
    )
    doc = etree.fromstring(text, parser)
    if doc is None:
        raw.status, raw.message = "empty", "网页为空，没有可审查的内容"
        return raw
    if any(
        "ERR_RESOURCE_LIMIT" in str(err) or "Excessive depth" in str(err)
        for err in parser.error_log
    ):
        raise _TooDeep
    _check_depth(doc)
    meta, page_title = _meta_from_tags(doc)
    for el in [e for e in doc.iter() if not isinstance(e.tag, str) or e.tag in _DROP_TAGS]:
        if el.getparent() is not None:
            _remove(el)
    body = doc.find("body")
    if body is None:
        body = doc
    if _META_LABEL.search(text):
        _meta_from_lines(_Renderer(meta_mode=True).render(body).lines, meta)
    order = {el: i for i, el in enumerate(body.iter())}
    han = _han_counts(body)
    root = _selector_root(body, han)
    candidates = _title_candidates(body)
    _drop_chrome(body, root, han)
    if root is None:
        root = _densest(body, _han_counts(body))
    heading = _pick_heading(candidates, root, order, page_title)
    _finish(raw, _Renderer().render(root), meta, heading, page_title)
    if not raw.text.strip():
        raw.status, raw.message = "empty", "网页中没有找到正文文字"
    return raw


def _declared_charset(head: bytes) -> str | None:
    m = _CHARSET.search(head)
    return m.group(1).decode("ascii", "ignore") if m else None


def _check_depth(doc: etree._Element) -> None:
    stack = [(doc, 0)]
    while stack:
        el, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _TooDeep
        stack.extend((child, depth + 1) for child in el)


def _text(el: etree._Element) -> str:
    return "".join(el.itertext())


def _remove(el: etree._Element) -> None:
    """Remove an element but keep the text that follows it (its tail)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


# --- rendering ------------------------------------------------------------------------


@dataclass(slots=True)
class _Rendered:
    lines: list[str] = field(default_factory=list)
    tables: list[tuple[Grid, int, int]] = field(default_factory=list)  # grid, first, last line


class _Renderer:
    """Walks a subtree (without recursion) and writes lines; data tables become grids.

    ``meta_mode`` renders table rows as one line (cells separated by spaces) so that a
    metadata table reads "索引号： xxx 发布机构： yyy"; ``tables=False`` flattens tables.
    """

    def __init__(self, *, meta_mode: bool = False, tables: bool = True) -> None:
        self.meta_mode = meta_mode
        self.tables = tables and not meta_mode
        self.out = _Rendered()
        self.buf: list[str] = []

    def render(self, root: etree._Element) -> _Rendered:
        stack: list[tuple[str, object]] = [("open", root)]
        while stack:
            op, item = stack.pop()
            if op == "text":
                self.buf.append(item)  # type: ignore[arg-type]
                continue
            if op == "break":
                self.flush()
                continue
            el = item
            tag = el.tag if isinstance(el.tag, str) else ""  # type: ignore[attr-defined]
            if op == "close":
                if tag in _BLOCK and not (self.meta_mode and tag in ("td", "th")):
                    self.flush()
                elif self.meta_mode and tag in ("td", "th"):
                    self.buf.append(" ")
                continue
            if tag == "br":
                self.flush()
                continue
            if tag == "table" and self.tables and self._table(el):  # type: ignore[arg-type]
                continue
            if tag in _BLOCK and not (self.meta_mode and tag in ("td", "th")):
                self.flush()
            stack.append(("close", el))
            for child in reversed(el):  # type: ignore[call-overload]
                if child.tail:
                    stack.append(("text", child.tail))
                stack.append(("open", child))
            if el.text and tag:  # type: ignore[attr-defined]
                stack.append(("text", el.text))  # type: ignore[attr-defined]
        self.flush()
        return self.out

    def flush(self) -> None:
        if self.buf:
            line = _WS.sub(" ", "".join(self.buf)).strip(" ")
            self.buf.clear()
            if line:
                self.out.lines.append(line)

    def _table(self, table: etree._Element) -> bool:
        """Write a data table as a grid; return False for a layout table."""
        rows = _table_rows(table)
        if not rows:
            return False
        cells = [
            [SpanCell(_cell_text(c), _span(c, "rowspan"), _span(c, "colspan")) for c in r]
            for r in rows
        ]
        if any(len(cell.text) > 400 for row in cells for cell in row):
            return False
        grid_rows, spanned = expand(cells)
        if not grid_rows or max(len(r) for r in grid_rows) < 2:
            return False
        self.flush()
        first = len(self.out.lines)
        self.out.lines.extend(grid_lines(grid_rows, spanned))
        self.out.tables.append((Grid(grid_rows, spanned=spanned), first, len(self.out.lines) - 1))
        return True


def _table_rows(table: etree._Element) -> list[list[etree._Element]]:
    """The rows of a table (not of tables nested in it); [] when a table is nested inside."""
    rows: list[list[etree._Element]] = []
    for child in table:
        trs = [child] if child.tag == "tr" else [t for t in child if t.tag == "tr"]
        if child.tag not in ("tr", "thead", "tbody", "tfoot"):
            continue
        for tr in trs:
            rows.append([c for c in tr if c.tag in ("td", "th")])
    for nested in table.iter("table"):
        if nested is not table:
            return []
    return [r for r in rows if r]


def _cell_text(cell: etree._Element) -> str:
    """A cell's text: its paragraphs and line breaks joined (see :func:`join_pieces`)."""
    if all(child.tag == "p" and not len(child) for child in cell):
        # the common <td><p>…</p><p>…</p></td>: no need to walk the subtree
        pieces = [cell.text or ""]
        for child in cell:
            pieces += [child.text or "", child.tail or ""]
        return join_pieces(pieces)
    return join_pieces(_Renderer(tables=False).render(cell).lines)


def _span(cell: etree._Element, name: str) -> int:
    digits = _DIGITS.match(cell.get(name) or "1")
    return int(digits.group(1)) if digits else 1


def _finish(
    raw: RawDocument,
    rendered: _Rendered,
    meta: PageMeta,
    heading: str | None,
    page_title: str | None,
) -> None:
    """Assemble text, grid offsets, the title line and the body start."""
    lines = rendered.lines
    title = meta.title or heading
    prefix = 0
    head = "".join("".join(lines[:3]).split())
    if title and "".join(title.split()) not in head:
        lines.insert(0, title)
        prefix = 1
    meta.title = title or page_title
    starts = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    raw.text = "\n".join(lines)
    for grid, first, last in rendered.tables:
        grid.start = starts[first + prefix]
        grid.end = starts[last + prefix] + len(lines[last + prefix])
        raw.grids.append(grid)
    body_line = prefix
    for i in range(prefix, min(len(lines), prefix + 15)):
        if len(lines[i]) < 200 and _META_ITEM.search(lines[i]):
            body_line = i + 1
    meta.body_start = starts[body_line] if body_line < len(lines) else len(raw.text)
    raw.meta = meta


# --- body and chrome ------------------------------------------------------------------


def _han_counts(top: etree._Element) -> dict[etree._Element, int]:
    """Chinese characters outside links, per element subtree (children before parents)."""
    counts: dict[etree._Element, int] = {}
    for el in reversed(list(top.iter())):
        n = len(_HAN.findall(el.text or ""))
        for child in el:
            n += counts.get(child, 0) + len(_HAN.findall(child.tail or ""))
        counts[el] = 0 if el.tag == "a" else n
    return counts


def _selector_root(body: etree._Element, han: dict[etree._Element, int]) -> etree._Element | None:
    """The first known CMS content root holding enough Chinese text."""
    total = han.get(body, 0)
    marked = []
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        classes = set((el.get("class") or "").lower().split())
        marked.append((el, classes, (el.get("id") or "").strip().lower()))
    for attr, name, specific in _ROOTS:
        need = 10 if specific else max(20, 0.4 * total)
        found = [
            el
            for el, classes, ident in marked
            if (
                (attr == "class" and name in classes)
                or (attr == "id" and ident == name)
                or (attr == "tag" and el.tag == name)
            )
            and han.get(el, 0) >= need
        ]
        if found:
            return max(found, key=lambda e: han.get(e, 0))
    return None


def _densest(body: etree._Element, han: dict[etree._Element, int]) -> etree._Element:
    """Descend from <body> while one container holds most of the non-link Chinese text."""
    total = han.get(body, 0)
    current = body
    while True:
        children = [c for c in current if c.tag in _DESCEND]
        best = max(children, key=lambda c: han.get(c, 0), default=None)
        if best is None or han.get(best, 0) < 0.7 * total:
            return current
        current = best


def _drop_chrome(
    body: etree._Element, root: etree._Element | None, han: dict[etree._Element, int]
) -> None:
    """Remove navigation, breadcrumbs, tool bars and footers (the root itself is kept).

    Outside the root, structural tags and chrome class names go when they hold little text;
    everywhere, short blocks whose text is a breadcrumb, a tool bar or a site footer go.
    A subtree without any chrome wording is not searched further.
    """
    total = han.get(body, 0)
    keep = set(root.iterancestors()) | {root} if root is not None else {body}
    drop = []
    stack = [(child, root is None) for child in body]
    while stack:
        el, outside = stack.pop()
        if not isinstance(el.tag, str):
            continue
        outside = outside and el is not root
        if el in keep:
            stack.extend((child, el is not root and outside) for child in el)
            continue
        if outside and han.get(el, 0) < 0.3 * total and _chrome_named(el):
            drop.append(el)
            continue
        text = _WS.sub(" ", _text(el)).strip()
        if not _TRIGGER.search(text):
            if outside:
                stack.extend((child, True) for child in el)
            continue
        if han.get(el, 0) < 0.5 * total and _chrome_text(text):
            drop.append(el)
            continue
        stack.extend((child, outside) for child in el)
    for el in drop:
        _remove(el)


def _chrome_named(el: etree._Element) -> bool:
    if el.tag in _STRUCT_CHROME:
        return True
    return bool(_CHROME_NAME.search(f"{el.get('class') or ''} {el.get('id') or ''}"))


def _chrome_text(text: str) -> bool:
    """Short text that is a breadcrumb, a tool bar or a site footer."""
    if len(text) >= 600:
        return False
    if _CRUMB.match(text) and len(text) < 200:
        return True
    if len(text) < 100 and (
        len({m.group().replace(" ", "") for m in _TOOLS.finditer(text)}) >= 2
        or _TOOL_LEAD.match(text)
    ):
        return True
    return bool(_FOOT_STRONG.search(text)) or len(set(_FOOT_WEAK.findall(text))) >= 2


def _title_candidates(body: etree._Element) -> list[tuple[etree._Element, str, set]]:
    """Headings that may carry the article title, with their ancestors (before chrome goes)."""
    out = []
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag not in ("h1", "h2", "h3") and not _TITLE_CLASS.search(
            f"{el.get('class') or ''} {el.get('id') or ''}"
        ):
            continue
        text = _WS.sub(" ", _text(el)).strip()
        if len(_HAN.findall(text)) >= 8 and len(text) <= 120 and not _CRUMB.match(text):
            out.append((el, text, set(el.iterancestors())))
    return out


def _pick_heading(
    candidates: list[tuple[etree._Element, str, set]],
    root: etree._Element,
    order: dict[etree._Element, int],
    page_title: str | None,
) -> str | None:
    """The title standing before the body: the one the <title> repeats, else the nearest."""
    limit = order.get(root, 0)
    before = [
        text
        for el, text, ancestors in candidates
        if root not in ancestors and el is not root and order.get(el, limit) < limit
    ]
    if page_title:
        squeezed = "".join(page_title.split())
        for text in before:
            if "".join(text.split()) in squeezed:
                return text
    return before[-1] if before else None


# --- metadata -------------------------------------------------------------------------


def _meta_from_tags(doc: etree._Element) -> tuple[PageMeta, str | None]:
    """Gov-site <meta name=ArticleTitle/PubDate/ContentSource/Url> tags, and the <title>.

    The <title> is returned apart: it names the site and column too, so it is only a fallback.
    """
    meta = PageMeta()
    for el in doc.iter("meta"):
        key = _META_TAGS.get((el.get("name") or "").strip().lower())
        value = (el.get("content") or "").strip()
        if key and value and getattr(meta, key) is None:
            setattr(meta, key, iso_date(value) if key == "published" else value)
    if meta.url is None:
        link = next(
            (e for e in doc.iter("link") if (e.get("rel") or "").lower() == "canonical"), None
        )
        if link is not None and link.get("href"):
            meta.url = link.get("href")
    title_el = doc.find(".//title")
    if title_el is None:
        return meta, None
    parts = [p for p in _TITLE_SPLIT.split(_WS.sub(" ", _text(title_el)).strip()) if p]
    # The report title is the longest part; site and column names are shorter.
    return meta, max(parts, key=len) if parts else None


def _meta_from_lines(lines: list[str], meta: PageMeta) -> None:
    """Fill empty PageMeta fields from "标签：值" items in the page's short lines."""
    for line in lines:
        if len(line) > 300:
            continue
        for m in _META_ITEM.finditer(line):
            key = next((k for k, pat in _META_KEYS if pat.fullmatch(m["label"])), None)
            value = m["value"].strip(" \u3000")
            if key is None or not value or getattr(meta, key) is not None:
                continue
            if key in ("published", "written"):
                value = iso_date(value)
            if value:
                setattr(meta, key, value)
