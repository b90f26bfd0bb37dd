"""The budget tables (部门预算报表) of one disclosure: department, totals, 功能分类 rows, projects.

Input is the document's rows, whatever converter produced them: tab-separated text keeps empty
cells (so a column's position means something), pdftotext keeps none (so a value's column has to
be worked out from arithmetic), and either may wrap one table row over several lines, repeat a
header after a page break, or print each glyph twice. Only `Row.line`, `Row.cells`, `Row.filled`
and `Row.text` are used.

Tables are found by their titles ("2026年预算支出总表", "表三…", "预算公开表3" above it), never by
position; the 目录 lists the same titles with leader dots and page numbers, and is skipped.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .layout import undouble
from .model import BudgetLine, Department, FunctionRow, Issue, Row

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


@dataclass(frozen=True)
class _Table:
    """One titled table: its kind, the line of its title and the rows up to the next table."""

    kind: str
    title: str
    line: int
    rows: tuple[Row, ...]


# ---------------------------------------------------------------------------------------------
# text and numbers


@lru_cache(maxsize=65536)
def _norm(s: str) -> str:
    """Compare labels as a reader would: width-folded, no tags, marks or spaces, not doubled."""
    s = unicodedata.normalize("NFKC", _TAG.sub("", s))
    s = _SPACES.sub("", s).lstrip("#*>").rstrip("*")
    return undouble(s)


_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_LEADING_NUMBER = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|-?\d+(?:\.\d{1,2})?")
_DASHES = {"-", "—", "－", "–", "——", "/"}


def _amount_text(cell: str) -> str:
    """The cell without thousands separators and the spaces a converter put around "," or ".";
    digits apart with only a space between ("1 2 3", a column-number row) are not one number."""
    t = unicodedata.normalize("NFKC", cell).strip()
    if re.search(r"\d\s+\d", t):
        return t
    return re.sub(r"[\s,，]", "", t)


def is_amount(cell: str) -> bool:
    """True for a cell that holds an amount ("23,564.61", "32, 510. 39", "75.0075.00", "-")."""
    t = _amount_text(cell)
    if not t:
        return False
    return t in _DASHES or bool(_NUMBER.fullmatch(t) or _NUMBER.fullmatch(undouble(t)))


def parse_amount(cell: str | None) -> float | None:
    """An amount as printed; blank, a dash or text is None (a blank cell is not a zero)."""
    if not cell:
        return None
    t = _amount_text(cell)
    for candidate in (t, undouble(t)):
        if _NUMBER.fullmatch(candidate):
            return float(candidate)
    return None


def _leading_amount(cell: str) -> float | None:
    """The amount a cell starts with, where pdftotext glued the next cell on ("408.27本年…")."""
    full = parse_amount(cell)
    if full is not None:
        return full
    if not re.match(r"\s*[-－]?[0-9０-９]", cell):  # NFKC reads ① as 1: no amount
        return None
    m = _LEADING_NUMBER.match(unicodedata.normalize("NFKC", cell).strip())
    return float(m.group().replace(",", "")) if m else None


def _clean_name(s: str) -> str:
    """A cell wrapped inside the page keeps a space between two CJK characters: drop it."""
    s = re.sub(r"<[^>]+>", "", s).strip()
    s = re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", s)
    return re.sub(r"\s+", " ", s)


def _close(a: float, b: float, n: int = 1) -> bool:
    """Equal up to the rounding of n printed amounts (表因四舍五入可能存在尾差)."""
    return abs(a - b) <= 0.011 + 0.005 * n


def _joined(rows: Iterable[Row]) -> str:
    return "".join(_norm(r.text) for r in rows)


# ---------------------------------------------------------------------------------------------
# finding tables

_KINDS: list[tuple[str, Callable[[str], bool]]] = [
    ("summary", lambda t: "收支总表" in t and "财政拨款" not in t),
    ("income", lambda t: "收入总表" in t and "财政拨款" not in t),
    ("expenditure", lambda t: "支出总表" in t and "财政拨款" not in t),
    ("three_public", lambda t: "三公" in t),
    ("office_operation", lambda t: "机关运行经费" in t),
    ("projects_carryover", lambda t: "项目支出预算表" in t and "结转" in t),
    ("projects_current", lambda t: "项目支出预算表" in t),
]
_TITLE_NAMES = {  # how an issue names a table that is not there
    "summary": "预算收支总表",
    "income": "预算收入总表",
    "expenditure": "预算支出总表",
    "three_public": "“三公”经费支出预算表",
    "office_operation": "机关运行经费预算表",
    "projects_current": "项目支出预算表（本年预算）",
    "projects_carryover": "项目支出预算表（上年结转）",
}


def _missing(*kinds: str) -> Issue:
    return Issue(None, "no " + " or ".join(_TITLE_NAMES[k] for k in kinds) + " found")


_TITLE = re.compile(
    r"(?:表[一二三四五六七八九十]+|(?:预算|部门|单位)?公开表\d+)?(?:20\d\d年度?)?"
    r"(?P<name>[^。；;：:]{2,40}?表)(?:\((?P<note>[^()]{1,15})\))?(?:续表?|\(续\))?"
)
_LEADERS = re.compile(r"\.{3,}|…|·{3,}")
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_META = re.compile(r"^(?:(?:部门|单位|预算单位)名称|单位|金额单位|编制单位)[:：]")
_TABLE_NUMBER = re.compile(r"^(?:(?:预算|部门|单位)?公开表\d+|表[一二三四五六七八九十]+)$")


def _is_meta(cell: str) -> bool:
    """单位名称：… / 单位：万元 lines and table numbers ("预算公开表4") printed above a title."""
    text = _norm(cell)
    return bool(_META.match(text) or _TABLE_NUMBER.match(text))


def _title_kind(row: Row) -> tuple[str, str] | None:
    """(kind, title) when the row is a table's title; None for a 目录 entry or anything else.

    A title stands alone on its row, or beside 单位：万元; a 目录 entry has leader dots or a page
    number beside it. Part headings such as "第二部分 2026年部门预算报表" are not tables.
    """
    filled = row.filled
    if not filled or "表" not in filled[0] or _LEADERS.search(row.text):
        return None
    others = filled[1:]
    if any(re.fullmatch(r"\d{1,3}", _norm(c)) for c in others):
        return None
    if not all(_is_meta(c) for c in others):
        return None
    text = _norm(filled[0])
    m = _TITLE.fullmatch(text)
    if not m or _PART.match(text) or m.group("name").endswith("报表"):
        return None
    for kind, test in _KINDS:
        if test(text):
            return kind, text
    return "other", text


def _ends_table(row: Row) -> bool:
    """A part heading ("第三部分 …情况说明") or a paragraph of prose closes the last table."""
    text = _norm(row.text)
    if _PART.match(text) and "报表" not in text:
        return True
    return "。" in text and not text.startswith("注") and not any(is_amount(c) for c in row.filled)


def find_tables(rows: Sequence[Row]) -> list[_Table]:
    """Every titled table with its rows; the rows run to the next title or the end of tables."""
    tables: list[_Table] = []
    current: tuple[str, str, int] | None = None
    body: list[Row] = []

    def close() -> None:
        if current is not None:
            tables.append(_Table(current[0], current[1], current[2], tuple(body)))

    for row in rows:
        found = _title_kind(row)
        if found is not None:
            close()
            current, body = (found[0], found[1], row.line), []
        elif current is not None and _ends_table(row):
            close()
            current, body = None, []
        elif current is not None:
            body.append(row)
    close()
    return tables


def _tables_of(tables: Sequence[_Table], kind: str) -> list[_Table]:
    return [t for t in tables if t.kind == kind]


def _rows_of(tables: Sequence[_Table], kind: str) -> list[Row]:
    """The rows of every table of a kind: a table continued under a repeated title is one."""
    return [r for t in _tables_of(tables, kind) for r in t.rows]


# ---------------------------------------------------------------------------------------------
# label → amount tables (收支总表, 三公, 机关运行经费)


def _value_after(rows: Sequence[Row], labels: Sequence[str]) -> tuple[float | None, int | None]:
    """The amount printed right after a label cell, and the row's line; (None, None) if absent.

    The first cell after the label is taken: blank means no amount; with pdftotext the next
    label may be glued behind the number ("408.27本年支出合计"), so a leading number is read.
    A label followed by more labels is a header ("合计 一般公共预算 …") and is passed over.
    A label that is its row's only cell (one cell per line) takes the amount of the next row
    when that row holds amounts only; followed by another label it is blank or a header, and
    a later row of the same label with an amount wins.
    """
    wanted = {_norm(x) for x in labels}
    rows = [_split_cells(r) for r in rows]
    blank: int | None = None
    for k, row in enumerate(rows):
        for i, cell in enumerate(row.cells):
            if _norm(cell) not in wanted:
                continue
            rest = row.cells[i + 1 :]
            if not rest and len(row.cells) == 1:
                following = _stacked_amounts(rows, k + 1, 1)
                if following:
                    return following[0], row.line
                blank = row.line if blank is None else blank
                continue
            if not rest or not rest[0].strip():
                return None, row.line
            value = _leading_amount(rest[0])
            if value is not None:
                return value, row.line
    return None, blank


def _stacked_amounts(rows: Sequence[Row], start: int, most: int) -> list[float | None]:
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


def _summary_totals(tables: Sequence[_Table], issues: list[Issue]) -> dict[str, float | None]:
    """收入总计, 本年收入合计 and 上年结转 from the left (收入) half of 预算收支总表."""
    rows = _rows_of(tables, "summary")
    if not rows:
        return _income_table_totals(tables, issues)
    out = {}
    for key, labels in (
        ("income_total", ["收入总计"]),
        ("income_this_year", ["本年收入合计", "本年收入小计", "本年收入"]),
        ("carryover", ["上年结转", "上年结转结余", "上年结转资金"]),
    ):
        out[key], line = _value_after(rows, labels)
        if line is None and key != "carryover":
            issues.append(Issue(rows[0].line, f"预算收支总表: no {labels[0]} row"))
    return out


def _income_table_totals(tables: Sequence[_Table], issues: list[Issue]) -> dict[str, float | None]:
    """Without a 收支总表, the 合计 row of 预算收入总表 gives 本年收入 (its first amount) and,
    where empty cells keep the columns in place, 上年结转 (the column so headed)."""
    rows = _rows_of(tables, "income")
    if not rows:
        issues.append(_missing("summary", "income"))
        return {}
    total_row = next((r for r in rows if r.filled and _norm(r.filled[0]) == "合计"), None)
    if total_row is None:
        issues.append(Issue(rows[0].line, "预算收入总表: no 合计 row"))
        return {}
    this_year = next((parse_amount(c) for c in total_row.filled[1:] if is_amount(c)), None)
    col = _column(rows, "上年结转")
    if col is None or "" not in total_row.cells or this_year is None:
        issues.append(Issue(total_row.line, "预算收入总表 合计: 上年结转 column not found"))
        return {"income_this_year": this_year}
    carry = parse_amount(total_row.cells[col]) if col < len(total_row.cells) else None
    total = round(this_year + (carry or 0.0), 2)
    return {"income_total": total, "income_this_year": this_year, "carryover": carry}


def _column(rows: Sequence[Row], label: str) -> int | None:
    """The cell position of a header label, for layouts that keep empty cells."""
    for row in rows:
        for i, cell in enumerate(row.cells):
            if _norm(cell) == label:
                return i
    return None


def _three_public(tables: Sequence[_Table], issues: list[Issue]) -> dict[str, float | None]:
    """The 合计 column of the “三公”经费 table: its 合计, 接待, 公务用车 and 出国 rows."""
    rows = _rows_of(tables, "three_public")
    if not rows:
        issues.append(_missing("three_public"))
        return {}
    out = {}
    for key, labels in (
        ("three_public", ["合计", "总计"]),
        ("official_reception", ["公务接待费"]),
        ("vehicle", ["公务用车购置及运行费", "公务用车购置及运行维护费"]),
        ("overseas", ["因公出国（境）费", "因公出国(境)费", "因公出国（境）费用"]),
    ):
        out[key], _ = _value_after(rows, labels)
    if out["vehicle"] is None:  # a table that prints only 购置费 and 运行维护费
        purchase, _ = _value_after(rows, ["①公务用车购置费", "公务用车购置费"])
        running, _ = _value_after(rows, ["②公务用车运行维护费", "公务用车运行维护费"])
        if purchase is not None or running is not None:
            out["vehicle"] = round((purchase or 0.0) + (running or 0.0), 2)
    return out


def _office_operation(tables: Sequence[_Table], issues: list[Issue]) -> dict[str, float | None]:
    """机关运行经费: the 部门合计 row; a table of one unit may print only that unit's row."""
    rows = _rows_of(tables, "office_operation")
    if not rows:
        issues.append(_missing("office_operation"))
        return {}
    value, line = _value_after(rows, ["部门合计", "合计", "总计"])
    if line is None:
        data = [r for r in rows if r.filled and not _is_meta(r.filled[0]) and _amounts(r)]
        if len(data) == 1:
            value = _amounts(data[0])[0]
    return {"office_operation": value}


