"""What every check kind shares: the run context and the outcome record.

A check module exposes ``KIND``, ``describe(rule)``, ``placeholders(rule)`` (names its
message may use), ``fact_refs(rule)`` (fact ids it reads) and ``run(rule, ctx) -> Result``;
its options model is in :mod:`auditor.checks.options`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from auditor import scope as _text
from auditor.document.model import Document
from auditor.results import Evidence
from auditor.ruleset.schema import Scope

if TYPE_CHECKING:
    from auditor.facts import FactStore

T = TypeVar("T")

Status = Literal["pass", "fail", "not_applicable", "blocked", "error"]


@dataclass(slots=True)
class Result:
    """What a check returns; the engine turns it into a Finding."""

    status: Status
    values: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # unstated facts (blocked)
    note: str = ""  # why not applicable / blocked / error
    cells: list[str] = field(default_factory=list)  # table cells that break the rule


@dataclass(slots=True)
class Context:
    """The document and its facts, as a check sees them."""

    doc: Document
    facts: FactStore

    def spans(self, scope: Scope, exclude_tables: bool = False) -> list[_text.Span] | None:
        return _text.resolve(self.doc, scope, exclude_tables)

    def evidence(self, start: int, end: int, kind: str = "match") -> Evidence:
        return _text.evidence(self.doc, start, end, kind)

    def absence(self, spans: list[_text.Span] | None, what: str) -> Evidence:
        return _text.absence(self.doc, spans, what)

    def value(self, fid: str) -> Any:
        return self.facts.value(fid)

    def fact_evidence(self, fids: list[str] | set[str]) -> list[Evidence]:
        out: list[Evidence] = []
        for fid in sorted(fids):
            out.extend(self.facts.get(fid).evidence)
        return out


def scope_missing(scope: Scope) -> Result:
    """The result of a check whose scope selected nothing."""
    return Result("blocked", note=f"未找到检查范围：{scope.describe()}")


def per_rule(fn: Callable[[Any], T]) -> Callable[[Any], T]:
    """Memoise ``fn(rule)`` by the rule object's identity (rule objects are read-only).

    The entry keeps the rule alive, so an id is never reused while its entry stands.
    """
    cache: dict[int, tuple[Any, T]] = {}

    @wraps(fn)
    def memo(rule: Any) -> T:
        hit = cache.get(id(rule))
        if hit is None or hit[0] is not rule:
            if len(cache) > 4096:
                cache.clear()
            hit = cache[id(rule)] = (rule, fn(rule))
        return hit[1]

    return memo
