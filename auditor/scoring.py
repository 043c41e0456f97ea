"""Score and grade of an audited document.

    score = 100 × Σ weight(pass) / Σ weight(pass + fail)
    grade = 优 (score ≥ 90) | 良 (≥ 75) | 合格 (≥ 60) | 不合格
    any failed critical rule caps the grade at 不合格, any failed major rule at 良
    (the score is unchanged: a report with a statutory gap or a wrong figure is never 优)

Only ``pass`` and ``fail`` count: ``not_applicable``, ``blocked``, ``waived`` and ``error``
results are left out of both sums (an error is never a pass). No scored rule → no score.
A document that is not an annual report gets neither score nor grade.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.results import Finding

FORMULA = (
    "得分 = 100 × Σ通过规则权重 ÷ Σ(通过+未通过)规则权重（不适用、无法检查、豁免、出错的规则不计）；"
    "等级：优 ≥ 90，良 ≥ 75，合格 ≥ 60，否则不合格；任何“严重”(critical)规则未通过，等级为不合格；"
    "任何“重要”(major)规则未通过，等级最高为良。"
)
BANDS: tuple[tuple[float, str], ...] = ((90, "优"), (75, "良"), (60, "合格"))
FAIL_GRADE = "不合格"
MAJOR_CAP = "良"


def score(findings: Iterable[Finding]) -> tuple[float | None, str | None]:
    """(score rounded to 0.1, grade), or (None, None) when nothing was scored."""
    passed = total = 0.0
    worst_failed: set[str] = set()
    for finding in findings:
        if finding.status not in ("pass", "fail"):
            continue
        total += finding.weight
        if finding.status == "pass":
            passed += finding.weight
        else:
            worst_failed.add(finding.severity)
    if total == 0:
        return None, None
    value = round(100 * passed / total, 1)
    grade = next((name for floor, name in BANDS if value >= floor), FAIL_GRADE)
    if "critical" in worst_failed:
        grade = FAIL_GRADE
    elif "major" in worst_failed and grade == "优":
        grade = MAJOR_CAP
    return value, grade
