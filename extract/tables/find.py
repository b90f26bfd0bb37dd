"""Finding the budget tables of a disclosure by their titles, and the registry of table kinds.

Tables are found by their titles ("2026年预算支出总表", "表三…", "预算公开表3" above it), never by
position; the 目录 lists the same titles with leader dots and page numbers, and is skipped. Each
kind of table is registered once, with the test its title must pass and the parser that reads
it (`@table_kind`), so adding a kind is one module and one decorator. The title tests exclude one
another, so the order of registration does not matter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..model import BudgetTable, Issue, Row
from .text import is_amount, is_meta, norm


@dataclass(frozen=True)
class RawTable:
    """One titled table: its kind, the line of its title and the rows up to the next table."""

    kind: str
    title: str
    line: int
    rows: tuple[Row, ...]
    scale: float = 1.0  # to 万元: 1e-4 for a table printed in 元, 1e4 for one in 亿元


@dataclass(frozen=True)
class Context:
    """What a parser may need beyond its own rows: the whole document and who its units are."""

    rows: tuple[Row, ...]
    is_unit: Callable[[str], bool]


Parser = Callable[[RawTable, Context, list[Issue]], BudgetTable]


@dataclass(frozen=True)
class TableKind:
    name: str
    label: str  # how a message names the table: 预算支出总表
    matches: Callable[[str], bool]
    parse: Parser


KINDS: dict[str, TableKind] = {}


def table_kind(name: str, label: str, matches: Callable[[str], bool]) -> Callable[[Parser], Parser]:
    """Register the decorated function as the parser of tables whose title `matches`."""

    def register(parse: Parser) -> Parser:
        KINDS[name] = TableKind(name, label, matches, parse)
        return parse

    return register


def overall(title: str, what: str) -> bool:
    """A title of the department's whole 收支/收入/支出 (收支总表, 收支预算总表, 收支总体情况表),
    not of one fund's (一般公共预算, 政府性基金, 国有资本经营) nor a table of 项目支出."""
    excluded = _OWN_SUMMARY if what == "收支" else _ONE_FUND
    return (
        what in title
        and ("总表" in title or "总体情况表" in title)
        and (what == "收支" or "收支" not in title)
        and not any(word in title for word in excluded)
    )


_ONE_FUND = ("一般公共预算", "政府性基金", "国有资本经营", "项目支出", "基本支出")
_OWN_SUMMARY = ("政府性基金", "国有资本经营")  # funds with 收支 tables of their own


def label_of(kind: str) -> str:
    return KINDS[kind].label if kind in KINDS else kind


_TITLE = re.compile(
    r"(?:表[一二三四五六七八九十]+|(?:预算|部门|单位)?公开表\d+)?(?:20\d\d年度?)?"
    r"(?P<name>[^。；;：:]{2,40}?表)(?:\((?P<note>[^()]{1,15})\))?(?:续表?|\(续\))?"
)
_TABLE_NUMBER = re.compile(r"(?:附|公开)?表\s*(?:[一二三四五六七八九十]+|\d{1,2})")
_LEADERS = re.compile(r"\.{3,}|…|·{3,}")
_PAGE_NUMBER = re.compile(r"\d{1,3}")
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")


def _title_kind(row: Row) -> tuple[str, str] | None:
    """(kind, title) when the row is a table's title; None for a 目录 entry or anything else.

    A title stands alone on its row, or beside 单位：万元; a 目录 entry has leader dots or a page
    number beside it. Part headings such as "第二部分 2026年部门预算报表" are not tables.
    """
    filled = row.filled
    if not filled or "表" not in filled[0] or _LEADERS.search(row.text):
        return None
    if len(filled) > 1 and _TABLE_NUMBER.fullmatch(filled[0]):  # 表三 | 预算支出总表 (pdftotext)
        filled = (filled[0] + filled[1], *filled[2:])
    others = filled[1:]
    if any(_PAGE_NUMBER.fullmatch(norm(c)) for c in others):
        return None
    if not all(is_meta(c) for c in others):
        return None
    text = norm(filled[0])
    m = _TITLE.fullmatch(text)
    if not m or _PART.match(text) or m.group("name").endswith("报表"):
        return None
    kind = next((k.name for k in KINDS.values() if k.matches(text)), "other")
    return kind, text


def _ends_table(row: Row) -> bool:
    """A part heading ("第三部分 …情况说明") or a paragraph of prose closes the last table."""
    # What a row that ends a table holds before normalising: the 第 of a part heading or a
    # full stop (。, or ︒ ｡ which NFKC folds into it; no other character folds into either).
    # Most rows hold none and need no normalising; tested inline, as it runs on every row.
    text = row.text
    if not ("第" in text or "。" in text or "︒" in text or "｡" in text):
        return False
    text = norm(text)
    if _PART.match(text) and "报表" not in text:
        return True
    return "。" in text and not text.startswith("注") and not any(is_amount(c) for c in row.filled)


def find_tables(rows: Sequence[Row]) -> list[RawTable]:
    """Every titled table with its rows; the rows run to the next title or the end of tables."""
    tables: list[RawTable] = []
    current: tuple[str, str, int] | None = None
    title_row: Row | None = None
    body: list[Row] = []
    for row in rows:
        found = _title_kind(row) if "表" in row.text else None
        if found is not None:
            if current is not None:
                tables.append(_table(current, title_row, body))
            current, title_row, body = (found[0], found[1], row.line), row, []
        elif current is None or current[0] == "other":
            continue  # rows of tables no parser reads (绩效目标表) are not looked at
        elif _ends_table(row):
            tables.append(_table(current, title_row, body))
            current, body = None, []
        else:
            body.append(row)
    if current is not None:
        tables.append(_table(current, title_row, body))
    return tables


def _table(head: tuple[str, str, int], title_row: Row | None, body: list[Row]) -> RawTable:
    return RawTable(*head, tuple(body), _scale(([title_row] if title_row else []) + body[:_UNIT_ROWS]))


def _scale(rows: Sequence[Row]) -> float:
    """The factor into 万元 of the unit a table states beside or under its title (单位：元)."""
    for row in rows:
        for cell in row.filled:
            if "单位" in cell and (m := _UNIT.search(norm(cell))):
                return _TO_WAN[m.group(1)]
    return 1.0


# 单位：元 or 金额单位：万元, not 编制单位：元氏县… (a unit is not followed by more of a name)
_UNIT = re.compile(r"(?<![编制称])(?:金额)?单位[:：]\s*(亿元|万元|元)(?![\u4e00-\u9fff])")
_TO_WAN = {"元": 1e-4, "万元": 1.0, "亿元": 1e4}
_UNIT_ROWS = 4  # rows under a title where its unit line may stand


def merged(tables: Sequence[RawTable], kind: str) -> RawTable | None:
    """The tables of a kind as one: a table continued under a repeated title is one table."""
    found = [t for t in tables if t.kind == kind]
    if not found:
        return None
    rows = tuple(r for t in found for r in t.rows)
    return RawTable(kind, found[0].title, found[0].line, rows, found[0].scale)


def end_line(table: RawTable) -> int:
    return table.rows[-1].end_line if table.rows else table.line


def no_data(table: RawTable) -> bool:
    """本表无数据 printed in the table (often as its 注)."""
    return any("无数据" in r.text for r in table.rows)
