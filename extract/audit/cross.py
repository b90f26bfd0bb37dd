"""Figures that two tables of one disclosure both print, and that must therefore agree.

收入总计 of the 收支总表 is the 合计 of the 支出总表; its 本年收入合计 and 上年结转 are the 合计 row
of the 收入总表; its 一般公共预算 income is what the 一般公共预算支出表 spends; the 基本支出 of
that table is the 合计 of the 经济科目表; each 功能分类 code has what the 收入总表 brings in
(本年 + 上年结转) to spend in the 支出总表; and the project tables add up to 项目支出.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Record
from ..tables.find import label_of
from .facts import describe, lookup, table_of
from .findings import Figure, Finding, amount, differs

Ref = tuple[str, str, str]  # table kind, row selector, column

PAIRS: tuple[tuple[Ref, Ref], ...] = (
    (("summary", "income/收入总计", "amount"), ("expenditure", "合计", "total")),
    (("summary", "income/本年收入合计", "amount"), ("income", "合计", "total")),
    (("summary", "income/上年结转", "amount"), ("income", "合计", "carryover")),
    (("summary", "income/一般公共预算", "amount"), ("general_expenditure", "合计", "total")),
    (("general_expenditure", "合计", "basic"), ("basic_economic", "合计", "total")),
)


def _disagree(left: Figure, right: Figure, parts: int = 2) -> Finding | None:
    if not differs(left.value, right.value, parts):  # type: ignore[arg-type]
        return None
    return Finding(
        "cross_table",
        f"{left.where} is {amount(left.value)}, but {right.where} is {amount(right.value)}",  # type: ignore[arg-type]
        left,
        right,
    )


def check_pairs(record: Record) -> Iterator[Finding]:
    """Each pair of PAIRS, where both tables print it."""
    for left_ref, right_ref in PAIRS:
        left, right = lookup(record, *left_ref), lookup(record, *right_ref)
        if left is not None and right is not None:
            found = _disagree(left, right)
            if found:
                yield found


def check_codes(record: Record) -> Iterator[Finding]:
    """Each code of the 收入总表: 本年收入 + 上年结转 is what the 支出总表 spends under it."""
    income, spending = table_of(record, "income"), table_of(record, "expenditure")
    if income is None or spending is None:
        return
    spent = {r.code: r for r in spending.rows if r.code}
    for row in income.rows:
        other = spent.get(row.code) if row.code else None
        if other is None or row.unplaced or other.unplaced:
            continue
        has = (row.amounts.get("total") or 0.0) + (row.amounts.get("carryover") or 0.0)
        if differs(has, other.amounts.get("total"), 2):
            where = f"{describe(income, row, 'total')} + 上年结转"
            yield Finding(
                "cross_table",
                f"{where} make {amount(round(has, 2))}, but {describe(spending, other, 'total')} "
                f"is {amount(other.amounts.get('total'))}",
                Figure(describe(spending, other, "total"), other.amounts.get("total"), other.line),
                Figure(where, round(has, 2), row.line),
            )


def check_classes(record: Record) -> Iterator[Finding]:
    """Each 类 of the 支出总表 is the 收支总表's spending line of the same name."""
    spending, summary = table_of(record, "expenditure"), table_of(record, "summary")
    if spending is None or summary is None:
        return
    for row in spending.rows:
        if not row.code or len(row.code) != 3:
            continue
        other = lookup(record, "summary", f"expenditure/{row.name}", "total")
        if other is not None:
            found = _disagree(
                other, Figure(describe(spending, row, "total"), row.amounts.get("total"), row.line)
            )
            if found:
                yield found


def check_project_tables(record: Record) -> Iterator[Finding]:
    """The projects of this year and carried over add up to 项目支出 of the 支出总表."""
    total = lookup(record, "expenditure", "合计", "project")
    tables = [t for t in record.budget_tables if t.kind.startswith("projects_")]
    if total is None or len(tables) < 2:
        return
    items = [r for t in tables for r in t.rows if r.role == "item"]
    printed = [r.amounts.get("total") for r in items if r.amounts.get("total") is not None]
    if not differs(total.value, sum(printed), len(printed)):  # type: ignore[arg-type]
        return
    where = f"the {len(items)} projects of {label_of('projects_current')} and {label_of('projects_carryover')}"
    lines = [r.line for r in items]
    yield Finding(
        "cross_table",
        f"{total.where} is {amount(total.value)}, but {where} add up to {amount(round(sum(printed), 2))}",  # type: ignore[arg-type]
        total,
        Figure(where, round(sum(printed), 2), min(lines, default=None), max(lines, default=None)),
    )
