"""``auditor rules list | show ID | validate [PATH...] | test [ID...] | docs [--out FILE]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rules", action="append", default=[], metavar="DIR_OR_FILE", help="附加的规则文件或目录"
    )
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    sub.add_parser("list", help="列出全部规则")
    show = sub.add_parser("show", help="显示一条规则的完整定义")
    show.add_argument("rule_id", metavar="ID")
    validate = sub.add_parser("validate", help="校验规则文件（默认：内置规则）")
    validate.add_argument("paths", nargs="*", metavar="PATH")
    test = sub.add_parser("test", help="运行规则自带的通过/不通过示例")
    test.add_argument("ids", nargs="*", metavar="ID")
    docs = sub.add_parser("docs", help="生成规则目录（Markdown）")
    docs.add_argument("--out", type=Path, help="输出文件（默认：标准输出）")


def run(args: argparse.Namespace) -> int:
    from auditor.ruleset import RuleSetError, load_ruleset, validate

    if args.action == "validate":
        errors = validate([*args.rules, *args.paths])
        for error in errors:
            print(error, file=sys.stderr)
        if errors:
            print(f"共 {len(errors)} 处错误。", file=sys.stderr)
            return 2
        print("规则文件全部有效。")
        return 0
    try:
        ruleset = load_ruleset(args.rules)
    except RuleSetError as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        return 2
    return {"list": _list, "show": _show, "test": _test, "docs": _docs}[args.action](ruleset, args)


def _list(ruleset: Any, args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from auditor.labels import CATEGORY_LABELS, SEVERITY_LABELS

    table = Table(title=f"规则集 {ruleset.version}（{len(ruleset.rules)} 条）", header_style="bold")
    for col in ("编号", "级别", "权重", "类别", "适用", "标题"):
        table.add_column(col)
    for rule in ruleset.rules:
        regimes = ",".join(rule.applies.regimes or []) or "全部"
        table.add_row(
            rule.id,
            SEVERITY_LABELS.get(rule.severity, rule.severity),
            f"{rule.weight:g}",
            CATEGORY_LABELS.get(rule.category, rule.category),
            regimes,
            rule.title,
        )
    Console(width=None if sys.stdout.isatty() else 200).print(table)
    return 0


def _find(ruleset: Any, rule_id: str) -> Any:
    return next((r for r in ruleset.rules if r.id == rule_id or rule_id in (r.aliases or [])), None)


def _show(ruleset: Any, args: argparse.Namespace) -> int:
    import yaml

    rule = _find(ruleset, args.rule_id)
    if rule is None:
        print(f"没有编号为 {args.rule_id} 的规则。", file=sys.stderr)
        return 2
    data = _pruned(rule.to_json())
    header = ("id", "title", "category", "basis", "severity", "weight", "applies", "kind")
    data = {**{k: data[k] for k in header if k in data}, **data}
    print(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))
    return 0


def _pruned(value: Any) -> Any:
    """JSON data without null or empty values (what a rule author would have written)."""
    if isinstance(value, dict):
        pruned = {k.removesuffix("_"): _pruned(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def _test(ruleset: Any, args: argparse.Namespace) -> int:
    from auditor.testing import run_examples

    rules = [r for r in ruleset.rules if not args.ids or r.id in args.ids]
    failures = 0
    total = 0
    for rule in rules:
        for outcome in run_examples(rule, ruleset):
            total += 1
            if not outcome.ok:
                failures += 1
                print(
                    f"未通过 {outcome.rule}::{outcome.label}：期望 {outcome.expected}，实际 {outcome.actual}。{outcome.message}"
                )
    print(f"{total - failures} passed, {failures} failed")
    return 1 if failures else 0


def _docs(ruleset: Any, args: argparse.Namespace) -> int:
    from auditor.render.catalog import render_catalog

    text = render_catalog(ruleset)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"已写入 {args.out}")
    else:
        sys.stdout.write(text)
    return 0
