"""``deadline``: a date is on or before the due date for the report year and issuer type.

The due date is ``due[issuer_type]`` (``MM-DD``, or ``due.default``) in year
``report year + year_offset``, plus ``grace_days``. An unknown date → ``not_applicable``
(never "late"); an unknown year or issuer type without a default → ``blocked``.
"""

from __future__ import annotations

import datetime as dt

from auditor.checks._base import Context, Result
from auditor.ruleset.schema import Rule

KIND = "deadline"
_YEAR = "meta.year"
_ISSUER = "meta.issuer_type"


def describe(rule: Rule) -> str:
    return "应在规定期限前公布：" + "，".join(f"{k} {v}" for k, v in rule.due.items())


def placeholders(rule: Rule) -> set[str]:
    return {"date", "due", "days_late", "year"}


def fact_refs(rule: Rule) -> set[str]:
    return {rule.date, _YEAR, _ISSUER}


def run(rule: Rule, ctx: Context) -> Result:
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
