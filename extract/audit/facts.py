"""Looking figures up in a record's typed tables: a table by kind, a row by name or code.

A reference is (table kind, row, column): row is a row's name or code, prefixed by its side in
the two-sided 收支总表 ("income/收入总计"); "合计" is the table's total row whatever it is called.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from ..model import BudgetTable, Record, TableRow
from ..tables.find import label_of
from .findings import Figure

COLUMN_NAMES = {
    "total": "合计", "basic": "基本支出", "project": "项目支出", "general": "一般公共预算",
    "fund": "政府性基金", "capital": "国有资本经营预算", "special": "财政专户管理资金",
    "own": "单位资金", "carryover": "上年结转", "current": "当年预算安排", "amount": "",
    "personnel": "人员经费", "public": "公用经费",
}  # fmt: skip


def fold(text: str) -> str:
    """Names compared as a reader compares them: width-folded, without white space."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def table_of(record: Record, kind: str) -> BudgetTable | None:
    return next((t for t in record.budget_tables if t.kind == kind), None)


def key_of(row: TableRow) -> str:
    """What a child names as its parent: the code where there is one, else the name."""
    return row.code or row.name


def rows_of(table: BudgetTable, side: str | None = None) -> list[TableRow]:
    return [r for r in table.rows if side is None or r.side == side]


def find_row(table: BudgetTable, selector: str) -> TableRow | None:
    """The row a selector names: "[side/]name-or-code"; 合计 is the table's total row."""
    side, _, name = selector.rpartition("/")
    rows = rows_of(table, side or None)
    if name == "合计":
        return next((r for r in rows if r.role == "total" and r.code is None), None)
    wanted = fold(name)
    return next((r for r in rows if r.code == name or fold(r.name) == wanted), None)


def describe(table: BudgetTable, row: TableRow, column: str) -> str:
    """How a message names a figure: 预算支出总表 合计 基本支出; 预算收入总表 206 科学技术支出 上年结转."""
    name = f"{row.code} {row.name}" if row.code else row.name
    col = COLUMN_NAMES.get(column, column)
    return " ".join(x for x in (label_of(table.kind), name, col) if x)


def figure(table: BudgetTable, row: TableRow, column: str) -> Figure:
    return Figure(describe(table, row, column), row.amounts.get(column), row.line)


def lookup(record: Record, kind: str, selector: str, column: str) -> Figure | None:
    """The figure a reference names, or None where the table or the row is not there."""
    table = table_of(record, kind)
    row = find_row(table, selector) if table else None
    if table is None or row is None or column not in row.amounts:
        return None
    if row.amounts[column] is None and row.unplaced:
        return None  # the layout lost which column the row's other amounts stand in
    return figure(table, row, column)


def children(rows: Sequence[TableRow], parent: TableRow) -> list[TableRow]:
    """The rows that add up into `parent`: same side, naming its key as their parent."""
    key = key_of(parent)
    return [r for r in rows if r.parent == key and r.side == parent.side and r is not parent]


def span(rows: Iterable[TableRow]) -> tuple[int | None, int | None]:
    lines = [r.line for r in rows]
    return (min(lines), max(lines)) if lines else (None, None)