def _amounts(row: Row) -> list[float | None]:
    return [parse_amount(c) for c in row.filled if is_amount(c)]


_PROCUREMENT = re.compile(r"政府采购预算(?:总额|合计|总计)(?:为|是|共计)?(-?\d+(?:\.\d+)?)万元")


def _procurement_total(rows: Sequence[Row]) -> dict[str, float | None]:
    """政府采购预算总额 from the narrative (九、政府采购情况), which may wrap mid-sentence."""
    text = _joined(rows).replace(",", "")
    m = _PROCUREMENT.search(text)
    return {"procurement_total": float(m.group(1)) if m else None}


# ---------------------------------------------------------------------------------------------
# 预算支出总表: 功能分类 rows

_CODE = re.compile(r"\d{3}(?:\d{2}){0,2}")
_FUNCTION_COLUMNS = ("合计", "基本支出", "项目支出")


@dataclass
class _Coded:
    """A 功能分类 row being assembled from one or more lines."""

    code: str
    line: int
    name_parts: list[str]
    cells: list[str]  # the cells after the name, empty ones kept where the layout has them
    row_cells: tuple[str, ...]  # the first line's cells, for layouts where positions hold
    stacked: bool = False  # its amounts came one per line (one cell per line)


@dataclass
class _Parts:
    """合计 / 基本支出 / 项目支出 of a row; `part` is a printed part whose column is unknown."""

    code: str
    total: float | None
    basic: float | None = None
    project: float | None = None
    part: float | None = None


