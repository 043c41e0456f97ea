"""``required_content``: an item is present, found by a heading or by body evidence.

Passes when a section title (at ``level``, any level by default) matches one of
``headings``, or when the ``body`` patterns match in the scope (``body_mode: all`` needs
every pattern, within ``window`` characters of each other when set; ``any`` needs one).
"""

from __future__ import annotations

from auditor.checks._base import Context, Result, scope_missing
from auditor.ruleset import patterns
from auditor.ruleset.schema import Rule

KIND = "required_content"


def describe(rule: Rule) -> str:
    return f"应包含：{'/'.join(rule.headings or rule.body)}"


def placeholders(rule: Rule) -> set[str]:
    return {"found"}


def fact_refs(rule: Rule) -> set[str]:
    return set()


def run(rule: Rule, ctx: Context) -> Result:
    doc = ctx.doc
    spans = ctx.spans(rule.scope)
    if spans is None:
        return scope_missing(rule.scope)
    lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    for section in doc.sections:
        if rule.level is not None and section.level != rule.level:
            continue
        if not lo <= section.start < hi:
            continue
        if any(patterns.occurs(p, section.title) for p in rule.headings):
            ev = ctx.evidence(section.start, section.title_end)
            return Result("pass", {"found": "标题"}, [ev])
    if rule.body:
        hits = _body(rule, ctx, spans)
        if hits:
            return Result("pass", {"found": "正文"}, [ctx.evidence(s, e) for s, e in hits])
    return Result("fail", {"found": "未找到"}, [ctx.absence(spans, "该项内容")])


def _body(rule: Rule, ctx: Context, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    text = ctx.doc.text
    per_pattern: list[list[tuple[int, int]]] = []
    for p in rule.body:
        found = [m.span() for s, e in spans for m in patterns.finditer(p, text, s, e)]
        if rule.body_mode == "any" and found:
            return found[:1]
        per_pattern.append(found)
    if rule.body_mode == "any" or not all(per_pattern):
        return []
    if rule.window is None:
        return [hits[0] for hits in per_pattern]
    for anchor in per_pattern[0]:
        chosen = [anchor]
        for hits in per_pattern[1:]:
            near = [h for h in hits if abs(h[0] - anchor[0]) <= rule.window]
            if not near:
                break
            chosen.append(near[0])
        else:
            return chosen
    return []
