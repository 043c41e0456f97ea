"""Profiles: which rules run, with which severity and weight; automatic choice by document.

Resolution of a profile: the union of its ``extends`` parents (in order), or every rule when
it has neither ``extends`` nor ``select``; then ``select`` adds rules (by id/alias, group,
category), ``exclude`` removes them, and ``overrides`` change severity/weight or switch
rules off (``enabled: false``); group/category overrides first, then id overrides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditor.document.model import Document
from auditor.ruleset.loader import RuleSet
from auditor.ruleset.schema import Override, Profile, Selector


@dataclass(frozen=True, slots=True)
class Effective:
    severity: str
    weight: float


def choose(ruleset: RuleSet, doc: Document, name: str | None = None) -> tuple[Profile | None, str]:
    """The profile to use and why; ``None`` means every rule with its own settings."""
    if name:
        if name not in ruleset.profiles:
            known = "、".join(sorted(ruleset.profiles)) or "无"
            raise ValueError(f"未知的配置方案“{name}”（可用：{known}）")
        return ruleset.profiles[name], "用户指定"
    best: tuple[int, str] | None = None
    for profile in ruleset.profiles.values():
        fit = _fit(profile, doc)
        if fit is not None and (best is None or (-fit, profile.profile) < (-best[0], best[1])):
            best = (fit, profile.profile)
    if best is not None:
        return ruleset.profiles[
            best[1]
        ], f"自动：适用制度 {doc.regime or '未知'}，发布机关类型 {doc.issuer_type or '未知'}"
    if "default" in ruleset.profiles:
        return ruleset.profiles["default"], "自动：无匹配方案，使用 default"
    return None, "全部规则"


def _fit(profile: Profile, doc: Document) -> int | None:
    match = profile.match
    if match is None:
        return None
    score = 0
    for wanted, actual in ((match.regimes, doc.regime), (match.issuer_types, doc.issuer_type)):
        if wanted is None:
            continue
        if actual not in wanted:
            return None
        score += 1
    return score


def resolve(ruleset: RuleSet, profile: Profile | None) -> dict[str, Effective]:
    """Rule id → effective severity and weight, for the rules the profile selects."""
    if profile is None:
        return {r.id: Effective(r.severity, r.weight) for r in ruleset.rules}
    return _resolve(ruleset, profile, ())


def _resolve(ruleset: RuleSet, profile: Profile, seen: tuple[str, ...]) -> dict[str, Effective]:
    chosen: dict[str, Effective] = {}
    parents = [p for p in profile.extends if p in ruleset.profiles and p not in seen]
    for parent in parents:
        chosen.update(_resolve(ruleset, ruleset.profiles[parent], (*seen, profile.profile)))
    if not profile.extends and profile.select is None:
        chosen = {r.id: Effective(r.severity, r.weight) for r in ruleset.rules}
    for rule in ruleset.rules:
        if profile.select is not None and _selects(profile.select, rule) and rule.id not in chosen:
            chosen[rule.id] = Effective(rule.severity, rule.weight)
        if _selects(profile.exclude, rule):
            chosen.pop(rule.id, None)
    ordered = sorted(profile.overrides.items(), key=lambda kv: ":" not in kv[0])
    for key, override in ordered:
        for rule in ruleset.rules:
            if rule.id in chosen and _targets(key, rule):
                _apply(chosen, rule.id, override)
    return chosen


def _selects(selector: Selector, rule: Any) -> bool:
    ids = set(selector.ids)
    return (
        rule.id in ids
        or bool(ids & set(rule.aliases))
        or bool(set(selector.groups) & set(rule.groups))
        or rule.category in selector.categories
    )


def _targets(key: str, rule: Any) -> bool:
    kind, _, name = key.partition(":")
    if kind == "group" and name:
        return name in rule.groups
    if kind == "category" and name:
        return rule.category == name
    return key == rule.id or key in rule.aliases


def _apply(chosen: dict[str, Effective], rid: str, override: Override) -> None:
    if not override.enabled:
        chosen.pop(rid, None)
        return
    current = chosen[rid]
    chosen[rid] = Effective(
        override.severity or current.severity,
        current.weight if override.weight is None else override.weight,
    )
