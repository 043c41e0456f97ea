"""Run a batch and write every requested format as results arrive.

Streaming formats (``jsonl``, the HTML document pages) are written per document; formats that
need the whole batch (``json``, ``csv``, ``xlsx``, the HTML index, the terminal summary) keep
what they need. Only ``json``, ``xlsx`` and ``terminal`` keep full results in memory. Without
them (and without ``html``, which renders pages from the full result) the workers encode the
JSONL line and the summary themselves, and a JSONL-only run keeps only running totals.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

from auditor.api import AuditOptions, ruleset_for
from auditor.batch import linked, run
from auditor.results import DocumentResult, dumps
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


def _counts(result: dict[str, Any]) -> dict[str, int]:
    """Failures per severity: all a streaming-only run keeps of a document."""
    counts = dict.fromkeys(("critical", "major", "minor", "info"), 0)
    for f in result.get("findings", []):
        if f.get("status") == "fail" and f.get("severity") in counts:
            counts[f["severity"]] += 1
    return counts


def _brief(result: DocumentResult) -> dict[str, Any]:
    """The part of a result :func:`summary` and :func:`_counts` read (failures only)."""
    return {
        "document": result.document,
        "status": result.status,
        "message": result.message,
        "score": result.score,
        "grade": result.grade,
        "profile": result.profile,
        "duplicate_of": result.duplicate_of,
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity,
                "title": f.title,
                "category": f.category,
                "status": f.status,
            }
            for f in result.findings
            if f.status == "fail"
        ],
    }


def _line(result: dict[str, Any]) -> bytes:
    return json.dumps(result, ensure_ascii=False).encode() + b"\n"


class Packed:
    """Runs in the workers: a result becomes its JSONL line and its summary (or counts)."""

    def __init__(self, *, line: bool, rows: bool) -> None:
        self.line = line
        self.rows = rows

    def __call__(self, result: DocumentResult) -> tuple[bytes | None, dict[str, Any]]:
        # the UTF-8 line straight from the dataclasses (no result dict, no str in between)
        line = dumps(result) + b"\n" if self.line else None
        return line, self._row(_brief(result))

    def _row(self, result: dict[str, Any]) -> dict[str, Any]:
        return summary(result) if self.rows else _counts(result)

    def link(
        self, packed: tuple[bytes | None, dict[str, Any]], path: Path, original: Path
    ) -> tuple[bytes | None, dict[str, Any]]:
        text, row = packed
        if text is not None:
            copy = linked(json.loads(text), path, original)
            return _line(copy), self._row(copy)
        if self.rows:
            row = {**row, "source": str(path), "duplicate_of": str(original)}
        return text, row


def write_outputs(
    paths: Iterable[Path],
    options: AuditOptions,
    *,
    formats: list[str],
    out: Path | None,
    jobs: int | None = None,
    timeout: float = 120.0,
    templates: Path | None = None,
    verbose: bool = False,
) -> list[dict[str, Any]]:
    """Audit ``paths`` (read once, lazily) and write ``formats``.

    Returns one summary per input, in input order, when a format lists documents; otherwise
    (JSONL only) a single row with the failure counts of the whole batch, and nothing is kept
    per document while the batch runs.
    """
    ruleset = ruleset_for(options.rules)
    run_info = {"ruleset": {"version": ruleset.version, "hash": ruleset.hash}, "scoring": FORMULA}
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    keep_full = bool(KEEP_FULL & set(formats))
    keep_rows = keep_full or bool(NEED_ROWS & set(formats))
    summaries: dict[int, dict[str, Any]] = {}  # by input index, when keep_rows
    totals = dict.fromkeys(("critical", "major", "minor", "info"), 0)
    full: dict[int, dict[str, Any]] = {}  # by input index, when keep_full
    jsonl = _open_jsonl(out) if "jsonl" in formats else None
    html = None
    if "html" in formats and out is not None:
        from auditor.render.html import HtmlWriter

        html = HtmlWriter(out, templates=templates, run_info=run_info)
    pack = None if keep_full or html else Packed(line=jsonl is not None, rows=keep_rows)
    # plain progress lines would mix with results written to stdout in a pipe
    progress = _Progress(plain=out is not None or "terminal" in formats)
    try:
        for index, result in run(
            paths, options, jobs=jobs, timeout=timeout, progress=progress.update, pack=pack
        ):
            # without a packer, keep_rows holds (html and every full format list documents)
            line, row = result if pack else ((_line(result) if jsonl else None), summary(result))
            if keep_rows:
                summaries[index] = row
            else:
                for sev, n in row.items():
                    totals[sev] += n
            if keep_full:
                full[index] = result
            if line is not None:
                jsonl.write(line)
                jsonl.flush()
            if html is not None:
                summaries[index]["page"] = html.write_document(index, result)
    finally:
        progress.close()
        if jsonl is not None and out is not None:
            jsonl.close()
    if not keep_rows:
        return [{"counts": totals}]
    done = [summaries[i] for i in sorted(summaries)]
    results = [full[i] for i in sorted(full)]
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


def _open_jsonl(out: Path | None) -> BinaryIO | _TextSink:
    """Where JSONL lines (UTF-8 bytes) go: ``results.jsonl`` in ``out``, else stdout."""
    if out is not None:
        return (out / "results.jsonl").open("wb")
    sys.stdout.flush()
    return getattr(sys.stdout, "buffer", None) or _TextSink(sys.stdout)


class _TextSink:
    """Bytes written to a text-only stdout (a notebook, a redirected ``StringIO``)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, data: bytes) -> None:
        self._stream.write(data.decode())

    def flush(self) -> None:
        self._stream.flush()


class _Progress:
    """A rich progress bar on a terminal, plain progress lines otherwise (on stderr) unless
    ``plain`` is off (results streamed to stdout)."""

    def __init__(self, plain: bool = True) -> None:
        self._plain = plain
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
            self._task = self._progress.add_task("", total=None)
        else:
            self._progress = None

    def update(self, done: int, total: int, path: Path) -> None:
        if self._progress is not None:
            self._progress.update(
                self._task, total=total, completed=done, description=path.name[:40]
            )
        elif total > 1 and self._plain:
            print(f"[{done}/{total}] {path}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
