"""Recognise the standard tables 二/三/四 and 2008-era statistics tables in loaded grids.

:func:`recognise` turns one :class:`Grid` into a :class:`Table`: it classifies the grid
(``table2`` | ``table3`` | ``table4`` | ``stats`` | ``other``), finds the label columns and
header rows, and maps every data cell to its canonical key from :mod:`tableschema`
(``table3.new.total``, ``table4.review.corrected``, ``table2.normative.issued`` …).
:func:`merge_continuations` joins a standard table that a page break split into two grids.

Cell values (:func:`parse_cell`):

* ``raw`` is the cell text with outer whitespace stripped ("" for a blank cell).
* ``value`` is the number as written: thousands separators and a unit suffix (元, 万元, 件,
  条, 个, % …) are dropped, the unit is *not* applied ("33.59万元" → 33.59). A sign is kept
  (2019 本年增/减 may be negative). A trailing note in brackets is ignored ("5(其中…)" → 5).
* Blank, "/", "—", "-" and any other text give ``None``: blank is never zero.
* "无" / "零" / "没有" give ``0``: they state that there were none, which is what an auditor
  reads; ``raw`` keeps the word, so a rule can still ask for digits.

Merged cells: a cell that is ``None`` in the source (pdfplumber) or listed in
``Grid.spanned`` repeats or continues a neighbour. In header and label areas it inherits
the neighbour's meaning; in the data area it is never read as a second value.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from auditor.document import tableschema as ts
from auditor.document.model import CellValue, Grid, Table
from auditor.document.normalise import detect_script, normalise_fragment

_WS = regex.compile(r"\s+")
_UNIT = r"(?:万元|亿元|元|万件|件|万条|条|万个|个|项|人次|次|人|份|家|宗|笔|篇|期|起|户|%)"
_NUMBER = regex.compile(
    rf"(?P<sign>[+-]?)(?P<int>\d{{1,3}}(?:,\d{{3}})+|\d+)(?P<frac>\.\d+)?{_UNIT}?(?:\(.*\))?"
)
_ZERO_WORDS = frozenset({"无", "零", "没有"})
_PLACEHOLDER = regex.compile(r"[/\\\-—–―_·…×xX*]+|空")
_NUMBERING = regex.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|\d+[.、,)]?)"
)
_UNIT_CELL = regex.compile(rf"{_UNIT}|个数|件数|条数|万")
_CAPTION = regex.compile(r"第二十条")

# Table 三 column leaves (the lowest header cell above a data column).
_T3_COL_PATTERNS = (
    ("natural_person", r"自然人"),
    ("commercial", r"商业"),
    ("research", r"科研"),
    ("social_welfare", r"公益"),
    ("legal_service", r"法律服务"),
    ("other", r"^其他"),
    ("total", r"总计|合计"),
)
_T4_COL_PATTERNS = (
    ("maintained", r"维持"),
    ("corrected", r"纠正"),
    ("other", r"其他"),
    ("pending", r"尚未|未审结"),
    ("total", r"总计|合计"),
)
_T4_GROUP_PATTERNS = (
    ("litigation_after_review", r"复议后起诉"),
    ("litigation_direct", r"直接起诉|未经复议"),
    ("review", r"行政.{0,2}复议"),
)
_T3_HEADER_WORDS = ("申请人情况", "自然人", "商业企业", "勾稽关系", "钩稽关系")


# --- cell values ---------------------------------------------------------------------------


def parse_cell(text: str | None) -> CellValue:
    """A cell's raw text and parsed number (see the module docstring for the rules)."""
    raw = (text or "").strip()
    flat = _norm(raw).replace("−", "-")
    if flat in _ZERO_WORDS:
        return CellValue(raw, 0)
    m = _NUMBER.fullmatch(flat)
    if not m:
        return CellValue(raw, None)
    digits = m["int"].replace(",", "")
    sign = -1 if m["sign"] == "-" else 1
    if m["frac"]:
        return CellValue(raw, sign * float(digits + m["frac"]))
    return CellValue(raw, sign * int(digits))


_T4_RESULT_LABEL = regex.compile(r"结果维持|结果纠正")
_T4_REVIEW = regex.compile(r"行政.{0,2}复议")
_T4_RESULTS = regex.compile(r"结果维持|结果纠正|尚未审结")
_T2_NOISE = regex.compile(r"\(.*?\)|/")


