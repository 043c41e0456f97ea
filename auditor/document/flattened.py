"""Recover the standard tables 二, 三 and 四 from text whose table cells were flattened.

Crawled pages often lose their table markup: a row such as "一、本年新收政府信息公开申请数量
640020470" is the cells 64, 0, 0, 2, 0, 4, 70 run together. A space always separates cells,
but one space-free token may hold several cells, and an empty cell leaves nothing.

Each table is found by its row labels in order (:mod:`auditor.document.tableschema`); the
digits between one row label and the next are that row's cells. A run is split under the
table's structure:

1. *Structure*: the number of columns, a cell never spans a space, no leading zeros ("012"
   is 0, 1, 2), bounded cell length, decimals only in amount columns, a sign only in the
   2019 本年增/减 column. Blank cells are considered in table 二 (often left empty) and in
   tables 三/四 only when a run has fewer digits than columns.
2. If the structure allows exactly one split, that is what the source says, even when its
   sums do not add up (a defect the rules report). If it allows several, the table's sums
   choose: table 三 total = sum of the six applicant columns, per column 本年新收 + 上年结转
   = (七)总计 + 结转下年度 and (七)总计 = sum of the result rows; table 四 per group
   总计 = 维持 + 纠正 + 其他 + 未结. Table 二 has no sums.
3. Cells on which every remaining split agrees are kept; the others are listed in
   ``Table.ambiguous``. A row no split fits is listed in ``Table.unresolved`` (its keys are
   ambiguous too); when its digits only fit by reading a run of zeros as one cell ("00")
   the zero values, which every such reading shares, are kept.

Nothing is guessed: an unsettled cell is reported as unsettled. Offsets are in the
normalised text that :func:`recover` receives.

A run's reading depends only on its text and its row's columns, so readings are remembered
per column layout (offsets relative to the run) and reused by later rows and documents.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import regex

from auditor.document.model import CellValue, Table
from auditor.document.tableschema import (
    SPECS,
    T3_RESULT_PARTS,
    T4,
    RowSpec,
    TableSpec,
    row_cols,
)

MAX_CANDIDATES = 256  # more readings than this: the row is simply ambiguous
STEP_BUDGET = 20_000  # cells tried per enumeration …
TOTAL_BUDGET = 100_000  # … and per document, so arbitrary text stays cheap
MAX_COMBOS = 20_000  # joint readings of table 三 rows checked against column sums
MEMO_SIZE = 256  # remembered readings, all layouts together (~2.5 KB each; cleared when full)
_WINDOW = 400  # characters searched for the next row label
_HEAD_GAP = 160  # characters allowed between table 四's last group label and its digits

_RUN = regex.compile(r"(?:[0-9 .+\-/—–]|个|件|项|条|万元|元)*")
_TOKEN = regex.compile(r"[+\-]?[0-9][0-9.]*|[/—–\-]+")
_STOP = "0123456789/—–-+"  # characters that end a label
_ISSPACE = "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# a label's words, read backwards from its match: no stop character and no str.isspace()
_WORDS_BEFORE = regex.compile(r"(?r)[^0-9/—–\-+" + _ISSPACE + "]*")
# the rest of a label: no digit, and no other stop character unless a Han character follows
_LABEL_REST = regex.compile(r"(?:[^0-9/—–\-+]|[/—–\-+](?=\p{Han}))*")
_PREFIX = regex.compile(r"^(\d+)\.")


@dataclass(frozen=True, slots=True)
class _Col:
    """How one column's cells may be written."""

    key: str
    max_len: int = 6
    decimal: bool = False
    signed: bool = False


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str
    start: int
    blank: bool  # an explicit blank marker such as "/" or "—"


class _Cell(NamedTuple):
    raw: str
    value: int | float | None
    start: int
    end: int


Split = tuple[_Cell, ...]


