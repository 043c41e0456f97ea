"""``identity``: an arithmetic identity (or inequality) over facts and table cells.

``expr`` is evaluated by :mod:`auditor.expr` with ``tolerance`` for ``==``/``!=``.
``for_each: {var: [values]}`` instantiates ``{var}`` per value; every broken instance is
evidence. Instances with unstated facts are skipped; ``blocked`` only if none was checkable.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from typing import Any

from auditor.checks._base import Context, Result, per_rule
from auditor.document.tableschema import key_label, part_label
from auditor.expr import Expression, compile_expr
from auditor.results import Evidence
from auditor.ruleset.schema import Rule

KIND = "identity"


@per_rule
def instances(rule: Rule) -> tuple[tuple[str | None, str], ...]:
    """(value of the for_each variable, expression source) per instance."""
    if not rule.for_each:
        return ((None, rule.expr),)
    var, values = next(iter(rule.for_each.items()))
    return tuple((v, rule.expr.replace("{" + var + "}", v)) for v in values)


@per_rule
def _compiled(rule: Rule) -> tuple[tuple[str | None, str, Expression], ...]:
    """Each instance with its compiled expression."""
    return tuple((label, source, compile_expr(source)) for label, source in instances(rule))


def describe(rule: Rule) -> str:
    return f"应满足：{rule.expr}"


def placeholders(rule: Rule) -> set[str]:
    names = {"lhs", "rhs", "diff", "failed", "checked", "skipped"}
    names |= set(rule.for_each or {})
    return names | fact_refs(rule)


def fact_refs(rule: Rule) -> set[str]:
    return {n for _, _, expr in _compiled(rule) for n in expr.all_names}


def run(rule: Rule, ctx: Context) -> Result:
    var = next(iter(rule.for_each)) if rule.for_each else None
    failed: list[str] = []
    cells: list[str] = []
    evidence: list[Evidence] = []
    known: dict[str, Any] = {}  # the values of the instances checked
    missing: set[str] = set()
    values: dict[str, Any] = {"lhs": "", "rhs": "", "diff": ""}
    checked = 0
    for label, source, expr in _compiled(rule):
        stated = ctx.facts.values(expr.all_names)
        gaps = [n for n in expr.names if stated[n] is None]
        if gaps:
            missing.update(gaps)
            continue
        checked += 1
        known |= stated
        if expr.evaluate_stated(stated.__getitem__, rule.tolerance):
            continue
        shown = _show(expr, ctx)
        table = min(expr.all_names, default="").partition(".")[0]
        failed.append(f"{part_label(label, table)}：{shown}" if label else shown)
        evidence.append(Evidence(quote=f"{_pretty(source, expr, ctx)} → {shown}", kind="computed"))
        cells += sorted(n for n, v in stated.items() if v is not None and key_label(n))
        if len(failed) == 1:
            values.update(_sides(expr, ctx))
            if var:
                values[var] = part_label(label, table)
    if checked == 0:
        return Result("blocked", missing=sorted(missing))
    values.update(known)
    values |= {"failed": "；".join(failed), "checked": checked, "skipped": len(missing)}
    if var and var not in values:
        values[var] = ""
    evidence.extend(ctx.fact_evidence(known) if failed else [])
    return Result("fail" if failed else "pass", values, evidence, cells=cells)


def _sides(expr: Expression, ctx: Context) -> dict[str, Any]:
    sides = expr.sides(ctx.value)
    if sides is None:
        return {}
    lhs, rhs = sides
    diff = lhs - rhs if all(isinstance(v, int | float) for v in sides) else ""
    return {"lhs": _num(lhs), "rhs": _num(rhs), "diff": _num(diff)}


_COALESCE = re.compile(r"coalesce\(([\w.]+), *0\)")


def _pretty(source: str, expr: Expression, ctx: Context) -> str:
    """The instance with each fact named in Chinese and its value: 表三 本年新收·自然人(1) + …"""
    text = _COALESCE.sub(r"\1", " ".join(source.split()))
    for name in sorted(expr.all_names, key=len, reverse=True):
        value = ctx.value(name)
        shown = "未填" if value is None else _num(value)
        label = key_label(name) or ctx.facts.title(name)
        text = _name_pattern(name).sub(f"{label}({shown})", text)
    return text


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern[str]:
    """A fact name standing alone in an expression (compiled once per name)."""
    return re.compile(rf"(?<![\w.]){re.escape(name)}(?![\w.])")


_NEGATED = {ast.Eq: "≠", ast.NotEq: "=", ast.Lt: "≥", ast.LtE: ">", ast.Gt: "≤", ast.GtE: "<"}


def _show(expr: Expression, ctx: Context) -> str:
    sides = expr.sides(ctx.value)
    if sides is None:
        return f"{expr.source} 不成立"
    op = expr.tree.body.ops[0]  # type: ignore[attr-defined]
    return f"{_num(sides[0])} {_NEGATED[type(op)]} {_num(sides[1])}"


def _num(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, float):
        return round(value, 4)
    return value
