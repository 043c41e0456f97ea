"""``text_vs_table``: a figure stated in the narrative equals the table figure.

``text`` names a narrative fact, ``table`` a table fact or cell key. The narrative being
silent → ``not_applicable``; the table figure missing → ``blocked``.
"""

from __future__ import annotations

from auditor.checks._base import Context, Result
from auditor.ruleset.schema import Rule

KIND = "text_vs_table"


def describe(rule: Rule) -> str:
    return f"正文数字（{rule.text}）应与表格数字（{rule.table}）一致"


def placeholders(rule: Rule) -> set[str]:
    return {"text_value", "table_value", "diff"} | fact_refs(rule)


def fact_refs(rule: Rule) -> set[str]:
    return {rule.text, rule.table}


def run(rule: Rule, ctx: Context) -> Result:
    stated = ctx.value(rule.text)
    if stated is None:
        return Result("not_applicable", note="正文未载明该数字")
    table = ctx.value(rule.table)
    if table is None:
        return Result("blocked", missing=[rule.table])
    values = {
        "text_value": stated,
        "table_value": table,
        "diff": stated - table,
        rule.text: stated,
        rule.table: table,
    }
    evidence = ctx.fact_evidence([rule.text, rule.table])
    ok = abs(stated - table) <= rule.tolerance
    return Result("pass" if ok else "fail", values, evidence)
