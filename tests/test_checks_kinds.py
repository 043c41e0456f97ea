"""Every check kind on pass / fail / blocked (or not applicable) / error."""

import pytest

from auditor.checks import MODULES
from auditor.checks.options import RULE_MODELS
from auditor.document.model import CellValue, Section, Table
from auditor.engine import evaluate
from auditor.facts import FactStore
from auditor.ruleset import patterns
from auditor.testing import make_document

EXAMPLES = {"pass": [{"facts": {}}], "fail": [{"facts": {}}]}


def rule(kind: str, message: str = "m", **options):
    data = {
        "id": "T-1",
        "title": "测试",
        "category": "document",
        "basis": "测试",
        "severity": "major",
        "weight": 1,
        "message": message,
        "examples": EXAMPLES,
        "kind": kind,
        **options,
    }
    return RULE_MODELS[kind].model_validate(data, context={"macros": patterns.BUILTIN_MACROS})


def run(r, doc=None, facts=None):
    doc = doc or make_document("")
    return evaluate([r], doc, FactStore(doc, {}, facts))[0]


def sectioned(*parts: tuple[str, str, str]):
    """A document from (number, title, body) top-level parts."""
    text, sections = "", []
    for number, title, body in parts:
        start = len(text)
        text += f"{number}、{title}\n{body}\n"
        sections.append(
            Section(number, 0, 1, title, start, len(text), start + len(number) + 1 + len(title))
        )
    return make_document(text, sections=sections)


REPORT = sectioned(
    ("一", "总体情况", "本年度工作顺利。"),
    ("四", "政府信息公开行政复议、行政诉讼情况", "本年度未发生行政复议,也未发生行政诉讼。"),
    ("五", "存在的主要问题及改进情况", "存在以下两个问题:一是公开不及时;二是解读不够。"),
)


# --- required_content --------------------------------------------------------------------


def test_required_content_by_heading_and_by_body():
    assert run(rule("required_content", headings=["复议|诉讼"]), REPORT).status == "pass"
    by_body = rule("required_content", body=["行政复议", "行政诉讼"], window=30)
    assert run(by_body, REPORT).status == "pass"
    finding = run(rule("required_content", headings=["其他需要报告"], body=["信息处理费"]), REPORT)
    assert finding.status == "fail"
    assert finding.evidence[0].kind == "absence"


def test_required_content_window_and_any():
    far = make_document("行政复议" + "。" * 100 + "行政诉讼")
    assert (
        run(rule("required_content", body=["行政复议", "行政诉讼"], window=50), far).status
        == "fail"
    )
    assert run(rule("required_content", body=["行政复议", "行政诉讼"]), far).status == "pass"
    assert (
        run(rule("required_content", body=["没有", "行政诉讼"], body_mode="any"), far).status
        == "pass"
    )


def test_required_content_blocked_when_scope_missing():
    finding = run(rule("required_content", body=["问题"], scope={"section": "九"}), REPORT)
    assert finding.status == "blocked"
    assert "未找到检查范围" in finding.message


# --- section_order -----------------------------------------------------------------------


def test_section_order():
    items = [
        {"name": "总体", "pattern": "总体"},
        {"name": "复议", "pattern": "复议"},
        {"name": "问题", "pattern": "问题"},
    ]
    assert run(rule("section_order", items=items), REPORT).status == "pass"
    swapped = [items[1], items[0], items[2]]
    finding = run(rule("section_order", "应为{expected}，实为{actual}", items=swapped), REPORT)
    assert finding.status == "fail"
    assert finding.message == "应为复议、总体、问题，实为总体、复议、问题"
    missing = [*items, {"name": "其他", "pattern": "其他需要报告"}]
    assert run(rule("section_order", items=missing), REPORT).status == "pass"
    assert run(rule("section_order", items=missing, require_all=True), REPORT).status == "fail"
    nothing = [{"name": "x", "pattern": "不存在"}, {"name": "y", "pattern": "也不存在"}]
    assert run(rule("section_order", items=nothing), REPORT).status == "not_applicable"


# --- pattern -----------------------------------------------------------------------------


def test_pattern_must_match_in_section_scope():
    r = rule("pattern", must_match="未发生行政复议", scope={"section": "四"})
    assert run(r, REPORT).status == "pass"
    r = rule("pattern", must_match="未发生行政复议", scope={"section": "一"})
    assert run(r, REPORT).status == "fail"
    r = rule("pattern", must_match="复议", scope={"title": "复议"})
    assert run(r, REPORT).status == "pass"