def _is_code_row(row: Row) -> bool:
    return bool(row.filled) and bool(_CODE.fullmatch(_norm(row.filled[0])))


def _split_cells(row: Row) -> Row:
    """Where a layout keeps no empty cells it may also leave several columns in one cell
    ("20604 技术研究与开发 75.00"): such a cell is cut at its spaces when a piece is an amount or
    it starts with a code. A cell that is one amount as a whole ("32, 510. 39") stays one.
    """
    if "" in row.cells:
        return row
    cells: list[str] = []
    for cell in row.cells:
        pieces = cell.split()
        if len(pieces) > 1 and not is_amount(cell) and (
            any(is_amount(p) for p in pieces) or _CODE.fullmatch(pieces[0])
        ):
            cells += pieces
        else:
            cells.append(cell)
    if len(cells) == len(row.cells):
        return row
    return Row(row.line, row.end_line, tuple(cells), " ".join(cells))


def _coded_rows(rows: Sequence[Row]) -> Iterable[_Coded | Row]:
    """Coded rows with their wrapped lines joined; other rows (合计, headers) pass as they are.

    pdftotext may print a row as "2130599" / "其他…乡村振兴" / "支出" / "2.80 2.80": the lines after
    a coded line that have no code add to its name and, while it has none, give it its amounts.
    """
    current: _Coded | None = None
    for row in map(_split_cells, rows):
        if _is_code_row(row):
            if current:
                yield current
            first = row.cells.index(row.filled[0])
            rest = list(row.cells[first + 1 :])
            name = rest.pop(0) if rest and not is_amount(rest[0]) else ""
            current = _Coded(_norm(row.filled[0]), row.line, [name], rest, row.cells)
            continue
        if current is not None and _continues(current, row):
            amounts = [c for c in row.filled if is_amount(c)]
            current.name_parts += [c for c in row.filled if not is_amount(c)]
            if amounts and len(row.cells) == 1 and (current.stacked or not current.cells):
                current.cells = current.cells + amounts  # one amount per line: 合计, 基本, 项目
                current.stacked = True
            else:
                current.cells = current.cells or amounts
            continue
        if current:
            yield current
            current = None
        yield row
    if current:
        yield current


