"""``auditor serve``: the local self-check web page and HTTP API."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，仅本机可访问）"
    )
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    parser.add_argument(
        "--max-upload-mb", type=float, default=20.0, help="上传大小上限（MB，默认 20）"
    )
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="单份报告的审查时限（秒，默认 60）"
    )
    parser.add_argument(
        "--workers", type=int, default=0, help="审查进程数（默认：CPU 核心数，最多 4）"
    )
    parser.add_argument(
        "--store", type=Path, metavar="DIR", help="把上传的文件和审查结果存档到此目录（默认不保存）"
    )
    parser.add_argument("--templates", type=Path, help="自定义 HTML 模板目录（覆盖默认模板的区块）")


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from auditor.web.app import create_app
    except ImportError as exc:
        print(
            f"网页服务需要安装 web 组件：pip install 'ogi-auditor[web]'（缺少 {exc.name}）",
            file=sys.stderr,
        )
        return 2
    from auditor.web.settings import Settings

    if args.max_upload_mb <= 0 or args.timeout <= 0:
        print("--max-upload-mb 和 --timeout 必须大于 0。", file=sys.stderr)
        return 2
    if args.store is not None:
        try:
            args.store.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            print(f"无法创建存档目录 {args.store}：{exc.strerror or exc}", file=sys.stderr)
            return 2
    settings = Settings(
        host=args.host,
        port=args.port,
        max_upload_mb=args.max_upload_mb,
        timeout=args.timeout,
        workers=args.workers,
        store=args.store,
        templates=args.templates,
    )
    shown = f"[{settings.host}]" if ":" in settings.host else settings.host
    print(f"年度报告自查网页：http://{shown}:{settings.port}/  （按 Ctrl+C 停止）", file=sys.stderr)
    if settings.host not in ("127.0.0.1", "localhost", "::1"):
        print("注意：服务对其他计算机开放，请确认只在内部网络中使用。", file=sys.stderr)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
    return 0
