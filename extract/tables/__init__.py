"""The budget tables (部门预算报表) of one disclosure, each read into a typed `BudgetTable`.

Input is the document's rows, whatever converter produced them: tab-separated text keeps empty
cells (so a column's position means something), pdftotext keeps none (so a value's column has to
be worked out from arithmetic), and either may wrap one table row over several lines, repeat a
header after a page break, or print each glyph twice. Only `Row.line`, `Row.cells`, `Row.filled`
and `Row.text` are used.

One module per family of tables, each registering its parser by title (find.table_kind):
functions (支出 by 功能分类 with 基本/项目), income (收入 by code and source; 国有资本经营),
summary (the two-sided 收支总表), labelled (三公, 机关运行经费, 经济科目), projects (项目支出预算表).
department reads who the disclosure is about; narrative the figures the 情况说明 states in words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..model import BudgetLine, BudgetTable, Department, FunctionRow, Issue, Row, StatedFigure
from . import functions, income, labelled, projects, summary  # noqa: F401 - they register kinds
from .department import department, level_of, unit_names, unit_test
from .find import KINDS, Context, RawTable, find_tables, label_of, merged
from .narrative import stated_figures
from .text import is_amount, joined, parse_amount

__all__ = [
    "TOTAL_KEYS",
    "BudgetTables",
    "extract_budget_tables",
    "find_tables",
    "is_amount",
    "level_of",
    "parse_amount",
    "read_tables",
]  # fmt: skip

TOTAL_KEYS = (
    "income_total",
    "income_this_year",
    "carryover",
    "expenditure_basic",
    "expenditure_project",
    "three_public",
    "official_reception",
    "vehicle",
    "overseas",
    "office_operation",
    "procurement_total",
)


@dataclass(frozen=True)
class BudgetTables:
    """What the budget tables of one disclosure yield (amounts in 万元, as printed)."""

    department: Department = field(default_factory=Department)
    totals: dict[str, float | None] = field(default_factory=lambda: dict.fromkeys(TOTAL_KEYS))
    expenditure_by_function: tuple[FunctionRow, ...] = ()
    project_budget_lines: tuple[BudgetLine, ...] = ()
    issues: tuple[Issue, ...] = ()
    tables: tuple[BudgetTable, ...] = ()  # every budget table, typed, in document order
    stated: tuple[StatedFigure, ...] = ()  # the figures the 情况说明 states


def read_tables(raw: Sequence[RawTable], ctx: Context, issues: list[Issue]) -> list[BudgetTable]:
    """One typed table per kind found, in document order; a table that cannot be read is an
    issue on its title's line, and the others are still read."""
    out = []
    for kind in KINDS.values():
        table = merged(raw, kind.name)
        if table is None:
            continue
        try:
            out.append(in_wan(kind.parse(table, ctx, issues), table.scale))
        except Exception as err:  # noqa: BLE001 - one odd table must not lose the others
            issues.append(
                Issue(table.line, f"{kind.label}: could not be read ({type(err).__name__}: {err})")
            )
    return sorted(out, key=lambda t: t.line)


def in_wan(table: BudgetTable, scale: float) -> BudgetTable:
    """`table` with its amounts in 万元, the record's unit, where it was printed in 元 or 亿元."""
    if scale == 1.0:
        return table
    rows = tuple(
        replace(r, amounts={k: _scaled(v, scale) for k, v in r.amounts.items()},
                unplaced=tuple(_scaled(v, scale) for v in r.unplaced))
        for r in table.rows
    )  # fmt: skip
    return replace(table, rows=rows)


def _scaled(value, scale: float):
    return None if value is None else round(value * scale, 6)


def _summary_source(raw: Sequence[RawTable]) -> str:
    """The table summary_totals reads: 收支总表 where it has rows, else 收入总表."""
    return "summary" if any(t.rows for t in raw if t.kind == "summary") else "income"


def _scaled_totals(part: dict[str, float | None], raw: Sequence[RawTable], kind: str) -> dict[str, float | None]:
    """Totals read from the raw tables of `kind`, in 万元 (merged() takes the first table's unit)."""
    scale = next((t.scale for t in raw if t.kind == kind), 1.0)
    return part if scale == 1.0 else {k: _scaled(v, scale) for k, v in part.items()}