def _continues(current: _Coded, row: Row) -> bool:
    """A wrapped piece of the coded row above: its amounts (if it has none) or a bit of name."""
    amounts = [c for c in row.filled if is_amount(c)]
    texts = [c for c in row.filled if not is_amount(c)]
    if amounts and current.stacked:  # a row printed one cell per line has at most three
        return len(row.cells) == 1 and not texts and len(current.cells) < len(_FUNCTION_COLUMNS)
    if amounts:
        return not any(c.strip() for c in current.cells)
    short_cjk = all(re.search(r"[\u4e00-\u9fff]", c) and len(c) <= 30 for c in texts)
    return bool(texts) and short_cjk and not _is_header(row) and not _is_meta(texts[0]) and not (
        _norm(texts[0]).startswith("注")
    )


def _columns(rows: Sequence[Row]) -> tuple[list[int] | None, tuple[int, int, int]]:
    """Where 合计 / 基本支出 / 项目支出 stand: cell positions, and their order among the amounts."""
    for row in rows:
        labels = [_norm(c) for c in row.cells]
        if all(x in labels for x in _FUNCTION_COLUMNS):
            positions = [labels.index(x) for x in _FUNCTION_COLUMNS]
            ranked = sorted(positions)
            order = tuple(ranked.index(p) for p in positions)
            return positions, order  # type: ignore[return-value]
    for i in range(len(rows)):  # one header cell per line: the labels' order in a short run
        run = [_norm(r.filled[0]) if len(r.filled) == 1 else "" for r in rows[i : i + 6]]
        if run and run[0] in _FUNCTION_COLUMNS and all(x in run for x in _FUNCTION_COLUMNS):
            positions = [run.index(x) for x in _FUNCTION_COLUMNS]
            ranked = sorted(positions)
            return None, tuple(ranked.index(p) for p in positions)  # type: ignore[return-value]
    return None, (0, 1, 2)


