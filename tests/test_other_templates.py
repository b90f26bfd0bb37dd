"""A performance table in another province's template, in every layout family.

tests/fixtures/layouts/split_value_columns.txt prints what the seeds do not: funds in 万元, one
goal label per column group (实施期总体目标 / 年度总体目标), and each target over three columns
(指标性质 | 指标值 | 度量单位), the first holding comparators or words such as 正向指标/定性.
Every layout of tests/relayout.py must read the same record from it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from budgetkg.extract.funds import read_funds
from budgetkg.extract.kpi_columns import join_split_values
from budgetkg.extract.layout import parse_layout
from budgetkg.extract.model import Row
from budgetkg.extract.pipeline import extract_document
from test_table_kinds import LAYOUTS

FIXTURE = Path(__file__).parent / "fixtures" / "layouts" / "split_value_columns.txt"
LEVELS = [
    ("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "时效指标"),
    ("效益指标", "社会效益指标"), ("效益指标", "社会效益指标"), ("满意度指标", "服务对象满意度指标"),
]


def project(layout: str):
    record = extract_document(parse_layout(LAYOUTS[layout](FIXTURE.read_text("utf-8")), FIXTURE.name))
    [only] = record.performance_projects
    return only


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_target_split_over_comparator_value_and_unit_columns_is_read_as_one_value(layout):
    p = project(layout)
    assert [k.value for k in p.period_kpis] == ["≥300家", "100%", "按期完成", "≥15000万元", "≥50", "≥90%"]
    assert [k.value for k in p.annual_kpis] == ["≥100家", "100%", "按期完成", "≥5000万元", "≥20", "≥90%"]
    for kpis in (p.period_kpis, p.annual_kpis):
        assert [(k.level1, k.level2) for k in kpis] == LEVELS
    first = p.annual_kpis[0].parsed
    assert (first.comparator, first.number, first.unit) == ("≥", 100, "家")


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_funds_printed_in_wan_yuan_are_recorded_in_yuan(layout):
    p = project(layout)
    assert (p.period_funds.total, p.annual_funds.total) == (3_600_000, 1_200_000)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_goal_labelled_per_column_group_goes_to_its_column(layout):
    p = project(layout)
    assert p.texts["goal_period"] == "三年兑付创新券。"
    assert p.texts["goal_annual"] == "兑付创新券，降低企业研发成本。"
    assert "目标" not in p.texts.get("legal_basis", "")


def test_a_header_without_split_columns_leaves_rows_untouched():
    header = [Row(1, 1, ("一级指标", "二级指标", "三级指标", "指标值"), "一级指标 二级指标 三级指标 指标值")]
    rows = [Row(2, 2, ("产出指标", "数量指标", "培训人数", "≥"), "产出指标 数量指标 培训人数 ≥")]
    assert join_split_values(header, rows) == rows


@pytest.mark.parametrize(
    ("cells", "total"),
    [
        (["（万元）", "年度资金总额", "120.5"], 1_205_000),
        (["金额单位：万元", "年度资金总额", "0.0123"], 123),
        (["年度资金总额（亿元）", "1.2"], 120_000_000),
        (["年度资金总额", "1,205,000"], 1_205_000),  # 元: as printed
    ],
)
def test_funds_are_scaled_to_yuan_by_the_unit_the_table_names(cells, total):
    assert read_funds(cells)[1].total == total
