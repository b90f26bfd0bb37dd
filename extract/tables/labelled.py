"""Tables of named rows: the “三公”经费表, the 机关运行经费表 and the 基本支出经济科目表.

Rows are read by grid (positions where kept, printed order otherwise) and linked to the row they
add up into: ①公务用车购置费 into 公务用车购置及运行费, the units of 机关运行经费 into 部门合计, an
经济科目 (基本工资, 30101) into its class (工资福利支出, 301) — by its printed code where there is
one, else by the class row printed above it. Class codes of unnumbered rows come from
data/economic_codes.csv, the 部门预算支出经济分类 the tables follow.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from ..model import BudgetTable, Issue, Row, TableRow
from .find import Context, RawTable, end_line, merged, no_data, table_kind
from .grid import Group, labels_of, place, read_header, row_groups, starts_label
from .text import TOTAL_NAMES, amounts_of, is_amount, is_meta, norm, parse_amount, stacked_amounts, value_after

SOURCE_KEYS = ("total", "general", "fund", "capital")
ECONOMIC_KEYS = ("total", "personnel", "public")
ECONOMIC_CODE = re.compile(r"3\d{2}(?:\d{2})?")
_MARK = re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩]|^\d[.、]|^其中[:：]?")
_VEHICLE = "公务用车购置及运行费"
_THREE_PUBLIC_PARTS = {"公务用车购置费": _VEHICLE, "公务用车运行维护费": _VEHICLE}


def _name(group: Group) -> str:
    """The row's label without its list mark (①公务用车购置费 → 公务用车购置费)."""
    return norm(_MARK.sub("", "".join(x.strip() for x in group.labels)))


def _is_total(name: str) -> bool:
    return name in TOTAL_NAMES


def _named_rows(raw: RawTable, keys, parent_of) -> tuple[TableRow, ...]:
    header = read_header(raw.rows, keys)
    groups = row_groups(raw.rows, header)
    names = [_name(g) for g in groups]
    total = next((n for n in names if _is_total(n)), None)
    out = []
    for group, name in zip(groups, names):
        amounts, unplaced = place(group, header, keys)
        role = "total" if _is_total(name) else "item"
        parent = None if role == "total" else parent_of(name, total)
        out.append(
            TableRow(name, group.line, group.end_line, None, parent, amounts, unplaced, role)
        )
    return tuple(out)


def _three_public_parent(name: str, total: str | None) -> str | None:
    return _THREE_PUBLIC_PARTS.get(name, total)


def _parse_three_public(raw: RawTable, ctx: Context, issues: list[Issue]) -> BudgetTable:
    rows = _named_rows(raw, SOURCE_KEYS, _three_public_parent)
    return BudgetTable(
        raw.kind, raw.title, raw.line, end_line(raw), SOURCE_KEYS, rows, no_data(raw)
    )


def _parse_office(raw: RawTable, ctx: Context, issues: list[Issue]) -> BudgetTable:
    rows = _named_rows(raw, SOURCE_KEYS, lambda name, total: total)
    return BudgetTable(
        raw.kind, raw.title, raw.line, end_line(raw), SOURCE_KEYS, rows, no_data(raw)
    )


table_kind("three_public", "“三公”经费支出预算表", lambda t: "三公" in t)(_parse_three_public)
table_kind("office_operation", "机关运行经费预算表", lambda t: "机关运行经费" in t)(_parse_office)


# --- 基本支出经济科目表 ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def economic_codes() -> dict[str, str]:
    """data/economic_codes.csv: 经济分类 name → code (301 工资福利支出, 30101 基本工资 …)."""
    path = Path(__file__).resolve().parent.parent / "data" / "economic_codes.csv"
    with path.open(encoding="utf-8") as f:
        lines = (line for line in f if line.strip() and not line.startswith("#"))
        return {norm(r["name"]): r["code"] for r in csv.DictReader(lines)}


def _economic_row(group: Group, header, current_class: TableRow | None, total: bool) -> TableRow:
    labels = [norm(_MARK.sub("", x.strip())) for x in labels_of(group, 3)]
    code = labels.pop(0) if labels and ECONOMIC_CODE.fullmatch(labels[0]) else None
    name = labels[0] if labels else ""
    detail = labels[1] if len(labels) > 1 else None
    code = code or economic_codes().get(name)
    amounts, unplaced = place(group, header, ECONOMIC_KEYS)
    if _is_total(name):
        return TableRow(name, group.line, group.end_line, None, None, amounts, unplaced, "total")
    is_class = bool(code and len(code) == 3) and not detail
    parent = "合计" if total else None
    if not is_class and current_class is not None:
        parent = current_class.code or current_class.name
    return TableRow(
        name, group.line, group.end_line, code, parent, amounts, unplaced, "item", None, detail
    )


def _parse_economic(raw: RawTable, ctx: Context, issues: list[Issue]) -> BudgetTable:
    header = read_header(raw.rows, ECONOMIC_KEYS)
    groups = row_groups(raw.rows, header, _economic_label, slots=2, codes=ECONOMIC_CODE)
    total = any(_is_total(norm(g.labels[0])) for g in groups)
    rows: list[TableRow] = []
    current: TableRow | None = None
    for group in groups:
        row = _economic_row(group, header, current, total)
        if row.code and len(row.code) == 3 and row.detail is None:
            current = row
        rows.append(row)
    return BudgetTable(
        raw.kind, raw.title, raw.line, end_line(raw), ECONOMIC_KEYS, tuple(rows), no_data(raw)
    )


def _economic_label(text: str) -> bool:
    """A label that opens an economic row: a code or 合计. Any other label after a row's name
    is its second name (基本工资 | 工资奖金津补贴) where the layout printed each on a line."""
    return starts_label(text) or _is_total(norm(text))


