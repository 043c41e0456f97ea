"""The structured document every loader produces and every rule reads.

Two layers:

* :class:`RawDocument` is what a loader returns: the text in its original characters,
  the tables it found as grids (anchored at character offsets in that text), page metadata
  and warnings. Loaders do not interpret the report.
* :class:`Document` is the analysed form: normalised text with an offset map back to the
  original, sections, recognised tables with canonical cell keys, metadata, kind and regime.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["ok", "unreadable", "unsupported", "no_text_layer", "empty", "error"]
Kind = Literal[
    "annual_report", "self_inspection", "work_summary", "notice", "guide", "template", "other"
]
Regime = Literal["ogi-2008", "ogi-2019", "ogi-2021"]
IssuerType = Literal["government", "department"]
TableKind = Literal["table2", "table3", "table4", "stats", "other"]


@dataclass(slots=True)
class Grid:
    """A table as loaded: rows of cell strings with row/col spans already expanded.

    ``start``/``end`` are offsets in the raw (original) text where the table's text stands;
    loaders write every table's cells into the text too, so text search still sees them.
    ``spanned`` marks cells that repeat a merged neighbour's text (so labels are not counted
    twice as values).
    """

    rows: list[list[str]]
    start: int = 0
    end: int = 0
    page: int | None = None
    spanned: set[tuple[int, int]] = field(default_factory=set)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass(slots=True)
class PageMeta:
    """Metadata block of a government web page (索引号 / 发布机构 / 发布日期 …)."""

    title: str | None = None
    issuer: str | None = None
    published: str | None = None  # ISO date
    written: str | None = None  # 成文日期, ISO date
    index_no: str | None = None
    source: str | None = None
    url: str | None = None
    body_start: int = 0  # offset in raw text where the report body starts (after the block)


@dataclass(slots=True)
class RawDocument:
    """What a loader returns."""

    source: str
    format: str  # txt | md | html | docx | pdf | unknown
    text: str = ""
    encoding: str | None = None
    status: Status = "ok"
    message: str = ""
    grids: list[Grid] = field(default_factory=list)
    meta: PageMeta = field(default_factory=PageMeta)
    warnings: list[str] = field(default_factory=list)
    pages: int | None = None
    sha256: str = ""


@dataclass(slots=True)
class Section:
    """A heading and the text it governs, in normalised-text offsets."""

    number: str  # as written, e.g. "三", "(二)", "2", "第三部分"
    ordinal: int  # numeric value of the number (三 → 3)
    level: int  # 1 = top-level part
    title: str
    start: int  # start of the heading
    end: int  # end of the section body (start of the next heading of same or higher level)
    title_end: int  # end of the heading title

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "level": self.level,
            "title": self.title,
            "start": self.start,
            "end": self.end,
        }


@dataclass(slots=True)
class CellValue:
    """One recognised table cell: raw text, parsed number and where it stands."""

    raw: str  # text as written ("" for a blank cell, "/" , "—", "0", "12")
    value: float | int | None  # None for blank, "/", "—" or unparseable
    start: int = -1  # offset in normalised text, -1 when unknown
    end: int = -1

    @property
    def blank(self) -> bool:
        return self.raw.strip() == ""


@dataclass(slots=True)
class Table:
    """A table recognised in the document."""

    kind: TableKind
    rows: int
    cols: int
    cells: dict[str, CellValue]  # canonical key → value (standard tables)
    grid: list[list[str]] = field(default_factory=list)
    row_labels: list[str] = field(default_factory=list)
    col_labels: list[str] = field(default_factory=list)
    version: str | None = None  # "2019" | "2021" for standard tables
    source: str = "grid"  # grid | flattened
    ambiguous: list[str] = field(default_factory=list)  # canonical keys not settled
    unresolved: list[str] = field(default_factory=list)  # rows whose digits fit no split
    start: int = -1
    end: int = -1
    page: int | None = None
    pairs: list[tuple[str, CellValue]] = field(default_factory=list)  # stats tables

    def value(self, key: str) -> float | int | None:
        """The parsed value of a canonical cell (None when blank or absent)."""
        cell = self.cells.get(key)
        return None if cell is None else cell.value

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "version": self.version,
            "source": self.source,
            "rows": self.rows,
            "cols": self.cols,
            "cells": {k: {"raw": c.raw, "value": c.value} for k, c in self.cells.items()},
            "pairs": [[label, c.raw, c.value] for label, c in self.pairs],
            "ambiguous": self.ambiguous,
            "unresolved": self.unresolved,
            "grid": self.grid,
            "start": self.start,
            "end": self.end,
        }


@dataclass(slots=True)
class Document:
    """A read and analysed document."""

    source: str
    format: str
    status: Status
    message: str = ""
    encoding: str | None = None
    sha256: str = ""
    original: str = ""  # text in its original characters
    text: str = ""  # normalised text (NFKC, Simplified, whitespace tidied)
    offsets: list[int] = field(default_factory=list)  # normalised index → original index
    script: Literal["hans", "hant"] = "hans"
    pages: int | None = None
    meta: PageMeta = field(default_factory=PageMeta)
    title: str | None = None
    agency: str | None = None
    kind: Kind = "other"
    kind_reason: str = ""
    year: int | None = None
    year_source: str | None = None
    regime: Regime | None = None
    regime_source: str | None = None
    issuer_type: IssuerType | None = None
    published: str | None = None
    published_source: str | None = None  # page_metadata | signature | None
    signed: str | None = None
    signed_span: tuple[int, int] | None = None
    declared_parts: int | None = None
    declared_parts_span: tuple[int, int] | None = None
    appendix: bool = False  # an unnumbered 附表/附件 part the declaration counts
    has_contact: bool = False
    has_access: bool = False
    body_start: int = 0  # normalised offset where the report body starts (after page chrome)
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Section boundaries and the label of each stretch between them (built on first use).
    _label_bounds: list[int] | None = field(default=None, repr=False, compare=False)
    _labels: dict[int, str | None] = field(default_factory=dict, repr=False, compare=False)
    # Spans of the rule scopes resolved so far (auditor.scope.resolve).
    scopes: dict[tuple, list[tuple[int, int]] | None] = field(
        default_factory=dict, repr=False, compare=False
    )

    # -- evidence helpers -------------------------------------------------------------
    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span to the matching span of the original text."""
        offsets = self.offsets
        if not offsets:
            return start, end
        n = len(offsets) - 1
        if not 0 <= start <= end <= n:
            start = max(0, min(start, n))
            end = max(start, min(end, n))
        o_start = offsets[start]
        o_end = offsets[end]
        return (o_start, o_end) if o_end > o_start else (o_start, o_start)

    def quote(self, start: int, end: int, limit: int = 200) -> str:
        """The original characters behind a normalised span (shortened to ``limit``)."""
        o_start, o_end = self.original_span(start, end)
        text = self.original[o_start:o_end]
        return text if len(text) <= limit else text[: limit - 1] + "…"

    def section_label(self, pos: int) -> str | None:
        """ "四 行政复议… > (二) …" for the sections around a normalised offset."""
        if self._label_bounds is None:
            self._label_bounds = sorted({p for s in self.sections for p in (s.start, s.end)})
        stretch = bisect.bisect_right(self._label_bounds, pos)
        if stretch not in self._labels:
            chain = sorted(
                (s for s in self.sections if s.start <= pos < s.end), key=lambda s: s.level
            )
            self._labels[stretch] = (
                " > ".join(f"{s.number} {s.title}".strip() for s in chain) or None
            )
        return self._labels[stretch]

    def section_at(self, pos: int) -> Section | None:
        """The deepest section containing a normalised offset."""
        best: Section | None = None
        for sec in self.sections:
            if sec.start <= pos < sec.end and (best is None or sec.level >= best.level):
                best = sec
        return best

    def top_sections(self) -> list[Section]:
        return [s for s in self.sections if s.level == 1]

    @property
    def actual_parts(self) -> int:
        """Top-level parts: numbered headings, plus a declared unnumbered appendix."""
        return len(self.top_sections()) + (1 if self.appendix else 0)

    def table(self, kind: TableKind) -> Table | None:
        for t in self.tables:
            if t.kind == kind:
                return t
        return None

    @property
    def readable(self) -> bool:
        return self.status == "ok"

    def to_json(self) -> dict[str, Any]:
        """The inspect JSON (issue: reading layer §7)."""
        return {
            "source": self.source,
            "format": self.format,
            "encoding": self.encoding,
            "sha256": self.sha256,
            "script": self.script,
            "status": self.status,
            "message": self.message,
            "title": self.title,
            "agency": self.agency,
            "kind": self.kind,
            "kind_reason": self.kind_reason,
            "year": self.year,
            "regime": self.regime,
            "regime_source": self.regime_source,
            "issuer_type": self.issuer_type,
            "published": self.published,
            "published_source": self.published_source,
            "signed": self.signed,
            "declared_parts": self.declared_parts,
            "actual_parts": self.actual_parts,
            "has_contact": self.has_contact,
            "has_access": self.has_access,
            "pages": self.pages,
            "sections": [s.to_json() for s in self.sections],
            "tables": [t.to_json() for t in self.tables],
            "warnings": self.warnings,
            "original_text": self.original,  # evidence offsets point into this text
        }
