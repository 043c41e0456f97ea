"""Read any supported input into an analysed :class:`Document`.

load (format-specific) → normalise (offset map) → page metadata and body start → tables
(grids from the loader, else flattened digit runs, plus 2008-era statistics tables) →
sections (outside tables) → title, agency, year, kind, regime, issuer type, dates.
"""

from __future__ import annotations

import bisect
from pathlib import Path

import regex

from auditor.document import classify, flattened, stats, tables
from auditor.document.loaders import load, load_bytes
from auditor.document.metadata import body_start, read_page_meta
from auditor.document.model import Document, RawDocument, Table
from auditor.document.normalise import normalise
from auditor.document.sections import find_sections

_REGIME_OVERRIDE_SOURCE = "用户指定"
_PERIOD_YEAR = regex.compile(r"统计(?:期限|时限|时间|区间)[^。]{0,12}?(?P<y>(?:19|20)\d\d)\s*年")


def read(
    path: str | Path, *, regime: str | None = None, issuer_type: str | None = None
) -> Document:
    """Read and analyse a file."""
    return analyse(load(path), regime=regime, issuer_type=issuer_type)


def read_bytes(
    data: bytes, name: str, *, regime: str | None = None, issuer_type: str | None = None
) -> Document:
    """Read and analyse a document given as bytes (uploads)."""
    return analyse(load_bytes(data, name), regime=regime, issuer_type=issuer_type)


def read_text(text: str, name: str = "<text>", **overrides: str | None) -> Document:
    """Analyse a text given as a string (rule examples, pasted text)."""
    raw = RawDocument(name, "txt", text=text, encoding="utf-8")
    return analyse(raw, **overrides)


def analyse(
    raw: RawDocument, *, regime: str | None = None, issuer_type: str | None = None
) -> Document:
    """Turn a loader's RawDocument into an analysed Document."""
    doc = Document(
        source=raw.source,
        format=raw.format,
        status=raw.status,
        message=raw.message,
        encoding=raw.encoding,
        sha256=raw.sha256,
        pages=raw.pages,
        warnings=list(raw.warnings),
    )
    if raw.status != "ok":
        return doc
    if not raw.text.strip():
        doc.status = "empty"
        doc.message = doc.message or "没有读到任何文字内容"
        return doc
    doc.original = raw.text
    doc.text, doc.offsets, doc.script = normalise(raw.text)
    doc.meta = read_page_meta(raw.text, raw.meta)
    doc.body_start = _to_norm(doc.offsets, max(raw.meta.body_start, body_start(raw.text)))
    doc.tables = _tables(doc, raw)
    skip = [(t.start, t.end) for t in doc.tables if t.start >= 0]
    doc.sections = find_sections(doc.text, doc.body_start, skip)
    _describe(doc, regime, issuer_type)
    return doc


def _to_norm(offsets: list[int], original_pos: int) -> int:
    """The first normalised index whose original index is at or after ``original_pos``."""
    return bisect.bisect_left(offsets, original_pos, 0, len(offsets) - 1)


def _tables(doc: Document, raw: RawDocument) -> list[Table]:
    found: list[Table] = []
    for grid in tables.merge_continuations(raw.grids):
        table = tables.recognise(grid)
        table.start = _to_norm(doc.offsets, grid.start)
        table.end = _to_norm(doc.offsets, grid.end)
        _place_cells(doc, table)
        found.append(table)
    standard = {t.kind for t in found if t.kind in ("table2", "table3", "table4")}
    if len(standard) < 3:
        for table in flattened.recover(doc.text):
            if table.kind not in standard:
                found.append(table)
    if not standard:
        found.extend(stats.read_stats(doc.text))
    found.sort(key=lambda t: t.start)
    return found


def _place_cells(doc: Document, table: Table) -> None:
    """Give grid cells normalised offsets when their text can be found in the table's span."""
    cursor = table.start
    for cell in table.cells.values():
        if cell.start >= 0 or not cell.raw.strip():
            continue
        pos = doc.text.find(cell.raw.strip(), cursor, table.end)
        if pos >= 0:
            cell.start, cell.end = pos, pos + len(cell.raw.strip())
            cursor = cell.end


def _describe(doc: Document, regime: str | None, issuer_type: str | None) -> None:
    title, _ = classify.report_title(doc)
    doc.title = title
    doc.agency = classify.agency_from_title(title) or doc.meta.issuer
    if (
        doc.meta.issuer
        and doc.agency
        and len(doc.meta.issuer) > len(doc.agency)
        and doc.agency in doc.meta.issuer
    ):
        doc.agency = doc.meta.issuer
    doc.signed, doc.signed_span = classify.signature_date(doc)
    doc.agency = (
        doc.agency or classify.agency_from_signature(doc) or classify.agency_from_preamble(doc)
    )
    doc.kind, doc.kind_reason = classify.classify_kind(doc, title)
    doc.year = classify.title_year(title)
    doc.year_source = "title" if doc.year else None
    if doc.year is None:
        doc.year, doc.year_source = _year_from_period(doc)
    doc.regime = regime or classify.regime_for(doc.year)
    doc.regime_source = (
        _REGIME_OVERRIDE_SOURCE if regime else ("report_year" if doc.regime else None)
    )
    doc.issuer_type = issuer_type or classify.issuer_type(doc.agency, title)
    if doc.meta.published:
        doc.published, doc.published_source = doc.meta.published, "page_metadata"
    elif doc.signed:
        doc.published, doc.published_source = doc.signed, "signature"
    doc.declared_parts, doc.declared_parts_span = classify.declared_parts(doc)
    doc.appendix = classify.has_appendix(doc)
    doc.has_contact = classify.has_contact(doc)
    doc.has_access = classify.has_access(doc)


def _year_from_period(doc: Document) -> tuple[int | None, str | None]:
    """The report year from the statistical-period sentence when the title has none."""
    m = _PERIOD_YEAR.search(doc.text)
    if m:
        return int(m["y"]), "period"
    return None, None
