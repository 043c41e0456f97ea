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
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

Lookup = Callable[[str], Any]
Compiled = Callable[["_Env"], Any]


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
    fn: Compiled = field(repr=False, compare=False)
    sides_fn: tuple[Compiled, Compiled] | None = field(default=None, repr=False, compare=False)
    all_names: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "all_names", self.names | self.optional)

    def missing(self, lookup: Lookup) -> list[str]:
        """Required names whose value is None, in sorted order."""
        return sorted(n for n in self.names if lookup(n) is None)

    def evaluate(self, lookup: Lookup, tolerance: float = 0.0) -> Any:
        """Evaluate; raises :class:`Missing` when a required fact is unstated."""
        missing = self.missing(lookup)
        if missing:
            raise Missing(missing)
        return self.evaluate_stated(lookup, tolerance)

    def evaluate_stated(self, lookup: Lookup, tolerance: float = 0.0) -> Any:
        """Evaluate when the caller has checked that no required fact is unstated."""
        return self.fn(_Env(lookup, tolerance))

    def sides(self, lookup: Lookup) -> tuple[Any, Any] | None:
        """Values of both sides of a top-level single comparison, else None."""
        if self.sides_fn is None:
            return None
        env = _Env(lookup, 0.0)
        return self.sides_fn[0](env), self.sides_fn[1](env)


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
    body = tree.body
    sides = None
    if isinstance(body, ast.Compare) and len(body.ops) == 1:
        sides = (_compile(body.left), _compile(body.comparators[0]))
    return Expression(
        source, tree, frozenset(names), frozenset(optional - names), _compile(body), sides
    )


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


@dataclass(slots=True)
class _Env:
    """What an evaluation needs: fact lookup and the tolerance of ``==``/``!=``."""

    lookup: Lookup
    tolerance: float


def _compile(node: ast.AST) -> Compiled:
    """A checked node as a closure over an :class:`_Env` (built once per expression)."""
    name = dotted(node)
    if name is not None:
        return lambda env: env.lookup(name)
    match node:
        case ast.Constant(value=value):
            return lambda env: value
        case ast.BinOp(left=left, op=op, right=right):
            fn, lf, rf = _BINOPS[type(op)], _compile(left), _compile(right)
            return lambda env: fn(lf(env), rf(env))
        case ast.UnaryOp(op=ast.Not(), operand=operand):
            of = _compile(operand)
            return lambda env: not of(env)
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            of = _compile(operand)
            return lambda env: -of(env)
        case ast.UnaryOp(operand=operand):
            of = _compile(operand)
            return lambda env: +of(env)
        case ast.BoolOp(op=ast.And(), values=values):
            fns = [_compile(v) for v in values]
            return lambda env: all(f(env) for f in fns)
        case ast.BoolOp(values=values):
            fns = [_compile(v) for v in values]
            return lambda env: any(f(env) for f in fns)
        case ast.IfExp(test=test, body=body, orelse=orelse):
            tf, bf, of = _compile(test), _compile(body), _compile(orelse)
            return lambda env: bf(env) if tf(env) else of(env)
        case ast.Tuple(elts=elts) | ast.List(elts=elts):
            fns = [_compile(e) for e in elts]
            return lambda env: [f(env) for f in fns]
        case ast.Compare():
            return _compile_compare(node)
        case ast.Call():
            return _compile_call(node)
    return _fail(f"cannot evaluate '{ast.unparse(node)}'")


def _fail(message: str) -> Compiled:
    def fail(env: _Env) -> Any:
        raise ExprError(message)

    return fail


def _compile_compare(node: ast.Compare) -> Compiled:
    first = _compile(node.left)
    steps = [(op, _compile(comp)) for op, comp in zip(node.ops, node.comparators, strict=True)]

    def compare(env: _Env) -> bool:
        left = first(env)
        for op, fn in steps:
            right = fn(env)
            if not _cmp(op, left, right, env.tolerance):
                return False
            left = right
        return True

    return compare


def _cmp(op: ast.cmpop, left: Any, right: Any, tolerance: float) -> bool:
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right))
    if numbers and isinstance(op, ast.Eq | ast.NotEq):
        equal = abs(left - right) <= tolerance
        return equal if isinstance(op, ast.Eq) else not equal
    try:
        return _CMPOPS[type(op)](left, right)
    except TypeError as exc:
        raise ExprError(f"cannot compare {left!r} and {right!r}") from exc


def _compile_call(node: ast.Call) -> Compiled:
    func = node.func.id  # type: ignore[attr-defined]
    args = [_compile(a) for a in node.args]
    if func == "present":
        if len(args) != 1:
            return _fail("present() takes exactly one argument")
        first = args[0]
        return lambda env: first(env) is not None

    if func == "coalesce":

        def coalesce(env: _Env) -> Any:
            for fn in args:
                value = fn(env)
                if value is not None:
                    return value
            return None

        return coalesce
    call = FUNCTIONS[func]
    return lambda env: call(*(f(env) for f in args))
