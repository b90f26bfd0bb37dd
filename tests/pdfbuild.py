"""Build disclosure PDFs for the tests from a record, so that what is read back can be checked
field by field against what was printed.

A `ProjectSpec` is the record of one 项目支出绩效目标表. `grid` lays it out as the seeds' form
does (8 columns: merged 项目资金 / 总体目标 / 绩效指标 label cells, merged 一级 and 二级 指标
cells, the 实施期目标/年度目标 heads above the 总体目标 row); `project_pdf` prints that grid with reportlab's built-in CJK font
(STSong-Light, no download) as ruled tables whose long cells wrap, with a running header and
page numbers on every page; `project_tsv` prints the same grid as the tab-separated text a
converter would give, so the PDF path can be compared with the text path.

Nothing here is committed as a binary: every PDF is built in the test's tmp_path.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
TITLE = "山西省省级预算部门（单位）项目支出绩效目标表"
RUNNING_HEADER = "山西省科学技术协会2026年部门预算公开"
COLUMNS = 8  # 绩效指标 | 一级 | 二级 | 三级 | 指标值 | 二级 | 三级 | 指标值
WIDTHS = (62, 52, 56, 100, 58, 56, 80, 51)  # points; 515 = A4 less 40-point margins
SOURCES = (
    ("central", "其中：中央财政资金"),
    ("provincial", "省级财政资金"),
    ("city_county", "市县（区）财政资金"),
    ("self_raised", "单位自筹"),
    ("other", "其他资金"),
)

pdfmetrics.registerFont(UnicodeCIDFont(FONT))
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10, wordWrap="CJK")
TEXT = ParagraphStyle("text", fontName=FONT, fontSize=10, leading=14, wordWrap="CJK")
HEAD = ParagraphStyle("head", fontName=FONT, fontSize=14, leading=20, alignment=1)


@dataclass(frozen=True)
class KpiRow:
    """One printed indicator row: the 实施期 indicator and the 年度 one beside it."""

    level1: str
    level2: str
    period: tuple[str, str]  # 三级指标, 指标值
    annual: tuple[str, str]


@dataclass(frozen=True)
class ProjectSpec:
    """What one 项目支出绩效目标表 says; amounts in 元."""

    name: str
    supervising_code: str
    supervising_dept: str
    implementing_unit: str
    legal_basis: str
    citations: tuple[tuple[str, str | None], ...]  # (title, doc number) as 立项依据 cites them
    kpis: tuple[KpiRow, ...]
    period_funds: dict[str, int | None] = field(default_factory=dict)  # total, central, …
    annual_funds: dict[str, int | None] = field(default_factory=dict)
    attribute: str = "经常性项目（长期开展）"
    period: str = "99年"
    overview: str = "支持院士工作站建设，联合攻克产业关键、共性技术。"
    necessity: str = "围绕我省高新技术产业发展，加强与两院院士为重点的高端人才的产学研合作。"
    measures: str = "根据《山西省院士工作站管理办法（试行）》，细化服务内容、优化服务手段。"
    plan: str = "4月—7月：组织专家对已建院士工作站进行考核；10月：完成补助资金拨付。"
    goal_period: str = "充分发挥两院院士的引领带动作用，培养科技创新人才队伍。"
    goal_annual: str = "完成年度院士工作站评选和补助。"

    def expected_kpis(self, side: str) -> list[tuple[str, str, str, str]]:
        """(一级, 二级, 三级, 指标值) of the 实施期 (period) or 年度 (annual) column, in order."""
        return [(k.level1, k.level2) + getattr(k, side) for k in self.kpis]


def project_grid(p: ProjectSpec) -> tuple[list[list[str]], list[tuple]]:
    """The table of one project as an 8-column grid (merged cells left empty) and its SPANs."""
    rows: list[list[str]] = []
    spans: list[tuple] = []
    _header_rows(p, rows, spans)
    _funds_rows(p, rows, spans)
    for label, text in (
        ("项目概况", p.overview),
        ("立项依据", p.legal_basis),
        ("项目设立必要性", p.necessity),
        ("保证项目实施的制度、措施", p.measures),
        ("项目实施计划", p.plan),
    ):
        _add(rows, spans, [label, text], ((1, 7),))
    # As the seeds print it: the column heads above the 总体目标 row, not beside a merged label
    _add(rows, spans, ["实施期目标", "", "", "", "年度目标"], ((0, 3), (4, 7)))
    _add(rows, spans, ["总体目标", p.goal_period, "", "", p.goal_annual], ((1, 3), (4, 7)))
    _kpi_rows(p, rows, spans)
    return rows, spans


def _add(rows: list[list[str]], spans: list[tuple], cells: Sequence[str], merged=()) -> None:
    """Append one grid row; `merged` are (first, last) column ranges printed as one cell."""
    r = len(rows)
    rows.append(list(cells) + [""] * (COLUMNS - len(cells)))
    spans.extend(("SPAN", (a, r), (b, r)) for a, b in merged)


def _header_rows(p: ProjectSpec, rows, spans) -> None:
    _add(rows, spans, ["项目名称", p.name], ((1, 7),))
    supervising = f"{p.supervising_code}-{p.supervising_dept}"
    _add(
        rows,
        spans,
        ["主管部门及代码", supervising, "", "", "实施单位", p.implementing_unit],
        ((1, 3), (5, 7)),
    )
    _add(rows, spans, ["项目属性", p.attribute, "", "", "项目期", p.period], ((1, 3), (5, 7)))


def _funds_rows(p: ProjectSpec, rows, spans) -> None:
    first = len(rows)
    pairs = [("实施期资金总额：", "年度资金总额：", "total")] + [
        (label, label, key) for key, label in SOURCES
    ]
    for left, right, key in pairs:
        cells = [
            "项目资金（元）" if key == "total" else "",
            left,
            "",
            _amount(p.period_funds.get(key)),
            right,
            "",
            _amount(p.annual_funds.get(key)),
            "",
        ]
        _add(rows, spans, cells, ((1, 2), (4, 5), (6, 7)))
    spans.append(("SPAN", (0, first), (0, len(rows) - 1)))


def _amount(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def _kpi_rows(p: ProjectSpec, rows, spans) -> None:
    """The indicator header and rows; equal 一级 and 二级 labels of adjacent rows are merged."""
    first = len(rows)
    _add(
        rows,
        spans,
        [
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
            "二级指标",
            "三级指标",
            "指标值",
        ],
    )
    body = len(rows)
    for i, k in enumerate(p.kpis):
        prev = p.kpis[i - 1] if i else None
        new1 = prev is None or prev.level1 != k.level1
        new2 = new1 or prev.level2 != k.level2
        _add(
            rows,
            spans,
            [
                "",
                k.level1 if new1 else "",
                k.level2 if new2 else "",
                *k.period,
                k.level2 if new2 else "",
                *k.annual,
            ],
        )
    spans.append(("SPAN", (0, first), (0, len(rows) - 1)))
    spans.extend(_vertical_spans(rows, body, 1, (1,)))
    spans.extend(_vertical_spans(rows, body, 2, (2, 5)))


def _vertical_spans(rows: list[list[str]], body: int, key_col: int, cols: Sequence[int]):
    """A label cell merged down over the empty cells under it (rowspan), as the forms print 一级/二级."""
    starts = [r for r in range(body, len(rows)) if rows[r][key_col]] + [len(rows)]
    for a, b in pairwise(starts):
        if b - a > 1:
            yield from (("SPAN", (c, a), (c, b - 1)) for c in cols)


# --- text twin --------------------------------------------------------------------------------
def project_tsv(projects: Sequence[ProjectSpec]) -> str:
    """The tab-separated text of the same tables, as a converter keeping cell boundaries gives."""
    out = []
    for p in projects:
        out += [TITLE, "(2026年度)"]
        out += ["\t".join(row) for row in project_grid(p)[0]]
    return "\n".join(out) + "\n"


# --- PDF --------------------------------------------------------------------------------------
def project_pdf(
    path: Path,
    projects: Sequence[ProjectSpec],
    *,
    furniture: bool = True,
    preface: Sequence[str] = (),
    break_at: dict[int, int] | None = None,
    new_pages: bool = False,
    top_margin: float = 56,
) -> Path:
    """Print the projects' tables one after another (each on a new page with `new_pages`);
    `break_at` {project index: grid row} runs a table over a page break before that row, merged
    cells cut there as a word processor cuts them (the label printed once, above the break)."""
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=40, rightMargin=40, topMargin=top_margin, bottomMargin=56
    )
    story: list = [Paragraph(line, TEXT) for line in preface]
    for n, p in enumerate(projects):
        story += [PageBreak()] if new_pages and n else []
        story += [Paragraph(TITLE, HEAD), Paragraph("(2026年度)", HEAD), Spacer(1, 6)]
        story += _tables(p, (break_at or {}).get(n))
        story.append(Spacer(1, 18))
    draw = _furniture if furniture else _nothing
    doc.build(story, onFirstPage=draw, onLaterPages=draw)
    return path


def _tables(p: ProjectSpec, cut: int | None) -> list:
    """The table, or its two parts with a page break between them."""
    grid, spans = project_grid(p)
    if cut is None:
        return [_table(grid, spans)]
    top = [s for s in (_clip(s, 0, cut) for s in spans) if s]
    bottom = [s for s in (_clip(s, cut, len(grid)) for s in spans) if s]
    return [_table(grid[:cut], top), PageBreak(), _table(grid[cut:], bottom)]


def _clip(span: tuple, start: int, stop: int) -> tuple | None:
    """The part of a SPAN within grid rows start..stop-1, renumbered from start."""
    _, (c0, r0), (c1, r1) = span
    a, b = max(r0, start), min(r1, stop - 1)
    return ("SPAN", (c0, a - start), (c1, b - start)) if a <= b else None


def _table(grid: list[list[str]], spans: list[tuple]) -> Table:
    cells = [[Paragraph(text, CELL) if text else "" for text in row] for row in grid]
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONT", (0, 0), (-1, -1), FONT, 8),
    ] + spans
    return Table(cells, colWidths=WIDTHS, style=TableStyle(style))


def _furniture(c: canvas.Canvas, doc) -> None:
    """A running header and a page number, as published disclosures print them."""
    c.saveState()
    c.setFont(FONT, 8)
    c.drawCentredString(A4[0] / 2, A4[1] - 30, RUNNING_HEADER)
    c.drawCentredString(A4[0] / 2, 28, f"第 {doc.page} 页")
    c.restoreState()


def _nothing(c: canvas.Canvas, doc) -> None:
    pass


def text_pdf(
    path: Path, pages: Sequence[Sequence[str]], font: str = FONT, **canvas_options
) -> Path:
    """Plain lines of text, one list per page (canvas_options: e.g. encrypt=…)."""
    c = canvas.Canvas(str(path), pagesize=A4, **canvas_options)
    for lines in pages:
        c.setFont(font, 11)
        for i, line in enumerate(lines):
            c.drawString(56, A4[1] - 72 - 16 * i, line)
        c.showPage()
    c.save()
    return path


def scan_pdf(path: Path, pages: int = 2) -> Path:
    """Pages that are only a picture of text, as a scanner produces: no text layer at all."""
    from PIL import Image, ImageDraw  # reportlab needs Pillow for raster images anyway

    image = Image.new("L", (600, 800), 255)
    draw = ImageDraw.Draw(image)
    for y in range(60, 760, 24):
        draw.rectangle((40, y, 560, y + 10), fill=0)  # lines of "text", as a scan shows them
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        buffer.seek(0)
        from reportlab.lib.utils import ImageReader

        c.drawImage(ImageReader(buffer), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return path


# --- sample records -----------------------------------------------------------------------------
def sample_project(name: str = "院士工作站建设", extra_kpis: int = 0) -> ProjectSpec:
    """A project shaped like the seeds' (院士工作站建设, 山西省科学技术协会); `extra_kpis` more
    数量指标 rows make the table run over two pages."""
    count = tuple(
        KpiRow(
            "产出指标",
            "数量指标",
            (f"补助{2020 + i}年新建院士工作站", f"{i + 3}个"),
            (f"补助{2020 + i}年新建院士工作站（年度）", f"{i + 2}个"),
        )
        for i in range(extra_kpis)
    )
    kpis = (
        (
            KpiRow(
                "产出指标", "数量指标", ("评选优秀院士工作站", "3个"), ("评选优秀院士工作站", "3个")
            ),
            KpiRow(
                "产出指标",
                "数量指标",
                ("补助2024年院士工作站", "4个"),
                ("补助2024年院士工作站", "4个"),
            ),
        )
        + count
        + (
            KpiRow("产出指标", "质量指标", ("资金拨付完成率", "100%"), ("资金拨付完成率", "100%")),
            KpiRow(
                "产出指标",
                "时效指标",
                ("项目完成时间", "12月31日前"),
                ("项目完成时间", "12月31日前"),
            ),
            KpiRow(
                "产出指标",
                "成本指标",
                ("优秀院士工作站补助经费", "50万元/站"),
                ("新建院士工作站前两年补助经费", "35万元/站"),
            ),
            KpiRow(
                "效益指标",
                "社会效益",
                ("促进企事业单位的自主创新能力", "有所促进"),
                ("促进企事业单位的自主创新能力", "有所促进"),
            ),
            KpiRow(
                "效益指标",
                "可持续影响",
                ("促进科技成果产业化", "有所促进"),
                ("促进科技成果产业化", "有所促进"),
            ),
            KpiRow(
                "满意度指标",
                "服务对象满意度",
                ("新建院士工作站满意度", "≥85%"),
                ("优秀院士工作站满意度", "≥90%"),
            ),
        )
    )
    return ProjectSpec(
        name=name,
        supervising_code="322",
        supervising_dept="山西省科学技术协会",
        implementing_unit="山西省科学技术协会",
        legal_basis=(
            "1.《山西省人民政府办公厅关于印发山西省深化人才发展体制机制改革财政支持政策的通知》"
            "（晋政办发〔2017〕59号）提到：鼓励建设各类科研技术工作站（室），对院士工作站给予100万建站补助，"
            "分3年补助到位。2.《山西省院士工作站管理办法（试行）》（晋科协发〔2019〕12号）。"
        ),
        citations=(
            (
                "山西省人民政府办公厅关于印发山西省深化人才发展体制机制改革财政支持政策的通知",
                "晋政办发〔2017〕59号",
            ),
            ("山西省院士工作站管理办法（试行）", "晋科协发〔2019〕12号"),
        ),
        kpis=kpis,
        period_funds={
            "total": 5150000,
            "central": 0,
            "provincial": 5150000,
            "city_county": 0,
            "self_raised": 0,
        },
        annual_funds={
            "total": 1850000,
            "central": 0,
            "provincial": 1850000,
            "city_county": 0,
            "self_raised": 0,
        },
    )


# --- a long budget table whose header rows repeat on every page ----------------------------------
BUDGET_TITLE = "2026年项目支出预算表（本年预算）"
BUDGET_HEADER = (
    ("项目名称", "合计", "2026年财政拨款", "", "", "单位资金"),
    ("", "", "一般公共预算", "政府性基金预算", "国有资本经营预算", ""),
    ("1", "2", "3", "4", "5", "6"),
)


def budget_lines(count: int) -> list[tuple[str, float]]:
    """(project name, amount in 万元) of a 项目支出预算表 long enough to run over pages."""
    return [(f"科普活动工作专项{i:02d}", round(10 + i * 1.25, 2)) for i in range(1, count + 1)]


def budget_grid(unit: str, lines: Sequence[tuple[str, float]]) -> list[list[str]]:
    """The header rows, the unit's subtotal row and one row per project."""
    total = sum(amount for _, amount in lines)
    rows = [list(h) for h in BUDGET_HEADER]
    rows.append([unit, f"{total:.2f}", f"{total:.2f}", "", "", ""])
    rows += [[name, f"{amount:.2f}", f"{amount:.2f}", "", "", ""] for name, amount in lines]
    return rows


def budget_tsv(unit: str, lines: Sequence[tuple[str, float]]) -> str:
    head = [BUDGET_TITLE, f"部门名称：{unit}", "单位：万元"]
    return "\n".join(head + ["\t".join(r) for r in budget_grid(unit, lines)]) + "\n"


def budget_pdf(path: Path, unit: str, lines: Sequence[tuple[str, float]]) -> Path:
    """The table with its three header rows printed again at the top of every page it runs onto."""
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=40, rightMargin=40, topMargin=56, bottomMargin=56
    )
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("SPAN", (2, 0), (4, 0)),
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (1, 1)),
        ("SPAN", (5, 0), (5, 1)),
    ]
    cells = [
        [Paragraph(text, CELL) if text else "" for text in row] for row in budget_grid(unit, lines)
    ]
    table = Table(cells, colWidths=(175, 60, 70, 70, 70, 70), repeatRows=3, style=TableStyle(style))
    story = [
        Paragraph(BUDGET_TITLE, HEAD),
        Paragraph(f"部门名称：{unit}", TEXT),
        Paragraph("单位：万元", TEXT),
        table,
    ]
    doc.build(story, onFirstPage=_furniture, onLaterPages=_furniture)
    return path
