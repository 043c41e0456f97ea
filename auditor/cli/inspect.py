"""``auditor inspect FILE...``: show what was read."""

from __future__ import annotations

import argparse
import json
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="文件、文件夹或通配符")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    parser.add_argument(
        "--regime", choices=["ogi-2008", "ogi-2019", "ogi-2021"], help="指定适用制度"
    )
    parser.add_argument(
        "--issuer-type", choices=["government", "department"], help="指定发布机关类型"
    )


def run(args: argparse.Namespace) -> int:
    from auditor.document.reader import read
    from auditor.inputs import iter_inputs

    docs = [
        read(p, regime=args.regime, issuer_type=args.issuer_type) for p in iter_inputs(args.paths)
    ]
    if args.json:
        json.dump(
            {"documents": [d.to_json() for d in docs]}, sys.stdout, ensure_ascii=False, indent=2
        )
        sys.stdout.write("\n")
    else:
        from auditor.render.inspect_view import print_documents

        print_documents(docs)
    return 0 if all(d.status == "ok" for d in docs) else 1