def _parts(
    code: str, after: Sequence[str], row_cells: Sequence[str], columns: list[int] | None, order
) -> _Parts:
    """The amounts of one row. Where empty cells are kept the header's positions hold; where
    they are not (pdftotext) three numbers are the three columns, and of two numbers the second
    is 基本支出 or 项目支出, which is not printed: `part` keeps it for `_place_parts`.
    """
    if "" in row_cells and columns and len(row_cells) > max(columns):
        return _Parts(code, *(parse_amount(row_cells[i]) for i in columns))
    if "" in after:
        values = [parse_amount(c) for c in after[:3]] + [None] * 3
        return _Parts(code, *(values[i] for i in order))
    values = [parse_amount(c) for c in after if c.strip()]
    if len(values) >= 3:
        return _Parts(code, *(values[i] for i in order))
    if len(values) == 2:
        return _Parts(code, values[0], part=values[1])
    return _Parts(code, values[0] if values else None)


def _place_parts(rows: Sequence[_Parts]) -> None:
    """Put each unplaced part in 基本支出 or 项目支出 so that its parent's split adds up.

    Children of a row (206 → 20601 → 2060101; the 合计 row above the 3-digit codes) share out
    its 项目支出: of the unplaced children the one set whose parts make up what the placed ones
    leave is the 项目 set, the rest are 基本. Where no set or more than one fits, nothing is placed.
    """
    for parent in rows:
        if parent.part is not None:
            continue
        size = len(parent.code) + 2 if parent.code else 3
        children = [r for r in rows if len(r.code) == size and r.code.startswith(parent.code)]
        open_ = [r for r in children if r.part is not None]
        if not open_ or len(open_) > 16:
            continue
        need = (parent.project or 0.0) - sum(r.project or 0.0 for r in children if r.part is None)
        fits = [
            mask
            for mask in range(1 << len(open_))
            if _close(sum(r.part for i, r in enumerate(open_) if mask >> i & 1), need, len(open_))
        ]
        if len(fits) != 1:
            continue
        for i, r in enumerate(open_):
            if fits[0] >> i & 1:
                r.project = r.part
            else:
                r.basic = r.part
            r.part = None


def _function_rows(
    tables: Sequence[_Table], issues: list[Issue]
) -> tuple[list[FunctionRow], dict[str, float | None]]:
    """Every coded row of 预算支出总表, and 基本支出 / 项目支出 from its 合计 row."""
    rows = _rows_of(tables, "expenditure")
    if not rows:
        issues.append(_missing("expenditure"))
        return [], {}
    columns, order = _columns(rows)
    coded: list[tuple[_Coded, _Parts]] = []
    total: _Parts | None = None
    items = list(_coded_rows(rows))
    for k, item in enumerate(items):
        if isinstance(item, _Coded):
            coded.append((item, _parts(item.code, item.cells, item.row_cells, columns, order)))
        elif total is None and item.filled and _norm(item.filled[0]) in ("合计", "总计"):
            after = item.cells[item.cells.index(item.filled[0]) + 1 :]
            if len(item.cells) == 1:  # one cell per line: its amounts are the next lines
                plain = [r if isinstance(r, Row) else Row(0, 0, (), "") for r in items]
                stacked = _stacked_amounts(plain, k + 1, len(_FUNCTION_COLUMNS))
                if not stacked:
                    continue  # the 合计 of the column header
                after = [str(v) if v is not None else "" for v in stacked]
            total = _parts("", after, item.cells, columns, order)
    _place_parts(([total] if total else []) + [p for _, p in coded])
    out = [_function_row(item, parts, issues) for item, parts in coded]
    if total is None:
        issues.append(Issue(rows[0].line, "预算支出总表: no 合计 row"))
        return out, {}
    if total.part is not None:
        issues.append(Issue(None, "预算支出总表 合计: cannot tell 基本支出 from 项目支出"))
    return out, {"expenditure_basic": total.basic, "expenditure_project": total.project}


def _function_row(item: _Coded, parts: _Parts, issues: list[Issue]) -> FunctionRow:
    name = _clean_name("".join(item.name_parts))
    if not any(c.strip() for c in item.cells):
        issues.append(Issue(item.line, f"预算支出总表 {item.code}: no amounts"))
    if parts.part is not None:
        message = f"预算支出总表 {item.code}: cannot tell 基本支出 from 项目支出"
        issues.append(Issue(item.line, message))
    return FunctionRow(item.code, name, parts.total, parts.basic, parts.project, item.line)


