"""Benchmark: audit speed per input kind against the floor, CLI start-up, batch memory.

    .venv/bin/python bench/bench.py            # full run (a few minutes), table + JSON
    .venv/bin/python bench/bench.py --short    # CI smoke run (a few seconds)

Per kind (crawl text, web page, DOCX, PDF) it audits the corpus of ``bench/corpus.py`` on
one core (``auditor.batch.run`` with ``jobs=1``) and on all cores (worker processes writing
JSONL, as ``auditor check --format jsonl`` does), and
times the **floor** on the same files: read + decode + normalise (NFKC, Traditional →
Simplified) + one scan with a single alternation of the literal phrases of every rule and
fact pattern. The ratio audit/floor stays comparable across noisy machines. It then times
``auditor --help`` and ``auditor check one.txt`` (best of N) and measures the peak memory
(PSS, and the plain RSS sum) of the whole process tree of ``auditor check DIR --format jsonl --out OUT`` for a small and
a large batch. Results: a table on the terminal and ``bench/results/latest.json``.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# run as a script, the folder of this file comes first on sys.path and shadows the package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

import regex  # noqa: E402

from bench.corpus import KINDS, Sizes, build  # noqa: E402

RESULTS = ROOT / "bench" / "results"
ONE_TXT = ROOT / "samples" / "210_ptzhsyqscj-2021.txt"
LABELS = {"text": "抓取文本 crawl text", "html": "网页 web page", "docx": "DOCX", "pdf": "PDF"}
FULL = Sizes(text=1000, html=100, docx=100, pdf=8, big=10_000)
SHORT = Sizes(text=30, html=4, docx=3, pdf=0, big=100)
SHORT_LIMIT = {"text": 30, "html": 4, "docx": 3, "pdf": 1}
PYCACHE = RESULTS / "pycache"

# Rule/fact option keys whose values are regular expressions.
_PATTERN_KEYS = {
    "pattern",
    "zero_patterns",
    "must_match",
    "must_not_match",
    "headings",
    "body",
    "total",
    "part",
    "items",
    "stat",
}
_HAN = regex.compile(r"\p{Han}")


# --- the floor ------------------------------------------------------------------------


def literal_phrases(pattern: str) -> set[str]:
    """Runs of two or more Han characters a pattern matches literally (outside classes)."""
    out: set[str] = set()
    run: list[str] = []
    i, n = 0, len(pattern)

    def flush() -> None:
        if len(run) >= 2:
            out.add("".join(run))
        run.clear()

    while i < n:
        ch = pattern[i]
        if ch == "\\":
            flush()
            i += 2
            continue
        if ch == "[":
            flush()
            i += 1
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
            i += 1
            continue
        if _HAN.match(ch):
            optional = i + 1 < n and pattern[i + 1] in "?*{"
            if optional:
                flush()
            else:
                run.append(ch)
            i += 1
            continue
        flush()
        i += 1
    flush()
    return out


def _strings(value: Any, key: str | None = None) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, k)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v, key)]
    if isinstance(value, str) and key in _PATTERN_KEYS:
        return [value]
    return []


def phrase_scanner() -> tuple[regex.Pattern[str], int]:
    """One alternation of every literal phrase in the shipped rules and facts."""
    from auditor.api import ruleset_for

    ruleset = ruleset_for(())
    phrases: set[str] = set()
    models = [*ruleset.rules, *ruleset.facts.values()]
    for model in models:
        for pattern in _strings(model.to_json()):
            phrases |= literal_phrases(pattern)
    ordered = sorted(phrases, key=lambda p: (-len(p), p))
    return regex.compile("|".join(regex.escape(p) for p in ordered)), len(ordered)


def _floor_text(path: Path) -> str:
    from auditor.document.encoding import decode

    return decode(path.read_bytes()).text


_CHARSET = regex.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", regex.I)


def _floor_html(path: Path) -> str:
    import lxml.html

    from auditor.document.encoding import decode

    data = path.read_bytes()
    m = _CHARSET.search(data[:4096])
    text = decode(data, m.group(1).decode("ascii", "ignore") if m else None).text
    return lxml.html.fromstring(text).text_content()


_WT = regex.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|</w:p>")


def _floor_docx(path: Path) -> str:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    return html.unescape(
        "".join(m.group(1) if m.group(1) is not None else "\n" for m in _WT.finditer(xml))
    )


def _floor_pdf(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path.read_bytes())
    try:
        return "\n".join(pdf[i].get_textpage().get_text_bounded() for i in range(len(pdf)))
    finally:
        pdf.close()


_FLOOR_READ = {"text": _floor_text, "html": _floor_html, "docx": _floor_docx, "pdf": _floor_pdf}


def floor(kind: str, paths: list[Path], scanner: regex.Pattern[str]) -> tuple[float, int]:
    """Seconds for read + decode + normalise + one phrase scan over ``paths``; phrase hits."""
    from auditor.document.normalise import normalise

    read = _FLOOR_READ[kind]
    hits = 0
    start = time.perf_counter()
    for path in paths:
        text, _, _ = normalise(read(path))
        hits += len(scanner.findall(text))
    return time.perf_counter() - start, hits


# --- the audit ------------------------------------------------------------------------


def audit(paths: list[Path], jobs: int) -> tuple[float, list[dict[str, Any]]]:
    """Seconds to audit ``paths`` through the batch runner; the result documents."""
    from auditor.api import AuditOptions
    from auditor.batch import run

    results: list[dict[str, Any]] = [{}] * len(paths)
    start = time.perf_counter()
    for index, result in run(paths, AuditOptions(), jobs=jobs):
        results[index] = result
    return time.perf_counter() - start, results


def stream(paths: list[Path], jobs: int) -> float:
    """Seconds to audit ``paths`` as ``auditor check --format jsonl`` does (lines written)."""
    from auditor.api import AuditOptions
    from auditor.batch import run
    from auditor.render.outputs import Packed

    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        for _, (line, _counts) in run(
            paths, AuditOptions(), jobs=jobs, pack=Packed(line=True, rows=False)
        ):
            sink.write(line)
    return time.perf_counter() - start


def warm_up(folders: dict[str, Path]) -> None:
    """Load the rules and import each loader once (a batch pays this once per process)."""
    from auditor.api import AuditOptions, audit_path, ruleset_for

    ruleset_for(())
    for kind in KINDS:
        files = sorted(folders[kind].iterdir(), key=lambda p: p.stat().st_size)
        if files:
            audit_path(files[0], AuditOptions())


def measure_kind(
    kind: str, paths: list[Path], jobs: int, scanner: regex.Pattern[str], repeat: int
) -> dict[str, Any]:
    """Best of ``repeat`` rounds of: one core, all cores, floor (noise only slows down)."""
    one = many = floor_s = float("inf")
    results: list[dict[str, Any]] = []
    hits = 0
    for _ in range(repeat):
        seconds, results = audit(paths, 1)
        one = min(one, seconds)
        many = min(many, stream(paths, jobs) if jobs > 1 else seconds)
        seconds, hits = floor(kind, paths, scanner)
        floor_s = min(floor_s, seconds)
    n = len(paths)
    pages = sum(int(r.get("document", {}).get("pages") or 1) for r in results)
    statuses = Counter(r.get("status", "lost") for r in results)
    return {
        "files": n,
        "pages": pages if kind == "pdf" else None,
        "one_core_s": one,
        "one_core_docs_per_s": n / one,
        "one_core_ms_per_doc": 1000 * one / n,
        "all_cores_s": many,
        "all_cores_docs_per_s": n / many,
        "all_cores_pages_per_s": pages / many if kind == "pdf" else None,
        "one_core_pages_per_s": pages / one if kind == "pdf" else None,
        "floor_s": floor_s,
        "floor_ms_per_doc": 1000 * floor_s / n,
        "floor_hits_per_doc": hits / n,
        "audit_over_floor": one / floor_s if floor_s else None,
        "statuses": dict(statuses),
    }


# --- command line ---------------------------------------------------------------------


def _auditor_cmd() -> list[str]:
    script = Path(sys.executable).with_name("auditor")
    return [str(script)] if script.exists() else [sys.executable, "-m", "auditor"]


def _installed_env() -> dict[str, str]:
    """The environment of an installed copy: bytecode cached (pip compiles it on install)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def best_wall(cmd: list[str], repeat: int) -> float:
    """Best wall time of ``cmd`` after one warm-up run (which fills the bytecode cache)."""
    env = _installed_env()
    best = float("inf")
    for i in range(repeat + 1):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
        if i:
            best = min(best, time.perf_counter() - start)
    return best


