"""Each kind of budget table read into a typed BudgetTable, in every layout family.

Every fixture is written tab-separated and re-laid out by tests/relayout.py into markdown pipes,
HTML tables, one cell per line and pdftotext (with and without empty cells), then read through
the layout reader as a real file would be. What a layout keeps must come out the same: names,
codes, the row each row adds up into, and every amount the layout can place; where a layout
drops empty cells an amount may be left unplaced, but never put in the wrong column.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from budgetkg.extract.layout import parse_layout, read_document
from budgetkg.extract.model import BudgetTable
from budgetkg.extract.pipeline import extract_document
from budgetkg.extract.tables import extract_budget_tables
from budgetkg.extract.tables.find import KINDS
from relayout import to_cell_per_line, to_html_tables, to_markdown_pipes, to_pdftotext

LAYOUTS = {
    "tsv": lambda t: t,
    "markdown": lambda t: to_markdown_pipes(t).text,
    "html": lambda t: to_html_tables(t).text,
    "html_one_line": lambda t: to_html_tables(t, one_line=True).text,
    "cell_per_line": lambda t: to_cell_per_line(t).text,
    "pdftotext": lambda t: to_pdftotext(t, keep_empty=False).text,
    "pdftotext_spaces": lambda t: to_pdftotext(t).text,
}
POSITIONAL = ("tsv", "markdown", "html", "html_one_line")


def tables(text: str, layout: str = "tsv") -> dict[str, BudgetTable]:
    doc = parse_layout(LAYOUTS[layout](text), "fixture.txt")
    return {t.kind: t for t in extract_budget_tables(doc.rows).tables}


def shape(table: BudgetTable) -> list[tuple]:
    """What every layout must agree on: side, code, name, parent, role and the row's total."""
    return [(r.side, r.code, r.name, r.parent, r.role, _total(r)) for r in table.rows]


def _total(row) -> float | None:
    lead = next(iter(row.amounts), None)
    return row.amounts.get(lead) if lead else None


def placed(table: BudgetTable) -> list[dict]:
    return [{k: v for k, v in r.amounts.items() if v is not None} for r in table.rows]


def no_misplaced(table: BudgetTable, reference: BudgetTable) -> None:
    """Each amount a layout placed is where the tab-separated original has it."""
    for row, ref in zip(table.rows, reference.rows):
        for key, value in row.amounts.items():
            if value is not None:
                assert ref.amounts.get(key) == value, (row.name, key)
        got = sorted(v for v in list(row.amounts.values()) + list(row.unplaced) if v is not None)
        assert got == sorted(v for v in ref.amounts.values() if v is not None), row.name


SUMMARY = """2026年预算收支总表
部门名称：某某市某某局
单位：万元
收入\t\t支出\t\t\t
项目\t2026年\t项目\t2026年合计\t当年预算安排\t上年结转安排
一、一般公共预算\t1,200.50\t一、一般公共服务支出\t\t\t
二、政府性基金预算\t\t二、科学技术支出\t1,300.50\t1,200.50\t100.00
本年收入合计\t1,200.50\t本年支出合计\t1,300.50\t1,200.50\t100.00
上年结转\t100.00\t年终结转\t\t\t
收入总计\t1,300.50\t支出总计\t1,300.50\t1,200.50\t100.00
"""


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_summary_table_links_each_side_to_its_totals(layout):
    table = tables(SUMMARY, layout)["summary"]
    assert shape(table) == [
        ("income", None, "一般公共预算", "本年收入合计", "item", 1200.5),
        ("expenditure", None, "一般公共服务支出", "本年支出合计", "item", None),
        ("income", None, "政府性基金预算", "本年收入合计", "item", None),
        ("expenditure", None, "科学技术支出", "本年支出合计", "item", 1300.5),
        ("income", None, "本年收入合计", "收入总计", "total", 1200.5),
        ("expenditure", None, "本年支出合计", "支出总计", "total", 1300.5),
        ("income", None, "上年结转", "收入总计", "item", 100.0),
        ("expenditure", None, "年终结转", "支出总计", "item", None),
        ("income", None, "收入总计", None, "total", 1300.5),
        ("expenditure", None, "支出总计", None, "total", 1300.5),
    ]
    assert placed(table)[3] == {"total": 1300.5, "current": 1200.5, "carryover": 100.0}