# ---------------------------------------------------------------------------------------------
# 项目支出预算表: project lines

_HEADER_WORDS = (
    "项目名称", "单位名称", "科目编码", "科目名称", "合计", "小计", "总计", "财政拨款",
    "一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金", "单位资金",
    "基本支出", "项目支出", "上年结转", "本年预算", "本年收入", "金额", "项目", "预算数",
)  # fmt: skip
_TOTAL_NAMES = {"合计", "总计", "小计", "部门合计", "单位合计"}


def _is_header(row: Row) -> bool:
    """A column-header row, also one wrapped in pieces ("合计 政府性 …"), or the 1 2 3 … row.

    Every cell must be (a piece of) a header word and one a whole word, so that a wrapped
    piece of a name ("支出") is not taken for a header.
    """
    filled = [re.sub(r"^20\d\d年度?", "", _norm(c)) for c in row.filled]
    if filled and all(re.fullmatch(r"\d{1,2}", c) for c in filled):
        return True
    pieces = all(c and any(c in w for w in _HEADER_WORDS) for c in filled)
    return bool(filled) and pieces and any(c in _HEADER_WORDS for c in filled)


@dataclass(frozen=True)
class _Item:
    name: str
    amount: float | None
    line: int
    unit: str | None


_NAME_LINES = 6  # a project name wrapped in its cell spans at most this many lines


def _project_items(rows: Sequence[Row]) -> list[_Item]:
    """The named rows with their 合计 amount, wrapped name lines joined to the row below."""
    name_col = _column(rows, "项目名称")
    unit_col = _column(rows, "单位名称")
    total_col = _column(rows, "合计")
    items: list[_Item] = []
    pending: list[str] = []
    for row in map(_split_cells, rows):
        if not row.filled or _is_header(row) or _is_meta(row.filled[0]) or "无数据" in row.text:
            pending = []
            continue
        positional = "" in row.cells and None not in (name_col, total_col)
        if positional:
            items.append(_positional_item(row, name_col, unit_col, total_col))
            pending = []
            continue
        texts = [c for c in row.filled if not is_amount(c)]
        amounts = [c for c in row.filled if is_amount(c)]
        if not amounts:  # a name wrapped over lines: every line of it up to its amounts
            pending = (pending + [" ".join(texts)])[-_NAME_LINES:]
            continue
        lead = texts[: next((i for i, c in enumerate(row.filled) if is_amount(c)), len(texts))]
        name = _clean_name(" ".join(pending + lead))
        items.append(_Item(name, parse_amount(amounts[0]), row.line, None))
        pending = []
    return [i for i in items if i.name or i.unit]


def _positional_item(row: Row, name_col: int, unit_col: int | None, total_col: int) -> _Item:
    def cell(i: int | None) -> str:
        return row.cells[i] if i is not None and i < len(row.cells) else ""

    unit = None
    if unit_col is not None and unit_col != name_col:
        unit = _clean_name(cell(unit_col)) or None
    return _Item(_clean_name(cell(name_col)), parse_amount(cell(total_col)), row.line, unit)


def _subtotals(items: Sequence[_Item], is_unit: Callable[[str], bool]) -> list[bool]:
    """Which rows sum up the rows below them (部门 and 单位 rows) rather than being projects.

    Read from the bottom: a row is a subtotal when the projects below it add up to its amount
    and that run ends at the table's end or at another subtotal, and either its name is a unit
    (the department, a 实施单位, "…中心") or the run is long enough not to be chance.
    """
    sub = [False] * len(items)
    for i in range(len(items) - 1, -1, -1):
        item = items[i]
        if not item.name or item.name in _TOTAL_NAMES:
            sub[i] = True
            continue
        target, total, count, ok = item.amount or 0.0, 0.0, 0, False
        for j in range(i + 1, len(items) + 1):
            at_end = j == len(items)
            if at_end or sub[j]:
                if count and _close(total, target, count):
                    ok = True
                    break
                if at_end:
                    break
                continue
            total += items[j].amount or 0.0
            count += 1
            if total > target + 0.011 + 0.005 * count:
                break
        sub[i] = ok and (is_unit(item.name) or count >= 3)
    return sub


