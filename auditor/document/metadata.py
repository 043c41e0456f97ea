"""Government page metadata (索引号 / 发布机构 / 成文日期 / 发布日期 …) and page chrome.

Pages carry a metadata block above the report, and crawled text keeps the site's chrome
(breadcrumbs, share bars). Both are found in the text of any format, so saved pages, crawl
text and PDFs printed from a page are treated alike.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import regex

from auditor.document.model import PageMeta

_KEYS = {
    "title": r"标题|标\s*题|題目|標題|文章标题",
    "issuer": r"发布机构|發佈機構|发文机关|发布单位|公开责任部门|发布部门",
    "source": r"信息来源|来源|來源",
    "published": r"发布日期|发布时间|發佈日期|发文日期|公开日期|时间|日期",
    "written": r"成文日期|成文时间",
    "index_no": r"索引号|索引號",
    "url": r"原文链接",
}
_OTHER_KEYS = "公开方式|文号|主题分类|浏览次数|字号|栏目|编辑|摘要"
_KEY_PATTERNS = {key: regex.compile(pattern) for key, pattern in _KEYS.items()}
_ANY_KEY = "|".join(f"(?:{v})" for v in _KEYS.values())
_FIELD = regex.compile(
    rf"(?P<key>{_ANY_KEY})[ \t]*[:：][ \t]*(?P<value>[^\n]*?)"
    rf"(?=[ \t]+(?:{_ANY_KEY}|{_OTHER_KEYS})[ \t]*[:：]|[ \t]{{2,}}|\n|$)",
    regex.M,
)
_DATE = regex.compile(r"(?P<y>(?:19|20)\d\d)\s*[-./年]\s*(?P<m>\d{1,2})\s*[-./月]\s*(?P<d>\d{1,2})")

# Crawl-text separator between a page header and the body (also in full-width forms).
_BODY_MARK = regex.compile(r"^[=＝﹦]+\s*正文\s*[=＝﹦]+\s*$", regex.M)
# Chrome that stands before the body in crawled pages.
_CHROME = regex.compile(
    r"当前位置|您的位置|首页\s*>|相关链接\s*[:：]|文件下载|全真版|文字版|QQ空间|打印本页|关闭窗口|"
    r"【?\s*字号\s*[:：]?\s*大\s*中\s*小\s*】?|【\s*[大中小]\s*】|分享到|浏览次数\s*[:：]?|-->|\[\s*打印\s*\]"
)
_HEAD_WINDOW = 1500
_HEADER = 600  # the header when there is no body mark
_MARGIN = 40


def iso_date(value: str) -> str | None:
    """The first Arabic date in a string as ISO ``YYYY-MM-DD`` (None if there is no valid one)."""
    m = _DATE.search(value)
    if not m:
        return None
    try:
        return date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
    except ValueError:
        return None


def read_page_meta(original: str, meta: PageMeta | None = None) -> PageMeta:
    """Fill a PageMeta from the metadata block at the head of a page's text.

    Values a loader already found (e.g. from HTML markup) are kept.
    """
    meta = meta or PageMeta()
    # NFKC only the header: the text above the body mark, else the first 600 characters
    # (a margin covers characters that NFKC expands).
    mark = _BODY_MARK.search(original, 0, _HEAD_WINDOW)
    raw = original[: mark.start()] if mark else original[: _HEADER + _MARGIN]
    header = unicodedata.normalize("NFKC", raw)
    if not mark:
        header = header[:_HEADER]
    for m in _FIELD.finditer(header):
        key = next(k for k, pat in _KEY_PATTERNS.items() if pat.fullmatch(m["key"]))
        value = m["value"].strip()
        if not value:
            continue
        if key in ("published", "written"):
            value = iso_date(value)  # type: ignore[assignment]
            if not value:
                continue
        if getattr(meta, key) is None:
            setattr(meta, key, value)
    return meta


def body_start(original: str) -> int:
    """Offset in the original text where the report body starts (after header and chrome)."""
    head = original[:_HEAD_WINDOW]
    start = 0
    mark = _BODY_MARK.search(head)
    if mark:
        start = mark.end()
    last = None
    for m in _CHROME.finditer(head, start):
        if m.start() - start > 600:
            break
        last = m
    if last is not None:
        start = last.end()
        # skip the rest of a chrome line ("来源： 时间：2021-01-26 14:31 --> 微信 微博 …")
        while start < len(original) and original[start] in " \t:：":
            start += 1
    return start