def _value_like(flat: str) -> bool:
    """A normalised cell that holds a value (or a placeholder for one), not a label."""
    return (
        flat == ""
        or flat in _ZERO_WORDS
        or bool(_NUMBER.fullmatch(flat))
        or bool(_PLACEHOLDER.fullmatch(flat))
    )


def _has_number(flat: str) -> bool:
    return bool(_NUMBER.fullmatch(flat)) or flat in _ZERO_WORDS


# --- grid preparation ----------------------------------------------------------------------


@dataclass(slots=True)
class _Prep:
    """A grid padded to a rectangle, with normalised cell texts."""

    raw: list[list[str]]
    norm: list[list[str]]
    merged: set[tuple[int, int]]  # None in the source or marked spanned
    absent: set[tuple[int, int]]  # padding beyond a short row
    n_rows: int
    n_cols: int
    text: str = ""  # all normalised cells joined
    labels: list[list[tuple[int, str]]] = field(default_factory=list)  # label-like cells

    def row_texts(self, r: int, stop: int | None = None) -> list[tuple[int, str]]:
        """Non-empty label-like cells of row ``r`` (before column ``stop``)."""
        cells = self.labels[r]
        return cells if stop is None else [(c, s) for c, s in cells if c < stop]


@lru_cache(maxsize=65536)
def _norm(text: str) -> str:
    """NFKC-normalised text without whitespace (fast path for one cell)."""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


def _prepare(grid: Grid) -> _Prep:
    n_cols = grid.n_cols
    raw: list[list[str]] = []
    merged: set[tuple[int, int]] = set(grid.spanned)
    absent: set[tuple[int, int]] = set()
    for r, row in enumerate(grid.rows):
        out = []
        for c in range(n_cols):
            if c >= len(row):
                absent.add((r, c))
                out.append("")
            elif row[c] is None:
                merged.add((r, c))
                out.append("")
            else:
                out.append(str(row[c]))
        raw.append(out)
    norm = [[_norm(cell) for cell in row] for row in raw]
    text = "".join(cell for row in norm for cell in row)
    if detect_script("\n".join(dict.fromkeys(text for row in norm for text in row))) == "hant":
        flat = normalise_fragment("\n".join(cell for row in norm for cell in row)).split("\n")
        if len(flat) == n_cols * len(norm):
            cells = [_WS.sub("", c) for c in flat]
            norm = [cells[r * n_cols : (r + 1) * n_cols] for r in range(len(norm))]
            text = "".join(cell for row in norm for cell in row)
    labels = [[(c, s) for c, s in enumerate(row) if s and not _value_like(s)] for row in norm]
    return _Prep(raw, norm, merged, absent, len(raw), n_cols, text, labels)


def _label_forms(label: str) -> list[str]:
    stripped = _NUMBERING.sub("", label, count=1)
    return [label, stripped] if stripped and stripped != label else [label]


def _find_row(spec: ts.TableSpec, candidates: Sequence[str], cursor: int) -> tuple[int, str] | None:
    """The spec row a row's label matches (most specific label first, in table order)."""
    order = list(range(cursor, len(spec.rows))) + list(range(cursor))
    for label in candidates:
        for form in _label_forms(label):
            for idx in order:
                if ts.compiled(spec.rows[idx].pattern).search(form):
                    return idx, label
    return None


def _labels_right_to_left(texts: Iterable[tuple[int, str]]) -> list[str]:
    out: list[str] = []
    for _, s in sorted(texts, reverse=True):
        if s not in out:
            out.append(s)
    return out


def _header_leaf(prep: _Prep, header_rows: Sequence[int], c: int) -> str:
    """The lowest non-empty header text above column ``c``."""
    for r in reversed(header_rows):
        if prep.norm[r][c]:
            return prep.norm[r][c]
    return ""


def _column_stack(prep: _Prep, header_rows: Sequence[int], c: int) -> str:
    """All header texts above column ``c``; a merged cell takes its left neighbour's text."""
    parts: list[str] = []
    for r in header_rows:
        text = prep.norm[r][c]
        k = c
        while not text and (r, k) in prep.merged and k > 0:
            k -= 1
            text = prep.norm[r][k]
        if text and text not in parts:
            parts.append(text)
    return "/".join(parts)


