"""项目支出绩效目标表 printed as one list of many projects: a 项目名称 column beside the
indicator columns, one row per indicator, each project's cells merged down its rows.

    单位名称（项目名称） | 年度目标 | 一级指标 | 二级指标 | 三级指标 | 指标值
    四川省科学技术厅     |          |          |          |          |
    科技成果转移转化…   | 围绕…    | 产出指标 | 数量指标 | 支持…    | ≥50项
                         |          |          | 质量指标 | 验收…    | ≥90%

Sichuan's template and that of many cities and districts; there is no 主管部门 row, so
perf_table.find_blocks does not see these tables. Read where the layout keeps cell positions
(tabs, pipes, HTML): a row's cells are matched to the header's columns, shifted where a
converter put the row's first label further right than the header's (a leading empty cell),
and the indicator cells are read as any indicator table is (kpi_table.read_kpis). A row whose
only cell is in the name column, before a new name, is a unit's heading row (四川省科学技术厅),
after a project's first row the rest of its wrapped name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from budgetkg.extract.funds import UNIT_SCALE, parse_amount
from budgetkg.extract.kpi_table import read_kpis
from budgetkg.extract.labels import level_label, level_labels, squash
from budgetkg.extract.layout_columns import has_columns, regrid
from budgetkg.extract.model import Funds, Issue, PerformanceProject, Row
from budgetkg.extract.perf_table import HEADING, is_footer, names_one_year, supervising, unit_scale

UNIT_LINE_WINDOW = 4  # rows above the header where 单位：万元 may be printed


@dataclass(frozen=True)
class ListColumns:
    """Where a list table keeps each field, as header column indices."""

    name: int
    kpis: int  # the first indicator column (一级指标, or 二级指标 where there is no 一级)
    unit: int | None = None
    supervising: int | None = None
    goal: int | None = None
    funds: int | None = None
    funds_scale: int = 1  # 元 per printed unit of the funds column


@dataclass
class _Draft:
    name: str
    unit: str | None
    first: Row
    supervising: str | None = None
    goal: list[tuple[int, str]] = field(default_factory=list)
    funds: str | None = None
    kpi_rows: list[Row] = field(default_factory=list)
    last: Row | None = None
    wrapped: bool = False  # pdftotext -layout: a cell's lines are one text wrapped, not paragraphs


def find_project_lists(rows: Sequence[Row]) -> list[tuple[int, int]]:
    """(header index, end index) of every list table, end exclusive."""
    spans: list[tuple[int, int]] = []
    for i in [i for i, row in enumerate(rows) if "级指" in row.text]:  # every row is asked: a cheap test first
        if (not spans or i >= spans[-1][1]) and list_columns(rows, i) is not None:
            spans.append((i, _list_end(rows, i + 1)))
    return spans


def list_columns(rows: Sequence[Row], i: int) -> ListColumns | None:
    """The columns of a list table whose header is row i (its 三级指标 row), or None."""
    row = rows[i]
    if "级指" not in row.text or len(row.cells) < 4:
        return None
    keys = row.keys
    level3 = next((j for j, k in enumerate(keys) if k.startswith("三级指")), None)
    if level3 is None:
        return None
    above = rows[i - 1].keys if i > 0 and len(rows[i - 1].cells) == len(row.cells) else ()
    name = _column(keys, level3, "项目名称")
    if name is None:
        name = _column(above, level3, "项目名称")
    if name is None:
        return None
    first = next((j for j, k in enumerate(keys) if k.startswith(("一级指", "二级指"))), level3)
    heads = [k or a for k, a in zip(keys, above)] if above else list(keys)
    funds = _funds_column(heads, first)
    return ListColumns(
        name=name,
        kpis=first,
        unit=next((j for j, k in enumerate(heads[:first]) if _names_unit(k) and j != name), None),
        supervising=next((j for j, k in enumerate(heads[:first]) if k.startswith(("主管部门", "主管单位")) and j != name), None),
        goal=next((j for j, k in enumerate(heads[:first]) if "目标" in k and j != name), None),
        funds=funds,
        funds_scale=_funds_scale(rows, i, heads[funds]) if funds is not None else 1,
    )


def _column(keys: Sequence[str], before: int, word: str) -> int | None:
    return next((j for j, k in enumerate(keys[:before]) if word in k), None)


def _names_unit(key: str) -> bool:
    return key.startswith(("单位名称", "预算单位", "实施单位", "项目单位"))


def _funds_column(heads: Sequence[str], before: int) -> int | None:
    return next((j for j, k in enumerate(heads[:before]) if any(w in k for w in ("资金", "金额", "预算数"))), None)


def _funds_scale(rows: Sequence[Row], i: int, head: str) -> int:
    """元 per unit of the funds column: its heading's unit (项目资金（万元）), else that of a
    单位：万元 line just above the table."""
    stated = next((unit for unit in ("亿元", "万元", "元") if unit in head), None)
    if stated:
        return UNIT_SCALE[stated]
    return unit_scale(rows[max(0, i - UNIT_LINE_WINDOW) : i])


def _list_end(rows: Sequence[Row], start: int) -> int:
    """Before the first row that is not a table row: a heading, a paragraph, the signature.
    Under a pdftotext -layout header a short row is a table row while it starts inside the
    table (a wrapped cell's last line); text at the left margin ends it."""
    header = rows[start - 1]
    margin = min(header.starts) - 2 if has_columns(header) else None
    for j in range(start, len(rows)):
        row = rows[j]
        if row.heading or is_footer(row.filled[0]):
            return j
        if len(row.cells) <= 2 and (
            margin is None or not has_columns(row) or row.starts[0] < margin or HEADING.match(row.key)
        ):
            return j
    return len(rows)


def read_project_list(rows: Sequence[Row], start: int, end: int) -> tuple[list[PerformanceProject], list[Issue]]:
    """The projects of the list table whose header is rows[start], its body up to `end`."""
    columns = list_columns(rows, start)
    assert columns is not None, "read_project_list needs a header found by find_project_lists"
    header = rows[start]
    kpi_header = Row.of_cells(header.line, header.end_line, header.cells[columns.kpis :])
    drafts: list[_Draft] = []
    unit: str | None = None
    shift = 0
    body = [rows[j] for j in range(start + 1, end) if list_columns(rows, j) is None]  # (a header repeated per page)
    laid_out = has_columns(header)
    if laid_out:  # pdftotext -layout: the cells placed under the header's columns
        body = _with_label_tails_joined(regrid(header, body))
    for n, row in enumerate(body):
        shift = _shift(row, columns, shift) if not laid_out else 0
        cell = _cell_at(row, columns.name, shift)
        if laid_out and cell and drafts and columns.funds is not None and not _cell_at(row, columns.funds, 0):
            drafts[-1].name += cell  # a wrapped name's next line, beside the rows it spans
            _add_row(drafts[-1], row, columns, 0)
            continue
        if cell and all(c == cell for c in row.filled):  # alone on its row (docling: across it),
            # a unit's heading or the rest of a wrapped name
            nxt = _cell_at(body[n + 1], columns.name, shift) if n + 1 < len(body) else None
            if drafts and drafts[-1].last is not None and not nxt:
                drafts[-1].name += cell
            else:
                unit = cell
            continue
        if cell and (not drafts or squash(cell) != squash(drafts[-1].name)):
            drafts.append(_Draft(cell, _cell_at(row, columns.unit, shift) or unit, row,
                                 _cell_at(row, columns.supervising, shift) or None, wrapped=laid_out))
        if not drafts:
            continue
        _add_row(drafts[-1], row, columns, shift)
    text = "".join(r.key for r in rows[max(0, start - UNIT_LINE_WINDOW) : start + 1])
    one_year = names_one_year(text)
    projects, issues = [], []
    for draft in drafts:
        project, found = _project(draft, kpi_header, columns.funds_scale, one_year)
        projects.append(project)
        issues.extend(found)
    return projects, issues


def _with_label_tails_joined(rows: list[Row]) -> list[Row]:
    """服务对象满意度 / 指标: a level label's wrapped last line, alone on its row under the
    label, joined to it."""
    out: list[Row] = []
    for row in rows:
        above = out[-1] if out else None
        if above is not None and len(row.filled) == 1:
            at = next(j for j, c in enumerate(row.cells) if c)
            if at < len(above.cells) and above.cells[at] and level_labels().get(squash(above.cells[at] + row.cells[at])):
                cells = list(above.cells)
                cells[at] = squash(cells[at] + row.cells[at])
                out[-1] = Row.of_cells(above.line, row.end_line, tuple(cells)) or above
                continue
        out.append(row)
    return out


def _shift(row: Row, columns: ListColumns, before: int) -> int:
    """How far right of the header's columns this row prints its cells: its first level label
    against the header's first indicator column; rows without a label keep the row above's."""
    first = next((j for j, c in enumerate(row.cells) if c and level_label(c)), None)
    if first is None:
        return before
    info = level_label(row.cells[first])
    column = columns.kpis if info is not None and info.level == 1 else columns.kpis + 1
    return max(0, first - column)


def _cell_at(row: Row, column: int | None, shift: int) -> str:
    if column is None or column + shift >= len(row.cells):
        return ""
    return row.cells[column + shift]


def _add_row(draft: _Draft, row: Row, columns: ListColumns, shift: int) -> None:
    goal = _cell_at(row, columns.goal, shift)
    if goal and (not draft.goal or draft.goal[-1][1] != goal):  # docling repeats a merged cell
        draft.goal.append((row.line, goal))
    draft.funds = draft.funds or _cell_at(row, columns.funds, shift) or None
    kpi_row = Row.of_cells(row.line, row.end_line, row.cells[columns.kpis + shift :])
    if kpi_row is not None:
        draft.kpi_rows.append(kpi_row)
    draft.last = row


def _project(
    draft: _Draft, kpi_header: Row | None, scale: int, one_year: bool
) -> tuple[PerformanceProject, list[Issue]]:
    """One project's record; `one_year`: the list is of one year's targets (年度目标, no
    实施期), so its one column of indicators is the 年度 column, as in perf_table."""
    period, annual, issues = read_kpis([kpi_header] if kpi_header else [], draft.kpi_rows, "columns")
    if one_year and not annual:
        period, annual = (), period
    amount = parse_amount(draft.funds) if draft.funds else None
    last = draft.last or draft.first
    texts = {"goal": ("" if draft.wrapped else "\n").join(t for _, t in draft.goal)} if draft.goal else {}
    code, dept = supervising(draft.supervising)
    spans = {"goal": (draft.goal[0][0], draft.goal[-1][0])} if draft.goal else {}
    project = PerformanceProject(
        name=draft.name,
        line=draft.first.line,
        end_line=last.end_line,
        implementing_unit=draft.unit,
        supervising_code=code,
        supervising_dept=dept,
        annual_funds=Funds(total=_in_yuan(amount, scale)) if amount is not None else Funds(),
        period_kpis=period,
        annual_kpis=annual,
        texts=texts,
        text_lines=spans,
    )
    if not period and not annual:
        issues = (*issues, Issue(draft.first.line, f"project {draft.name!r} in a list table without readable indicators"))
    return project, list(issues)


def _in_yuan(amount: int | float, scale: int) -> int | float:
    value = amount * scale
    return int(round(value)) if abs(value - round(value)) < 1e-6 else value
