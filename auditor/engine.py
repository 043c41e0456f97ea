"""The audit: facts once per document, then every selected rule, then the score.

``audit(doc, ruleset, profile=None, waivers=None) -> DocumentResult``. A rule that raises or
whose regex times out becomes an ``error`` finding naming the rule; the rest of the audit
completes. A rule needing an unstated fact is ``blocked`` and points at the root rule for
that fact (its ``fact_present`` rule, else the first rule blocked by it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import regex

from auditor.checks import MODULES, run_check
from auditor.checks._base import Context, Result, per_rule
from auditor.document.model import Document
from auditor.facts import FactStore
from auditor.labels import KIND_LABELS
from auditor.results import BlockedBy, DocumentResult, Finding, RulesetInfo
from auditor.ruleset import profiles as profiles_mod
from auditor.ruleset import waivers as waivers_mod
from auditor.ruleset.loader import RuleSet
from auditor.ruleset.schema import Rule, Waiver
from auditor.scoring import score

UNSTATED = "未载明"
_PLACEHOLDER = regex.compile(r"\{([^{}]*)\}")


# Reader status of an unreadable input → the status the batch reports.
READ_STATUS = {
    "unsupported": "unsupported",
    "unreadable": "unreadable",
    "empty": "unreadable",
    "no_text_layer": "no_text_layer",
}


def audit(
    doc: Document,
    ruleset: RuleSet,
    profile: str | None = None,
    waivers: list[Waiver] | None = None,
    *,
    facts: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> DocumentResult:
    """Audit one document. ``facts`` overrides extracted fact values (rule examples)."""
    info = RulesetInfo(version=ruleset.version, hash=ruleset.hash)
    if not doc.readable:
        finding = _document_finding(
            "DOC-READ", "文件无法读取", "error", doc.message or f"文件状态：{doc.status}"
        )
        return DocumentResult(
            document=doc.to_json(),
            status=READ_STATUS.get(doc.status, "error"),
            message=finding.message,
            findings=[finding],
            ruleset=info,
        )
    if doc.kind != "annual_report":
        kind = KIND_LABELS.get(doc.kind, doc.kind)
        reason = doc.kind_reason or "不是政府信息公开工作年度报告"
        message = f"识别为{kind}：{reason}。不评分。"
        finding = _document_finding("DOC-KIND", "文件类型", "not_applicable", message)
        return DocumentResult(
            document=doc.to_json(),
            status="not_annual_report",
            message=message,
            findings=[finding],
            ruleset=info,
        )
    chosen, _why = profiles_mod.choose(ruleset, doc, profile)
    selected = _resolved(ruleset, chosen)
    store = FactStore(doc, ruleset.facts, facts)
    store.extract_all()
    rules = [r for r in ruleset.rules if r.id in selected]
    findings = evaluate(rules, doc, store, selected, waivers or [], today)
    value, grade = score(findings)
    stats: dict[str, int] = {}
    for f in findings:
        stats[f.status] = stats.get(f.status, 0) + 1
    return DocumentResult(
        document=doc.to_json(),
        status="audited",
        facts=store.computed,
        findings=findings,
        score=value,
        grade=grade,
        ruleset=info,
        profile=chosen.profile if chosen else None,
        stats=stats,
    )


_RESOLVED: dict[tuple[int, str | None], tuple[RuleSet, Any, dict[str, Any]]] = {}


def _resolved(ruleset: RuleSet, profile: Any) -> dict[str, profiles_mod.Effective]:
    """``profiles.resolve`` once per rule set and profile (rule sets do not change)."""
    key = (id(ruleset), profile.profile if profile is not None else None)
    hit = _RESOLVED.get(key)
    if hit is None or hit[0] is not ruleset or hit[1] is not profile:
        if len(_RESOLVED) > 64:
            _RESOLVED.clear()
        hit = _RESOLVED[key] = (ruleset, profile, profiles_mod.resolve(ruleset, profile))
    return hit[2]


@per_rule
def _fact_refs(rule: Rule) -> tuple[str, ...]:
    """The sorted fact ids a rule reads, computed once per rule object."""
    return tuple(sorted(MODULES[rule.kind].fact_refs(rule)))


def evaluate(
    rules: list[Rule],
    doc: Document,
    store: FactStore,
    selected: Mapping[str, profiles_mod.Effective] | None = None,
    waivers: list[Waiver] | None = None,
    today: dt.date | None = None,
) -> list[Finding]:
    """Run rules on a document whose facts are in ``store``."""
    ctx = Context(doc, store)
    roots = {r.fact: r.id for r in rules if r.kind == "fact_present"}
    findings: list[Finding] = []
    for rule in rules:
        eff = (selected or {}).get(rule.id) or profiles_mod.Effective(rule.severity, rule.weight)
        result = _run(rule, ctx)
        if result.status == "blocked":
            for fid in result.missing:
                roots.setdefault(fid, rule.id)
        finding = _finding(rule, result, eff, store, roots)
        waiver = waivers_mod.find(waivers, rule, doc, today) if waivers else None
        if waiver is not None:
            finding.status, finding.waiver = "waived", waiver.reason
        findings.append(finding)
    return findings


def _run(rule: Rule, ctx: Context) -> Result:
    reason = not_applicable(rule, ctx.doc)
    if reason:
        return Result("not_applicable", note=reason)
    failed = ctx.facts.first_error(_fact_refs(rule))
    if failed:
        fid, error = failed
        return Result("error", note=f"规则 {rule.id} 所需事实 {fid} {error}")
    try:
        return run_check(rule, ctx)
    except TimeoutError:
        return Result("error", note=f"规则 {rule.id} 的正则表达式匹配超时，未能完成检查")
    except Exception as exc:  # a broken check must not stop the audit
        return Result("error", note=f"规则 {rule.id} 执行出错：{type(exc).__name__}: {exc}")


def not_applicable(rule: Rule, doc: Document) -> str | None:
    """Why a rule's ``applies`` excludes the document, or None."""
    applies = rule.applies
    if doc.kind not in applies.kinds:
        return f"不适用于此类文件（{KIND_LABELS.get(doc.kind, doc.kind)}）"
    if applies.regimes is not None and doc.regime not in applies.regimes:
        return f"不适用于 {doc.regime or '未知'} 制度下的报告"
    if applies.issuer_types is not None and doc.issuer_type not in applies.issuer_types:
        return f"不适用于发布机关类型 {doc.issuer_type or '未知'}"
    years = applies.years
    if years is not None:
        if doc.year is None:
            return "报告年度不明，无法判断是否适用"
        if (years.min is not None and doc.year < years.min) or (
            years.max is not None and doc.year > years.max
        ):
            return f"不适用于 {doc.year} 年度报告"
    return None