def test_pattern_scope_by_number_forms():
    for number in ("四", "4", "第四部分"):
        assert (
            run(rule("pattern", must_match="复议", scope={"section": number}), REPORT).status
            == "pass"
        )


def test_pattern_must_not_match_with_captures_in_message():
    r = rule("pattern", "出现“{match}”（{kind}）", must_not_match="(?P<kind>不及时|不够)")
    finding = run(r, REPORT)
    assert finding.status == "fail"
    assert finding.message == "出现“不及时”（不及时）"
    assert len(finding.evidence) == 2
    assert run(rule("pattern", must_not_match="XXXX"), REPORT).status == "pass"


def test_pattern_min_max():
    assert run(rule("pattern", must_match="是", min=2), REPORT).status == "pass"
    assert run(rule("pattern", must_match="是", min=3), REPORT).status == "fail"
    assert run(rule("pattern", must_match="是", max=1), REPORT).status == "fail"


def test_pattern_blocked_when_scope_missing():
    assert run(rule("pattern", must_match="x", scope={"section": "六"}), REPORT).status == "blocked"
    assert (
        run(rule("pattern", must_match="x", scope={"table": "table3"}), REPORT).status == "blocked"
    )


def test_catastrophic_pattern_is_an_error_naming_the_rule(monkeypatch):
    monkeypatch.setattr(patterns, "REGEX_TIMEOUT", 0.05)
    doc = make_document("a" * 5000 + "!")
    finding = run(rule("pattern", must_match="(a|aa)+$"), doc)
    assert finding.status == "error"
    assert "T-1" in finding.message and "超时" in finding.message


def test_heading_matches_are_remembered_but_timeouts_never(monkeypatch):
    monkeypatch.setattr(patterns, "REGEX_TIMEOUT", 0.05)
    for _ in range(2):  # the second call searches again and times out again
        with pytest.raises(TimeoutError):
            patterns.occurs("(a|aa)+$", "a" * 5000 + "!")
    before = patterns.occurs.cache_info().hits
    heading = "五、存在的主要问题及改进情况（remembered）"  # in no other test
    assert patterns.occurs("问题|改进", heading)
    assert patterns.occurs("问题|改进", heading)
    assert not patterns.occurs("问题|改进", "一、总体情况（remembered）")
    assert patterns.occurs.cache_info().hits == before + 1


# --- fact_present ------------------------------------------------------------------------


def test_fact_present():
    r = rule("fact_present", "未载明{fact_title}", fact="table3.new.total")
    assert run(r, facts={"table3.new.total": 3}).status == "pass"
    assert run(r, facts={"table3.new.total": 0}).status == "pass"
    strict = rule("fact_present", fact="table3.new.total", allow_zero=False)
    assert run(strict, facts={"table3.new.total": 0}).status == "fail"
    finding = run(r)
    assert finding.status == "fail" and finding.message == "未载明table3.new.total"


# --- identity ----------------------------------------------------------------------------

T3 = "table3.new.{col} + table3.carried_in.{col} == table3.results.total.{col} + table3.carried_out.{col}"
BALANCED = {
    "table3.new.natural_person": 8, "table3.carried_in.natural_person": 1,
    "table3.results.total.natural_person": 9, "table3.carried_out.natural_person": 0,
    "table3.new.total": 10, "table3.carried_in.total": 2,
    "table3.results.total.total": 11, "table3.carried_out.total": 1,
}  # fmt: skip


def test_identity_per_column():
    r = rule(
        "identity",
        "“{col}”列：{lhs}≠{rhs}；{failed}",
        expr=T3,
        for_each={"col": ["natural_person", "total"]},
    )
    assert run(r, facts=BALANCED).status == "pass"
    broken = {**BALANCED, "table3.carried_out.natural_person": 2, "table3.carried_out.total": 0}
    finding = run(r, facts=broken)
    assert finding.status == "fail"
    assert finding.message == "“自然人”列：9≠11；自然人：9 ≠ 11；总计：12 ≠ 11"
    assert [e.kind for e in finding.evidence[:2]] == ["computed", "computed"]


def test_identity_tolerance_and_inequality():
    assert (
        run(rule("identity", expr="a.b == 10", tolerance=0.5), facts={"a.b": 10.4}).status == "pass"
    )
    finding = run(rule("identity", "{failed}", expr="a.b <= 10"), facts={"a.b": 11})
    assert finding.status == "fail" and finding.message == "11 > 10"


