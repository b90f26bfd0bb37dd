"""Rows keyed by a 功能分类 code (206 科学技术支出), and the 类/款/项 hierarchy of those codes.

The 支出功能分类 code has three levels: 类 (3 digits, 206), 款 (5 digits, 20601) and 项 (7
digits, 2060101); a row adds up into the nearest printed row whose code its own begins with.
pdftotext may print one row over several lines ("2130599" / "其他…乡村振兴" / "支出" / "2.80
2.80"); the lines after a coded line that carry no code are joined to it here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Row
from .text import clean_name, is_amount, is_code, is_header_row, is_meta, keeps_positions, norm, split_cells

LEVELS = {3: "类", 5: "款", 7: "项"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_HEADER_SPAN = 20  # rows at the top of a table where its column headings stand
_CODE_PART = re.compile(r"\d{2,3}")  # 206, 01: a part of a code printed over 类 | 款 | 项
_CODE_NAME = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s*([\u4e00-\u9fff（(].*)$")


def parent_code(code: str, printed: set[str] | frozenset[str]) -> str | None:
    """The code a row adds up into: the longest printed code that is a prefix of its own."""
    for size in range(len(code) - 2, 2, -2):
        if code[:size] in printed:
            return code[:size]
    return None


def level(code: str | None) -> str | None:
    """类, 款 or 项 for a 功能分类 code; None for anything else."""
    return LEVELS.get(len(code)) if code and code.isdigit() else None


@dataclass
class Coded:
    """A coded row being assembled from one or more lines."""

    code: str
    line: int
    end_line: int
    name_parts: list[str]
    cells: list[str]  # the cells after the name, empty ones kept where the layout has them
    row_cells: tuple[str, ...]  # the first line's cells, for layouts where positions hold
    stacked: bool = False  # its amounts came one per line (one cell per line)
    width: int = 3  # how many amount columns a row may have when printed one per line


def coded_rows(rows: Sequence[Row], width: int = 3) -> Iterable[Coded | Row]:
    """Coded rows with their wrapped lines joined; other rows (合计, headers) pass as they are."""
    current: Coded | None = None
    rows = _joined_codes(rows) if _splits_codes(rows) else rows
    # Where cells keep their columns, only a row narrower than the table is packed and split
    # (a 205 教育支出 cell of a full-width row is a merged column, not a packed one).
    full = max((len(row.cells) for row in rows), default=0) if keeps_positions(rows) else 0
    for row in (r if len(r.cells) == full else split_cells(r) for r in rows):
        lead = _code_and_name(row.filled[0]) if row.filled else None
        if lead:
            if current:
                yield current
            code, name = lead
            first = row.cells.index(row.filled[0])
            rest = list(row.cells[first + 1 :])
            if rest and not is_amount(rest[0]):
                name = (name + rest.pop(0)) if name else rest.pop(0)  # its own column, maybe empty
            current = Coded(code, row.line, row.end_line, [name], rest, row.cells)
            current.width = width
            continue
        if current is not None and _continues(current, row):
            _absorb(current, row)
            continue
        if current:
            yield current
            current = None
        yield row
    if current:
        yield current


def _splits_codes(rows: Sequence[Row]) -> bool:
    """The header prints the code over three columns: 科目编码 above 类 | 款 | 项."""
    cells = [norm(c) for row in rows[:_HEADER_SPAN] for c in row.filled]  # one per line too
    return any(cells[i : i + 3] == ["类", "款", "项"] for i in range(len(cells) - 2))


def _joined_codes(rows: Sequence[Row]) -> list[Row]:
    """Rows with the code's 类 | 款 | 项 cells (206 | 01 | 01, or 206 / 01 / 01 with the parts
    above left blank) joined into one code, where its last part stood; cells keep their places."""
    out: list[Row] = []
    parts = ["", ""]  # the 类 and 款 printed last, for rows that leave them blank
    for row in _stacked_parts(rows):
        lead = []
        for cell in row.cells[:3]:
            if cell.strip() and not _CODE_PART.fullmatch(norm(cell)):
                break
            lead.append(norm(cell))
        if not any(lead):
            out.append(row)
            continue
        code, parts = _code_of(lead, parts)
        cells = ([""] * (len(lead) - 1) if "" in row.cells else []) + [code] + list(row.cells[len(lead) :])
        out.append(Row.of_cells(row.line, row.end_line, tuple(cells)) or row)
    return out


def _stacked_parts(rows: Sequence[Row]) -> list[Row]:
    """One cell per line: a 类 (206) and the 款 and 项 (01, 01) on the lines after it, one row."""
    out: list[Row] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        if len(row.cells) == 1 and len(norm(row.cells[0])) == 3 and _CODE_PART.fullmatch(norm(row.cells[0])):
            j = i + 1
            while j < min(i + 3, len(rows)) and len(rows[j].cells) == 1 and len(norm(rows[j].cells[0])) == 2 \
                    and _CODE_PART.fullmatch(norm(rows[j].cells[0])):
                j += 1
            if j > i + 1 and j < len(rows) and _CJK.search(rows[j].text):  # then the row's name
                cells = tuple(norm(r.cells[0]) for r in rows[i:j])
                out.append(Row.of_cells(row.line, rows[j - 1].end_line, cells) or row)
                i = j
                continue
        out.append(row)
        i += 1
    return out


def _code_of(lead: list[str], parts: list[str]) -> tuple[str, list[str]]:
    """The whole code of a row's 类/款/项 cells; blank leading parts are the rows' above."""
    filled = [c for c in lead if c]
    if len(filled[0]) == 3:  # 206 [01 [01]]: the code printed whole, over its columns
        klass, kuan, xiang = filled[0], (filled[1:2] or [""])[0], (filled[2:3] or [""])[0]
    else:  # | 01 | or | | 01 |: the 类 (and 款) above
        klass = parts[0]
        kuan, xiang = (filled[0], "") if len(lead) < 3 or lead[1] else (parts[1], filled[0])
    return klass + kuan + xiang, [klass, kuan]


def _code_and_name(cell: str) -> tuple[str, str] | None:
    """(code, name) of a row's first cell: a code alone ("206", name ""), or a code with its
    name in the same cell ("2050101 行政运行", "206科学技术支出"), as converters merge them."""
    if is_code(cell):
        return norm(cell), ""
    m = _CODE_NAME.match(norm(cell))
    return (m.group(1), m.group(2)) if m else None


def _absorb(current: Coded, row: Row) -> None:
    amounts = [c for c in row.filled if is_amount(c)]
    current.name_parts += [c for c in row.filled if not is_amount(c)]
    current.end_line = row.end_line
    if amounts and len(row.cells) == 1 and (current.stacked or not current.cells):
        current.cells = current.cells + amounts  # one amount per line: 合计, 基本, 项目
        current.stacked = True
    else:
        current.cells = current.cells or amounts


def _continues(current: Coded, row: Row) -> bool:
    """A wrapped piece of the coded row above: its amounts (if it has none) or a bit of name."""
    amounts = [c for c in row.filled if is_amount(c)]
    texts = [c for c in row.filled if not is_amount(c)]
    if amounts and current.stacked:  # a row printed one cell per line has at most `width`
        return len(row.cells) == 1 and not texts and len(current.cells) < current.width
    if amounts:
        return not any(c.strip() for c in current.cells)
    short_cjk = all(_CJK.search(c) and len(c) <= 30 for c in texts)
    return (
        bool(texts)
        and short_cjk
        and not is_header_row(row)
        and not is_meta(texts[0])
        and not (norm(texts[0]).startswith("注"))
    )


def name_of(item: Coded) -> str:
    return clean_name("".join(item.name_parts))