def _finding(
    rule: Rule, result: Result, eff: profiles_mod.Effective, store: FactStore, roots: dict[str, str]
) -> Finding:
    blocked_by: list[BlockedBy] = []
    if result.status == "pass":
        message = f"符合要求：{rule.title}"
    elif result.status == "fail":
        message = render(rule, result.values, store)
    elif result.status == "blocked" and result.missing:
        blocked_by = [
            BlockedBy(fact=f, root=roots.get(f) if roots.get(f) != rule.id else None)
            for f in result.missing
        ]
        names = "、".join(_fact_name(store, f) for f in result.missing)
        pointer = "；".join(f"见规则 {b.root}" for b in blocked_by if b.root)
        message = f"文中未载明{names}，无法检查" + (f"（{pointer}）" if pointer else "")
    else:
        message = result.note or {"not_applicable": "不适用", "blocked": "无法检查"}.get(
            result.status, ""
        )
    return Finding(
        rule=rule.id,
        title=rule.title,
        category=rule.category,
        kind=rule.kind,
        status=result.status,
        outcome=result.status,
        severity=eff.severity,
        weight=float(eff.weight),
        message=message,
        evidence=result.evidence,
        cells=result.cells,
        basis=rule.basis,
        hint=rule.hint,
        blocked_by=blocked_by,
        error=result.note if result.status == "error" else None,
    )


def render(rule: Rule, values: Mapping[str, Any], store: FactStore) -> str:
    """Fill a rule's message: check values, then fact values, then ``id``/``title``."""

    def fill(m: regex.Match[str]) -> str:
        name = m.group(1)
        if name in values:
            return _show(values[name])
        if name in ("id", "title"):
            return str(getattr(rule, name))
        return _show(store.value(name))

    text = rule.message.replace("{{", "\x00").replace("}}", "\x01")
    return _PLACEHOLDER.sub(fill, text).replace("\x00", "{").replace("\x01", "}")


def _fact_name(store: FactStore, fid: str) -> str:
    title = store.get(fid).title
    return f"“{title}”（{fid}）" if title and title != fid else f"“{fid}”"


def _show(value: Any) -> str:
    if value is None or value == "":
        return UNSTATED if value is None else ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, list):
        return "、".join(_show(v) for v in value)
    return str(value)


def _document_finding(rule: str, title: str, status: str, message: str) -> Finding:
    return Finding(
        rule=rule,
        title=title,
        category="document",
        kind="document",
        status=status,  # type: ignore[arg-type]
        outcome=status,  # type: ignore[arg-type]
        severity="info",
        weight=0.0,
        message=message,
        basis="《中华人民共和国政府信息公开条例》",
    )