FISCAL = """2026年财政拨款收支总表
单位：万元
收入\t\t支出\t\t\t\t
项目\t金额\t项目\t金额\t\t\t
\t\t\t小计\t一般公共预算\t政府性基金预算\t国有资本经营预算
一、一般公共预算\t90.00\t一、科学技术支出\t100.00\t100.00\t\t
本年收入合计\t90.00\t本年支出合计\t100.00\t100.00\t\t
上年财政拨款结转\t10.00\t年终结转\t\t\t\t
一、一般公共预算\t10.00\t\t\t\t\t
收入总计\t100.00\t支出总计\t100.00\t100.00\t\t
"""


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_fiscal_summary_carryover_by_source_adds_up_into_its_own_row(layout):
    rows = tables(FISCAL, layout)["fiscal_summary"].rows
    income = [(r.name, r.parent, _total(r)) for r in rows if r.side == "income"]
    assert income == [
        ("一般公共预算", "本年收入合计", 90.0),
        ("本年收入合计", "收入总计", 90.0),
        ("上年财政拨款结转", "收入总计", 10.0),
        ("一般公共预算", "上年财政拨款结转", 10.0),
        ("收入总计", None, 100.0),
    ]
    science = next(r for r in rows if r.name == "科学技术支出")
    assert science.amounts["total"] == 100.0


INCOME = """2026年预算收入总表
单位：万元
项目\t\t本年收入\t\t\t上年结转
科目编码\t科目名称\t合计\t一般公共预算\t单位资金\t
合计\t\t300.00\t250.00\t50.00\t25.50
206\t科学技术支出\t300.00\t250.00\t50.00\t25.50
20601\t科学技术管理事务\t300.00\t250.00\t50.00\t25.50
2060101\t行政运行\t200.00\t150.00\t50.00\t
2060102\t一般行政管理事务\t\t\t\t25.50
2060199\t其他科学技术管理事务支出\t100.00\t100.00\t\t
"""


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_income_table_by_code_and_source(layout):
    table = tables(INCOME, layout)["income"]
    parents = [(r.code, r.parent, r.role) for r in table.rows]
    assert parents == [
        (None, None, "total"), ("206", "合计", "item"), ("20601", "206", "item"),
        ("2060101", "20601", "item"), ("2060102", "20601", "item"), ("2060199", "20601", "item"),
    ]  # fmt: skip
    reference = tables(INCOME)["income"]
    no_misplaced(table, reference)
    if layout in POSITIONAL:
        assert placed(table) == placed(reference)
    assert placed(reference)[0] == {
        "total": 300.0,
        "general": 250.0,
        "own": 50.0,
        "carryover": 25.5,
    }
    # a row printing only 上年结转 keeps it out of 合计, whatever the layout
    assert table.rows[4].amounts["total"] is None


SPENDING = """2026年预算支出总表
部门名称：晋城市某某局
单位：万元
项目\t\t2026年预算数\t\t
科目编码\t科目名称\t合计\t基本支出\t项目支出
合计\t\t130.00\t100.00\t30.00
206\t科学技术支出\t110.00\t80.00\t30.00
20601\t科学技术管理事务\t110.00\t80.00\t30.00
2060101\t行政运行\t80.00\t80.00\t
第 9 页
项目\t\t2026年预算数\t\t
科目编码\t科目名称\t合计\t基本支出\t项目支出
2060199\t其他科学技术管理事务支出\t30.00\t\t30.00
221\t住房保障支出\t20.00\t20.00\t
2210201\t住房公积金\t20.00\t20.00\t
"""


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_function_codes_form_a_hierarchy_across_a_page_break(layout):
    table = tables(SPENDING, layout)["expenditure"]
    assert [(r.code, r.parent) for r in table.rows] == [
        (None, None), ("206", "合计"), ("20601", "206"), ("2060101", "20601"),
        ("2060199", "20601"), ("221", "合计"), ("2210201", "221"),  # 22102 not printed
    ]  # fmt: skip
    assert table.rows[4].amounts == {"total": 30.0, "basic": None, "project": 30.0}