@dataclass(frozen=True, slots=True)
class Check:
    """A constraint on the cells placed so far, tested after each cell.

    ``test(k, cells)`` sees the first ``k`` cells. ``carry(k, cells)`` is everything later
    tests need to know about those ``k`` cells (a partial sum), so that a search state is
    its position plus the carry: a state that led to no split never needs exploring again.
    """

    test: Callable[[int, list[_Cell]], bool]
    carry: Callable[[int, list[_Cell]], Hashable]


@dataclass(slots=True)
class _Row:
    """A located row label and the cell run that follows it."""

    spec: RowSpec
    match_start: int
    match_end: int
    start: int = -1
    end: int = -1
    run_start: int = -1
    run_end: int = -1


@dataclass(slots=True)
class _Reading:
    """The candidate splits left for one run and how they were obtained.

    ``steps`` is what the search cost the document's budget; ``agreed`` caches
    :func:`_agree` for these splits.
    """

    splits: list[Split]
    unresolved: bool = False
    steps: int = 0
    agreed: list[_Cell | None] | None = None

    def cells(self, width: int) -> list[_Cell | None]:
        """Per column, the cell every split agrees on (``None`` when they differ)."""
        if self.agreed is None:
            self.agreed = _agree(self.splits, width)
        return self.agreed


@dataclass(frozen=True, slots=True, eq=False)
class _Layout:
    """The columns of a kind of row, their sum check, and the readings made for them.

    ``blanks``: blank cells are always considered (table 二); otherwise only when a run has
    fewer digits than columns.
    """

    cols: tuple[_Col, ...]
    check: Check | None
    blanks: bool


# (layout, run text) → its reading, per process: runs such as all-zero rows recur across
# documents. Layouts are module constants, so their identity is a stable key.
_MEMO: dict[tuple[int, str], _Reading] = {}


@dataclass(slots=True)
class _Budget:
    """Search steps left for one document."""

    left: int = TOTAL_BUDGET


class _Abort(Exception):
    """Raised inside the search when the candidate limit or step budget is exceeded."""


# --- public API ---------------------------------------------------------------------------


def recover(text: str, version: str | None = None) -> list[Table]:
    """Recover tables 二, 三 and 四 from normalised ``text``.

    ``version`` ("2019" | "2021") fixes the report format; when it is ``None`` each table's
    own wording decides (table 三: the 2021 sub-rows of (六); table 二: its column header).
    """
    if not isinstance(text, str) or not text:
        return []
    fixed = version if version in ("2019", "2021") else None
    budget = _Budget()
    t3 = _table3(text, fixed, budget)
    t2 = _table2(text, fixed, budget)
    t4_version = fixed or (t3.version if t3 else t2.version if t2 else "2021")
    t4 = _table4(text, t4_version, t3.end if t3 else 0, budget)
    out = [t for t in (t2, t3, t4) if t is not None]
    out.sort(key=lambda t: t.start)
    return out


# --- locating labels ----------------------------------------------------------------------


def _core(pattern: str) -> regex.Pattern[str]:
    """A row pattern usable in running text: no anchors, no optional enumerator."""
    core = pattern.replace(r"^\d?\.?", "").replace("^", "").replace("$", "")
    return regex.compile(core)


_CORES: dict[str, regex.Pattern[str]] = {}


def _find(text: str, row: RowSpec, lo: int, hi: int) -> regex.Match[str] | None:
    pat = _CORES.get(row.pattern)
    if pat is None:
        pat = _CORES[row.pattern] = _core(row.pattern)
    return pat.search(text, lo, max(lo, min(hi, len(text))))


def _locate(text: str, rows: tuple[RowSpec, ...], anchor: int) -> list[_Row]:
    """Find the row labels in order, each within a window after the previous one."""
    found: list[_Row] = []
    cursor = anchor
    for spec in rows:
        m = _find(text, spec, cursor, cursor + _WINDOW)
        if m is None:
            continue
        found.append(_Row(spec, m.start(), m.end()))
        cursor = m.end()
    for i, row in enumerate(found):
        lo = found[i - 1].match_end if i else max(0, row.match_start - 20)
        row.start = _label_start(text, row, lo)
    for i, row in enumerate(found):
        hi = found[i + 1].start if i + 1 < len(found) else len(text)
        row.end = _label_end(text, row.match_end, hi)
        m = _RUN.match(text, row.end, hi)
        row.run_start, row.run_end = row.end, m.end() if m else row.end
    return found


