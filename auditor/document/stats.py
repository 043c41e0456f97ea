"""Statistics tables of 2008–2018 reports (附表 / 统计表), read from normalised text.

Reports of that era append a table of indicators (指标名称 | 计量单位 | 年末统计, or
指标 | 数量(条)). After crawling it survives in two shapes:

* one cell per line (``主动公开信息数\\n104221\\n…``), possibly with a unit line per row;
* flattened into the running text (``主动公开信息数条4其中:1.网站公开条4 2.政府公报公开条0``),
  where several value columns may be glued together (``主动公开文件数条68181`` = 68 | 181).

A table is found by its header (指标名称 / 指标 / 项目 … 单位 … column names); a bare
指标/项目 header counts only under a title (附表N, 附件, …统计表). Rows are read as
label, optional unit, values until something that is not a row (a sentence, a label without
values, a date, the next table). Tables with fewer than two rows are dropped.

Glued columns are split into every reading that gives well-formed numbers and then pruned
by hard checks only: a 累计 column is never below the year column; rows under 其中 are
each ≤ their parent and, when some reading makes them add up to it, they must add up; and
a reading is taken from the text around the table only when each of its non-zero values is
stated there next to words of the row label (e.g. "累计主动公开政府信息181条") and no other
reading is. What is still undecided gets ``value=None`` and its label goes into
``Table.ambiguous``; rows whose digits fit no reading (or have extra values) go into
``Table.unresolved``.

Pairs are ``(label, CellValue)``. The label is the row label as written (normalised), without
its ``其中:`` and ``1.`` prefix; for the second and later value columns it is
``"<label>|<column>"`` (``"主动公开文件数|历年累计"``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import product
from math import prod

import regex

from auditor.document.model import CellValue, Table
from auditor.document.numbers import NumberMatch, find_numbers, parse_number

_UNITS = "人次|件次|万元|条|件|个|次|项|起|份|人|元|篇|期|场|家|户|%"
_COL = (
    r"(?:(?:19|20)\d{2}年度?(?:数|数量)?|历年累计(?:数)?|累计(?:数)?|年末统计(?:数)?"
    r"|本年度?(?:数|数量)?|上年度?(?:数|数量)?|统计数|数量(?:\([^()\n]{1,4}\))?|数值|合计)"
)
_HEADER = regex.compile(
    r"(?P<key>指标名称|统计指标|指标|项目名称|项目)[ \n]*"
    r"(?P<unitcol>(?:计量)?单位[ \n]*)?"
    rf"(?P<cols>(?:{_COL}[ \n]*)*)"
)
_COL_RE = regex.compile(_COL)
_UNITS_RE = regex.compile(_UNITS)
_PARENS = regex.compile(r"\(([^()]*)\)")
_HAN = regex.compile(r"\p{Han}")
_COUNT_SUFFIX = regex.compile(r"(?:总数|数量|总量|数)$")
_NEEDS_TITLE = {"指标", "项目", "项目名称"}
_TITLE_LINE = regex.compile(
    r"(?:附表|附件)[ ]?[0-9一二三四五六七八九十]{0,3}[ ]?[:.、]?"
    r"|.{0,60}(?:统计表|情况表|一览表|指标表)[ ]?[:]?"
)
_TITLE_START = regex.compile(r"附表|附件")

_ENUM = (
    r"(?:\d{1,2}[.、)]|\(\d{1,2}\)|\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}、)"
)
_BLANK = r"—+|-+|/|无"  # a blank cell, only as a whole line
_VAL = (
    r"(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?"
    r"(?!\d)(?![.、)](?!\d))(?![-/:—–~]\d)(?![年月日号])"
    rf"|(?<=\n)(?:{_BLANK})(?=\n|$))"
)
_ROW = regex.compile(
    r"[ \n]*"
    r"(?P<sub>其中[:,]?[ ]?)?"
    rf"(?P<enum>{_ENUM}[ ]?)?"
    r"(?P<text>[^\d\n]{1,40}?)[ \n]?"
    rf"(?:\(?(?P<unit>{_UNITS})\)?[ \n]?)?"
    rf"(?P<vals>{_VAL}(?:[ \n]+{_VAL})*)"
)
_VAL_RE = regex.compile(_VAL)
_BAD_LABEL = regex.compile(r"[。;!?,:]|^(?:附表|附件)")
_PART = regex.compile(
    rf"(?:0|[1-9]\d*)(?:\.\d+)?%?|[1-9]\d{{0,2}}(?:,\d{{3}})+(?:\.\d+)?%?|{_BLANK}"
)
_CLAUSE_END = "。;,:!?\n()"
_MAX_DIGITS = 24
_MAX_COMBOS = 4096

Reading = tuple[tuple[str, int, int], ...]  # one (raw, start, end) per value column


@dataclass(slots=True)
class _Row:
    label: str
    unit: str
    sub: bool
    enum: bool
    tokens: list[tuple[str, int]]
    end: int
    readings: list[Reading] = field(default_factory=list)
    extra: bool = False


@dataclass(slots=True)
class _Header:
    start: int  # title start, or header start without a title
    end: int
    cols: list[str]
    unit: str
    titled: bool


# --- finding tables ---------------------------------------------------------------------------


def _title_start(text: str, pos: int) -> int | None:
    """Start of the table title right before ``pos`` (附表N / 附件… / …统计表), if any."""
    start = None
    cut = pos
    for _ in range(3):  # title lines above the header: "附表1", "主动公开情况统计表"
        window = text[max(0, cut - 80) : cut].rstrip(" \n")
        line_start = max(window.rfind("\n"), window.rfind("。"), window.rfind(";")) + 1
        line = window[line_start:]
        marker = list(_TITLE_START.finditer(line))
        if marker and cut == pos:  # only the title line that runs into the header is cut
            line = line[marker[-1].start() :]
        if not line or not _TITLE_LINE.fullmatch(line):
            break
        start = max(0, cut - 80) + len(window) - len(line)
        cut = start
        if "\n" not in text[max(0, start - 2) : start]:
            break
    return start


def _headers(text: str) -> list[_Header]:
    out: list[_Header] = []
    for m in _HEADER.finditer(text):
        cols = [c.group() for c in _COL_RE.finditer(m.group("cols"))]
        if not cols and not m.group("unitcol"):
            continue
        start = _title_start(text, m.start())
        if start is None and m.group("key") in _NEEDS_TITLE:
            continue
        unit = ""
        for col in cols:
            inner = _PARENS.search(col)
            if inner and _UNITS_RE.fullmatch(inner.group(1)):
                unit = inner.group(1)
        titled = start is not None
        out.append(_Header(start if titled else m.start(), m.end(), cols, unit, titled))
    return out


def _read_rows(text: str, pos: int, limit: int) -> list[_Row]:
    rows: list[_Row] = []
    while pos < limit:
        m = _ROW.match(text, pos, limit)
        if m is None:
            break
        label = m.group("text").strip()
        if not _HAN.search(label) or _BAD_LABEL.search(label):
            break
        tokens = [(t.group(), t.start()) for t in _VAL_RE.finditer(text, *m.span("vals"))]
        rows.append(
            _Row(
                label=label,
                unit=m.group("unit") or "",
                sub=bool(m.group("sub")),
                enum=bool(m.group("enum")),
                tokens=tokens,
                end=m.end(),
            )
        )
        pos = m.end()
    return rows


# --- splitting glued values -------------------------------------------------------------------


def _token_splits(token: str, start: int, parts: int) -> list[Reading]:
    if parts == 1:
        return [((token, start, start + len(token)),)] if _PART.fullmatch(token) else []
    out: list[Reading] = []
    for cut in range(1, len(token)):
        head = token[:cut]
        if not _PART.fullmatch(head) or token[cut] in ".,%" or head[-1] in ".,":
            continue
        for rest in _token_splits(token[cut:], start + cut, parts - 1):
            out.append(((head, start, start + cut), *rest))
    return out


def _readings(tokens: list[tuple[str, int]], k: int) -> list[Reading]:
    """Every way to read the value tokens as exactly ``k`` well-formed numbers."""
    if not tokens:
        return []
    if len(tokens) >= k:
        return [tuple((t, s, s + len(t)) for t, s in tokens[:k])]
    if sum(len(t) for t, _ in tokens) > _MAX_DIGITS:
        return []
    (first, start), rest = tokens[0], tokens[1:]
    out: list[Reading] = []
    for parts in range(1, k - len(rest) + 1):
        heads = _token_splits(first, start, parts)
        if not heads:
            continue
        tails = _readings(rest, k - parts) if rest else ([()] if parts == k else [])
        out.extend(h + t for h in heads for t in tails)
    return out


def _values(reading: Reading) -> list[float]:
    return [round(float(parse_number(raw.rstrip("%")) or 0), 6) for raw, _, _ in reading]


def _prune_cumulative(rows: list[_Row], cols: list[str]) -> None:
    cum = [i for i, c in enumerate(cols) if "累计" in c]
    cur = [i for i, c in enumerate(cols) if "累计" not in c]
    if not cum or not cur:
        return
    for row in rows:
        if len(row.readings) > 1:
            kept = []
            for r in row.readings:
                v = _values(r)
                if all(v[a] >= v[b] for a in cum for b in cur):
                    kept.append(r)
            row.readings = kept or row.readings


def _families(rows: list[_Row]) -> list[tuple[int, list[int]]]:
    """(parent, children) for every 其中 group."""
    out = []
    for i, row in enumerate(rows):
        if not row.sub:
            continue
        parent = next((j for j in range(i - 1, -1, -1) if not rows[j].enum), None)
        if parent is None:
            continue
        children = [i]
        for j in range(i + 1, len(rows)):
            if rows[j].sub or not rows[j].enum:
                break
            children.append(j)
        out.append((parent, children))
    return out


def _prune_family(rows: list[_Row], parent: int, children: list[int]) -> bool:
    members = [parent, *children]
    pools = [rows[i].readings for i in members]
    if any(not p for p in pools) or prod(len(p) for p in pools) > _MAX_COMBOS:
        return False
    if all(len(p) == 1 for p in pools):
        return False
    combos = [(c, [_values(r) for r in c]) for c in product(*pools)]

    def adds_up(vals: list[list[float]]) -> bool:
        return all(round(sum(v[j] for v in vals[1:]), 6) == vals[0][j] for j in range(len(vals[0])))

    def within(vals: list[list[float]]) -> bool:
        return all(v[j] <= vals[0][j] for v in vals[1:] for j in range(len(vals[0])))

    chosen = [c for c, v in combos if adds_up(v)] or [c for c, v in combos if within(v)]
    if not chosen:
        return False
    changed = False
    for pos, i in enumerate(members):
        kept = [r for r in rows[i].readings if any(c[pos] == r for c in chosen)]
        if len(kept) < len(rows[i].readings):
            rows[i].readings, changed = kept, True
    return changed


# --- evidence from the surrounding text -------------------------------------------------------


def _stem(label: str) -> str:
    return _COUNT_SUFFIX.sub("", label)


def _common(a: str, b: str) -> int:
    """Length of the longest common substring."""
    best = 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def _stated(value: float, row: _Row, unit: str, text: str, mentions: list[NumberMatch]) -> bool:
    stem = _stem(row.label)
    need = min(4, len(stem))
    for n in mentions:
        if round(float(n.value), 6) != value or (unit and n.unit != unit):
            continue
        lo = n.start
        while lo > 0 and n.start - lo < 60 and text[lo - 1] not in _CLAUSE_END:
            lo -= 1
        if need and _common(stem, text[lo : n.start]) >= need:
            return True
    return False


def _settle_by_text(row: _Row, unit: str, text: str, mentions: list[NumberMatch]) -> bool:
    scores = []
    for reading in row.readings:
        nonzero = [v for v in _values(reading) if v != 0]
        hits = sum(1 for v in nonzero if _stated(v, row, unit, text, mentions))
        scores.append((hits, hits == len(nonzero) and hits > 0))
    best = max(h for h, _ in scores)
    winners = [i for i, (h, _) in enumerate(scores) if h == best]
    if len(winners) == 1 and scores[winners[0]][1]:
        row.readings = [row.readings[winners[0]]]
        return True
    return False


# --- assembling -------------------------------------------------------------------------------


def _resolve(
    rows: list[_Row], header: _Header, text: str, mentions: Callable[[], list[NumberMatch]]
) -> None:
    k = max(1, len(header.cols))
    for row in rows:
        row.readings = _readings(row.tokens, k)
        row.extra = len(row.tokens) > k
    _prune_cumulative(rows, header.cols)
    families = _families(rows)
    for _ in range(6):
        changed = False
        for parent, children in families:
            changed |= _prune_family(rows, parent, children)
        for row in rows:
            if len(row.readings) > 1:
                unit = row.unit or header.unit
                changed |= _settle_by_text(row, unit, text, mentions())
        if not changed:
            break


def _table(rows: list[_Row], header: _Header, text: str) -> Table:
    k = max(1, len(header.cols))
    cols = header.cols or ["数值"]
    table = Table(kind="stats", rows=len(rows), cols=k, cells={}, col_labels=list(header.cols))
    table.grid = [["指标", "单位", *cols]]
    table.start, table.end = header.start, rows[-1].end
    body = text[header.end : table.end]
    table.source = "lines" if "\n" in body.strip("\n") else "flattened"
    for row in rows:
        table.row_labels.append(row.label)
        raw_all = " ".join(t for t, _ in row.tokens)
        v_start = row.tokens[0][1] if row.tokens else row.end
        v_end = row.tokens[-1][1] + len(row.tokens[-1][0]) if row.tokens else row.end
        if not row.readings or row.extra:
            table.unresolved.append(row.label)
        cells = []
        for j in range(k):
            name = row.label if j == 0 else f"{row.label}|{cols[j]}"
            options = {r[j] for r in row.readings}
            if len(options) == 1:
                raw, s, e = options.pop()
                cell = CellValue(raw=raw, value=parse_number(raw.rstrip("%")), start=s, end=e)
            else:
                cell = CellValue(raw=raw_all, value=None, start=v_start, end=v_end)
                if row.readings:
                    table.ambiguous.append(name)
            cells.append(cell.raw)
            table.pairs.append((name, cell))
        table.grid.append([row.label, row.unit or header.unit, *cells])
    return table


def read_stats(text: str) -> list[Table]:
    """Statistics tables (kind ``stats``) written as text; offsets are in ``text``."""
    if not isinstance(text, str) or not text:
        return []
    headers = _headers(text)
    found: list[tuple[_Header, list[_Row]]] = []
    for i, header in enumerate(headers):
        limit = headers[i + 1].start if i + 1 < len(headers) else len(text)
        rows = _read_rows(text, header.end, limit)
        if len(rows) >= (1 if header.titled else 2):
            found.append((header, rows))
    spans = [(h.start, rows[-1].end) for h, rows in found]
    cache: list[list[NumberMatch]] = []

    def mentions() -> list[NumberMatch]:
        """Quantities stated outside the tables (computed once, on first need)."""
        if not cache:
            found_numbers = find_numbers(text)
            cache.append([n for n in found_numbers if not any(a <= n.start < b for a, b in spans)])
        return cache[0]

    tables = []
    for header, rows in found:
        _resolve(rows, header, text, mentions)
        tables.append(_table(rows, header, text))
    return tables