def _by_kind(tables: Sequence[BudgetTable], kind: str) -> BudgetTable | None:
    return next((t for t in tables if t.kind == kind), None)


def _spending(
    raw: Sequence[RawTable], tables: Sequence[BudgetTable], issues: list[Issue]
) -> dict[str, float | None]:
    """基本支出 / 项目支出 from the 合计 row of 预算支出总表."""
    printed, table = merged(raw, "expenditure"), _by_kind(tables, "expenditure")
    if printed is None or not printed.rows or table is None:
        issues.append(Issue(None, "no 预算支出总表 found"))
        return {}
    total = next((r for r in table.rows if r.role == "total"), None)
    if total is None:
        issues.append(Issue(printed.rows[0].line, "预算支出总表: no 合计 row"))
        return {}
    if total.unplaced:
        issues.append(Issue(None, "预算支出总表 合计: cannot tell 基本支出 from 项目支出"))
    return {
        "expenditure_basic": total.amounts["basic"],
        "expenditure_project": total.amounts["project"],
    }


def _function_rows(tables: Sequence[BudgetTable]) -> tuple[FunctionRow, ...]:
    table = _by_kind(tables, "expenditure")
    rows = [r for r in table.rows if r.code] if table else []
    return tuple(
        FunctionRow(
            r.code, r.name, r.amounts["total"], r.amounts["basic"], r.amounts["project"], r.line
        )
        for r in rows  # type: ignore[arg-type]
    )


def _lines(
    raw: Sequence[RawTable], tables: Sequence[BudgetTable], issues: list[Issue]
) -> tuple[BudgetLine, ...]:
    out: list[BudgetLine] = []
    for kind in ("projects_current", "projects_carryover"):
        printed, table = merged(raw, kind), _by_kind(tables, kind)
        if printed is None or not printed.rows or table is None:
            issues.append(Issue(None, f"no {label_of(kind)} found"))
            continue
        out += projects.budget_lines(table)
    return tuple(out)


_PROCUREMENT = re.compile(
    r"政府采购预算(?:总额|合计|总计|安排|共计)(?:[:：]|为|是|共计|安排)?(-?\d+(?:\.\d+)?)万元"
)


def _procurement(rows: Sequence[Row], stated: Sequence[StatedFigure]) -> dict[str, float | None]:
    """政府采购预算总额 as the 情况说明 states it; where it does not (or no 第三部分 was found),
    wherever the text states it."""
    found = next((f.value for f in stated if f.key == "procurement_total"), None)
    if found is None:
        m = _PROCUREMENT.search(joined(rows).replace(",", ""))
        found = float(m.group(1)) if m else None
    return {"procurement_total": found}


def extract_budget_tables(rows: Sequence[Row]) -> BudgetTables:
    """Department, typed tables, the record's totals, 功能分类 rows, project lines and the
    figures stated in words, of one disclosure."""
    rows = tuple(rows)
    issues: list[Issue] = []
    raw = find_tables(rows)
    dept = department(rows, raw)
    office = merged(raw, "office_operation")
    ctx = Context(rows, unit_test(unit_names(rows, office.rows if office else (), dept.name)))
    tables = read_tables(raw, ctx, issues)
    stated = stated_figures(rows)
    totals: dict[str, float | None] = dict.fromkeys(TOTAL_KEYS)
    for part in (
        _spending(raw, tables, issues),
        _scaled_totals(summary.summary_totals(raw, issues), raw, _summary_source(raw)),
        _scaled_totals(labelled.three_public_totals(raw, issues), raw, "three_public"),
        _scaled_totals(labelled.office_operation_total(raw, issues), raw, "office_operation"),
        _procurement(rows, stated),
    ):
        totals.update({k: v for k, v in part.items() if k in totals})
    lines = _lines(raw, tables, issues)
    return BudgetTables(
        dept, totals, _function_rows(tables), lines, tuple(issues), tuple(tables), stated
    )
