"""Numbers, percentages, dates and zero statements in report text.

Our own small parser (cn2an is only a test oracle). Everything here takes normalised text
(NFKC, so digits, "%" and "," are ASCII) but the single-value parsers NFKC their input again,
so full-width input works too. Nothing here raises on bad input: it returns ``None``.

* :func:`parse_number` — one quantity as written: ``"1,024"``, ``"33.59万"``, ``"1.2亿"``,
  ``"一百三十五"``, ``"两百"``, ``"廿"``, ``"一千零五"``, ``"三十三点五九万"``, ``"二〇一八"``
  (a run of digit characters is read digit by digit). Whole values come back as ``int``.
* :func:`parse_cn_int` — a Chinese integer (also financial digits 壹贰叁…, colloquial
  ``一百五`` = 150, ``三万五`` = 35000).
* :func:`parse_percent` — ``"42.23%"`` or ``"百分之四十二点二三"`` → 42.23.
* :data:`NUMBER` — regex for one number (Arabic or Chinese, optional 万/亿 scale) with
  boundaries that keep it out of dates, phone numbers and codes.
* :func:`find_numbers` — *quantities only*: a number followed by a unit (件, 条, 人次, 元, % …).
  Years, dates, ordinals (第二十条), enumerators ("一是", "(一)", "1.") and numbers without a
  unit are skipped, not returned. The 万/亿 scale goes into the value and the unit is the base
  unit: ``"33.59万条"`` → value 335900, unit ``"条"``; ``"2.5万元"`` → 25000, ``"元"``.
* :func:`parse_date` / :func:`find_dates` — full dates (year, month, day) in Arabic or Chinese
  (``二○一○年四月十日``; ○ U+25CB, Ｏ and 0 are read as 〇 in years).
* :data:`ZERO` / :func:`is_zero_phrase` — zero statements (无, 未, 没有, 零, 0), meant to be
  applied to the clause a rule has narrowed down, never to the whole text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import regex

# --- Chinese numerals ---------------------------------------------------------------------

_DIGITS = {
    "〇": 0, "○": 0, "◯": 0, "零": 0,
    "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG = {"万": 10**4, "亿": 10**8}
_CN_CHARS = "".join(_DIGITS) + "".join(_SMALL) + "".join(_BIG) + "廿卅"
_CN_DIGIT_CHARS = "".join(_DIGITS)
_SCALES = {
    "万": 10**4, "十万": 10**5, "百万": 10**6, "千万": 10**7,
    "亿": 10**8, "十亿": 10**9, "百亿": 10**10, "千亿": 10**11, "万亿": 10**12,
}  # fmt: skip
_MAX_LEN = 64


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s).strip()


def _whole(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def parse_cn_int(s: str) -> int | None:
    """A Chinese integer: 十二, 一百三十五, 两百, 一千零五, 廿五, 二〇一八 (digit by digit)."""
    if not isinstance(s, str):
        return None
    s = s.strip().replace("廿", "二十").replace("卅", "三十")
    if not s or len(s) > _MAX_LEN or any(ch not in _CN_CHARS for ch in s):
        return None
    if all(ch in _DIGITS for ch in s):
        if len(s) > 1 and "两" in s:
            return None
        return int("".join(str(_DIGITS[ch]) for ch in s))
    total = 0  # completed 亿 part
    wan = -1  # completed 万 section (-1: none yet)
    section = 0  # running section below 万
    digit: int | None = None
    last_small = 10**5  # small units must decrease inside a section
    scale = 1  # what a trailing lone digit is worth (一百五 → 5 × 10)
    seen_yi = False
    zero = False
    for ch in s:
        if ch in _DIGITS:
            d = _DIGITS[ch]
            if d == 0:
                if digit is not None:
                    return None
                zero, scale = True, 1
                continue
            if digit is not None:
                return None
            digit, zero = d, False
        elif ch in _SMALL:
            unit = _SMALL[ch]
            if unit >= last_small or (digit is None and unit != 10):
                return None
            section += (1 if digit is None else digit) * unit
            digit, last_small, zero = None, unit, False
            scale = unit // 10
        else:
            unit = _BIG[ch]
            part = section + (digit or 0)
            if unit == 10**4:
                if wan >= 0 or part == 0:
                    return None
                wan = part
            else:
                if seen_yi or (part == 0 and wan < 0):
                    return None
                total = (total + max(wan, 0) * 10**4 + part) * 10**8
                wan, seen_yi = -1, True
            section, digit, last_small, zero = 0, None, 10**5, False
            scale = unit // 10
    if zero:
        return None
    if digit is not None:
        section += digit * scale
    return total + max(wan, 0) * 10**4 + section


def _cn_fraction(s: str) -> Decimal | None:
    if not s or any(ch not in _DIGITS or ch == "两" for ch in s):
        return None
    return Decimal("0." + "".join(str(_DIGITS[ch]) for ch in s))


def _parse_cn(s: str) -> int | float | None:
    scale = 1
    if s[-1] in _BIG and "点" in s:
        scale, s = _BIG[s[-1]], s[:-1]
    head, sep, tail = s.partition("点")
    whole = parse_cn_int(head)
    if whole is None:
        return None
    if not sep:
        return whole
    frac = _cn_fraction(tail)
    if frac is None:
        return None
    return _whole((Decimal(whole) + frac) * scale)


_ARABIC_FULL = regex.compile(
    r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
    r"(?P<scale>[十百千万]?[万亿])?"
)


def parse_number(s: str) -> int | float | None:
    """Parse one quantity as written; ``None`` when ``s`` is not exactly one number."""
    if not isinstance(s, str):
        return None
    t = _nfkc(s)
    if not t or len(t) > _MAX_LEN:
        return None
    m = _ARABIC_FULL.fullmatch(t)
    if m:
        scale_text = m.group("scale")
        if scale_text and scale_text not in _SCALES:
            return None
        try:
            value = Decimal(m.group("num").replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern only admits digits
            return None
        return _whole(value * _SCALES.get(scale_text or "", 1))
    return _parse_cn(t)


_PERCENT = regex.compile(r"(?P<num>.+?)\s*[%％]|百分之(?P<cn>.+)")


def parse_percent(s: str) -> int | float | None:
    """``"42.23%"`` or ``"百分之四十二点二三"`` → 42.23; ``None`` without a percent sign."""
    if not isinstance(s, str):
        return None
    t = _nfkc(s)
    if t == "百分之百":
        return 100
    m = _PERCENT.fullmatch(t)
    if not m:
        return None
    body = m.group("num") if m.group("num") is not None else m.group("cn")
    if "万" in body or "亿" in body:
        return None
    return parse_number(body)


# --- numbers in running text ----------------------------------------------------------------

_D = "0-9０-９"
_CN_START = f"[{_CN_DIGIT_CHARS}十拾廿卅]"
_CN_BODY = f"[{_CN_CHARS}]*"
_ARABIC = (
    rf"(?<![{_D}.A-Za-z])(?<![{_D}][-/:—–~])"
    rf"(?:[{_D}]{{1,3}}(?:[,，][{_D}]{{3}})+|[{_D}]+)(?:[.．][{_D}]+)?"
    rf"(?![{_D}])(?![-/:.．—–~][{_D}])"
    r"(?:[十百千]?万|[十百千]?亿|万亿)?"
)
_CHINESE = (
    rf"(?<![{_CN_CHARS}])"
    rf"{_CN_START}{_CN_BODY}(?:点[{_CN_DIGIT_CHARS}]+[万亿]?)?"
)
NUMBER = regex.compile(rf"{_ARABIC}|{_CHINESE}")
"""One number in normalised text (Arabic with separators/decimals, or Chinese numerals),
with an optional 万/亿 scale. Parse a match with :func:`parse_number`."""

UNITS = (
    "个工作日", "工作日", "人次", "件次", "个月", "小时", "分钟",
    "件", "条", "个", "次", "元", "项", "起", "份", "人", "场", "期", "篇", "家", "户",
    "批", "宗", "例", "封", "名", "位", "台", "套", "张", "天", "%",
)  # fmt: skip
"""Units that make a number a quantity, longest first."""

_UNIT_AFTER = regex.compile(
    r"(?P<approx>余|多)?(?P<unit>"
    + "|".join(regex.escape(u) for u in UNITS)
    + r"|％)(?!性|龙|事)"  # 一次性, 一条龙, 一件事 are set phrases
)


@dataclass(frozen=True, slots=True)
class NumberMatch:
    """A quantity found in text: value in base units, span, unit and the text as written."""

    value: int | float
    start: int
    end: int
    unit: str
    raw: str
    approx: bool = False  # written with 余/多 ("100余件"): a lower bound


def find_numbers(text: str) -> list[NumberMatch]:
    """Quantities (number + unit) in ``text``; years, dates, ordinals and enumerators skipped."""
    if not isinstance(text, str):
        return []
    out: list[NumberMatch] = []
    for m in NUMBER.finditer(text):
        start, end = m.span()
        if text[max(0, start - 1) : start] == "第":
            continue  # ordinal: 第二十条, 第3次
        if text[max(0, start - 3) : start] == "百分之":
            value = parse_number(m.group())
            if value is not None:
                out.append(NumberMatch(value, start - 3, end, "%", text[start - 3 : end]))
            continue
        unit_m = _UNIT_AFTER.match(text, end)
        if unit_m is None:
            continue
        value = parse_number(m.group())
        if value is None:
            continue
        unit = "%" if unit_m.group("unit") == "％" else unit_m.group("unit")
        out.append(
            NumberMatch(
                value=value,
                start=start,
                end=unit_m.end(),
                unit=unit,
                raw=text[start : unit_m.end()],
                approx=unit_m.group("approx") is not None,
            )
        )
    return out


# --- dates --------------------------------------------------------------------------------

_YEAR_ZEROS = "〇○◯零OoＯ0"
_Y = "[0-9〇○◯零OＯ一二三四五六七八九]{4}"
_M = "[0-9〇零一二三四五六七八九十元正]{1,3}"
_DAY = "[0-9〇零一二三四五六七八九十廿卅]{1,4}"
_DATE_CJK = (
    rf"(?<![0-9〇○◯零一二三四五六七八九])(?P<y>{_Y})\s*年\s*(?P<m>{_M})\s*月"
    rf"\s*(?P<d>{_DAY})\s*[日号]"
)
_DATE_SEP = (
    r"(?<![0-9.\-/])(?P<y2>(?:19|20)[0-9]{2})(?P<sep>[-./])(?P<m2>[0-9]{1,2})(?P=sep)"
    r"(?P<d2>[0-9]{1,2})(?![0-9])(?![./-][0-9])"
)
_DATE = regex.compile(f"{_DATE_CJK}|{_DATE_SEP}")


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A full date found in text."""

    date: date
    start: int
    end: int
    raw: str


