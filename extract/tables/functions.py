"""Tables of spending by 功能分类 code split into 基本支出 and 项目支出: 预算支出总表, 一般公共预算
支出表 and 政府性基金预算支出表.

Where the layout keeps empty cells the header's positions say which amount is which. Where it
does not (pdftotext), three amounts are the three columns, and of two the second is 基本支出 or
项目支出 — the text does not say which; `place_parts` works it out from what the row's parent
leaves over, and leaves it open (an issue) when arithmetic cannot tell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import BudgetTable, FunctionRow, Issue, Row, TableRow
from .coded import Coded, coded_rows, name_of, parent_code
from .find import Context, RawTable, end_line, label_of, no_data, overall, table_kind
from .text import close, keeps_positions, norm, parse_amount, stacked_amounts

COLUMNS = ("合计", "基本支出", "项目支出")
KEYS = ("total", "basic", "project")
_MAX_CHILDREN = 64  # more under one code is no real table (a 类 has some 20 款)


@dataclass
class Parts:
    """合计 / 基本支出 / 项目支出 of a row; `part` is a printed part whose column is unknown."""

    code: str
    total: float | None
    basic: float | None = None
    project: float | None = None
    part: float | None = None


def _columns(rows: Sequence[Row]) -> tuple[list[int] | None, tuple[int, int, int]]:
    """Where 合计 / 基本支出 / 项目支出 stand: cell positions, and their order among the amounts."""
    for row in rows:
        labels = [norm(c) for c in row.cells]
        if all(x in labels for x in COLUMNS):
            positions = [labels.index(x) for x in COLUMNS]
            ranked = sorted(positions)
            return positions, tuple(ranked.index(p) for p in positions)  # type: ignore[return-value]
    for i in range(len(rows)):  # one header cell per line: the labels' order in a short run
        run = [norm(r.filled[0]) if len(r.filled) == 1 else "" for r in rows[i : i + 6]]
        if run and run[0] in COLUMNS and all(x in run for x in COLUMNS):
            positions = [run.index(x) for x in COLUMNS]
            ranked = sorted(positions)
            return None, tuple(ranked.index(p) for p in positions)  # type: ignore[return-value]
    return None, (0, 1, 2)


def merged_columns_split(rows: Sequence[Row]) -> Sequence[Row]:
    """A table whose converter merged neighbouring columns into one cell, headings and figures
    alike (markitdown: | 科目编码 科目名称 | 合计 基本支出 | 项目支出 |, | 206 科学技术支出 | 8634.84
    3424.91 | 5209.93 |), with its columns parted again: each cell split at its white space into
    as many parts as its heading has words, where some cell holds as many figures as that. A
    cell with fewer parts fills the first ones under 合计 (a blank 基本支出 after it prints
    nothing) and is left unplaced under any other pair; one with more stays whole."""
    header = next((r for r in rows if _merged_heading(r)), None)
    if header is None:
        return rows
    widths = [len(c.split()) for c in header.cells]
    body = [r for r in rows if len(r.cells) == len(widths)]  # the header among them
    if not _names_columns(header) and not any(_figures_merged(r, widths) for r in body):
        return rows  # 本年支出 合计: one heading of two words (a flattened two-row header)
    firsts = [c.split()[0] if c.split() else "" for c in header.cells]
    return [_split_cells(r, widths, firsts) if len(r.cells) == len(widths) else r for r in rows]


def _names_columns(header: Row) -> bool:
    """A heading cell of column names only (合计 基本支出): columns merged, whether or not a row
    fills both (a 政府性基金 table leaves 基本支出 blank on every row)."""
    return any(len(words := c.split()) >= 2 and all(norm(w) in COLUMNS for w in words) for c in header.cells)


def _figures_merged(row: Row, widths: list[int]) -> bool:
    """A cell holding as many figures as its heading has words: columns merged, not a heading
    of several words over one column."""
    return any(
        width >= 2 and len(parts := cell.split()) == width and all(parse_amount(p) is not None for p in parts)
        for cell, width in zip(row.cells, widths)
    )


def _merged_heading(row: Row) -> bool:
    """The 合计 / 基本支出 / 项目支出 headings all in the row, but not each in a cell of its own."""
    labels = [norm(c) for c in row.cells]
    if all(x in labels for x in COLUMNS):
        return False
    words = [w for c in row.cells for w in c.split()]
    return all(x in words for x in COLUMNS)


def _split_cells(row: Row, widths: list[int], firsts: list[str]) -> Row:
    """Each cell in its heading's parts; fewer parts fill the first ones, but a lone figure does
    so only under a heading opening with 合计 (always printed): else it is left unplaced."""
    cells: list[str] = []
    for cell, width, first in zip(row.cells, widths, firsts):
        parts = cell.split()
        if width <= 1 or len(parts) > width:
            cells += [cell] + [""] * (width - 1)
        elif len(parts) == width or norm(first) in ("合计", "总计") or parse_amount(parts[0]) is None:
            cells += parts + [""] * (width - len(parts))
        else:
            cells += [""] * width
    return Row.of_cells(row.line, row.end_line, tuple(cells), row.heading, indent=row.indent) or row


def _parts(code: str, after: Sequence[str], row_cells: Sequence[str], columns, order, kept: bool = False) -> Parts:
    """The amounts of one row, by the header's positions where the table keeps empty cells
    (`kept`: any of its rows has one; a full row is then read by position too)."""
    if (kept or "" in row_cells) and columns and len(row_cells) > max(columns):
        return Parts(code, *(parse_amount(row_cells[i]) for i in columns))
    if "" in after:
        values = [parse_amount(c) for c in after[:3]] + [None] * 3
        return Parts(code, *(values[i] for i in order))
    values = [parse_amount(c) for c in after if c.strip()]
    if len(values) >= 3:
        return Parts(code, *(values[i] for i in order))
    if len(values) == 2:
        return Parts(code, values[0], part=values[1])
    return Parts(code, values[0] if values else None)


def place_parts(rows: Sequence[Parts]) -> None:
    """Put each unplaced part in 基本支出 or 项目支出 so that its parent's split adds up.

    Children of a row (206 → 20601 → 2060101; the 合计 row above the 3-digit codes) share out
    its 项目支出: of the unplaced children the one set whose parts make up what the placed ones
    leave is the 项目 set, the rest are 基本. Where no set or more than one fits, nothing is placed.
    """
    if all(r.part is None for r in rows):
        return  # every part placed (the layout kept the columns): no parent's children to scan
    children_of: dict[str, list[Parts]] = {}  # parent code ("" for the 合计 row) → children
    for r in rows:
        if r.code:
            children_of.setdefault("" if len(r.code) == 3 else r.code[:-2], []).append(r)
    for parent in rows:
        if parent.part is not None:
            continue
        children = children_of.get(parent.code, ())
        if len(children) > _MAX_CHILDREN:  # a code repeated over and over (tables pasted twice)
            continue
        open_ = [r for r in children if r.part is not None]
        if not open_ or len(open_) > 16:
            continue
        need = (parent.project or 0.0) - sum(r.project or 0.0 for r in children if r.part is None)
        fits = [
            mask
            for mask in range(1 << len(open_))
            if close(sum(r.part for i, r in enumerate(open_) if mask >> i & 1), need, len(open_))
        ]
        if len(fits) != 1:
            continue
        for i, r in enumerate(open_):
            if fits[0] >> i & 1:
                r.project = r.part
            else:
                r.basic = r.part
            r.part = None


def _total_parts(items: list, k: int, columns, order, kept: bool = False) -> Parts | None:
    """The 合计 row's parts; with one cell per line its amounts are on the next lines."""
    item = items[k]
    after = item.cells[item.cells.index(item.filled[0]) + 1 :]
    if len(item.cells) == 1:
        plain = [r if isinstance(r, Row) else Row(0, 0, (), "") for r in items]
        stacked = stacked_amounts(plain, k + 1, len(COLUMNS))
        if not stacked:
            return None  # the 合计 of the column header
        after = [str(v) if v is not None else "" for v in stacked]
    return _parts("", after, item.cells, columns, order, kept)