def _label_end(text: str, pos: int, hi: int) -> int:
    """Extend a label match forwards to the first digit or stand-alone blank marker."""
    if pos >= hi:
        return pos
    rest = _LABEL_REST.match(text, pos, hi + 1)  # the character at ``hi`` may follow a stop
    return min(rest.end(), hi)


def _label_start(text: str, row: _Row, lo: int) -> int:
    """Extend a label match backwards over its words and its expected enumerator ("2.")."""
    s = _WORDS_BEFORE.match(text, lo, row.match_start).start()
    m = _PREFIX.match(row.spec.label)
    if m and s < len(text) and text[s] in ".、)":
        num = m.group(1)
        if text[s] == ")" and text[max(0, s - len(num) - 1) : s] == "(" + num:
            return s - len(num) - 1
        if text[max(0, s - len(num)) : s] == num:
            return s - len(num)
    return s


# --- splitting a run ----------------------------------------------------------------------


def _tokens(text: str, start: int, end: int) -> list[_Tok]:
    toks = []
    for m in _TOKEN.finditer(text, start, end):
        raw = m.group(0)
        if raw[0].isdigit() or (raw[0] in "+-" and raw[1:2].isdigit()):
            raw = raw.rstrip(".")
            toks.append(_Tok(raw, m.start(), False))
        else:
            toks.append(_Tok(raw, m.start(), True))
    return toks


_DEC = regex.compile(r"(?:0|[1-9][0-9]*)\.[0-9]+")


def _parse(piece: str, col: _Col, relaxed: bool) -> int | float | None:
    """The value of a candidate cell, or ``None`` when the column cannot hold it."""
    sign = 1
    body = piece
    if body[:1] in ("+", "-"):
        if not col.signed:
            return None
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    if "." in body:
        if col.decimal and _DEC.fullmatch(body) and len(body.split(".")[0]) <= col.max_len:
            return sign * float(body)
        return None
    if len(body) > col.max_len:
        return None
    if body.isdigit() and (body[0] != "0" or body == "0" or (relaxed and not body.strip("0"))):
        return sign * int(body)
    return None


def _enumerate(
    toks: list[_Tok],
    cols: list[_Col],
    end: int,
    budget: _Budget,
    *,
    blanks: bool,
    relaxed: bool = False,
    check: Check | None = None,
    limit: int = MAX_CANDIDATES,
) -> list[Split] | None:
    """All splits of ``toks`` into ``cols`` (``None`` when more than ``limit`` or too costly)."""
    splitter = _Splitter(toks, cols, end, blanks=blanks, relaxed=relaxed)
    n = len(cols)
    out: list[Split] = []
    cells: list[_Cell] = []
    steps = 0
    dead: set[tuple[int, int, int, Hashable]] = set()  # states known to lead to no split

    def rec(ti: int, ci: int, k: int) -> None:
        nonlocal steps
        if k == n:
            if ti == len(toks):
                out.append(tuple(cells))
                if len(out) > limit:
                    raise _Abort
            return
        state = (ti, ci, k, None if check is None else check.carry(k, cells))
        if state in dead:
            return
        found = len(out)
        for cell, nti, nci in splitter.moves(ti, ci, k):
            steps += 1
            budget.left -= 1
            if steps > STEP_BUDGET or budget.left < 0:
                raise _Abort
            cells.append(cell)
            if check is None or check.test(k + 1, cells):
                rec(nti, nci, k + 1)
            cells.pop()
        if len(out) == found:
            dead.add(state)

    try:
        rec(0, 0, 0)
    except _Abort:
        return None
    return out


