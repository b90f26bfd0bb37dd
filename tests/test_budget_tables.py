"""Tests of budget_tables: the seeds against gold, arithmetic invariants, and small fixtures.

Rows are built here with a local stand-in for the layout module: one Row per non-blank line,
cells split on tabs (empty cells kept) or, for pdftotext output, on runs of white space with a
doubled cell ("合计合计") read once.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import pytest
from budgetkg.extract.budget_tables import (
    TOTAL_KEYS,
    BudgetTables,
    extract_budget_tables,
    level_of,
    parse_amount,
)
from budgetkg.extract.layout import parse_layout
from budgetkg.extract.model import Row
from rows import tsv_rows

SHARED = Path(os.environ.get("BUDGETKG_SHARED", Path(__file__).resolve().parents[2] / "shared"))
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold"
needs_shared = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds not found")


def _undouble(cell: str) -> str:
    half = len(cell) // 2
    doubled = len(cell) >= 2 and len(cell) % 2 == 0 and cell[:half] == cell[half:]
    return cell[:half] if doubled else cell


def rows_from_text(text: str) -> list[Row]:
    """One Row per non-blank line (1-based): tab cells, or white-space cells without tabs."""
    tabs = "\t" in text
    rows = []
    for i, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if tabs:
            cells = tuple(c.strip() for c in line.split("\t"))
        else:
            cells = tuple(_undouble(c) for c in line.split())
        rows.append(Row(line=i, end_line=i, cells=cells, text=" ".join(c for c in cells if c)))
    return rows


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(prefix + "_*.txt"))


def extract_seed(prefix: str) -> BudgetTables:
    return extract_budget_tables(rows_from_text(seed(prefix).read_text(encoding="utf-8")))


def as_record(source: str, bt: BudgetTables) -> dict:
    return {
        "source": source,
        "department": asdict(bt.department),
        "totals": bt.totals,
        "expenditure_by_function": [asdict(f) for f in bt.expenditure_by_function],
        "project_budget_lines": [asdict(b) for b in bt.project_budget_lines],
    }


def _score_module():
    spec = importlib.util.spec_from_file_location("budgetkg_score", SHARED / "tools" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def f1(expected: Counter, got: Counter) -> float:
    tp = sum((expected & got).values())
    p = tp / sum(got.values()) if got else float(not expected)
    r = tp / sum(expected.values()) if expected else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


# ---------------------------------------------------------------------------------------------
# seeds with gold


@needs_shared
@pytest.mark.parametrize("prefix", ["001", "002"])
@pytest.mark.parametrize("kind", ["totals", "functions", "budget_lines", "department"])
def test_gold_f1(prefix, kind):
    score = _score_module()
    gold_path = next(GOLD.glob(prefix + "_*.json"))
    expected = score.facts(json.loads(gold_path.read_text(encoding="utf-8")))
    got = score.facts(as_record(seed(prefix).name, extract_seed(prefix)))
    e = Counter({k: v for k, v in expected.items() if k[0] == kind})
    g = Counter({k: v for k, v in got.items() if k[0] == kind})
    assert e, f"gold has no {kind} facts"
    assert f1(e, g) >= 0.98, f"missed {sorted(e - g, key=str)} extra {sorted(g - e, key=str)}"


@needs_shared
@pytest.mark.parametrize("prefix", ["001", "002"])
def test_gold_level(prefix):
    gold = json.loads(next(GOLD.glob(prefix + "_*.json")).read_text(encoding="utf-8"))
    assert extract_seed(prefix).department.level == gold["department"]["level"]


# ---------------------------------------------------------------------------------------------
# every seed: what must hold whatever the layout


@needs_shared
@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_invariants(prefix):
    bt = extract_seed(prefix)
    t = bt.totals
    assert list(t) == list(TOTAL_KEYS)
    assert bt.department.name and bt.department.code and bt.department.year and bt.department.level
    # 收入总计 = 本年收入 + 上年结转 = 基本支出 + 项目支出
    income = t["income_this_year"] + (t["carryover"] or 0)
    assert t["income_total"] == pytest.approx(income, abs=0.02)
    spending = t["expenditure_basic"] + t["expenditure_project"]
    assert t["income_total"] == pytest.approx(spending, abs=0.02)
    # the 3-digit 功能分类 rows add up to the 合计 row; every row's parts add up to its total
    top = [f for f in bt.expenditure_by_function if len(f.code) == 3]
    assert sum(f.total for f in top) == pytest.approx(t["income_total"], abs=0.05)
    for f in bt.expenditure_by_function:
        assert f.total == pytest.approx((f.basic or 0) + (f.project or 0), abs=0.02), f
    # projects of this year and carried over make up 项目支出 (no unit subtotal counted twice)
    lines = sum(b.amount or 0 for b in bt.project_budget_lines)
    assert lines == pytest.approx(t["expenditure_project"], abs=0.05)
    # the three “三公” items make up its 合计
    parts = (t["official_reception"] or 0) + (t["vehicle"] or 0) + (t["overseas"] or 0)
    assert parts == pytest.approx(t["three_public"] or 0, abs=0.01)
    assert t["procurement_total"] is not None
    assert not bt.issues


@needs_shared
def test_seed_000_unit_budget():
    bt = extract_seed("000")
    assert bt.department.name == "山西省科学技术厅"
    assert bt.department.code == "203"
    assert bt.totals["procurement_total"] == 1102.82
    assert bt.totals["expenditure_project"] == 231541.78
    assert len(bt.expenditure_by_function) == 40
    assert {b.table for b in bt.project_budget_lines} == {"current", "carryover"}
    assert all(b.name != "山西省科学技术厅" for b in bt.project_budget_lines)


@needs_shared
def test_seed_003_zone_and_spaced_numbers():
    bt = extract_seed("003")
    assert bt.department.level == "district"
    assert bt.department.year == 2023
    assert bt.totals["expenditure_basic"] == 14.41  # printed "14. 41"
    assert bt.totals["expenditure_project"] == 32495.98  # printed "32, 495. 98"
    assert bt.totals["procurement_total"] == 11.86  # "…预算总" / "额11.86万元" over two lines
    assert bt.totals["office_operation"] is None  # 本表无数据


@needs_shared
def test_seed_004_pdftotext():
    bt = extract_seed("004")
    assert bt.department.name == "忻州市科学技术局"
    assert bt.department.year == 2023  # no cover: from the table titles
    assert bt.department.level == "city"
    by_code = {f.code: f for f in bt.expenditure_by_function}
    assert len(by_code) == 19
    # "2130599" / "其他巩固…乡村振兴" / "支出" / "2.80 2.80" is one row
    assert by_code["2130599"].name == "其他巩固脱贫攻坚成果衔接乡村振兴支出"
    assert by_code["2130599"].total == 2.8
    # two printed numbers: the part is placed by what its parent's split leaves
    assert (by_code["213"].basic, by_code["213"].project) == (None, 2.8)
    assert (by_code["208"].basic, by_code["208"].project) == (25.1, None)
    assert by_code["2210201"].name == "住房公积金"  # the next page's "预算公开表4" is not its name
    names = [b.name for b in bt.project_budget_lines]
    assert names == ["科技创新券", "科技工作运行经费", "驻村帮扶干部补助经费"]


# ---------------------------------------------------------------------------------------------
# fixtures

TOC = """目 录
表三2026年预算支出总表.....\t9
表十2026年财政拨款安排“三公”经费支出预算表.....\t17
表十二2026年项目支出预算表（本年预算）.....\t19
"""

SPENDING_SPLIT = """晋城市某某局
2026年度部门预算公开
{toc}
预算公开表3
2026年预算支出总表
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
22102\t住房改革支出\t20.00\t20.00\t
2210201\t住房公积金\t20.00\t20.00\t
"""


def test_table_split_by_page_break_with_repeated_header():
    bt = extract_budget_tables(rows_from_text(SPENDING_SPLIT.format(toc=TOC)))
    codes = [f.code for f in bt.expenditure_by_function]
    assert codes == ["206", "20601", "2060101", "2060199", "221", "22102", "2210201"]
    row = bt.expenditure_by_function[3]
    assert row.name == "其他科学技术管理事务支出"
    assert (row.total, row.basic, row.project) == (30.0, None, 30.0)
    assert (bt.totals["expenditure_basic"], bt.totals["expenditure_project"]) == (100.0, 30.0)
    assert bt.department == bt.department.__class__("晋城市某某局", None, 2026, "city")


def test_table_of_contents_is_not_a_table():
    text = SPENDING_SPLIT.format(toc=TOC)
    bt = extract_budget_tables(rows_from_text(text))
    title_line = text.splitlines().index("2026年预算支出总表") + 1
    assert all(f.line > title_line for f in bt.expenditure_by_function)
    # the 目录 names tables this document does not print: those are reported, not invented
    assert any("三公" in i.message for i in bt.issues)
    assert bt.totals["three_public"] is None and bt.project_budget_lines == ()


NO_DATA = """2026年财政拨款安排“三公”经费支出预算表
部门名称：某某局
单位：万元
项目\t2026年预算数\t\t\t
\t合计\t一般公共预算\t政府性基金预算\t国有资本经营预算
因公出国（境）费\t\t\t\t
公务接待费\t\t\t\t
公务用车购置及运行费\t\t\t\t
①公务用车购置费\t\t\t\t
②公务用车运行维护费\t\t\t\t
合计\t\t\t\t
注：本表无数据
2026年项目支出预算表（上年结转）
部门名称：某某局
单位：万元
项目名称\t合计\t2026年财政拨款\t\t
\t\t一般公共预算\t政府性基金预算\t国有资本经营预算
1\t2\t3\t4\t5
注：本表无数据
"""


def test_table_with_no_data():
    bt = extract_budget_tables(rows_from_text(NO_DATA))
    for key in ("three_public", "official_reception", "vehicle", "overseas"):
        assert bt.totals[key] is None
    assert bt.project_budget_lines == ()
    assert not any("结转" in i.message for i in bt.issues)  # the table is there, only empty


PROJECTS = """2026年项目支出预算表（本年预算）
部门名称：山西省某某厅
单位：万元
项目名称\t合计\t2026年财政拨款\t\t\t财政专户管理 资金\t单位资金
\t\t一般公共预算\t政府性基 金预算\t国有资本经营预 算\t\t
1\t2\t3\t4\t5\t6\t7
山西省某某厅\t165.00\t165.00\t\t\t\t
山西省某某厅\t100.00\t100.00\t\t\t\t
甲项目\t60.00\t60.00\t\t\t\t
乙项目建设 工程\t40.00\t40.00\t\t\t\t
山西省某某服务中心\t65.00\t\t\t\t\t65.00
丙项目\t50.00\t\t\t\t\t50.00
丁项目\t10.00\t\t\t\t\t10.00
戊项目\t5.00\t\t\t\t\t5.00
"""


def test_unit_subtotal_rows_are_not_projects():
    bt = extract_budget_tables(rows_from_text(PROJECTS))
    lines = [(b.name, b.amount, b.table, b.unit) for b in bt.project_budget_lines]
    assert lines == [
        ("甲项目", 60.0, "current", "山西省某某厅"),
        ("乙项目建设工程", 40.0, "current", "山西省某某厅"),  # wrapped in its cell: no space
        ("丙项目", 50.0, "current", "山西省某某服务中心"),
        ("丁项目", 10.0, "current", "山西省某某服务中心"),
        ("戊项目", 5.0, "current", "山西省某某服务中心"),
    ]


def test_projects_that_happen_to_add_up_stay_projects():
    text = """2026年项目支出预算表（本年预算）
