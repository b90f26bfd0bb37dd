"""Blocks (synth_tables.py) → the text one converter would have written: tsv, p, md, pdftotext.

Each renderer returns the file's lines and, for every 项目支出绩效目标表, the 1-based line of its
项目名称 row (the `line` the extractor reports). The variations are the seeds' own: labels in
full- or half-width punctuation, tables exported with every cell doubled by an empty one, long
cells in <p> paragraphs, markdown headings, and pdftotext's pages, running headers, page numbers,
wrapped cells and glyphs printed twice.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from synth_content import KpiGroup, Project
from synth_tables import Block, Heading, Para, PerfTable, Table, source_rows, yuan

LAYOUTS = ("tsv", "p", "md", "pdftotext")
WRAP = 38  # characters per pdftotext line of running text
PAGE_LINES = 48
_NUMBER_SPAN = re.compile(r"[（(]?[^\s《》（）()、；。]{1,8}[〔\[【]\d{4}[〕\]】]\d+号[）)]?")


@dataclass(frozen=True)
class Style:
    """Per-document choices of the converter and the form's edition."""

    full_width: bool  # （元） and ： rather than (元) and :
    stride: int  # 1, or 2 where every cell is followed by an empty one
    wrap_label: bool  # 市县（区）财政资 / 金 over two rows
    double_labels: bool  # pdftotext: 项目名称项目名称
    commas: bool  # 1,234.56 in budget tables

    @classmethod
    def draw(cls, rng: random.Random) -> Style:
        return cls(
            rng.random() < 0.7,
            rng.choice((1, 1, 2)),
            rng.random() < 0.3,
            rng.random() < 0.5,
            rng.random() < 0.5,
        )

    def colon(self) -> str:
        return "：" if self.full_width else ":"

    def paren(self, text: str) -> str:
        return f"（{text}）" if self.full_width else f"({text})"


# --- the performance table as rows of cells ---------------------------------------------------
def perf_rows(p: Project, code: str, dept: str, s: Style) -> list[tuple[str, ...]]:
    """The table as a tab-separated export prints it; the first row is 项目名称."""
    col, county = s.colon(), f"市县{s.paren('区')}"
    rows: list[tuple[str, ...]] = [
        ("项目名称", p.name, "", "", ""),
        ("主管部门及代码", f"{code}-{dept}", "实施单位", p.unit, ""),
        ("项目属性", p.attribute, "项目期", p.period, ""),
        (
            f"项目资金{s.paren('元')}",
            f"实施期资金总额{col}",
            yuan(p.period_funds.total),
            f"年度资金总额{col}",
            yuan(p.annual_funds.total),
        ),
    ]
    period, annual = source_rows(p.period_funds, county), source_rows(p.annual_funds, county)
    for (label, v1), (_, v2) in zip(period, annual):
        label = label.replace("：", col)
        if s.wrap_label and label.startswith("市县"):
            rows += [("", label[:-1], _y(v1), label, _y(v2)), ("", label[-1:], "", "", "")]
        else:
            rows.append(("", label, _y(v1), label, _y(v2)))
    rows += [(label, text, "", "", "") for label, text in _text_fields(p)]
    rows += [
        ("", "实施期目标", "", "年度目标", ""),
        ("总体目标", p.goal_period, "", p.goal_annual, ""),
    ]
    rows.append(
        ("绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值")
    )
    rows += [("",) + r for r in kpi_rows(p.kpis)]
    rows.append(
        (f"负责人{col}", f"经办人{col}", f"联系电话{col}", f"填报日期{col}", "20240902113615")
    )
    return rows


def _y(value: int | None) -> str:
    return "" if value is None else yuan(value)


def _text_fields(p: Project) -> tuple[tuple[str, str], ...]:
    return (
        ("项目概况", p.overview),
        ("立项依据", p.basis_text),
        ("项目设立必要性", p.necessity),
        ("保证项目实施的制度、措施", p.measures_text),
        ("项目实施计划", p.plan),
    )


def kpi_rows(groups: tuple[KpiGroup, ...]) -> list[tuple[str, ...]]:
    """一级 on the first row of its block, 二级 on the first row of its group, both sides."""
    rows, seen = [], set()
    for g in groups:
        for i in range(max(1, len(g.period), len(g.annual))):
            first = "" if g.level1 in seen else g.level1
            seen.add(g.level1)
            l2 = g.level2 if i == 0 else ""
            rows.append((first, l2, *_item(g.period, i), l2, *_item(g.annual, i)))
    return rows


def _item(items: tuple[tuple[str, str], ...], i: int) -> tuple[str, str]:
    return items[i] if i < len(items) else ("", "")


def _strided(row: tuple[str, ...], stride: int) -> tuple[str, ...]:
    if stride == 1:
        return row
    return tuple(x for cell in row for x in (cell, ""))[:-1]


# --- tab-separated family (tsv, p, md) --------------------------------------------------------
def render_tabbed(blocks: list[Block], s: Style, layout: str) -> tuple[list[str], list[int]]:
    lines: list[str] = ["", ""]
    anchors: list[int] = []
    for block in blocks:
        if isinstance(block, Heading):
            lines.append(_md_heading(block) if layout == "md" else block.text)
        elif isinstance(block, Para):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines += ["\t".join(r) for r in block.rows]
        else:
            lines += _tabbed_perf(block, s, layout, lines, anchors)
            continue
        lines.append("")
    return lines, anchors