def _year(s: str) -> int | None:
    digits = []
    for ch in s:
        if ch.isascii() and ch.isdigit():
            digits.append(ch)
        elif ch in _YEAR_ZEROS:
            digits.append("0")
        elif ch in _DIGITS and ch != "两":
            digits.append(str(_DIGITS[ch]))
        else:
            return None
    return int("".join(digits)) if len(digits) == 4 else None


def _part(s: str) -> int | None:
    if s.isascii() and s.isdigit():
        return int(s)
    if s in ("元", "正"):
        return 1
    return parse_cn_int(s)


def _make_date(y: int | None, m: int | None, d: int | None) -> date | None:
    if y is None or m is None or d is None or not 1900 <= y <= 2100:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _date_of(m: regex.Match[str]) -> date | None:
    if m.group("y") is not None:
        return _make_date(_year(m.group("y")), _part(m.group("m")), _part(m.group("d")))
    return _make_date(int(m.group("y2")), int(m.group("m2")), int(m.group("d2")))


def find_dates(text: str) -> list[DateMatch]:
    """Full dates in ``text`` (2018年1月25日, 2018-01-25, 2018.1.25, 二〇一八年一月二十五日)."""
    if not isinstance(text, str):
        return []
    out = []
    for m in _DATE.finditer(text):
        d = _date_of(m)
        if d is not None:
            out.append(DateMatch(d, m.start(), m.end(), m.group()))
    return out


