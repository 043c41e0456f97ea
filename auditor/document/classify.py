"""What a document is: title, agency, report year, kind, regime, issuer type, dates, declared
parts, contact details. All functions read the normalised text of a :class:`Document`.
"""

from __future__ import annotations

import regex

from auditor.document.model import Document
from auditor.document.numbers import find_dates, parse_number

_YEAR = r"(?P<year>(?:19|20)\d\d|[〇零○一二三四五六七八九]{4})"
_YEAR_RE = regex.compile(_YEAR)
_TITLE_YEAR = regex.compile(_YEAR + r"\s*年")
_AGENCY_BEFORE_YEAR = regex.compile(r"\s*(?P<agency>[^\d〇零○]{2,40}?)\s*" + _YEAR + r"\s*年")
_AGENCY_AFTER_YEAR = regex.compile(
    _YEAR + r"\s*年度?\s*(?P<agency>[\p{Han}]{2,30}?)(?:政府信息公开|政务公开|信息公开)"
)
_TRAILING_ORG = regex.compile(r"(?:^|[\n。 ])(?P<org>[\p{Han}()]{2,40})$")
_DECLARED_APPENDIX = regex.compile(r"附表|附件|统计表")
_APPENDIX_TITLE = regex.compile(r"附表|附件")
_TITLE_RE = regex.compile(
    r"(?P<title>[^\n。;,:《》〔〕()“”]{0,60}?" + _YEAR + r"\s*年度?[^\n。;,:《》〔〕()“”]{0,40}?"
    r"(?:年度报告|工作报告|自查报告|工作总结|报告|总结|年报))"
)
_TITLE_LINE = regex.compile(
    r"(?:年度报告|工作报告|自查报告|工作总结|年报|公开指南|总结|报告)(?:$|[(\s])|工作亮点$|工作要点$|模[板版]$|格式$"
)
_NOT_TITLE = ("根据", "按照", "为", "现将", "本报告", "如对")
_ORG_LINE = regex.compile(
    r"[\p{Han}()]{2,40}(?:人民政府|政府|委员会|管委会|局|厅|委|办公室|办|中心|院|署|会)"
)
_REPORT_TITLE = regex.compile(
    r"(?:政府信息公开|政务公开|信息公开).{0,12}(?:年度报告|工作报告|年报)|年度.{0,10}政府信息公开.{0,6}报告"
)
_KIND_BY_TITLE: list[tuple[str, regex.Pattern[str], str]] = [
    ("self_inspection", regex.compile(r"自查(?:报告|情况|工作)"), "自查报告"),
    ("guide", regex.compile(r"政府信息公开指南|公开指南"), "政府信息公开指南"),
    ("work_summary", regex.compile(r"工作总结|工作亮点|工作计划|工作要点|述职"), "工作总结或计划"),
    ("notice", regex.compile(r"(?:通知|通报|函|意见|决定|办法|规定)$"), "通知、函或规范性文件"),
]
_TEMPLATE = regex.compile(
    r"XX|××|xx|X{3,}|×{2,}|\((?:单位名称|机关名称|文字描述|此处填写|填写)[^)]{0,20}\)|某某"
)
_TEMPLATE_TITLE = regex.compile(r"格式模[板版]|模[板版]|样表|范本|填报说明|(?:报告|年报)格式$")
_SUFFIX_GOV = regex.compile(r"(?:人民政府|政府|管委会|管理委员会|行政公署)$")
_PLACE_ONLY = regex.compile(r"^[\p{Han}]{1,12}(?:省|市|县|区|州|盟|旗|镇|乡|街道)$")
_DECLARED = regex.compile(
    r"(?:共|分为|分成|由|包括|包含|从)[^。]{0,300}?(?P<n>[一二三四五六七八九十两]{1,3}|\d{1,2})\s*个?(?:部分|方面)"
)
_CONTACT = regex.compile(
    r"(?:联系电话|咨询电话|电话|传真|邮箱|电子邮件|电子信箱|e-?mail|邮编|邮政编码|联系地址|地址)\s*[:为是]?\s*[\d(+\p{Han}a-z]"
    r"|0\d{2,3}[-—–]\d{7,8}|1[3-9]\d{9}",
    regex.I,
)
_ACCESS = regex.compile(
    r"(?:电子版|网站|网址|门户|www\.|https?://|政务公开专栏|公开专栏).{0,80}?(?:下载|查阅|获取|公布|发布|浏览|查询)"
    r"|(?:下载|查阅|获取).{0,30}?(?:网站|网址|www\.)"
)
_REPORT_PARTS = [
    ("主动公开", regex.compile(r"主动公开")),
    ("依申请公开", regex.compile(r"依申请|收到和处理|申请情况")),
    ("复议诉讼", regex.compile(r"复议|诉讼")),
    ("问题及改进", regex.compile(r"问题|改进")),
    ("其他事项", regex.compile(r"其他.{0,4}事项")),
    ("收费及减免", regex.compile(r"收费|费用")),
]
_ALIAS = regex.compile(
    r"(?P<org>[\p{Han}]{2,30}(?:人民政府|政府|委员会|管委会|局|厅|委|办公室|办|中心|院|署))\(以下简称"
)
_APPENDIX = regex.compile(
    r"(?:^|[\n。日])\s*(?P<mark>(?:附表|附件|统计表)\s*[:\d一])(?!.{0,4}下载)"
)
_SIGNATURE_END = regex.compile(r"\s*(?:附表|附件)")
_JUNK = regex.compile(r"\s|附件下载|附件|相关附件|相关文档|扫一扫.*|打印|关闭|【.*?】|[::]")
_DRAFT_REPORT_SIGNALS = ("主动公开", "申请")
_CUT_MARGIN = 40  # longer than any date as find_dates reads it in normalised text


