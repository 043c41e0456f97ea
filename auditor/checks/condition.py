"""``condition``: when ``when`` holds, the inline check ``require`` must pass.

``when`` is an expression (:mod:`auditor.expr`); ``when_check`` is an inline check instead
("holds" = it passes). ``when`` false → ``not_applicable``; ``when`` needs an unstated fact →
``blocked``. The outcome is the inner check's; its placeholders are available.
"""

from __future__ import annotations

from typing import Any

from auditor.checks._base import Context, Result
from auditor.expr import compile_expr
from auditor.ruleset.schema import Rule

KIND = "condition"


def describe(rule: Rule) -> str:
    from auditor.checks import module

    inner = module(rule.require.kind).describe(rule.require)
    return f"当 {rule.when or '前置条件'} 成立时，{inner}"


def placeholders(rule: Rule) -> set[str]:
    from auditor.checks import module

    names = module(rule.require.kind).placeholders(rule.require)
    return names | _when_refs(rule)


def fact_refs(rule: Rule) -> set[str]:
    from auditor.checks import module

    return module(rule.require.kind).fact_refs(rule.require) | _when_refs(rule)


def _when_refs(rule: Rule) -> set[str]:
    from auditor.checks import module

    if rule.when:
        return set(compile_expr(rule.when).all_names)
    return module(rule.when_check.kind).fact_refs(rule.when_check)


def run(rule: Rule, ctx: Context) -> Result:
    from auditor.checks import run_check

    values: dict[str, Any] = {}
    if rule.when:
        expr = compile_expr(rule.when)
        missing = expr.missing(ctx.value)
        if missing:
            return Result("blocked", missing=missing)
        if not expr.evaluate(ctx.value):
            return Result("not_applicable", note=f"前置条件不成立：{rule.when}")
        values = {n: ctx.value(n) for n in expr.all_names}
    else:
        pre = run_check(rule.when_check, ctx)
        if pre.status in ("blocked", "error"):
            return pre
        if pre.status != "pass":
            return Result("not_applicable", note="前置条件不成立")
        values = dict(pre.values)
    result = run_check(rule.require, ctx)
    result.values = values | result.values
    return result
