"""The audit as a whole: profiles, blocked roots, errors, waivers, scoring, JSON output."""

import datetime as dt
import json
from pathlib import Path

import pytest

from auditor.document.reader import read
from auditor.engine import audit
from auditor.results import DocumentResult, Finding, RunResult, dumps, from_json, json_schema
from auditor.ruleset import load_ruleset, patterns
from auditor.ruleset.models import Waiver
from auditor.scoring import FORMULA, score
from auditor.testing import make_document

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "rules"
RULESET = load_ruleset([FIXTURES], shipped=False)
TEXT = (
    "一、总体情况\n本报告统计期限自2023年1月1日起至2023年12月31日止。\n"
    "二、主动公开政府信息情况\n主动公开10条。\n"
    "三、收到和处理政府信息公开申请情况\n共答复100件,其中同意公开60件,占60%;部分公开30件,占30%;不予公开10件,占10%。\n"
    "四、政府信息公开行政复议、行政诉讼情况\n本年度未发生行政复议和行政诉讼。\n"
)


def report(**attrs):
    attrs = {
        "year": 2023,
        "regime": "ogi-2021",
        "issuer_type": "department",
        "published": "2024-01-20",
    } | attrs
    return make_document(TEXT, **attrs)


def by_rule(result: DocumentResult) -> dict[str, Finding]:
    return {f.rule: f for f in result.findings}


def test_audit_produces_a_finding_per_selected_rule_and_a_score():
    result = audit(report(regime="ogi-2019"), RULESET)
    found = by_rule(result)
    assert set(found) == {r.id for r in RULESET.rules}
    assert result.profile is None  # no profile matches ogi-2019: all rules
    assert found["FX-REVIEW-STATED"].status == "pass"
    assert found["FX-T3-BALANCE"].status == "blocked"
    assert result.score is not None and result.grade in ("优", "良", "合格", "不合格")
    assert result.status == "audited"


def test_profile_is_chosen_automatically_and_overrides_apply():
    result = audit(report(), RULESET)
    assert result.profile == "fx-dept"
    found = by_rule(result)
    assert "FX-ORDER" not in found  # excluded by fx-base
    assert "FX-PERIOD" not in found  # category:period switched off
    assert found["FX-DEADLINE"].severity == "major" and found["FX-DEADLINE"].weight == 5


def test_profile_can_be_named():
    assert audit(report(), RULESET, profile="fx-base").profile == "fx-base"
    with pytest.raises(ValueError, match="未知的配置方案"):
        audit(report(), RULESET, profile="nope")


def test_not_applicable_by_applies(tmp_path):
    for name in ("pack.yml", "facts.yml", "rules.yml"):
        text = (FIXTURES / "pack" / name).read_text("utf-8")
        text = text.replace(
            "    kind: deadline\n", "    kind: deadline\n    applies: {regimes: [ogi-2008]}\n"
        )
        (tmp_path / name).write_text(text, "utf-8")
    rs = load_ruleset([tmp_path], shipped=False)
    finding = by_rule(audit(report(), rs))["FX-DEADLINE"]
    assert finding.status == "not_applicable" and "ogi-2021" in finding.message


def test_blocked_rules_point_to_the_root_fact_rule(tmp_path):
    (tmp_path / "r.yml").write_text(
        """
rules:
  - id: ROOT
    title: 应载明新收申请数
    category: table3
    basis: 测试
    kind: fact_present
    fact: table3.new.total
    message: 未载明。
    examples: {pass: [{facts: {table3.new.total: 1}}], fail: [{facts: {}}]}
  - id: USE-1
    title: 使用1
    category: table3
    basis: 测试
    kind: identity
    expr: table3.new.total >= 0
    message: x
    examples: {pass: [{facts: {table3.new.total: 1}}], fail: [{facts: {table3.new.total: -1}}]}
  - id: USE-2
    title: 使用2
    category: table3
    basis: 测试
    kind: identity
    expr: table3.new.total < 100000
    message: x
    examples: {pass: [{facts: {table3.new.total: 1}}], fail: [{facts: {table3.new.total: 100000}}]}
""",
        "utf-8",
    )
    result = audit(report(), load_ruleset([tmp_path], shipped=False))
    found = by_rule(result)
    assert found["ROOT"].status == "fail"
    for rid in ("USE-1", "USE-2"):
        assert found[rid].status == "blocked"
        assert found[rid].blocked_by[0].fact == "table3.new.total"
        assert found[rid].blocked_by[0].root == "ROOT"
        assert "见规则 ROOT" in found[rid].message
    assert result.score == 0.0  # only ROOT is scored; blocked rules are not counted


def test_user_rule_with_catastrophic_pattern_is_error_and_rest_completes(tmp_path, monkeypatch):
    monkeypatch.setattr(patterns, "REGEX_TIMEOUT", 0.1)
    (tmp_path / "slow.yml").write_text(
        """
rules:
  - id: USER-SLOW
    title: 灾难性回溯
    category: document
    basis: 测试
    kind: pattern
    must_match: '(a|aa)+$'
    message: x
    examples: {pass: [{text: "a"}], fail: [{text: "b"}]}
""",
        "utf-8",
    )
    rs = load_ruleset([FIXTURES, tmp_path], shipped=False)
    doc = make_document(
        TEXT + "a" * 5000 + "!", year=2023, regime="ogi-2019", issuer_type="department"
    )
    result = audit(doc, rs)
    found = by_rule(result)
    assert found["USER-SLOW"].status == "error"
    assert "USER-SLOW" in found["USER-SLOW"].message and "超时" in found["USER-SLOW"].message
    assert found["FX-REVIEW-STATED"].status == "pass"
    assert result.status == "audited"
    assert result.stats["error"] == 1


