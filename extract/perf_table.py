"""项目支出绩效目标表: find each table and read its header, funds, texts and indicators.

A table starts at a 项目名称 row that is followed by a 主管部门 row or a synonym of it
(data/header_labels.csv; the 项目支出预算表 also has a 项目名称 column, but never a 主管部门
row) and ends before the next table, at its signature row
(负责人 / 填报日期) or at the next heading of the disclosure. The header is read as a stream of
cells in which every label takes the cells up to the next label, so values wrapped over lines
(pdftotext) or merged into the label's cell (实施单位 山西省…) read the same as tidy ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from budgetkg.extract.centred_labels import lines_above, recentre
from budgetkg.extract.citations import find_citations
from budgetkg.extract.funds import UNIT_SCALE, is_total_cell, parse_amount, read_funds
from budgetkg.extract.kpi_columns import ROW_HEADINGS, SIDE_HEADINGS
from budgetkg.extract.kpi_table import header_columns, is_figure, read_kpis
from budgetkg.extract.labels import (
    FOOTER,
    FOOTER_FIRST,
    HEADER_LABELS,
    LABEL_KEYS,
    TEXT_LABEL_KEYS,
    level_label,
    level_labels,
    split_header_label,
    squash,
)
from budgetkg.extract.model import Funds, Issue, PerformanceProject, Row

PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分")
HEADING = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
KPI_COLUMN = "绩效指标"  # the heading of the indicator rows' first column, a merged cell
KPI_HEADER = re.compile(r"一级指|三级指|二级指")
HEADER_FRAGMENTS = re.compile(r"[一二三级指标值绩效]+|(指标)?目标值")
SUPERVISING = re.compile(r"^\s*(?:(\d+)\s*[-－—–_]+|[\[［【(（](\d+)[\]］】)）])\s*(.*)$")  # 203-… or [161]…
# The code written without a dash or bracket: 110 太原市… (or its own cell, 107 | 宜昌市…), or after
# the name: 长治市…118, 吕梁市…（131）. A department's name holds no run of two to six digits.
CODE_BEFORE = re.compile(r"^\s*(\d{2,6})\s*([\u4e00-\u9fff].*)$")
CODE_AFTER = re.compile(r"^(.*[\u4e00-\u9fff])\s*[\[［【(（]?(\d{2,6})[\]］】)）]?\s*$")
TEXT_FIELDS = ("overview", "legal_basis", "necessity", "measures", "plan", "goal", "goal_period", "goal_annual")
TABLE_TITLE = re.compile(r"绩效目标(申报)?表$")
YEAR_MARKER = re.compile(r"^[(（]?\d{4}年度?[)）]?$")
BRACKETED_YEAR = re.compile(r"^[(（]\d{4}年度?[)）]$")
# Page numbers and rules as converters print them between the parts of a split table
PAGE_MARK = re.compile(r"[-—–·•]+\d{1,3}[-—–·•]*|\d{1,3}[/／]\d{1,3}|第\d{1,3}页(共\d{1,3}页)?"
                       r"|.{2,36}(预算|决算)(公开)?\d{1,3}")
PAGE_RULE = re.compile(r"(\{\d{1,3}\})?-{3,}")  # a rule between pages, with marker's page number
TICKS = "√✓✔☑■✅"
BOX_MARKS = "□☐" + TICKS
BOXES = re.compile(f"[□☐][^□☐]*[{TICKS}]|[{TICKS}][^□☐]*[□☐]")  # an empty box and a ticked one
RESUME_WINDOW = 4  # rows after page furniture where the indicators may go on
YEAR_SPAN = re.compile(r"^[(（][\d年月\s—\-–~～至]+[)）]$")  # 中期目标（2026年—2028年）: the column's years
LOOKAHEAD = 6  # rows after 项目名称 within which a 主管部门 label must appear …
LOOKAHEAD_CELLS = 16  # … or cells, where 6 rows hold fewer
HEADER_WINDOW = 16  # rows after the first indicator row where the indicator header may sit
NOTE = re.compile(r"^\s*(注|说明|备注)\s*\d?\s*[:：]")
# A title row between the indicators, after which the 年度 indicators follow as a table of their own.
ANNUAL_PART = re.compile(r"^(年度绩效指标|年度指标|年度绩效目标|年度目标)[:：]?$")
UNIT_LINE_WINDOW = 3  # rows above a table where its 单位：万元 line may be printed
UNIT_LINE = re.compile(r"(?:金额)?单位[:：]\s*(万元|亿元|元)")


@dataclass(frozen=True)
class Block:
    """The rows of one performance table, split into header and indicator rows."""

    rows: tuple[Row, ...]
    kpi_header: tuple[Row, ...]
    kpi_rows: tuple[Row, ...]


@dataclass
class HeaderFields:
    """Cells collected per header label, each with the line it was printed on."""

    cells: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    funds: list[str] = field(default_factory=list)
    funds_lines: list[int] = field(default_factory=list)  # the line of each funds cell
    funds_unit: bool = False  # the funds label states its unit: 项目资金（元）

    def text(self, name: str) -> str | None:
        parts = [t for _, t in self.cells.get(name, []) if t]
        return "".join(parts) if parts else None


def find_blocks(rows: Sequence[Row]) -> list[tuple[int, int]]:
    """(start, end) row indices of every performance table, end exclusive."""
    # 称 (of 项目名称) in the text is the first test of _starts_table, made here without a call
    starts = [i for i, row in enumerate(rows) if "称" in row.text and _starts_table(rows, i)]
    blocks = []
    for n, start in enumerate(starts):
        limit = starts[n + 1] if n + 1 < len(starts) else len(rows)
        blocks.append((start - lines_above(rows, start), _block_end(rows, start, limit)))
    return blocks


def _starts_table(rows: Sequence[Row], i: int) -> bool:
    first = rows[i].filled[:1]
    if not first or "称" not in first[0] or not squash(first[0]).startswith("项目名称"):
        return False
    if len(rows[i].filled) == 1 and _fields_paragraph(rows[i]) is not None:
        return True
    return any(label in r.key for r in _ahead(rows, i) for label in HEADER_LABELS["supervising"])


def fields_paragraphs(rows: Sequence[Row]) -> list[Row]:
    """The header rows a converter printed as one paragraph line (pymupdf4llm, where it found no
    table: 项目名称 X 主管部门 Y 实施单位 Z … 实施期资金总额： 3,600,000 … then the texts) as rows
    of cells again: a cell per word up to the first text that runs on, which follows as a row
    of its own (a label spliced into it is taken out by `unspliced`)."""
    out: list[Row] = []
    for row in rows:
        split = _fields_paragraph(row) if len(row.filled) == 1 else None
        out.extend(split or (row,))
    return out


def _fields_paragraph(row: Row) -> tuple[Row, ...] | None:
    """(the fields' row of cells, the rest of the text) when `row` is one paragraph holding
    three header fields or more, each label a word of its own; None otherwise."""
    if not row.key.startswith("项目名称"):  # most rows: no split
        return None
    words = row.filled[0].split()
    if len(words) < 6 or not squash(words[0]).startswith("项目名称"):
        return None
    cut = next((k for k, word in enumerate(words) if len(word) > _FIELD_WORD), len(words))
    labels = [_bare_label(word) for word in words[:cut]]
    fields = {f for k, f in enumerate(labels) if f and k + 1 < cut and not labels[k + 1]}  # with a value after
    if len(fields) < 3 or "supervising" not in fields:
        return None
    cells = [word for k, word in enumerate(words[:cut]) if not _label_tail(words[max(0, k - 6) : k], word)]
    head = Row.of_cells(row.line, row.end_line, tuple(cells), indent=row.indent)
    rest = Row.of_cells(row.line, row.end_line, (" ".join(words[cut:]),), indent=row.indent) if cut < len(words) else None
    return (head, rest) if rest else (head,)


_FIELD_WORD = 24  # a word longer than this is a text running on (项目概况…), not a field's value


def _bare_label(word: str) -> str | None:
    """The field of a word that is a header label and nothing more (主管部门, 实施期资金总额：)."""
    hit = split_header_label(word)
    return hit[0] if hit and not hit[2] else None


def _label_tail(before: list[str], word: str) -> bool:
    """及代码 after 主管部门 … (a label's second line, printed after the value beside it): the
    rest of an earlier label of the paragraph, not a value."""
    key = squash(word)
    return key not in _EXACT_LABELS and any(squash(w) + key in _EXACT_LABELS for w in before)


def _ahead(rows: Sequence[Row], i: int) -> Sequence[Row]:
    """The rows after row i where its 主管部门 label may be: LOOKAHEAD rows, or as many as hold
    LOOKAHEAD_CELLS cells where fewer (one cell per line, or 项目编码/负责人 rows between)."""
    end, cells = i + 1, 0
    while end < len(rows) and (end <= i + LOOKAHEAD or cells < LOOKAHEAD_CELLS):
        cells += len(rows[end].filled)
        end += 1
    return rows[i + 1 : end]


def _block_end(rows: Sequence[Row], start: int, limit: int) -> int:
    """After the signature row, or at what opens the next part once the indicators began."""
    in_indicators = False  # text fields wrap into lines that look like headings (一、…)
    for j in range(start + 1, limit):
        first = rows[j].filled[0] if rows[j].filled else ""
        if is_footer(_lead_cell(rows[j])) and (in_indicators or not _labels_follow(rows, j)):
            return j + 1
        if rows[j].heading and (in_indicators or not rows[j].text.strip()):
            return j
        if in_indicators and len(rows[j].filled) == 2 and PART_HEADING.match(rows[j].key):
            return j  # 第三部分 | 名词解释: a part's heading that pdftotext cut in two
        if in_indicators and len(rows[j].filled) == 1 and _opens_next_part(first, j - start):
            if not (_is_page_furniture(first) and _indicators_resume(rows, j, limit)):
                return j
        in_indicators = in_indicators or _opens_indicators(rows[j])
    return limit


def _labels_follow(rows: Sequence[Row], j: int) -> bool:
    """Header labels on the next rows: the 联系电话 at j is a field of the header (项目负责人,
    联系电话 above 主管部门 in some templates), not the signature row under the table."""
    return any(split_header_label(c) for r in rows[j + 1 : j + 4] for c in r.filled)


def _is_page_furniture(cell: str, bare_numbers: bool = False) -> bool:
    """What a page break prints inside a table: the table's title repeated, its (2026年度)
    line, a page number (16/48, ·16·, 第16页, a running footer …预算 16) or a rule (-----).
    A bare number counts only where every row has cells of its own (`bare_numbers`); one
    cell per line prints values such as 16 alone."""
    key = squash(cell)
    if len(key) > 40:
        return bool(PAGE_RULE.fullmatch(key))
    if TABLE_TITLE.search(key) or BRACKETED_YEAR.match(key) or PAGE_MARK.fullmatch(key) or PAGE_RULE.fullmatch(key):
        return True
    return bare_numbers and key.isdigit() and len(key) <= 3


def _indicators_resume(rows: Sequence[Row], j: int, limit: int) -> bool:
    """The indicators go on after the page furniture at row j: the next rows hold a level
    label or a value (one cell per line), or a row whose first cell is blank (the merged label
    column continued). The next table opens with its 项目名称 row instead."""
    for row in rows[j + 1 : min(limit, j + 1 + RESUME_WINDOW)]:
        if row.heading or squash(row.filled[0]).startswith("项目名称"):
            return False
        if len(row.filled) == 1:  # furniture, or one cell per line: a label, a value or a name
            if _is_page_furniture(row.filled[0]):
                continue
            if level_label(row.filled[0]) or is_figure(row.filled[0]):
                return True
            continue
        return any(map(level_label, row.filled)) or not row.cells[0]
    return False


def _opens_next_part(cell: str, offset: int) -> bool:
    """A short heading, the next table's title or its (2026年度) line: the table ended unsigned.

    A long cell that opens with 一、 is a text field's content (one cell per line); a year
    line right under 项目名称 is this table's own, printed one row low.
    """
    key = squash(cell)
    if len(key) > 30:
        return False
    return bool(HEADING.match(key) or TABLE_TITLE.search(key) or (offset > 2 and YEAR_MARKER.match(key)))


def split_block(rows: Sequence[Row], columns: bool = True) -> Block:
    """Separate the header rows from the indicator table of one block.

    The indicator header (一级指标 二级指标 …) may follow the first labels when cells are
    printed one per line, so header rows are taken from the first rows of the region.
    """
    k = next((i for i, r in enumerate(rows) if _opens_indicators(r)), len(rows))
    window = rows[k : k + HEADER_WINDOW]
    header = []
    for n, r in enumerate(window):
        if (_is_header_row(r) and not (n and _completes_label(window[n - 1], r))) or (
            n and _is_side_row(r, window[n - 1])
        ):
            header.append(r)
        elif any(map(is_figure, r.filled)):
            break  # the indicators began: a 指标 below them is a label's wrapped tail
    ids = {id(r) for r in header}
    body = [r for r in rows[k:] if id(r) not in ids and not is_footer(lead := _lead_cell(r)) and not _is_note(lead)]
    body = [r for r in body if len(r.filled) != 1 or not _is_page_furniture(r.filled[0], columns)]
    return Block(tuple(rows[:k]), tuple(header), tuple(body))


def _completes_label(above: Row, row: Row) -> bool:
    """指标 under 数量 (one cell per line, the label's cell wrapped): the end of a level label,
    not a piece of the column header."""
    return above.key + row.key in level_labels()


def _is_note(cell: str) -> bool:
    """注：本表金额单位为万元。 under the indicators: a note, no indicator."""
    return cell[:1] in "注说备" and bool(NOTE.match(cell))


def _is_side_row(row: Row, above: Row) -> bool:
    """实施期 | 年度 under the header row's 指标值: the second row of a two-row header."""
    return len(row.filled) >= 2 and all(squash(c) in SIDE_HEADINGS for c in row.filled) and _is_header_row(above)


def _lead_cell(row: Row) -> str:
    """The row's first filled cell, past copies of the table's 绩效指标 heading or of a piece
    of it (a page break splits it into 绩 / 效 指 标): converters that fill a merged cell into
    every row it spans write it into the signature row too (绩效指标 | 负责人： | … | 填报日期：)."""
    cells = row.filled
    if cells and cells[0][:1] not in KPI_COLUMN:  # most rows: no squash
        return cells[0]
    return next((cell for cell in cells if squash(cell) not in KPI_COLUMN), "")


def is_footer(cell: str) -> bool:
    """The signature row's first cell; its first glyph is checked before the pattern."""
    return cell[:1] in FOOTER_FIRST and bool(FOOTER.match(squash(cell)))


def _opens_indicators(row: Row) -> bool:
    """The indicator header row, or the first indicator row where that header is missing."""
    return _names_levels(row.key) or any(map(level_label, row.filled))


def _names_levels(key: str) -> bool:
    """KPI_HEADER found in a key; each of its words holds 级指, checked first by a fast scan."""
    return "级指" in key and bool(KPI_HEADER.search(key))


def _is_header_row(row: Row) -> bool:
    """一级指标 二级指标 三级指标 指标值 …, possibly wrapped into fragments (一级指 / 标)."""
    text = row.key
    if any(map(level_label, row.filled)):
        return False
    return _names_levels(text) or bool(HEADER_FRAGMENTS.fullmatch(text)) or text in ROW_HEADINGS


def read_header(rows: Sequence[Row]) -> HeaderFields:
    """Collect the cells after each label up to the next label."""
    fields = HeaderFields()
    current = None
    for row in rows:
        left = None  # the filled cell before this one
        filled = row.filled
        for k, cell in enumerate(filled):
            repeated, left = cell == left, cell
            hit = split_header_label(cell)
            if hit:
                current, cell = hit[0], hit[2]
                fields.cells.setdefault(current, [])
                fields.funds_unit = fields.funds_unit or (current == "funds" and "元" in hit[1])
            elif current != "funds" and _opens_funds(filled, k):
                current = "funds"  # 实施期资金总额：500,000 printed above its centred 项目资金 label
            if not cell or current is None:
                continue
            if current == "funds":
                if repeated and _spanned_label(row.cells, cell):
                    continue  # docling writes a label spanning two cells into both
                fields.funds.append(cell)
                fields.funds_lines.append(row.line)
            elif current == "goal_columns" or fields.cells[current][-1:] != [(row.line, cell)]:
                # docling repeats a merged cell in each column it spans: once is enough, but
                # under 实施期目标 | 年度目标 each column's goal counts, the same or not
                fields.cells[current].append((row.line, cell))
    return fields


def _opens_funds(filled: Sequence[str], k: int) -> bool:
    """filled[k] is a funds total (实施期资金总额：500,000), or its label's first piece where a
    converter cut the label at a column of its grid (实施期资 | 金总额： | 733,556, pymupdf4llm)."""
    return is_total_cell(filled[k]) or (k + 1 < len(filled) and is_total_cell(filled[k] + filled[k + 1]))


def _spanned_label(cells: Sequence[str], label: str) -> bool:
    """`label` in two adjacent cells with a figure right after: one label written into the two
    cells it spans (实施期资金总额: | 实施期资金总额: | 900,000), not both columns' labels side by
    side (其中:中央财政资金 其中:中央财政资金, their figures on the next line). Asked only of a
    cell that repeats the filled cell before it."""
    if label[-1:].isdigit():
        return False
    return any(
        cells[j - 1] == label == cells[j] and j + 1 < len(cells) and parse_amount(cells[j + 1]) is not None
        for j in range(1, len(cells))
    )


def _without_repeated_name_row(rows: Sequence[Row]) -> Sequence[Row]:
    """The table without copies of its 项目名称 row: a table split by a page break may print
    that row again at the top of the next page (a repeated header row), which is neither more
    of the name nor an indicator."""
    first = next((r for r in rows if r.filled and squash(r.filled[0]).startswith("项目名称")), None)
    if first is None or len(first.filled) < 2:
        return rows  # one cell per line: the label alone, repeated by nothing
    key = first.key
    return [r for r in rows if r is first or r.key != key]


def join_wrapped_labels(rows: Sequence[Row]) -> list[Row]:
    """Labels wrapped onto the next lines (主管部门及 / 代码, 主管部门 / 及代码, 保证项目 / 实施的制 /
    度、措施), which pdftotext and one-cell-per-line output print as rows of their own: joined
    where the pieces make a label. The last piece's row keeps its other cells (pdftotext -layout
    prints the label's second line below a row of values)."""
    out: list[Row | None] = list(rows)
    for i in range(len(out) - 1):
        pieces = [r for r in out[i : i + 3] if r is not None and r.filled]
        if len(pieces) < 2 or pieces[0] is not out[i]:
            continue
        size = _wrapped_label_size([r.filled[0] for r in pieces[:3]])
        if not size:
            if len(pieces) == 3 and (around := _label_around(pieces)):
                out[i] = Row.of_cells(pieces[0].line, pieces[2].line, (around,), indent=pieces[0].indent)
                out[next(k for k in range(i + 1, i + 3) if out[k] is pieces[2])] = None
            continue
        above, last = pieces[0], pieces[size - 1]
        label = "".join(squash(r.filled[0]) for r in pieces[:size])
        out[i] = Row.of_cells(above.line, last.line if len(last.filled) == 1 else above.end_line,
                              (label, *above.filled[1:]), indent=above.indent)
        for piece in pieces[1:size]:  # each keeps its other cells: the text centred beside the label
            at = next(k for k in range(i + 1, i + 3) if out[k] is piece)
            out[at] = Row.of_cells(piece.line, piece.end_line, piece.filled[1:], indent=piece.indent)
    return [row for row in out if row is not None]


def unspliced(rows: Sequence[Row]) -> list[Row]:
    """A text field printed as a paragraph with its label spliced in where the label sat beside
    it, centred in its cell (pymupdf4llm: …科技局科 立项依据 技研发基地…): the label, then the
    text without it, as a table row has them."""
    return [_unspliced(row) if len(row.filled) == 1 and " " in row.text else row for row in rows]


def _unspliced(row: Row) -> Row:
    text = row.filled[0]
    if len(text) < 2 * _SPLICE_MARGIN:
        return row
    for label in _SPLICED_LABELS:
        at = text.find(f" {label} ")
        if _SPLICE_MARGIN <= at <= len(text) - len(label) - _SPLICE_MARGIN:
            rest = text[:at] + text[at + len(label) + 2 :]
            return Row.of_cells(row.line, row.end_line, (label, rest), indent=row.indent)
    return row


def _label_around(rows: list[Row]) -> str | None:
    """主管部门及 / 100-晋城市科学技术局 实施单位 … / 代码: a label centred beside a one-line value,
    its two lines printed above and below that value's (pdfplumber, pdftotext)."""
    head, middle, tail = rows
    if len(head.filled) != 1 or len(tail.filled) != 1 or len(middle.filled) < 2:
        return None
    if squash(head.filled[0]) in _EXACT_LABELS:  # 项目资金 / … / （元）: a label of its own, centred
        return None
    size = _wrapped_label_size([head.filled[0], tail.filled[0]])
    return squash(head.filled[0]) + squash(tail.filled[0]) if size == 2 else None


def _wrapped_label_size(firsts: list[str]) -> int:
    """How many of these first cells (2 or 3) together make a header label, the tail not being
    one alone and the head not one alone unless the whole is a longer label (主管部门 / 及代码,
    项目资金 / （元）); 0 when they make none."""
    head, tail = squash(firsts[0]), squash(firsts[1])
    if len(head) > 8 or len(tail) > 4 or tail in _EXACT_LABELS:
        return 0
    joined = head + tail
    if joined in _EXACT_LABELS:
        return 2
    if len(firsts) < 3 or head in _EXACT_LABELS or not any(k.startswith(joined) for k in _EXACT_LABELS):
        return 0
    third = squash(firsts[2])
    return 3 if len(third) <= 5 and third not in _EXACT_LABELS and joined + third in _EXACT_LABELS else 0


_SPLICE_MARGIN = 10  # a label centred beside a paragraph lands inside it, not near an end
# Labels of fields whose value is one running text, longest first
_SPLICED_LABELS = sorted(TEXT_LABEL_KEYS, key=lambda label: (-len(label), label))
_EXACT_LABELS = LABEL_KEYS


def unshift_header(fields: HeaderFields) -> HeaderFields:
    """Repair a header printed one row low: the 项目名称 cell holds the (2026年度) line.

    Each value then sits beside the label after its own, which content shows: the name under
    主管部门及代码, and the 代码-主管部门 pair (with the 实施单位 beside it) under 项目属性.
    """
    name = fields.text("name")
    if not name or not YEAR_MARKER.match(squash(name)):
        return fields
    cells = fields.cells
    moved = dict(cells)
    moved["name"] = cells.get("supervising", [])
    attribute = cells.get("attribute", [])
    if attribute and SUPERVISING.match(attribute[0][1]):
        moved["supervising"] = attribute[:1]
        moved["attribute"] = []
        if len(attribute) > 1 and not fields.text("implementing_unit"):
            moved["implementing_unit"] = attribute[1:2]
    return HeaderFields(moved, fields.funds, fields.funds_lines, fields.funds_unit)


def unit_scale(rows: Sequence[Row]) -> int:
    """元 per unit named by a 单位：万元 (金额单位：元) line among `rows`; 1 where none is."""
    for row in rows:
        m = UNIT_LINE.search(row.key) if "单位" in row.text else None
        if m:
            return UNIT_SCALE[m.group(1)]
    return 1


def kpi_mode(family: str | None) -> str:
    """How a layout family keeps table cells (see kpi_table.read_kpis)."""
    return {"pdftotext": "wrapped", "text": "wrapped", "cell-per-line": "cells"}.get(family or "", "columns")


def read_project(
    rows: Sequence[Row], family: str | None = None, unit_above: int = 1
) -> tuple[PerformanceProject, list[Issue]]:
    """One performance table into a record (`unit_above`: 元 per unit of a 单位：万元 line
    printed above the table, for funds whose label and cells state no unit)."""
    block = split_block(fields_paragraphs(_without_repeated_name_row(rows)), kpi_mode(family) == "columns")
    header_rows = join_wrapped_labels(block.rows) if kpi_mode(family) != "columns" else block.rows
    fields = unshift_header(read_header(recentre(unspliced(header_rows))))
    scale = 1 if fields.funds_unit else unit_above
    period_funds, annual_funds = read_funds(fields.funds, fields.funds_lines, scale)
    two_columns = _has_both_goal_columns(block.rows)
    header_splits = two_columns and kpi_mode(family) != "cells" and not header_columns(block.kpi_header).two_sided
    period_rows, annual_rows = _annual_part(block.kpi_rows, header_splits)  # (one cell per line shows no groups)
    period_kpis, annual_kpis, kpi_issues = read_kpis(
        block.kpi_header, period_rows, kpi_mode(family), two_columns
    )
    if annual_rows:  # 实施期 and 年度 indicators printed as two tables, one after the other
        annual_kpis, _, annual_issues = read_kpis(block.kpi_header, annual_rows, kpi_mode(family))
        kpi_issues += annual_issues
    elif not annual_kpis and _annual_only(block):
        period_kpis, annual_kpis = (), period_kpis
    if annual_funds == Funds() and period_funds != Funds() and not _names_period(block):
        period_funds, annual_funds = Funds(), period_funds  # one column of funds, of one year
    code, dept = supervising(fields.text("supervising"))
    code = code or _code(fields.text("supervising_code"))
    texts, spans = _texts(fields)
    legal = find_citations(fields.cells.get("legal_basis", []), "legal_basis")
    project = PerformanceProject(
        name=fields.text("name"),
        line=rows[0].line,
        end_line=rows[-1].end_line,
        supervising_dept=dept,
        supervising_code=code,
        implementing_unit=fields.text("implementing_unit"),
        attribute=checked_option(fields.text("attribute")),
        period=fields.text("period"),
        period_funds=period_funds,
        annual_funds=annual_funds,
        legal_bases=tuple(legal),
        period_kpis=period_kpis,
        annual_kpis=annual_kpis,
        texts=texts,
        text_lines=spans,
    )
    return project, _issues(project, kpi_issues)


def _annual_only(block: Block) -> bool:
    """A table of one year only: 年度 goals or funds, and no 实施期 (中期) anywhere above its
    indicators; its one column of indicators is the 年度 column. (Where the table names an
    implementation period, one column is read as its 实施期 indicators.)"""
    return names_one_year("".join(r.key for r in block.rows) + "".join(r.key for r in block.kpi_header))


def _names_period(block: Block) -> bool:
    """The table names an implementation period (实施期, 中期) above its indicators: a single
    column of funds without one is the year's (资金来源（万元）| 合计 | 中央补助 …)."""
    text = "".join(r.key for r in block.rows)
    return "实施期" in text or "中期" in text


def names_one_year(text: str) -> bool:
    """Text above an indicator table that names 年度 and no 实施期 (中期): a table of one year."""
    return "年度" in text and "实施期" not in text and "中期" not in text


def _annual_part(rows: Sequence[Row], header_splits: bool = False) -> tuple[Sequence[Row], Sequence[Row]]:
    """The indicator rows before and after a 年度绩效指标 title row printed alone between them;
    with `header_splits` (a form of 实施期 and 年度 goals whose indicator header has one value
    column), before and after the indicator header printed again: the 年度 table under the
    实施期 one, as a converter that split the table at its column boundary prints them."""
    for i, row in enumerate(rows):
        if i and len(row.filled) == 1 and "年度" in row.text and ANNUAL_PART.match(row.key):
            return rows[:i], rows[i + 1 :]
        if i and header_splits and _names_levels(row.key) and _is_header_row(row) and _one_group(rows[:i], row):
            return rows[:i], rows[i + 1 :]
    return rows, ()


def _one_group(rows: Sequence[Row], header: Row) -> bool:
    """No row above reaches past the header's last column: one column group (a page's repeated
    header over rows of two groups is no second table). Where cells keep their positions a
    row's blank label cells still count; in a stream its cells are only the filled ones."""
    width = _last_cell(header)
    return all(_last_cell(r) <= width for r in rows)


def _last_cell(row: Row) -> int:
    return max((i for i, cell in enumerate(row.cells) if cell), default=-1)


def _has_both_goal_columns(rows: Sequence[Row]) -> bool:
    """实施期目标 and 年度目标 printed: the indicator table has both column groups. (A narrow
    label column may wrap 实施期 / 目标 or 实施期目 / 标 over two rows.)"""
    keys = [r.key for r in rows]
    return _printed(keys, "年度", "年度目标") and _printed(keys, "实施期", "实施期目标")


def _printed(keys: list[str], opening: str, label: str) -> bool:
    """`label` in a row, or wrapped over it and the two rows below."""
    return any(label in "".join(keys[i : i + 3]) for i, k in enumerate(keys) if opening in k)


def checked_option(text: str | None) -> str | None:
    """新增项目□ 延续项目√ (or ☑延续项目 □新增项目): a field printed as tick boxes reads as the
    option ticked; text without boxes, or with none ticked, as printed."""
    if not text or not BOXES.search(text):
        return text
    marks_first = text.lstrip()[:1] in BOX_MARKS
    parts = [p.strip() for p in re.split(f"([{BOX_MARKS}])", text) if p.strip()]
    for n, part in enumerate(parts):
        if part in TICKS:
            option = parts[n + 1] if marks_first else parts[n - 1] if n else None
            if option and option not in BOX_MARKS:
                return option
    return text


def supervising(text: str | None) -> tuple[str | None, str | None]:
    """203-山西省科学技术厅 or [161]科学技术部 → ("203", "山西省科学技术厅"), ("161", "科学技术部")."""
    if not text:
        return None, None
    m = SUPERVISING.match(text)
    if m:
        return m.group(1) or m.group(2), m.group(3) or None
    if m := CODE_BEFORE.match(text):
        return m.group(1), m.group(2).strip()
    if m := CODE_AFTER.match(text):
        return m.group(2), m.group(1).strip()
    return None, text


def _code(text: str | None) -> str | None:
    """主管部门编码 printed under a label of its own: its digits."""
    m = re.search(r"\d{2,6}", text or "")
    return m.group(0) if m else None


def _texts(fields: HeaderFields) -> tuple[dict[str, str], dict[str, tuple[int, int]]]:
    """Free-text fields as printed; 总体目标 split into its 实施期 and 年度 cells."""
    texts, spans = {}, {}
    for name in TEXT_FIELDS:
        cells = fields.cells.get(name, [])
        if name == "goal" and not cells:
            # 总体目标 merged over the 实施期目标/年度目标 row and the row below it (a PDF's
            # spanning cell, an HTML rowspan): the texts follow the column headings.
            cells = [c for c in fields.cells.get("goal_columns", []) if not YEAR_SPAN.match(c[1])]
        if not cells:
            continue
        spans[name] = (cells[0][0], cells[-1][0])
        if name == "goal" and len(cells) == 2:
            texts["goal_period"], texts["goal_annual"] = cells[0][1], cells[1][1]
        else:
            texts[name] = "\n".join(t for _, t in cells)
    return texts, spans


def _issues(project: PerformanceProject, kpi_issues: Sequence[Issue]) -> list[Issue]:
    issues = list(kpi_issues)
    if not project.name:
        issues.append(Issue(project.line, "performance table without a project name"))
    if not project.period_kpis and not project.annual_kpis:
        issues.append(Issue(project.line, "performance table without readable indicators"))
    return issues


def read_projects(
    rows: Sequence[Row], family: str | None = None, blocks: Sequence[tuple[int, int]] | None = None
) -> tuple[list[PerformanceProject], list[Issue]]:
    """Every performance table of a document, in document order (`blocks` from find_blocks)."""
    projects, issues = [], []
    first_seen: dict[tuple[str, str | None], int] = {}
    previous_end = 0
    for start, end in find_blocks(rows) if blocks is None else blocks:
        above = rows[max(previous_end, start - UNIT_LINE_WINDOW) : start]
        project, found = read_project(rows[start:end], family, unit_scale(above))
        previous_end = end
        projects.append(project)
        issues.extend(found)
        if project.name:
            first = first_seen.setdefault((squash(project.name), project.implementing_unit), project.line)
            if first != project.line:
                issues.append(Issue(project.line, f"project {project.name!r} of the same unit again "
                                                  f"(first at line {first}); both tables are kept"))
    return projects, issues
