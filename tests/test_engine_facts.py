"""Fact extraction: sources, zero phrases, multiple, fallbacks, evidence in original characters."""

import datetime as dt
from pathlib import Path

import pytest

from auditor.document.model import CellValue, Table
from auditor.document.reader import read_text
from auditor.facts import FactStore
from auditor.ruleset import load_ruleset
from auditor.testing import make_document

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
RULESET = load_ruleset([FIXTURES], shipped=False)


def store(doc):
    facts = FactStore(doc, RULESET.facts)
    facts.extract_all()
    return facts


def test_text_fact_with_evidence_in_original_characters():
    doc = read_text(
        "某局2023年政府信息公开工作年度报告\n本年度收到政府信息公开申请１２件。行政复议案件２件。"
    )
    facts = store(doc)
    fact = facts.get("fx.received.text")
    assert fact.value == 12
    ev = fact.evidence[0]
    assert "１２件" in ev.quote
    assert doc.original[ev.start : ev.end] == ev.quote
    assert facts.value("fx.review") == 2


def test_unstated_fact_is_null_never_zero():
    facts = store(make_document("本年度工作顺利。"))
    assert facts.value("fx.review") is None
    assert facts.value("fx.received") is None
    assert facts.get("fx.review").evidence == []


def test_zero_phrase_gives_explicit_zero_with_evidence():
    facts = store(make_document("本年度未发生政府信息公开行政复议。"))
    fact = facts.get("fx.review")
    assert fact.value == 0
    assert fact.evidence[0].quote.startswith("未发生")


def test_chinese_numerals_and_sum_of_multiple():
    facts = store(make_document("行政复议三件。收取复印费用10.5元,收取邮寄费4元。"))
    assert facts.value("fx.fee") == pytest.approx(14.5)
    assert len(facts.get("fx.fee").evidence) == 2


def test_text_facts_do_not_read_tables():
    text = "收到申请5件。表:收到申请9件"
    table = Table("table3", 1, 1, {}, start=text.index("表"), end=len(text))
    facts = store(make_document(text, tables=[table]))
    assert facts.get("fx.received.text").value == 5
    only_table = make_document("表:收到申请9件", tables=[Table("table3", 1, 1, {}, start=0, end=9)])
    assert store(only_table).value("fx.received.text") is None


def test_any_of_prefers_table_then_text_and_from_fact():
    text = "收到申请5件。表三本年新收7"
    cells = {"table3.new.total": CellValue("7", 7, text.index("7"), len(text))}
    doc = make_document(text, tables=[Table("table3", 1, 1, cells, start=7, end=len(text))])
    facts = store(doc)
    assert facts.value("fx.received") == 7
    assert facts.get("fx.received").evidence[0].quote == "7"
    assert facts.value("fx.received.alias") == 7
    assert store(make_document("收到申请5件。")).value("fx.received") == 5


def test_blank_cell_is_not_stated():
    cells = {"table3.new.total": CellValue("", None)}
    doc = make_document("x", tables=[Table("table3", 1, 1, cells)])
    assert store(doc).value("table3.new.total") is None


def test_meta_facts_and_overrides():
    doc = make_document(year=2023, published="2024-01-20", issuer_type="department")
    facts = FactStore(doc, RULESET.facts, {"table3.new.total": 4, "meta.signed": "2024-01-19"})
    assert facts.value("fx.year") == 2023
    assert facts.value("meta.published") == dt.date(2024, 1, 20)
    assert facts.value("meta.issuer_type") == "department"
    assert facts.value("table3.new.total") == 4
    assert facts.value("meta.signed") == dt.date(2024, 1, 19)


def test_fact_regex_timeout_is_recorded_not_raised(monkeypatch, tmp_path):
    from auditor.ruleset import patterns

    (tmp_path / "f.yml").write_text(
        "facts:\n  - id: slow.x\n    from: text\n    pattern: '(?P<value>(a|aa)+)$'\n"
    )
    rs = load_ruleset([tmp_path], shipped=False)
    monkeypatch.setattr(patterns, "REGEX_TIMEOUT", 0.05)
    facts = FactStore(make_document("a" * 5000 + "!"), rs.facts)
    facts.extract_all()
    assert facts.get("slow.x").value is None
    assert "超时" in facts.get("slow.x").error


def test_shipped_count_read_before_its_subject_quotes_the_number():
    """ "3件行政复议": the figure sits in a lookbehind; the quote still shows it."""
    from auditor.api import ruleset_for

    doc = read_text("某局2023年政府信息公开工作年度报告\n全年共发生１２件政府信息公开行政复议。")
    facts = FactStore(doc, ruleset_for(()).facts)
    fact = facts.get("text.review.total")
    assert fact.value == 12
    assert fact.evidence[0].quote == "１２件政府信息公开行政复议"
    assert facts.get("text.litigation.total").value is None
