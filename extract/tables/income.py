"""Tables of money by 功能分类 code and source: 预算收入总表, 政府性基金预算收入表 and the 国有
资本经营预算 tables (its 收支 table prints income codes on the left and spending on the right).

A row's amounts are put in the columns the header names: by cell position where the layout
keeps empty cells, and otherwise in order (see grid.place).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import BudgetTable, Issue, Row, TableRow
from .coded import Coded, coded_rows, name_of, parent_code
from .find import Context, RawTable, end_line, no_data, overall, table_kind
from .grid import Header, cells_group, place, read_header
from .text import is_code, norm, split_cells, stacked_amounts

INCOME_KEYS = ("total", "general", "fund", "capital", "special", "own", "carryover")
SPENDING_KEYS = ("total", "basic", "project")


def _first_filled(cells: Sequence[str]) -> int:
    return next(i for i, c in enumerate(cells) if c)


def _outside(keys) -> tuple[str, ...]:
    return tuple(k for k in keys if k == "carryover")


def _coded_amounts(item: Coded, header: Header, keys) -> tuple[dict, tuple[float, ...]]:
    """Amounts of a coded row: by position from its first line, else in printed order."""
    cells = item.row_cells
    positional_ = header.kept and len(cells) > 1 and bool(header.positions) and not item.stacked
    if positional_:
        group = cells_group(cells, _first_filled(cells) + 1, item.line, item.end_line, True)
    else:
        group = cells_group(item.cells, 0, item.line, item.end_line, False)
    return place(group, header, keys, _outside(keys))


def _total_amounts(items: list, k: int, header: Header, keys) -> tuple[dict, tuple[float, ...]]:
    """The 合计 row's amounts; with one cell per line they are on the lines below it."""
    row = split_cells(items[k])
    positional_ = header.kept and len(row.cells) > 1 and bool(header.positions)
    group = cells_group(
        row.cells, _first_filled(row.cells) + 1, row.line, row.end_line, positional_
    )
    if len(row.cells) == 1:
        plain = [r if isinstance(r, Row) else Row(0, 0, (), "") for r in items]
        group.amounts = [(None, v) for v in stacked_amounts(plain, k + 1, len(keys))]
    return place(group, header, keys, _outside(keys))


def _is_total_row(item) -> bool:
    return isinstance(item, Row) and bool(item.filled) and norm(item.filled[0]) in ("合计", "总计")


def coded_table_rows(rows: Sequence[Row], header: Header, keys, side=None) -> list[TableRow]:
    """The 合计 row and each coded row (under its parent code) of one side of a table."""
    items = list(coded_rows(rows[header.data_start :], width=len(keys)))
    coded = [i for i in items if isinstance(i, Coded)]
    totals = [k for k, item in enumerate(items) if _is_total_row(item)]
    printed = frozenset(i.code for i in coded)
    out: list[TableRow] = []
    if totals:
        amounts, unplaced = _total_amounts(items, totals[0], header, keys)
        first = items[totals[0]]
        out.append(
            TableRow(
                "合计", first.line, first.end_line, None, None, amounts, unplaced, "total", side
            )
        )
    for item in coded:
        amounts, unplaced = _coded_amounts(item, header, keys)
        parent = parent_code(item.code, printed) or ("合计" if totals else None)
        name = name_of(item)
        out.append(
            TableRow(
                name, item.line, item.end_line, item.code, parent, amounts, unplaced, "item", side
            )
        )
    return out


def _table(raw: RawTable, keys, rows: list[TableRow]) -> BudgetTable:
    return BudgetTable(
        raw.kind, raw.title, raw.line, end_line(raw), tuple(keys), tuple(rows), no_data(raw)
    )


def _parse_one_side(raw: RawTable, ctx: Context, issues: list[Issue]) -> BudgetTable:
    keys = INCOME_KEYS if raw.kind == "income" else ("amount",)
    header = read_header(raw.rows, keys)
    return _table(raw, keys, coded_table_rows(raw.rows, header, keys))


def _split_sides(row: Row) -> tuple[Row, Row]:
    """A row of income codes on the left and spending codes on the right, as two rows that keep
    every cell's position; a row without a second code (合计) stands on both sides."""
    row = split_cells(row)
    codes = [i for i, c in enumerate(row.cells) if c and is_code(c)]
    if len(codes) < 2:
        return row, row
    at = codes[1]
    left = Row(row.line, row.end_line, row.cells[:at], " ".join(c for c in row.cells[:at] if c))
    right_cells = ("",) * at + row.cells[at:]
    return left, Row(row.line, row.end_line, right_cells, " ".join(c for c in row.cells[at:] if c))


def _parse_capital(raw: RawTable, ctx: Context, issues: list[Issue]) -> BudgetTable:
    header = read_header(raw.rows, ("amount",) + SPENDING_KEYS)
    body = [_split_sides(r) for r in raw.rows[header.data_start :]]
    income = coded_table_rows(
        [left for left, _ in body], _from_start(header), ("amount",), "income"
    )
    spending = coded_table_rows(
        [right for _, right in body], _from_start(header), SPENDING_KEYS, "expenditure"
    )
    return _table(raw, ("amount",) + SPENDING_KEYS, income + spending)


def _from_start(header: Header) -> Header:
    return Header(header.positions, header.order, 0, header.kept)


table_kind("income", "预算收入总表", lambda t: overall(t, "收入") and "财政拨款" not in t)(
    _parse_one_side
)
table_kind(
    "fund_income", "政府性基金预算收入表",
    lambda t: "政府性基金" in t and "收入" in t and "支出" not in t,
)(_parse_one_side)  # fmt: skip
table_kind(
    "capital_income", "国有资本经营预算收入表",
    lambda t: "国有资本经营" in t and "收入" in t and "支出" not in t and "收支" not in t,
)(_parse_one_side)  # fmt: skip
table_kind("capital", "国有资本经营预算收支预算表", lambda t: "国有资本经营" in t and "收支" in t)(
    _parse_capital
)