def report_title(doc: Document) -> tuple[str | None, int]:
    """The report's title and where it stands (meta title first, then the head of the text).

    The head is searched from the very start (titles often stand above the page chrome); a
    title split over two lines ("洪泽区人民政府" / "2023年政府信息公开工作年度报告") is joined.
    """
    if doc.meta.title:
        return doc.meta.title.strip(), -1
    head_end = min(len(doc.text), max(doc.body_start, 0) + 800)
    lines = _lines(doc.text, 0, head_end)
    for k, (start, line) in enumerate(lines):
        if len(line) <= 80 and _TITLE_LINE.search(line) and not _chrome_or_prose(line):
            if k and _YEAR_RE.match(line) and _ORG_LINE.fullmatch(lines[k - 1][1]):
                prev_start, prev = lines[k - 1]
                return prev + line, prev_start
            return line, start
    m = _TITLE_RE.search(doc.text, doc.body_start, head_end)
    if m and not m["title"].startswith(_NOT_TITLE):
        return m["title"].strip(), m.start("title")
    return None, -1


def _chrome_or_prose(line: str) -> bool:
    return line.startswith(_NOT_TITLE) or ">" in line or "当前位置" in line or "。" in line


def _lines(text: str, start: int, end: int) -> list[tuple[int, str]]:
    out = []
    pos = start
    for raw in text[start:end].split("\n"):
        stripped = raw.strip()
        if stripped:
            out.append((pos + raw.find(stripped), stripped))
        pos += len(raw) + 1
    return out