class _Splitter:
    """The ways a run may be split: the next cells from a state (token, character, column)
    for :func:`_enumerate`, and a count of the splits without a check (at most ``cap``).

    Counting keeps no list of cells, so each state is settled once: a cheap way to learn
    that a run has one reading (then :meth:`only` walks it) or too many, before listing any.
    """

    def __init__(
        self, toks: list[_Tok], cols: list[_Col], end: int, *, blanks: bool, relaxed: bool
    ) -> None:
        self.toks, self.cols, self.end = toks, cols, end
        self.blanks, self.relaxed = blanks, relaxed
        self.widest = max(
            (c.max_len + (3 if c.decimal else 0) + int(c.signed) for c in cols), default=1
        )
        self.tail = [0] * (len(toks) + 1)
        for i in range(len(toks) - 1, -1, -1):
            self.tail[i] = self.tail[i + 1] + len(toks[i].text)
        self.memo: dict[tuple[int, int, int], int] = {}  # state → splits from it (capped)
        self.first: dict[tuple[int, int, int], tuple[_Cell, int, int]] = {}  # its first move
        # columns written alike (same length, decimals, sign) share their cuts
        shapes = [(c.max_len, c.decimal, c.signed) for c in cols]
        self.shape = [shapes.index(s) for s in shapes]
        self.cuts: dict[tuple[int, int, int], list[tuple[_Cell, int, int]]] = {}

    def moves(self, ti: int, ci: int, k: int) -> Iterator[tuple[_Cell, int, int]]:
        """The cells that may come next, with the token and character after each."""
        toks, left, rest = self.toks, len(self.cols) - k, self.tail[ti] - ci
        if len(toks) - ti > left or rest > left * self.widest:
            return
        if not self.blanks and rest < left:
            return
        if self.blanks:
            pos = toks[ti].start + ci if ti < len(toks) else self.end
            yield _Cell("", None, pos, pos), ti, ci
        if ti == len(toks):
            return
        cut = (ti, ci, self.shape[k])
        cuts = self.cuts.get(cut)
        if cuts is None:
            cuts = self.cuts[cut] = self._cuts(ti, ci, self.cols[k])
        yield from cuts

    def _cuts(self, ti: int, ci: int, col: _Col) -> list[tuple[_Cell, int, int]]:
        """The non-blank cells of column ``col`` that may start at character ``ci`` of token
        ``ti``, with the token and character after each."""
        tok = self.toks[ti]
        if tok.blank:
            return [(_Cell(tok.text, None, tok.start, tok.start + len(tok.text)), ti + 1, 0)]
        t = tok.text
        cuts = []
        for j in range(ci + 1, len(t) + 1):
            if j < len(t) and not (t[j - 1].isdigit() and t[j].isdigit()):
                continue
            value = _parse(t[ci:j], col, self.relaxed)
            if value is not None:
                cell = _Cell(t[ci:j], value, tok.start + ci, tok.start + j)
                cuts.append((cell, ti + 1, 0) if j == len(t) else (cell, ti, j))
        return cuts

    def count(self, cap: int, ti: int = 0, ci: int = 0, k: int = 0) -> int:
        if k == len(self.cols):
            return 1 if ti == len(self.toks) else 0
        state = (ti, ci, k)
        if state not in self.memo:
            total = 0
            for move in self.moves(ti, ci, k):
                found = self.count(cap, move[1], move[2], k + 1)
                if found and not total:
                    self.first[state] = move
                total += found
                if total >= cap:
                    break
            self.memo[state] = min(total, cap)
        return self.memo[state]

    def only(self) -> Split:
        """The one split, after :meth:`count` found exactly one."""
        cells: list[_Cell] = []
        ti = ci = 0
        for k in range(len(self.cols)):
            cell, ti, ci = self.first[(ti, ci, k)]
            cells.append(cell)
        return tuple(cells)


