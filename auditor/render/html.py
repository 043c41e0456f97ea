"""HTML audit pages and the batch index, rendered with the Jinja2 templates in ``reports/``.

An office brands the pages with its own template folder (``--templates DIR``): a file there
replaces ours of the same name, and ``{% extends "default:base.html" %}`` reaches our original
so that only some blocks need overriding.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path, PurePath
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined

from auditor.render.presenter import document_view, index_view
from auditor.resources import reports_dir

DOCS_DIR = "docs"


def make_environment(templates: Path | None = None) -> Environment:
    """A Jinja2 environment over the user's templates (if any), then ours."""
    ours = FileSystemLoader(str(reports_dir()))
    loaders = [FileSystemLoader(str(templates))] if templates else []
    loaders += [ours, PrefixLoader({"default": ours}, delimiter=":")]
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class HtmlRenderer:
    """Renders pages to strings (used by the batch writer and by the web page)."""

    def __init__(self, templates: Path | None, run_info: dict[str, Any]) -> None:
        self.env = make_environment(templates)
        self.run_info = run_info
        self._document = self.env.get_template("document.html")
        self._index = self.env.get_template("index.html")

    def document(self, result: dict[str, Any], index_link: str = "") -> str:
        """One self-contained audit page."""
        view = document_view(result, self.run_info, index_link=index_link)
        return self._document.render(doc=view)

    def index(self, summaries: list[dict[str, Any]], generated: str = "") -> str:
        """The batch index; each summary may carry ``page`` (link relative to the index)."""
        return self._index.render(batch=index_view(summaries, self.run_info, generated=generated))


class HtmlWriter:
    """Writes ``out/docs/NNN-name.html`` per document and ``out/index.html`` for the batch."""

    def __init__(self, out: Path, templates: Path | None, run_info: dict[str, Any]) -> None:
        self.out = out
        self.renderer = HtmlRenderer(templates, run_info)
        self.generated = datetime.now().strftime("%Y-%m-%d %H:%M")
        (out / DOCS_DIR).mkdir(parents=True, exist_ok=True)

    def write_document(self, index: int, result: dict[str, Any]) -> str:
        """Write one page and return its path relative to ``out``."""
        source = (result.get("document") or {}).get("source") or ""
        relative = f"{DOCS_DIR}/{index + 1:03d}-{page_name(source)}.html"
        html = self.renderer.document(result, index_link="../index.html")
        (self.out / relative).write_text(html, encoding="utf-8")
        return relative

    def write_index(self, summaries: list[dict[str, Any]]) -> None:
        html = self.renderer.index(summaries, generated=self.generated)
        (self.out / "index.html").write_text(html, encoding="utf-8")


def page_name(source: str) -> str:
    """A file-system-safe page name from an input's file name (letters of any script kept)."""
    stem = PurePath(source).name
    stem = re.sub(r"[^\w.-]+", "-", stem, flags=re.UNICODE).strip("-.")
    return stem[:60] or "document"
