"""Strict pydantic models of rule files, fact definitions, profiles and waivers.

Patterns are expanded (macros from the validation context) and compiled while validating,
so a bad regex fails at load time. Each model inherits the plain class of the same name in
:mod:`auditor.ruleset.schema` (or :class:`~auditor.ruleset.schema.Node`), and
:func:`freeze` turns a validated model into those plain, pydantic-free objects.
``python -m auditor.ruleset.models`` writes ``rules/schema/rule.schema.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from auditor.document.tableschema import all_keys
from auditor.ruleset import patterns, schema
from auditor.ruleset.schema import (
    FACT_ID,
    META_FIELDS,
    RULE_ID,
    Category,
    FactType,
    IssuerTypeName,
    KindName,
    Node,
    RegimeName,
    Severity,
    TableKindName,
)

_WORD_BOUNDARY = re.compile(r"(?<!\\)(?:\\\\)*\\[bB]")


class Strict(BaseModel, Node):
    """Base of every rule-file model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def _compile(value: str, info: ValidationInfo) -> str:
    if _WORD_BOUNDARY.search(value):
        raise ValueError(r"do not use \b: it does not work between Chinese characters")
    macros = (info.context or {}).get("macros", patterns.BUILTIN_MACROS)
    expanded = patterns.expand(value, macros)
    patterns.compile_pattern(expanded)
    return expanded


#: A regex (macros expanded, compiled with the ``regex`` module at validation time).
Pattern = Annotated[str, AfterValidator(_compile)]


def needs_group(pattern: str, group: str) -> str:
    """Validation helper: the pattern must define ``(?P<group>…)``."""
    if group not in patterns.group_names(pattern):
        raise ValueError(f"pattern {pattern!r} needs a (?P<{group}>…) group")
    return pattern


