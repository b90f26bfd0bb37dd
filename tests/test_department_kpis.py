"""整体支出绩效目标表: the department-wide indicator table found and read in each layout."""

from __future__ import annotations

import pytest

from budgetkg.extract.department_kpis import read_department_kpis
from budgetkg.extract.layout import parse_layout
from budgetkg.extract.perf_table import kpi_mode

HEADER_ONE_LINE = "一级指标 二级指标 三级指标 指标值\n"
HEADER_WRAPPED = "一级指\n标\n二级指\n标\n三级指\n标\n指标值\n"  # seed 004's narrow column, as pdftotext prints it
TABLE = """省级预算部门（单位）整体支出绩效目标申报表
(2026) 年度
部门基本信息 部门名称 322-山西省科学技术协会
年度绩效目标 开展各项科普活动，提升全民科学素质
{header}年度绩效指标 产出指标 数量指标 补助退休老干部取暖费人数 22人
   健康中国主题系列宣传活动 12次
  质量指标 科普活动覆盖率 ≥90%
"""


@pytest.mark.parametrize("header", [HEADER_ONE_LINE, HEADER_WRAPPED], ids=["one line", "wrapped"])
def test_department_indicators_are_read_under_a_header_on_one_line_or_wrapped_over_lines(header):
    doc = parse_layout(TABLE.format(header=header), "dept.txt")
    kpis, _, span = read_department_kpis(doc.rows, kpi_mode(doc.family))
    assert span is not None
    assert [(k.level2, k.level3, k.value) for k in kpis] == [
        ("数量指标", "补助退休老干部取暖费人数", "22人"),
        ("数量指标", "健康中国主题系列宣传活动", "12次"),
        ("质量指标", "科普活动覆盖率", "≥90%"),
    ]


def test_the_department_table_ends_at_a_bracketed_sub_heading():
    """（二）项目支出绩效目标 after the department table is the next part's heading, no indicator."""
    text = TABLE.format(header=HEADER_ONE_LINE) + "\n（二）项目支出绩效目标\n\n项目支出绩效目标表\n"
    doc = parse_layout(text, "dept.txt")
    kpis, _, _ = read_department_kpis(doc.rows, kpi_mode(doc.family))
    assert [k.level3 for k in kpis] == ["补助退休老干部取暖费人数", "健康中国主题系列宣传活动", "科普活动覆盖率"]
