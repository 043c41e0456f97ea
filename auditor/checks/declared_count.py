"""``declared_count``: a declared count equals what the document actually has.

Default: the declared number of parts (``meta.declared_parts``, "本报告包括…六个部分") vs the
number of sections at ``level`` 1. With ``pattern`` (a ``(?P<n>…)`` group, e.g.
"存在以下(?P<n>{NUM})个问题") the ``items`` enumerators after each declaration are counted
within ``window`` characters (default: to the end of the enclosing section). Nothing
declared → ``not_applicable``.
"""

from __future__ import annotations

from auditor.checks._base import Context, Result, scope_missing
from auditor.facts import convert
from auditor.ruleset import patterns
from auditor.ruleset.schema import Rule

KIND = "declared_count"


def describe(rule: Rule) -> str:
    return "声明的数量应与实际列举的数量一致"


def placeholders(rule: Rule) -> set[str]:
    return {"declared", "actual"}


def fact_refs(rule: Rule) -> set[str]:
    return set() if rule.pattern else {rule.declared}


def run(rule: Rule, ctx: Context) -> Result:
    if rule.pattern:
        return _by_pattern(rule, ctx)
    declared = ctx.value(rule.declared)
    if declared is None:
        return Result("not_applicable", note="未声明部分数量")
    doc = ctx.doc
    found = [s for s in doc.sections if s.level == rule.level]
    # top-level parts include an unnumbered appendix (附表) the declaration itself counts
    actual = doc.actual_parts if rule.level == 1 else len(found)
    values = {"declared": declared, "actual": actual}
    evidence = ctx.fact_evidence([rule.declared])
    evidence += [ctx.evidence(s.start, s.title_end) for s in found]
    return Result("pass" if declared == actual else "fail", values, evidence)


def _by_pattern(rule: Rule, ctx: Context) -> Result:
    spans = ctx.spans(rule.scope)
    if spans is None:
        return scope_missing(rule.scope)
    doc = ctx.doc
    first: dict[str, object] = {}
    evidence = []
    failed = False
    for s, e in spans:
        for m in patterns.finditer(rule.pattern or "", doc.text, s, e):
            declared = convert(m.group("n"), "int")
            if declared is None:
                continue
            end = _end(rule, ctx, m.end(), e)
            actual = sum(1 for _ in patterns.finditer(rule.items or "", doc.text, m.end(), end))
            if declared != actual and not failed:
                failed, first = True, {"declared": declared, "actual": actual}
            elif not first:
                first = {"declared": declared, "actual": actual}
            evidence.append(ctx.evidence(m.start(), min(end, m.end() + 60)))
    if not first:
        return Result("not_applicable", note="未找到数量声明")
    return Result("fail" if failed else "pass", first, evidence)


def _end(rule: Rule, ctx: Context, pos: int, limit: int) -> int:
    if rule.window:
        return min(pos + rule.window, limit)
    section = ctx.doc.section_at(pos)
    return min(section.end, limit) if section else limit