class Scope(Strict, schema.Scope):
    """Where a check looks: whole document, a section, or a table's span."""

    section: str | None = None
    title: Pattern | None = None
    level: int | None = Field(None, ge=1, le=4)
    table: TableKindName | None = None
    exclude_tables: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _document(cls, data: Any) -> Any:
        if data in ("document", None):
            return {}
        return data

    @field_validator("section", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


class Years(Strict):
    min: int | None = None
    max: int | None = None


class Applies(Strict):
    """Which documents a rule is for (omitted = every value)."""

    regimes: list[RegimeName] | None = None
    issuer_types: list[IssuerTypeName] | None = None
    kinds: list[KindName] = ["annual_report"]
    years: Years | None = None


class Expect(Strict):
    status: Literal["pass", "fail", "not_applicable", "blocked", "error"] | None = None
    message_contains: str | None = None


class Example(Strict, schema.Example):
    """A rule example: a report text and/or fact values, plus document overrides."""

    text: str | None = None
    facts: dict[str, Any] | None = None
    meta: dict[str, Any] = {}
    expect: Expect = Expect()
    note: str | None = None

    @model_validator(mode="after")
    def _something(self) -> Example:
        if self.text is None and self.facts is None:
            raise ValueError("an example needs 'text' or 'facts'")
        return self


class Examples(Strict):
    pass_: list[Example] = Field(alias="pass", min_length=1)
    fail: list[Example] = Field(min_length=1)


class RuleBase(Strict, schema.Rule):
    """The common header of every rule; each check kind adds its own options."""

    id: str = Field(pattern=RULE_ID)
    name: str | None = None
    aliases: list[str] = []
    title: str = Field(min_length=1)
    category: Category
    groups: list[str] = []
    basis: str = Field(min_length=1)
    severity: Severity
    weight: float = Field(ge=0)
    applies: Applies = Applies()
    kind: str
    message: str = Field(min_length=1)
    hint: str = ""
    examples: Examples


class InlineBase(Strict, schema.Rule):
    """Header of an inline check (``condition.require``): only ``kind``."""

    kind: str


# --- facts -------------------------------------------------------------------------------


class TableSource(Strict, schema.TableSource):
    """A table figure: a canonical cell (``cell``), a sum of cells (``cells``), or the row
    of a 2008-era statistics table whose label matches ``stat`` (with ``stat_sum``: the sum of
    every matching row of the first statistics table that has one)."""

    from_: Literal["table"] = Field(alias="from")
    cell: str | None = None
    cells: list[str] | None = None
    stat: Pattern | None = None
    stat_sum: bool = False
    blank: Literal["null", "zero"] = "null"

    @model_validator(mode="after")
    def _keys(self) -> TableSource:
        keys = [self.cell] if self.cell else (self.cells or [])
        if sum(x is not None for x in (self.cell, self.cells, self.stat)) != 1:
            raise ValueError("a table fact needs exactly one of 'cell', 'cells' or 'stat'")
        known = all_keys()
        unknown = [k for k in keys if k not in known]
        if unknown:
            raise ValueError(f"unknown table cell key(s): {', '.join(unknown)}")
        return self


class TextSource(Strict, schema.TextSource):
    from_: Literal["text"] = Field(alias="from")
    pattern: Pattern
    scope: Scope = Scope()
    zero_patterns: list[Pattern] = []
    exclude_tables: bool = True
    multiple: Literal["first", "last", "sum", "all"] = "first"

    @field_validator("pattern")
    @classmethod
    def _value_group(cls, value: str) -> str:
        return needs_group(value, "value")


class FactRef(Strict, schema.FactRef):
    """Another fact's value (and evidence)."""

    from_: Literal["fact"] = Field(alias="from")
    fact: str = Field(pattern=FACT_ID)


class MetaSource(Strict, schema.MetaSource):
    from_: Literal["meta"] = Field(alias="from")
    field: Literal[META_FIELDS]  # type: ignore[valid-type]


FactSource = Annotated[
    TableSource | TextSource | MetaSource | FactRef, Field(discriminator="from_")
]
_SOURCE_KEYS = {
    "from",
    "cell",
    "cells",
    "stat",
    "stat_sum",
    "blank",
    "pattern",
    "scope",
    "zero_patterns",
}
_SOURCE_KEYS |= {"exclude_tables", "multiple", "field", "fact"}


class FactDef(Strict, schema.FactDef):
    """A fact definition: one source, or ``any_of`` fallbacks tried in order."""

    id: str = Field(pattern=FACT_ID)
    title: str = ""
    type: FactType = "int"
    unit: str | None = None
    source: FactSource | None = None
    any_of: list[FactSource] | None = None

    @model_validator(mode="before")
    @classmethod
    def _gather(cls, data: Any) -> Any:
        if isinstance(data, dict) and "from" in data:
            data = dict(data)
            data["source"] = {k: data.pop(k) for k in list(data) if k in _SOURCE_KEYS}
        return data

    @model_validator(mode="after")
    def _one(self) -> FactDef:
        if (self.source is None) == (self.any_of is None):
            raise ValueError("a fact needs exactly one of 'from' or 'any_of'")
        return self


# --- files -------------------------------------------------------------------------------


class Defaults(Strict):
    severity: Severity | None = None
    weight: float | None = Field(None, ge=0)
    groups: list[str] = []


class RuleFile(Strict):
    """Top level of a rule file (rules and facts are validated one by one)."""

    pack: str | None = None
    title: str | None = None
    version: str | None = None
    defaults: Defaults = Defaults()
    macros: dict[str, str] = {}
    rules: list[dict[str, Any]] = []
    facts: list[dict[str, Any]] = []

    @field_validator("version", mode="before")
    @classmethod
    def _str(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value


class Selector(Strict, schema.Selector):
    ids: list[str] = []
    groups: list[str] = []
    categories: list[Category] = []


class Override(Strict, schema.Override):
    severity: Severity | None = None
    weight: float | None = Field(None, ge=0)
    enabled: bool = True


class ProfileMatch(Strict):
    regimes: list[RegimeName] | None = None
    issuer_types: list[IssuerTypeName] | None = None


class Profile(Strict, schema.Profile):
    """A rule selection: ``extends`` parents, ``select``/``exclude``, ``overrides``."""

    profile: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$")
    title: str = ""
    extends: list[str] = []
    match: ProfileMatch | None = None
    select: Selector | None = None
    exclude: Selector = Selector()
    overrides: dict[str, Override] = {}

    @field_validator("extends", mode="before")
    @classmethod
    def _list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class Waiver(Strict, schema.Waiver):
    rule: str
    document: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    approved_by: str | None = None
    expires: dt.date | None = None


class WaiverFile(Strict):
    waivers: list[Waiver]


def rule_file_schema() -> dict[str, Any]:
    """JSON Schema of a rule file, with one rule variant per check kind."""
    from auditor.checks.options import RULE_MODELS

    variants = list(RULE_MODELS.values())
    union = Annotated[
        Annotated[variants[0], ...] if len(variants) == 1 else _union(variants),
        Field(discriminator="kind"),
    ]

    class RuleFileSchema(Strict):
        pack: str | None = None
        title: str | None = None
        version: str | None = None
        defaults: Defaults = Defaults()
        macros: dict[str, str] = {}
        rules: list[union] = []  # type: ignore[valid-type]
        facts: list[FactDef] = []

    schema = RuleFileSchema.model_json_schema(by_alias=True)
    schema["title"] = "ogi-auditor rule file"
    return schema


def _union(models: list[type]) -> Any:
    out = models[0]
    for model in models[1:]:
        out = out | model
    return out


def freeze(value: Any) -> Any:
    """A validated model (or list/dict of them) as plain read-only objects, recursively."""
    if isinstance(value, BaseModel):
        data = {name: freeze(getattr(value, name)) for name in type(value).model_fields}
        data.update({k: freeze(v) for k, v in (value.__pydantic_private__ or {}).items()})
        return _runtime_class(type(value))(**data)
    if isinstance(value, list):
        return [freeze(v) for v in value]
    if isinstance(value, dict):
        return {k: freeze(v) for k, v in value.items()}
    return value


@cache
def _runtime_class(model: type) -> type:
    """The plain class a model inherits from :mod:`auditor.ruleset.schema`."""
    return next(c for c in model.__mro__ if issubclass(c, Node) and not issubclass(c, BaseModel))


def write_schema() -> None:
    """Write ``rules/schema/rule.schema.json`` and print its path."""
    from auditor.resources import rules_dir

    path = rules_dir() / "schema" / "rule.schema.json"
    path.write_text(json.dumps(rule_file_schema(), ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(path)


if __name__ == "__main__":
    write_schema()
