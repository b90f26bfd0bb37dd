"""Figures the 情况说明 (第三部分) states in words, read under their sub-headings."""

from __future__ import annotations

import pytest
from budgetkg.extract.layout import parse_layout
from budgetkg.extract.tables.narrative import STATEMENTS, stated_figures
from relayout import to_cell_per_line, to_pdftotext

TEXT = """目 录
第三部分 2026年度部门预算情况说明\t21
三、支出预算情况说明.....\t21
第三部分 2026年度部门预算情况说明
三、支出预算情况说明
2026年度某某局支出预算1,300.50万元，其中：基本支出1,000.00万元，占76.89%；项目支出
300.50万元，占23.11%。
五、一般公共预算支出情况说明
2026年度某某局一般公共预算当年支出1,200.50万元，主要用于以下方面：科学技术支出1,100.50万元，占91.67%；住房保障支出100.00万元。
九、政府采购情况
2026年某某局政府采购预算总
额12.5万元。
十、绩效管理情况
2026年某某局纳入绩效目标管理的二级项目3个，共计金额300.50万元。公开项目绩效目标2个，涉及项目金额290.50万元。其中：其他运转类项目1个，涉及项目金额10.00万元。
某某市级预算部门(单位)项目支出绩效目标表
项目名称\t甲
基本支出\t99万元
"""


def figures(text: str) -> dict[str, tuple[float, int]]:
    rows = parse_layout(text, "fixture.txt").rows
    return {f.key: (f.value, f.line) for f in stated_figures(rows)}


@pytest.mark.parametrize("layout", ["tsv", "cell_per_line", "pdftotext"])
def test_figures_are_read_under_their_sub_headings_with_the_line_of_the_figure(layout):
    relaid = {"cell_per_line": to_cell_per_line, "pdftotext": to_pdftotext}.get(layout)
    text, line_map = (relaid(TEXT).text, relaid(TEXT).line_map) if relaid else (TEXT, {})
    got = figures(text)

    def at(value: float, line: int) -> tuple[float, int]:
        return value, line_map.get(line, line)

    assert got["expenditure_total"] == at(1300.5, 6)
    assert got["expenditure_basic"] == at(1000.0, 6)
    assert got["expenditure_project"] == at(300.5, 7)  # wrapped before its number
    assert got["general_total"] == at(1200.5, 9)
    assert got["general_class:科学技术支出"] == at(1100.5, 9)
    assert got["general_class:住房保障支出"] == at(100.0, 9)
    assert got["procurement_total"] == at(12.5, 12)  # "总" / "额12.5万元"
    assert got["managed_count"] == at(3, 14) and got["managed_amount"] == at(300.5, 14)
    assert got["disclosed_count"] == at(2, 14) and got["disclosed_amount"] == at(290.5, 14)


def test_the_table_of_contents_and_the_tables_after_the_part_are_not_read():
    got = figures(TEXT)
    assert all(line > 3 for _, line in got.values())
    assert got["expenditure_basic"][0] == 1000.0  # not the 99万元 of the table below


def test_a_label_under_another_heading_states_nothing():
    text = "第三部分 情况说明\n十、绩效管理情况\n涉及部门预算资金10万元，其中基本支出5.00万元，项目支出5.00万元。\n"
    assert "expenditure_basic" not in figures(text)


def test_every_statement_compiles_and_names_its_value():
    assert STATEMENTS and all("value" in st.pattern.groupindex for st in STATEMENTS)
    counts = {st.key for st in STATEMENTS if st.unit == "个"}
    assert counts == {"managed_count", "disclosed_count"}


@pytest.mark.parametrize("sentence", ["政府采购预算安排1,234.56万元", "政府采购预算总额：1,234.56万元", "政府采购预算总额为1,234.56万元"])
def test_the_procurement_total_is_read_however_the_sentence_puts_it(sentence):
    text = f"第三部分 2024年部门预算情况说明\n九、政府采购情况\n2024年度本部门{sentence}，其中：货物类500.00万元。\n"
    assert figures(text)["procurement_total"][0] == 1234.56