def _project_lines(
    tables: Sequence[_Table], kind: str, is_unit: Callable[[str], bool], issues: list[Issue]
) -> list[BudgetLine]:
    """The projects of one 项目支出预算表 (current or carryover) with their 合计 amounts."""
    rows = _rows_of(tables, "projects_" + kind)
    if not rows:
        issues.append(_missing("projects_" + kind))
        return []
    items = _project_items(rows)
    sub = _subtotals(items, is_unit)
    lines, unit = [], None
    for item, is_sub in zip(items, sub):
        if is_sub:
            unit = item.unit or (item.name if item.name not in _TOTAL_NAMES else unit)
            continue
        lines.append(BudgetLine(item.name, item.amount, kind, item.line, item.unit or unit))
    return lines


# ---------------------------------------------------------------------------------------------
# the department

_YEAR_TITLE = re.compile(r"(20\d\d)年度?(?:部门|单位)?预算(?:公开|情况说明)")
_NAME_LINE = re.compile(r"(?:部门|单位|预算单位)名称[:：](.+?)(?:单位[:：].*|金额单位.*)?$")
_SUPERVISOR_CODE = re.compile(r"(?:主管部门及代码|部门名称|主管部门)(\d{2,6})[-－—–]")
_OWN_CODE = re.compile(r"(?:单位|部门)(?:编码|代码)[:：]?(\d{2,9})")
_CODE_LABEL_END = re.compile(r"(?:主管部门及代码|部门名称|主管部门|(?:单位|部门)(?:编码|代码))[:：]?$")


def _department(rows: Sequence[Row], tables: Sequence[_Table]) -> Department:
    name = _title_name(rows) or _most_common(_name_lines(rows))
    return Department(name=name, code=_code(rows), year=_year(rows, tables), level=level_of(name))


def _title_name(rows: Sequence[Row]) -> str | None:
    """The name printed above (or before) "2026年度部门预算公开" on the cover."""
    for i, row in enumerate(rows[:40]):
        text = _norm(row.text)
        m = re.search(r"20\d\d年度?(?:部门|单位)?预算公开", text)
        if not m:
            continue
        if m.start() > 1:
            return text[: m.start()]
        if i and _looks_like_name(_norm(rows[i - 1].text)):
            return _norm(rows[i - 1].text)
    return None


def _looks_like_name(text: str) -> bool:
    return 2 <= len(text) <= 40 and not re.search(r"\d|目录|[。，：:]", text)


def _name_lines(rows: Sequence[Row]) -> list[str]:
    out = []
    for row in rows:
        for cell in row.filled:
            m = _NAME_LINE.match(_norm(cell))
            if m and _looks_like_name(m.group(1)):
                out.append(m.group(1))
    return out


def _code(rows: Sequence[Row]) -> str | None:
    """The department's own 编码 where printed, else the code most 主管部门及代码 cells give."""
    own, supervisor = [], []
    for i, row in enumerate(rows):
        if "码" not in row.text and "部门" not in row.text:  # no 编码/代码/部门名称 label here
            continue
        text = _norm(row.text)
        if _CODE_LABEL_END.search(text) and i + 1 < len(rows):  # its value on the next line
            text += _norm(rows[i + 1].filled[0]) if rows[i + 1].filled else ""
        own += _OWN_CODE.findall(text)
        supervisor += _SUPERVISOR_CODE.findall(text)
    return _most_common(own) or _most_common(supervisor)


def _year(rows: Sequence[Row], tables: Sequence[_Table]) -> int | None:
    for row in rows[:40]:
        m = _YEAR_TITLE.search(_norm(row.text))
        if m:
            return int(m.group(1))
    years = [m.group(1) for t in tables for m in [re.match(r"\D{0,8}(20\d\d)年", t.title)] if m]
    if not years:
        years = [m.group(1) for r in rows for m in [_YEAR_TITLE.search(_norm(r.text))] if m]
    found = _most_common(years)
    return int(found) if found else None


def _most_common(values: Sequence[str]) -> str | None:
    return Counter(values).most_common(1)[0][0] if values else None


@lru_cache(maxsize=1)
def _level_vocabulary() -> dict[str, list[tuple[str, str]]]:
    """data/levels.csv: place-name suffixes, special zones and province-level cities."""
    vocab: dict[str, list[tuple[str, str]]] = {}
    path = Path(__file__).with_name("data") / "levels.csv"
    with path.open(encoding="utf-8") as f:
        lines = (line for line in f if line.strip() and not line.startswith("#"))
        for rec in csv.DictReader(lines):
            vocab.setdefault(rec["kind"], []).append((rec["term"], rec["level"] or ""))
    for terms in vocab.values():
        terms.sort(key=lambda t: -len(t[0]))  # the longest term first: 自治区 before 区
    return vocab


_RANK = {"province": 1, "city": 2, "district": 3}