def test_general_and_fund_expenditure_tables_read_like_the_spending_table():
    text = SPENDING.replace("2026年预算支出总表", "2026年一般公共预算支出预算表（不含上年结转）")
    table = tables(text)["general_expenditure"]
    assert [r.code for r in table.rows][1:3] == ["206", "20601"]
    assert table.rows[0].amounts == {"total": 130.0, "basic": 100.0, "project": 30.0}


NO_DATA = """2026年政府性基金预算收入表（不含上年结转）
单位：万元
项目\t\t政府性基金收入预算
收入科目编码\t科目名称\t
合计\t\t
注：本表无数据
2026年政府性基金预算支出表（不含上年结转）
单位：万元
科目编码\t科目名称\t合计\t基本支出\t项目支出
合计\t\t\t\t
注：本表无数据
2026年国有资本经营预算收支预算表（不含上年结转）
单位：万元
国有资本经营预算收入\t\t国有资本经营预算支出\t\t\t\t\t
项目\t\t国有资本经营收入预算\t科目编码\t科目名称\t合计\t基本支出\t项目支出
收入科目编码\t科目名称\t\t\t\t\t\t
合计\t\t\t\t\t\t\t
注：本表无数据
"""


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_tables_with_no_data_are_found_and_say_so(layout):
    found = tables(NO_DATA, layout)
    for kind in ("fund_income", "fund_expenditure", "capital"):
        assert found[kind].no_data, kind
        assert all(v is None for r in found[kind].rows for v in r.amounts.values()), kind


CAPITAL = """2026年国有资本经营预算收支预算表
单位：万元
国有资本经营预算收入\t\t\t国有资本经营预算支出\t\t\t\t
项目\t\t国有资本经营收入预算\t科目编码\t科目名称\t合计\t基本支出\t项目支出
收入科目编码\t科目名称\t\t\t\t\t\t
合计\t\t5.00\t\t\t5.00\t\t5.00
103\t非税收入\t5.00\t206\t科学技术支出\t5.00\t\t5.00
"""


@pytest.mark.parametrize("layout", POSITIONAL)
def test_capital_table_reads_income_codes_left_and_spending_codes_right(layout):
    rows = tables(CAPITAL, layout)["capital"].rows
    got = [
        (r.side, r.code, r.name, {k: v for k, v in r.amounts.items() if v is not None})
        for r in rows
    ]
    assert got == [
        ("income", None, "合计", {"amount": 5.0}),
        ("income", "103", "非税收入", {"amount": 5.0}),
        ("expenditure", None, "合计", {"total": 5.0, "project": 5.0}),
        ("expenditure", "206", "科学技术支出", {"total": 5.0, "project": 5.0}),
    ]


ECONOMIC = """2026年一般公共预算基本支出经济科目表
单位：万元
部门预算支出经济科目名称\t政府预算支出经济科目名称\t2026年预算数\t\t
\t\t合计\t人员经费\t公用经费
合计\t\t120.00\t100.00\t20.00
工资福利支出\t\t100.00\t100.00\t
基本工资\t工资奖金津补贴\t60.00\t60.00\t
住房公积金\t住房公积金\t40.00\t40.00\t
商品和服务支出\t\t20.00\t\t20.00
办公费\t办公经费\t20.00\t\t20.00
"""


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_economic_rows_get_their_codes_and_class(layout):
    table = tables(ECONOMIC, layout)["basic_economic"]
    assert [(r.code, r.name, r.parent, r.detail) for r in table.rows] == [
        (None, "合计", None, None),
        ("301", "工资福利支出", "合计", None),
        ("30101", "基本工资", "301", "工资奖金津补贴"),
        ("30113", "住房公积金", "301", "住房公积金"),
        ("302", "商品和服务支出", "合计", None),
        ("30201", "办公费", "302", "办公经费"),
    ]
    no_misplaced(table, tables(ECONOMIC)["basic_economic"])


def test_economic_codes_printed_in_the_table_are_used():
    text = """2026年一般公共预算基本支出经济科目表
科目编码\t科目名称\t合计\t人员经费\t公用经费
合计\t\t10.00\t\t10.00
302\t商品和服务支出\t10.00\t\t10.00
30299\t其他商品和服务支出\t10.00\t\t10.00
"""
    rows = tables(text)["basic_economic"].rows
    assert [(r.code, r.parent, r.amounts["total"]) for r in rows] == [
        (None, None, 10.0), ("302", "合计", 10.0), ("30299", "302", 10.0),
    ]  # fmt: skip


