"""``deadline``: a date is on or before the due date for the report year and issuer type.

The due date is ``due[issuer_type]`` (``MM-DD``, or ``due.default``) in year
``report year + year_offset``, plus ``grace_days``. An unknown date → ``not_applicable``
(never "late"); an unknown year or issuer type without a default → ``blocked``.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field, field_validator

from auditor.checks._base import Context, Result
from auditor.ruleset.schema import Strict

KIND = "deadline"
_YEAR = "meta.year"
_ISSUER = "meta.issuer_type"


class Options(Strict):
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


def describe(rule: Options) -> str:
    return "应在规定期限前公布：" + "，".join(f"{k} {v}" for k, v in rule.due.items())


def placeholders(rule: Options) -> set[str]:
    return {"date", "due", "days_late", "year"}


def fact_refs(rule: Options) -> set[str]:
    return {rule.date, _YEAR, _ISSUER}


def run(rule: Options, ctx: Context) -> Result:
    date = ctx.value(rule.date)
    if not isinstance(date, dt.date):
        return Result("not_applicable", note="发布日期不明，无法判断是否逾期")
    year = ctx.value(_YEAR)
    if year is None:
        return Result("blocked", missing=[_YEAR])
    issuer = ctx.value(_ISSUER)
    md = rule.due.get(issuer or "", rule.due.get("default"))
    if md is None:
        return Result("blocked", missing=[_ISSUER])
    due = dt.date.fromisoformat(f"{int(year) + rule.year_offset}-{md}")
    late = (date - due).days - rule.grace_days
    values = {
        "date": date,
        "due": due,
        "days_late": max(late, 0),
        "year": year,
    }
    return Result("fail" if late > 0 else "pass", values, ctx.fact_evidence([rule.date]))
