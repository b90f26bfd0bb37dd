"""Rows of a budget table read into (labels, amounts by column), whatever the converter kept.

Two kinds of layout reach the parsers. Where empty cells are kept (tab-separated, markdown pipes,
HTML) a cell's position names its column, so the header's positions are used. Where they are not
(pdftotext, one cell per line) only the order of the amounts is left: amounts are matched to the
columns in order when there are as many as columns, and otherwise the first is the row's total
(合计 leads every budget table) and the rest are kept as `unplaced` — counted in the row's sum, but
never put in a column the text does not show. Where a column stands outside the total (上年结转
beside 本年收入), the first amount is taken for the total only if the next ones add up to it.

A group is a label (or two: 基本工资 | 工资奖金津补贴) followed by its amounts; a two-sided row
(收入 | 支出) holds two groups. A label wrapped onto the next line by pdftotext (七、文化旅游体育与
传媒支 / 出) is joined to its group; in a layout with one cell per line, a label alone on its line
takes the amounts on the lines below.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..model import Row
from .text import (
    COLUMN_NUMBER,
    is_amount,
    is_meta,
    keeps_positions,
    norm,
    parse_amount,
    split_cells,
    split_leading_amount,
)

# Printed column headers → column keys; a header cell is matched after its year is cut off.
COLUMN_WORDS: dict[str, str] = {
    "合计": "total", "小计": "total", "总计": "total", "金额": "amount", "预算数": "amount",
    "": "amount", "基本支出": "basic", "项目支出": "project", "一般公共预算": "general",
    "政府性基金": "fund", "政府性基金预算": "fund", "国有资本经营预算": "capital",
    "国有资本经营": "capital", "财政专户管理资金": "special", "单位资金": "own",
    "上年结转": "carryover", "上年结转安排": "carryover", "当年预算安排": "current",
    "人员经费": "personnel", "公用经费": "public", "政府性基金收入预算": "amount",
    "国有资本经营收入预算": "amount",
}  # fmt: skip
_YEAR = re.compile(r"^20\d\d(?:年度?)?")
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_DIGITS = re.compile(r"\d{3,9}")
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．]\D)"
)
HEADER_WORDS = frozenset(COLUMN_WORDS) | {
    "项目", "收入", "支出", "科目编码", "科目名称", "本年收入", "单位名称", "项目名称",
    "部门预算支出经济科目名称", "政府预算支出经济科目名称", "收入科目编码", "功能分类科目",
    "经济分类科目", "国有资本经营预算收入", "国有资本经营预算支出", "财政拨款",
}  # fmt: skip


def column_key(cell: str) -> str | None:
    """The column a header cell names ("2026年合计" → total), or None for other text."""
    text = _YEAR.sub("", norm(cell)).replace("(万元)", "")
    if text == "" and not norm(cell):
        return None
    return COLUMN_WORDS.get(text)


def is_header_cell(cell: str) -> bool:
    """A column header, or a piece of one that pdftotext wrapped (政府性基 / 金预算)."""
    text = _YEAR.sub("", norm(cell))
    if len(text) % 2 == 0 and text[::2] == text[1::2]:
        text = text[::2]  # glyphs printed twice, down to one (算算 → 算)
    if not text or text in HEADER_WORDS:
        return True
    return len(text) <= 8 and any(text in w for w in HEADER_WORDS if len(w) > len(text))


def starts_label(text: str) -> bool:
    """A label that opens a row of its own: numbered (一、 (一) 1.) or a code, not a fragment."""
    t = norm(text)
    return bool(_NUMBERING.match(t) or _DIGITS.fullmatch(t))


@dataclass
class Group:
    """A label and the amounts after it, as read so far; `index` maps an amount to its cell."""

    labels: list[str]
    line: int
    end_line: int
    label_index: int | None = None
    amounts: list[tuple[int | None, float | None]] = field(default_factory=list)

    def add_line(self, line: int) -> None:
        self.end_line = max(self.end_line, line)


@dataclass(frozen=True)
class Header:
    """Where the columns stand: cell positions (kept-empty layouts) and their printed order."""

    positions: dict[int, str]
    order: tuple[str, ...]
    data_start: int  # index of the first data row
    kept: bool = True  # the layout keeps empty cells (some row of the table has one)


def read_header(rows: Sequence[Row], default: Sequence[str]) -> Header:
    """Column positions from the header rows above the data; later header rows refine earlier
    ones (本年收入 above 合计 | 一般公共预算 …). The order is the header's where it prints every
    default column, else the default (pdftotext breaks header cells apart)."""
    start = data_start(rows)
    positions: dict[int, str] = {}
    seen: list[str] = []
    for row in rows[:start]:
        if is_meta(row.cells[0] if row.cells else ""):
            continue
        for i, cell in enumerate(_unrepeat(row.cells)):
            key = column_key(cell) if cell else None
            if key is not None:
                if "" in row.cells or len(row.cells) > 1:
                    positions[i] = key
                seen.append(key)
    order = tuple(dict.fromkeys(k for k in seen if k in default))
    kept = keeps_positions(rows)
    return Header(positions, order if set(order) == set(default) else tuple(default), start, kept)


def data_start(rows: Sequence[Row]) -> int:
    """The first row past the title block and the column headers."""
    for k, row in enumerate(rows):
        cells = [c for c in _unrepeat(row.cells) if c]
        if not cells or is_meta(cells[0]):
            continue
        if any(is_amount(c) for c in cells) or not all(is_header_cell(c) for c in cells):
            return k
        if len(cells) == 1 and _amounts_follow(rows, k):
            return k
    return len(rows)


def _amounts_follow(rows: Sequence[Row], k: int) -> bool:
    nxt = rows[k + 1].filled if k + 1 < len(rows) else ()
    return bool(nxt) and all(is_amount(c) for c in nxt) and not COLUMN_NUMBER.fullmatch(nxt[0])


def _unrepeat(cells: Sequence[str]) -> list[str]:
    """docling repeats a merged label in each cell it spans to the row's end: keep the first,
    blank the rest. A repeat with amounts after it is a cell of its own (住房公积金 | 住房公积金)."""
    out = list(cells)
    tail_empty = True  # out[i + 1:] holds no text: tracked, not rescanned per cell
    for i in range(len(cells) - 1, 0, -1):
        cell = cells[i]
        if tail_empty and cell and cell == cells[i - 1] and not is_amount(cell):
            out[i] = ""
        tail_empty = tail_empty and not out[i]
    return out


def positional(row: Row, header: Header) -> bool:
    """Whether this row's cell positions can be trusted to name its columns: the layout keeps
    empty cells (then a full row is positional too) and the row has more than one cell."""
    return bool(header.positions) and header.kept and len(row.cells) > 1


def row_groups(
    rows: Sequence[Row],
    header: Header,
    new_label: Callable[[str], bool] = starts_label,
    slots: int = 1,
    codes: re.Pattern[str] | None = None,
) -> list[Group]:
    """Every label group of the data rows, in order, with wrapped lines joined; `codes` is the
    form of a code that may open a row (经济科目 301, 30101), read as a label, not an amount."""
    groups: list[Group] = []
    for row in rows[header.data_start :]:
        if not row.filled or is_meta(row.filled[0]) or "无数据" in row.text or _furniture(row):
            continue
        if positional(row, header):
            groups += _positional_groups(row, codes)
            continue
        _sequence_row(split_cells(row), groups, new_label, slots, codes)
    return groups


def _furniture(row: Row) -> bool:
    """A part heading pdftotext dropped into a table, or its 注 (本套报表…尾差)."""
    text = norm(row.filled[0])
    return bool(_PART.match(text)) or text.startswith("注")


def _is_code_cell(cell: str, first: bool, codes: re.Pattern[str] | None) -> bool:
    """A code that opens its row (301, 30101): a label, though it reads as a number."""
    return first and codes is not None and bool(codes.fullmatch(cell.strip()))


def _positional_groups(row: Row, codes: re.Pattern[str] | None = None) -> list[Group]:
    groups: list[Group] = []
    for i, cell in enumerate(_unrepeat(row.cells)):
        if not cell:
            continue
        amount = is_amount(cell) and not (codes and _is_code_cell(cell, not groups, codes))
        if amount and groups:
            groups[-1].amounts.append((i, parse_amount(cell)))
        elif not amount:
            if groups and not groups[-1].amounts and groups[-1].label_index == i - 1:
                groups[-1].labels.append(cell)  # a second label column (基本工资 | 工资…)
                groups[-1].label_index = i
            else:
                groups.append(Group([cell], row.line, row.end_line, i))
    return groups


def _sequence_row(row: Row, groups: list[Group], new_label, slots: int, codes=None) -> None:
    """Add one row of a layout without empty cells: amounts go to the open group; a label
    opens a group unless it is a wrapped piece or a second label of the open one."""
    for n, cell in enumerate(row.filled):
        value, rest = split_leading_amount(cell)
        if value is not None:
            _add_amount(groups, value, row)
            cell = rest
        elif is_amount(cell) and not _is_code_cell(cell, n == 0 and _opens(groups), codes):
            _add_amount(groups, parse_amount(cell), row)
            continue
        if groups and _joins(groups[-1], cell, row, slots, new_label):
            groups[-1].labels.append(cell)
            groups[-1].add_line(row.end_line)
        else:
            groups.append(Group([cell], row.line, row.end_line))


def _joins(open_: Group, cell: str, row: Row, slots: int, new_label) -> bool:
    """Whether a label belongs to the open group: its second label column, or the rest of a
    label pdftotext wrapped onto the next line (a short piece, or after a long label: 七、文化
    旅游体育与传媒支 / 出) — not a label of its own (因公出国（境）费 / 公务接待费)."""
    if open_.amounts or new_label(cell):
        return False
    if len(open_.labels) < slots + bool(_DIGITS.fullmatch(norm(open_.labels[0]))):
        return True  # another label column; a leading code takes one of its own
    if open_.end_line >= row.line:
        return False
    return len(norm(cell)) <= 4 or len(norm(open_.labels[-1])) >= 10


def _opens(groups: list[Group]) -> bool:
    """Whether a cell here starts a new row: nothing is open, or the open row has amounts."""
    return not groups or bool(groups[-1].amounts)


def _add_amount(groups: list[Group], value: float | None, row: Row) -> None:
    if groups:
        groups[-1].amounts.append((None, value))
        groups[-1].add_line(row.end_line)


def place(
    group: Group, header: Header, keys: Sequence[str], outside: Sequence[str] = ()
) -> tuple[dict, tuple[float, ...]]:
    """(amounts by column, unplaced amounts) of a group, for the columns `keys` of its side;
    `outside` are columns not part of the row's total (上年结转 beside 本年收入 合计)."""
    placed: dict[str, float | None] = dict.fromkeys(keys)
    if all(i is not None for i, _ in group.amounts) and group.amounts:
        for i, value in group.amounts:
            key = header.positions.get(i)  # type: ignore[arg-type]
            if key in placed:
                placed[key] = value
        return placed, ()
    values = [v for _, v in group.amounts if v is not None]
    if len(values) == len(keys):
        return dict(zip(keys, values)), ()
    if not values:
        return placed, ()
    if not outside:
        placed[keys[0]] = values[0]
        return placed, tuple(values[1:])
    return _place_beside(placed, values, keys, outside)


