"""Rich tree of what the reader found in a document (``auditor inspect``)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable
from rich.tree import Tree

from auditor.document.model import Document, Table
from auditor.labels import KIND_LABELS, READ_STATUS_LABELS


def document_tree(doc: Document) -> Tree:
    tree = Tree(
        f"[bold]{doc.source}[/]  [dim]{doc.format} · {doc.encoding or '-'} · {doc.script}[/]"
    )
    status = READ_STATUS_LABELS.get(doc.status, doc.status)
    if doc.status != "ok":
        tree.add(f"[red]{status}[/]：{doc.message}")
        return tree
    meta = tree.add("[bold]基本信息[/]")
    meta.add(f"标题：{doc.title or '（未识别）'}")
    meta.add(f"发布机关：{doc.agency or '（未识别）'} · 类型：{doc.issuer_type or '-'}")
    meta.add(f"报告年度：{doc.year or '（未识别）'} · 适用制度：{doc.regime or '-'}")
    meta.add(
        f"发布日期：{doc.published or '（未知）'}（来源：{doc.published_source or '-'}）· 落款日期：{doc.signed or '-'}"
    )
    meta.add(
        f"联系方式：{'有' if doc.has_contact else '无'} · 获取途径：{'有' if doc.has_access else '无'}"
    )
    kind = tree.add(f"[bold]文档类型[/]：{KIND_LABELS.get(doc.kind, doc.kind)}")
    kind.add(f"[dim]{doc.kind_reason}[/]")
    parts = tree.add(
        f"[bold]章节[/]：声明 {doc.declared_parts if doc.declared_parts is not None else '-'} 部分，"
        f"实有 {len(doc.top_sections())} 个一级标题"
    )
    for sec in doc.sections:
        if sec.level <= 2:
            indent = "  " * (sec.level - 1)
            parts.add(f"{indent}{sec.number} {sec.title}  [dim]@{sec.start}–{sec.end}[/]")
    if doc.tables:
        tabs = tree.add(f"[bold]表格[/]：{len(doc.tables)} 个")
        for table in doc.tables:
            tabs.add(_table_view(table))
    for warning in doc.warnings:
        tree.add(f"[yellow]注意[/]：{warning}")
    return tree


def _table_view(table: Table) -> RichTable:
    title = f"{table.kind} {table.version or ''} ({table.source}, {table.rows}×{table.cols})"
    view = RichTable(title=title, show_header=True, header_style="bold")
    view.add_column("单元格")
    view.add_column("原文")
    view.add_column("数值", justify="right")
    rows = list(table.cells.items())[:40] if table.cells else []
    for key, cell in rows:
        flag = " [yellow]?[/]" if key in table.ambiguous else ""
        view.add_row(key + flag, cell.raw, "" if cell.value is None else str(cell.value))
    for label, cell in table.pairs[:40]:
        view.add_row(label, cell.raw, "" if cell.value is None else str(cell.value))
    if table.unresolved:
        view.caption = "未能拆分：" + "、".join(table.unresolved)
    return view


def print_documents(docs: list[Document], console: Console | None = None) -> None:
    console = console or Console()
    for doc in docs:
        console.print(document_tree(doc))
