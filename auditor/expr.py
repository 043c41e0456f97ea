"""A small, safe expression language for rules (``identity.expr``, ``condition.when``).

Parsed with :mod:`ast` and evaluated by walking a whitelist of node types; nothing is ever
passed to ``eval``. Dotted names (``table3.new.total``, ``meta.year``) are fact ids and are
resolved through a lookup function. Supported: numbers, strings, ``True/False/None``,
``+ - * / // %``, unary ``-``/``+``/``not``, comparisons (chained), ``and``/``or``,
``a if c else b`` and the functions in :data:`FUNCTIONS`. ``present(x)`` and
``coalesce(x, d)`` accept unstated facts; any other use of an unstated fact is "missing".
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

Lookup = Callable[[str], Any]


class ExprError(ValueError):
    """An expression is not allowed or cannot be evaluated."""


class Missing(Exception):
    """Facts the expression needs are not stated."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


def _sum(*args: Any) -> Any:
    items = args[0] if len(args) == 1 and isinstance(args[0], list | tuple) else args
    return sum(items)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "sum": _sum,
    "abs": abs,
    "min": min,
    "max": max,
    "round": round,
    "date": dt.date,
    "days": lambda n: dt.timedelta(days=n),
}
#: Functions that take an unstated fact without making the expression "missing".
LENIENT = {"present", "coalesce"}

_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}
_CMPOPS: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}


def dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


@dataclass(frozen=True, slots=True)
class Expression:
    """A checked expression: ``names`` must be stated, ``optional`` may be unstated."""

    source: str
    tree: ast.Expression
    names: frozenset[str]
    optional: frozenset[str]

    @property
    def all_names(self) -> frozenset[str]:
        return self.names | self.optional

    def missing(self, lookup: Lookup) -> list[str]:
        """Required names whose value is None, in sorted order."""
        return sorted(n for n in self.names if lookup(n) is None)

    def evaluate(self, lookup: Lookup, tolerance: float = 0.0) -> Any:
        """Evaluate; raises :class:`Missing` when a required fact is unstated."""
        missing = self.missing(lookup)
        if missing:
            raise Missing(missing)
        return _Eval(lookup, tolerance).visit(self.tree.body)

    def sides(self, lookup: Lookup) -> tuple[Any, Any] | None:
        """Values of both sides of a top-level single comparison, else None."""
        body = self.tree.body
        if not (isinstance(body, ast.Compare) and len(body.ops) == 1):
            return None
        ev = _Eval(lookup, 0.0)
        return ev.visit(body.left), ev.visit(body.comparators[0])


@lru_cache(maxsize=2048)
def compile_expr(source: str) -> Expression:
    """Parse and whitelist-check an expression (cached per process)."""
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"invalid expression {source!r}: {exc.msg}") from None
    names: set[str] = set()
    optional: set[str] = set()
    _check(tree.body, names, optional, lenient=False)
    return Expression(source, tree, frozenset(names), frozenset(optional - names))


def _check(node: ast.AST, names: set[str], optional: set[str], lenient: bool) -> None:
    name = dotted(node)
    if name is not None:
        if name in FUNCTIONS or name in LENIENT:
            raise ExprError(f"function '{name}' used as a value")
        (optional if lenient else names).add(name)
        return
    if isinstance(node, ast.Constant):
        if not isinstance(node.value, int | float | str | bool | type(None)):
            raise ExprError(f"constant {node.value!r} not allowed")
        return
    if isinstance(node, ast.Call):
        func = node.func.id if isinstance(node.func, ast.Name) else None
        if func not in FUNCTIONS and func not in LENIENT:
            raise ExprError(f"function '{ast.unparse(node.func)}' not allowed")
        if node.keywords:
            raise ExprError(f"keyword arguments not allowed in {func}()")
        for arg in node.args:
            _check(arg, names, optional, lenient=func in LENIENT)
        return
    allowed = (
        isinstance(node, ast.BinOp) and type(node.op) in _BINOPS,
        isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd | ast.Not),
        isinstance(node, ast.Compare) and all(type(op) in _CMPOPS for op in node.ops),
        isinstance(node, ast.BoolOp | ast.IfExp | ast.Tuple | ast.List),
    )
    if not any(allowed):
        raise ExprError(f"'{ast.unparse(node)}' is not allowed in a rule expression")
    for child in ast.iter_child_nodes(node):
        if not isinstance(
            child, ast.operator | ast.unaryop | ast.cmpop | ast.boolop | ast.expr_context
        ):
            _check(child, names, optional, lenient)


class _Eval:
    def __init__(self, lookup: Lookup, tolerance: float) -> None:
        self.lookup = lookup
        self.tolerance = tolerance

    def visit(self, node: ast.AST) -> Any:
        name = dotted(node)
        if name is not None:
            return self.lookup(name)
        match node:
            case ast.Constant(value=value):
                return value
            case ast.BinOp(left=left, op=op, right=right):
                return _BINOPS[type(op)](self.visit(left), self.visit(right))
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                return not self.visit(operand)
            case ast.UnaryOp(op=ast.USub(), operand=operand):
                return -self.visit(operand)
            case ast.UnaryOp(operand=operand):
                return +self.visit(operand)
            case ast.BoolOp(op=ast.And(), values=values):
                return all(self.visit(v) for v in values)
            case ast.BoolOp(values=values):
                return any(self.visit(v) for v in values)
            case ast.IfExp(test=test, body=body, orelse=orelse):
                return self.visit(body) if self.visit(test) else self.visit(orelse)
            case ast.Tuple(elts=elts) | ast.List(elts=elts):
                return [self.visit(e) for e in elts]
            case ast.Compare():
                return self._compare(node)
            case ast.Call():
                return self._call(node)
        raise ExprError(f"cannot evaluate '{ast.unparse(node)}'")

    def _compare(self, node: ast.Compare) -> bool:
        left = self.visit(node.left)
        for op, comp in zip(node.ops, node.comparators, strict=True):
            right = self.visit(comp)
            if not self._cmp(op, left, right):
                return False
            left = right
        return True

    def _cmp(self, op: ast.cmpop, left: Any, right: Any) -> bool:
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right))
        if numbers and isinstance(op, ast.Eq | ast.NotEq):
            equal = abs(left - right) <= self.tolerance
            return equal if isinstance(op, ast.Eq) else not equal
        try:
            return _CMPOPS[type(op)](left, right)
        except TypeError as exc:
            raise ExprError(f"cannot compare {left!r} and {right!r}") from exc

    def _call(self, node: ast.Call) -> Any:
        func = node.func.id  # type: ignore[attr-defined]
        if func == "present":
            return self.visit(node.args[0]) is not None
        if func == "coalesce":
            for arg in node.args:
                value = self.visit(arg)
                if value is not None:
                    return value
            return None
        return FUNCTIONS[func](*(self.visit(a) for a in node.args))
