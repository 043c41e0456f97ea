"""The audit of real reports: what a careful human auditor finds in each sample.

Sources of the expectations: docs/samples/SEEDS_NOTES.md, FETCHED_SOURCES.tsv and
DEV_SOURCES.tsv (read by hand). Nothing here keys on a file name inside the auditor: the
tests only pick which real document to feed it.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pytest

from auditor.api import AuditOptions, audit_path
from auditor.results import DocumentResult

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SERIOUS = ("critical", "major")


@cache
def audited(prefix: str) -> DocumentResult:
    path = next(p for p in sorted(SAMPLES.iterdir()) if p.name.startswith(prefix))
    return audit_path(path, AuditOptions())


def failed(
    result: DocumentResult, severities: tuple[str, ...] = ("critical", "major", "minor", "info")
) -> set[str]:
    return {f.rule for f in result.findings if f.status == "fail" and f.severity in severities}


def failed_categories(result: DocumentResult) -> set[str]:
    return {f.category for f in result.findings if f.status == "fail"}


def fact(result: DocumentResult, fid: str) -> object:
    return result.facts[fid].value if fid in result.facts else None


def test_seed_000_passes_every_critical_and_major_rule() -> None:
    result = audited("000_")
    assert result.status == "audited"
    assert failed(result, SERIOUS) == set()
    assert fact(result, "applications.received") == 135
    assert fact(result, "review.total") == 0
    assert fact(result, "litigation.total") == 0
    assert fact(result, "fees.amount_yuan") == 0
    assert fact(result, "period.start") in ("2017-01-01", dt.date(2017, 1, 1))
    assert fact(result, "period.end") in ("2017-12-31", dt.date(2017, 12, 31))
    assert result.score is not None and result.grade is not None


def test_seed_002_misses_the_fee_item() -> None:
    result = audited("002_750")
    assert "fees" in failed_categories(result)
    assert any(
        f.category == "fees" and f.severity == "critical"
        for f in result.findings
        if f.status == "fail"
    )
    assert fact(result, "proactive.total") == 335900
    assert result.grade == "不合格"  # a critical failure caps the grade


def test_seed_003_sums_and_percentages_fail_with_traditional_evidence() -> None:
    result = audited("003_365")
    categories = failed_categories(result)
    assert {"category_sum", "percentage"} <= categories
    for finding in result.findings:
        if finding.status == "fail" and finding.category in ("category_sum", "percentage"):
            quotes = " ".join(e.quote for e in finding.evidence)
            assert "答覆" in quotes or "佔" in quotes, (
                quotes
            )  # quoted in the report's own characters
    assert "4851" in next(
        f.message for f in result.findings if f.category == "category_sum" and f.status == "fail"
    )
    assert fact(result, "review.total") == 8
    assert fact(result, "litigation.total") == 5
    assert fact(result, "applications.received") == 3561
    assert fact(result, "proactive.total") == 104221


@pytest.mark.parametrize("prefix", ["001_687", "004_bd9", "216_", "004_TEMPLATE"])
def test_other_kinds_of_document_get_no_score(prefix: str) -> None:
    result = audited(prefix)
    assert result.status == "not_annual_report"
    assert result.score is None and result.grade is None
    assert result.findings and result.findings[0].message  # says plainly what it is


def test_hongze_2023_pdf_table4_totals_are_wrong() -> None:
    result = audited("001_huaian")
    finding = next(f for f in result.findings if f.rule == "FMT-T4-SUM")
    assert finding.status == "fail"
    assert "行政复议：0 ≠ 11" in finding.message
    assert "复议后起诉：0 ≠ 5" in finding.message


def test_huaian_city_2024_pdf_passes_every_table_identity_and_text_check() -> None:
    result = audited("003_huaian")
    checked = [f for f in result.findings if f.category in ("table3", "table4", "text_vs_table")]
    assert checked
    assert all(f.status in ("pass", "not_applicable") for f in checked), [
        (f.rule, f.status, f.message) for f in checked if f.status not in ("pass", "not_applicable")
    ]
    assert {f.rule for f in checked if f.status == "pass"} >= {
        "FMT-T3-BALANCE",
        "FMT-T3-RESULTS",
        "FMT-T4-SUM",
    }
    assert fact(result, "applications.received") == 3119
    assert fact(result, "applications.carried_in") == 34
    assert fact(result, "applications.concluded") == 3050
    assert fact(result, "applications.carried_out") == 103
    assert fact(result, "review.total") == 351
    assert fact(result, "litigation.total") == 46


# Real defects noted in DEV_SOURCES.tsv, each caught in its category.
DEV_DEFECTS = {
    "201_": {"deadline"},  # published 2010-05-12, after 31 March
    "203_": {"review_litigation"},  # no 行政复议/行政诉讼 item at all
    "205_": {"fees"},  # no 收费及减免 item (2018, 2008 regulation)
    "209_": {"table3"},  # (七)总计 row 0 against 2 applications received
    "211_": {"category_sum"},  # categories add to 54 against a stated 64
    "212_ptzhsyqshs-2023.txt": {"text_vs_table"},  # 363 in the text, 1 in table 三
    "215_": {"year_consistency", "text_vs_table"},  # says 2023年度 in a 2022 report; 1180 vs 1
}


@pytest.mark.parametrize("prefix", sorted(DEV_DEFECTS))
def test_dev_corpus_defects_are_caught(prefix: str) -> None:
    assert DEV_DEFECTS[prefix] <= failed_categories(audited(prefix))


@pytest.mark.parametrize("prefix", ["206_", "207_", "208_", "210_"])
def test_clean_dev_reports_are_not_flagged(prefix: str) -> None:
    result = audited(prefix)
    assert failed(result, SERIOUS) == set(), [
        (f.rule, f.message) for f in result.findings if f.status == "fail"
    ]


def test_html_twin_reads_the_same_verdict_as_the_crawl_text() -> None:
    text, html = audited("212_ptzhsyqshs-2023.txt"), audited("212_ptzhsyqshs-2023.body")
    assert failed(text, SERIOUS) == failed(html, SERIOUS)
    assert fact(html, "applications.received") == fact(text, "applications.received") == 1


def test_every_finding_carries_basis_and_failures_carry_evidence() -> None:
    for prefix in ("002_750", "003_365", "209_", "001_huaian"):
        for finding in audited(prefix).findings:
            assert finding.basis
            if finding.status == "fail":
                assert finding.hint
                assert finding.evidence, finding.rule