def level_of(name: str | None) -> str | None:
    """province | city | district from the place names a department's name begins with.

    "山西省科学技术厅" → province, "晋城市科学技术局" → city, "…市…区…" or "…县…" → district, and a
    special zone ("山西转型综合改革示范区…", "…市经济技术开发区…") → district. A place nested under
    another of the same rank (a 县级市 under a 市) ranks one lower.
    """
    if not name:
        return None
    vocab = _level_vocabulary()
    rank, pos = 0, 0
    while pos < len(name):
        step = _place_at(name[pos:], rank, vocab)
        if step is None:
            break
        size, level = step
        here = _RANK[level]
        rank = min(3, rank + 1) if here <= rank else here
        pos += size
    return {v: k for k, v in _RANK.items()}.get(rank)


def _place_at(
    rest: str, rank: int, vocab: dict[str, list[tuple[str, str]]]
) -> tuple[int, str] | None:
    """The place name that rest starts with: (its length, its level), or None where none does.

    A place is a short proper name and a suffix (山西 + 省); a zone's name may be longer (山西转型
    + 综合改革示范区). A bare zone word names a place only under a city ("晋城市" + "开发区…");
    under a province it is the subject of an agency ("山西省开发区服务中心").
    """
    stops = "".join(t for t, _ in vocab.get("suffix", []) if len(t) == 1)
    units = vocab.get("unit", [])
    for term, level in vocab.get("municipality", []):
        if rest.startswith(term):
            return len(term), level
    for term, level in units:
        i = rest.find(term)
        named = 2 <= i <= 12 and not any(c in stops for c in rest[:i])
        if named or (i == 0 and rank >= _RANK["city"]):
            return i + len(term), level
    for size in range(1, 9):
        if len(rest) <= size or rest[size - 1] in stops:
            break
        for term, level in vocab.get("suffix", []):
            if not rest.startswith(term, size):
                continue
            segment = rest[: size + len(term)]
            if segment in {w for w, _ in vocab.get("not_place", [])}:
                return None  # 社区, 城市: words, not places ("晋城市" is one)
            if any(segment.endswith(w) for w, _ in units):
                return None  # a bare zone word, not under a city
            suffixes = vocab.get("suffix", [])
            longer = next((t for t in suffixes if rest.startswith(t[0], len(segment))), None)
            if longer:  # 忻州 + 市: the name is 忻州市, not 忻州
                return len(segment) + len(longer[0]), longer[1]
            return len(segment), level
    return None


# ---------------------------------------------------------------------------------------------


def _unit_names(rows: Sequence[Row], tables: Sequence[_Table], department: str | None) -> set[str]:
    """Names of the department's units: 机关运行经费 rows and the 实施单位 of performance tables."""
    names = {department} if department else set()
    for row in _rows_of(tables, "office_operation"):
        if row.filled and _amounts(row) and _norm(row.filled[0]) not in _TOTAL_NAMES:
            names.add(_norm(row.filled[0]))
    for row in rows:
        cells = [_norm(c) for c in row.filled]
        for i, cell in enumerate(cells):
            if cell.startswith("实施单位"):
                after = cells[i + 1] if i + 1 < len(cells) else ""
                value = cell[len("实施单位") :].lstrip(":：") or after
                if value:
                    names.add(value)
    return {n for n in names if n}


_UNIT_SUFFIX = re.compile(
    r"(?:厅|局|委员会|委|办公室|协会|学会|联合会|馆|中心|研究院|院|研究所|所|站|队"
    r"|学校|大学|学院|部|会|社|台|处)$"
)


def _unit_test(units: set[str]) -> Callable[[str], bool]:
    normed = {_norm(u) for u in units}

    def is_unit(name: str) -> bool:
        n = _norm(name)
        return n in normed or bool(_UNIT_SUFFIX.search(n))

    return is_unit


def extract_budget_tables(rows: Sequence[Row]) -> BudgetTables:
    """Department, totals, 功能分类 rows and project lines of one disclosure's budget tables."""
    rows = tuple(rows)
    issues: list[Issue] = []
    tables = find_tables(rows)
    department = _department(rows, tables)
    totals: dict[str, float | None] = dict.fromkeys(TOTAL_KEYS)
    functions, spending = _function_rows(tables, issues)
    for part in (
        _summary_totals(tables, issues),
        spending,
        _three_public(tables, issues),
        _office_operation(tables, issues),
        _procurement_total(rows),
    ):
        totals.update({k: v for k, v in part.items() if k in totals})
    is_unit = _unit_test(_unit_names(rows, tables, department.name))
    lines = _project_lines(tables, "current", is_unit, issues)
    lines += _project_lines(tables, "carryover", is_unit, issues)
    return BudgetTables(department, totals, tuple(functions), tuple(lines), tuple(issues))
