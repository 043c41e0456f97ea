"""Terminal summary with rich: a verdict line per document, its failed rules, a batch summary.

On a terminal rich draws tables; elsewhere (pipes, CI logs) the same content is printed as
plain aligned text. ``verbose`` adds evidence quotes and the rules that passed.
"""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from auditor.labels import FINDING_LABELS, KIND_LABELS, SEVERITY_LABELS, STATUS_LABELS

SEVERITY_STYLE = {"critical": "bold red", "major": "red", "minor": "yellow", "info": "cyan"}
GRADE_STYLE = {"优": "bold green", "良": "green", "合格": "yellow", "不合格": "bold red"}
_SEVERITY_RANK = {"critical": 0, "major": 1, "minor": 2, "info": 3}


def _name(result: dict[str, Any]) -> str:
    doc = result.get("document", {})
    return doc.get("agency") or doc.get("title") or str(doc.get("source", "?")).rsplit("/", 1)[-1]


def verdict(result: dict[str, Any]) -> Text:
    """One line: agency, year, score, grade and counts by severity."""
    doc = result.get("document", {})
    status = result.get("status")
    line = Text()
    line.append(_name(result), style="bold")
    if doc.get("year"):
        line.append(f" {doc['year']}年")
    if status != "audited":
        label = STATUS_LABELS.get(status, status)
        if status == "not_annual_report":
            label += "：" + KIND_LABELS.get(doc.get("kind", ""), "其他文件")
        line.append(f"  ▸ {label}", style="magenta")
        message = doc.get("kind_reason") if status == "not_annual_report" else result.get("message")
        if message:
            line.append(f"（{message}）", style="dim")
        return line
    score = result.get("score")
    grade = result.get("grade") or "-"
    line.append("  ▸ ")
    line.append("—" if score is None else f"{score:.1f}", style="bold")
    line.append(f" {grade}", style=GRADE_STYLE.get(grade, ""))
    fails = [f for f in result.get("findings", []) if f.get("status") == "fail"]
    for sev in ("critical", "major", "minor"):
        n = sum(1 for f in fails if f.get("severity") == sev)
        if n:
            line.append(f" · {n} {SEVERITY_LABELS[sev]}", style=SEVERITY_STYLE[sev])
    errors = sum(1 for f in result.get("findings", []) if f.get("status") == "error")
    if errors:
        line.append(f" · {errors} 检查出错", style="bold magenta")
    return line


def findings_table(result: dict[str, Any], verbose: bool = False) -> Table | None:
    shown = [f for f in result.get("findings", []) if f.get("status") in ("fail", "error")]
    if verbose:
        shown += [
            f
            for f in result.get("findings", [])
            if f.get("status") in ("pass", "blocked", "waived")
        ]
    if not shown:
        return None
    shown.sort(key=lambda f: (f.get("status") != "fail", _SEVERITY_RANK.get(f.get("severity"), 9)))
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("级别", no_wrap=True)
    table.add_column("规则", no_wrap=True)
    table.add_column("问题")
    table.add_column("原文", style="dim", max_width=36)
    for f in shown:
        status = f.get("status")
        sev = f.get("severity", "")
        label = (
            SEVERITY_LABELS.get(sev, sev)
            if status == "fail"
            else FINDING_LABELS.get(status, status)
        )
        quotes = [e.get("quote", "") for e in f.get("evidence", []) if e.get("quote")]
        quote = quotes[0][:60] if quotes else ""
        if verbose and len(quotes) > 1:
            quote = " | ".join(q[:40] for q in quotes[:3])
        table.add_row(
            Text(label, style=SEVERITY_STYLE.get(sev, "") if status == "fail" else "dim"),
            f.get("rule", ""),
            f.get("message") or f.get("title", ""),
            quote,
        )
    return table


def batch_table(results: list[dict[str, Any]]) -> Table:
    table = Table(title="审查汇总（按得分排序）", show_header=True, header_style="bold")
    table.add_column("文件")
    table.add_column("发布机关")
    table.add_column("年度", justify="right")
    table.add_column("状态")
    table.add_column("得分", justify="right")
    table.add_column("等级")
    table.add_column("严重", justify="right")
    table.add_column("重要", justify="right")

    def key(r: dict[str, Any]) -> tuple:
        return (r.get("score") is None, r.get("score") or 0)

    for r in sorted(results, key=key):
        doc = r.get("document", {})
        fails = [f for f in r.get("findings", []) if f.get("status") == "fail"]
        grade = r.get("grade") or ""
        table.add_row(
            str(doc.get("source", "")).rsplit("/", 1)[-1][:32],
            (doc.get("agency") or "")[:20],
            str(doc.get("year") or ""),
            STATUS_LABELS.get(r.get("status"), r.get("status") or ""),
            "" if r.get("score") is None else f"{r['score']:.1f}",
            Text(grade, style=GRADE_STYLE.get(grade, "")),
            str(sum(1 for f in fails if f.get("severity") == "critical")),
            str(sum(1 for f in fails if f.get("severity") == "major")),
        )
    return table


def print_results(
    results: list[dict[str, Any]], verbose: bool = False, console: Console | None = None
) -> None:
    """Print every document's verdict and failed rules, then the batch summary."""
    tty = sys.stdout.isatty()
    console = console or Console(file=sys.stdout, highlight=False, width=None if tty else 160)
    for result in results:
        console.print(verdict(result), soft_wrap=True)
        table = findings_table(result, verbose)
        if table is not None:
            console.print(table)
        console.print()
    if len(results) > 1:
        console.print(batch_table(results))