项目名称\t合计\t一般公共预算
甲项目\t15.00\t15.00
乙项目\t10.00\t10.00
丙项目\t5.00\t5.00
丁项目\t5.00\t5.00
"""
    bt = extract_budget_tables(rows_from_text(text))
    assert [b.name for b in bt.project_budget_lines] == ["甲项目", "乙项目", "丙项目", "丁项目"]


PDFTOTEXT = """ 预算公开表3
2023年预算支出总表2023年预算支出总表
单位名称：某某县科学技术局  单位：万元
科目编码科目编码 科目名称科目名称 合计合计 基本支出基本支出 项目支出项目支出
合计合计 60.0060.00 40.0040.00 20.0020.00
206 科学技术支出 50.00 30.0030.00 20.0020.00
20601 科学技术管理事务 30.00 30.0030.00
2060101 行政运行 30.00 30.00
20604 技术研究与开发 20.00   20.0020.00
2060499
其他技术研究与开发
支出
20.00  20.00
221 住房保障支出 10.00 10.0010.00
 预算公开表4
"""


def test_pdftotext_rows_without_empty_cells():
    bt = extract_budget_tables(rows_from_text(PDFTOTEXT))
    got = {f.code: (f.name, f.total, f.basic, f.project) for f in bt.expenditure_by_function}
    assert got == {
        "206": ("科学技术支出", 50.0, 30.0, 20.0),
        "20601": ("科学技术管理事务", 30.0, 30.0, None),
        "2060101": ("行政运行", 30.0, 30.0, None),
        "20604": ("技术研究与开发", 20.0, None, 20.0),
        "2060499": ("其他技术研究与开发支出", 20.0, None, 20.0),
        "221": ("住房保障支出", 10.0, 10.0, None),
    }
    assert (bt.totals["expenditure_basic"], bt.totals["expenditure_project"]) == (40.0, 20.0)
    assert bt.department.name == "某某县科学技术局" and bt.department.level == "district"
    assert bt.department.year == 2023
    assert [i for i in bt.issues if i.line is not None] == []  # only the tables left out


def test_a_title_after_its_table_number_on_one_line_is_found():
    """表三 预算支出总表: pdftotext -layout and pdfplumber print the number and the title as two
    words of one line."""
    text = PDFTOTEXT.replace("2023年预算支出总表2023年预算支出总表", "表三 预算支出总表")
    bt = extract_budget_tables(rows_from_text(text))
    assert {f.code for f in bt.expenditure_by_function} == {"206", "20601", "2060101", "20604", "2060499", "221"}


def test_pdftotext_split_that_arithmetic_cannot_place_is_reported():
    """206 splits 20/20 and both children print one 20: which is 基本 is not in the text."""
    text = (
        PDFTOTEXT.replace("60.0060.00 40.0040.00", "50.0050.00 30.0030.00")
        .replace("50.00 30.0030.00", "40.00 20.0020.00")
        .replace("30.00 30.0030.00", "20.00 20.0020.00")
        .replace("行政运行 30.00 30.00", "行政运行 20.00 20.00")
    )
    bt = extract_budget_tables(rows_from_text(text))
    by_code = {f.code: f for f in bt.expenditure_by_function}
    assert by_code["206"].basic == 20.0 and by_code["206"].project == 20.0
    for code in ("20601", "20604", "2060101", "2060499"):
        assert by_code[code].total == 20.0
        assert by_code[code].basic is None and by_code[code].project is None
    lines = {i.line for i in bt.issues if i.line is not None}
    assert lines == {by_code[c].line for c in ("20601", "20604", "2060101", "2060499")}


def test_summary_totals_and_narrative():
    text = """2026年预算收支总表
