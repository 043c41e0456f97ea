"""The closed set of check kinds: one module each, registered explicitly here.

For every kind the registry builds two pydantic models: a rule model (the common header of
:class:`~auditor.ruleset.schema.RuleBase` plus the kind's ``Options``) and an inline model
(``kind`` plus ``Options``, used by ``condition``).
"""

from __future__ import annotations

import operator
from functools import reduce
from types import ModuleType
from typing import Annotated, Any, Literal

from pydantic import Field, create_model

from auditor.checks import (
    condition,
    deadline,
    declared_count,
    fact_present,
    identity,
    pattern,
    percentages,
    required_content,
    section_order,
    stated_sum,
    text_vs_table,
)
from auditor.checks._base import Context, Result
from auditor.ruleset.schema import InlineBase, RuleBase

MODULES: dict[str, ModuleType] = {
    m.KIND: m
    for m in (
        required_content,
        section_order,
        pattern,
        fact_present,
        identity,
        stated_sum,
        percentages,
        text_vs_table,
        deadline,
        declared_count,
        condition,
    )
}


def _model(base: type, kind: str, prefix: str) -> type:
    name = prefix + "".join(p.title() for p in kind.split("_"))
    options = MODULES[kind].Options
    return create_model(name, __base__=(base, options), kind=(Literal[kind], ...))  # type: ignore[call-overload]


INLINE_MODELS: dict[str, type] = {
    k: _model(InlineBase, k, "Inline") for k in MODULES if k != "condition"
}
InlineCheck = Annotated[reduce(operator.or_, INLINE_MODELS.values()), Field(discriminator="kind")]
condition.Options.model_rebuild(_types_namespace={"InlineCheck": InlineCheck})
RULE_MODELS: dict[str, type] = {k: _model(RuleBase, k, "Rule") for k in MODULES}


def module(kind: str) -> ModuleType:
    """The module implementing a check kind."""
    return MODULES[kind]


def run_check(check: Any, ctx: Context) -> Result:
    """Run a validated rule or inline check."""
    return MODULES[check.kind].run(check, ctx)
