"""The rule catalogue (``auditor rules docs``): every rule with its basis and examples."""

from __future__ import annotations

from typing import Any

from auditor.labels import CATEGORY_LABELS, REGIME_LABELS, SEVERITY_LABELS


def _applies(rule: Any) -> str:
    parts = []
    if rule.applies.regimes:
        parts.append("、".join(REGIME_LABELS.get(r, r) for r in rule.applies.regimes))
    if rule.applies.issuer_types:
        parts.append(
            "、".join(
                {"government": "人民政府", "department": "政府部门"}[t]
                for t in rule.applies.issuer_types
            )
        )
    return "；".join(parts) or "全部年度报告"


def _example(example: Any) -> str:
    if example.text is not None:
        text = example.text.replace("\n", " ⏎ ")
        return f"文本：“{text[:160]}{'…' if len(text) > 160 else ''}”"
    facts = "，".join(f"{k} = {v}" for k, v in (example.facts or {}).items())
    return f"数据：{facts[:200]}"


def render_catalog(ruleset: Any) -> str:
    """Markdown catalogue grouped by category."""
    lines = [
        f"# 规则目录（规则集 {ruleset.version}，共 {len(ruleset.rules)} 条）",
        "",
        f"规则集哈希：`{ruleset.hash}`",
        "",
    ]
    by_category: dict[str, list[Any]] = {}
    for rule in ruleset.rules:
        by_category.setdefault(rule.category, []).append(rule)
    for category, rules in by_category.items():
        lines += [f"## {CATEGORY_LABELS.get(category, category)}", ""]
        for rule in rules:
            lines += [
                f"### {rule.id} {rule.title}",
                "",
                f"- 级别：{SEVERITY_LABELS.get(rule.severity, rule.severity)}；权重：{rule.weight:g}；检查方式：`{rule.kind}`",
                f"- 适用：{_applies(rule)}",
                f"- 依据：{rule.basis}",
                f"- 提示：{rule.message}",
                f"- 整改建议：{rule.hint}",
            ]
            lines += [f"- 通过示例：{_example(e)}" for e in rule.examples.pass_]
            lines += [f"- 不通过示例：{_example(e)}" for e in rule.examples.fail]
            lines.append("")
    return "\n".join(lines)
