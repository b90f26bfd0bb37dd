"""Arithmetic inside one table: children add up to their parent, a row's parts to its total, and
a 收支总表 balances (收入总计 = 支出总计).

A column is checked only where the layout placed every amount in it: an amount pdftotext printed
without its column (`TableRow.unplaced`) still counts toward its row's own total, but no column
sum is built on a guess.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import BudgetTable, Record, TableRow
from ..tables.find import label_of
from .facts import children, describe, find_row, span
from .findings import Figure, Finding, amount, differs

# The parts of each kind's total, per side: (total column, part columns, columns outside both).
ROW_PARTS: dict[tuple[str, str | None], tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    ("expenditure", None): ("total", ("basic", "project"), ()),
    ("general_expenditure", None): ("total", ("basic", "project"), ()),
    ("fund_expenditure", None): ("total", ("basic", "project"), ()),
    ("capital_expenditure", None): ("total", ("basic", "project"), ()),
    ("capital", "expenditure"): ("total", ("basic", "project"), ()),
    ("income", None): ("total", ("general", "fund", "capital", "special", "own"), ("carryover",)),
    ("summary", "expenditure"): ("total", ("current", "carryover"), ()),
    ("fiscal_summary", "expenditure"): ("total", ("general", "fund", "capital"), ()),
    ("basic_economic", None): ("total", ("personnel", "public"), ()),
    ("three_public", None): ("total", ("general", "fund", "capital"), ()),
    ("office_operation", None): ("total", ("general", "fund", "capital"), ()),
}


def check_children(record: Record) -> Iterator[Finding]:
    """Every row with rows under it (206 → 20601, 合计 → 206, 本年收入合计 → 一般公共预算 …):
    in each column, the rows under it add up to it."""
    for table in record.budget_tables:
        if table.kind.startswith("projects_"):
            continue
        for parent in table.rows:
            kids = children(table.rows, parent)
            if kids:
                yield from _column_sums(table, parent, kids)


def _column_sums(table: BudgetTable, parent: TableRow, kids: list[TableRow]) -> Iterator[Finding]:
    lead = _lead(table, parent)
    loose = [r for r in (parent, *kids) if r.unplaced]
    for column in parent.amounts:
        if loose and (column != lead or any(r.amounts.get(lead) is None for r in loose)):
            continue  # a column the layout lost for some row: its sum is not known
        values = [k.amounts.get(column) for k in kids]
        printed = [v for v in values if v is not None]
        total = parent.amounts.get(column)
        if not differs(total, sum(printed), len(printed)) or (total is None and not printed):
            continue
        a, b = span(kids)
        where = f"the {len(kids)} rows under it"
        yield Finding(
            "sums",
            f"{describe(table, parent, column)} is {amount(total)}, but {where} add up to "
            f"{amount(round(sum(printed), 2))}",
            Figure(describe(table, parent, column), total, parent.line),
            Figure(f"{label_of(table.kind)}: {where}", round(sum(printed), 2), a, b),
        )


def _lead(table: BudgetTable, row: TableRow) -> str:
    """The column the layout always places: the first of the row's side."""
    spec = ROW_PARTS.get((table.kind, row.side)) or ROW_PARTS.get((table.kind, None))
    return spec[0] if spec else next(iter(row.amounts), "")


def check_row_parts(record: Record) -> Iterator[Finding]:
    """In each row, the parts (基本支出 + 项目支出, the sources of money …) add up to its 合计."""
    for table in record.budget_tables:
        for row in table.rows:
            spec = ROW_PARTS.get((table.kind, row.side)) or ROW_PARTS.get((table.kind, None))
            if spec is not None:
                yield from _row_sum(table, row, *spec)


def _row_sum(table: BudgetTable, row: TableRow, total_key, part_keys, outside) -> Iterator[Finding]:
    if row.unplaced and any(row.amounts.get(k) is None for k in outside):
        return  # an unplaced amount may be one outside the total (上年结转): cannot tell
    parts = [row.amounts.get(k) for k in part_keys] + list(row.unplaced)
    printed = [v for v in parts if v is not None]
    total = row.amounts.get(total_key)
    if (total is None and not any(printed)) or not differs(total, sum(printed), len(printed)):
        return
    names = " + ".join(describe(table, row, k).split(" ")[-1] for k in part_keys)
    yield Finding(
        "row_sum",
        f"{describe(table, row, total_key)} is {amount(total)}, but {names} make "
        f"{amount(round(sum(printed), 2))}",
        Figure(describe(table, row, total_key), total, row.line),
        Figure(f"{label_of(table.kind)} {row.name}: {names}", round(sum(printed), 2), row.line),
    )


def check_balance(record: Record) -> Iterator[Finding]:
    """A 收支总表 balances: 收入总计 equals 支出总计."""
    for table in record.budget_tables:
        if table.kind not in ("summary", "fiscal_summary"):
            continue
        income = find_row(table, "income/收入总计")
        spending = find_row(table, "expenditure/支出总计")
        if income is None or spending is None:
            continue
        a, b = income.amounts.get("amount"), spending.amounts.get("total")
        if differs(a, b, 2):
            yield Finding(
                "balance",
                f"{label_of(table.kind)} does not balance: 收入总计 {amount(a)}, 支出总计 {amount(b)}",
                Figure(f"{label_of(table.kind)} 收入总计", a, income.line),
                Figure(f"{label_of(table.kind)} 支出总计", b, spending.line),
            )
