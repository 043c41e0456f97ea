"""Scope resolution (which text a rule or fact looks at) and evidence from a document."""

from __future__ import annotations

from auditor.document.model import Document, Section
from auditor.results import Evidence
from auditor.ruleset import patterns
from auditor.ruleset.schema import Scope

Span = tuple[int, int]
_QUOTE_LIMIT = 200  # as Document.quote
_CN = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}


def ordinal(number: str) -> int | None:
    """三 → 3, 4 → 4, 第四部分 → 4, (二) → 2, 十二 → 12; None otherwise."""
    core = number.strip().removeprefix("第").removesuffix("部分").strip("()、. ")
    if core.isdigit():
        return int(core)
    if core and all(c in _CN for c in core):
        if len(core) == 1:
            return _CN[core]
        if core[0] == "十":
            return 10 + _CN.get(core[1:], 0)
        if len(core) in (2, 3) and core[1] == "十":
            return _CN[core[0]] * 10 + (_CN[core[2]] if len(core) == 3 else 0)
    return None


def _level(scope: Scope) -> int | None:
    if scope.level is not None:
        return scope.level
    if scope.section is not None:
        return 2 if scope.section.strip().startswith("(") else 1
    return None


def sections(doc: Document, scope: Scope) -> list[Section]:
    """The sections a scope selects: title matches first, else number matches."""
    level = _level(scope)
    pool = [s for s in doc.sections if level is None or s.level == level]
    if scope.title:
        hits = [s for s in pool if patterns.occurs(scope.title, s.title)]
        if hits or scope.section is None:
            return hits
    want = ordinal(scope.section or "")
    return [
        s
        for s in pool
        if s.number == scope.section or (want is not None and ordinal(s.number) == want)
    ]


def resolve(doc: Document, scope: Scope, exclude_tables: bool) -> list[Span] | None:
    """Text spans (normalised offsets) of a scope; None when it selects nothing.

    Resolved once per document and scope (the list returned is shared: do not change it).
    """
    if scope.exclude_tables is not None:
        exclude_tables = scope.exclude_tables
    key = (scope.section, scope.title, scope.level, scope.table, exclude_tables)
    if key not in doc.scopes:
        doc.scopes[key] = _resolve(doc, scope, exclude_tables)
    return doc.scopes[key]


def _resolve(doc: Document, scope: Scope, exclude_tables: bool) -> list[Span] | None:
    if scope.table:
        table = doc.table(scope.table)
        if table is None or table.start < 0:
            return None
        return [(table.start, table.end)]
    if scope.section is not None or scope.title is not None:
        found = sections(doc, scope)
        if not found:
            return None
        spans = [(s.title_end, s.end) for s in found]  # the body, not the heading itself
    else:
        spans = [(doc.body_start, len(doc.text))]
    if exclude_tables:
        holes = sorted((t.start, t.end) for t in doc.tables if 0 <= t.start < t.end)
        spans = [piece for span in spans for piece in _subtract(span, holes)]
    return spans


def _subtract(span: Span, holes: list[Span]) -> list[Span]:
    out: list[Span] = []
    start, end = span
    for h_start, h_end in holes:
        if h_end <= start or h_start >= end:
            continue
        if h_start > start:
            out.append((start, h_start))
        start = max(start, h_end)
    if start < end:
        out.append((start, end))
    return out


def section_label(doc: Document, pos: int) -> str | None:
    """ "四 行政复议… > (二) …" for the sections around a normalised offset."""
    return doc.section_label(pos)


def evidence(doc: Document, start: int, end: int, kind: str = "match") -> Evidence:
    """Evidence for a normalised span: the original quote and original offsets."""
    o_start, o_end = doc.original_span(start, end)
    quote = doc.original[o_start:o_end]
    return Evidence(
        quote=quote if len(quote) <= _QUOTE_LIMIT else quote[: _QUOTE_LIMIT - 1] + "…",
        start=o_start,
        end=o_end,
        section=section_label(doc, start),
        kind=kind,  # type: ignore[arg-type]
    )


def absence(doc: Document, spans: list[Span] | None, what: str) -> Evidence:
    """Where something was expected but not found (never "1:1")."""
    if spans:
        start = spans[0][0]
        label = section_label(doc, start)
        o_start, o_end = doc.original_span(spans[0][0], spans[-1][1])
        where = label or "全文"
        return Evidence(
            quote=f"在{where}中未找到{what}",
            start=o_start,
            end=o_end,
            section=label,
            kind="absence",
        )
    return Evidence(quote=f"未找到{what}", kind="absence")
