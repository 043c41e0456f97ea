"""The closed set of check kinds: one module each, registered explicitly here.

The modules run checks on plain rule objects and import no pydantic; the strict models of
each kind's options (and the rule and inline models built on them) are in
:mod:`auditor.checks.options`, which only rule validation imports.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

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


def module(kind: str) -> ModuleType:
    """The module implementing a check kind."""
    return MODULES[kind]


def run_check(check: Any, ctx: Context) -> Result:
    """Run a validated rule or inline check."""
    return MODULES[check.kind].run(check, ctx)