def _md_heading(h: Heading) -> str:
    if h.text.endswith("预算公开") or h.level == 1 and not h.text.startswith(("第", "目")):
        return h.text + ("  " if h.level == 1 and not h.text.endswith("公开") else "")
    return "#" * (h.level + 1) + " " + h.text


def _tabbed_perf(
    block: PerfTable, s: Style, layout: str, lines: list[str], anchors: list[int]
) -> list[str]:
    title = ("## " if layout == "md" and len(anchors) % 2 == 0 else "") + block.title
    out = [title, "", f"({block.dept.year}年度)", ""]
    for i, row in enumerate(perf_rows(block.project, block.dept.code, block.dept.name, s)):
        if i == 0:
            anchors.append(len(lines) + len(out) + 1)
        cells = _p_cells(row) if layout == "p" else row
        out.append("\t".join(_strided(cells, s.stride)))
    return out + [""]


def _p_cells(row: tuple[str, ...]) -> tuple[str, ...]:
    """Long cells as <p> paragraphs split at each 。, a text field's label in <p> too."""
    if len(row) < 2 or len(row[1]) < 40:
        return row
    paragraphs = [t + "。" for t in row[1].split("。") if t]
    return (f"<p>{row[0]}</p>", " ".join(f"<p>{t}</p>" for t in paragraphs)) + row[2:]


# --- pdftotext -----------------------------------------------------------------------------------
class Pager:
    """Lines cut into pages: a form feed and a running header open each page, a page number
    closes it."""

    def __init__(self, header: str):
        self.header, self.lines, self.page, self.used = header, [], 1, 0

    def add(self, line: str, blank: bool = True) -> int:
        """Add one line (and a blank one after it); returns its 1-based line number."""
        if self.used >= PAGE_LINES:
            self.lines += ["", f"- {self.page} -", f"\f{self.header}", ""]
            self.page, self.used = self.page + 1, 0
        self.lines.append(line)
        self.used += 1
        number = len(self.lines)
        if blank:
            self.lines.append("")
        return number


def render_pdftotext(blocks: list[Block], s: Style, header: str) -> tuple[list[str], list[int]]:
    pager, anchors = Pager(header), []
    for block in blocks:
        if isinstance(block, Heading):
            pager.add(
                _twice(block.text) if " " not in block.text and block.level == 2 else block.text
            )
        elif isinstance(block, Para):
            for line in wrap(block.text):
                pager.add(line)
        elif isinstance(block, Table):
            for i, row in enumerate(block.rows):
                bold = i < block.header or i in block.totals
                pager.add(" ".join(_twice(c) if bold else c for c in row).rstrip())
        else:
            anchors.append(_pdf_perf(pager, block, s))
    return pager.lines, anchors


def _twice(text: str) -> str:
    return text + text if text else text


def wrap(text: str, width: int = WRAP) -> list[str]:
    """Cut running text into lines of `width`, never inside a 发文字号 (a PDF would, but then
    no reader can tell the number back)."""
    keep = [m.span() for m in _NUMBER_SPAN.finditer(text)]
    out, start = [], 0
    while len(text) - start > width:
        cut = start + width
        for a, b in keep:
            if a < cut < b:
                cut = a if a > start else b
        out.append(text[start:cut])
        start = cut
    return out + [text[start:]] if start < len(text) else out


def _pdf_perf(pager: Pager, block: PerfTable, s: Style) -> int:
    p, dept, col = block.project, block.dept, s.colon()
    label = _twice if s.double_labels else (lambda t: t)
    pager.add(f"({dept.year}年度)")
    anchor = pager.add(f" {label('项目名称')} {p.name}")
    pager.add(f"{label('主管部门及代码')} {dept.code}-{dept.name} {label('实施单位')} {p.unit}")
    pager.add(f"{label('项目属性')} {p.attribute} {label('项目期')} {p.period}")
    pager.add("项目资金")
    pager.add(s.paren("元"))
    pager.add(
        f"实施期资金总额{col} {yuan(p.period_funds.total)} 年度资金总额{col} {yuan(p.annual_funds.total)}"
    )
    county = f"市县{s.paren('区')}"
    for (text, v1), (_, v2) in zip(
        source_rows(p.period_funds, county), source_rows(p.annual_funds, county)
    ):
        text = text.replace("：", col)
        if s.wrap_label and text.startswith("市县"):  # the label wrapped in its narrow cell
            pager.add(text[:-1])
            pager.add(text[-1])
            pager.add(" ".join(x for x in (_y(v1), text, _y(v2)) if x))
        else:
            pager.add(" ".join(x for x in (text, _y(v1), text, _y(v2)) if x))
    for name, text in _text_fields(p):
        _pdf_field(pager, label(name), text)
    pager.add("实施期目标 年度目标")
    pager.add("总体目标")
    for line in wrap(p.goal_period, 22) + wrap(p.goal_annual, 22):
        pager.add(line)
    for glyph in "绩效指标":
        pager.add(glyph, blank=False)
    pager.add("一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值")
    for row in kpi_rows(p.kpis):
        if row[0]:
            pager.add(row[0])
        pager.add(" ".join(c for c in row[1:] if c))
    pager.add(f"负责人{col} 经办人{col} 联系电话{col} 填报日期{col} 20240902113615")
    return anchor


def _pdf_field(pager: Pager, label: str, text: str) -> None:
    """A short field on its label's line; a long one on lines of its own below the label."""
    if len(text) <= WRAP - len(label):
        pager.add(f"{label} {text}")
        return
    pager.add(label)
    for line in wrap(text):
        pager.add(line)
