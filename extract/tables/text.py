"""Cells of budget tables as a reader sees them: labels compared without markup, amounts parsed.

Converters differ in what they do to a cell: pdftotext prints glyphs twice ("合计合计"), glues a
number to the next label ("408.27本年支出合计"), spaces digits ("32, 510. 39"), or leaves several
columns in one cell ("20604 技术研究与开发 75.00"). Every table parser reads cells through these
functions so that each layout quirk is handled once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from ..layout import undouble
from ..model import Row

_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_LEADING_NUMBER = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|-?\d+(?:\.\d{1,2})?")
_DASHES = {"-", "—", "－", "–", "——", "/"}
_META = re.compile(r"^(?:(?:部门|单位|预算单位)名称|单位|金额单位|编制单位)[:：]")
_TABLE_NUMBER = re.compile(r"^(?:(?:预算|部门|单位)?公开表|附表|表)(?:\d{1,2}|[一二三四五六七八九十]+)(?:[-－—]\d{1,2})?$")
_CODE = re.compile(r"\d{3}(?:\d{2}){0,2}")
_SPACED_DIGITS = re.compile(r"\d\s+\d")
_SEPARATORS = re.compile(r"[\s,，]")
_STARTS_NUMBER = re.compile(r"\s*[-－]?[0-9０-９]")
_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
_YEAR_PREFIX = re.compile(r"^20\d\d年度?")
COLUMN_NUMBER = re.compile(r"\d{1,2}")  # a column-number row: 1 2 3 …
TOTAL_NAMES = frozenset({"合计", "总计", "小计", "部门合计", "单位合计"})
HEADER_WORDS = (
    "项目名称", "单位名称", "科目编码", "科目名称", "合计", "小计", "总计", "财政拨款",
    "一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金", "单位资金",
    "基本支出", "项目支出", "上年结转", "本年预算", "本年收入", "金额", "项目", "预算数",
)  # fmt: skip


@lru_cache(maxsize=65536)
def norm(s: str) -> str:
    """Compare labels as a reader would: width-folded, no tags, marks or spaces, not doubled."""
    s = unicodedata.normalize("NFKC", _TAG.sub("", s) if "<" in s else s)
    s = "".join(s.split()).lstrip("#*>").rstrip("*")  # split() drops what \s+ matches
    return undouble(s)


@lru_cache(maxsize=65536)
def _amount_text(cell: str) -> str:
    """The cell without thousands separators and the spaces a converter put around "," or ".";
    digits apart with only a space between ("1 2 3", a column-number row) are not one number."""
    t = unicodedata.normalize("NFKC", cell).strip()
    if _SPACED_DIGITS.search(t):
        return t
    return _SEPARATORS.sub("", t)


@lru_cache(maxsize=65536)
def is_amount(cell: str) -> bool:
    """True for a cell that holds an amount ("23,564.61", "32, 510. 39", "75.0075.00", "-").

    Memoized: the parsers ask about the same cells again (a table's 0, its totals)."""
    t = _amount_text(cell)
    if not t:
        return False
    return t in _DASHES or bool(_NUMBER.fullmatch(t) or _NUMBER.fullmatch(undouble(t)))


@lru_cache(maxsize=65536)
def parse_amount(cell: str | None) -> float | None:
    """An amount as printed; blank, a dash or text is None (a blank cell is not a zero)."""
    if not cell:
        return None
    t = _amount_text(cell)
    for candidate in (t, undouble(t)):
        if _NUMBER.fullmatch(candidate):
            return float(candidate)
    return None


def leading_amount(cell: str) -> float | None:
    """The amount a cell starts with, where pdftotext glued the next cell on ("408.27本年…")."""
    full = parse_amount(cell)
    if full is not None:
        return full
    if not _STARTS_NUMBER.match(cell):  # NFKC reads ① as 1: no amount
        return None
    m = _LEADING_NUMBER.match(unicodedata.normalize("NFKC", cell).strip())
    return float(m.group().replace(",", "")) if m else None


def split_leading_amount(cell: str) -> tuple[float | None, str]:
    """(amount, rest) of a cell pdftotext glued: "408.27一、一般公共服务支出" → (408.27, "一、…")."""
    if not _STARTS_NUMBER.match(cell) or is_amount(cell):
        return None, cell
    text = unicodedata.normalize("NFKC", cell).strip()
    m = _LEADING_NUMBER.match(text)
    if not m:
        return None, cell
    rest = text[m.end() :]
    doubled = rest.startswith(m.group())  # "408.27408.27本年…": the number printed twice
    rest = rest[m.end() :] if doubled else rest
    if not rest or rest[0].isdigit() or rest[0] in ".,":
        return None, cell
    return float(m.group().replace(",", "")), rest


def clean_name(s: str) -> str:
    """A cell wrapped inside the page keeps a space between two CJK characters: drop it."""
    s = _TAG.sub("", s).strip()
    s = _CJK_GAP.sub("", s)
    return _SPACES.sub(" ", s)


def close(a: float, b: float, n: int = 1) -> bool:
    """Equal up to the rounding of n printed amounts (表因四舍五入可能存在尾差)."""
    return abs(a - b) <= 0.011 + 0.005 * n


def joined(rows: Iterable[Row]) -> str:
    return "".join(norm(r.text) for r in rows)


def keeps_positions(rows: Sequence[Row]) -> bool:
    """The layout keeps empty cells (some row of the table has one): a cell's position is its
    column, in every row of the table, full rows too."""
    return any("" in row.cells for row in rows)


def is_meta(cell: str) -> bool:
    """单位名称：… / 单位：万元 lines and table numbers ("预算公开表4") printed above a title."""
    text = norm(cell)
    return bool(_META.match(text) or _TABLE_NUMBER.match(text))


def is_code(cell: str) -> bool:
    """A 功能分类 code of 3, 5 or 7 digits (类, 款, 项)."""
    return bool(_CODE.fullmatch(norm(cell)))


def split_cells(row: Row) -> Row:
    """Where a layout keeps no empty cells it may also leave several columns in one cell
    ("20604 技术研究与开发 75.00"): such a cell is cut at its spaces when a piece is an amount or
    it starts with a code. A cell that is one amount as a whole ("32, 510. 39") stays one.
    """
    if "" in row.cells:
        return row
    cells: list[str] = []
    for cell in row.cells:
        pieces = cell.split()
        if (
            len(pieces) > 1
            and not is_amount(cell)
            and (any(is_amount(p) for p in pieces) or _CODE.fullmatch(pieces[0]))
        ):
            cells += pieces
        else:
            cells.append(cell)
    if len(cells) == len(row.cells):
        return row
    return Row(row.line, row.end_line, tuple(cells), " ".join(cells))


def amounts_of(row: Row) -> list[float | None]:
    return [parse_amount(c) for c in row.filled if is_amount(c)]


def stacked_amounts(rows: Sequence[Row], start: int, most: int) -> list[float | None]:
    """Up to `most` amounts from the rows from `start` on that each hold nothing but amounts:
    how a layout with one cell per line prints the rest of a row whose label stood alone."""
    out: list[float | None] = []
    for row in rows[start:]:
        if not row.filled or not all(is_amount(c) for c in row.filled):
            break
        out += [parse_amount(c) for c in row.filled]
        if len(out) >= most:
            break
    return out[:most]


def value_after(rows: Sequence[Row], labels: Sequence[str]) -> tuple[float | None, int | None]:
    """The amount printed right after a label cell, and the row's line; (None, None) if absent.

    The first cell after the label is taken: blank means no amount; with pdftotext the next
    label may be glued behind the number ("408.27本年支出合计"), so a leading number is read.
    A label followed by more labels is a header ("合计 一般公共预算 …") and is passed over.
    A label that is its row's only cell (one cell per line) takes the amount of the next row
    when that row holds amounts only; followed by another label it is blank or a header, and
    a later row of the same label with an amount wins.
    """
    wanted = {norm(x) for x in labels}
    rows = [split_cells(r) for r in rows]
    blank: int | None = None
    for k, row in enumerate(rows):
        for i, cell in enumerate(row.cells):
            if norm(cell) not in wanted:
                continue
            rest = row.cells[i + 1 :]
            if not rest and len(row.cells) == 1:
                following = stacked_amounts(rows, k + 1, 1)
                if following:
                    return following[0], row.line
                blank = row.line if blank is None else blank
                continue
            if not rest or not rest[0].strip():
                return None, row.line
            value = leading_amount(rest[0])
            if value is not None:
                return value, row.line
    return None, blank


def is_header_row(row: Row) -> bool:
    """A column-header row, also one wrapped in pieces ("合计 政府性 …"), or the 1 2 3 … row.

    Every cell must be (a piece of) a header word and one a whole word, so that a wrapped
    piece of a name ("支出") is not taken for a header.
    """
    filled = [_YEAR_PREFIX.sub("", norm(c)) for c in row.filled]
    if filled and all(COLUMN_NUMBER.fullmatch(c) for c in filled):
        return True
    pieces = all(c and any(c in w for w in HEADER_WORDS) for c in filled)
    return bool(filled) and pieces and any(c in HEADER_WORDS for c in filled)


def column_of_label(rows: Sequence[Row], label: str) -> int | None:
    """The cell position of a header label, for layouts that keep empty cells."""
    for row in rows:
        for i, cell in enumerate(row.cells):
            if norm(cell) == label:
                return i
    return None