def _obvious(toks: list[_Tok], cols: list[_Col]) -> Split | None:
    """The only split when no cell is blank and each token, or each digit, is one cell."""
    if len(toks) == len(cols):
        pieces = [(t.text, t.start, t.blank) for t in toks]
    elif all(t.text.isdigit() for t in toks) and sum(len(t.text) for t in toks) == len(cols):
        pieces = [(ch, t.start + i, False) for t in toks for i, ch in enumerate(t.text)]
    else:
        return None
    cells = []
    for (text, start, blank), col in zip(pieces, cols, strict=True):
        value = None if blank else _parse(text, col, False)
        if value is None and not blank:
            return None
        cells.append(_Cell(text, value, start, start + len(text)))
    return tuple(cells)


def _read(
    toks: list[_Tok],
    cols: list[_Col],
    end: int,
    budget: _Budget,
    *,
    blanks: bool,
    check: Check | None,
) -> _Reading:
    """Structure first; sums only choose among several structural readings."""
    if not blanks:
        obvious = _obvious(toks, cols)
        if obvious is not None:
            return _Reading([obvious])
    structure = _Splitter(toks, cols, end, blanks=blanks, relaxed=False)
    readings = structure.count(MAX_CANDIDATES + 1)
    if readings == 1:
        return _Reading([structure.only()])
    if readings == 0:
        relaxed = _Splitter(toks, cols, end, blanks=blanks, relaxed=True)
        if relaxed.count(MAX_CANDIDATES + 1) > MAX_CANDIDATES:
            return _Reading([], unresolved=True)
        every = _enumerate(toks, cols, end, budget, blanks=blanks, relaxed=True)
        return _Reading(every or [], unresolved=True)
    if check is not None:
        summed = _enumerate(toks, cols, end, budget, blanks=blanks, check=check)
        if summed is not None:
            if summed or readings > MAX_CANDIDATES:
                return _Reading(summed, unresolved=not summed)
            every = _enumerate(toks, cols, end, budget, blanks=blanks)
            return _Reading(every or [], unresolved=True)
        return _Reading([])
    if readings > MAX_CANDIDATES:
        return _Reading([])
    return _Reading(_enumerate(toks, cols, end, budget, blanks=blanks) or [])


def _read_run(text: str, start: int, end: int, layout: _Layout, budget: _Budget) -> _Reading:
    """The reading of the run ``text[start:end]``, its offsets relative to ``start``.

    A remembered reading is reused when the budget still holds the steps it cost (so the
    search would not have run out); otherwise the run is read again.
    """
    run = text[start:end]
    key = (id(layout), run)
    known = _MEMO.get(key)
    if known is not None and known.steps <= budget.left:
        budget.left -= known.steps
        return known
    toks = _tokens(run, 0, len(run))
    blanks = layout.blanks or _units(toks) < len(layout.cols)
    left = budget.left
    reading = _read(toks, list(layout.cols), len(run), budget, blanks=blanks, check=layout.check)
    if budget.left >= 0:  # the search did not run out: the reading is the run's own
        reading.steps = left - budget.left
        if len(_MEMO) >= MEMO_SIZE:
            _MEMO.clear()
        _MEMO[key] = reading
    return reading


def _n(value: int | float | None) -> int | float:
    return 0 if value is None else value


@cache
def _sum_check(total_at: int, parts: range) -> Check:
    """Cell ``total_at`` equals the sum of cells ``parts`` (checked once all are placed)."""
    if any(i >= total_at for i in parts):
        raise ValueError("the parts must come before the total")

    def test(k: int, cells: list[_Cell]) -> bool:
        if k != total_at + 1:
            return True
        return _n(cells[total_at].value) == sum(_n(cells[i].value) for i in parts)

    def carry(k: int, cells: list[_Cell]) -> Hashable:
        if k > total_at:
            return None
        return sum(_n(cells[i].value) for i in parts if i < k)

    return Check(test, carry)