def test_waiver_keeps_the_real_outcome_and_is_not_scored():
    late = report(published="2024-03-01")
    before = by_rule(audit(late, RULESET))["FX-DEADLINE"]
    assert before.status == "fail"
    waiver = Waiver(rule="FX-DEADLINE", document="<test>", reason="经批准延期")
    result = audit(late, RULESET, waivers=[waiver])
    finding = by_rule(result)["FX-DEADLINE"]
    assert (
        finding.status == "waived" and finding.outcome == "fail" and finding.waiver == "经批准延期"
    )
    assert result.score >= audit(late, RULESET).score
    expired = Waiver(rule="FX-DEADLINE", document="<test>", reason="x", expires=dt.date(2020, 1, 1))
    assert by_rule(audit(late, RULESET, waivers=[expired]))["FX-DEADLINE"].status == "fail"
    by_hash = Waiver(rule="FX-DEADLINE", document="ABC123", reason="x")
    late.sha256 = "abc123"
    assert by_rule(audit(late, RULESET, waivers=[by_hash]))["FX-DEADLINE"].status == "waived"


def finding(status, severity="major", weight=1.0):
    return Finding(
        rule="R", title="t", category="document", kind="pattern", status=status,
        outcome="pass" if status == "waived" else status,
        severity=severity, weight=weight, message="", basis="b",
    )  # fmt: skip


def test_scoring_formula_and_bands():
    assert score([]) == (None, None)
    assert score([finding("pass", weight=9), finding("fail", "minor", weight=1)]) == (90.0, "优")
    assert score([finding("pass", weight=3), finding("fail", "minor", weight=1)]) == (75.0, "良")
    assert score([finding("pass", weight=6), finding("fail", "minor", weight=4)]) == (60.0, "合格")
    assert score([finding("pass", weight=1), finding("fail", "minor", weight=1)]) == (
        50.0,
        "不合格",
    )
    ignored = [finding(s, weight=100) for s in ("not_applicable", "blocked", "error", "waived")]
    assert score([finding("pass"), *ignored]) == (100.0, "优")
    capped = [finding("pass", weight=99), finding("fail", "critical", 1)]
    assert score(capped) == (99.0, "不合格")
    assert score([finding("pass", weight=99), finding("fail", "major", 1)]) == (99.0, "良")
    assert score([finding("pass", weight=6), finding("fail", "major", 4)]) == (60.0, "合格")
    assert "优 ≥ 90" in FORMULA and "critical" in FORMULA and "major" in FORMULA


def test_a_document_that_is_not_a_report_gets_no_score():
    doc = make_document("关于开展自查的报告", kind="self_inspection", kind_reason="标题含“自查”")
    result = audit(doc, RULESET)
    assert result.score is None and result.grade is None
    assert result.status == "not_annual_report"
    assert len(result.findings) == 1 and "自查报告" in result.findings[0].message


def test_unreadable_document():
    doc = make_document("")
    doc.status, doc.message = "unreadable", "文件已损坏"
    result = audit(doc, RULESET)
    assert result.status == "unreadable" and result.score is None
    assert result.findings[0].message == "文件已损坏"


def test_result_json_shape_and_schema_file_is_current():
    result = audit(report(), RULESET)
    data = result.to_json()
    assert set(data) >= {
        "document",
        "status",
        "facts",
        "findings",
        "score",
        "grade",
        "ruleset",
        "profile",
    }
    assert data["ruleset"] == {"version": "fixture@1.0", "hash": RULESET.hash}
    fact = data["facts"]["fx.review"]
    assert fact["value"] == 0 and fact["evidence"][0]["quote"]
    finding = data["findings"][0]
    assert set(finding) >= {
        "rule",
        "title",
        "category",
        "status",
        "severity",
        "weight",
        "message",
        "evidence",
        "basis",
        "hint",
    }
    run = RunResult(documents=[result], ruleset=result.ruleset, scoring=FORMULA)
    dumped = json.loads(json.dumps(run.to_json()))
    assert from_json(dumped).to_json() == dumped
    shipped = json.loads((ROOT / "rules" / "schema" / "results.schema.json").read_text("utf-8"))
    assert shipped == json_schema()


def test_fast_json_lines_equal_the_result_json():
    """``dumps`` (orjson, straight from the dataclasses) writes what ``to_json`` holds."""
    result = audit(report(), RULESET)
    result.facts["fx.review"].value = dt.date(2024, 1, 31)  # dates as ISO strings
    result.stats["ratio"] = float("nan")  # non-finite floats as null
    assert json.loads(dumps(result)) == result.to_json()


def test_rule_schema_file_is_current():
    from auditor.ruleset.models import rule_file_schema

    shipped = json.loads((ROOT / "rules" / "schema" / "rule.schema.json").read_text("utf-8"))
    assert shipped == rule_file_schema()


def test_shipped_rules_run_on_a_real_sample():
    rs = load_ruleset()
    doc = read(ROOT / "samples" / "210_ptzhsyqscj-2021.txt")
    result = audit(doc, rs)
    assert result.status == "audited"
    run = RunResult(documents=[result], ruleset=result.ruleset, scoring=FORMULA)
    dumped = json.loads(json.dumps(run.to_json()))
    assert from_json(dumped).to_json() == dumped  # a real result fits the shipped schema
    assert not [f for f in result.findings if f.status == "error"], [
        f.message for f in result.findings if f.status == "error"
    ]
    assert result.score is not None
    json.dumps(result.to_json(), ensure_ascii=False)