部门名称：某某市某某局
收入\t\t支出\t\t\t
项目\t2026年\t项目\t2026年合计\t当年预算安排\t上年结转安排
一、一般公共预算\t1,200.50\t一、一般公共服务支出\t\t\t
本年收入合计\t1,200.50\t本年支出合计\t1,300.50\t1,200.50\t100.00
上年结转\t100.00\t年终结转\t\t\t
收入总计\t1,300.50\t支出总计\t1,300.50\t1,200.50\t100.00
2026年财政拨款安排机关运行经费预算表
单位名称\t2026预算数\t\t\t
\t合计\t一般公共预算\t政府性基金预算\t国有资本经营预算
部门合计\t44.06\t44.06\t\t
某某市某某局\t44.06\t44.06\t\t
九、政府采购情况
2026年某某市某某局部门各单位政府采购预算总
额1, 087.58万元。其中：政府采购货物预算0.50万元。
"""
    t = extract_budget_tables(rows_from_text(text)).totals
    assert (t["income_total"], t["income_this_year"], t["carryover"]) == (1300.5, 1200.5, 100.0)
    assert t["office_operation"] == 44.06
    assert t["procurement_total"] == 1087.58


def test_department_code_is_the_most_common_supervisor_code():
    text = """某某市某某局
2025年度部门预算公开
主管部门及代码\t\t100-某某市某某局\t\t实施单位\t\t某某市某某局
主管部门及代码\t108-某某市某某局\t实施单位\t某某研究院
主管部门及代码\t\t108-某某市某某局\t\t实施单位
"""
    dep = extract_budget_tables(rows_from_text(text)).department
    assert (dep.name, dep.code, dep.year, dep.level) == ("某某市某某局", "108", 2025, "city")


@pytest.mark.parametrize(
    "name, level",
    [
        ("山西省科学技术厅", "province"),
        ("山西省科学技术协会", "province"),
        ("中共山西省委组织部", "province"),
        ("山西省社区矫正管理局", "province"),
        ("山西省开发区建设服务中心", "province"),
        ("北京市科学技术委员会", "province"),
        ("中共北京市委宣传部", "province"),
        ("共青团北京市委员会", "province"),
        ("中共晋城市委办公室", "city"),
        ("晋城市科学技术局", "city"),
        ("忻州市市场监督管理局", "city"),
        ("恩施土家族苗族自治州财政局", "city"),
        ("太原市小店区教育局", "district"),
        ("晋城市城区科学技术局", "district"),
        ("阳城县科学技术局", "district"),
        ("忻州市原平市财政局", "district"),
        ("北京市海淀区科学技术委员会", "district"),
        ("山西转型综合改革示范区科技金融部", "district"),
        ("晋城市经济技术开发区管理委员会", "district"),
        ("太原高新区科技局", "district"),
        ("科学技术局", None),
        (None, None),
    ],
)
def test_level_of(name, level):
    assert level_of(name) == level


@pytest.mark.parametrize(
    "cell, value",
    [
        ("23,564.61", 23564.61),
        ("32, 510. 39", 32510.39),
        ("75.0075.00", 75.0),
        ("0.00", 0.0),
        ("", None),
        ("-", None),
        ("合计", None),
        ("１２.５", 12.5),
    ],
)
def test_parse_amount(cell, value):
    assert parse_amount(cell) == value


def test_empty_input():
    bt = extract_budget_tables([])
    assert list(bt.totals) == list(TOTAL_KEYS)
    assert all(v is None for v in bt.totals.values())
    assert bt.expenditure_by_function == () and bt.project_budget_lines == ()
    assert {i.line for i in bt.issues} == {None}


def test_income_table_when_there_is_no_summary_table():
    text = """2026年预算收入总表