def _docs_version(doc_text: str | None) -> str | None:
    if not doc_text:
        return None
    flat = _WS.sub("", doc_text)
    n21 = sum(1 for m in ts.MARKERS_2021 if m in flat)
    n19 = sum(1 for m in ts.MARKERS_2019 if m in flat)
    if n21 == n19:
        return None
    return "2021" if n21 > n19 else "2019"


def _grid_version(text: str) -> str | None:
    n21 = sum(1 for m in ts.MARKERS_2021 if m in text)
    n19 = sum(1 for m in ts.MARKERS_2019 if m in text)
    if n21 == n19:
        return None
    return "2021" if n21 > n19 else "2019"


# --- table 三 --------------------------------------------------------------------------------


@dataclass(slots=True)
class _RowMatch:
    row: int  # grid row
    spec_index: int
    label: str


@dataclass(slots=True)
class _T3Layout:
    data_start: int
    header_rows: list[int]
    matches: list[_RowMatch] = field(default_factory=list)


def _t3_layout(prep: _Prep) -> _T3Layout | None:
    """Label columns, header rows and row matches of a table 三 grid (None if it is not one)."""
    spec = ts.T3_2021
    candidates: list[tuple[int, int, list[str]]] = []  # row, data start, labels
    for r in range(prep.n_rows):
        texts = prep.row_texts(r)
        if not texts:
            continue
        labels = _labels_right_to_left(texts)
        if any(_find_row(spec, [lab], 0) for lab in labels) and not _is_t3_header(labels):
            candidates.append((r, max(c for c, _ in texts) + 1, labels))
    if not candidates:
        return None
    starts = Counter(start for _, start, _ in candidates)
    data_start = max(starts, key=lambda s: (starts[s], s))
    if prep.n_cols - data_start < 5:  # table 三 has 7 data columns
        return None
    first = candidates[0][0]
    layout = _T3Layout(data_start, list(range(first)))
    cursor = 0
    seen: set[int] = set()
    for r in range(first, prep.n_rows):
        labels = _labels_right_to_left(prep.row_texts(r, data_start))
        found = _find_row(spec, labels, cursor) if labels else None
        if found is None:
            continue
        idx, label = found
        if idx in seen and spec.rows[idx].value:
            continue  # a repeated row (e.g. a header repeated after a page break)
        seen.add(idx)
        cursor = idx + 1
        layout.matches.append(_RowMatch(r, idx, label))
    return layout


def _is_t3_header(labels: Sequence[str]) -> bool:
    return any(w in lab for lab in labels for w in _T3_HEADER_WORDS)


def _t3_columns(prep: _Prep, layout: _T3Layout) -> tuple[dict[int, str], list[str]]:
    """Data column → column key, and the keys left unsettled."""
    data_cols = list(range(layout.data_start, prep.n_cols))
    mapping: dict[int, str] = {}
    if layout.header_rows:
        for c in data_cols:
            leaf = _header_leaf(prep, layout.header_rows, c)
            for key, pattern in _T3_COL_PATTERNS:
                if ts.compiled(pattern).search(leaf) and key not in mapping.values():
                    mapping[c] = key
                    break
    keys = [col.key for col in ts.T3_COLS]
    if len(mapping) < len(keys) and len(data_cols) == len(keys):
        mapping = dict(zip(data_cols, keys, strict=True))
    return mapping, [k for k in keys if k not in mapping.values()]


def _recognise_t3(prep: _Prep, layout: _T3Layout, doc_text: str | None) -> Table:
    spec = ts.T3_2021
    columns, unsettled = _t3_columns(prep, layout)
    matched = {m.spec_index for m in layout.matches}
    sub_rows_2021 = {i for i, row in enumerate(spec.rows) if row.group == "other" and i in matched}
    if sub_rows_2021:
        version = "2021"
    else:
        has_single_other = any(spec.rows[i].key == "results.other" for i in matched)
        version = _docs_version(doc_text) or ("2019" if has_single_other else "2021")
    cells: dict[str, CellValue] = {}
    ambiguous: list[str] = []
    row_labels = [""] * prep.n_rows
    for m in layout.matches:
        row = spec.rows[m.spec_index]
        row_labels[m.row] = m.label
        if not row.value and _has_sub_rows(spec, row, matched):
            continue
        for c, col_key in columns.items():
            key = f"table3.{row.key}.{col_key}"
            _put(prep, m.row, c, key, cells, ambiguous)
        ambiguous.extend(f"table3.{row.key}.{k}" for k in unsettled)
    final = ts.SPECS[("table3", version)]
    unresolved = [
        f"table3.{row.key}"
        for row in final.rows
        if row.value and not any(key.startswith(f"table3.{row.key}.") for key in cells)
    ]
    col_labels = [_column_stack(prep, layout.header_rows, c) for c in range(prep.n_cols)]
    return _table(prep, "table3", version, cells, row_labels, col_labels, ambiguous, unresolved)