THREE_PUBLIC = """2026年财政拨款安排“三公”经费支出预算表
单位：万元
项目\t2026年预算数\t\t\t
\t合计\t一般公共预算\t政府性基金预算\t国有资本经营预算
因公出国（境）费\t\t\t\t
公务接待费\t3.90\t3.90\t\t
公务用车购置及运行费\t16.30\t16.30\t\t
①公务用车购置费\t\t\t\t
②公务用车运行维护费\t16.30\t16.30\t\t
合计\t20.20\t20.20\t\t
2026年财政拨款安排机关运行经费预算表
单位：万元
单位名称\t2026预算数\t\t\t
\t合计\t一般公共预算\t政府性基金预算\t国有资本经营预算
部门合计\t44.06\t44.06\t\t
某某市某某局\t44.06\t44.06\t\t
"""


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_three_public_parts_add_up_into_the_vehicle_row(layout):
    found = tables(THREE_PUBLIC, layout)
    assert shape(found["three_public"]) == [
        (None, None, "因公出国(境)费", "合计", "item", None),
        (None, None, "公务接待费", "合计", "item", 3.9),
        (None, None, "公务用车购置及运行费", "合计", "item", 16.3),
        (None, None, "公务用车购置费", "公务用车购置及运行费", "item", None),
        (None, None, "公务用车运行维护费", "公务用车购置及运行费", "item", 16.3),
        (None, None, "合计", None, "total", 20.2),
    ]
    assert shape(found["office_operation"]) == [
        (None, None, "部门合计", None, "total", 44.06),
        (None, None, "某某市某某局", "部门合计", "item", 44.06),
    ]


PROJECTS = """2026年项目支出预算表（本年预算）
部门名称：山西省某某厅
单位：万元
项目名称\t合计\t2026年财政拨款\t\t\t财政专户管理 资金\t单位资金
\t\t一般公共预算\t政府性基 金预算\t国有资本经营预 算\t\t
1\t2\t3\t4\t5\t6\t7
山西省某某厅\t165.00\t165.00\t\t\t\t
山西省某某厅\t100.00\t100.00\t\t\t\t
甲项目\t60.00\t60.00\t\t\t\t
乙项目\t40.00\t40.00\t\t\t\t
山西省某某服务中心\t65.00\t\t\t\t\t65.00
丙项目\t50.00\t\t\t\t\t50.00
丁项目\t15.00\t\t\t\t\t15.00
2026年项目支出预算表（上年结转）
部门名称：山西省某某厅
单位：万元
项目名称\t合计\t2026年财政拨款\t\t
\t\t一般公共预算\t政府性基金预算\t国有资本经营预算
1\t2\t3\t4\t5
注：本表无数据
"""


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_project_tables_tell_the_department_and_its_units_from_projects(layout):
    found = tables(PROJECTS, layout)
    assert [(r.name, r.role, r.parent) for r in found["projects_current"].rows] == [
        ("山西省某某厅", "total", None),
        ("山西省某某厅", "unit", None),
        ("甲项目", "item", "山西省某某厅"),
        ("乙项目", "item", "山西省某某厅"),
        ("山西省某某服务中心", "unit", None),
        ("丙项目", "item", "山西省某某服务中心"),
        ("丁项目", "item", "山西省某某服务中心"),
    ]
    assert found["projects_carryover"].no_data and found["projects_carryover"].rows == ()


