"""Performance tables in other templates than the seeds', in every layout family.

tests/fixtures/layouts/split_value_columns.txt prints what the seeds do not: funds in 万元, one
goal label per column group (实施期总体目标 / 年度总体目标), and each target over three columns
(指标性质 | 指标值 | 度量单位), the first holding comparators or words such as 正向指标/定性.
tests/fixtures/layouts/central_template.txt is a central ministry's 申报表: other header labels
(主管单位, 项目单位, 项目类别), 项目编码/项目负责人/联系电话 rows above them, a [161] code, 中期资金总额
and amounts printed with their unit (360万元) under 财政拨款 rows, and 中期目标（2026年—2028年）.
comparator_after_unit.txt prints 指标值 | 度量单位 | 指标性质 (the comparator last) and
score_column.txt a 分值 column after 指标值, whose figures are no indicators.
Every layout of tests/relayout.py must read the same record from each.
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
CENTRAL = Path(__file__).parent / "fixtures" / "layouts" / "central_template.txt"
COMPARATOR_AFTER = Path(__file__).parent / "fixtures" / "layouts" / "comparator_after_unit.txt"
SCORES = Path(__file__).parent / "fixtures" / "layouts" / "score_column.txt"
LEVELS = [
    ("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "时效指标"),
    ("效益指标", "社会效益指标"), ("效益指标", "社会效益指标"), ("满意度指标", "服务对象满意度指标"),
]


def project(layout: str, fixture: Path = FIXTURE):
    record = extract_document(parse_layout(LAYOUTS[layout](fixture.read_text("utf-8")), fixture.name))
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


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_central_template_header_is_read_by_its_own_labels(layout):
    p = project(layout, CENTRAL)
    assert p.name == "国家科技计划项目管理"  # 项目编码/负责人/联系电话 rows neither join it nor end the table
    assert (p.supervising_code, p.supervising_dept) == ("161", "科学技术部")
    assert p.implementing_unit == "科学技术部高技术研究发展中心"
    assert (p.attribute, p.period) == ("延续项目", "3年")
    assert [(c.title, c.doc_number) for c in p.legal_bases] == [("国家重点研发计划管理暂行办法", "国科发资〔2017〕152号")]
    assert (p.texts["goal_period"], p.texts["goal_annual"]) == ("完成项目过程管理30项。", "完成项目过程管理10项。")


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_funds_printed_with_their_unit_under_fiscal_rows_are_recorded_in_yuan(layout):
    p = project(layout, CENTRAL)
    assert (p.period_funds.total, p.period_funds.other) == (3_600_000, 300_000)
    assert (p.annual_funds.total, p.annual_funds.other) == (1_200_000, 100_000)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_central_template_indicator_table_reads_both_column_groups(layout):
    p = project(layout, CENTRAL)
    assert [k.value for k in p.period_kpis] == ["≥30项", "≥90%", "有效支撑", "≥90%"]
    assert [k.value for k in p.annual_kpis] == ["≥10项", "≥90%", "有效支撑", "≥90%"]
    assert [k.level2 for k in p.annual_kpis] == ["数量指标", "质量指标", "社会效益指标", "服务对象满意度指标"]


@pytest.mark.parametrize(
    ("cells", "period", "annual"),
    [
        # 财政拨款 takes its figure: the 其他资金 figure after it is not taken for 其他资金's own
        (["年度资金总额", "其中：财政拨款", "其他资金", "1,200,000", "1,000,000", "200,000"], None, (1_200_000, 200_000)),
        (["实施期资金总额：360万元", "年度资金总额：120万元", "其他资金", "0万元"], (3_600_000, None), (1_200_000, 0)),
        (["项目资金（万元）", "年度资金总额", "1.5亿元"], None, (150_000_000, None)),
    ],
)
def test_fund_figures_pair_with_their_own_labels_and_units(cells, period, annual):
    got_period, got_annual = read_funds(cells)
    assert (got_annual.total, got_annual.other) == annual
    if period:
        assert (got_period.total, got_period.other) == period


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_comparator_printed_after_the_value_and_unit_opens_the_value(layout):
    p = project(layout, COMPARATOR_AFTER)
    assert [(k.level3, k.value) for k in p.annual_kpis] == [  # a table of one year (年度资金 only)
        ("培训人次", "≥500人次"), ("培训合格率", "≥95%"), ("培训完成时间", "≤11月"),
        ("参训人员能力提升", "提升"), ("参训人员满意度", "≥90%"),
    ]
    assert p.period_kpis == ()


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_score_column_beside_the_values_yields_no_indicators(layout):
    p = project(layout, SCORES)
    assert [(k.level2, k.level3, k.value) for k in p.annual_kpis] == [
        ("数量指标", "培训人次", "≥500人次"), ("质量指标", "培训合格率", "≥95%"),
        ("社会效益指标", "参训人员能力提升", "提升"), ("服务对象满意度指标", "参训人员满意度", "≥90%"),
    ]
    assert p.period_kpis == ()
