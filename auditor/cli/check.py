"""``auditor check PATH...``: audit files, folders and globs; write the chosen formats."""

from __future__ import annotations

import argparse
import sys
from itertools import chain
from pathlib import Path

SEVERITIES = ["critical", "major", "minor", "info"]
FORMATS = ["terminal", "json", "jsonl", "html", "csv", "xlsx"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="文件、文件夹（递归）或通配符")
    parser.add_argument(
        "--format",
        action="append",
        choices=FORMATS,
        dest="formats",
        help="输出格式，可重复；默认在终端显示摘要，否则输出 JSON",
    )
    parser.add_argument("--out", type=Path, help="输出目录（写入各格式的文件）")
    parser.add_argument(
        "--jobs", "-j", type=int, default=None, help="并行进程数（默认：全部 CPU 核心）"
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="单个文件的审查时限（秒）")
    parser.add_argument(
        "--fail-on", choices=SEVERITIES, default="critical", help="达到该级别的问题即返回 1"
    )
    parser.add_argument(
        "--rules", action="append", default=[], metavar="DIR_OR_FILE", help="附加的规则文件或目录"
    )
    parser.add_argument("--waivers", metavar="FILE", help="豁免清单（YAML）")
    parser.add_argument("--profile", help="指定规则配置（默认按报告年度和机关类型自动选择）")
    parser.add_argument(
        "--regime", choices=["ogi-2008", "ogi-2019", "ogi-2021"], help="指定适用制度"
    )
    parser.add_argument(
        "--issuer-type", choices=["government", "department"], help="指定发布机关类型"
    )
    parser.add_argument("--templates", type=Path, help="自定义 HTML 模板目录（覆盖默认模板的区块）")
    parser.add_argument("--verbose", "-v", action="store_true", help="终端显示证据和通过的规则")


def run(args: argparse.Namespace) -> int:
    from auditor.api import AuditOptions, ruleset_for
    from auditor.inputs import iter_inputs
    from auditor.ruleset import RuleSetError
    from auditor.ruleset.waivers import load_waivers

    try:
        ruleset_for(tuple(args.rules))
        if args.waivers:
            load_waivers(args.waivers)
    except RuleSetError as exc:
        print("规则文件或豁免清单有错误：", file=sys.stderr)
        for err in exc.errors:
            print(f"  {err}", file=sys.stderr)
        return 2
    paths = iter_inputs(args.paths)  # lazy: a folder of any size is never listed whole
    first = next(paths, None)
    if first is None:
        print("没有找到要审查的文件。", file=sys.stderr)
        return 2
    formats = args.formats or (["terminal"] if sys.stdout.isatty() else ["json"])
    if args.out is None and len([f for f in formats if f != "terminal"]) > 1:
        print("同时输出多种格式时请用 --out 指定输出目录。", file=sys.stderr)
        return 2
    if args.out is None and any(f in ("html", "xlsx") for f in formats):
        print("html 和 xlsx 格式需要用 --out 指定输出目录。", file=sys.stderr)
        return 2
    options = AuditOptions(
        rules=tuple(args.rules),
        waivers=args.waivers,
        profile=args.profile,
        regime=args.regime,
        issuer_type=args.issuer_type,
    )
    from auditor.render.outputs import write_outputs

    results = write_outputs(
        chain([first], paths),
        options,
        formats=formats,
        out=args.out,
        jobs=args.jobs,
        timeout=args.timeout,
        templates=args.templates,
        verbose=args.verbose,
    )
    return exit_code(results, args.fail_on)


def exit_code(summaries: list[dict], fail_on: str) -> int:
    """1 when any document failed a rule at or above ``fail_on``, else 0."""
    worst = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
    failed = any(s.get("counts", {}).get(sev) for s in summaries for sev in worst)
    return 1 if failed else 0
