"""项目支出预算表 (本年预算 and 上年结转): each project's line, and the unit rows that sum them.

The tables print the department's row (the sum of all), then each unit's row followed by its
projects; a small department may print projects right under its own row. Unit rows are told
from projects by arithmetic (the projects below add up to them) and by name (a unit's name).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..model import BudgetLine, BudgetTable, Issue, Row, TableRow
from .find import Context, RawTable, end_line, no_data, table_kind
from .text import (
    TOTAL_NAMES,
    clean_name,
    close,
    column_of_label,
    is_amount,
    is_header_row,
    is_meta,
    keeps_positions,
    parse_amount,
    split_cells,
)

NAME_LINES = 6  # a project name wrapped in its cell spans at most this many lines


@dataclass(frozen=True)
class Item:
    name: str
    amount: float | None
    line: int
    unit: str | None
    end_line: int = 0


def project_items(rows: Sequence[Row]) -> list[Item]:
    """The named rows with their 合计 amount, wrapped name lines joined to the row below."""
    name_col = column_of_label(rows, "项目名称")
    unit_col = column_of_label(rows, "单位名称")
    total_col = column_of_label(rows, "合计")
    items: list[Item] = []
    pending: list[str] = []
    kept = keeps_positions(rows)
    for row in map(split_cells, rows):
        if not row.filled or is_header_row(row) or is_meta(row.filled[0]) or "无数据" in row.text:
            pending = []
            continue
        if (kept or "" in row.cells) and None not in (name_col, total_col):
            items.append(_positional_item(row, name_col, unit_col, total_col))  # type: ignore[arg-type]
            pending = []
            continue
        texts = [c for c in row.filled if not is_amount(c)]
        amounts = [c for c in row.filled if is_amount(c)]
        if not amounts:  # a name wrapped over lines: every line of it up to its amounts
            pending = (pending + [" ".join(texts)])[-NAME_LINES:]
            continue
        lead = texts[: next((i for i, c in enumerate(row.filled) if is_amount(c)), len(texts))]
        name = clean_name(" ".join(pending + lead))
        items.append(Item(name, parse_amount(amounts[0]), row.line, None, row.end_line))
        pending = []
    return [i for i in items if i.name or i.unit]


def _positional_item(row: Row, name_col: int, unit_col: int | None, total_col: int) -> Item:
    def cell(i: int | None) -> str:
        return row.cells[i] if i is not None and i < len(row.cells) else ""

    unit = None
    if unit_col is not None and unit_col != name_col:
        unit = clean_name(cell(unit_col)) or None
    amount = parse_amount(cell(total_col))
    return Item(clean_name(cell(name_col)), amount, row.line, unit, row.end_line)


def subtotals(items: Sequence[Item], is_unit: Callable[[str], bool]) -> list[bool]:
    """Which rows sum up the rows below them (部门 and 单位 rows) rather than being projects.

    Read from the bottom: a row is a subtotal when the projects below it add up to its amount
    and that run ends at the table's end or at another subtotal, and either its name is a unit
    (the department, a 实施单位, "…中心") or the run is long enough not to be chance. Where the
    rows named as units alone already account for the first row, that reading is kept: a
    project that happens to equal the projects below it (15 = 5 + 6 + 4) is no unit.
    """
    named = _subtotals(items, is_unit, None)
    if named and named[0] and _run_adds_up(items, named, 0)[0]:
        return named
    return _subtotals(items, is_unit, 3)


def _subtotals(
    items: Sequence[Item], is_unit: Callable[[str], bool], min_run: int | None
) -> list[bool]:
    sub = [False] * len(items)
    for i in range(len(items) - 1, -1, -1):
        item = items[i]
        if not item.name or item.name in TOTAL_NAMES:
            sub[i] = True
            continue
        ok, count = _run_adds_up(items, sub, i)
        sub[i] = ok and (is_unit(item.name) or (min_run is not None and count >= min_run))
    return sub


def _run_adds_up(items: Sequence[Item], sub: list[bool], i: int) -> tuple[bool, int]:
    """Whether the rows below row i, up to the next subtotal or the end, add up to its amount."""
    target, total, count = items[i].amount or 0.0, 0.0, 0
    for j in range(i + 1, len(items) + 1):
        at_end = j == len(items)
        if at_end or sub[j]:
            if count and close(total, target, count):
                return True, count
            if at_end:
                return False, count
            continue
        total += items[j].amount or 0.0
        count += 1
        if total > target + 0.011 + 0.005 * count:
            return False, count
    return False, count


def _table_rows(items: Sequence[Item], sub: Sequence[bool]) -> list[TableRow]:
    """The department's row (total), unit rows and projects, each project under its unit."""
    out: list[TableRow] = []
    unit = None
    for n, (item, is_sub) in enumerate(zip(items, sub)):
        amounts = {"total": item.amount}
        end = item.end_line or item.line
        if is_sub:
            role = "total" if n == 0 or item.name in TOTAL_NAMES else "unit"
            unit = item.unit or (item.name if item.name not in TOTAL_NAMES else unit)
            out.append(TableRow(item.name, item.line, end, None, None, amounts, (), role))
            continue
        owner = item.unit or unit
        out.append(
            TableRow(item.name, item.line, end, None, owner, amounts, (), "item", None, owner)
        )
    return out


def _parse(raw: RawTable, ctx: Context, issues: list[Issue]) -> BudgetTable:
    items = project_items(raw.rows)
    rows = _table_rows(items, subtotals(items, ctx.is_unit))
    return BudgetTable(
        raw.kind, raw.title, raw.line, end_line(raw), ("total",), tuple(rows), no_data(raw)
    )


def budget_lines(table: BudgetTable) -> list[BudgetLine]:
    """The record's 项目支出预算表 lines: the projects, without the unit rows."""
    kind = table.kind.removeprefix("projects_")
    items = [r for r in table.rows if r.role == "item"]
    return [BudgetLine(r.name, r.amounts.get("total"), kind, r.line, r.parent) for r in items]


def _projects(title: str) -> bool:
    """项目支出预算表, 项目支出表, 部门项目支出预算情况表, 一般公共预算项目支出预算表 — not the
    项目支出绩效目标表, and not the 财政拨款 totals of 基本/项目支出."""
    return "项目支出" in title and "绩效" not in title and "基本支出" not in title and "总" not in title


table_kind(
    "projects_carryover", "项目支出预算表（上年结转）",
    lambda t: _projects(t) and "结转" in t,
)(_parse)  # fmt: skip
table_kind(
    "projects_current", "项目支出预算表（本年预算）",
    lambda t: _projects(t) and "结转" not in t,
)(_parse)  # fmt: skip