@cache
def _groups_check(size: int) -> Check:
    """Each group of ``size`` cells ends with its total (table 四)."""

    def test(k: int, cells: list[_Cell]) -> bool:
        if k % size:
            return True
        group = cells[k - size : k]
        return _n(group[-1].value) == sum(_n(c.value) for c in group[:-1])

    def carry(k: int, cells: list[_Cell]) -> Hashable:
        return sum(_n(c.value) for c in cells[k - k % size : k])

    return Check(test, carry)


# --- assembling a table -------------------------------------------------------------------


def _agree(splits: list[Split], width: int) -> list[_Cell | None]:
    """Per column, the cell whose value every split agrees on (span = hull of positions)."""
    if len(splits) == 1:
        return list(splits[0])
    cells: list[_Cell | None] = [None] * width
    if not splits:
        return cells
    for i in range(width):
        column = [s[i] for s in splits]
        values = {c.value for c in column}
        if len(values) != 1 or (None in values and len({c.raw for c in column}) != 1):
            continue
        raws = {c.raw for c in column}
        first = column[0]
        raw = first.raw if len(raws) == 1 else _fmt(first.value)
        start = min(c.start for c in column)
        end = max(c.end for c in column)
        cells[i] = _Cell(raw, first.value, start, end)
    return cells


def _fmt(value: int | float | None) -> str:
    return "" if value is None else str(value)


@dataclass(slots=True)
class _Builder:
    """Collects the cells and flags of one table."""

    kind: str
    version: str
    cells: dict[str, CellValue]
    ambiguous: list[str]
    unresolved: list[str]
    grid: list[list[str]]
    row_labels: list[str]

    def add(
        self, label: str, row_key: str, keys: tuple[str, ...], reading: _Reading, base: int
    ) -> None:
        """One row whose run starts at ``base``."""
        self.row_labels.append(label)
        self.grid.append([label, *self.place(keys, reading, base)])
        if reading.unresolved or not reading.splits:
            self.unresolved.append(f"{self.kind}.{row_key}")

    def place(self, keys: tuple[str, ...], reading: _Reading, base: int) -> list[str]:
        """Keep the agreed cells (offsets from ``base``), list the others as ambiguous, and
        return the grid text of each key ("?" when ambiguous)."""
        texts = []
        for key, cell in zip(keys, reading.cells(len(keys)), strict=True):
            if cell is None:
                self.ambiguous.append(key)
                texts.append("?")
            else:
                self.cells[key] = CellValue(
                    cell.raw, cell.value, cell.start + base, cell.end + base
                )
                texts.append(cell.raw)
        return texts

    def table(self, cols: int, start: int, end: int, col_labels: list[str]) -> Table:
        return Table(
            kind=self.kind,  # type: ignore[arg-type]
            rows=len(self.grid),
            cols=cols,
            cells=self.cells,
            grid=self.grid,
            row_labels=self.row_labels,
            col_labels=col_labels,
            version=self.version,
            source="flattened",
            ambiguous=self.ambiguous,
            unresolved=self.unresolved,
            start=start,
            end=end,
        )


def _builder(kind: str, version: str) -> _Builder:
    return _Builder(kind, version, {}, [], [], [], [])


@cache
def _keys(prefix: str, layout: _Layout) -> tuple[str, ...]:
    """The canonical keys of a row's cells ("table3.new" → "table3.new.natural_person", …)."""
    return tuple(f"{prefix}.{c.key}" for c in layout.cols)


# --- table 三 -----------------------------------------------------------------------------

_T3_ANCHOR = regex.compile(r"本年新收")
_T3_2021 = regex.compile(r"不补正|收费通知")
_T3_NEXT = regex.compile(r"上年结转")
_T3_HEAD = regex.compile(r"申请人情况")


def _t3_layout(spec: TableSpec) -> _Layout:
    cols = tuple(_Col(c.key) for c in spec.cols)
    return _Layout(cols, _sum_check(len(cols) - 1, range(len(cols) - 1)), blanks=False)