def _tree_memory(root: int) -> dict[str, int]:
    """Memory in bytes of ``root`` and its descendants: PSS, anonymous PSS and the RSS sum,
    for the whole tree and for the root alone.

    PSS shares each page among the processes mapping it, so pages the forked workers share
    with the parent count once; the RSS sum counts them in every process. Anonymous PSS
    leaves out the mapped files (libraries), whose share moves with whatever else runs on
    the machine, so it is the steadier figure for comparing batch sizes.
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    total = dict.fromkeys(("pss", "anon", "rss", "parent_pss", "parent_anon"), 0)
    stack = [root]
    page = os.sysconf("SC_PAGE_SIZE")
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/statm") as fh:
                resident = int(fh.read().split()[1]) * page
        except OSError:
            continue
        pss, anon = _pss(pid, resident)
        total["rss"] += resident
        total["pss"] += pss
        total["anon"] += anon
        if pid == root:
            total["parent_pss"], total["parent_anon"] = pss, anon
    return total


def _pss(pid: int, fallback: int) -> tuple[int, int]:
    """``(PSS, anonymous PSS)`` of a process (its RSS for both when the kernel cannot say)."""
    found: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                key = line.split(":", 1)[0]
                if key in ("Pss", "Pss_Anon"):
                    found[key] = int(line.split()[1]) * 1024
    except OSError:
        pass
    pss = found.get("Pss", fallback)
    return pss, found.get("Pss_Anon", pss)


def batch_memory(folder: Path, jobs: int) -> dict[str, Any]:
    """Peak memory of ``auditor check FOLDER --format jsonl --out OUT``, whole process tree,
    and the parent's and the workers' share of it."""
    out = Path(tempfile.mkdtemp(prefix="auditor-bench-"))
    try:
        cmd = [*_auditor_cmd(), "check", str(folder), "--format", "jsonl", "--out", str(out)]
        cmd += ["--jobs", str(jobs), "--fail-on", "info"]
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, env=_installed_env()
        )
        peak: dict[str, int] = {}
        stop = threading.Event()

        def poll() -> None:
            while not stop.is_set():
                now = _tree_memory(proc.pid)
                now["workers_pss"] = now["pss"] - now["parent_pss"]
                now["workers_anon"] = now["anon"] - now["parent_anon"]
                for key, value in now.items():
                    peak[key] = max(peak.get(key, 0), value)
                stop.wait(0.05)

        watcher = threading.Thread(target=poll, daemon=True)
        watcher.start()
        _, err = proc.communicate()
        stop.set()
        watcher.join()
        wall = time.perf_counter() - start
        files = sum(1 for p in folder.iterdir() if p.is_file())
        lines = [json.loads(line) for p in out.glob("*.jsonl") for line in p.open(encoding="utf-8")]
        statuses = Counter(r.get("status", "?") for r in lines)
        mb = {key: value / 2**20 for key, value in peak.items()}
        return {
            "files": files,
            "results": len(lines),
            "exit_code": proc.returncode,
            "stderr_tail": err.decode("utf-8", "replace")[-300:] if proc.returncode > 1 else "",
            "wall_s": wall,
            "docs_per_s": files / wall,
            "peak_tree_pss_mb": mb.get("pss", 0.0),
            "peak_tree_anon_pss_mb": mb.get("anon", 0.0),
            "peak_tree_rss_sum_mb": mb.get("rss", 0.0),
            "peak_parent_pss_mb": mb.get("parent_pss", 0.0),
            "peak_workers_pss_mb": mb.get("workers_pss", 0.0),
            "peak_parent_anon_pss_mb": mb.get("parent_anon", 0.0),
            "peak_workers_anon_pss_mb": mb.get("workers_anon", 0.0),
            "statuses": dict(statuses),
        }
    finally:
        shutil.rmtree(out, ignore_errors=True)


# --- report ---------------------------------------------------------------------------


def budget(report: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """``(what, measured, met)`` for each budget item that was measured."""
    kinds, cli, mem = report["kinds"], report["cli"], report["memory"]
    rows = []
    if "text" in kinds:
        t = kinds["text"]
        rows.append(
            (
                "文本 ≥ 300 篇/秒（全部核心）",
                f"{t['all_cores_docs_per_s']:.0f}",
                t["all_cores_docs_per_s"] >= 300,
            )
        )
        rows.append(
            (
                "文本单核 ≤ 10× 下限（目标 5×）",
                f"{t['audit_over_floor']:.1f}×",
                t["audit_over_floor"] <= 10,
            )
        )
    if "docx" in kinds:
        d = kinds["docx"]
        rows.append(
            ("DOCX ≥ 50 篇/秒", f"{d['all_cores_docs_per_s']:.0f}", d["all_cores_docs_per_s"] >= 50)
        )
    if "pdf" in kinds:
        p = kinds["pdf"]
        rows.append(
            (
                "PDF ≥ 10 页/秒（含表格）",
                f"{p['all_cores_pages_per_s']:.1f}",
                p["all_cores_pages_per_s"] >= 10,
            )
        )
    rows.append(("auditor --help < 0.2 秒", f"{cli['help_s']:.3f} s", cli["help_s"] < 0.2))
    rows.append(
        ("auditor check one.txt < 0.5 秒", f"{cli['check_one_s']:.3f} s", cli["check_one_s"] < 0.5)
    )
    if mem:
        small, large = mem["small"], mem["large"]
        more = large["peak_tree_anon_pss_mb"] - small["peak_tree_anon_pss_mb"]
        lost = large["results"] != large["files"] or small["results"] != small["files"]
        rows.append((
            f"内存随批量持平（{large['files']} 篇比 {small['files']} 篇多 ≤ 3 MB，匿名 PSS）",
            f"{large['peak_tree_anon_pss_mb']:.1f} / {small['peak_tree_anon_pss_mb']:.1f} MB"
            f"（+{more:.1f} MB）",
            more <= 3 and not lost,
        ))  # fmt: skip
    return rows


def show(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(
        title=f"ogi-auditor benchmark ({report['mode']}, {report['machine']['cpus']} cores)"
    )
    for col in ("kind", "files", "1 core docs/s", "1 core ms/doc", f"{report['jobs']} cores docs/s",
                "pages/s", "floor ms/doc", "audit/floor", "statuses"):  # fmt: skip
        table.add_column(col, justify="left" if col in ("kind", "statuses") else "right")
    for kind, m in report["kinds"].items():
        table.add_row(
            LABELS[kind],
            str(m["files"]),
            f"{m['one_core_docs_per_s']:.1f}",
            f"{m['one_core_ms_per_doc']:.1f}",
            f"{m['all_cores_docs_per_s']:.1f}",
            f"{m['all_cores_pages_per_s']:.1f}" if m["pages"] else "",
            f"{m['floor_ms_per_doc']:.2f}",
            f"{m['audit_over_floor']:.1f}×",
            " ".join(f"{k}:{v}" for k, v in sorted(m["statuses"].items())),
        )
    console.print(table)
    cli = report["cli"]
    console.print(
        f"CLI start-up (best of {cli['repeat']}, bytecode cached): auditor --help "
        f"{cli['help_s'] * 1000:.0f} ms, auditor check one.txt {cli['check_one_s'] * 1000:.0f} ms "
        f"(python -c pass: {cli['python_s'] * 1000:.0f} ms)"
    )
    for label, m in (report["memory"] or {}).items():
        console.print(
            f"JSONL batch ({label}): {m['files']} files → {m['results']} results in {m['wall_s']:.1f} s "
            f"({m['docs_per_s']:.0f} docs/s), peak memory of the process tree: PSS "
            f"{m['peak_tree_pss_mb']:.0f} MB (anonymous {m['peak_tree_anon_pss_mb']:.1f} MB; "
            f"parent {m['peak_parent_pss_mb']:.0f}, workers {m['peak_workers_pss_mb']:.0f}; "
            f"RSS sum {m['peak_tree_rss_sum_mb']:.0f} MB), exit {m['exit_code']}"
        )
    console.print(
        f"floor phrase scan: one alternation of {report['floor_phrases']} literal phrases"
    )
    budget_table = Table(title="budget")
    for col in ("item", "measured", "met"):
        budget_table.add_column(col)
    for what, measured, met in budget(report):
        budget_table.add_row(what, measured, "[green]yes[/]" if met else "[red]no[/]")
    console.print(budget_table)


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, cwd=ROOT, check=True
        )
        return out.stdout.decode().strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ogi-auditor benchmark")
    parser.add_argument("--short", action="store_true", help="CI smoke run: a few files per kind")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--no-memory", action="store_true", help="skip the batch memory test")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json", help="JSON output")
    args = parser.parse_args(argv)

    sizes = SHORT if args.short else FULL
    folders = build(sizes)
    scanner, n_phrases = phrase_scanner()
    warm_up(folders)
    kinds: dict[str, Any] = {}
    for kind in args.kinds:
        paths = sorted(folders[kind].iterdir())
        if args.short:
            paths = sorted(paths, key=lambda p: p.stat().st_size)[: SHORT_LIMIT[kind]]
        kinds[kind] = measure_kind(kind, paths, args.jobs, scanner, 1 if args.short else 2)
    repeat = 1 if args.short else 7
    cli = {
        "repeat": repeat,
        "python_s": best_wall([sys.executable, "-c", "pass"], repeat),
        "help_s": best_wall([*_auditor_cmd(), "--help"], repeat),
        "check_one_s": best_wall(
            [*_auditor_cmd(), "check", str(ONE_TXT), "--format", "json"], repeat
        ),
    }
    memory = None
    if not args.no_memory:
        memory = {
            "small": batch_memory(folders["text"], args.jobs),
            "large": batch_memory(folders["big"], args.jobs),
        }
    report = {
        "mode": "short" if args.short else "full",
        "jobs": args.jobs,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "commit": _git_commit(),
        "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "floor_phrases": n_phrases,
        "kinds": kinds,
        "cli": cli,
        "memory": memory,
        "budget": [
            {"item": w, "measured": m, "met": ok}
            for w, m, ok in budget({"kinds": kinds, "cli": cli, "memory": memory})
        ],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8")
    show(report)
    print(f"JSON: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