项目\t\t本年收入\t\t上年结转
科目编码\t科目名称\t合计\t一般公共预算\t
合计\t\t300.00\t300.00\t25.50
206\t科学技术支出\t300.00\t300.00\t25.50
2026年财政拨款安排“三公”经费支出预算表
项目\t合计\t一般公共预算
公务接待费\t1.00\t1.00
①公务用车购置费\t\t
②公务用车运行维护费\t2.50\t2.50
合计\t3.50\t3.50
"""
    t = extract_budget_tables(rows_from_text(text)).totals
    assert (t["income_total"], t["income_this_year"], t["carryover"]) == (325.5, 300.0, 25.5)
    got = (t["three_public"], t["official_reception"], t["vehicle"], t["overseas"])
    assert got == (3.5, 1.0, 2.5, None)


def _one_cell_per_line(tsv: str) -> str:
    """A tab-separated table as converters that print every non-empty cell on a line."""
    return "\n".join(c.strip() for line in tsv.splitlines() for c in line.split("\t") if c.strip())


CELLS_SUMMARY = """2026年预算收支总表
部门名称：某某市某某局
收入\t\t支出\t\t\t
项目\t2026年\t项目\t2026年合计\t当年预算安排\t上年结转安排
一、一般公共预算\t1200.50\t一、一般公共服务支出\t\t\t
本年收入合计\t1200.50\t本年支出合计\t1300.50\t1200.50\t100.00
上年结转\t100.00\t年终结转\t\t\t
收入总计\t1300.50\t支出总计\t1300.50\t1200.50\t100.00
2026年预算支出总表
科目编码\t科目名称\t合计\t基本支出\t项目支出
合计\t\t1300.50\t1000.00\t300.50
206\t科学技术支出\t1300.50\t1000.00\t300.50
20601\t科学技术管理事务\t1000.00\t1000.00\t
20604\t技术研究与开发\t300.50\t\t300.50
2026年财政拨款安排“三公”经费支出预算表
项目\t2026年预算数\t\t\t
\t合计\t一般公共预算\t政府性基金预算\t国有资本经营预算
因公出国（境）费\t\t\t\t
公务接待费\t3.90\t3.90\t\t
公务用车购置及运行费\t16.30\t16.30\t\t
合计\t20.20\t20.20\t\t
2026年财政拨款安排机关运行经费预算表
单位名称\t2026预算数\t\t\t
\t合计\t一般公共预算\t政府性基金预算\t国有资本经营预算
部门合计\t44.06\t44.06\t\t
"""


@pytest.mark.parametrize("layout", ["tsv", "cells"])
def test_totals_when_each_cell_has_its_own_line(layout):
    """A label alone on its line takes its amounts from the lines after it; a header 合计
    (followed by more labels) is passed over."""
    text = CELLS_SUMMARY if layout == "tsv" else _one_cell_per_line(CELLS_SUMMARY)
    bt = extract_budget_tables(rows_from_text(text))
    t = bt.totals
    assert (t["income_total"], t["income_this_year"], t["carryover"]) == (1300.5, 1200.5, 100.0)
    assert (t["expenditure_basic"], t["expenditure_project"]) == (1000.0, 300.5)
    assert (t["three_public"], t["official_reception"], t["vehicle"]) == (20.2, 3.9, 16.3)
    assert t["overseas"] is None and t["office_operation"] == 44.06
    got = {f.code: (f.name, f.total, f.basic, f.project) for f in bt.expenditure_by_function}
    assert got == {
        "206": ("科学技术支出", 1300.5, 1000.0, 300.5),
        "20601": ("科学技术管理事务", 1000.0, 1000.0, None),
        "20604": ("技术研究与开发", 300.5, None, 300.5),
    }


def test_cell_per_line_header_order_is_read_from_its_lines():
    text = _one_cell_per_line(
        CELLS_SUMMARY.replace("合计\t基本支出\t项目支出", "合计\t项目支出\t基本支出")
        .replace("\t1300.50\t1000.00\t300.50", "\t1300.50\t300.50\t1000.00")
    )
    t = extract_budget_tables(rows_from_text(text)).totals
    assert (t["expenditure_basic"], t["expenditure_project"]) == (1000.0, 300.5)


@pytest.mark.parametrize("label", ["主管部门及代码", "主管部门及\n代码"], ids=["one line", "label wrapped"])
def test_department_code_on_the_line_after_its_label(label):
    text = "某某市某某局\n2025年度部门预算公开\n" + f"{label}\n108-某某市某某局\n实施单位\n某某局\n" * 2
    dep = extract_budget_tables(rows_from_text(text)).department
    assert dep.code == "108"


def test_project_name_wrapped_over_lines_keeps_its_start():
    """pdftotext wraps a long name cell: every piece above its amounts belongs to it."""
    text = """2026年项目支出预算表（本年预算）
