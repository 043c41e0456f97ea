"""``section_order``: the parts appear in template order.

Each item's first section (at ``level``, default 1) whose title matches its ``pattern`` is
located; the located items must appear in the listed order. Items not found are ignored
unless ``require_all`` is set (then a missing item fails).
"""

from __future__ import annotations

from auditor.checks._base import Context, Result
from auditor.ruleset import patterns
from auditor.ruleset.schema import Rule

KIND = "section_order"


def describe(rule: Rule) -> str:
    return "各部分应按顺序排列：" + "、".join(i.name for i in rule.items)


def placeholders(rule: Rule) -> set[str]:
    return {"expected", "actual", "missing"}


def fact_refs(rule: Rule) -> set[str]:
    return set()


def run(rule: Rule, ctx: Context) -> Result:
    found: list[tuple[int, str, int]] = []  # (position, name, section end of title)
    missing: list[str] = []
    sections = [s for s in ctx.doc.sections if s.level == rule.level]
    for item in rule.items:
        hit = next((s for s in sections if patterns.occurs(item.pattern, s.title)), None)
        if hit is None:
            missing.append(item.name)
        else:
            found.append((hit.start, item.name, hit.title_end))
    expected = [name for _, name, _ in found]
    actual = [name for _, name, _ in sorted(found)]
    values = {
        "expected": "、".join(expected),
        "actual": "、".join(actual),
        "missing": "、".join(missing) or "无",
    }
    evidence = [ctx.evidence(start, end) for start, _, end in sorted(found)]
    if not found:
        return Result("not_applicable", values, note="未找到任何一个部分")
    ok = expected == actual and not (rule.require_all and missing)
    return Result("pass" if ok else "fail", values, evidence)
