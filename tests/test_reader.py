"""The reading layer on the real samples: kind, year, regime, issuer, dates, parts.

Expected values were read by hand (docs/samples/SEEDS_NOTES.md, docs/samples/DEV_SOURCES.tsv).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.document.reader import read, read_text

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

# file prefix: (kind, year, regime, issuer_type, published, declared, actual)
EXPECTED = {
    "000_": ("annual_report", 2017, "ogi-2008", "department", "2018-01-25", 7, 7),
    "001_687": ("self_inspection", 2013, None, None, "2017-09-14", None, None),
    "002_750": ("annual_report", 2017, "ogi-2008", "department", "2018-03-01", 10, 10),
    "003_365": ("annual_report", 2017, "ogi-2008", "government", None, 8, 8),
    "004_bd9": ("work_summary", 2016, None, None, "2017-06-13", None, None),
    "201_": ("annual_report", 2009, "ogi-2008", "department", "2010-05-12", 6, 6),
    "202_": ("annual_report", 2012, "ogi-2008", "department", "2013-02-27", 6, 6),
    "203_": ("annual_report", 2014, "ogi-2008", "department", "2015-03-02", 5, 5),
    "204_": ("annual_report", 2017, "ogi-2008", "department", "2018-01-26", 6, 6),
    "205_": ("annual_report", 2018, "ogi-2008", "department", "2019-01-16", 6, 6),
    "206_": ("annual_report", 2019, "ogi-2019", "department", "2020-01-16", 6, 6),
    "207_": ("annual_report", 2019, "ogi-2019", "department", "2020-01-03", 6, 6),
    "208_": ("annual_report", 2020, "ogi-2019", "department", "2021-01-28", 6, 6),
    "209_": ("annual_report", 2020, "ogi-2019", "department", "2021-01-26", 6, 6),
    "210_": ("annual_report", 2021, "ogi-2021", "department", "2022-01-07", 6, 6),
    "211_": ("annual_report", 2022, "ogi-2021", "department", "2023-01-06", 6, 6),
    "212_ptzhsyqshs-2023.txt": (
        "annual_report",
        2023,
        "ogi-2021",
        "department",
        "2024-01-26",
        6,
        6,
    ),
    "213_ptzhsyqjjp-2024.txt": (
        "annual_report",
        2024,
        "ogi-2021",
        "department",
        "2025-01-22",
        6,
        6,
    ),
    "214_": ("annual_report", 2025, "ogi-2021", "department", "2026-01-26", None, 6),
    "215_": ("annual_report", 2022, "ogi-2021", "department", "2023-01-21", 6, 6),
    "216_": ("guide", None, None, None, "2022-01-05", None, None),
}


def _sample(prefix: str) -> Path:
    matches = sorted(p for p in SAMPLES.iterdir() if p.name.startswith(prefix))
    assert matches, prefix
    return matches[0]


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_sample_reads_as_an_auditor_would(prefix: str) -> None:
    kind, year, regime, issuer, published, declared, actual = EXPECTED[prefix]
    doc = read(_sample(prefix))
    assert doc.status == "ok"
    assert doc.kind == kind, doc.kind_reason
    assert doc.kind_reason
    if kind != "annual_report":
        return
    assert doc.year == year
    assert doc.regime == regime
    assert doc.issuer_type == issuer
    assert doc.published == published
    assert doc.declared_parts == declared
    assert doc.actual_parts == actual


def test_traditional_seed_is_detected_and_quoted_in_traditional() -> None:
    doc = read(_sample("003_365"))
    assert doc.script == "hant"
    start = doc.text.index("主动公开政府信息情况")
    assert doc.quote(start, start + len("主动公开政府信息情况")) == "主動公開政府信息情況"
    assert [s.title for s in doc.top_sections()][:3] == [
        "概述",
        "主动公开政府信息情况",
        "依申请公开政府信息情况",
    ]


def test_six_headings_of_the_2021_format_in_crawl_text_without_line_breaks() -> None:
    doc = read(_sample("213_ptzhsyqjjp-2024.txt"))
    titles = [s.title for s in doc.top_sections()]
    assert titles == [
        "总体情况",
        "主动公开政府信息情况",
        "收到和处理政府信息公开申请情况",
        "政府信息公开行政复议、行政诉讼情况",
        "存在的主要问题及改进措施",
        "其他需要报告的事项",
    ]
    # (一)…(五) under 一, and nothing from table 三's row labels counted as a part
    assert [s.number for s in doc.sections if s.level == 2][:5] == [
        "(一)",
        "(二)",
        "(三)",
        "(四)",
        "(五)",
    ]


def test_enumerations_and_article_references_are_not_headings() -> None:
    text = (
        "某局2020年政府信息公开工作年度报告\n"
        "一、总体情况\n我局一是加强领导，二是完善制度。依据第二十条第(一)项公开。\n"
        "二、主动公开政府信息情况\n主动公开10条。"
    )
    doc = read_text(text)
    assert [s.number for s in doc.top_sections()] == ["一", "二"]


def test_numbering_slip_two_parts_numbered_the_same() -> None:
    text = (
        "某局2017年政府信息公开工作年度报告\n一、概述\n内容。\n二、主动公开情况\n内容。\n"
        "三、依申请公开情况\n内容。\n三、收费及减免情况\n未收费。\n四、其他需要报告的事项\n无。"
    )
    doc = read_text(text)
    assert [s.number for s in doc.top_sections()] == ["一", "二", "三", "三", "四"]


def test_metadata_block_gives_title_issuer_and_publication_date() -> None:
    doc = read(_sample("001_687"))
    assert doc.meta.issuer == "市行政服务中心"
    assert doc.published == "2017-09-14"
    assert doc.published_source == "page_metadata"
    assert doc.signed == "2013-03-28"


def test_signature_date_used_when_page_has_no_metadata() -> None:
    doc = read(_sample("000_"))
    assert (doc.published, doc.published_source) == ("2018-01-25", "signature")


def test_regime_override() -> None:
    doc = read(_sample("000_"), regime="ogi-2021")
    assert doc.regime == "ogi-2021"
