"""The ``auditor`` command: a thin argparse layer over the library.

Each sub-command lives in its own module and imports what it needs lazily, so that
``auditor --help`` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# sub-command → module implementing ``add_arguments(parser)`` and ``run(args) -> int``
COMMANDS = {
    "check": ("auditor.cli.check", "审查年度报告，给出得分和问题清单"),
    "inspect": ("auditor.cli.inspect", "显示读取结果：元数据、文档类型、章节、表格"),
    "rules": ("auditor.cli.rules", "规则管理：列出、查看、校验、测试、生成规则目录"),
    "serve": ("auditor.cli.serve", "启动本地自查网页服务"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="auditor",
        description="政府信息公开工作年度报告审查工具 (ogi-auditor)",
    )
    parser.add_argument("--version", action="store_true", help="显示版本号")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(_module=module)
        # arguments are added lazily in main() for the chosen command only
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    if argv and argv[0] in COMMANDS:
        module = importlib.import_module(COMMANDS[argv[0]][0])
        sub = argparse.ArgumentParser(prog=f"auditor {argv[0]}", description=COMMANDS[argv[0]][1])
        module.add_arguments(sub)
        args = sub.parse_args(argv[1:])
        try:
            return int(module.run(args) or 0)
        except KeyboardInterrupt:
            return 130
        except BrokenPipeError:  # output piped into `head` and the like
            sys.stderr.close()
            return 0
    args = parser.parse_args(argv)
    if args.version:
        from auditor import __version__

        print(__version__)
        return 0
    parser.print_help()
    return 0 if not argv else 2