def _has_sub_rows(spec: ts.TableSpec, row: ts.RowSpec, matched: set[int]) -> bool:
    suffix = row.key.rsplit(".", 1)[-1]
    if row.key == "results":
        return True
    return any(spec.rows[i].group == suffix for i in matched)


def _put(
    prep: _Prep,
    r: int,
    c: int,
    key: str,
    cells: dict[str, CellValue],
    ambiguous: list[str],
) -> None:
    """Store one data cell; a merged cell is not a value of its own."""
    if (r, c) in prep.absent:
        return
    if (r, c) in prep.merged:
        ambiguous.append(key)
        return
    cells[key] = parse_cell(prep.raw[r][c])


# --- table 四 --------------------------------------------------------------------------------


def _recognise_t4(prep: _Prep, doc_text: str | None) -> Table:
    version = _docs_version(doc_text) or "2021"
    cells: dict[str, CellValue] = {}
    ambiguous: list[str] = []
    row_labels = [""] * prep.n_rows
    data_row = _t4_data_row(prep)
    header_rows = list(range(data_row if data_row is not None else prep.n_rows))
    col_labels = [_column_stack(prep, header_rows, c) for c in range(prep.n_cols)]
    groups = _t4_group_rows(prep)
    if len(groups) >= 2:  # transposed: one row per group, five columns
        _t4_transposed(prep, groups, cells, ambiguous, row_labels)
    elif data_row is not None:
        mapping = _t4_columns(prep, header_rows, col_labels)
        for c, key in mapping.items():
            _put(prep, data_row, c, f"table4.{key}", cells, ambiguous)
    unresolved = [
        f"table4.{g.key}"
        for g in ts.T4.rows
        if not any(k.startswith(f"table4.{g.key}.") for k in cells)
    ]
    return _table(prep, "table4", version, cells, row_labels, col_labels, ambiguous, unresolved)


def _t4_data_row(prep: _Prep) -> int | None:
    """The first row under a header whose last 15 cells hold values (a label may lead)."""
    for r in range(1, prep.n_rows):
        if _t4_values(prep, r) and any(prep.row_texts(k) for k in range(r)):
            return r
    return None


def _t4_values(prep: _Prep, r: int) -> bool:
    """Row ``r`` ends in 15 value cells of its own."""
    texts = prep.row_texts(r)
    first = texts[-1][0] + 1 if texts else 0
    return prep.n_cols - first >= len(ts.T4.rows) * len(ts.T4_COLS) and any(
        (r, c) not in prep.merged for c in range(first, prep.n_cols)
    )


def _t4_columns(prep: _Prep, header_rows: list[int], stacks: list[str]) -> dict[int, str]:
    """Column → ``group.col`` key, from the headers if they settle all 15, else by position."""
    width = len(ts.T4.rows) * len(ts.T4_COLS)
    by_header: dict[int, str] = {}
    for c in range(prep.n_cols):
        leaf = _header_leaf(prep, header_rows, c)
        col = next((k for k, p in _T4_COL_PATTERNS if ts.compiled(p).search(leaf)), None)
        group = next((k for k, p in _T4_GROUP_PATTERNS if ts.compiled(p).search(stacks[c])), None)
        if col and group:
            by_header[c] = f"{group}.{col}"
    if len(by_header) == width and len(set(by_header.values())) == width:
        return by_header
    if prep.n_cols < width:
        return by_header
    start = prep.n_cols - width
    keys = [f"{g.key}.{c.key}" for g in ts.T4.rows for c in ts.T4_COLS]
    return {start + i: key for i, key in enumerate(keys)}


