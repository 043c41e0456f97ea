"""Tests for auditor.document.numbers: table-driven cases, round trips and a cn2an oracle."""

from __future__ import annotations

from datetime import date

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document.numbers import (
    NUMBER,
    ZERO,
    find_dates,
    find_numbers,
    is_zero_phrase,
    parse_cn_int,
    parse_date,
    parse_number,
    parse_percent,
)

# --- single values ----------------------------------------------------------------------------

NUMBERS = [
    ("0", 0),
    ("12", 12),
    ("1,024", 1024),
    ("1，024", 1024),
    ("104,221", 104221),
    ("1,234,567.5", 1234567.5),
    ("3.5", 3.5),
    ("2.0", 2),
    ("１２３", 123),
    ("１，０２４", 1024),
    (" 42 ", 42),
    ("33.59万", 335900),
    ("1.2亿", 120000000),
    ("3万", 30000),
    ("5千万", 50000000),
    ("2万亿", 2 * 10**12),
    ("一百三十五", 135),
    ("十二", 12),
    ("十", 10),
    ("两百", 200),
    ("两", 2),
    ("二〇一八", 2018),
    ("二○一○", 2010),
    ("廿", 20),
    ("廿五", 25),
    ("卅", 30),
    ("零", 0),
    ("〇", 0),
    ("三十三点五九万", 335900),
    ("三点五", 3.5),
    ("一千零五", 1005),
    ("一千零一十", 1010),
    ("一百一十", 110),
    ("十五万", 150000),
    ("一亿零五", 100000005),
    ("一亿二千万", 120000000),
    ("一万亿", 10**12),
    ("一百五", 150),
    ("三万五", 35000),
    ("壹仟零伍", 1005),
    ("贰佰", 200),
]

NOT_NUMBERS = [
    "",
    " ",
    "x",
    "万",
    "百",
    "千万",
    "十十",
    "一二百",
    "一百零",
    "两二",
    "1,02",
    "10,24",
    "1.2.3",
    "3万万",
    "点五",
    "三点",
    "一是",
    "12345678901234567890123456789012345678901234567890123456789012345",
    "42%",
    "-5",
]


@pytest.mark.parametrize(("text", "value"), NUMBERS)
def test_parse_number(text: str, value: int | float) -> None:
    got = parse_number(text)
    assert got == value
    assert type(got) is type(value)


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("42.23%", 42.23),
        ("100%", 100),
        ("4.4％", 4.4),
        ("百分之四十二点二三", 42.23),
        ("百分之百", 100),
    ],
)
def test_parse_percent(text: str, value: float) -> None:
    assert parse_percent(text) == value


@pytest.mark.parametrize("text", ["42.23", "%", "百分之", "abc%", "3万%"])
def test_parse_percent_rejects(text: str) -> None:
    assert parse_percent(text) is None


def test_number_pattern_matches_one_number() -> None:
    assert NUMBER.fullmatch("33.59万")
    assert NUMBER.fullmatch("三十三点五九万")
    assert NUMBER.fullmatch("1,024")
    assert [m.group() for m in NUMBER.finditer("共104221条,其中12件")] == ["104221", "12"]
    # dates, phone numbers and codes are not numbers
    assert NUMBER.search("2018.1.25") is None
    assert NUMBER.search("0715-8126517") is None
    assert NUMBER.search("A3") is None


# --- quantities in text -------------------------------------------------------------------------

SAMPLE = (
    "2017年,我市主动公开政府信息104221条,通过网站公开104,221条,共33.59万条,占42.23%,"
    "共受理一百三十五件,100余件,2.5万元,接受咨询75015人次"
)


def test_find_numbers_values_and_units() -> None:
    got = [(n.value, n.unit, n.approx) for n in find_numbers(SAMPLE)]
    assert got == [
        (104221, "条", False),
        (104221, "条", False),
        (335900, "条", False),
        (42.23, "%", False),
        (135, "件", False),
        (100, "件", True),
        (25000, "元", False),
        (75015, "人次", False),
    ]


def test_find_numbers_spans_quote_the_text() -> None:
    for n in find_numbers(SAMPLE):
        assert SAMPLE[n.start : n.end] == n.raw
        assert n.raw.endswith(n.unit) or n.unit == "%"


@pytest.mark.parametrize(
    "text",
    [
        "一是加强领导,二是完善制度",
        "依据《条例》第二十条第(一)项",
        "第3次会议",
        "二〇一七年",
        "2017年1月1日",
        "二、主动公开情况",
        "(一)公开形式 1.推进决策公开",
        "电话0715-8126517,邮编350400",
        "国办函〔2020〕109号",
        "一次性告知,一条龙服务,一件事",
        "统一,进一步,万一,千万",
    ],
)
def test_find_numbers_skips_non_quantities(text: str) -> None:
    assert find_numbers(text) == []


def test_find_numbers_percent_in_words() -> None:
    (n,) = find_numbers("合格率达到百分之九十五")
    assert (n.value, n.unit, n.raw) == (95, "%", "百分之九十五")


# --- dates --------------------------------------------------------------------------------------