def _place_beside(
    placed: dict, values: list[float], keys, outside
) -> tuple[dict, tuple[float, ...]]:
    """With columns outside the total, the first amount is the total only where the next ones
    add up to it and what is left fills the outside columns; otherwise nothing is placed."""
    fits = [
        k for k in range(2, len(values) + 1)
        if abs(values[0] - sum(values[1:k])) <= 0.011 + 0.005 * (k - 1)
        and len(values) - k in (0, len(outside))
    ]  # fmt: skip
    if len(fits) != 1:
        return placed, tuple(values)
    k = fits[0]
    placed[keys[0]] = values[0]
    placed.update(zip(outside, values[k:]))
    return placed, tuple(values[1:k])


def labels_of(group: Group, slots: int) -> list[str]:
    """The group's label cells, a wrapped surplus joined onto the last one."""
    labels = [norm(x) for x in group.labels]
    if len(labels) > slots:
        labels = labels[: slots - 1] + ["".join(labels[slots - 1 :])]
    return labels


def cells_group(cells: Sequence[str], first: int, line: int, end: int, positional_: bool) -> Group:
    """A group of the amount cells of `cells` from index `first` on (a coded row's amounts)."""
    group = Group([], line, end)
    for i, cell in enumerate(cells[first:], first):
        if cell and is_amount(cell):
            group.amounts.append((i if positional_ else None, parse_amount(cell)))
    return group