def _t4_group_rows(prep: _Prep) -> dict[int, str]:
    """Rows labelled with a table 四 group (transposed layout)."""
    out: dict[int, str] = {}
    for r in range(prep.n_rows):
        texts = prep.row_texts(r)
        if not texts:
            continue
        data = [c for c in range(texts[-1][0] + 1, prep.n_cols) if (r, c) not in prep.merged]
        if len(data) < 3:
            continue
        label = "".join(s for _, s in texts)
        if _T4_RESULT_LABEL.search(label):
            continue
        group = next((k for k, p in _T4_GROUP_PATTERNS if ts.compiled(p).search(label)), None)
        if group and group not in out.values():
            out[r] = group
    return out


def _t4_transposed(
    prep: _Prep,
    groups: dict[int, str],
    cells: dict[str, CellValue],
    ambiguous: list[str],
    row_labels: list[str],
) -> None:
    first = min(groups)
    header_rows = list(range(first))
    for r, group in groups.items():
        texts = prep.row_texts(r)
        row_labels[r] = "".join(s for _, s in texts)
        data_cols = list(range(texts[-1][0] + 1, prep.n_cols))
        mapping: dict[int, str] = {}
        for c in data_cols:
            leaf = _header_leaf(prep, header_rows, c)
            col = next((k for k, p in _T4_COL_PATTERNS if ts.compiled(p).search(leaf)), None)
            if col and col not in mapping.values():
                mapping[c] = col
        if len(mapping) < len(ts.T4_COLS) and len(data_cols) == len(ts.T4_COLS):
            mapping = {c: col.key for c, col in zip(data_cols, ts.T4_COLS, strict=True)}
        for c, col in mapping.items():
            _put(prep, r, c, f"table4.{group}.{col}", cells, ambiguous)


# --- table 二 --------------------------------------------------------------------------------


def _recognise_t2(prep: _Prep, doc_text: str | None) -> Table:
    version = _grid_version(prep.text) or _docs_version(doc_text) or "2021"
    spec = ts.SPECS[("table2", version)]
    cells: dict[str, CellValue] = {}
    ambiguous: list[str] = []
    row_labels = [""] * prep.n_rows
    col_labels = [""] * prep.n_cols
    header: list[str] | None = None
    header_row = -1
    for r in range(prep.n_rows):
        texts = prep.row_texts(r)
        if not texts or all(_CAPTION.search(s) for _, s in texts):
            continue
        if _is_t2_header(texts):
            header, header_row = prep.norm[r], r
            if not any(col_labels):
                col_labels = [_column_stack(prep, [r], c) for c in range(prep.n_cols)]
            continue
        found = _find_row(spec, _labels_right_to_left(texts), 0)
        if found is None:
            continue
        idx, label = found
        row = spec.rows[idx]
        row_labels[r] = label
        start = max(c for c, _ in texts) + 1
        runs = _runs(prep, r, header_row, header, start)
        for col, run in _match_t2_cols(ts.row_cols(spec, row), runs, header):
            _put(prep, r, run[0], f"table2.{row.key}.{col.key}", cells, ambiguous)
    unresolved = [
        f"table2.{row.key}"
        for row in spec.rows
        if not any(k.startswith(f"table2.{row.key}.") for k in cells)
    ]
    return _table(prep, "table2", version, cells, row_labels, col_labels, ambiguous, unresolved)


def _t2_core(label: str) -> str:
    return _T2_NOISE.sub("", _norm(label))


_T2_HEADS = frozenset(
    _t2_core(c.label)
    for table in (ts.T2_2021_COLS, ts.T2_2019_COLS)
    for cols in table.values()
    for c in cols
)


def _is_t2_header(texts: Sequence[tuple[int, str]]) -> bool:
    if any("信息内容" in s for _, s in texts):
        return True
    return any(h in _t2_core(s) for _, s in texts for h in _T2_HEADS)


