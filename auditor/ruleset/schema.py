"""Rule-set objects as the engine sees them: validated, read-only, and free of pydantic.

The strict pydantic models that validate rule files live in :mod:`auditor.ruleset.models`.
Each of them inherits the class of the same name here (for its methods and for
``isinstance``), and :func:`auditor.ruleset.models.freeze` turns a validated model into
these plain objects: that is what a loaded (and cached) rule set holds, so an audit never
imports pydantic. Attributes are the models' field names (``from_``, not ``from``).
"""

from __future__ import annotations

from typing import Any, Literal

Severity = Literal["critical", "major", "minor", "info"]
Category = Literal[
    "document",
    "structure",
    "declared_parts",
    "period",
    "fees",
    "review_litigation",
    "deadline",
    "table2",
    "table3",
    "table4",
    "category_sum",
    "percentage",
    "text_vs_table",
    "year_consistency",
    "contact",
    "format_version",
]
RegimeName = Literal["ogi-2008", "ogi-2019", "ogi-2021"]
IssuerTypeName = Literal["government", "department"]
KindName = Literal[
    "annual_report", "self_inspection", "work_summary", "notice", "guide", "template", "other"
]
TableKindName = Literal["table2", "table3", "table4", "stats", "other"]
FactType = Literal["int", "decimal", "date", "text", "bool"]
META_FIELDS = (
    "year",
    "regime",
    "issuer_type",
    "kind",
    "published",
    "signed",
    "declared_parts",
    "actual_parts",
    "has_contact",
    "has_access",
    "title",
    "agency",
)
FACT_ID = r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$"
RULE_ID = r"^[A-Za-z][A-Za-z0-9_.\-]*$"


class Node:
    """A validated rule-file object with read-only attributes (one per model field)."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items() if not k.startswith("_"))
        return f"{type(self).__name__}({fields})"

    def to_json(self) -> dict[str, Any]:
        """The fields as JSON data (like pydantic's ``model_dump(mode="json")``)."""
        from auditor.results import jsonable

        return {k: jsonable(v) for k, v in self.__dict__.items() if not k.startswith("_")}


class Scope(Node):
    """Where a check looks: whole document, a section, or a table's span."""

    def describe(self) -> str:
        if self.table:
            return f"表格 {self.table}"
        parts = [f"第{self.section}部分" if self.section else "", self.title or ""]
        return " / ".join(p for p in parts if p) or "全文"


class TableSource(Node):
    """A fact read from table cells (``cell``/``cells``) or a statistics row (``stat``)."""

    @property
    def keys(self) -> list[str]:
        return [self.cell] if self.cell else list(self.cells or [])


class TextSource(Node):
    """A fact read from the text: the ``value`` group of ``pattern`` in ``scope``."""


class MetaSource(Node):
    """A fact read from a document attribute."""


class FactRef(Node):
    """Another fact's value (and evidence)."""


class FactDef(Node):
    """A fact definition: one source, or ``any_of`` fallbacks tried in order."""

    @property
    def sources(self) -> list[TableSource | TextSource | MetaSource | FactRef]:
        return [self.source] if self.source else list(self.any_of or [])


class Rule(Node):
    """A rule (header plus its check kind's options) or an inline check (``kind`` plus
    options)."""


class Example(Node):
    """A rule example: a report text and/or fact values, plus document overrides."""


class Selector(Node):
    """Rules picked by id/alias, group or category."""


class Override(Node):
    """A profile's change of severity or weight, or ``enabled: false``."""


class Profile(Node):
    """A rule selection: ``extends`` parents, ``select``/``exclude``, ``overrides``."""


class Waiver(Node):
    """An approved exception for a rule on given documents."""


if __name__ == "__main__":  # the documented way to regenerate rules/schema/rule.schema.json
    from auditor.ruleset.models import write_schema

    write_schema()
