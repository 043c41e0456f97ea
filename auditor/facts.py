"""Fact extraction: YAML fact definitions → typed values with evidence, once per document.

Sources: ``table`` (canonical cell keys, summed), ``text`` (a pattern's ``value`` group in a
scope; ``zero_patterns`` give an explicit 0), ``meta`` (document attributes), and ``any_of``
fallbacks. Besides the defined facts, every canonical table cell key and every
``meta.<field>`` is an implicit fact. A fact the document does not state has value ``None``,
never a default zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from auditor import scope as _text
from auditor.document import numbers
from auditor.document.model import Document
from auditor.document.tableschema import all_keys
from auditor.results import Evidence, Fact
from auditor.ruleset import patterns
from auditor.ruleset.schema import (
    META_FIELDS,
    FactDef,
    FactRef,
    FactType,
    TableSource,
    TextSource,
)

META_PREFIX = "meta."
_META_TYPES: dict[str, FactType] = {
    "year": "int",
    "declared_parts": "int",
    "actual_parts": "int",
    "published": "date",
    "signed": "date",
    "has_contact": "bool",
    "has_access": "bool",
}


@cache
def cell_keys() -> frozenset[str]:
    """Every canonical table cell key (computed once)."""
    return frozenset(all_keys())


def implicit_ids() -> set[str]:
    """Fact ids that need no definition: table cell keys and ``meta.*``."""
    return set(cell_keys()) | {META_PREFIX + f for f in META_FIELDS}


def known_ids(defs: Iterable[str]) -> set[str]:
    return implicit_ids() | set(defs)


def convert(raw: Any, kind: FactType) -> Any:
    """A raw string (or given value) as a typed fact value; None when it does not parse."""
    if raw is None:
        return None
    if kind == "bool":
        return bool(raw)
    if kind == "text":
        return str(raw).strip() or None
    if kind == "date":
        return _date(raw)
    value = raw if isinstance(raw, int | float) and not isinstance(raw, bool) else None
    if value is None:
        value = numbers.parse_number(str(raw))
    if value is None:
        return None
    if kind == "int":
        return int(value) if float(value).is_integer() else float(value)
    return float(value)


def _date(raw: Any) -> dt.date | None:
    if isinstance(raw, dt.date):
        return raw
    return numbers.parse_date(str(raw))


def _hull(m: Any) -> tuple[int, int]:
    """The match together with its ``value`` group (which a lookbehind may hold)."""
    start, end = m.span()
    value_start, value_end = m.span("value")
    return min(start, value_start), max(end, value_end)


class FactStore:
    """The facts of one document: defined facts eagerly, implicit ones on demand."""

    def __init__(
        self,
        doc: Document,
        defs: Mapping[str, FactDef],
        overrides: Mapping[str, Any] | None = None,
    ) -> None:
        self.doc = doc
        self.defs = defs
        self._cache: dict[str, Fact] = {}
        self._busy: set[str] = set()
        self._tables: dict[str, Any] = {}  # table kind → the document's first such table
        for fid, value in (overrides or {}).items():
            kind = self._type(fid)
            given = Evidence(quote=f"给定值 {value}", kind="computed")
            self._cache[fid] = Fact(value=convert(value, kind), evidence=[given], title=fid)

    def extract_all(self) -> dict[str, Fact]:
        """Extract every defined fact (errors are recorded on the fact)."""
        return {fid: self.get(fid) for fid in self.defs}

    def get(self, fid: str) -> Fact:
        fact = self._cache.get(fid)
        return fact if fact is not None else self._compute(fid)

    def value(self, fid: str) -> Any:
        return self.get(fid).value

    def values(self, fids: Iterable[str]) -> dict[str, Any]:
        """The values of several facts at once."""
        get = self.get
        return {fid: get(fid).value for fid in fids}

    def first_error(self, fids: Iterable[str]) -> tuple[str, str] | None:
        """The first of ``fids`` whose extraction failed, with its error."""
        get = self.get
        for fid in fids:
            error = get(fid).error
            if error:
                return fid, error
        return None

    def _compute(self, fid: str) -> Fact:
        if fid in self._busy:
            raise ValueError(f"fact {fid} refers to itself")
        self._busy.add(fid)
        try:
            fact = self._extract(fid)
        except (TimeoutError, ValueError, TypeError) as exc:
            message = "正则匹配超时" if isinstance(exc, TimeoutError) else str(exc)
            fact = Fact(title=self._title(fid), error=f"提取失败：{message}")
        finally:
            self._busy.discard(fid)
        self._cache[fid] = fact
        return fact

    @property
    def computed(self) -> dict[str, Fact]:
        """Every fact looked at so far (for the result JSON)."""
        return dict(self._cache)

    def title(self, fid: str) -> str:
        """The fact's Chinese title (its id when it has none)."""
        return self._title(fid)

    # -- extraction ---------------------------------------------------------------------
    def _title(self, fid: str) -> str:
        definition = self.defs.get(fid)
        return definition.title if definition and definition.title else fid

    def _type(self, fid: str) -> FactType:
        if fid in self.defs:
            return self.defs[fid].type
        return _META_TYPES.get(
            fid.removeprefix(META_PREFIX), "text" if fid.startswith(META_PREFIX) else "decimal"
        )

    def _extract(self, fid: str) -> Fact:
        definition = self.defs.get(fid)
        if definition is not None:
            for source in definition.sources:
                value, evidence = self._source(source, definition.type)
                if value is not None:
                    return Fact(
                        value=value, unit=definition.unit, evidence=evidence, title=self._title(fid)
                    )
            return Fact(unit=definition.unit, title=self._title(fid))
        if fid.startswith(META_PREFIX) and fid[len(META_PREFIX) :] in META_FIELDS:
            value, evidence = self._meta(fid[len(META_PREFIX) :])
            return Fact(value=value, evidence=evidence, title=fid)
        if fid in cell_keys():
            return self._cell_fact(fid)
        return Fact(title=fid)  # undefined ids cannot pass the loader; treat as unstated

    def _source(self, source: Any, kind: FactType) -> tuple[Any, list[Evidence]]:
        if isinstance(source, TextSource):
            return self._text(source, kind)
        if isinstance(source, TableSource):
            if source.stat:
                return self._stat(source, kind)
            return self._cells(source.keys, source.blank, kind)
        if isinstance(source, FactRef):
            fact = self.get(source.fact)
            if fact.error:
                raise ValueError(fact.error)
            return fact.value, fact.evidence
        return self._meta(source.field)

    def _text(self, source: TextSource, kind: FactType) -> tuple[Any, list[Evidence]]:
        doc = self.doc
        spans = _text.resolve(doc, source.scope, source.exclude_tables)
        if not spans:
            return None, []
        hits: list[tuple[Any, Evidence]] = []
        for start, end in spans:
            for m in patterns.finditer(source.pattern, doc.text, start, end):
                value = convert(m.group("value"), kind)
                if value is not None:
                    hits.append((value, _text.evidence(doc, *_hull(m), kind="extracted")))
        if hits:
            if source.multiple == "first":
                return hits[0][0], [hits[0][1]]
            if source.multiple == "last":
                return hits[-1][0], [hits[-1][1]]
            values = [v for v, _ in hits]
            total = sum(values) if source.multiple == "sum" else values
            return total, [e for _, e in hits]
        for zero in source.zero_patterns:
            for start, end in spans:
                m = patterns.search(zero, doc.text, start, end)
                if m:
                    return convert(0, kind), [_text.evidence(doc, *m.span(), kind="extracted")]
        return None, []

    def _cells(self, keys: list[str], blank: str, kind: FactType) -> tuple[Any, list[Evidence]]:
        total: float = 0
        evidence: list[Evidence] = []
        for key in keys:
            table, cell = self._cell(key)
            if cell is None:
                return None, []
            value = cell.value
            if value is None and cell.blank and blank == "zero":
                value = 0
            if value is None:
                return None, []
            total += value
            evidence.append(self._cell_evidence(key, table, cell))
        return convert(total, kind), evidence

    def _cell_fact(self, key: str) -> Fact:
        """An implicit table-cell fact (a decimal, None when blank or not stated)."""
        table, cell = self._cell(key)
        if cell is None or cell.value is None:
            return Fact(title=key)
        evidence = [self._cell_evidence(key, table, cell)]
        return Fact(value=float(cell.value), evidence=evidence, title=key)

    def _cell(self, key: str) -> tuple[Any, Any]:
        """The document's table for a canonical cell key, and the cell (or None)."""
        table_kind = key.partition(".")[0]
        try:
            table = self._tables[table_kind]
        except KeyError:
            table = self._tables[table_kind] = self.doc.table(table_kind)  # type: ignore[arg-type]
        return table, (table.cells.get(key) if table is not None else None)

    def _cell_evidence(self, key: str, table: Any, cell: Any) -> Evidence:
        doc = self.doc
        if cell.start >= 0:
            return _text.evidence(doc, cell.start, cell.end, kind="extracted")
        label = _text.section_label(doc, table.start) if table.start >= 0 else None
        return Evidence(quote=f"{key} = {cell.raw}", section=label, kind="extracted")

    def _stat(self, source: TableSource, kind: FactType) -> tuple[Any, list[Evidence]]:
        doc = self.doc
        for table in doc.tables:
            if table.kind != "stats":
                continue
            rows = [
                (label, cell)
                for label, cell in table.pairs
                if cell.value is not None and patterns.occurs(source.stat or "", label)
            ]
            if not rows:
                continue
            if not source.stat_sum:
                rows = rows[:1]
            evidence = [self._stat_evidence(label, cell) for label, cell in rows]
            return convert(sum(cell.value for _, cell in rows), kind), evidence
        return None, []

    def _stat_evidence(self, label: str, cell: Any) -> Evidence:
        """The row's label and value as they stand in the original text."""
        if cell.start < 0:
            return Evidence(quote=f"{label} {cell.raw}", kind="extracted")
        head = self.doc.text.rfind(label.split("|", 1)[0], max(0, cell.start - 80), cell.start)
        return _text.evidence(
            self.doc, head if head >= 0 else cell.start, cell.end, kind="extracted"
        )

    def _meta(self, name: str) -> tuple[Any, list[Evidence]]:
        doc = self.doc
        if name == "actual_parts":
            value: Any = doc.actual_parts
        else:
            value = getattr(doc, name)
        span = {"signed": doc.signed_span, "declared_parts": doc.declared_parts_span}.get(name)
        evidence = (
            [_text.evidence(doc, *span, kind="extracted")] if span and value is not None else []
        )
        if value is not None and not evidence:
            origin = {"published": doc.published_source, "year": doc.year_source}.get(name)
            evidence = [
                Evidence(
                    quote=f"{name} = {value}" + (f"（{origin}）" if origin else ""),
                    kind="extracted",
                )
            ]
        return convert(value, _META_TYPES.get(name, "text")), evidence