@pytest.mark.parametrize(
    "title, kind",
    [
        ("2026年预算收支总表", "summary"),
        ("2026年财政拨款收支总表", "fiscal_summary"),
        ("2026年预算收入总表", "income"),
        ("2026年预算支出总表", "expenditure"),
        ("2026年一般公共预算支出预算表(不含上年结转)", "general_expenditure"),
        ("2023年一般公共预算支出表", "general_expenditure"),
        ("2026年一般公共预算安排基本支出分经济科目表(不含上年结转)", "basic_economic"),
        ("2026年政府性基金预算收入表(不含上年结转)", "fund_income"),
        ("2026年政府性基金预算支出表(不含上年结转)", "fund_expenditure"),
        ("2023年国有资本经营预算收入预算表", "capital_income"),
        ("2023年国有资本经营预算支出预算表", "capital_expenditure"),
        ("2026年国有资本经营预算收支预算表(不含上年结转)", "capital"),
        ("2026年财政拨款安排“三公”经费支出预算表", "three_public"),
        ("2023年一般公共预算“三公”经费支出预算表", "three_public"),
        ("2023年机关运行经费预算财政拨款情况统计表", "office_operation"),
        ("2026年项目支出预算表(本年预算)", "projects_current"),
        ("2026年项目支出预算表(上年结转)", "projects_carryover"),
    ],
)
def test_each_title_names_exactly_one_kind(title, kind):
    assert [k.name for k in KINDS.values() if k.matches(title)] == [kind]


def test_a_performance_table_title_is_no_budget_table():
    assert not any(k.matches("山西省省级预算部门(单位)项目支出绩效目标表") for k in KINDS.values())


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("2026年部门收支总表", "summary"), ("部门收支总体情况表", "summary"), ("部门收支预算总表", "summary"),
        ("财政拨款收支总表", "fiscal_summary"), ("财政拨款收支总体情况表", "fiscal_summary"),
        ("部门收入总表", "income"), ("部门收入总体情况表", "income"), ("收入预算总表", "income"),
        ("预算支出总表", "expenditure"), ("部门支出总体情况表", "expenditure"), ("支出预算总表", "expenditure"),
        ("一般公共预算支出情况表", "general_expenditure"), ("一般公共预算基本支出情况表", "basic_economic"),
        ("一般公共预算“三公”经费支出表", "three_public"), ("政府性基金预算支出表", "fund_expenditure"),
        ("国有资本经营预算收支预算表", "capital"), ("项目支出预算表", "projects_current"), ("项目支出表", "projects_current"),
        ("一般公共预算项目支出预算表", "projects_current"), ("部门项目支出预算情况表", "projects_current"),
        ("项目支出预算表（上年结转）", "projects_carryover"), ("机关运行经费预算表", "office_operation"),
    ],
)
def test_each_templates_title_names_exactly_one_kind_of_table(title, kind):
    assert [k.name for k in KINDS.values() if k.matches(title)] == [kind]


def test_a_disclosure_titled_in_another_provinces_words_yields_its_totals_functions_and_projects():
    record = extract_document(read_document(Path(__file__).parent / "fixtures" / "layouts" / "other_table_titles.txt"))
    assert (record.totals["income_total"], record.totals["income_this_year"], record.totals["carryover"]) == (1500, 1300, 200)
    assert (record.totals["expenditure_basic"], record.totals["expenditure_project"]) == (1300, 200)
    assert [f.code for f in record.expenditure_by_function] == ["206", "20601", "2060101", "2060102"]
    assert [(b.name, b.amount) for b in record.project_budget_lines] == [("科技管理信息化运维", 200)]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_tables_printed_in_yuan_are_recorded_in_wan_yuan(layout):
    text = (Path(__file__).parent / "fixtures" / "layouts" / "tables_in_yuan.txt").read_text("utf-8")
    record = extract_document(parse_layout(LAYOUTS[layout](text), "tables_in_yuan.txt"))
    totals = record.totals
    assert (totals["income_total"], totals["income_this_year"], totals["carryover"]) == (1284.56789, 1234.56789, 50)
    assert (totals["expenditure_basic"], totals["expenditure_project"]) == (1034.56789, 250)
    assert (totals["three_public"], totals["official_reception"], totals["vehicle"]) == (8, 2, 6)
    assert [(f.code, f.total) for f in record.expenditure_by_function][:2] == [("210", 1284.56789), ("21004", 1284.56789)]
    assert [(b.name, b.amount) for b in record.project_budget_lines][:2] == [("重大传染病防控经费", 150), ("免疫规划专项", 50)]


