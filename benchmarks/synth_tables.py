"""The parts of a synthetic disclosure as layout-free blocks: headings, paragraphs, tables.

A table is a tuple of rows of cells, as a tab-separated export prints them (empty cells kept);
the layouts in synth_render.py turn blocks into text. The 项目支出绩效目标表 is left as its
`Project` so that each layout can print it the way its converter does.
"""

from __future__ import annotations

from dataclasses import dataclass

from synth_content import Budget, Content, Department, Funds, Project
from synth_words import AGENCIES, CN_NUMERALS, FUNCTION_NAMES, SUMMARY_CLASSES

PART_TITLES = ("第一部分 概况", "第二部分 {y}年部门预算报表", "第三部分 {y}年度部门预算情况说明")


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1 cover/part, 2 section or table title, 3 subsection


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]
    header: int = 1  # rows printed bold (doubled by the PDF layer)
    totals: tuple[int, ...] = ()  # indices of 合计 rows, bold too


@dataclass(frozen=True)
class PerfTable:
    project: Project
    dept: Department
    title: str


Block = Heading | Para | Table | PerfTable


def money(cents: int, commas: bool) -> str:
    """万元 from hundredths, as tables print them; blank for zero."""
    if not cents:
        return ""
    whole = f"{cents // 100:,}" if commas else str(cents // 100)
    return f"{whole}.{cents % 100:02d}"


def yuan(value: int) -> str:
    return f"{value:,}"


# --- function rows -------------------------------------------------------------------------
def function_rows(budget: Budget, carryover: bool) -> list[tuple[str, int, int]]:
    """(code, basic, project) for every class, subclass and item, in code order."""
    sums: dict[str, list[int]] = {}
    for code, (basic, current, carried) in budget.items.items():
        project = current + (carried if carryover else 0)
        for prefix in (code[:3], code[:5], code):
            row = sums.setdefault(prefix, [0, 0])
            row[0] += basic
            row[1] += project
    return [(c, b, p) for c, (b, p) in sorted(sums.items()) if b or p]


def function_totals(budget: Budget, carryover: bool) -> tuple[int, int]:
    rows = [r for r in function_rows(budget, carryover) if len(r[0]) == 3]
    return sum(r[1] for r in rows), sum(r[2] for r in rows)


def carried(budget: Budget) -> int:
    return sum(a for _, _, a in budget.carryover_lines)


# --- the budget tables ---------------------------------------------------------------------
def table_blocks(c: Content, commas: bool) -> list[Block]:
    y, m = c.dept.year, (lambda v: money(v, commas))
    out: list[Block] = []
    for n, (title, table) in enumerate(
        (
            (f"{y}年预算收支总表", summary_table(c, m)),
            (f"{y}年预算收入总表", income_table(c, m)),
            (f"{y}年预算支出总表", expenditure_table(c.budget, m, True)),
            (f"{y}年一般公共预算支出预算表（不含上年结转）", expenditure_table(c.budget, m, False)),
            (f"{y}年财政拨款安排“三公”经费支出预算表", three_public_table(c.budget, m)),
            (f"{y}年财政拨款安排机关运行经费预算表", office_table(c, m)),
            (f"{y}年项目支出预算表（本年预算）", project_table(c, m, current=True)),
            (f"{y}年项目支出预算表（上年结转）", project_table(c, m, current=False)),
        ),
        1,
    ):
        out += [
            Para(f"预算公开表{n}"),
            Heading(title, 2),
            Para(f"部门名称：{c.dept.name}"),
            Para("单位：万元"),
            table,
        ]
        if not any(
            any(ch.isdigit() for ch in cell) for row in table.rows[table.header :] for cell in row
        ):
            out.append(Para("注：本表无数据"))
    return out


def summary_table(c: Content, m) -> Table:
    b = c.budget
    basic, project = function_totals(b, True)
    total, carry = basic + project, carried(b)
    classes = {code: (bb + pp) for code, bb, pp in function_rows(b, True) if len(code) == 3}
    current = {code: (bb + pp) for code, bb, pp in function_rows(b, False) if len(code) == 3}
    income = (
        "一、一般公共预算",
        "二、政府性基金预算",
        "三、国有资本经营预算",
        "四、财政专户管理资金",
        "五、单位资金",
    )
    rows = [
        ("收入", "", "支出", "", "", ""),
        (
            "项目",
            f"{c.dept.year}年",
            "项目",
            f"{c.dept.year}年合计",
            "当年预算安排",
            "上年结转安排",
        ),
    ]
    for i, (code, name) in enumerate(SUMMARY_CLASSES):
        left = (income[i], m(total - carry) if i == 0 else "") if i < len(income) else ("", "")
        t, cur = classes.get(code, 0), current.get(code, 0)
        rows.append(left + (f"{CN_NUMERALS[i]}、{name}", m(t), m(cur), m(t - cur)))
    rows += [
        ("本年收入合计", m(total - carry), "本年支出合计", m(total), m(total - carry), m(carry)),
        ("上年结转", m(carry), "年终结转", "", "", ""),
        ("收入总计", m(total), "支出总计", m(total), m(total - carry), m(carry)),
    ]
    return Table(tuple(rows), header=2, totals=(len(rows) - 3, len(rows) - 1))


def income_table(c: Content, m) -> Table:
    rows = [
        ("项目", "", "本年收入", "", "上年结转"),
        ("科目编码", "科目名称", "合计", "一般公共预算", ""),
    ]
    now = {code: bb + pp for code, bb, pp in function_rows(c.budget, False)}
    both = {code: bb + pp for code, bb, pp in function_rows(c.budget, True)}
    rows.append(
        (
            "合计",
            "",
            m(sum(v for k, v in now.items() if len(k) == 3)),
            m(sum(v for k, v in now.items() if len(k) == 3)),
            m(carried(c.budget)),
        )
    )
    for code, amount in both.items():
        rows.append(
            (
                code,
                FUNCTION_NAMES[code],
                m(now.get(code, 0)),
                m(now.get(code, 0)),
                m(amount - now.get(code, 0)),
            )
        )
    return Table(tuple(rows), header=2, totals=(2,))


def expenditure_table(b: Budget, m, carryover: bool) -> Table:
    basic, project = function_totals(b, carryover)
    rows = [
        ("项目", "", "预算数", "", ""),
        ("科目编码", "科目名称", "合计", "基本支出", "项目支出"),
        ("合计", "", m(basic + project), m(basic), m(project)),
    ]
    rows += [
        (code, FUNCTION_NAMES[code], m(bb + pp), m(bb), m(pp))
        for code, bb, pp in function_rows(b, carryover)
    ]
    return Table(tuple(rows), header=2, totals=(2,))


def three_public_table(b: Budget, m) -> Table:
    vehicle = b.vehicle_purchase + b.vehicle_operation
    total = b.overseas + b.reception + vehicle
    rows = [("项目", "预算数", ""), ("", "合计", "一般公共预算")]
    for name, v in (
        ("因公出国（境）费", b.overseas),
        ("公务接待费", b.reception),
        ("公务用车购置及运行费", vehicle),
        ("①公务用车购置费", b.vehicle_purchase),
        ("②公务用车运行维护费", b.vehicle_operation),
        ("合计", total),
    ):
        rows.append((name, m(v), m(v)))
    return Table(tuple(rows), header=2, totals=(len(rows) - 1,))


def office_table(c: Content, m) -> Table:
    total = sum(c.budget.office.values())
    rows = [
        ("单位名称", "预算数", ""),
        ("", "合计", "一般公共预算"),
        ("部门合计", m(total), m(total)),
    ]
    rows += [(u, m(v), m(v)) for u, v in c.budget.office.items()]
    return Table(tuple(rows), header=2, totals=(2,))


def project_lines(c: Content, current: bool) -> list[tuple[str, str, int]]:
    """(unit, project name, 万元 hundredths) in the table's order: grouped by unit."""
    if current:
        lines = [(p.unit, p.name, p.annual_funds.total // 100) for p in c.projects]
    else:
        lines = list(c.budget.carryover_lines)
    return [line for unit in c.dept.units for line in lines if line[0] == unit]


def project_table(c: Content, m, current: bool) -> Table:
    lines = project_lines(c, current)
    rows = [
        ("项目名称", "合计", "财政拨款", "", ""),
        ("", "", "一般公共预算", "政府性基金预算", "国有资本经营预算"),
        ("1", "2", "3", "4", "5"),
    ]
    if lines:
        total = sum(a for _, _, a in lines)
        rows.append((c.dept.name, m(total), m(total), "", ""))
    for unit in c.dept.units:
        mine = [line for line in lines if line[0] == unit]
        if mine:
            subtotal = sum(a for _, _, a in mine)
            rows.append((unit, m(subtotal), m(subtotal), "", ""))
            rows += [(name, m(a), m(a), "", "") for _, name, a in mine]
    return Table(tuple(rows), header=3)


# --- text parts ----------------------------------------------------------------------------
def cover(c: Content) -> list[Block]:
    y = c.dept.year
    toc = [
        Heading("目 录", 1),
        Para(PART_TITLES[0]),
        Para("一、本部门职责"),
        Para("二、机构设置情况"),
        Para(PART_TITLES[1].format(y=y)),
        Para(PART_TITLES[2].format(y=y)),
    ]
    return [Heading(c.dept.name, 1), Heading(f"{y}年度部门预算公开", 1), *toc]


def overview(c: Content) -> list[Block]:
    out: list[Block] = [Heading(PART_TITLES[0], 1), Heading("一、本部门职责", 2)]
    out += [Para(f"（{CN_NUMERALS[i]}）{d}") for i, d in enumerate(c.duties)]
    out.append(Heading("二、机构设置情况", 2))
    out.append(
        Para(
            f"{c.dept.name}内设{'、'.join(c.offices)}等{len(c.offices)}个处室，下属单位{len(c.dept.units) - 1}个。"
        )
    )
    return out


def explanation(c: Content, commas: bool) -> list[Block]:
    """第三部分 情况说明: the figures in words, the 政府采购 sentence, then the 绩效 tables."""
    y, name, b = c.dept.year, c.dept.name, c.budget
    basic, project = function_totals(b, True)
    total, carry = basic + project, carried(b)
    m = lambda v: money(v, commas) or "0.00"
    out: list[Block] = [
        Heading(PART_TITLES[2].format(y=y), 1),
        Heading("一、部门预算收支数据变动情况及原因", 2),
        Para(
            f"{y}年度{name}预算收入总计{m(total)}万元，其中：本年收入{m(total - carry)}万元，上年结转{m(carry)}万元。"
        ),
        Heading("二、支出预算情况说明", 2),
        Para(
            f"{y}年度{name}支出预算{m(total)}万元，其中：基本支出{m(basic)}万元；项目支出{m(project)}万元。"
        ),
        Heading("三、政府采购情况", 2),
        Para(f"{y}年度{name}政府采购预算总额{m(b.procurement)}万元。"),
        Heading("四、绩效管理情况", 2),
        Para(
            f"{y}年{name}实行绩效目标管理的项目{len(c.projects)}个。（项目绩效目标表公开情况见附件）"
        ),
    ]
    title = _perf_title(c.dept)
    out += [PerfTable(p, c.dept, title) for p in c.projects]
    return out


def _perf_title(dept: Department) -> str:
    level = {"province": "省级", "city": "市本级", "district": "县(区)级"}[dept.level]
    place = dept.province if dept.level == "province" else dept.place
    return f"{place}{level}预算部门（单位）项目支出绩效目标表"


def blocks(c: Content, commas: bool) -> list[Block]:
    """The whole disclosure, in the order the real ones print it."""
    y = c.dept.year
    return [
        *cover(c),
        *overview(c),
        Heading(PART_TITLES[1].format(y=y), 1),
        *table_blocks(c, commas),
        *explanation(c, commas),
    ]


def source_rows(funds: Funds, province_word: str) -> tuple[tuple[str, int | None], ...]:
    """(label, 元) of the 项目资金 block, in print order; 其他资金 is printed blank."""
    return (
        ("其中：中央财政资金", funds.central),
        ("省级财政资金", funds.provincial),
        (f"{province_word}财政资金", funds.city_county),
        ("单位自筹", funds.self_raised),
        ("其他资金", None),
    )


def agency_class(dept: Department) -> str:
    return AGENCIES[dept.agency][2]
