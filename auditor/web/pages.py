"""HTML pages of the web service, rendered with the same Jinja2 templates as the CLI.

The audit page is ``document.html`` itself, extended by ``web/result.html`` with download
buttons and a link back to the upload form; the upload form, the error page and the API
reference live in ``reports/web/``.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Environment

from auditor.web.settings import ISSUER_TYPES, REGIMES, Settings, size_label


@dataclass(frozen=True, slots=True)
class Download:
    """A file offered for download, embedded in the page (nothing stays on the server)."""

    label: str
    filename: str
    mime: str
    payload: str  # base64

    @classmethod
    def of(cls, label: str, filename: str, mime: str, data: bytes) -> Download:
        return cls(label, filename, mime, base64.b64encode(data).decode("ascii"))


@lru_cache(maxsize=4)
def environment(templates: str | None = None) -> Environment:
    """The shared Jinja2 environment (user templates first, then ours), one per process."""
    from pathlib import Path

    from auditor.render.html import make_environment

    return make_environment(Path(templates) if templates else None)


def run_info() -> dict[str, Any]:
    """Rule-set version and scoring formula shown at the foot of audit pages."""
    from auditor.api import ruleset_for
    from auditor.scoring import FORMULA

    ruleset = ruleset_for(())
    return {"ruleset": {"version": ruleset.version, "hash": ruleset.hash}, "scoring": FORMULA}


def upload_page(settings: Settings, *, error: str = "", form: dict[str, str] | None = None) -> str:
    """The upload form; ``error`` is shown above it and ``form`` refills the fields."""
    template = environment(_templates(settings)).get_template("web/upload.html")
    return template.render(
        error=error,
        form={"text": "", "regime": "", "issuer_type": "", **(form or {})},
        regimes=REGIMES,
        issuer_types=ISSUER_TYPES,
        max_upload=size_label(settings.max_upload_bytes),
        max_upload_bytes=settings.max_upload_bytes,
        timeout=f"{settings.timeout:g}",
        storing=settings.store is not None,
    )


def error_page(settings: Settings, status: int, message: str) -> str:
    """A plain page for errors outside the upload form (unknown address and the like)."""
    template = environment(_templates(settings)).get_template("web/error.html")
    return template.render(status=status, message=message)


def result_page(result: dict[str, Any], downloads: list[Download], templates: str | None) -> str:
    """The audit page the CLI writes, plus download buttons and a link to audit another file."""
    from auditor.render.presenter import document_view

    view = document_view(result, run_info())
    return (
        environment(templates).get_template("web/result.html").render(doc=view, downloads=downloads)
    )


def api_docs_page(settings: Settings, schema: dict[str, Any], base_url: str) -> str:
    """An offline API reference built from the OpenAPI schema (no CDN scripts)."""
    template = environment(_templates(settings)).get_template("web/api_docs.html")
    return template.render(api=schema, operations=_operations(schema), base_url=base_url)


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    ops = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            body = (op.get("requestBody") or {}).get("content", {})
            form = body.get("multipart/form-data", {}).get("schema", {})
            ops.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": _code_spans(op.get("description", "")),
                    "fields": [
                        {
                            "name": name,
                            "kind": "文件" if spec.get("format") == "binary" else "文本",
                            "choices": "、".join(spec.get("enum", [])),
                            "description": spec.get("description", ""),
                        }
                        for name, spec in form.get("properties", {}).items()
                    ],
                    "responses": [
                        (code, resp.get("description", ""))
                        for code, resp in op.get("responses", {}).items()
                    ],
                }
            )
    return ops


def _code_spans(text: str) -> list[tuple[str, bool]]:
    """Markdown-style text cut at backticks: ``(piece, is_code)`` pairs."""
    return [(piece, index % 2 == 1) for index, piece in enumerate(text.split("`")) if piece]


def _templates(settings: Settings) -> str | None:
    return str(settings.templates) if settings.templates else None
