"""Strict pydantic models of each check kind's options, and the rule models built on them.

Imported only to validate rule files (the engine runs on the plain objects that
:func:`auditor.ruleset.models.freeze` makes). For every kind there are two models: a rule
model (the common header of :class:`~auditor.ruleset.models.RuleBase` plus the kind's
options) and an inline model (``kind`` plus options, used by ``condition``).
"""

from __future__ import annotations

import datetime as dt
import operator
from functools import reduce
from typing import Annotated, Literal

from pydantic import (
    Field,
    PrivateAttr,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from auditor.checks import MODULES
from auditor.checks.identity import instances
from auditor.expr import compile_expr
from auditor.ruleset import patterns
from auditor.ruleset.models import InlineBase, Pattern, RuleBase, Scope, Strict, needs_group


class FactPresent(Strict):
    fact: str
    allow_zero: bool = True


class RequiredContent(Strict):
    headings: list[Pattern] = Field(default_factory=list)
    level: int | None = Field(None, ge=1, le=4)
    body: list[Pattern] = Field(default_factory=list)
    body_mode: Literal["all", "any"] = "all"
    window: int | None = Field(None, gt=0)
    scope: Scope = Scope()

    @model_validator(mode="after")
    def _something(self) -> RequiredContent:
        if not self.headings and not self.body:
            raise ValueError("required_content needs 'headings' or 'body'")
        return self


class Item(Strict):
    name: str
    pattern: Pattern


class SectionOrder(Strict):
    items: list[Item] = Field(min_length=2)
    level: int = Field(1, ge=1, le=4)
    require_all: bool = False


class PatternCheck(Strict):
    must_match: Pattern | None = None
    must_not_match: Pattern | None = None
    min: int | None = Field(None, ge=0)
    max: int | None = Field(None, ge=0)
    scope: Scope = Scope()

    @model_validator(mode="after")
    def _one(self) -> PatternCheck:
        if (self.must_match is None) == (self.must_not_match is None):
            raise ValueError("pattern needs exactly one of 'must_match' or 'must_not_match'")
        return self


class Identity(Strict):
    expr: str
    tolerance: float = Field(0, ge=0)
    for_each: dict[str, list[str]] | None = None

    @field_validator("for_each")
    @classmethod
    def _one_var(cls, value: dict[str, list[str]] | None) -> dict[str, list[str]] | None:
        if value is not None and (len(value) != 1 or not next(iter(value.values()))):
            raise ValueError("for_each takes one variable with a non-empty list of values")
        return value

    @model_validator(mode="after")
    def _compiles(self) -> Identity:
        for _, source in instances(self):
            compile_expr(source)
        return self


class EnumOptions(Strict):
    """Options shared by ``stated_sum`` and ``percentages`` (see ``checks._enumeration``)."""

    total: Pattern
    unit: str = "件"
    part: Pattern | None = None
    until: Pattern = r"[。\n]"
    scope: Scope = Scope(exclude_tables=True)
    _num: str = PrivateAttr(patterns.BUILTIN_MACROS["NUM"])  # the rule set's {NUM} macro

    @field_validator("total")
    @classmethod
    def _total_group(cls, value: str) -> str:
        return needs_group(value, "total")

    @field_validator("part")
    @classmethod
    def _value_group(cls, value: str | None) -> str | None:
        return value if value is None else needs_group(value, "value")

    @model_validator(mode="after")
    def _number_macro(self, info: ValidationInfo) -> EnumOptions:
        macros = (info.context or {}).get("macros", patterns.BUILTIN_MACROS)
        self._num = macros["NUM"]
        return self


class StatedSum(EnumOptions):
    min_parts: int = Field(2, ge=1)
    tolerance: float = Field(0, ge=0)


class Percentages(EnumOptions):
    tolerance: float = Field(0, ge=0)
    sum_tolerance: float = Field(1.0, ge=0)


class TextVsTable(Strict):
    text: str
    table: str
    tolerance: float = Field(0, ge=0)


class Deadline(Strict):
    date: str = "meta.published"
    due: dict[str, str] = Field(
        default_factory=lambda: {"government": "03-31", "department": "01-31"}
    )
    year_offset: int = 1
    grace_days: int = Field(0, ge=0)

    @field_validator("due")
    @classmethod
    def _month_day(cls, value: dict[str, str]) -> dict[str, str]:
        for key, md in value.items():
            if key not in ("government", "department", "default"):
                raise ValueError(f"due: unknown issuer type '{key}'")
            try:
                dt.date.fromisoformat(f"2000-{md}")
            except ValueError:
                raise ValueError(f"due.{key}: '{md}' is not MM-DD") from None
        return value


class DeclaredCount(Strict):
    declared: str = "meta.declared_parts"
    level: int = Field(1, ge=1, le=4)
    pattern: Pattern | None = None
    items: Pattern | None = None
    window: int | None = Field(None, gt=0)
    scope: Scope = Scope()

    @field_validator("pattern")
    @classmethod
    def _n_group(cls, value: str | None) -> str | None:
        return value if value is None else needs_group(value, "n")

    @model_validator(mode="after")
    def _pair(self) -> DeclaredCount:
        if (self.pattern is None) != (self.items is None):
            raise ValueError("declared_count needs both 'pattern' and 'items', or neither")
        return self


OPTIONS: dict[str, type] = {
    "required_content": RequiredContent,
    "section_order": SectionOrder,
    "pattern": PatternCheck,
    "fact_present": FactPresent,
    "identity": Identity,
    "stated_sum": StatedSum,
    "percentages": Percentages,
    "text_vs_table": TextVsTable,
    "deadline": Deadline,
    "declared_count": DeclaredCount,
}


def _model(base: type, kind: str, prefix: str) -> type:
    name = prefix + "".join(p.title() for p in kind.split("_"))
    return create_model(name, __base__=(base, OPTIONS[kind]), kind=(Literal[kind], ...))  # type: ignore[call-overload]


INLINE_MODELS: dict[str, type] = {k: _model(InlineBase, k, "Inline") for k in OPTIONS}
InlineCheck = Annotated[reduce(operator.or_, INLINE_MODELS.values()), Field(discriminator="kind")]


class Condition(Strict):
    when: str | None = None
    when_check: InlineCheck | None = None  # type: ignore[valid-type]
    require: InlineCheck  # type: ignore[valid-type]

    @field_validator("when")
    @classmethod
    def _expr(cls, value: str | None) -> str | None:
        if value is not None:
            compile_expr(value)
        return value

    @model_validator(mode="after")
    def _one(self) -> Condition:
        if (self.when is None) == (self.when_check is None):
            raise ValueError("condition needs exactly one of 'when' or 'when_check'")
        return self


OPTIONS["condition"] = Condition
assert set(OPTIONS) == set(MODULES), "every check kind needs its options here"
RULE_MODELS: dict[str, type] = {k: _model(RuleBase, k, "Rule") for k in MODULES}
