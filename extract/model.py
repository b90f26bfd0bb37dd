"""Typed records that move through the extraction pipeline.

read → layout (Document of Rows) → segment (Sections) → tables / citations / KPIs → Record.
Every record keeps the 1-based line span of the original file it came from, so that each
fact in the graph can be traced back to its place in the disclosure.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from decimal import Decimal

_new_object = object.__new__
_FACTORY = object()  # stands for a field's default_factory in a fast __init__'s signature


def record(cls: type) -> type:
    """A frozen dataclass whose __init__ fills the instance dict directly.

    The __init__ dataclass writes for a frozen class sets each field through
    object.__setattr__, several times the cost: the records built by the thousand per document
    (rows, indicators, their values, citations, table rows) were ~6 % of the extraction's
    instructions. The fields, order and defaults are the dataclass's, so equality, hashing,
    repr and replace() are unchanged; `__post_init__`, when defined, runs as usual."""
    cls = dataclass(frozen=True)(cls)
    namespace: dict = {"_FACTORY": _FACTORY}
    params, values = [], []
    for f in fields(cls):
        if f.default is not MISSING:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        elif f.default_factory is not MISSING:
            namespace[f"_factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_FACTORY")
        else:
            params.append(f.name)
        made = f"_factory_{f.name}() if {f.name} is _FACTORY else {f.name}"
        values.append(f"{f.name}={made if f.default_factory is not MISSING else f.name}")
    post = "\n    self.__post_init__()" if hasattr(cls, "__post_init__") else ""
    exec(
        f"def __init__(self, {', '.join(params)}):\n    self.__dict__.update({', '.join(values)}){post}",
        namespace,
    )
    namespace["__init__"].__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = namespace["__init__"]
    return cls


class cached_property:  # noqa: N801 - a drop-in for functools.cached_property
    """functools.cached_property without its per-access lock (Python < 3.12 takes an RLock on
    every first access, a tenth of the extraction time); rows are never shared across threads."""

    def __init__(self, func):
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


@record
class Row:
    """One line of the normalized document: a table row, a heading or a paragraph.

    `cells` are stripped of markup and surrounding white space; in layouts that mark cell
    boundaries (tabs, pipes, <td>) empty cells are kept so positions survive. `text` is the
    row's visible text with cells joined by a single space.
    """

    line: int
    end_line: int
    cells: tuple[str, ...]
    text: str
    heading: int = 0  # markdown/HTML heading level, 0 when not a heading
    indent: int = 0  # pdftotext: spaces before the line's first cell (-layout keeps the columns)
    starts: tuple[int, ...] = ()  # pdftotext: the text column where each cell starts

    def __post_init__(self) -> None:
        # Every row is asked for `filled` (finding tables reads each row's first cell): set it
        # here, which the cached property below then never has to compute.
        self.__dict__["filled"] = tuple(filter(None, self.cells))

    @classmethod
    def of_cells(
        cls, line: int, end_line: int, cells: tuple[str, ...], heading: int = 0, indent: int = 0,
        starts: tuple[int, ...] = (),
    ) -> Row | None:
        """The row of `cells`, its text their non-empty ones joined by a space; None when all
        are empty. The layout reader builds every row through here: the non-empty cells are
        picked once, for both `text` and `filled`, and no __init__ frame is entered."""
        filled = tuple(filter(None, cells))
        if not filled:
            return None
        row = _new_object(cls)
        row.__dict__.update(
            line=line,
            end_line=end_line,
            cells=cells,
            text=" ".join(filled),
            heading=heading,
            indent=indent,
            filled=filled,
        )
        if starts:  # pdftotext only: other rows keep the class default, one dict entry fewer
            row.__dict__["starts"] = starts
        return row

    @cached_property
    def filled(self) -> tuple[str, ...]:
        """The non-empty cells, in order (set by __post_init__; kept here for its type and doc)."""
        return tuple(filter(None, self.cells))

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """Each cell without white space: the form label matching uses, computed once per row."""
        return tuple(
            ["".join(c.split()) for c in self.cells]
        )  # a list builds faster than a generator

    @cached_property
    def key(self) -> str:
        """The row's text without white space: the cells' keys joined, read off `text` in one
        step (most rows never need their cells one by one)."""
        return "".join(self.text.split())


@dataclass(frozen=True)
class Document:
    """A disclosure read from one file, whatever converter produced it."""

    source: str  # base name of the input file
    path: str
    encoding: str
    family: str  # tsv | html | markdown | pdftotext | cell-per-line | text
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Issue:
    """Something the extractor could not read, with the line where it happened."""

    line: int | None
    message: str


@dataclass(frozen=True)
class Section:
    """A part of the disclosure (概况, 预算报表, 情况说明, 绩效, 名词解释 …) with its span."""

    kind: str
    title: str
    line: int
    end_line: int


@record
class KpiValue:
    """A parsed 指标值; `raw` is always the string as printed."""

    raw: str
    kind: str  # numeric | deadline | qualitative | empty | unparsed
    comparator: str | None = None  # ≥ ≤ = > < (words such as 不低于 folded to these)
    number: Decimal | None = None
    upper: Decimal | None = None  # for ranges such as 6-20项
    unit: str | None = None  # 项, %, 万元/个 …, the scale prefix removed from money units
    scale: int | None = None  # 10**4 for 万, 10**8 for 亿, 1 otherwise when a number is given
    deadline: str | None = (
        None  # normalized date text for deadline values, e.g. "12-31" or "2023-06"
    )
    flagged: bool = False  # True when the value could not be understood


@record
class Kpi:
    level1: str | None
    level2: str | None
    level3: str | None
    value: str
    line: int
    parsed: KpiValue | None = None


@record
class Citation:
    """One document cited in a text field, e.g. 《title》（晋政办发〔2021〕42号）."""

    title: str | None
    doc_number: str | None  # normalized to GB/T 9704 form 机关代字〔年份〕序号号
    raw: str
    line: int
    end_line: int
    relation: str = "legal_basis"  # legal_basis | implementing_rule | mentioned
    truncated: bool = False  # cut off by the page: no closing 》, bracket or 号


@dataclass(frozen=True)
class Funds:
    """项目资金 in 元 (a table printed in 万元 is converted); None where the document gives no
    figure."""

    total: int | float | None = None
    central: int | float | None = None
    provincial: int | float | None = None
    city_county: int | float | None = None
    self_raised: int | float | None = None
    other: int | float | None = None


@dataclass(frozen=True)
class PerformanceProject:
    """One 项目支出绩效目标表."""

    name: str | None
    line: int
    end_line: int
    supervising_dept: str | None = None
    supervising_code: str | None = None
    implementing_unit: str | None = None
    attribute: str | None = None
    period: str | None = None
    period_funds: Funds = field(default_factory=Funds)
    annual_funds: Funds = field(default_factory=Funds)
    legal_bases: tuple[Citation, ...] = ()
    period_kpis: tuple[Kpi, ...] = ()
    annual_kpis: tuple[Kpi, ...] = ()
    texts: dict[str, str] = field(default_factory=dict)  # 项目概况, 立项依据, … as printed
    text_lines: dict[str, tuple[int, int]] = field(default_factory=dict)
    # Documents cited in the other text fields (relation implementing_rule or mentioned).
    other_citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class Department:
    name: str | None = None
    code: str | None = None
    year: int | None = None
    level: str | None = None  # province | city | district


@dataclass(frozen=True)
class FunctionRow:
    """A coded row of 预算支出总表 (功能分类), amounts in 万元."""

    code: str
    name: str
    total: float | None
    basic: float | None
    project: float | None
    line: int


@dataclass(frozen=True)
class BudgetLine:
    """A row of 项目支出预算表 (万元); table is current or carryover."""

    name: str
    amount: float | None
    table: str
    line: int
    unit: str | None = None  # the 单位名称 column where the table gives one


@dataclass(frozen=True)
class Record:
    """All that one disclosure yields."""

    source: str
    department: Department = field(default_factory=Department)
    totals: dict[str, float | None] = field(default_factory=dict)
    expenditure_by_function: tuple[FunctionRow, ...] = ()
    project_budget_lines: tuple[BudgetLine, ...] = ()
    department_kpis: tuple[Kpi, ...] = ()
    performance_projects: tuple[PerformanceProject, ...] = ()
    sections: tuple[Section, ...] = ()
    issues: tuple[Issue, ...] = ()
    family: str | None = None
    encoding: str | None = None
    budget_tables: tuple[BudgetTable, ...] = ()  # every 部门预算报表 as printed
    stated_figures: tuple[StatedFigure, ...] = ()  # figures the 情况说明 states in words


@record
class TableRow:
    """One row of a budget table as printed: its code and name and its amounts (万元) by column.

    `parent` is the code (or, in a table without codes, the name) of the row this one adds up
    into: 206 for 20601, 301 for 30101, 本年收入合计 for 一般公共预算 — the audit checks that a
    row's children add up to it. `unplaced` keeps amounts whose column the converter lost
    (pdftotext keeps no empty cells), so they count in a row's sum without a guessed column.
    """

    name: str
    line: int
    end_line: int
    code: str | None = None
    parent: str | None = None
    amounts: dict[str, float | None] = field(default_factory=dict)
    unplaced: tuple[float, ...] = ()
    role: str = "item"  # item | total (合计 and the like) | unit (a 项目支出 unit subtotal)
    side: str | None = None  # income | expenditure, in the two-sided 收支总表
    detail: str | None = None  # 政府预算支出经济科目名称; the 单位名称 of a project row


@dataclass(frozen=True)
class BudgetTable:
    """One 部门预算报表 (收支总表, 支出总表, 三公经费表 …) with its title, span and rows."""

    kind: str  # summary | income | expenditure | fiscal_summary | general_expenditure | …
    title: str
    line: int
    end_line: int
    columns: tuple[str, ...] = ()  # amount column keys in printed order (total, basic, …)
    rows: tuple[TableRow, ...] = ()
    no_data: bool = False  # the table says 本表无数据 (or prints no amount at all)


@dataclass(frozen=True)
class StatedFigure:
    """A figure the 情况说明 states in words, e.g. 基本支出30,399.57万元 on line 547."""

    key: str  # what it states, in the terms of the tables: expenditure_basic, performance_count …
    label: str  # the words before it, as printed (基本支出)
    value: float
    unit: str  # 万元 | 个
    line: int
    section: str = ""  # the sub-heading it stands under (三、支出预算情况说明)