def test_a_full_row_is_read_by_the_headers_positions_when_the_table_keeps_empty_cells():
    text = (
        "部门支出总表\n单位：万元\n"
        "科目编码\t科目名称\t合计\t基本支出\t\t\t项目支出\n"
        "\t\t\t小计\t人员经费\t公用经费\t\n"
        "206\t科学技术支出\t3,300.00\t1,300.00\t1,000.00\t300.00\t2,000.00\n"
        "20601\t科学技术管理事务\t1,300.00\t1,300.00\t1,000.00\t300.00\t\n"
    )
    rows = tables(text)["expenditure"].rows
    assert rows[0].amounts == {"total": 3300.0, "basic": 1300.0, "project": 2000.0}  # not 人员经费's 1000
    assert rows[1].amounts == {"total": 1300.0, "basic": 1300.0, "project": None}


def test_a_unit_column_beside_project_names_is_not_read_into_the_names():
    text = (
        "项目支出预算表\n单位：万元\n"
        "单位名称\t项目名称\t合计\t一般公共预算\n"
        "某某区教育局\t\t1,500.00\t1,500.00\n"
        "某某区教育局\t学前教育生均公用经费\t1,000.00\t1,000.00\n"
        "某某区教育局\t教师培训经费\t500.00\t500.00\n"
    )
    names = [r.name for r in tables(text)["projects_current"].rows]
    assert "学前教育生均公用经费" in names and "教师培训经费" in names
    assert not [n for n in names if n.startswith("某某区教育局") and n != "某某区教育局"]


@pytest.mark.parametrize("number", ["附表4", "表7", "表十二", "预算公开表3", "附表2-1"])
def test_a_table_number_above_the_next_title_is_not_read_into_the_last_row(number):
    text = (
        "2024年部门支出总表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
        "206\t科学技术支出\t1,300.00\t1,300.00\t\n2060101\t行政运行\t1,300.00\t1,300.00\t\n"
        f"{number}\n2024年部门收支总表\n单位：万元\n"
    )
    assert [r.name for r in tables(text)["expenditure"].rows] == ["科学技术支出", "行政运行"]


@pytest.mark.parametrize(
    "rows",
    [
        # MinerU/docling: 科目编码 and 科目名称 merged into one column
        "科目\t合计\t基本支出\t项目支出\n205 教育支出\t3,000.00\t2,000.00\t1,000.00\n"
        "2050101 行政运行\t2,000.00\t2,000.00\t\n2050202 小学教育\t1,000.00\t\t1,000.00\n",
        # the code glued to its name, the name column left empty
        "科目编码\t科目名称\t合计\t基本支出\t项目支出\n205教育支出\t\t3,000.00\t2,000.00\t1,000.00\n"
        "2050101行政运行\t\t2,000.00\t2,000.00\t\n2050202小学教育\t\t1,000.00\t\t1,000.00\n",
    ],
)
def test_a_code_printed_with_its_name_in_one_cell_is_a_coded_row(rows):
    table = tables("2024年部门支出总表\n单位：万元\n" + rows)["expenditure"]
    assert [(r.code, r.name, r.amounts["total"], r.amounts["basic"], r.amounts["project"]) for r in table.rows] == [
        ("205", "教育支出", 3000.0, 2000.0, 1000.0),
        ("2050101", "行政运行", 2000.0, 2000.0, None),
        ("2050202", "小学教育", 1000.0, None, 1000.0),
    ]


def test_a_total_label_repeated_over_merged_columns_is_not_read_as_an_amount():
    text = (
        "2024年预算支出总表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
        "合计\t合计\t5,300.00\t1,300.00\t4,000.00\n206\t科学技术支出\t5,300.00\t1,300.00\t4,000.00\n"
        "2060101\t行政运行\t1,300.00\t1,300.00\t\n"
    )
    total = tables(text)["expenditure"].rows[0]
    assert total.amounts == {"total": 5300.0, "basic": 1300.0, "project": 4000.0}


def _three_public(text: str, layout: str = "tsv") -> dict:
    rows = parse_layout(LAYOUTS[layout](text), "three_public.txt").rows
    return {k: v for k, v in extract_budget_tables(rows).totals.items()
            if k in ("three_public", "overseas", "vehicle", "official_reception")}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_three_public_costs_are_read_in_the_budget_years_column_beside_last_years(layout):
    text = (
        "2024年一般公共预算“三公”经费支出预算表\n单位：万元\n项目\t2023年预算数\t2024年预算数\t增减额\n"
        "合计\t28.00\t30.00\t2.00\n因公出国（境）费\t8.00\t10.00\t2.00\n公务接待费\t5.00\t5.00\t0.00\n"
        "公务用车购置及运行费\t15.00\t15.00\t0.00\n"
    )
    assert _three_public(text, layout) == {"three_public": 30, "overseas": 10, "vehicle": 15, "official_reception": 5}