项目名称 合计 一般公共预算
甲项目 15.00 15.00
科技馆运行费-常设展厅展品改造 项目造价咨询服务及项目管理（
含 监理）服务
16.22 16.22
乙项目 5.00 5.00
"""
    bt = extract_budget_tables(rows_from_text(text))
    assert [(b.name, b.amount) for b in bt.project_budget_lines] == [
        ("甲项目", 15.0),
        ("科技馆运行费-常设展厅展品改造项目造价咨询服务及项目管理（含监理）服务", 16.22),
        ("乙项目", 5.0),
    ]


def test_summary_header_label_alone_on_its_line_is_passed_over():
    """pdftotext breaks the header cell 上年结转安排 into 上年结转 / 安排: a header, not a row."""
    text = """2026年预算收支总表2026年预算收支总表
单位名称：长治市某某局 单位：万元
收入收入 支出支出
项目项目 2026年2026年 项目项目 2026年合计2026年合计 当年预算安排当年预算安排
上年结转上年结转
安排安排
一、一般公共预算 672.27一、一般公共服务支出
本年收入合计本年收入合计 672.27672.27本年支出合计本年支出合计 772.27772.27 672.27672.27 100.00100.00
上年结转 100.00 年终结转
收入总计收入总计 772.27772.27支出总计支出总计 772.27772.27 672.27672.27 100.00100.00
"""
    t = extract_budget_tables(rows_from_text(text)).totals
    assert (t["income_total"], t["income_this_year"], t["carryover"]) == (772.27, 672.27, 100.0)


def test_circled_numbers_of_labels_are_no_amounts():
    """docling repeats a merged label in every cell: ①公务用车购置费 is not the amount 1."""
    text = """2026年财政拨款安排“三公”经费支出预算表
