"""The two-sided tables: 预算收支总表 and 财政拨款收支总表 (收入 on the left, 支出 on the right).

Each row may hold an income label with its amount and a spending label with its amounts. Rows
are linked to what they add up to, so the audit can check the table's arithmetic: the sources
add up to 本年收入合计, which with 上年结转 makes 收入总计; the spending classes add up to 本年
支出合计, which with 年终结转 makes 支出总计; and 收入总计 must equal 支出总计.

`summary_totals` reads the record's 收入总计 / 本年收入合计 / 上年结转 (EXTRACTION_FORMAT) by label.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import BudgetTable, Issue, Row, TableRow
from .find import Context, RawTable, end_line, merged, no_data, overall, table_kind
from .grid import Group, Header, labels_of, place, read_header, row_groups, starts_label
from .text import column_of_label, is_amount, norm, parse_amount, value_after

INCOME_KEYS = ("amount",)
SPENDING_KEYS = {
    "summary": ("total", "current", "carryover"),
    "fiscal_summary": ("total", "general", "fund", "capital"),
}
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")
_SOURCES = ("一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金", "单位资金")
INCOME_TOTAL, INCOME_YEAR, SPENDING_TOTAL, SPENDING_YEAR = (
    "收入总计",
    "本年收入合计",
    "支出总计",
    "本年支出合计",
)
_KNOWN = frozenset(
    {
        INCOME_TOTAL,
        INCOME_YEAR,
        SPENDING_TOTAL,
        SPENDING_YEAR,
        "上年结转",
        "年终结转",
        "上年财政拨款结转",
    }
)


def plain(label: str) -> str:
    """A label without its numbering: "六、科学技术支出" → "科学技术支出"."""
    return _NUMBERING.sub("", norm(label))


def _new_label(text: str) -> bool:
    return starts_label(text) or plain(text) in _KNOWN


def is_income(label: str) -> bool:
    """An income-side label: a source of money, a 收入 line or money carried over into the year."""
    text = plain(label)
    if text.startswith("年终") or "支出" in text:
        return False
    return any(text.startswith(s) for s in _SOURCES) or "收入" in text or "结转" in text


def _spending_column(rows: Sequence[Row], header: Header) -> int | None:
    """The cell position of the spending side's label column (the second 项目 header)."""
    for row in rows[: header.data_start]:
        found = [i for i, c in enumerate(row.cells) if norm(c) == "项目"]
        if len(found) >= 2 and header.kept:
            return found[1]
    return None


def _side(group: Group, split: int | None) -> str:
    if split is not None and group.label_index is not None:
        return "income" if group.label_index < split else "expenditure"
    return "income" if is_income("".join(group.labels)) else "expenditure"


def _parents(rows: list[TableRow]) -> list[TableRow]:
    """Link each row to the row it adds up into, by the order the two sides print them in."""
    names = {r.name for r in rows}
    out, carry = [], None
    for row in rows:
        parent, role = _parent_of(row, names, carry)
        if row.side == "income" and "结转" in row.name and row.name.startswith("上年"):
            carry = row.name
        out.append(
            TableRow(
                row.name,
                row.line,
                row.end_line,
                None,
                parent,
                row.amounts,
                row.unplaced,
                role,
                row.side,
            )
        )
    return out


def _parent_of(row: TableRow, names: set[str], carry: str | None) -> tuple[str | None, str]:
    if row.name in (INCOME_TOTAL, SPENDING_TOTAL):
        return None, "total"
    if row.name in (INCOME_YEAR, SPENDING_YEAR):
        return (INCOME_TOTAL if row.side == "income" else SPENDING_TOTAL), "total"
    if row.side == "expenditure":
        top = SPENDING_TOTAL if row.name == "年终结转" else SPENDING_YEAR
        return (top if top in names else None), "item"
    if row.name.startswith("上年") and "结转" in row.name:
        return (INCOME_TOTAL if INCOME_TOTAL in names else None), "item"
    under = carry or INCOME_YEAR
    return (under if under in names else None), "item"


def _parse(raw: RawTable, ctx: Context, issues: list[Issue]) -> BudgetTable:
    keys = SPENDING_KEYS[raw.kind]
    header = read_header(raw.rows, INCOME_KEYS + keys)
    split = _spending_column(raw.rows, header)
    rows = []
    for group in row_groups(raw.rows, header, _new_label):
        side = _side(group, split)
        amounts, unplaced = place(group, header, INCOME_KEYS if side == "income" else keys)
        name = plain(labels_of(group, 1)[0])
        rows.append(
            TableRow(name, group.line, group.end_line, None, None, amounts, unplaced, "item", side)
        )
    columns = INCOME_KEYS + keys
    return BudgetTable(
        raw.kind, raw.title, raw.line, end_line(raw), columns, tuple(_parents(rows)), no_data(raw)
    )


table_kind("summary", "预算收支总表", lambda t: overall(t, "收支") and "财政拨款" not in t)(_parse)
table_kind("fiscal_summary", "财政拨款收支总表", lambda t: overall(t, "收支") and "财政拨款" in t)(
    _parse
)


# --- the record's totals, by label ------------------------------------------------------------


def summary_totals(tables: Sequence[RawTable], issues: list[Issue]) -> dict[str, float | None]:
    """收入总计, 本年收入合计 and 上年结转 from the left (收入) half of 预算收支总表."""
    raw = merged(tables, "summary")
    if raw is None or not raw.rows:
        return _income_table_totals(tables, issues)
    out = {}
    for key, labels in (
        ("income_total", ["收入总计"]),
        ("income_this_year", ["本年收入合计", "本年收入小计", "本年收入"]),
        ("carryover", ["上年结转", "上年结转结余", "上年结转资金"]),
    ):
        out[key], line = value_after(raw.rows, labels)
        if line is None and key != "carryover":
            issues.append(Issue(raw.rows[0].line, f"预算收支总表: no {labels[0]} row"))
    return out


def _income_table_totals(
    tables: Sequence[RawTable], issues: list[Issue]
) -> dict[str, float | None]:
    """Without a 收支总表, the 合计 row of 预算收入总表 gives 本年收入 (its first amount) and,
    where empty cells keep the columns in place, 上年结转 (the column so headed)."""
    raw = merged(tables, "income")
    if raw is None or not raw.rows:
        issues.append(Issue(None, "no 预算收支总表 or 预算收入总表 found"))
        return {}
    rows = raw.rows
    total_row = next((r for r in rows if r.filled and norm(r.filled[0]) == "合计"), None)
    if total_row is None:
        issues.append(Issue(rows[0].line, "预算收入总表: no 合计 row"))
        return {}
    this_year = next((parse_amount(c) for c in total_row.filled[1:] if is_amount(c)), None)
    col = column_of_label(rows, "上年结转")
    if col is None or "" not in total_row.cells or this_year is None:
        issues.append(Issue(total_row.line, "预算收入总表 合计: 上年结转 column not found"))
        return {"income_this_year": this_year}
    carry = parse_amount(total_row.cells[col]) if col < len(total_row.cells) else None
    total = round(this_year + (carry or 0.0), 2)
    return {"income_total": total, "income_this_year": this_year, "carryover": carry}