def _runs(
    prep: _Prep, r: int, header_row: int, header: list[str] | None, start: int
) -> list[list[int]]:
    """Data columns of row ``r`` grouped into logical columns (merged header/data cells)."""
    runs: list[list[int]] = []
    for c in range(start, prep.n_cols):
        if (r, c) in prep.absent:
            break
        head = header[c] if header is not None else ""
        merged_data = (r, c) in prep.merged
        merged_head = header is not None and (
            not head or (header_row, c) in prep.merged or head == header[c - 1]
        )
        if runs and (merged_data or (merged_head and c > start)):
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def _match_t2_cols(
    cols: Sequence[ts.ColSpec], runs: list[list[int]], header: list[str] | None
) -> list[tuple[ts.ColSpec, list[int]]]:
    """Pair a row's columns with runs: by header label when every column is found, else by order."""
    if header is not None:
        by_label: list[tuple[ts.ColSpec, list[int]]] = []
        for col in cols:
            core = _t2_core(col.label)
            run = next(
                (run for run in runs if core in _t2_core(header[run[0]])),
                None,
            ) or next(
                (run for run in runs if header[run[0]] and _t2_core(header[run[0]]) in core),
                None,
            )
            if run is None:
                break
            by_label.append((col, run))
        else:
            if len({id(run) for _, run in by_label}) == len(by_label):
                return by_label
    return list(zip(cols, runs, strict=False))


# --- statistics tables (2008–2018) ---------------------------------------------------------


def _stats_pairs(prep: _Prep) -> tuple[list[tuple[str, CellValue]], list[str], list[str]]:
    """Label/value pairs of a statistics table, with row and column labels."""
    body = [r for r in range(prep.n_rows) if any(_has_number(s) for s in prep.norm[r])]
    if not body:
        return [], [], []
    header_rows = list(range(body[0]))
    value_cols = [
        c
        for c in range(prep.n_cols)
        if sum(1 for r in body if _has_number(prep.norm[r][c])) * 2 >= len(body)
    ]
    col_labels = [_column_stack(prep, header_rows, c) for c in range(prep.n_cols)]
    row_labels = [""] * prep.n_rows
    pairs: list[tuple[str, CellValue]] = []
    for r in body:
        used: set[int] = set()
        for c in value_cols:
            if (r, c) in prep.absent:
                continue  # padding past the end of a short row is not a blank cell
            k = c - 1
            while k >= 0 and (k in value_cols or _is_unit(prep.norm[r][k])):
                k -= 1
            if k < 0 or not prep.norm[r][k] or _value_like(prep.norm[r][k]):
                continue
            label = prep.norm[r][k]
            row_labels[r] = row_labels[r] or label
            if k in used and col_labels[c]:
                label = f"{label}({col_labels[c]})"
            used.add(k)
            pairs.append((label, parse_cell(prep.raw[r][c])))
    return pairs, row_labels, col_labels


def _is_unit(flat: str) -> bool:
    return bool(flat) and bool(_UNIT_CELL.fullmatch(flat))


# --- classification and entry points -------------------------------------------------------


def _classify(prep: _Prep) -> tuple[str, _T3Layout | None]:
    text = prep.text
    layout = _t3_layout(prep)
    if layout is not None:
        distinct = {m.spec_index for m in layout.matches}
        header = any(w in text for w in ("申请人情况", "自然人"))
        if len(distinct) >= 3 or (header and len(distinct) >= 1):
            return "table3", layout
    if _T4_REVIEW.search(text) and _T4_RESULTS.search(text):
        return "table4", None
    t2_rows = {
        row.key
        for r in range(prep.n_rows)
        for spec in (ts.T2_2021, ts.T2_2019)
        for row in spec.rows
        for _, s in prep.row_texts(r)
        if ts.compiled(row.pattern).search(s)
    }
    heads = "第二十条" in text or "信息内容" in text or "处理决定数量" in text
    if t2_rows and (heads or _grid_version(text)):
        return "table2", None
    pairs, _, _ = _stats_pairs(prep)
    if len(pairs) >= 2 and all(len(label) <= 60 for label, _ in pairs):
        return "stats", None
    return "other", None


def recognise(grid: Grid, doc_text: str | None = None) -> Table:
    """Classify a grid and map its cells to canonical keys.

    ``doc_text`` (the document's text, raw or normalised) settles the format version when
    the grid alone does not (table 四 is the same in both formats; a table 三 without the
    2021 sub-rows of （六）其他处理 is read as 2021 when the document carries 2021 markers).
    ``start``/``end``/``page`` are copied from the grid (offsets in the loader's raw text);
    cell offsets stay -1. ``row_labels``/``col_labels`` are aligned with the grid's rows and
    columns ("" where a row is not a recognised row).
    """
    prep = _prepare(grid)
    kind, layout = _classify(prep)
    if kind == "table3" and layout is not None:
        table = _recognise_t3(prep, layout, doc_text)
    elif kind == "table4":
        table = _recognise_t4(prep, doc_text)
    elif kind == "table2":
        table = _recognise_t2(prep, doc_text)
    elif kind == "stats":
        pairs, row_labels, col_labels = _stats_pairs(prep)
        table = _table(prep, "stats", None, {}, row_labels, col_labels, [], [])
        table.pairs = pairs
    else:
        table = _table(prep, "other", None, {}, [], [], [], [])
    table.start, table.end, table.page = grid.start, grid.end, grid.page
    return table