_T3_LAYOUTS = {v: _t3_layout(SPECS[("table3", v)]) for v in ("2019", "2021")}


def _table3(text: str, fixed: str | None, budget: _Budget) -> Table | None:
    best: list[_Row] = []
    spec = SPECS[("table3", fixed or "2019")]
    for m in _T3_ANCHOR.finditer(text):
        if not _T3_NEXT.search(text, m.end(), m.end() + 200):
            continue
        version = fixed or ("2021" if _T3_2021.search(text, m.end(), m.end() + 2000) else "2019")
        found = _locate(text, SPECS[("table3", version)].rows, m.start())
        if _score(found) > _score(best):
            best, spec = found, SPECS[("table3", version)]
    version = spec.version
    value_rows = [r for r in spec.rows if r.value]
    located = [r for r in best if r.spec.value]
    if len(located) < len(value_rows) // 2:
        return None
    layout = _T3_LAYOUTS[version]
    readings: dict[str, _Reading] = {}
    bases: dict[str, int] = {}
    for row in located:
        readings[row.spec.key] = _read_run(text, row.run_start, row.run_end, layout, budget)
        bases[row.spec.key] = row.run_start
    _column_filter(readings, version)
    build = _builder("table3", version)
    for spec_row in value_rows:
        keys = _keys(f"table3.{spec_row.key}", layout)
        if spec_row.key in readings:
            reading = readings[spec_row.key]
            build.add(spec_row.label, spec_row.key, keys, reading, bases[spec_row.key])
        else:
            build.unresolved.append(f"table3.{spec_row.key}")
            build.ambiguous.extend(keys)
    head = _T3_HEAD.search(text, max(0, best[0].start - 200), best[0].start)
    start = head.start() if head else best[0].start
    end = max(r.run_end for r in best)
    return build.table(len(layout.cols), start, end, [c.label for c in spec.cols])


def _score(found: list[_Row]) -> tuple[int, int]:
    """More value rows first, then the more compact placement (a table, not narrative)."""
    if not found:
        return (0, 0)
    return (sum(r.spec.value for r in found), found[0].start - found[-1].end)


def _units(toks: list[_Tok]) -> int:
    """The most cells a run can hold (one per digit or blank marker)."""
    return sum(1 if t.blank else sum(ch.isdigit() for ch in t.text) for t in toks)


def _column_filter(readings: dict[str, _Reading], version: str) -> None:
    """Keep only row readings that satisfy table 三's column sums with the other rows."""
    parts = T3_RESULT_PARTS[version]
    equations = [
        {"results.total": 1, **dict.fromkeys(parts, -1)},
        {"new": 1, "carried_in": 1, "results.total": -1, "carried_out": -1},
    ]
    usable = [
        eq
        for eq in equations
        if all(r in readings and readings[r].splits and not readings[r].unresolved for r in eq)
    ]
    rows = sorted({r for eq in usable for r in eq})
    multi = [r for r in rows if len(readings[r].splits) > 1]
    if not multi or math.prod(len(readings[r].splits) for r in multi) > MAX_COMBOS:
        return
    # every equation, column by column, is a sum of terms: those of the settled rows are
    # added up once, each reading of the other rows contributes its own vector of terms
    settled = [_terms(usable, r, readings[r].splits[0]) for r in rows if r not in multi]
    base = [sum(col) for col in zip(*settled, strict=True)] if settled else None
    options = [[_terms(usable, r, split) for split in readings[r].splits] for r in multi]
    keep: dict[str, set[int]] = {r: set() for r in multi}
    for combo in itertools.product(*(range(len(o)) for o in options)):
        vectors = [o[i] for o, i in zip(options, combo, strict=True)]
        if base is not None:
            vectors.append(base)
        if not any(map(sum, zip(*vectors, strict=True))):
            for r, i in zip(multi, combo, strict=True):
                keep[r].add(i)
    if not any(keep.values()):
        return
    for r in multi:  # new readings: the old ones may be remembered for their runs
        kept = [readings[r].splits[i] for i in sorted(keep[r])]
        readings[r] = _Reading(kept, readings[r].unresolved)


