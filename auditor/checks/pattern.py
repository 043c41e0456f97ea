"""``pattern``: a regex must (``must_match``) or must not (``must_not_match``) occur.

Occurrences are counted in the scope; ``min`` (default 1 for ``must_match``) and ``max``
bound the count. Named groups of the first (or first offending) match feed the message.
"""

from __future__ import annotations

from auditor.checks._base import Context, Result, scope_missing
from auditor.ruleset import patterns
from auditor.ruleset.schema import Rule

KIND = "pattern"


def describe(rule: Rule) -> str:
    if rule.must_match:
        return f"应出现：{rule.must_match}"
    return f"不应出现：{rule.must_not_match}"


def placeholders(rule: Rule) -> set[str]:
    pattern = rule.must_match or rule.must_not_match or ""
    return {"count", "min", "max", "match"} | patterns.group_names(pattern)


def fact_refs(rule: Rule) -> set[str]:
    return set()


def run(rule: Rule, ctx: Context) -> Result:
    spans = ctx.spans(rule.scope)
    if spans is None:
        return scope_missing(rule.scope)
    pattern = rule.must_match or rule.must_not_match or ""
    text = ctx.doc.text
    matches = [m for s, e in spans for m in patterns.finditer(pattern, text, s, e)]
    if rule.must_match:
        low = 1 if rule.min is None else rule.min
        high = rule.max
    else:
        low, high = 0, rule.max or 0
    count = len(matches)
    values: dict[str, object] = {
        "count": count,
        "min": low,
        "max": "不限" if high is None else high,
        "match": ctx.doc.quote(*matches[0].span()) if matches else "",  # original characters
    }
    if matches:
        values.update({k: v or "" for k, v in matches[0].groupdict().items()})
    ok = count >= low and (high is None or count <= high)
    evidence = [ctx.evidence(*m.span()) for m in matches[:20]]
    if not matches and rule.must_match:
        evidence = [ctx.absence(spans, "所要求的内容")]
    return Result("pass" if ok else "fail", values, evidence)
