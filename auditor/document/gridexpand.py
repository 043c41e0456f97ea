"""Expand table cells with row/column spans into a full rectangular grid.

Shared by the HTML and DOCX loaders. A merged cell's text is repeated in every position it
covers; the repeated positions are returned as ``spanned`` so that a label is never counted
twice as a value. The grid is also written into the document text (one row per line, cells
joined by a tab, spanned copies left blank so each label is seen once and column positions
still line up).
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

MAX_SPAN = 1000  # HTML caps colspan at 1000 and rowspan at 65534; we cap both
MAX_CELLS = 200_000  # a grid bigger than this is not a report table

_CJK = regex.compile(r"[\p{Han}\p{Bopomofo}\u3000-\u303f\uff00-\uffef]")
_SPACE = regex.compile(r"[\s\u00a0]+")


@dataclass(slots=True)
class SpanCell:
    """One source cell: its text and how many rows/columns it covers."""

    text: str
    rowspan: int = 1
    colspan: int = 1


def expand(
    rows: list[list[SpanCell]], first_cols: list[int] | None = None
) -> tuple[list[list[str]], set[tuple[int, int]]]:
    """Place the cells of each row into a grid, honouring spans.

    ``first_cols`` optionally gives the column where each row starts (DOCX ``gridBefore``).
    Returns the padded grid and the set of (row, col) positions filled by a span copy.
    A rowspan is clipped at the last row; ``rowspan=0`` (HTML: "to the end") means the same.
    """
    n = len(rows)
    grid: list[list[str | None]] = [[] for _ in range(n)]
    spanned: set[tuple[int, int]] = set()
    cells = 0
    for r, row in enumerate(rows):
        col = first_cols[r] if first_cols else 0
        for cell in row:
            line = grid[r]
            while col < len(line) and line[col] is not None:
                col += 1
            rs = n - r if cell.rowspan <= 0 else min(cell.rowspan, n - r, MAX_SPAN)
            cs = max(1, min(cell.colspan, MAX_SPAN))
            cells += rs * cs
            if cells > MAX_CELLS:
                raise ValueError("table too large")
            for dr in range(rs):
                target = grid[r + dr]
                if len(target) < col + cs:
                    target.extend([None] * (col + cs - len(target)))
                for dc in range(cs):
                    if target[col + dc] is None:
                        target[col + dc] = cell.text
                        if dr or dc:
                            spanned.add((r + dr, col + dc))
            col += cs
    width = max((len(line) for line in grid), default=0)
    out = [[c if c is not None else "" for c in line] + [""] * (width - len(line)) for line in grid]
    return out, spanned


def join_pieces(pieces: list[str]) -> str:
    """Join the text pieces of one cell (its paragraphs / line breaks) into one string.

    Pieces meet without a space when either side is Chinese, so a vertical label written one
    character per paragraph (行/政/复/议) reads "行政复议"; Latin words and numbers keep a space.
    """
    out = ""
    for piece in pieces:
        piece = _SPACE.sub(" ", piece).strip()
        if not piece:
            continue
        if out and not (_CJK.match(out[-1]) or _CJK.match(piece[0])):
            out += " "
        out += piece
    return out


def grid_lines(rows: list[list[str]], spanned: set[tuple[int, int]]) -> list[str]:
    """The grid as text lines: cells joined by a tab, span copies blank."""
    return [
        "\t".join("" if (r, c) in spanned else cell for c, cell in enumerate(row))
        for r, row in enumerate(rows)
    ]