def _terms(equations: list[dict[str, int]], row: str, split: Split) -> tuple[int | float, ...]:
    """Row ``row``'s terms in each equation (weight × cell), column by column."""
    return tuple(eq.get(row, 0) * _n(cell.value) for eq in equations for cell in split)


# --- table 四 -----------------------------------------------------------------------------

_T4_AFTER = regex.compile(r"复议后起诉")
_T4_START = regex.compile(r"行政法?复议\s*行政诉讼")
_T4_LAYOUT = _Layout(  # 15 columns, group by group
    tuple(_Col(f"{g.key}.{c.key}") for g in T4.rows for c in T4.cols),
    _groups_check(len(T4.cols)),
    blanks=False,
)


def _table4(text: str, version: str, after: int, budget: _Budget) -> Table | None:
    m = _T4_AFTER.search(text, max(0, after)) or _T4_AFTER.search(text)
    if m is None:
        return None
    pos = m.end()
    limit = min(len(text), pos + _HEAD_GAP)
    while pos < limit and text[pos] not in _STOP:
        pos += 1
    if pos >= limit:
        return None
    run = _RUN.match(text, pos)
    run_end = run.end() if run else pos
    while run_end > pos and text[run_end - 1] == " ":
        run_end -= 1
    head = None
    for h in _T4_START.finditer(text, max(0, m.start() - 200), m.start()):
        head = h
    reading = _read_run(text, pos, run_end, _T4_LAYOUT, budget)
    build = _builder("table4", version)
    texts = build.place(_keys("table4", _T4_LAYOUT), reading, pos)
    if reading.unresolved or not reading.splits:
        build.unresolved.extend(f"table4.{g.key}" for g in T4.rows)
    width = len(T4.cols)
    for gi, group in enumerate(T4.rows):
        build.row_labels.append(group.label)
        build.grid.append([group.label, *texts[gi * width : (gi + 1) * width]])
    start = head.start() if head else m.start()
    return build.table(width, start, run_end, [c.label for c in T4.cols])


# --- table 二 -----------------------------------------------------------------------------

_T2_ANCHOR = regex.compile(r"本年制发件数|本年新制作数量")
_T2_VERSION = {"本年制发件数": "2021", "本年新制作数量": "2019"}
_T2_TITLE = regex.compile(r"第二十条第\(一\)项")


def _t2_col(key: str) -> _Col:
    if key == "amount":
        return _Col(key, max_len=12, decimal=True)
    return _Col(key, max_len=7, signed=key == "change")


_T2_LAYOUTS = {
    (version, row.key): _Layout(
        tuple(_t2_col(c.key) for c in row_cols(SPECS[("table2", version)], row)), None, True
    )
    for version in ("2019", "2021")
    for row in SPECS[("table2", version)].rows
}


def _table2(text: str, version: str | None, budget: _Budget) -> Table | None:
    anchor = _T2_ANCHOR.search(text)
    if anchor is None:
        return None
    version = version or _T2_VERSION[anchor.group(0)]
    spec: TableSpec = SPECS[("table2", version)]
    found = _locate(text, spec.rows, anchor.end())
    if len(found) < 2:
        return None
    build = _builder("table2", version)
    width = 0
    for row in found:
        layout = _T2_LAYOUTS[(version, row.spec.key)]
        width = max(width, len(layout.cols))
        reading = _read_run(text, row.run_start, row.run_end, layout, budget)
        keys = _keys(f"table2.{row.spec.key}", layout)
        build.add(row.spec.label, row.spec.key, keys, reading, row.run_start)
    title = _T2_TITLE.search(text, max(0, anchor.start() - 60), anchor.start())
    start = title.start() if title else anchor.start()
    return build.table(width, start, max(r.run_end for r in found), [])
