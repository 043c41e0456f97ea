"""Audit results: evidence, facts, findings, per-document and per-run results.

These plain dataclasses are the contract for every renderer (JSON, HTML, terminal, CSV);
``to_json()`` gives the JSON form. They import nothing heavy: building one costs no more
than a tuple. ``python -m auditor.results`` writes ``rules/schema/results.schema.json``
(with pydantic, only in that code path; see :func:`json_schema`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import PurePath
from typing import Any, ClassVar, Literal

Status = Literal["pass", "fail", "not_applicable", "blocked", "error", "waived"]
Outcome = Literal["pass", "fail", "not_applicable", "blocked", "error"]
DocumentStatus = Literal[
    "audited", "not_annual_report", "unsupported", "unreadable", "no_text_layer", "error"
]

#: Read by pydantic when it builds the JSON Schema: unknown keys are not allowed.
_STRICT = {"extra": "forbid"}


def jsonable(value: Any) -> Any:
    """``value`` as JSON data (the same as pydantic's ``model_dump(mode="json")``)."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Record) or hasattr(value, "to_json"):  # also rule-set objects
        return value.to_json()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | PurePath):
        return str(value)
    return value


class Record:
    """Base of the result dataclasses: ``to_json()`` over the dataclass fields."""

    __slots__ = ()
    _names: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.__pydantic_config__ = _STRICT  # type: ignore[attr-defined]

    def to_json(self) -> dict[str, Any]:
        names = type(self)._names or _field_names(type(self))
        return {name: jsonable(getattr(self, name)) for name in names}


def _field_names(cls: type) -> tuple[str, ...]:
    cls._names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type, attr-defined]
    return cls._names  # type: ignore[attr-defined]


@dataclass(slots=True, kw_only=True)
class Evidence(Record):
    """Where something was seen: original characters and original-text offsets.

    ``kind``: ``match`` (a pattern hit), ``extracted`` (a fact's source), ``absence``
    (where something was expected) or ``computed`` (arithmetic; ``quote`` shows it and the
    offsets are null).
    """

    quote: str
    start: int | None = None
    end: int | None = None
    section: str | None = None
    kind: Literal["match", "extracted", "absence", "computed"] = "match"


@dataclass(slots=True, kw_only=True)
class Fact(Record):
    """A fact extracted from the document; ``value`` is null when the document is silent."""

    value: Any = None
    unit: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    title: str = ""
    error: str | None = None


@dataclass(slots=True, kw_only=True)
class BlockedBy(Record):
    """A fact a blocked rule needs, and the rule reporting its absence (if any)."""

    fact: str
    root: str | None = None


@dataclass(slots=True, kw_only=True)
class Finding(Record):
    """One rule's result on one document."""

    rule: str
    title: str
    category: str
    kind: str
    status: Status
    outcome: Outcome  # the rule's real outcome (differs from status only when waived)
    severity: str
    weight: float
    message: str
    evidence: list[Evidence] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)  # canonical keys of the cells that break it
    basis: str
    hint: str = ""
    blocked_by: list[BlockedBy] = field(default_factory=list)
    waiver: str | None = None
    error: str | None = None


@dataclass(slots=True, kw_only=True)
class RulesetInfo(Record):
    """The rule set a result was produced with."""

    version: str
    hash: str


@dataclass(slots=True, kw_only=True)
class DocumentResult(Record):
    """Everything the audit found about one document."""

    document: dict[str, Any]
    status: DocumentStatus
    message: str = ""  # why an input was not audited, in plain Chinese
    facts: dict[str, Fact] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    score: float | None = None
    grade: str | None = None
    ruleset: RulesetInfo
    profile: str | None = None
    stats: dict[str, int] = field(default_factory=dict)
    duplicate_of: str | None = None  # an identical file earlier in the batch
    error_detail: str | None = None  # traceback of an unexpected failure (for developers)


@dataclass(slots=True, kw_only=True)
class RunResult(Record):
    """A run over several documents."""

    documents: list[DocumentResult]
    ruleset: RulesetInfo
    scoring: str


def dumps(result: Record) -> bytes:
    """A result as compact UTF-8 JSON, straight from the dataclasses (no dict in between);
    the same JSON as ``json.dumps(result.to_json(), ensure_ascii=False)`` (what orjson does
    not serialise itself goes through :func:`jsonable`)."""
    import orjson

    return orjson.dumps(result, default=jsonable, option=orjson.OPT_NON_STR_KEYS)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`RunResult` (imports pydantic)."""
    from pydantic import TypeAdapter

    return TypeAdapter(RunResult).json_schema()


def from_json(data: dict[str, Any]) -> RunResult:
    """A run result validated against the schema (imports pydantic; for tests and tools)."""
    from pydantic import TypeAdapter

    return TypeAdapter(RunResult).validate_python(data)


if __name__ == "__main__":
    from auditor.resources import rules_dir

    path = rules_dir() / "schema" / "results.schema.json"
    path.write_text(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(path)
