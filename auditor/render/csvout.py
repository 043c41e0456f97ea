"""One CSV row per document, for oversight offices' spreadsheets."""

from __future__ import annotations

import csv
import io
from typing import Any

from auditor.labels import KIND_LABELS, STATUS_LABELS

COLUMNS = [
    ("文件", "source"),
    ("发布机关", "agency"),
    ("报告年度", "year"),
    ("适用制度", "regime"),
    ("文档类型", "kind"),
    ("审查状态", "status"),
    ("得分", "score"),
    ("等级", "grade"),
    ("严重问题", "critical"),
    ("重要问题", "major"),
    ("一般问题", "minor"),
    ("未通过的规则", "failed"),
    ("说明", "message"),
]


def row(summary: dict[str, Any]) -> list[Any]:
    counts = summary.get("counts", {})
    values = {
        **summary,
        "kind": KIND_LABELS.get(summary.get("kind") or "", summary.get("kind") or ""),
        "status": STATUS_LABELS.get(summary.get("status") or "", summary.get("status") or ""),
        "critical": counts.get("critical", 0),
        "major": counts.get("major", 0),
        "minor": counts.get("minor", 0),
        "failed": " ".join(f["rule"] for f in summary.get("findings", [])),
        "score": "" if summary.get("score") is None else round(summary["score"], 1),
    }
    return ["" if values.get(key) is None else values[key] for _, key in COLUMNS]


def render_csv(summaries: list[dict[str, Any]]) -> str:
    """CSV text (UTF-8 with BOM so that spreadsheet programs read the Chinese correctly)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([label for label, _ in COLUMNS])
    for summary in summaries:
        writer.writerow(row(summary))
    return "\ufeff" + buf.getvalue()
