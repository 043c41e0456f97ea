"""Enumerations in prose: "共答复3561件,其中同意公开157件,占4.4%;部分公开1504件…".

Shared by ``stated_sum`` and ``percentages``. An enumeration starts at a match of the
rule's ``total`` pattern and runs to ``until`` (default: sentence end or line break). Parts
are numbers directly followed by the unit (the total pattern's ``unit`` group when it has
one, else the ``unit`` option), so percentages never count; parts inside
brackets are sub-items of the previous part and are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from auditor.checks._base import Context
from auditor.facts import convert
from auditor.ruleset import patterns
from auditor.ruleset.schema import Rule

_PERCENT = r"(?P<pct>\d+(?:\.\d+)?)%"
_PCT_GAP = 8  # max characters between a part and its percentage


def part_pattern(rule: Rule, unit: str | None) -> str:
    """The parts' pattern: ``part``, else a number (the rule set's ``{NUM}``) followed by the
    unit (the total's ``unit`` group when it has one, else ``unit``)."""
    if rule.part:
        return rule.part
    units = "|".join(regex.escape(u) for u in (unit or rule.unit).split("|"))
    return rf"(?P<value>{rule._num})\s*(?:{units})"


@dataclass(slots=True)
class Part:
    value: float
    start: int
    end: int
    pct: float | None = None
    pct_text: str = ""


@dataclass(slots=True)
class Enumeration:
    total: float
    start: int
    end: int
    parts: list[Part] = field(default_factory=list)
    loose_pcts: list[tuple[float, str]] = field(default_factory=list)  # without a part


def find(rule: Rule, ctx: Context) -> list[Enumeration] | None:
    """Every enumeration in the scope (None when the scope is not found)."""
    spans = ctx.spans(rule.scope, exclude_tables=True)
    if spans is None:
        return None
    text = ctx.doc.text
    found: list[Enumeration] = []
    for s, e in spans:
        for m in patterns.finditer(rule.total, text, s, e):
            total = convert(m.group("total"), "decimal")
            if total is None:
                continue
            stop = patterns.search(rule.until, text, m.end(), e)
            end = stop.start() if stop else e
            enum = Enumeration(total, m.start(), end)
            unit = m.groupdict().get("unit")
            _parts(enum, part_pattern(rule, unit), text, m.end(), end)
            found.append(enum)
    return found


def _parts(enum: Enumeration, part_pattern: str, text: str, start: int, end: int) -> None:
    for m in patterns.finditer(part_pattern, text, start, end):
        if _depth(text, start, m.start()) > 0:
            continue
        value = convert(m.group("value"), "decimal")
        if value is not None:
            enum.parts.append(Part(value, m.start(), m.end()))
    for m in patterns.finditer(_PERCENT, text, start, end):
        owner = next(
            (
                p
                for p in reversed(enum.parts)
                if p.end <= m.start() and m.start() - p.end <= _PCT_GAP
            ),
            None,
        )
        pct = float(m.group("pct"))
        if (
            owner is not None
            and owner.pct is None
            and not _number_between(text, owner.end, m.start())
        ):
            owner.pct, owner.pct_text = pct, m.group("pct")
        else:
            enum.loose_pcts.append((pct, m.group("pct")))


def _depth(text: str, start: int, pos: int) -> int:
    segment = text[start:pos]
    return segment.count("(") - segment.count(")")


def _number_between(text: str, start: int, end: int) -> bool:
    return any(ch.isdigit() for ch in text[start:end])


def last_unit(stated: str) -> float:
    """Allowance of a stated share: one unit of its last digit (4 → 1, 4.4 → 0.1), so that
    both rounded and truncated shares (12/68 = 17.647… written 17.64%) pass."""
    decimals = len(stated.split(".", 1)[1]) if "." in stated else 0
    return 10.0**-decimals


def num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 4)
