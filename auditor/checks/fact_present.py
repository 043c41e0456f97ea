"""``fact_present``: the document states a fact (an explicit zero counts when allowed).

This is the root rule for its fact: rules blocked because the fact is unstated point here.
"""

from __future__ import annotations

from auditor.checks._base import Context, Result
from auditor.ruleset.schema import Rule

KIND = "fact_present"


def describe(rule: Rule) -> str:
    return f"应载明：{rule.fact}"


def placeholders(rule: Rule) -> set[str]:
    return {"fact", "fact_title", "value"}


def fact_refs(rule: Rule) -> set[str]:
    return {rule.fact}


def run(rule: Rule, ctx: Context) -> Result:
    fact = ctx.facts.get(rule.fact)
    values = {"fact": rule.fact, "fact_title": fact.title or rule.fact, "value": fact.value}
    if fact.value is None:
        return Result("fail", values, [ctx.absence(None, f"“{values['fact_title']}”")])
    if fact.value == 0 and not rule.allow_zero:
        return Result("fail", values, fact.evidence)
    return Result("pass", values, fact.evidence)
