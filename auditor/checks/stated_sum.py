"""``stated_sum``: a stated total equals the sum of the parts enumerated after it.

"共答复3561件,其中同意公开157件,占4.4%;部分公开1504件…" → 157+1504+… vs 3561. The total
comes from the ``total`` pattern's ``total`` group; parts are numbers followed by ``unit``
up to ``until`` (see :mod:`auditor.checks._enumeration`). Enumerations with fewer than
``min_parts`` parts are not checked; none at all → ``not_applicable``.
"""

from __future__ import annotations

from auditor.checks import _enumeration as en
from auditor.checks._base import Context, Result, scope_missing
from auditor.results import Evidence
from auditor.ruleset.schema import Rule

KIND = "stated_sum"


def describe(rule: Rule) -> str:
    return "文中所述总数应等于其后列举的各分项之和"


def placeholders(rule: Rule) -> set[str]:
    return {"total", "sum", "parts", "diff", "quote"}


def fact_refs(rule: Rule) -> set[str]:
    return set()


def run(rule: Rule, ctx: Context) -> Result:
    enums = en.find(rule, ctx)
    if enums is None:
        return scope_missing(rule.scope)
    checked = [e for e in enums if len(e.parts) >= rule.min_parts]
    if not checked:
        return Result("not_applicable", note="未找到“总数+分项”的列举")
    evidence: list[Evidence] = []
    values: dict[str, object] = {}
    for enum in checked:
        total = sum(p.value for p in enum.parts)
        if abs(total - enum.total) <= rule.tolerance:
            continue
        ev = ctx.evidence(enum.start, enum.end)
        evidence.append(ev)
        if not values:
            values = {
                "total": en.num(enum.total),
                "sum": en.num(total),
                "parts": "+".join(str(en.num(p.value)) for p in enum.parts),
                "diff": en.num(total - enum.total),
                "quote": ev.quote,
            }
    if evidence:
        return Result("fail", values, evidence)
    first = checked[0]
    values = {
        "total": en.num(first.total),
        "sum": en.num(sum(p.value for p in first.parts)),
        "parts": "+".join(str(en.num(p.value)) for p in first.parts),
        "diff": 0,
        "quote": "",
    }
    return Result("pass", values, [ctx.evidence(e.start, e.end) for e in checked])