def parse_date(s: str) -> date | None:
    """The date ``s`` states (surrounding spaces allowed); ``None`` if it is not one date."""
    if not isinstance(s, str):
        return None
    t = _nfkc(s)
    m = _DATE.fullmatch(t)
    return _date_of(m) if m else None


# --- zero statements ------------------------------------------------------------------------

ZERO = regex.compile(
    r"没有"
    r"|未(?!来|能|按|经|及时|定|必|满|列|曾)"
    r"|无(?!论|法|缝|纸|偿|锡|线|人|障碍|效|关|须|需|疑|限|形|私|畏|不|穷|数|比|愧|误|可)"
    rf"|(?<![{_CN_CHARS}])零(?![{_CN_CHARS}]|星|售|距|碎|件)"
    r"|(?<![0-9.]|[0-9],)0+(?:\.0+)?(?![0-9]|[.,][0-9])"
)
"""A zero statement: 无 / 未 / 没有 / 零 / 0 (common non-zero words like 无法, 未来 excluded)."""


def is_zero_phrase(s: str) -> bool:
    """True when the fragment states zero and states no non-zero quantity.

    Apply it to the clause about one fact ("未收到政府信息公开申请", "行政复议0件"), never to a
    whole document.
    """
    if not isinstance(s, str) or not s.strip():
        return False
    t = _nfkc(s)
    if ZERO.search(t) is None:
        return False
    return all(n.value == 0 for n in find_numbers(t))
