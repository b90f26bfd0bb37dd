"""Segmentation: the disclosure's parts with their spans; the table of contents is not content."""

from __future__ import annotations

from budgetkg.extract.segment import segment
from rows import tsv_rows

DOC = """示例科学技术局
2026年度部门预算公开
目 录
第一部分 概况\t1
一、本部门职责.....\t1
第二部分 2026年部门预算报表\t3
第四部分 名词解释.....\t20
第一部分 概况
一、本部门职责
负责示例工作。
二、机构设置情况
内设机构3个。
第二部分 2026年部门预算报表
2026年预算收支总表
第三部分 2026年度部门预算情况说明
十、绩效管理情况
绩效说明。
第四部分 名词解释
一、基本支出：指……
"""


def test_parts_come_from_headings_not_from_the_table_of_contents():
    sections = segment(tsv_rows(DOC))
    spans = {s.kind: (s.line, s.end_line) for s in sections}
    assert spans["overview"] == (8, 12)
    assert spans["duties"] == (9, 10) and spans["organization"] == (11, 12)
    assert spans["budget_tables"] == (13, 14)
    assert spans["explanation"] == (15, 17) and spans["performance"] == (16, 17)
    assert spans["glossary"] == (18, 19)
    assert all(s.line >= 8 for s in sections)