@pytest.mark.parametrize("layout", POSITIONAL)
def test_three_public_costs_printed_across_one_row_are_read_by_their_columns(layout):
    text = (
        "一般公共预算“三公”经费支出情况表\n单位：万元\n"
        "合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\n"
        "\t\t小计\t公务用车购置费\t公务用车运行费\t\n"
        "30.00\t10.00\t15.00\t\t15.00\t5.00\n"
    )
    assert _three_public(text, layout) == {"three_public": 30, "overseas": 10, "vehicle": 15, "official_reception": 5}


KLASS_KUAN_XIANG = (
    "2024年部门支出总表\n单位：万元\n科目编码\t\t\t科目名称\t合计\t基本支出\t项目支出\n类\t款\t项\t\t\t\t\n"
    "206\t\t\t科学技术支出\t8,000.00\t1,000.00\t7,000.00\n"
    "\t01\t\t科学技术管理事务\t1,000.00\t1,000.00\t\n"
    "\t\t01\t行政运行\t1,000.00\t1,000.00\t\n"
    "\t02\t\t基础研究\t7,000.00\t\t7,000.00\n"
    "\t\t06\t专项基础科研\t7,000.00\t\t7,000.00\n"
)


@pytest.mark.parametrize(
    ("layout", "whole"),
    # Left blank, a 01 can be read as a 款 or a 项 only where its column is kept.
    [(layout, False) for layout in POSITIONAL] + [(layout, True) for layout in sorted(LAYOUTS)],
)
def test_a_code_printed_over_klass_kuan_xiang_columns_is_one_code(layout, whole):
    text = KLASS_KUAN_XIANG
    if whole:
        text = text.replace("\t01\t\t科学", "206\t01\t\t科学").replace("\t\t01\t行政", "206\t01\t01\t行政")
        text = text.replace("\t02\t\t基础", "206\t02\t\t基础").replace("\t\t06\t专项", "206\t02\t06\t专项")
    rows = tables(text, layout)["expenditure"].rows
    assert [(r.code, r.name, r.amounts["total"]) for r in rows] == [
        ("206", "科学技术支出", 8000), ("20601", "科学技术管理事务", 1000), ("2060101", "行政运行", 1000),
        ("20602", "基础研究", 7000), ("2060206", "专项基础科研", 7000),
    ]


def test_a_place_name_after_a_units_label_is_no_unit():
    text = (
        "2024年部门支出总表\n编制单位：元氏县教育局\t单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
        "205\t教育支出\t3,000.00\t2,000.00\t1,000.00\n2050101\t行政运行\t2,000.00\t2,000.00\t\n"
    )
    assert tables(text)["expenditure"].rows[0].amounts == {"total": 3000.0, "basic": 2000.0, "project": 1000.0}


def test_a_packed_row_of_a_table_that_keeps_empty_cells_is_still_split():
    text = (
        "2024年部门支出总表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
        "20601 科学技术管理事务 100.00\t60.00\t40.00\n2060101\t行政运行\t60.00\t60.00\t\n"
    )
    first = tables(text)["expenditure"].rows[0]
    assert (first.code, first.name, first.amounts) == ("20601", "科学技术管理事务", {"total": 100.0, "basic": 60.0, "project": 40.0})


@pytest.mark.parametrize("layout", ["pdftotext", "pdftotext_spaces", "cell_per_line"])
def test_three_public_costs_across_one_row_are_not_guessed_without_positions(layout):
    text = (
        "一般公共预算“三公”经费支出情况表\n单位：万元\n"
        "合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\n"
        "\t\t小计\t公务用车购置费\t公务用车运行费\t\n"
        "30.00\t10.00\t15.00\t3.00\t12.00\t5.00\n"
    )
    got = _three_public(text, layout)
    assert got["official_reception"] in (None, 5.0)  # never 购置费's 3.00