def _table(
    prep: _Prep,
    kind: str,
    version: str | None,
    cells: dict[str, CellValue],
    row_labels: list[str],
    col_labels: list[str],
    ambiguous: list[str],
    unresolved: list[str],
) -> Table:
    return Table(
        kind=kind,  # type: ignore[arg-type]
        rows=prep.n_rows,
        cols=prep.n_cols,
        cells=cells,
        grid=[[cell.strip() for cell in row] for row in prep.raw],
        row_labels=row_labels,
        col_labels=col_labels,
        version=version,
        ambiguous=sorted(set(ambiguous)),
        unresolved=unresolved,
    )


# --- page-break continuations --------------------------------------------------------------


def merge_continuations(grids: list[Grid]) -> list[Grid]:
    """Join standard tables that a page break split into two consecutive grids.

    A grid continues the previous one when the previous one is a standard table that is not
    complete, and the next grid has no header of its own and carries the following rows
    (table 三: same column count; table 二: its rows, any width; table 四: the data row).
    A header that the new page repeats (table 三) is dropped. Grids that are already whole
    pass through unchanged.
    """
    out: list[Grid] = []
    last: tuple[_Prep, str, _T3Layout | None] | None = None
    for grid in grids:
        prep = _prepare(grid)
        kind, layout = _classify(prep)
        skip = _continuation(*last, prep, kind) if last is not None and grid.rows else None
        if skip is not None:
            out[-1] = _join(out[-1], grid, skip)
            prep = _prepare(out[-1])
            kind, layout = _classify(prep)
        else:
            out.append(grid)
        last = (prep, kind, layout)
    return out


def _continuation(
    p: _Prep, kind: str, layout: _T3Layout | None, n: _Prep, next_kind: str
) -> int | None:
    """How many leading rows of ``n`` to drop when it continues ``p`` (None: it does not)."""
    if kind == "table3" and layout is not None:
        last = max(m.spec_index for m in layout.matches)
        if p.n_cols != n.n_cols or ts.T3_2021.rows[last].key == "carried_out":
            return None
        nxt = _t3_layout(n)
        if not nxt or not nxt.matches or min(m.spec_index for m in nxt.matches) < last:
            return None
        # a header repeated on the new page is dropped
        return nxt.matches[0].row if any(w in n.text for w in _T3_HEADER_WORDS) else 0
    if kind == "table2":
        if next_kind != "table2" or "申请人情况" in n.text or "复议" in n.text:
            return None
        mine, theirs = _t2_order(p), _t2_order(n)
        return 0 if theirs and (not mine or min(theirs) > max(mine)) else None
    if kind == "table4" and _t4_data_row(p) is None and n.n_cols == p.n_cols:
        return 0 if _t4_values(n, 0) else None
    return None


def _t2_order(prep: _Prep) -> list[int]:
    """Positions (in the 2019 row order, a superset) of the table 二 rows a grid holds."""
    order = [row.key for row in ts.T2_2019_ROWS]
    found: list[int] = []
    for r in range(prep.n_rows):
        for _, s in prep.row_texts(r):
            row = ts.match_row(ts.T2_2019, s)
            if row is not None:
                found.append(order.index(row.key))
    return found


def _join(a: Grid, b: Grid, skip: int) -> Grid:
    """``a`` followed by the rows of ``b`` from ``skip`` on, padded to one width."""
    width = max(a.n_cols, b.n_cols)

    def pad(rows: list[list[str]]) -> list[list[str]]:
        return [list(row) + [""] * (width - len(row)) for row in rows]

    offset = len(a.rows) - skip
    return Grid(
        rows=pad(a.rows) + pad(b.rows[skip:]),
        start=a.start,
        end=max(a.end, b.end),
        page=a.page,
        spanned=set(a.spanned) | {(r + offset, c) for r, c in b.spanned if r >= skip},
    )