def _year_value(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    digits = {
        "〇": "0",
        "零": "0",
        "○": "0",
        "一": "1",
        "二": "2",
        "三": "3",
        "四": "4",
        "五": "5",
        "六": "6",
        "七": "7",
        "八": "8",
        "九": "9",
    }
    try:
        return int("".join(digits[c] for c in token))
    except KeyError:
        return None


def title_year(title: str | None) -> int | None:
    if not title:
        return None
    m = _TITLE_YEAR.search(title)
    return _year_value(m["year"]) if m else None


def agency_from_title(title: str | None) -> str | None:
    """The issuing body named in a report title."""
    if not title:
        return None
    m = _AGENCY_BEFORE_YEAR.match(title)
    if m:
        return m["agency"].strip(" 《")
    m = _AGENCY_AFTER_YEAR.search(title)
    if m:
        return m["agency"]
    return None


def agency_from_signature(doc: Document) -> str | None:
    """The body named in the signature (落款) just before the signature date."""
    if not doc.signed_span:
        return None
    before = doc.text[max(doc.body_start, doc.signed_span[0] - 60) : doc.signed_span[0]].rstrip()
    m = _TRAILING_ORG.search(before)
    if m and _ORG_LINE.fullmatch(m["org"]):
        return m["org"]
    return None


def agency_from_preamble(doc: Document) -> str | None:
    """The body named as "XX(以下简称…)" in the preamble."""
    m = _ALIAS.search(doc.text, doc.body_start, doc.body_start + 600)
    return m["org"] if m else None


def issuer_type(agency: str | None, title: str | None) -> str | None:
    """``government`` for a people's government (or an area 管委会 reporting for the area)."""
    name = agency or ""
    if not name and not title:
        return None
    if _SUFFIX_GOV.search(name) or _PLACE_ONLY.match(name):
        return "government"
    if name:
        return "department"
    return None


def regime_for(year: int | None) -> str | None:
    if year is None or year < 2008:
        return None
    if year <= 2018:
        return "ogi-2008"
    if year <= 2020:
        return "ogi-2019"
    return "ogi-2021"


def classify_kind(doc: Document, title: str | None) -> tuple[str, str]:
    """The document kind and the reason shown to the user."""
    head = doc.text[doc.body_start : doc.body_start + 1500]
    named = title or ""
    if _TEMPLATE_TITLE.search(named):
        return "template", f"标题“{named}”表明这是年度报告的格式模板，不是某机关的年度报告"
    if (len(_TEMPLATE.findall(doc.text)) >= 2 and not doc.agency) or _blank_tables(doc):
        return (
            "template",
            "文中有“（文字描述）”“XX”等占位符或统计表全部空白，没有填报单位和数据，是空白模板，不是某机关的年度报告",
        )
    for kind, pattern, label in _KIND_BY_TITLE:
        if pattern.search(named) and "年度报告" not in named:
            return kind, f"标题“{named}”表明这是{label}，不是政府信息公开工作年度报告"
    if _REPORT_TITLE.search(named) or _REPORT_TITLE.search(head):
        if all(s in doc.text for s in _DRAFT_REPORT_SIGNALS):
            where = "标题" if _REPORT_TITLE.search(named) else "开头"
            return (
                "annual_report",
                f"{where}表明这是政府信息公开工作年度报告，正文包含主动公开和依申请公开情况",
            )
        return "other", "提到年度报告，但正文没有主动公开、依申请公开等年度报告内容"
    matched = [
        name
        for name, pattern in _REPORT_PARTS
        if any(pattern.search(s.title) for s in doc.top_sections())
    ]
    if len(matched) >= 4:
        return "annual_report", "没有标题，但正文一级标题包含年度报告的法定内容（" + "、".join(
            matched
        ) + "）"
    for kind, pattern, label in _KIND_BY_TITLE:
        if pattern.search(head[:200]):
            return kind, f"开头表明这是{label}，不是政府信息公开工作年度报告"
    return "other", "标题和开头都没有表明这是政府信息公开工作年度报告"


def _blank_tables(doc: Document) -> bool:
    """Standard tables are present and not one of their cells is filled in."""
    standard = [t for t in doc.tables if t.kind in ("table2", "table3", "table4") and t.cells]
    return bool(standard) and all(c.blank for t in standard for c in t.cells.values())


def declared_parts(doc: Document) -> tuple[int | None, tuple[int, int] | None]:
    """The part count the report announces ("共分七部分", "等10个部分")."""
    first = doc.top_sections()[0].start if doc.top_sections() else doc.body_start + 1500
    m = _DECLARED.search(doc.text, doc.body_start, max(first, doc.body_start + 200))
    if not m:
        return None, None
    value = parse_number(m["n"])
    return (int(value), m.span()) if value else (None, None)


def has_appendix(doc: Document) -> bool:
    """Whether the declaration counts an appendix (附表) that stands unnumbered after the parts."""
    if not doc.declared_parts_span or not doc.top_sections():
        return False
    declared = doc.text[doc.declared_parts_span[0] : doc.declared_parts_span[1]]
    if not _DECLARED_APPENDIX.search(declared):
        return False
    last = doc.top_sections()[-1]
    if _APPENDIX_TITLE.search(last.title):
        return False
    return bool(_APPENDIX.search(doc.text, last.title_end))


def signature_date(doc: Document) -> tuple[str | None, tuple[int, int] | None]:
    """The date the report is signed with (落款): the last date near the end of the body that
    only page junk follows, or an appendix (附表/附件) that follows the signature."""
    # The last 800 characters usually hold it; a date found there within _CUT_MARGIN of
    # the cut might read differently with what precedes it, so that case, like no date,
    # is decided on the whole tail.
    for size, margin in ((800, _CUT_MARGIN), (3000, 0)):
        tail_start = max(doc.body_start, len(doc.text) - size)
        tail = doc.text[tail_start:]
        for found in reversed(find_dates(tail)):
            after = tail[found.end :]
            if _SIGNATURE_END.match(after) or len(_JUNK.sub("", after)) <= 40:
                if found.start < margin and tail_start > doc.body_start:
                    break
                return found.date.isoformat(), (tail_start + found.start, tail_start + found.end)
        if tail_start == doc.body_start:
            break
    return None, None


def has_contact(doc: Document) -> bool:
    return bool(_CONTACT.search(doc.text, doc.body_start))


def has_access(doc: Document) -> bool:
    return bool(_ACCESS.search(doc.text, doc.body_start))