项目\t合计\t一般公共预算
公务用车购置及运行费\t公务用车购置及运行费\t公务用车购置及运行费
①公务用车购置费\t①公务用车购置费\t①公务用车购置费
②公务用车运行维护费\t②公务用车运行维护费\t②公务用车运行维护费
"""
    t = extract_budget_tables(rows_from_text(text)).totals
    assert t["vehicle"] is None


# ---------------------------------------------------------------------------------------------
# every table of the seeds, typed

EVERY_KIND = {
    "summary", "income", "expenditure", "fiscal_summary", "general_expenditure", "basic_economic",
    "fund_income", "fund_expenditure", "capital", "three_public", "office_operation",
    "projects_current", "projects_carryover",
}  # fmt: skip


@needs_shared
@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_budget_table_of_a_seed_is_read_with_its_span(prefix):
    bt = extract_seed(prefix)
    assert EVERY_KIND <= {t.kind for t in bt.tables}
    for t in bt.tables:
        assert t.line < t.end_line and all(t.line < r.line <= r.end_line <= t.end_line for r in t.rows), t.kind
    assert all(t.no_data for t in bt.tables if t.kind.startswith(("fund_", "capital")))
    assert not bt.issues


@needs_shared
def test_seed_000_narrative_and_economic_figures():
    bt = extract_seed("000")
    stated = {f.key: (f.value, f.line) for f in bt.stated}
    assert stated["expenditure_basic"] == (30399.57, 547)  # as printed: ten times the table's
    assert stated["disclosed_count"] == (27, 603)
    economic = next(t for t in bt.tables if t.kind == "basic_economic")
    classes = [(r.code, r.amounts["total"]) for r in economic.rows if r.code and len(r.code) == 3]
    assert classes == [("301", 2149.94), ("302", 492.55), ("303", 387.08), ("310", 10.0)]


@pytest.mark.parametrize(
    ("cover", "name_line"),
    [
        ("四川省科学技术厅2024年部门预算", "部门名称：四川省科学技术厅"),  # a cover without 公开
        ("四川省科学技术厅\n2024年部门预算", "部门：四川省科学技术厅"),
        ("目录", "编制单位：四川省科学技术厅"),  # no cover: the tables' name lines
    ],
)
def test_the_department_is_named_on_other_templates_covers_and_name_lines(cover, name_line):
    text = f"{cover}\n收支总表\n{name_line}\t单位：万元\n收入\t\t支出\t\n收入总计\t1.00\t支出总计\t1.00\n"
    dept = extract_budget_tables(tsv_rows(text)).department
    assert (dept.name, dept.level) == ("四川省科学技术厅", "province")


def test_a_tables_year_heading_is_not_taken_for_the_cover():
    text = (
        "部门名称：山西省科学技术厅\n“三公”经费支出预算表\n单位：万元\n项目\t2023年预算\t2024年预算\n"
        "合计\t28.00\t30.00\n"
    )
    dept = extract_budget_tables(tsv_rows(text)).department
    assert (dept.name, dept.level) == ("山西省科学技术厅", "province")


MERGED_COLUMNS = """表三 预算支出总表
单位：万元
| 科目编码 科目名称 | 合计 基本支出 | 项目支出 |
| ------------------------- | ---------------- | ------- |
| 合计 | 10808.91 5083.98 | 5724.93 |
| 206 科学技术支出 | 8634.84 3424.91 | 5209.93 |
| 2060701 机构运行 | 1060.51 1060.51 | |
| 2060702 科普活动 | 1632.62 | 1632.62 |
"""


def test_columns_a_converter_merged_into_one_cell_are_parted_by_their_headings():
    """markitdown writes neighbouring columns into one pipe cell, headings and figures alike
    (| 合计 基本支出 |, | 8634.84 3424.91 |): each cell is split into as many parts as its heading
    has words; one figure under 合计 基本支出 is the 合计, 基本支出 left blank."""
    doc = parse_layout(MERGED_COLUMNS, "merged.md")
    bt = extract_budget_tables(doc.rows)
    got = [(f.code, f.name, f.total, f.basic, f.project) for f in bt.expenditure_by_function]
    assert got == [("206", "科学技术支出", 8634.84, 3424.91, 5209.93), ("2060701", "机构运行", 1060.51, 1060.51, None),
                   ("2060702", "科普活动", 1632.62, None, 1632.62)]
    assert (bt.totals["expenditure_basic"], bt.totals["expenditure_project"]) == (5083.98, 5724.93)


@pytest.mark.parametrize(
    ("heading", "row", "expected"),
    [
        # a flattened two-row header: one heading of two words over each column, figures apart
        ("| 科目编码 | 科目名称 | 本年支出 合计 | 本年支出 基本支出 | 本年支出 项目支出 |",
         "| 206 | 科学技术支出 | 8634.84 | 3424.91 | 5209.93 |", (8634.84, 3424.91, 5209.93)),
        # a lone figure under 基本支出 项目支出 cannot tell which: left unplaced, not guessed
        ("| 科目编码 科目名称 | 合计 | 基本支出 项目支出 |",
         "| 206 科学技术支出 | 1632.62 | 1632.62 |", (1632.62, None, None)),
    ],
)
def test_headings_of_several_words_part_cells_only_where_figures_were_merged(heading, row, expected):
    merged = "| 2060101 行政运行 | 50.00 | 30.00 20.00 |" if "基本支出 项目支出" in heading else ""
    text = f"表三 预算支出总表\n单位：万元\n{heading}\n|---|---|---|---|---|\n{row}\n{merged}\n"
    bt = extract_budget_tables(parse_layout(text, "m.md").rows)
    first = bt.expenditure_by_function[0]
    assert (first.total, first.basic, first.project) == expected


def test_a_heading_of_column_names_parts_its_cells_though_no_row_fills_both():
    """| 合计 基本支出 | over a 政府性基金 table with 基本支出 blank on every row: still merged columns,
    so 项目支出 keeps its figure."""
    text = ("表三 预算支出总表\n单位：万元\n| 科目编码 科目名称 | 合计 基本支出 | 项目支出 |\n|---|---|---|\n"
            "| 206 科学技术支出 | 100.00 | 100.00 |\n| 2060702 科普活动 | 100.00 | 100.00 |\n")
    bt = extract_budget_tables(parse_layout(text, "m.md").rows)
    assert [(f.code, f.total, f.basic, f.project) for f in bt.expenditure_by_function] == [
        ("206", 100.0, None, 100.0), ("2060702", 100.0, None, 100.0)]
