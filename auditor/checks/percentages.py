"""``percentages``: percentages in one enumeration fit the parts and add up to 100.

Each percentage attached to a part must equal part/total×100 within the rounding of its
stated precision (±0.05 for "4.4%") plus ``tolerance``. The percentages must add up to
100 ± ``sum_tolerance`` when every part has one and the parts cover the total (or when the
enumeration states only percentages). No enumeration with percentages → ``not_applicable``.
"""

from __future__ import annotations

from auditor.checks import _enumeration as en
from auditor.checks._base import Context, Result, scope_missing
from auditor.results import Evidence
from auditor.ruleset.schema import Rule

KIND = "percentages"


def describe(rule: Rule) -> str:
    return "列举中的百分比应与分项/总数一致，合计应为100%"


def placeholders(rule: Rule) -> set[str]:
    return {"total", "sum", "item", "expected", "stated", "quote", "problem"}


def fact_refs(rule: Rule) -> set[str]:
    return set()


def run(rule: Rule, ctx: Context) -> Result:
    enums = en.find(rule, ctx)
    if enums is None:
        return scope_missing(rule.scope)
    relevant = [
        e for e in enums if any(p.pct is not None for p in e.parts) or len(e.loose_pcts) >= 2
    ]
    if not relevant:
        return Result("not_applicable", note="未找到带百分比的列举")
    problems: list[dict[str, object]] = []
    evidence: list[Evidence] = []
    for enum in relevant:
        found = _check(enum, rule)
        if found:
            problems.append(found)
            evidence.append(ctx.evidence(enum.start, enum.end))
    if not problems:
        return Result("pass", {}, [ctx.evidence(e.start, e.end) for e in relevant])
    values = dict(problems[0])
    values["quote"] = evidence[0].quote
    return Result("fail", values, evidence)


def _check(enum: en.Enumeration, rule: Rule) -> dict[str, object] | None:
    """The first problem of an enumeration: shares over 100%, a wrong share, a sum off 100."""
    pcts = [p.pct for p in enum.parts if p.pct is not None]
    every = bool(enum.parts) and len(pcts) == len(enum.parts)
    if not enum.parts:
        pcts = [p for p, _ in enum.loose_pcts]
        every = len(pcts) >= 2
    total = sum(pcts)
    base = {
        "total": en.num(enum.total),
        "sum": _pct_sum(enum),
        "item": "",
        "expected": "",
        "stated": "",
    }
    if every and total > 100 + rule.sum_tolerance + 1e-9:
        return {**base, "problem": f"各项占比合计{_pct_sum(enum)}，超过100%"}
    for part in enum.parts:
        if part.pct is None or enum.total == 0:
            continue
        expected = part.value / enum.total * 100
        if abs(expected - part.pct) > en.last_unit(part.pct_text) + rule.tolerance + 1e-9:
            return {
                **base,
                "item": en.num(part.value),
                "expected": f"{expected:.2f}%",
                "stated": f"{part.pct_text}%",
                "problem": f"{en.num(part.value)}占{en.num(enum.total)}的{expected:.2f}%，报告写作{part.pct_text}%",
            }
    complete = every and (
        not enum.parts or abs(sum(p.value for p in enum.parts) - enum.total) < 1e-9
    )
    if complete and abs(total - 100) > rule.sum_tolerance + 1e-9:
        return {**base, "problem": f"各项占比合计{_pct_sum(enum)}，不等于100%"}
    return None


def _pct_sum(enum: en.Enumeration) -> str:
    pcts = [p.pct for p in enum.parts if p.pct is not None] + [p for p, _ in enum.loose_pcts]
    return f"{en.num(round(sum(pcts), 4))}%"