DATES = [
    ("2018年1月25日", date(2018, 1, 25)),
    ("2018年01月25号", date(2018, 1, 25)),
    ("2018 年 1 月 25 日", date(2018, 1, 25)),
    ("2018-01-25", date(2018, 1, 25)),
    ("2018.1.25", date(2018, 1, 25)),
    ("2018/01/25", date(2018, 1, 25)),
    ("二〇一八年一月二十五日", date(2018, 1, 25)),
    ("二○一○年四月十日", date(2010, 4, 10)),
    ("二0一三年三月二十八日", date(2013, 3, 28)),
    ("二〇一九年元月三十一日", date(2019, 1, 31)),
    ("二〇二〇年十二月三十一日", date(2020, 12, 31)),
    ("２０１８年１月２５日", date(2018, 1, 25)),
]


@pytest.mark.parametrize(("text", "value"), DATES)
def test_parse_date(text: str, value: date) -> None:
    assert parse_date(text) == value


@pytest.mark.parametrize(
    "text",
    ["", "2018年2月30日", "2018年13月1日", "2018-1", "2018年1月", "18-01-25", "1800年1月1日"],
)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text) is None


def test_find_dates_period() -> None:
    text = "所列数据的统计期限自2017年1月1日起至2017年12月31日止。"
    got = find_dates(text)
    assert [d.date for d in got] == [date(2017, 1, 1), date(2017, 12, 31)]
    assert [text[d.start : d.end] for d in got] == ["2017年1月1日", "2017年12月31日"]


def test_find_dates_in_signature_and_header() -> None:
    text = "平潭县质量技术监督局二○一○年四月十日 附表 时间:2019-01-16 16:47 电话0591-24379123"
    assert [d.date for d in find_dates(text)] == [date(2010, 4, 10), date(2019, 1, 16)]


# --- zero statements ----------------------------------------------------------------------------

ZERO_YES = [
    "无",
    "0",
    "0件",
    "零",
    "为零",
    "未收到政府信息公开申请",
    "我局没有收到信息公开申请",
    "无收费及减免情况",
    "行政复议0,行政诉讼0",
    "2017年,我局未发生行政复议",
]
ZERO_NO = [
    "",
    "3件",
    "共1,000件",
    "10件",
    "一千零五件",
    "无法提供",
    "未来将加强",
    "受理申请3件,未收取费用",
    "零件",
    "0.5万元",
]


@pytest.mark.parametrize("text", ZERO_YES)
def test_is_zero_phrase_yes(text: str) -> None:
    assert is_zero_phrase(text)


@pytest.mark.parametrize("text", ZERO_NO)
def test_is_zero_phrase_no(text: str) -> None:
    assert not is_zero_phrase(text)


def test_zero_pattern_not_inside_numbers() -> None:
    assert ZERO.search("1005件") is None
    assert ZERO.search("1,000件") is None
    assert ZERO.search("一千零五件") is None


# --- properties ---------------------------------------------------------------------------------


@settings(max_examples=400)
@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_cn2an_oracle(n: int) -> None:
    assert parse_cn_int(cn2an.an2cn(n)) == n
    assert parse_cn_int(cn2an.an2cn(n, "up")) == n
    assert parse_number(cn2an.an2cn(n)) == n


@given(st.integers(min_value=0, max_value=10**15))
def test_arabic_round_trip(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"{n:,}".replace(",", "，")) == n


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=99))
def test_scaled_round_trip(whole: int, cents: int) -> None:
    assert parse_number(f"{whole}.{cents:02d}万") == whole * 10000 + cents * 100
    assert parse_number(f"{whole}.{cents:02d}亿") == whole * 10**8 + cents * 10**6
    if whole:
        digits = "".join("零一二三四五六七八九"[int(c)] for c in f"{cents:02d}")
        assert parse_number(f"{cn2an.an2cn(whole)}点{digits}万") == whole * 10000 + cents * 100


@given(st.dates(min_value=date(1949, 10, 1), max_value=date(2099, 12, 31)))
def test_date_round_trip(d: date) -> None:
    assert parse_date(f"{d.year}年{d.month}月{d.day}日") == d
    assert parse_date(d.isoformat()) == d
    assert parse_date(f"{d.year}.{d.month}.{d.day}") == d
    assert parse_date(f"{d.year}/{d.month:02d}/{d.day:02d}") == d
    year = "".join("〇一二三四五六七八九"[int(c)] for c in str(d.year))
    cn = f"{year}年{cn2an.an2cn(d.month)}月{cn2an.an2cn(d.day)}日"
    assert parse_date(cn) == d
    assert parse_date(cn.replace("〇", "○")) == d
    text = f"落款{cn}印发"
    (found,) = find_dates(text)
    assert (found.date, text[found.start : found.end]) == (d, cn)


@given(st.integers(min_value=1, max_value=10**9), st.sampled_from(["件", "条", "人次", "元"]))
def test_find_numbers_round_trip(n: int, unit: str) -> None:
    text = f"共办理{n:,}{unit},其中"
    (found,) = find_numbers(text)
    assert (found.value, found.unit, found.raw) == (n, unit, f"{n:,}{unit}")


@settings(max_examples=300)
@given(st.text())
def test_no_input_raises(s: str) -> None:
    parse_number(s)
    parse_percent(s)
    parse_cn_int(s)
    parse_date(s)
    is_zero_phrase(s)
    for n in find_numbers(s):
        assert s[n.start : n.end] == n.raw
    for d in find_dates(s):
        assert s[d.start : d.end] == d.raw


@settings(max_examples=300)
@given(st.text(alphabet="〇○零一二两三四五六七八九十百千万亿廿点0123456789,.%年月日第件条万元余 "))
def test_no_numeral_soup_raises(s: str) -> None:
    test_no_input_raises.hypothesis.inner_test(s)
