"""pdftotext -layout tables placed back into their header's columns.

`pdftotext -layout` keeps a table's columns by where each cell starts on its line (Row.starts),
not by separators: a row's cells stand under the headings of the columns they belong to, and
a blank cell leaves only white space. Placing each cell under the heading whose column start
is nearest gives the row the header's positions, as a tab-separated export would have them,
so the readers of positional tables (project_list) can read it.

Converters count a line's columns two ways: one per character, or two for each wide (CJK)
character, as a terminal shows them. The count that puts the table's cells nearer to the
heading starts is used.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from budgetkg.extract.model import Row


def has_columns(row: Row) -> bool:
    """The row came with its cells' starts (pdftotext -layout)."""
    return bool(row.starts) and len(row.starts) == len(row.cells)


def regrid(header: Row, rows: Sequence[Row]) -> list[Row]:
    """`rows` with their cells under `header`'s columns (as many cells as the header has).
    Rows without starts are kept as they are."""
    wide = _misfit(header, rows, True) < _misfit(header, rows, False)
    heads = _columns(header, wide)
    return [_placed(row, heads, wide) if has_columns(row) else row for row in rows]


def _columns(row: Row, wide: bool) -> list[int]:
    """The start of each cell of `row`, counting wide characters twice when `wide`."""
    if not wide:
        return list(row.starts)
    out, extra = [], 0
    for cell, start in zip(row.cells, row.starts):
        out.append(start + extra)
        extra += sum(1 for c in cell if unicodedata.east_asian_width(c) in "WF")
    return out


def _placed(row: Row, heads: list[int], wide: bool) -> Row:
    cells = [""] * len(heads)
    last = -1
    for text, start in zip(row.cells, _columns(row, wide)):
        at = max(_nearest(heads, start), last + 1) if last + 1 < len(heads) else len(heads) - 1
        cells[at] = f"{cells[at]}{text}" if cells[at] else text
        last = at
    return Row.of_cells(row.line, row.end_line, tuple(cells), indent=row.indent) or row


def _nearest(heads: list[int], start: int) -> int:
    return min(range(len(heads)), key=lambda j: abs(heads[j] - start))


def _misfit(header: Row, rows: Sequence[Row], wide: bool) -> int:
    """How far the rows' cells start from the nearest heading start, summed."""
    heads = _columns(header, wide)
    return sum(
        abs(heads[_nearest(heads, start)] - start)
        for row in rows if has_columns(row) for start in _columns(row, wide)
    )
