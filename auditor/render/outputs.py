"""Run a batch and write every requested format as results arrive.

Streaming formats (``jsonl``, the HTML document pages) are written per document; formats that
need the whole batch (``json``, ``csv``, ``xlsx``, the HTML index, the terminal summary) keep
what they need. Only ``json`` and ``xlsx`` keep full results in memory; a JSONL-only run keeps
one small summary per document.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from auditor.api import AuditOptions, ruleset_for
from auditor.batch import run
from auditor.scoring import FORMULA

KEEP_FULL = {"json", "xlsx", "terminal"}
NEED_ROWS = {"csv", "html"}  # formats whose index lists each document's failed rules


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """The few fields the index, CSV and exit code need."""
    doc = result.get("document", {})
    failed = [
        {
            "rule": f["rule"],
            "severity": f["severity"],
            "title": f.get("title", ""),
            "category": f.get("category"),
        }
        for f in result.get("findings", [])
        if f.get("status") == "fail"
    ]
    return {
        "source": doc.get("source"),
        "agency": doc.get("agency"),
        "title": doc.get("title"),
        "year": doc.get("year"),
        "regime": doc.get("regime"),
        "kind": doc.get("kind"),
        "issuer_type": doc.get("issuer_type"),
        "status": result.get("status"),
        "message": result.get("message") or doc.get("message") or "",
        "score": result.get("score"),
        "grade": result.get("grade"),
        "profile": result.get("profile"),
        "duplicate_of": result.get("duplicate_of"),
        "findings": failed,
        "counts": {
            sev: sum(1 for f in failed if f["severity"] == sev)
            for sev in ("critical", "major", "minor", "info")
        },
    }


def _counts(result: dict[str, Any]) -> dict[str, Any]:
    """What a streaming-only run keeps per document: status and failures per severity."""
    row = summary(result)
    return {"source": row["source"], "status": row["status"], "counts": row["counts"]}


def write_outputs(
    paths: list[Path],
    options: AuditOptions,
    *,
    formats: list[str],
    out: Path | None,
    jobs: int | None = None,
    timeout: float = 120.0,
    templates: Path | None = None,
    verbose: bool = False,
) -> list[dict[str, Any]]:
    """Audit ``paths`` and write ``formats``; return one summary per input, in input order."""
    ruleset = ruleset_for(options.rules)
    run_info = {"ruleset": {"version": ruleset.version, "hash": ruleset.hash}, "scoring": FORMULA}
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    keep_full = bool(KEEP_FULL & set(formats))
    keep_rows = keep_full or bool(NEED_ROWS & set(formats))
    summaries: list[dict[str, Any] | None] = [None] * len(paths)
    full: list[dict[str, Any] | None] = [None] * len(paths) if keep_full else []
    jsonl = _open_jsonl(out) if "jsonl" in formats else None
    html = None
    if "html" in formats and out is not None:
        from auditor.render.html import HtmlWriter

        html = HtmlWriter(out, templates=templates, run_info=run_info)
    progress = _Progress(len(paths))
    try:
        for index, result in run(
            paths, options, jobs=jobs, timeout=timeout, progress=progress.update
        ):
            summaries[index] = summary(result) if keep_rows else _counts(result)
            if keep_full:
                full[index] = result
            if jsonl is not None:
                jsonl.write(json.dumps(result, ensure_ascii=False) + "\n")
                jsonl.flush()
            if html is not None:
                summaries[index]["page"] = html.write_document(index, result)
    finally:
        progress.close()
        if jsonl is not None and jsonl is not sys.stdout:
            jsonl.close()
    done = [s for s in summaries if s is not None]
    results = [r for r in full if r is not None]
    if "json" in formats:
        payload = {"documents": results, **run_info}
        _write_text(out, "results.json", json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    if "csv" in formats:
        from auditor.render.csvout import render_csv

        _write_text(out, "results.csv", render_csv(done))
    if "xlsx" in formats and out is not None:
        from auditor.render.xlsx import write_xlsx

        write_xlsx(out / "results.xlsx", results)
    if html is not None:
        html.write_index(done)
    if "terminal" in formats:
        from auditor.render.terminal import print_results

        print_results(results, verbose=verbose)
    return done


def _write_text(out: Path | None, name: str, text: str) -> None:
    if out is None:
        sys.stdout.write(text)
    else:
        (out / name).write_text(text, encoding="utf-8")


def _open_jsonl(out: Path | None):
    return sys.stdout if out is None else (out / "results.jsonl").open("w", encoding="utf-8")


class _Progress:
    """A rich progress bar on a terminal, plain progress lines otherwise (on stderr)."""

    def __init__(self, total: int) -> None:
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._progress = Progress(
                TextColumn("审查中"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("", total=total)
        else:
            self._progress = None

    def update(self, done: int, total: int, path: Path) -> None:
        if self._progress is not None:
            self._progress.update(self._task, completed=done, description=path.name[:40])
        elif total > 1:
            print(f"[{done}/{total}] {path}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