def test_identity_blocked_names_missing_facts_and_partial_instances_still_checked():
    r = rule("identity", expr=T3, for_each={"col": ["natural_person", "total"]})
    partial = {k: v for k, v in BALANCED.items() if "natural_person" not in k}
    assert run(r, facts=partial).status == "pass"
    finding = run(r, facts={})
    assert finding.status == "blocked"
    assert {b.fact for b in finding.blocked_by} >= {"table3.new.total", "table3.new.natural_person"}


def test_identity_error_on_division_by_zero():
    finding = run(rule("identity", expr="a.b / c.d == 1"), facts={"a.b": 1, "c.d": 0})
    assert finding.status == "error" and "T-1" in finding.message


def test_identity_reads_table_cells():
    cells = {
        "table4.review.maintained": CellValue("1", 1), "table4.review.corrected": CellValue("0", 0),
        "table4.review.other": CellValue("0", 0), "table4.review.pending": CellValue("1", 1),
        "table4.review.total": CellValue("3", 3),
    }  # fmt: skip
    doc = make_document("表", tables=[Table("table4", 3, 15, cells, start=0, end=1)])
    expr = "table4.review.maintained + table4.review.corrected + table4.review.other + table4.review.pending == table4.review.total"
    finding = run(rule("identity", "{lhs}≠{rhs}", expr=expr), doc)
    assert finding.status == "fail" and finding.message == "2≠3"


# --- stated_sum / percentages ------------------------------------------------------------

ENUM = (
    "共答复3561件,其中同意公开157件,占4.4%;部分公开1504件(其中涉密3件),占42.2%;其他1900件,占53.4%。"
)


def test_stated_sum():
    r = rule("stated_sum", "{parts}={sum}≠{total}", total="共答复(?P<total>{NUM})件")
    assert run(r, make_document(ENUM)).status == "pass"
    finding = run(r, make_document(ENUM.replace("1900件", "1800件")))
    assert finding.status == "fail" and finding.message == "157+1504+1800=3461≠3561"
    assert finding.evidence[0].quote.startswith("共答复3561件")


def test_stated_sum_unit_group_and_not_applicable():
    r = rule("stated_sum", total="主动公开(?P<total>{NUM})(?P<unit>条|件)")
    doc = make_document("主动公开56条,其中工作动态19条,通知公告32条,其他6条。")
    assert run(r, doc).status == "fail"
    assert run(r, make_document("主动公开56条。")).status == "not_applicable"
    assert (
        run(rule("stated_sum", total="共(?P<total>\\d+)件", scope={"section": "九"}), REPORT).status
        == "blocked"
    )


def test_percentages():
    r = rule("percentages", "{item}:{expected}≠{stated};{sum}", total="共答复(?P<total>{NUM})件")
    assert run(r, make_document(ENUM)).status == "pass"
    finding = run(r, make_document(ENUM.replace("4.4%", "5.4%")))
    assert finding.status == "fail" and finding.message == "157:4.41%≠5.4%;101%"
    loose = make_document("共答复200件,其中自然人占60%,法人占50%。")
    assert run(r, loose).status == "fail"
    assert run(r, make_document("共答复200件。")).status == "not_applicable"


def test_enumeration_timeout_is_error(monkeypatch):
    monkeypatch.setattr(patterns, "REGEX_TIMEOUT", 0.05)
    r = rule("stated_sum", total="(?P<total>(a|aa)+)$")
    assert run(r, make_document("a" * 5000 + "!")).status == "error"


# --- text_vs_table -----------------------------------------------------------------------


def test_text_vs_table():
    r = rule("text_vs_table", "{text_value}≠{table_value}", text="a.text", table="table3.new.total")
    assert run(r, facts={"a.text": 5, "table3.new.total": 5}).status == "pass"
    finding = run(r, facts={"a.text": 5, "table3.new.total": 6})
    assert finding.status == "fail" and finding.message == "5≠6"
    assert run(r, facts={"table3.new.total": 6}).status == "not_applicable"
    blocked = run(r, facts={"a.text": 5})
    assert blocked.status == "blocked" and blocked.blocked_by[0].fact == "table3.new.total"
    dated = rule("text_vs_table", text="meta.published", table="table3.new.total")
    assert (
        run(dated, facts={"meta.published": "2024-01-02", "table3.new.total": 6}).status == "error"
    )


# --- deadline ----------------------------------------------------------------------------