table_kind(
    "basic_economic", "一般公共预算基本支出经济科目表",
    lambda t: "基本支出" in t and ("经济" in t or "一般公共预算" in t),
)(_parse_economic)  # fmt: skip


# --- the record's totals, by label ------------------------------------------------------------


def three_public_totals(tables: Sequence[RawTable], issues: list[Issue]) -> dict[str, float | None]:
    """The 合计 column of the “三公”经费 table: its 合计, 接待, 公务用车 and 出国 rows."""
    raw = merged(tables, "three_public")
    if raw is None or not raw.rows:
        issues.append(Issue(None, "no “三公”经费支出预算表 found"))
        return {}
    rows = raw.rows
    across = _across(rows)
    if across:
        return across
    rank = _year_rank(rows)
    out = {}
    for key, labels in _THREE_PUBLIC_LABELS:
        out[key] = _value(rows, labels, rank)
    if out["vehicle"] is None:  # a table that prints only 购置费 and 运行维护费
        purchase = _value(rows, ["①公务用车购置费", "公务用车购置费"], rank)
        running = _value(rows, ["②公务用车运行维护费", "公务用车运行维护费"], rank)
        if purchase is not None or running is not None:
            out["vehicle"] = round((purchase or 0.0) + (running or 0.0), 2)
    return out


_THREE_PUBLIC_LABELS = (
    ("three_public", ["合计", "总计"]),
    ("official_reception", ["公务接待费"]),
    ("vehicle", ["公务用车购置及运行费", "公务用车购置及运行维护费"]),
    ("overseas", ["因公出国（境）费", "因公出国(境)费", "因公出国（境）费用"]),
)
_YEAR_HEADING = re.compile(r"(20\d\d)年")


def _value(rows, labels: Sequence[str], rank: int) -> float | None:
    """The amount after a label; with columns of several years, the `rank`-th one after it."""
    if rank == 0:
        return value_after(rows, labels)[0]
    wanted = {norm(x) for x in labels}
    for k, row in enumerate(rows):
        for i, cell in enumerate(row.cells):
            if norm(cell) in wanted:
                if len(row.cells) == 1:  # one cell per line: the amounts follow on their own lines
                    stacked = stacked_amounts(rows, k + 1, rank + 1)
                    return stacked[rank] if rank < len(stacked) else None
                rest = row.cells[i + 1 :]
                cells = rest if "" in row.cells else [c for c in rest if is_amount(c)]
                return parse_amount(cells[rank]) if rank < len(cells) else None
    return None


def _year_rank(rows) -> int:
    """Which amount column is the budget year's where the header prints several years
    (2023年预算数 | 2024年预算数 | 增减): the latest year's, counted from the first amount column."""
    single = all(len(r.filled) == 1 for r in rows[:_HEADER_ROWS])  # one cell per line: one run
    for row in [_joined_rows(rows[: _HEADER_ROWS * 2])] if single else rows[:_HEADER_ROWS]:
        years = [(int(m.group(1)), i) for i, c in enumerate(row.filled) if (m := _YEAR_HEADING.search(norm(c)))]
        if len({year for year, _ in years}) >= 2:  # a merged heading repeated (docling) is one year
            first = min(i for _, i in years)
            return min(i for year, i in years if year == max(years)[0]) - first
    return 0


def _years_named(rows) -> int:
    return len({m.group(1) for r in rows[:_HEADER_ROWS] for c in r.filled if (m := _YEAR_HEADING.search(norm(c)))})


def _joined_rows(rows) -> Row:
    cells = tuple(c for r in rows for c in r.filled)
    return Row(rows[0].line if rows else 0, rows[-1].end_line if rows else 0, cells, " ".join(cells))


def _across(rows) -> dict[str, float | None]:
    """A table printed across one row (合计 | 因公出国（境）费 | 公务用车购置及运行费 | 公务接待费 over
    one row of figures, as the 财政部 template does), read by position: only where the layout
    keeps empty cells and the header names one year."""
    if _years_named(rows) >= 2:
        return {}  # 2023年 | 2024年 blocks: which block is whose is not read here
    for k, row in enumerate(rows[:_HEADER_ROWS]):
        if "" not in row.cells:
            continue  # without the empty cells of its merged headings, positions say nothing
        cells = [norm(c) for c in row.cells]
        at = {key: next((i for i, c in enumerate(cells) if c in {norm(x) for x in labels}), None)
              for key, labels in _THREE_PUBLIC_LABELS}
        found = {key: i for key, i in at.items() if i is not None}
        if len(found) < 3 or any(is_amount(c) for c in row.filled):
            continue
        for data in rows[k + 1 : k + 4]:
            if len(amounts_of(data)) >= 2 and len(data.cells) > max(found.values()):
                return {key: None if i is None else parse_amount(data.cells[i]) for key, i in at.items()}
    return {}


_HEADER_ROWS = 6  # rows under a title where its column headings stand


def office_operation_total(
    tables: Sequence[RawTable], issues: list[Issue]
) -> dict[str, float | None]:
    """机关运行经费: the 部门合计 row; a table of one unit may print only that unit's row."""
    raw = merged(tables, "office_operation")
    if raw is None or not raw.rows:
        issues.append(Issue(None, "no 机关运行经费预算表 found"))
        return {}
    rows = raw.rows
    value, line = value_after(rows, ["部门合计", "合计", "总计"])
    if line is None:
        data = [r for r in rows if r.filled and not is_meta(r.filled[0]) and amounts_of(r)]
        if len(data) == 1:
            value = amounts_of(data[0])[0]
    return {"office_operation": value}
