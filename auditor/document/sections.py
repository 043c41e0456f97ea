"""Heading detection: 一、 / (一) / 1. 1、 / (1) / 第X部分, on normalised text.

Crawled text often has no line breaks at all ("…联系电话:0591-23165370。一、总体情况2021年，我区…"),
so headings are found inline too. A candidate counts only where a heading can stand (line
start, after a sentence end, after a closing bracket or a number) and outside tables; the
numbers of one level must then form a sequence (一, 二, 三 …), which filters out stray
matches. Numbering slips (two parts both numbered 三, one number skipped) are tolerated.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from auditor.document.model import Section

CN_DIGITS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_CN = "一二三四五六七八九十"

# Where a heading may start: line start, after sentence-final punctuation, after a closing
# bracket/quote, after a digit or a space (crawl text glues headings to the previous line).
_BEFORE = r"(?:(?<=^)|(?<=[\n。;:!?)”\]】\d\s》])|(?<=\d[元件条个次项]))"

LEVEL_PATTERNS: dict[int, regex.Pattern[str]] = {
    1: regex.compile(
        _BEFORE + rf"(?P<num>第[{_CN}]{{1,3}}部分|[{_CN}]{{1,3}})(?P<sep>、|\.(?!\d)|,|\s)(?=\S)",
        regex.M,
    ),
    2: regex.compile(_BEFORE + rf"(?P<num>\([{_CN}]{{1,3}}\))(?!项|款|条|号)", regex.M),
    3: regex.compile(
        r"(?:(?<=^)|(?<=[\n。;!?]))(?P<num>\d{1,2})(?P<sep>、|\.(?!\d))(?=\S)", regex.M
    ),
    4: regex.compile(r"(?:(?<=^)|(?<=[\n。;!?]))(?P<num>\(\d{1,2}\))(?!项|款|条)", regex.M),
}

# Labels of the standard tables' rows: "一、本年新收…" inside table 三 is not a report part.
_TABLE_ROW_LABELS = regex.compile(
    r"本年新收|上年结转|本年度办理结果|结转下年度|予以公开|部分公开\(|不予公开1|无法提供1|不予处理1|"
    r"其他处理|总计|信息内容|本年新制作|本年制发"
)

# Where an inline heading title ends (crawl text runs the title into the body).
_TITLE_STOP = regex.compile(
    r"[。;!?]|[:,](?=.{0,4}(?:我|本|全|根据|20\d\d))|(?<![及和与至])(?:\d{4}年|20\d\d)|第二十条|\(本列数据|截至|根据|我(?:局|市|区|县|委|办|中心|镇|院|们)|"
    r"按照|严格|全年|本年|今年|一是|坚持|认真|围绕|为进一步|进一步|"
    r"(?<=情况|事项|措施|概述)"
)
_SHORT_LINE = 60
_MAX_TITLE = 40


@dataclass(slots=True)
class _Cand:
    level: int
    number: str
    ordinal: int
    start: int
    title_start: int
    line_start: bool = False


def numeral_value(token: str) -> int:
    """Value of a heading number: 三 → 3, 十二 → 12, (四) → 4, 第三部分 → 3, 7 → 7."""
    token = token.strip("()第部分")
    if token.isdigit():
        return int(token)
    if len(token) == 1:
        return CN_DIGITS.get(token, 0)
    if token.startswith("十"):
        return 10 + CN_DIGITS.get(token[1:], 0)
    if len(token) >= 2 and token[1] == "十":
        return CN_DIGITS.get(token[0], 0) * 10 + (
            CN_DIGITS.get(token[2:], 0) if len(token) > 2 else 0
        )
    return 0


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _candidates(
    text: str, level: int, lo: int, hi: int, skip: list[tuple[int, int]]
) -> list[_Cand]:
    out = []
    for m in LEVEL_PATTERNS[level].finditer(text, lo, hi):
        start = m.start("num")
        if _inside(start, skip):
            continue
        number = m.group("num")
        ordinal = numeral_value(number)
        if ordinal <= 0:
            continue
        title_start = m.end()
        head = text[title_start : title_start + 12]
        if level == 1 and (
            _TABLE_ROW_LABELS.match(head)
            or (m.group("sep") in (",", " ") and not _heading_like(head))
        ):
            continue
        if level == 1 and text[max(0, start - 1) : start] == "第" and "部分" not in number:
            continue
        line_start = start == 0 or text[start - 1] == "\n"
        out.append(_Cand(level, number, ordinal, start, title_start, line_start))
    return out


_REPORT_HEADING_START = regex.compile(
    r"(?:概述|总体|主动|依申请|政府信息|收费|行政复议|因政府|存在|其他|附)"
)


def _heading_like(head: str) -> bool:
    """After a loose separator (comma, space) the title must look like a report heading."""
    return bool(_REPORT_HEADING_START.match(head))


def _chain(cands: list[_Cand]) -> list[_Cand]:
    """The longest plausible numbering sequence, normally starting at 1 (slips tolerated).

    Each step may go up by one (the normal case), stay (two parts with the same number) or
    skip one number. Among equally long chains the one that starts earliest wins.
    """
    n = len(cands)
    if n == 0:
        return []
    best_len = [0] * n
    prev = [-1] * n
    for i, c in enumerate(cands):
        if c.ordinal == 1:
            best_len[i] = 1
        elif c.ordinal <= 3:
            best_len[i] = 0.5  # a report (or an excerpt) whose first parts are missing
        elif c.line_start:
            best_len[i] = 0.25
        for j in range(i):
            if best_len[j] == 0:
                continue
            step = c.ordinal - cands[j].ordinal
            if step == 1:
                score = best_len[j] + 1
            elif step in (0, 2) and c.ordinal > 1:
                score = best_len[j] + 0.5
            else:
                continue
            if score > best_len[i]:
                best_len[i] = score
                prev[i] = j
    end = max(range(n), key=lambda k: (best_len[k], -k))
    if best_len[end] == 0:
        return []
    chain = []
    k = end
    while k >= 0:
        chain.append(cands[k])
        k = prev[k]
    return chain[::-1]


def _title(text: str, start: int, limit: int) -> int:
    """End offset of a heading title starting at ``start``."""
    line_end = text.find("\n", start, limit)
    if line_end < 0:
        line_end = limit
    stop = _TITLE_STOP.search(text, start + 2, min(line_end, start + _SHORT_LINE))
    if stop:
        end = stop.start()
    else:
        end = line_end if line_end - start <= _SHORT_LINE else start + _MAX_TITLE
    while end > start and text[end - 1] in "。;:,. ":
        end -= 1
    return end


def find_sections(
    text: str, start: int = 0, skip: list[tuple[int, int]] | None = None
) -> list[Section]:
    """All headings of levels 1–4 from ``start`` on, as a flat list in text order."""
    skip = skip or []
    sections: list[Section] = []
    _descend(text, 1, start, len(text), skip, sections)
    sections.sort(key=lambda s: (s.start, s.level))
    return sections


def _descend(
    text: str, level: int, lo: int, hi: int, skip: list[tuple[int, int]], out: list[Section]
) -> None:
    if level > 4 or hi - lo < 4:
        return
    chain = _chain(_candidates(text, level, lo, hi, skip))
    if (
        level > 1
        and len(chain) < 2
        and not (chain and text[chain[0].start - 1 : chain[0].start] in ("\n", ""))
    ):
        return
    for k, cand in enumerate(chain):
        end = chain[k + 1].start if k + 1 < len(chain) else hi
        title_end = _title(text, cand.title_start, end)
        out.append(
            Section(
                number=cand.number,
                ordinal=cand.ordinal,
                level=level,
                title=text[cand.title_start : title_end].strip(),
                start=cand.start,
                end=end,
                title_end=title_end,
            )
        )
        _descend(text, level + 1, title_end, end, skip, out)