def test_deadline_by_issuer_type():
    r = rule("deadline", "{date}晚于{due}，逾期{days_late}天")
    dept = make_document(year=2023, issuer_type="department")
    assert run(r, dept, facts={"meta.published": "2024-01-31"}).status == "pass"
    late = run(r, dept, facts={"meta.published": "2024-02-02"})
    assert late.status == "fail" and late.message == "2024年2月2日晚于2024年1月31日，逾期2天"
    gov = make_document(year=2023, issuer_type="government")
    assert run(r, gov, facts={"meta.published": "2024-03-31"}).status == "pass"


def test_deadline_unknown_date_year_or_issuer():
    r = rule("deadline")
    assert run(r, make_document(year=2023, issuer_type="department")).status == "not_applicable"
    no_year = run(r, make_document(issuer_type="department", published="2024-01-02"))
    assert no_year.status == "blocked" and no_year.blocked_by[0].fact == "meta.year"
    no_issuer = make_document(year=2023, published="2024-01-02")
    assert run(r, no_issuer).status == "blocked"
    assert run(rule("deadline", due={"default": "03-31"}), no_issuer).status == "pass"


# --- declared_count ----------------------------------------------------------------------


def test_declared_parts_vs_sections():
    r = rule("declared_count", "声明{declared}，实际{actual}")
    doc = sectioned(("一", "总体情况", "x"), ("二", "主动公开", "y"))
    doc.declared_parts = 2
    assert run(r, doc).status == "pass"
    doc.declared_parts = 3
    finding = run(r, doc)
    assert finding.status == "fail" and finding.message == "声明3，实际2"
    doc.declared_parts = None
    assert run(r, doc).status == "not_applicable"


def test_declared_count_by_pattern():
    r = rule(
        "declared_count", pattern="存在以下(?P<n>{NUM})个问题", items="[一二三四五六七八九十]是"
    )
    assert run(r, REPORT).status == "pass"
    doc = make_document("存在以下三个问题:一是公开不及时;二是解读不够。")
    assert run(r, doc).status == "fail"
    assert run(r, make_document("无")).status == "not_applicable"


# --- condition ---------------------------------------------------------------------------


def test_condition_expression():
    r = rule(
        "condition",
        "{a.b}件；{count}",
        when="a.b > 0",
        require={"kind": "pattern", "must_match": "整改", "scope": {"section": "五"}},
    )
    assert run(r, REPORT, facts={"a.b": 0}).status == "not_applicable"
    finding = run(r, REPORT, facts={"a.b": 2})
    assert finding.status == "fail" and finding.message == "2件；0"
    assert run(r, REPORT).status == "blocked"


def test_condition_when_check():
    r = rule(
        "condition",
        when_check={"kind": "pattern", "must_match": "行政复议"},
        require={"kind": "pattern", "must_match": "已整改"},
    )
    assert run(r, REPORT).status == "fail"
    assert run(r, make_document("无")).status == "not_applicable"
    assert run(r, make_document("行政复议0件,已整改")).status == "pass"


# --- every kind: an exception is an error, the next rule still runs ----------------------


@pytest.mark.parametrize("kind", sorted(MODULES))
def test_exception_in_any_kind_is_error_and_audit_continues(kind, monkeypatch):
    def boom(rule, ctx):
        raise RuntimeError("boom")

    options = {
        "required_content": {"body": ["x"]},
        "section_order": {"items": [{"name": "a", "pattern": "a"}, {"name": "b", "pattern": "b"}]},
        "pattern": {"must_match": "x"},
        "fact_present": {"fact": "meta.year"},
        "identity": {"expr": "meta.year > 0"},
        "stated_sum": {"total": "(?P<total>\\d+)"},
        "percentages": {"total": "(?P<total>\\d+)"},
        "text_vs_table": {"text": "meta.year", "table": "meta.year"},
        "deadline": {},
        "declared_count": {},
        "condition": {"when": "1 > 0", "require": {"kind": "pattern", "must_match": "x"}},
    }[kind]
    broken = rule(kind, **options)
    other = rule("pattern", must_match="x").model_copy(update={"id": "T-2"})
    monkeypatch.setattr(MODULES[kind], "run", boom)
    doc = make_document("x")
    findings = evaluate([broken, other], doc, FactStore(doc, {}))
    assert (
        findings[0].status == "error"
        and "T-1" in findings[0].message
        and "boom" in findings[0].message
    )
    assert findings[1].status in ("pass", "error" if kind == "pattern" else "pass")