def read_function_rows(rows: Sequence[Row], label: str, issues: list[Issue]):
    """(coded rows with their parts, the 合计 row's parts and line) of one table."""
    rows = merged_columns_split(rows)
    columns, order = _columns(rows)
    kept = keeps_positions(rows)
    coded: list[tuple[Coded, Parts]] = []
    total: tuple[Parts, int] | None = None
    items = list(coded_rows(rows))
    for k, item in enumerate(items):
        if isinstance(item, Coded):
            coded.append((item, _parts(item.code, item.cells, item.row_cells, columns, order, kept)))
        elif total is None and item.filled and norm(item.filled[0]) in ("合计", "总计"):
            parts = _total_parts(items, k, columns, order, kept)
            total = (parts, item.line) if parts else None
    place_parts(([total[0]] if total else []) + [p for _, p in coded])
    for item, parts in coded:
        if not any(c.strip() for c in item.cells):
            issues.append(Issue(item.line, f"{label} {item.code}: no amounts"))
        if parts.part is not None:
            issues.append(
                Issue(item.line, f"{label} {item.code}: cannot tell 基本支出 from 项目支出")
            )
    return coded, total


def function_rows(coded) -> list[FunctionRow]:
    return [FunctionRow(i.code, name_of(i), p.total, p.basic, p.project, i.line) for i, p in coded]


def _table_row(name: str, line: int, end: int, code: str | None, parent, parts: Parts, role):
    amounts = {"total": parts.total, "basic": parts.basic, "project": parts.project}
    unplaced = (parts.part,) if parts.part is not None else ()
    return TableRow(name, line, end, code, parent, amounts, unplaced, role)


def function_table(raw: RawTable, coded, total) -> BudgetTable:
    """The typed table: a 合计 row, then each coded row under its parent code."""
    printed = frozenset(i.code for i, _ in coded)
    rows = []
    if total is not None:
        rows.append(_table_row("合计", total[1], total[1], None, None, total[0], "total"))
    for item, parts in coded:
        parent = parent_code(item.code, printed) or ("合计" if total is not None else None)
        rows.append(
            _table_row(name_of(item), item.line, item.end_line, item.code, parent, parts, "item")
        )
    return BudgetTable(
        raw.kind, raw.title, raw.line, end_line(raw), KEYS, tuple(rows), no_data(raw)
    )


def _parse(raw: RawTable, ctx: Context, issues: list[Issue]) -> BudgetTable:
    coded, total = read_function_rows(raw.rows, label_of(raw.kind), issues)
    return function_table(raw, coded, total)


table_kind("expenditure", "预算支出总表", lambda t: overall(t, "支出") and "财政拨款" not in t)(_parse)
table_kind(
    "general_expenditure", "一般公共预算支出表",
    lambda t: "一般公共预算" in t and "支出" in t
    and not any(w in t for w in ("基本支出", "项目支出", "三公", "机关运行", "收支", "经济")),
)(_parse)  # fmt: skip
table_kind(
    "fund_expenditure",
    "政府性基金预算支出表",
    lambda t: "政府性基金" in t and "支出" in t and "收入" not in t,
)(_parse)
table_kind(
    "capital_expenditure",
    "国有资本经营预算支出表",
    lambda t: "国有资本经营" in t and "支出" in t and "收入" not in t and "收支" not in t,
)(_parse)
