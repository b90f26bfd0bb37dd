"""Indicator tables: rows read by content, levels placed by label and content together."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetkg.extract.kpi_levels import content_kind
from budgetkg.extract.kpi_table import is_figure, read_kpis, segments, tokenize
from budgetkg.extract.model import Row
from rows import tsv_rows

HEADER = "\t一级指标\t二级指标\t三级指标\t指标值\t二级指标\t三级指标\t指标值\n"


def _read(body: str, header: str = HEADER, mode: str = "columns"):
    rows = tsv_rows(header + body)
    return read_kpis(rows[:1], rows[1:], mode)


def _wrapped(lines: list[str]):
    """read_kpis on pdftotext lines (cells split at spaces), the first line the header."""
    rows = [Row(i, i, tuple(t.split()), t) for i, t in enumerate(lines, 1)]
    return read_kpis(rows[:1], rows[1:], "wrapped")


def _cells(cells: list[str], blank_between_rows: list[int] = ()):
    """read_kpis on one cell per line, the header first; a blank line before each given cell."""
    rows, line = [], 0
    for i, text in enumerate(cells):
        line += 2 if i in blank_between_rows else 1
        rows.append(Row(line, line, (text,), text))
    return read_kpis(rows[:6], rows[6:], "cells")


_STREAM_HEADER = ["二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"]


def _triples(kpis):
    return [(k.level2, k.level3, k.value) for k in kpis]


def test_two_columns_split_into_period_and_annual_with_inherited_labels():
    period, annual, _ = _read(
        "绩效指标\t产出指标\t数量指标\t新立项项目数量\t≥12项\t数量指标\t新立项项目数量\t≥12项\n"
        "\t\t\t攻关核心技术数量\t≥8项\t\t攻关核心技术数量\t≥8项\n"
        "\t\t时效指标\t发布通知及时性\t当年11月份前\t时效指标\t发布通知及时性\t当年11月份前\n"
    )
    assert _triples(period) == [("数量指标", "新立项项目数量", "≥12项"), ("数量指标", "攻关核心技术数量", "≥8项"),
                                ("时效指标", "发布通知及时性", "当年11月份前")]
    assert _triples(annual) == _triples(period)
    assert period[0].level1 == "产出指标" and period[0].line == 2


def test_a_level_label_printed_one_row_early_is_placed_by_content():
    period, _, _ = _read(
        "\t产出指标\t数量指标\t奖励企业数量\t5家\n"
        "\t\t质量指标\t特派员数量\t≤43人\n"
        "\t\t\t资格符合达标率\t100%\n"
        "\t\t时效指标\t补助发放时间\t2026年10月\n",
        header="\t一级指标\t二级指标\t三级指标\t指标值\n",
    )
    levels = {k.level3: k.level2 for k in period}
    assert levels["特派员数量"] == "数量指标"  # a count, though printed beside 质量指标
    assert levels["资格符合达标率"] == "质量指标"
    assert levels["补助发放时间"] == "时效指标"


def test_rows_under_a_label_printed_on_the_first_row_stay_under_it_whatever_their_content():
    """Top-aligned labels: spending items with 万元 values listed under 数量指标 are not moved
    past the 质量/时效 labels printed below them to 成本指标."""
    period, _, _ = _read(
        "\t产出指标\t数量指标\t保密费用\t0.4万元\n"
        "\t\t\t印刷服务费\t3万元\n"
        "\t\t\t差旅费\t3.6万元\n"
        "\t\t质量指标\t目标任务完成率\t100%\n"
        "\t\t时效指标\t及时完成\t1年\n"
        "\t\t成本指标\t按预算执行\t20.2万元\n",
        header="\t一级指标\t二级指标\t三级指标\t指标值\n",
    )
    assert [k.level2 for k in period] == ["数量指标"] * 3 + ["质量指标", "时效指标", "成本指标"]


def test_labels_displaced_by_a_whole_group_still_each_label_the_rows_content_gives_them():
    """Each label printed a group early (seed 002): counts run on under 质量指标, and the rates
    under 时效指标 are the 质量 rows; 质量指标, printed, is not left labelling nothing."""
    period, _, _ = _read(
        "\t产出指标\t数量指标\t奖励研发团队数量\t1家\n"
        "\t\t\t创新创业大赛获奖奖励\t4家\n"
        "\t\t质量指标\t农业科技特派员数量\t≤43人\n"
        "\t\t\t科技型中小企业数量\t≤48家\n"
        "\t\t时效指标\t受惠企业资格符合达标率\t100%\n"
        "\t\t\t应补尽补率\t≥95%\n"
        "\t\t成本指标\t补助发放时间\t2026年10月\n"
        "\t\t\t政策补助成本\t≤1430万元\n"
    )
    assert [k.level2 for k in period] == ["数量指标"] * 4 + ["质量指标"] * 2 + ["时效指标", "成本指标"]


def test_a_printed_label_over_rows_that_all_read_as_another_keeps_one_of_them():
    """质量指标 printed over two counts (seed 001): content alone files both under 数量指标 and
    leaves the printed label empty; the row that fits it best stays under it."""
    period, _, _ = _read(
        "\t产出指标\t数量指标\t开发科普短剧\t1项\n"
        "\t\t\t巡展站点数\t≥26站\n"
        "\t\t质量指标\t参加大赛获奖项目\t≥3项\n"
        "\t\t\t有序举办讲座现场直播\t≥15场次\n"
        "\t\t时效指标\t巡展项目完成时间\t12月底前\n"
    )
    assert "质量指标" in [k.level2 for k in period]


def test_money_a_project_brings_in_above_a_page_break_joins_the_economic_label_after_it():
    """A page break splits the merged 经济效益 cell, and the label is printed below the rows
    before the break (seed 000): money earned (收入, 带动投资) is an economic effect, not a cost."""
    period, _, _ = _read(
        "\t产出指标\t成本指标\t中试基地总成本\t≤200万元\t成本指标\t中试基地总成本\t≤200万元\n"
        "\t\t\t国创中心总成本\t≤1000万元\t\t国创中心总成本\t≤1000万元\n"
        "\t\t\t国创中心-横向科研经费收入\t≥200万元\t\t\t\n"
        "\t\t\t众创空间-带动投资\t≥1000万元\t\t\t\n"
        "\t效益指标\t经济效益\t依托省实验室获得成果转化收入\t≥800万元\t经济效益\t转化形成新产品\t≥3台/套\n"
    )
    assert [(k.level2, k.level3) for k in period] == [
        ("成本指标", "中试基地总成本"), ("成本指标", "国创中心总成本"), ("经济效益", "国创中心-横向科研经费收入"),
        ("经济效益", "众创空间-带动投资"), ("经济效益", "依托省实验室获得成果转化收入")]
    assert period[2].level1 == "效益指标"


def test_a_goal_heading_pushed_into_an_indicator_row_is_no_indicator():
    """主要目标 in the level-1 column of a row holding only labels (seed 000): a heading of the
    form above the table, not an indicator with no value."""
    period, annual, _ = _read(
        "\t效益指标\t社会效益\t带动就业\t≥10人\t社会效益\t带动就业\t≥10人\n"
        "\t主要目标\t生态效益\t\t\t生态效益\t\t\n"
        "\t\t可持续影响\t促进创新能力提升\t有效提升\t可持续影响\t促进创新能力提升\t有效提升\n"
    )
    assert [k.level3 for k in period] == [k.level3 for k in annual] == ["带动就业", "促进创新能力提升"]


def test_a_label_printed_on_the_only_row_of_its_group_keeps_it():
    period, _, _ = _read(
        "\t产出指标\t数量指标\t发明专利申请\t≥30项\n"
        "\t\t质量指标\t构建及筛选高产菌\t≥2个\n"
        "\t\t时效指标\t聚酯研发\t完成\n",
        header="\t一级指标\t二级指标\t三级指标\t指标值\n",
    )
    assert [k.level2 for k in period] == ["数量指标", "质量指标", "时效指标"]


def test_a_label_of_another_kind_is_not_read_as_the_name_under_a_label():
    """成本指标 printed in the 一级 column, then 效益指标 / 经济效益指标 / 发明专利 ≥1项: the
    二级 label opens the row; it is not an indicator named 经济效益指标 valued 发明专利."""
    lines = ["二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值",
             "成本指标", "成本指标", "效益指标", "经济效益指标", "发明专利", "≥1项",
             "经济效益指标", "发明专利", "≥1项", "社会效益指标", "发表论文", "≥1篇", "社会效益指标", "发表论", "≥1篇"]
    rows = [Row(i, i, (t,), t) for i, t in enumerate(lines, 1)]
    period, annual, _ = read_kpis(rows[:6], rows[6:], "cells")
    assert _triples(period) == [("经济效益指标", "发明专利", "≥1项"), ("社会效益指标", "发表论文", "≥1篇")]
    assert _triples(annual) == [("经济效益指标", "发明专利", "≥1项"), ("社会效益指标", "发表论", "≥1篇")]
    assert period[0].level1 == "效益指标"


def test_a_cell_packing_name_and_figure_pairs_as_paragraphs_is_one_indicator_per_pair():
    period, annual, issues = _read(
        "\t<p>数量指标</p>\t\t<p>科学技术合作奖个数 ≤10个</p> <p>认定国家级 科技企业孵化器数量 ≥1家</p>"
        " <p>奖励企业数量 ≥20家</p>\t<p>数量指标</p>\t<p>奖励企业数量 ≥20家</p> <p>孵化中小微企业 ≥25家</p>\t\t\n",
        header="\t<p>一级指标</p>\t<p>二级指标</p>\t<p>三级指标</p> <p>指标值</p>\t<p>二级指标</p>\t<p>三级指标</p>\t<p>指标值</p>\t\n",
    )
    assert _triples(period) == [("数量指标", "科学技术合作奖个数", "≤10个"),
                                ("数量指标", "认定国家级科技企业孵化器数量", "≥1家"),
                                ("数量指标", "奖励企业数量", "≥20家")]
    assert _triples(annual) == [("数量指标", "奖励企业数量", "≥20家"), ("数量指标", "孵化中小微企业", "≥25家")]


def test_a_name_with_one_figure_or_text_after_its_figure_is_not_split():
    period, _, _ = _read("\t产出指标\t数量指标\t新增联盟数量 1家 其中省级联盟\t\n", header="\t一级指标\t二级指标\t三级指标\t指标值\n")
    assert [k.level3 for k in period] == ["新增联盟数量 1家 其中省级联盟"]


def test_a_label_written_into_two_cells_of_a_row_is_one_label():
    period, annual, issues = _read(
        "\t时效指标\t时效指标\t高企-资金拨付到位及时性\t100%\t时效指标\t奖补-资金拨付到位及时性\t100%\n"
        "\t成本指标\t成本指标\t特等奖成本\t≤200万元/年\t成本指标\t成本指标\t奖励成本\t≤10万元/家\n"
        "\t满意度指标\t服务对象满意度\t服务对象满意度\t≥90%\t服务对象满意度\t服务对象满意度\t≥90%\n"
    )
    assert _triples(period) == [("时效指标", "高企-资金拨付到位及时性", "100%"), ("成本指标", "特等奖成本", "≤200万元/年"),
                                ("服务对象满意度", "服务对象满意度", "≥90%")]
    assert _triples(annual) == [("时效指标", "奖补-资金拨付到位及时性", "100%"), ("成本指标", "奖励成本", "≤10万元/家"),
                                ("服务对象满意度", "服务对象满意度", "≥90%")]
    assert not issues


def test_pdftotext_names_glued_to_their_value_are_cut_where_the_table_shows_it():
    """No gap between name and value: cut at a figure ending the name (not a date), at the other
    column's copy printed apart, or where the value repeats the name's number."""
    period, annual, issues = _wrapped([
        "一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值",
        "产出指标",
        "时效指标 按省厅规定时限完成 1年 时效指标 按省厅规定时限完成1年",
        "质量指标 使用兑现数量13次 质量指标 使用兑现数量 13次",
        "2.是否取得预期科普效果是 2.是否取得预期科普效果 是",
        "1.宣传推广及时性1.及时发布宣传信息 1.宣传推广及时性 1.及时发布宣传信息",
        "效益指标",
        "社会效益指标 带动企业积极开展科技创新活动。提高90% 社会效益指标 带动企业积极开展科技创新活动。提高90%",
    ])
    expected = [("按省厅规定时限完成", "1年"), ("使用兑现数量", "13次"), ("2.是否取得预期科普效果", "是"),
                ("1.宣传推广及时性", "1.及时发布宣传信息"), ("带动企业积极开展科技创新活动。", "提高90%")]
    assert [(k.level3, k.value) for k in period] == expected
    assert [(k.level3, k.value) for k in annual] == expected
    dated, _, _ = _read("\t产出指标\t时效指标\t项目完成时间2023年12月\t\n", header="\t一级指标\t二级指标\t三级指标\t指标值\n")
    assert [(k.level3, k.value) for k in dated] == [("项目完成时间2023年12月", "")]  # 2023年 | 12月 is no cut


def test_pdftotext_values_wrapped_in_a_narrow_column_are_joined():
    period, annual, _ = _wrapped([
        "一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值",
        "产出指标",
        "时效指标 1.宣传推广及时性 1.及时发布宣传信息",
        "时效指标",
        "1.宣传推广及时性",
        "1.及时",
        "发布宣",
        "传信息",
        "2.组织筹备及时性 2.及时组织 2.组织筹备及时性",
        "2.及时组",
        "织",
        "成本指标 培训费用 ≤3万元 成本指标 培训费用 ≤3万元",
    ])
    expected = [("1.宣传推广及时性", "1.及时发布宣传信息"), ("2.组织筹备及时性", "2.及时组织"), ("培训费用", "≤3万元")]
    assert [(k.level3, k.value) for k in period] == expected
    assert [(k.level3, k.value) for k in annual] == expected


ONE_COLUMN = "\t一级指标\t二级指标\t三级指标\t指标值\n"


def test_a_label_named_indicator_under_a_label_of_another_kind_keeps_its_name():
    period, annual, _ = _read(
        "\t效益指标\t社会效益指标\t服务对象满意度\t≥90%\t社会效益指标\t服务对象满意度\t≥90%\n"
    )
    assert _triples(period) == _triples(annual) == [("社会效益指标", "服务对象满意度", "≥90%")]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(  # every label a row early: the next label's row reads as displaced too
            "\t产出指标\t数量指标\t入库技术成果数量\t≥900项\n\t\t时效指标\t培训技术经纪人\t≥600人次\n"
            "\t\t成本指标\t对接活动完成时间\t当年12月底前\n\t\t\t平台运维总成本\t≤3240万元\n",
            ["数量指标", "数量指标", "时效指标", "成本指标"], id="every-label-a-row-early",
        ),
        pytest.param(  # …or at least contradicts its own label (a rate under 成本指标)
            "\t产出指标\t数量指标\t入库技术成果数量\t≥900项\n\t\t时效指标\t培训技术经纪人\t≥600人次\n"
            "\t\t成本指标\t项目按期完成率\t100%\n\t\t\t平台运维总成本\t≤3240万元\n",
            ["数量指标", "数量指标", None, "成本指标"], id="next-label-row-contradicts-its-label",
        ),
        pytest.param(  # docling writes a merged label into every row it spans
            "\t产出指标\t数量指标\t奖励企业数量\t5家\n\t产出指标\t质量指标\t特派员数量\t≤43人\n"
            "\t产出指标\t质量指标\t资格符合达标率\t100%\n\t产出指标\t时效指标\t补助发放时间\t2026年10月\n",
            ["数量指标", "数量指标", "质量指标", "时效指标"], id="label-repeated-on-every-row",
        ),
    ],
)
def test_displaced_labels_are_placed_by_content(body, expected):
    """(None: a row whose reading the case does not settle.)"""
    period, _, _ = _read(body, header=ONE_COLUMN)
    assert [k.level2 if want else None for k, want in zip(period, expected)] == expected


def test_names_ending_in_a_rank_a_date_or_a_year_are_not_cut_or_split():
    period, _, issues = _read(
        "\t产出指标\t数量指标\t举办科技人才培训班第2期\t\n"
        "\t\t时效指标\t项目验收时间次年3月\t\n"
        "\t\t\t截至 2026年 累计培训基层科技人员 ≥500人次\t\n",
        header=ONE_COLUMN,
    )
    assert [(k.level3, k.value) for k in period] == [
        ("举办科技人才培训班第2期", ""), ("项目验收时间次年3月", ""), ("截至 2026年 累计培训基层科技人员 ≥500人次", "")]
    assert sum("without a value" in i.message for i in issues) == 3


def test_a_short_name_on_its_own_line_after_a_numbered_value_is_the_next_indicator():
    period, _, _ = _wrapped([
        "一级指标 二级指标 三级指标 指标值", "产出指标", "质量指标", "宣传推广效果", "1.达到预期", "知晓率", "2.明显提高",
    ])
    assert [(k.level3, k.value) for k in period] == [("宣传推广效果", "1.达到预期"), ("知晓率", "2.明显提高")]


def test_the_row_above_a_centred_group_label_joins_that_group_by_content():
    """Labels centred in their merged cells: the row above 效益指标/社会效益指标 inherits 成本指标
    but is a count, and moves down into the 效益 group; money that is an effect (带动…成交额)
    is not a cost."""
    period, _, _ = _read(
        "\t\t\t入库技术成果数量\t≥900项\n"
        "\t\t数量指标\t举办对接活动\t≥20场\n"
        "\t产出指标\t质量指标\t成果转化合同履约率\t≥95%\n"
        "\t\t成本指标\t平台运维成本\t≤300万元\n"
        "\t\t\t服务中小企业数量\t≥1500家\n"
        "\t效益指标\t社会效益指标\t带动技术合同成交额\t≥10亿元\n",
        header=ONE_COLUMN,
    )
    levels = {k.level3: (k.level1, k.level2) for k in period}
    assert levels["服务中小企业数量"] == ("效益指标", "社会效益指标")
    assert levels["带动技术合同成交额"] == ("效益指标", "社会效益指标")
    assert levels["平台运维成本"] == ("产出指标", "成本指标")


def test_bare_numbers_inside_a_sentence_are_not_packed_figures():
    period, _, _ = _read("\t产出指标\t数量指标\t开展试点的县区 3 个 覆盖率 ≥80%\t\n", header=ONE_COLUMN)
    assert [k.level3 for k in period] == ["开展试点的县区 3 个 覆盖率 ≥80%"]


def test_a_short_name_after_a_numbered_value_under_an_unnumbered_name_is_the_next_row():
    period, _, _ = _wrapped([
        "一级指标 二级指标 三级指标 指标值", "产出指标", "质量指标", "宣传推广效果", "1.达到预期", "影响力", "2.持续扩大",
    ])
    assert [(k.level3, k.value) for k in period] == [("宣传推广效果", "1.达到预期"), ("影响力", "2.持续扩大")]


def test_one_cell_per_line_2021_template_keeps_the_columns_apart_after_its_first_level_cost():
    period, annual, _ = _cells(_STREAM_HEADER + [
        "成本指标", "经济成本指标", "人均培训成本", "≤800元/人", "经济成本指标", "人均培训成本", "≤800元/人",
        "培训总成本", "≤300万元", "培训总成本", "≤100万元"])
    assert [(k.level1, k.level2, k.level3, k.value) for k in period] == [
        ("成本指标", "经济成本指标", "人均培训成本", "≤800元/人"), ("成本指标", "经济成本指标", "培训总成本", "≤300万元")]
    assert [k.value for k in annual] == ["≤800元/人", "≤100万元"]


def test_a_name_and_value_each_wrapped_in_their_cells_are_one_indicator():
    """<br> in both cells (MinerU, marker) reads as one indicator, not two packed ones."""
    period, _, _ = _read(
        "\t产出指标\t数量指标\t培训基层科<br>技人员\t≥600<br>人次\n"
        "\t效益指标\t社会效益指标\t农业技术<br>水平\t有效<br>提升\n",
        header=ONE_COLUMN,
    )
    assert [(k.level3, k.value.replace(" ", "")) for k in period] == [("培训基层科技人员", "≥600人次"), ("农业技术水平", "有效提升")]


def test_a_name_cut_short_that_reads_like_a_date_is_the_name_when_its_value_follows():
    """时效指标 | 2023年12月 | 1年: the 年度 name cut off by the PDF looks like a date, but the
    value column holds 1年, so the label is the label and the date-like text the name."""
    period, annual, issues = _read(
        "\t产出指标\t时效指标\t多类别功能型生物基聚酯\t完成\t时效指标\t2023年12月\t1年\n"
    )
    assert _triples(period) == [("时效指标", "多类别功能型生物基聚酯", "完成")]
    assert _triples(annual) == [("时效指标", "2023年12月", "1年")]
    assert not issues


def test_numbering_that_starts_again_under_a_label_marks_where_its_group_begins():
    """1.2.3. under 数量指标, then 1. again under 质量指标: the count 1.宣传途径 ≥3种 opens the
    质量 group and the rate 3.验收率 stays with 1. and 2. in the 数量 group."""
    period, _, _ = _wrapped([
        "一级指标 二级指标 三级指标 指标值",
        "产出指标",
        "数量指标 1.宣传次数 ≥5次",
        "2.宣传人数 ≥5000人",
        "3.项目整体验收率 ≥90%",
        "质量指标",
        "1.宣传途径 ≥3种",
        "2.是否取得预期科普效果 是",
    ])
    assert [k.level2 for k in period] == ["数量指标"] * 3 + ["质量指标"] * 2


def test_cost_is_its_own_first_level_where_the_2021_template_makes_it_one():
    period, _, _ = _read(
        "\t产出指标\t数量指标\t兑付企业数量\t≥100家\n"
        "\t成本指标\t经济成本指标\t单家企业兑付上限\t≤15万元\n"
        "\t\t社会成本指标\t无\t无\n"
        "\t效益指标\t社会效益指标\t服务科技型中小企业\t≥100家\n",
        header="\t一级指标\t二级指标\t三级指标\t指标值\n",
    )
    assert [(k.level1, k.level2) for k in period] == [
        ("产出指标", "数量指标"), ("成本指标", "经济成本指标"), ("成本指标", "社会成本指标"), ("效益指标", "社会效益指标"),
    ]


def test_cost_under_output_stays_there_in_the_older_template():
    period, _, _ = _read(
        "\t产出指标\t数量指标\t兑付企业数量\t≥100家\n\t\t成本指标\t单家企业兑付上限\t≤15万元\n",
        header="\t一级指标\t二级指标\t三级指标\t指标值\n",
    )
    assert [(k.level1, k.level2) for k in period] == [("产出指标", "数量指标"), ("产出指标", "成本指标")]


def test_no_category_is_invented_when_the_table_does_not_print_it():
    period, _, _ = _read(
        "\t产出指标\t质量指标\t补助单位准确率\t100%\n\t\t\t项目完成时间\t12月31日前\n",
        header="\t一级指标\t二级指标\t三级指标\t指标值\n",
    )
    assert [k.level2 for k in period] == ["质量指标", "质量指标"]


def test_an_unlabelled_annual_column_mirrors_the_period_labels():
    period, annual, _ = _read("产出指标\t数量指标\t邀请科学家\t≥4人次\t≥4人次\t法治宣传活动\t1场\t1场\n"
                              "\t\t统计培训\t1次\t1次\t服务会议次数\t≥8场\t≥8场\n")
    assert _triples(annual) == [("数量指标", "法治宣传活动", "1场"), ("数量指标", "服务会议次数", "≥8场")]
    assert len(period) == 2  # the doubled value cells are read once


def test_packed_cells_pair_names_and_values_by_position():
    period, _, _ = _read("\t产出指标\t数量指标\t科普视频 农村微课堂\t≥50部 ≥800期\t数量指标\t科普视频 农村微课堂\t≥50部 ≥800期\n")
    assert _triples(period) == [("数量指标", "科普视频", "≥50部"), ("数量指标", "农村微课堂", "≥800期")]


def test_a_label_followed_by_a_figure_is_the_indicator_name():
    period, annual, _ = _read("服务对象满意度\t\t服务对象满意度\t\t≥90%\t\t服务对象满意度\t\t≥90%\n")
    assert _triples(period) == [("服务对象满意度", "服务对象满意度", "≥90%")]
    assert _triples(annual) == [("服务对象满意度", "服务对象满意度", "≥90%")]
    assert period[0].level1 == "满意度指标"


def test_pdftotext_rows_alternate_columns_and_join_wrapped_names():
    lines = ["一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值", "产出指标", "数量指标",
             "4.培训人数≥1000人", "数量指标", "4.培训人数 ≥1000人", "1.宣传次数≥5次 1.宣传次数 ≥5次",
             "3.经济效益、社会效益达到要求≥85%", "3.经济效益、社会效益达到", "要求", "≥85%"]
    period, annual, _ = _wrapped(lines)
    assert [k.level3 for k in period] == ["4.培训人数", "1.宣传次数", "3.经济效益、社会效益达到要求"]
    assert [k.value for k in annual] == ["≥1000人", "≥5次", "≥85%"]


def test_a_long_annual_name_printed_on_lines_of_its_own_is_no_wrap_of_the_row_above():
    """pdftotext breaks a cell wider than its column out of the row: the 实施期 cells end the
    line, the 年度 name follows on lines of its own. Its first line is wider than any cell above,
    so it continues none of them (not ≥80个能源领域…)."""
    period, annual, _ = _wrapped([
        "一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值",
        "效益指标 社会效益 甲指标 ≥2个 社会效益 乙指标 ≥20人",
        "丙指标 ≥80个",
        "能源领域省校合作能源院-吸引省外及国外高水平研发单位参与项目",
        "实施数",
        "≥3个",
        "丁指标 ≥100次 戊指标 ≥5个",
    ])
    assert _triples(period) == [("社会效益", "甲指标", "≥2个"), ("社会效益", "丙指标", "≥80个"), ("社会效益", "丁指标", "≥100次")]
    assert _triples(annual)[1] == ("社会效益", "能源领域省校合作能源院-吸引省外及国外高水平研发单位参与项目实施数", "≥3个")


def test_a_wrapped_line_of_latin_letters_and_digits_is_measured_by_its_printed_width():
    """ISO9001:2015标准 has more characters than 通过质量管理体系认证企业 but prints narrower
    (a letter or digit is half a Chinese glyph wide): it is that name's second line."""
    period, annual, _ = _wrapped([
        "一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值",
        "产出指标 数量指标 通过质量管理体系认证企业 ≥5家 数量指标 通过质量管理体系认证企业 ≥5家",
        "ISO9001:2015标准 ISO9001:2015标准",
        "质量指标 验收合格率 100% 质量指标 验收合格率 100%",
    ])
    assert _triples(period)[0] == _triples(annual)[0] == ("数量指标", "通过质量管理体系认证企业ISO9001:2015标准", "≥5家")


def test_chinese_quotation_marks_count_full_width_in_a_wrapped_line():
    """“ ” are of ambiguous width but print full width in a Chinese font: 的企业数量比例有提升 is
    no wider than 参与“揭榜挂帅”项目, so it is that name's second line."""
    period, _, _ = _wrapped([
        "一级指标 二级指标 三级指标 指标值",
        "产出指标 数量指标 参与“揭榜挂帅”项目 ≥5家",
        "的企业数量比例有提升",
        "质量指标 验收合格率 100%",
    ])
    assert _triples(period)[0] == ("数量指标", "参与“揭榜挂帅”项目的企业数量比例有提升", "≥5家")


def test_pdftotext_names_wrapped_below_their_row_join_their_own_column():
    lines = ["一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值",
             "产出指标 数量指标 开展科技成果转化对接 ≥12场 数量指标 开展科技成果转化对接 ≥4场",
             "活动场次 活动场次",
             "质量指标 技术合同登记审核准 100% 质量指标 技术合同登记审核准 100%",
             "确 确", "率 率",
             "满意度指标 服务对象满意度指标 参会企业满意度 ≥90% 服务对象满意度指标 参会企业满意度 ≥90%"]
    period, annual, _ = _wrapped(lines)
    names = ["开展科技成果转化对接活动场次", "技术合同登记审核准确率", "参会企业满意度"]
    assert [k.level3 for k in period] == names and [k.level3 for k in annual] == names
    assert [k.value for k in period] == ["≥12场", "100%", "≥90%"]
    assert [k.value for k in annual] == ["≥4场", "100%", "≥90%"]
    assert [k.level2 for k in annual] == ["数量指标", "质量指标", "服务对象满意度指标"]


def test_a_row_of_one_column_group_after_a_mirrored_row_is_an_indicator_not_its_wrap():
    period, annual, _ = _wrapped([
        "一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值",
        "可持续影响 成果持续使用年限 5年 可持续影响 成果持续使用年限 5年",
        "长效机制 持续发挥作用",
        "降低服务对象成本 有效降低",
    ])
    read = {(k.level3, k.value) for k in period + annual}
    assert {("成果持续使用年限", "5年"), ("长效机制", "持续发挥作用"), ("降低服务对象成本", "有效降低")} <= read
    assert not [name for name, _ in read if name.startswith("成果持续使用年限") and name != "成果持续使用年限"]


def test_the_second_line_of_a_wrapped_label_is_not_joined_to_the_row_beside_it():
    lines = ["一级指标 二级指标 三级指标 指标值",
             "效益指标 社会效益 带动企业研发投入 ≥5000万元",
             "指标"]
    period, _, _ = _wrapped(lines)
    assert period[0].level3 == "带动企业研发投入"


def test_a_line_of_names_without_figures_is_not_joined_to_a_row_of_another_shape():
    lines = ["一级指标 二级指标 三级指标 指标值",
             "产出指标 数量指标 培训人数 ≥100人 宣传次数 ≥5次",
             "带动就业"]
    period, annual, _ = _wrapped(lines)
    assert "带动就业" not in [k.level3 for k in period + annual][:2]
    assert [k.level3 for k in period + annual][:2] == ["培训人数", "宣传次数"]


def test_values_are_parsed_and_unreadable_ones_are_reported():
    period, _, issues = _read("\t产出指标\t数量指标\t安保管理\t24小时安保无忧\n", header="\t一级指标\t二级指标\t三级指标\t指标值\n")
    assert period[0].parsed.kind == "unparsed" and period[0].value == "24小时安保无忧"
    assert any("24小时安保无忧" in i.message and i.line == 2 for i in issues)


def test_figures_are_told_from_names_ending_in_digits():
    assert all(map(is_figure, ["≥12项", "100%", "12月底前", "当年12月底前", "1.2万元/人/年", "≤682元/人/月"]))
    assert not any(map(is_figure, ["生活补助发放标准1", "统计11个市科协", "4.培训人数", "持续提升",
                                   "专家咨询、法律顾问费≤1万元/年"]))


@settings(max_examples=200)
@given(st.lists(st.lists(st.sampled_from(["", "产出指标", "数量指标", "质量指标", "名称甲", "≥3项", "100%", "持续提升"])
                         | st.text(max_size=8), max_size=8), max_size=12))
def test_any_table_reads_without_error(table):
    rows = [Row(i, i, tuple(cells), " ".join(cells)) for i, cells in enumerate(table, 2)]
    for mode in ("columns", "wrapped", "cells"):
        period, annual, _ = read_kpis([Row(1, 1, ("三级指标", "指标值", "三级指标", "指标值"), "")], rows, mode)
        assert all(k.level3 for k in period + annual)


def test_segments_of_a_row_keep_label_name_value_order():
    segs = segments(tokenize(Row(1, 1, ("效益指标", "经济效益", "带动本地经济发展", "带动", "经济效益", "带动本地经济发展"), "")))
    assert [(s.l2, s.name, s.value) for s in segs] == [(["经济效益"], "带动本地经济发展", "带动"),
                                                        (["经济效益"], "带动本地经济发展", None)]


@pytest.mark.parametrize(
    ("name", "value", "kind"),
    [
        ("工服人均成本", "≤3562.27元", "cost"),  # 3562.27 is money, not the date 3562.27
        ("完成时间", "2023.12", "date"),
        ("完成时间", "12月底前", "date"),
        ("带动社会资金投入", "≥5000万元", "benefit"),  # an effect, though it names 资金
        ("依托实验室获得科研经费收入", "≥17290万元", "benefit"),
        ("联盟单位产生新的成果转化收益", "≥250万元", "benefit"),
        ("项目总投资", "≤500万元", "money"),  # the project's own spending, or what it attracts
        ("低收入农户补助标准", "≤6000元/户", "money"),  # capped: a payment, though it names 收入
        ("低收入农户补助标准", "6000元/户", "money"),  # named a payment, with no floor to reach
        ("融资担保费补贴", "≤200万元", "money"),
        ("融资担保费补贴", "200万元", "money"),
        ("带动社会资金投入", "5000万元以上", "benefit"),  # drawn in, whatever words of payment
        ("科研经费收入", "200万元", "benefit"),  # 收入 is the head word, after 经费
        ("收入困难家庭救助标准", "300元/户", "money"),  # 标准 is
        ("带动就业补贴资金", "500万元", "money"),  # a payment, though it names what it draws in
        ("低收入人口补助资金", "500万元以上", "money"),  # a floor does not make a payment income
        ("产值奖励资金", "100万元", "money"),
        ("中央财政资金投入", "≤500万元", "money"),
        ("平台运维成本", "≤300万元", "cost"),
        # a rate in % is a quality though it names time or progress (seed 002's gold files it so)
        ("管理人员及物业人员薪酬发放及时率", "≥90%", "rate"),
        ("工程进度款支付要求达标率", "≥90%", "rate"),
        ("资金拨付及时性", "及时", "timely"),
    ],
)
def test_content_kind_tells_costs_from_money_and_dates(name, value, kind):
    assert content_kind(name, value) == kind


def test_a_label_written_into_two_cells_is_one_columns_label_in_a_stream():
    """成本指标 成本指标 总成本 ≤1000万元 成本指标 单项 ≤80万元: the first two copies are the
    merged cell of the 实施期 column, the third the 年度 column's own."""
    period, annual, _ = _cells(_STREAM_HEADER + [
        "成本指标", "成本指标", "专项总成本", "≤1000万元", "成本指标", "单项平均支持额度", "≤80万元",
        "单项平均支持额度", "≤80万元", "专项总成本", "≤6000万元"])
    assert _triples(period) == [("成本指标", "专项总成本", "≤1000万元"), ("成本指标", "单项平均支持额度", "≤80万元")]
    assert _triples(annual) == [("成本指标", "单项平均支持额度", "≤80万元"), ("成本指标", "专项总成本", "≤6000万元")]


def test_a_label_printed_empty_in_one_column_leaves_the_groups_rows_to_the_other():
    """成本指标 (nothing under it in 实施期) 成本指标 履职成本 控制在预算之内, then rows of the
    年度 column alone: every row of the group is 年度's, in text (one line per row) and in one
    cell per line, with blank lines between rows or without: a column fills its group from the
    top, so one with nothing on the group's first row has nothing under the label."""
    lines = ["一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值",
             "产出指标 数量指标 发明专利申请 ≥30项 数量指标 完成核心工作任务 3项",
             "成本指标 成本指标 履职成本及项目 控制在预算之内",
             "效益指标 经济效益指标 经济效益指标 生物产业产值增长 预期目标",
             "申请专利数 预期目标",
             "社会效益指标 社会效益指标 研发成果转化 逐年提升"]
    period, annual, _ = _wrapped(lines)
    assert [k.level3 for k in period] == ["发明专利申请"]
    assert [k.level3 for k in annual] == ["完成核心工作任务", "履职成本及项目", "生物产业产值增长", "申请专利数", "研发成果转化"]
    cells = _STREAM_HEADER + ["数量指标", "发明专利申请", "≥30项", "数量指标", "完成核心工作任务", "3项",
                              "成本指标", "成本指标", "履职成本及项目", "控制在预算之内", "申请专利数", "预期目标"]
    period, annual, _ = _cells(cells, blank_between_rows=[12, 16])
    assert [k.level3 for k in period] == ["发明专利申请"]
    assert [k.level3 for k in annual] == ["完成核心工作任务", "履职成本及项目", "申请专利数"]
    period, annual, _ = _cells(cells)  # no blank lines: rows unseen, but columns fill from the top
    assert [k.level3 for k in period] == ["发明专利申请"]
    assert [k.level3 for k in annual] == ["完成核心工作任务", "履职成本及项目", "申请专利数"]


def test_labels_side_by_side_in_one_cell_per_line_label_each_column_where_both_list_the_group():
    """社会效益 / 社会效益 / 促进… / 有效促进 / 举办… / ≥1个, then rows holding the same names in
    both columns: the copies were printed side by side, one per column (not an empty 实施期)."""
    cells = ("经济效益,带动投资额,≥1200万元,经济效益,申请国家级项目,≥3项,社会效益,社会效益,促进创新能力提升情况,有效促进,"
             "举办国际学术会议次数,≥1个,发表科研论文数量,≥10篇,新增知识产权数量,≥80个,新增知识产权数量,≥80个,"
             "发表科研论文数量,≥10篇").split(",")
    period, annual, _ = _cells(_STREAM_HEADER + cells)
    assert [k.level3 for k in period] == ["带动投资额", "促进创新能力提升情况", "发表科研论文数量", "新增知识产权数量"]
    assert [k.level3 for k in annual] == ["申请国家级项目", "举办国际学术会议次数", "新增知识产权数量", "发表科研论文数量"]
    assert {k.level2 for k in period[1:] + annual[1:]} == {"社会效益"}


def test_one_cell_per_line_joins_a_date_cut_before_its_month_and_parts_a_label_on_a_figures_line():
    """PyMuPDF prints a cell's lines one per line and what shares a baseline on one line:
    2026 年12 / 月底前 is one date, and 1000 元/月成本指标 a figure then the other column's label."""
    cells = ["时效指标", "生活补贴发放时间", "2026 年12", "月底前", "时效指标", "生活补贴发放时间", "2026 年12", "月底前",
             "成本指标", "生活补贴发放标准", "1000 元/月成本指标", "生活补贴发放标准", "1000 元/月"]
    period, annual, _ = _cells(_STREAM_HEADER + cells)
    assert _triples(period) == _triples(annual) == [
        ("时效指标", "生活补贴发放时间", "2026 年12月底前"), ("成本指标", "生活补贴发放标准", "1000 元/月")]


def test_one_name_wrapped_at_two_widths_by_the_two_columns_is_one_name_in_each():
    """促进各类人才投身我 / 市高质量转型发展 / 促进 and 促进各类人才投身我市 / 高质量转型发展 / 促进: one
    name cut in two places before the same value, so each pair of lines is the name (read
    apart, the second line would be the value and 促进 the next name)."""
    cells = ["社会效益", "促进各类人才投身我", "市高质量转型发展", "促进", "社会效益", "促进各类人才投身我市", "高质量转型发展", "促进"]
    period, annual, _ = _cells(_STREAM_HEADER + cells)
    assert _triples(period) == _triples(annual) == [("社会效益", "促进各类人才投身我市高质量转型发展", "促进")]


def test_the_longest_label_glued_to_a_figure_is_parted_from_it():
    """≥90%社会效益指标: the label is 社会效益指标, not 效益指标 (≥90%社会 would read as a figure too)."""
    cells = ["数量指标", "培训人数", "≥100人", "数量指标", "培训人数", "≥100人",
             "社会效益指标", "培训覆盖率", "≥90%社会效益指标", "培训覆盖率", "≥90%"]
    period, annual, _ = _cells(_STREAM_HEADER + cells)
    assert _triples(period) == _triples(annual) == [("数量指标", "培训人数", "≥100人"), ("社会效益指标", "培训覆盖率", "≥90%")]


def test_names_wrapped_and_printed_line_by_line_across_a_row_join_their_second_lines():
    """PyMuPDF prints a row of wrapped cells line by line across: both first lines and values,
    then both second lines. Where the two names then come out as one, cut in two places, each
    second line joins its own name."""
    cells = ["数量指标", "举办山西省宋庆龄少年", "1 项", "举办山西省宋庆龄少", "1 项", "儿童发明奖活动", "年儿童发明奖活动",
             "质量指标", "创新大赛获得奖项", "≥2 项", "质量指标", "创新大赛获得奖项", "≥2 项"]
    period, annual, _ = _cells(_STREAM_HEADER + cells)
    assert [k.level3 for k in period] == [k.level3 for k in annual] == ["举办山西省宋庆龄少年儿童发明奖活动", "创新大赛获得奖项"]


def test_a_row_opening_with_both_columns_labels_side_by_side_labels_each_column():
    """⇥社会效益⇥社会效益⇥name⇥value⇥name⇥value: the converter dropped the empty cells between
    the 实施期 indicator and the 年度 label, so the positions mislead; the second copy is the
    年度 column's label, and the rows under it stay the 年度 column's."""
    period, annual, _ = _read(
        "\t效益指标\t经济效益\t带动投资额\t≥1200万元\t经济效益\t申请国家级项目\t≥3项\n"
        "\t\t社会效益\t社会效益\t促进创新能力提升情况\t有效促进\t举办国际学术会议次数\t≥1个\n"
        "\t\t\t\t发表科研论文\t≥10篇\t新增知识产权数量\t≥80个\n"
    )
    assert _triples(period)[1:] == [("社会效益", "促进创新能力提升情况", "有效促进"), ("社会效益", "发表科研论文", "≥10篇")]
    assert _triples(annual)[1:] == [("社会效益", "举办国际学术会议次数", "≥1个"), ("社会效益", "新增知识产权数量", "≥80个")]


def test_a_label_after_an_indicator_on_its_row_is_the_other_columns():
    """A row shifted right (seed 000): ⇥效益指标⇥⇥⇥经济效益⇥name⇥⇥value⇥经济效益. By position the
    indicator and the last label both fall in the 年度 columns, but a column group reads labels,
    name, value: the trailing label is 年度's, the indicator 实施期's."""
    period, annual, _ = _read(
        "\t产出指标\t成本指标\t项目支持总成本\t≤4000万元\t成本指标\t项目支持总成本\t≤4000万元\n"
        "\t效益指标\t\t\t经济效益\t带动建设生产线\t\t≥5条（套）\t经济效益\n"
        "\t\t带动社会投资额\t≥16700万元\t\t带动建设生产线\t≥5条（套）\t\t\n"
    )
    assert [(k.level1, k.level2, k.level3) for k in period][1:] == [
        ("效益指标", "经济效益", "带动建设生产线"), ("效益指标", "经济效益", "带动社会投资额")]
    assert [(k.level2, k.level3) for k in annual][1:] == [("经济效益", "带动建设生产线")]


def test_labels_printed_side_by_side_above_their_row_label_each_column():
    """经济效益 经济效益 on a line of their own, the row below: the 实施期 indicator keeps its
    value and the 年度 one takes the second label, not the cost label before it."""
    lines = ["一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值",
             "产出指标", "成本指标 单个项目支持强度 ≤30万元/项 成本指标 单个项目支持强度 ≤30万元/项",
             "效益指标", "经济效益 经济效益", "降低企业研发成本 ≥1000万元 降低企业研发成本 ≥300万元"]
    period, annual, _ = _wrapped(lines)
    assert _triples(period)[-1] == ("经济效益", "降低企业研发成本", "≥1000万元")
    assert _triples(annual)[-1] == ("经济效益", "降低企业研发成本", "≥300万元")


def test_a_label_printed_by_both_columns_starts_a_row_after_rows_of_one_column():
    """One cell per line, no blank lines: 质量指标 twice with one indicator under it cannot
    say whose rows follow, but the next label printed by both columns (时效指标 … 时效指标)
    starts a row again, so the rows after it keep their columns."""
    period, annual, _ = _cells(_STREAM_HEADER + [
        "数量指标", "支持企业数量", "≥30家", "数量指标", "支持企业数量", "≥10家",
        "质量指标", "质量指标", "验收通过率", "≥95%", "项目结题率", "≥90%",
        "时效指标", "资金拨付及时率", "100%", "时效指标", "资金拨付及时率", "≥98%",
        "成本指标", "单项平均支持额度", "≤20万元", "成本指标", "单项平均支持额度", "≤15万元"])
    assert [k.value for k in period][-2:] == ["100%", "≤20万元"]
    assert [k.value for k in annual][-2:] == ["≥98%", "≤15万元"]


@pytest.mark.parametrize("labels_row", [
    # labels printed on every row: the second 数量指标 row is a row of its own, not a third copy
    (" 数量指标   数量指标 新增孵化企业 ≥3家", " 数量指标 举办培训场次 ≥6场 数量指标 举办培训场次 ≥2场"),
    # 2021 template: 社会成本指标 and 生态环境成本指标 are two labels of the cost group, not one
    (" 社会成本指标   社会成本指标 新增孵化企业 ≥3家", " 生态环境成本指标 举办培训场次 ≥6场 生态环境成本指标 举办培训场次 ≥2场"),
])
def test_a_label_with_nothing_under_it_in_one_column_is_not_a_merged_cell(labels_row):
    lines = ["一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值",
             "产出指标 数量指标 支持企业数量 ≥30家 数量指标 支持企业数量 ≥10家", *labels_row,
             "效益指标 社会效益指标 带动企业研发投入 ≥5000万元 社会效益指标 带动企业研发投入 ≥2000万元"]
    period, annual, _ = _wrapped(lines)
    assert [k.value for k in period] == ["≥30家", "≥6场", "≥5000万元"]
    assert [k.value for k in annual] == ["≥10家", "≥3家", "≥2场", "≥2000万元"]


def test_a_short_name_after_a_label_printed_twice_is_the_name_not_the_labels_value():
    """社会效益指标 社会效益指标 带动就业 ≥30人: a figure follows 带动就业, so it is the
    indicator's name, and the label printed twice is not an indicator named after itself."""
    lines = ["一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值",
             "产出指标 数量指标 支持企业数量 ≥30家 数量指标 支持企业数量 ≥10家",
             "效益指标 社会效益指标 社会效益指标 带动就业 ≥30人 社会效益指标 带动就业 ≥10人",
             "满意度指标 服务对象满意度指标 服务对象满意度指标 ≥90% 服务对象满意度指标 服务对象满意度指标 ≥95%"]
    period, annual, _ = _wrapped(lines)
    assert _triples(period)[1:] == [("社会效益指标", "带动就业", "≥30人"),
                                    ("服务对象满意度指标", "服务对象满意度指标", "≥90%")]
    assert _triples(annual)[1:] == [("社会效益指标", "带动就业", "≥10人"),
                                    ("服务对象满意度指标", "服务对象满意度指标", "≥95%")]


def test_a_name_cut_short_to_a_year_and_month_is_the_name_in_a_stream():
    """时效指标 2023年12月 1年 in pdftotext: the year and month is the 年度 name the PDF cut
    short, 1年 its value (as where cells keep their columns)."""
    lines = ["一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值",
             "产出指标 数量指标 发明专利申请 ≥30项 数量指标 完成核心工作任务 3项",
             "时效指标 多类别功能型生物基聚酯 完成 时效指标 2023年12月 1年"]
    period, annual, _ = _wrapped(lines)
    assert _triples(period)[-1] == ("时效指标", "多类别功能型生物基聚酯", "完成")
    assert _triples(annual)[-1] == ("时效指标", "2023年12月", "1年")


def test_a_line_packing_name_and_figure_pairs_is_one_indicator_per_pair_in_a_stream():
    """One cell per line from a converter that printed a column of rows as one paragraph:
    the line's pairs are indicators, its last figure not the value of one long name."""
    period, annual, _ = _cells(_STREAM_HEADER + [
        "数量指标", "孵化器-认定孵化器数量 ≥1家 众创空间-新认定众创空间 ≥20家 高企-奖励高新技术企业 ≥1300家",
        "数量指标", "孵化器-认定孵化器数量 ≥1家 高企-奖励高新技术企业 ≥1000家 众创空间-新认定众创空间 ≥10家"])
    assert [(k.level3, k.value) for k in period] == [
        ("孵化器-认定孵化器数量", "≥1家"), ("众创空间-新认定众创空间", "≥20家"), ("高企-奖励高新技术企业", "≥1300家")]
    assert [k.value for k in annual] == ["≥1家", "≥1000家", "≥10家"]
    assert {k.level2 for k in period + annual} == {"数量指标"}


def test_a_text_line_packing_rows_of_both_columns_splits_at_the_labels_second_copy():
    """pdftotext prints a column of rows written as one paragraph on one line per column
    group: 数量指标 n1 v1 n2 v2 n3 v3 数量指标 m1 w1 m2 w2 — the pairs before the second copy
    are 实施期's, the rest 年度's, not alternating pair by pair."""
    lines = ["一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值",
             "数量指标 孵化器数量 ≥1家 众创空间数量 ≥20家 高新技术企业 ≥1300家 数量指标 孵化器数量 ≥1家 高新技术企业 ≥1000家",
             "质量指标 验收通过率 ≥90% 质量指标 验收通过率 ≥95%"]
    period, annual, _ = _wrapped(lines)
    assert [k.value for k in period] == ["≥1家", "≥20家", "≥1300家", "≥90%"]
    assert [k.value for k in annual] == ["≥1家", "≥1000家", "≥95%"]


def test_a_packed_cell_of_names_and_its_cell_of_figures_pair_up_in_one_cell_per_line():
    """k names on one line and k figures on the next (one cell per line of a packed pair of
    cells): the figures' line is one value cell, not a name with its last figure split off."""
    packed = ["微信平台维护更新 科普视频 防灾减灾等 印刷并配发挂图 农村微课堂", "≥50期 ≥50部 ≥40套 ≥2500套 ≥800期"]
    period, annual, _ = _cells(_STREAM_HEADER + ["数量指标", *packed, "数量指标", *packed])
    expected = [("数量指标", name, value) for name, value in zip(packed[0].split(), packed[1].split())]
    assert _triples(period) == expected
    assert _triples(annual) == expected


def test_a_value_cell_ending_in_a_figure_stays_whole_where_each_cell_has_its_own_line():
    """One cell per line keeps cells apart: 分辨率像素值不低于2.1MP is the value as printed,
    not a name glued to a figure (only pdftotext runs cells together)."""
    row = ["质量指标", "视频分辨率", "分辨率像素值不低于2.1MP"]
    period, annual, _ = _cells(_STREAM_HEADER + row + row)
    assert _triples(period) == _triples(annual) == [("质量指标", "视频分辨率", "分辨率像素值不低于2.1MP")]


def test_a_pdftotext_cell_after_a_name_on_its_line_is_that_names_value_whole():
    """pdftotext, 视频分辨率 分辨率像素值不低于2.1MP: a text ending in a figure right after a name
    on the same line is the name's value; a name glued to its figure after a value is still cut."""
    period, annual, _ = _wrapped([
        "一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值",
        "产出指标",
        "质量指标 视频分辨率 分辨率像素值不低于2.1MP 质量指标 项目验收合格率 ≥90%",
        "项目验收合格率 ≥90% 视频分辨率 分辨率像素值不低于2.1MP",
        "时效指标 按省厅规定时限完成1年 时效指标 按省厅规定时限完成 1年",
    ])
    assert _triples(period) == [("质量指标", "视频分辨率", "分辨率像素值不低于2.1MP"),
                                ("质量指标", "项目验收合格率", "≥90%"), ("时效指标", "按省厅规定时限完成", "1年")]
    assert _triples(annual) == [("质量指标", "项目验收合格率", "≥90%"),
                                ("质量指标", "视频分辨率", "分辨率像素值不低于2.1MP"), ("时效指标", "按省厅规定时限完成", "1年")]


_KPI_HEADER_LINE = "一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值"


@pytest.mark.parametrize("lines, expected", [
    (  # 服务对象 满意度: the wrapped label cell printed as two words, not an indicator 服务对象
        ["效益指标 社会效益 单位正常开馆 达成 社会效益 单位正常开馆 达成",
         "满意度 指标 服务对象 满意度 用水便利度 便利 服务对象 满意度 用水便利度 便利",
         "用电便利度 便利 用电便利度 便利"],
        [("社会效益", "单位正常开馆", "达成"), ("服务对象满意度", "用水便利度", "便利"),
         ("服务对象满意度", "用电便利度", "便利")],
    ),
    (  # 数量 指标: pdftotext joins the cells 数量 指标 and 供暖面积 with the same space, so
        # 指标 stands alone; it completes the label before it, as the cell reads
        ["产出 指标 数量 指标 供暖面积 ≤26543㎡ 数量 指标 供暖面积 ≤26543㎡",
         "预计用水量 ≤16400吨 预计用水量 ≤16400吨",
         "成本 指标 单位供暖成本 ≤73.93元/平方米 成本 指标 单位供暖成本 ≤73.93元/平方米"],
        [("数量指标", "供暖面积", "≤26543㎡"), ("数量指标", "预计用水量", "≤16400吨"),
         ("成本指标", "单位供暖成本", "≤73.93元/平方米")],
    ),
], ids=["服务对象 满意度", "数量 指标"])
def test_a_label_split_at_a_wrap_space_on_its_line_is_one_label_in_pdftotext(lines, expected):
    period, annual, _ = _wrapped([_KPI_HEADER_LINE, *lines])
    assert _triples(period) == _triples(annual) == expected
    assert all(k.level1 for k in period)  # each filed under its 一级指标 (成本指标: 产出指标)


def test_a_name_repeated_into_its_value_column_by_docling_has_no_value():
    """docling writes a merged cell's text into every column it spans: 公民科学素质水平 |
    公民科学素质水平 is a name with no value, not a value equal to its name."""
    period, annual, _ = _read(
        "\t效益指标\t社会效益\t公民科学素质水平\t公民科学素质水平\t社会效益\t公民科学素质水平\t公民科学素质水平\n"
        "\t\t\t带动就业\t带动\t\t带动就业\t带动\n"
    )
    assert _triples(period) == _triples(annual) == [("社会效益", "公民科学素质水平", ""), ("社会效益", "带动就业", "带动")]


def test_a_name_printed_by_both_columns_without_a_value_is_one_indicator_in_each():
    """pdftotext, 1.发布科技信息… 1.发布科技信息…: the same long name twice on a line is the two
    columns' rows of it, neither the other's value; a figure after the second copy is its value."""
    period, annual, _ = _wrapped([
        "一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值",
        "效益指标 社会效益指标 社会效益指标",
        "1.发布科技信息，科技各方面政策及时宣传扩大 1.发布科技信息，科技各方面政策及时宣传扩大",
        "2.提升科技创新社会影响力有效提升 2.提升科技创新社会影响力有效提升",
        "科技型企业服务覆盖率 科技型企业服务覆盖率 ≥60%",
    ])
    assert [(k.level3, k.value) for k in period] == [
        ("1.发布科技信息，科技各方面政策及时宣传扩大", ""), ("2.提升科技创新社会影响力有效提升", ""), ("科技型企业服务覆盖率", "")]
    assert [(k.level3, k.value) for k in annual] == [
        ("1.发布科技信息，科技各方面政策及时宣传扩大", ""), ("2.提升科技创新社会影响力有效提升", ""), ("科技型企业服务覆盖率", "≥60%")]


@pytest.mark.parametrize("heading, cells", [
    ("是否核心指标", ("是", "否")),
    ("指标解释", ("年度资助的项目数量", "项目培养的研究生人数")),
    ("评（扣）分标准", ("每少1项扣1分", "每少10人扣1分")),
])
def test_a_column_right_of_the_values_with_no_indicator_heading_is_no_indicator_column(heading, cells):
    """是否核心指标, 指标解释, 评（扣）分标准 after 指标值: not the 年度 column group."""
    period, annual, _ = _read(
        f"\t产出指标\t数量指标\t资助项目数\t≥150项\t{cells[0]}\n\t效益指标\t社会效益指标\t培养人才\t≥100人\t{cells[1]}\n",
        header=f"\t一级指标\t二级指标\t三级指标\t指标值\t{heading}\n",
    )
    assert _triples(period) == [("数量指标", "资助项目数", "≥150项"), ("社会效益指标", "培养人才", "≥100人")]
    assert annual == ()


def test_a_period_and_an_annual_value_column_beside_one_name_give_both_columns():
    period, annual, _ = _read(
        "\t产出指标\t数量指标\t资助项目数\t≥450项\t≥150项\n\t效益指标\t社会效益指标\t培养人才\t≥300人\t≥100人\n",
        header="\t一级指标\t二级指标\t三级指标\t实施期指标值\t年度指标值\n",
    )
    assert _triples(period) == [("数量指标", "资助项目数", "≥450项"), ("社会效益指标", "培养人才", "≥300人")]
    assert _triples(annual) == [("数量指标", "资助项目数", "≥150项"), ("社会效益指标", "培养人才", "≥100人")]
    assert annual[1].level1 == "效益指标"


def test_a_full_width_equals_sign_in_the_comparator_column_opens_the_value():
    period, _, _ = _read(
        "\t产出指标\t质量指标\t资金使用合规率\t＝\t100\t%\n",
        header="\t一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\n",
    )
    assert [(k.value, k.parsed.comparator) for k in period] == [("＝100%", "=")]


def test_a_judgement_column_beside_the_comparator_column_is_no_part_of_the_value():
    """指标性质 (定量/定性) | 指标方向 (≥) | 指标值 | 计量单位: the value is ≥150项, not 定量."""
    period, annual, _ = _read(
        "\t产出指标\t数量指标\t资助项目数\t定量\t≥\t150\t项\n\t效益指标\t社会效益指标\t培养人才\t定量\t≥\t100\t人\n",
        header="\t一级指标\t二级指标\t三级指标\t指标性质\t指标方向\t指标值\t计量单位\n",
    )
    assert _triples(period) == [("数量指标", "资助项目数", "≥150项"), ("社会效益指标", "培养人才", "≥100人")]
    assert annual == ()


def test_shanghais_level_labels_are_labels_and_its_level_one_names_are_kept():
    """效果指标 (Shanghai's 效益指标) and 影响力指标 with 长效管理: labels, not names or values."""
    period, _, _ = _read(
        "\t产出指标\t数量指标\t资助项目数\t≥150项\n\t效果指标\t社会效益\t发表论文\t≥100篇\n"
        "\t影响力指标\t长效管理\t管理制度健全性\t健全\n",
        header="\t一级指标\t二级指标\t三级指标\t指标值\n",
    )
    assert [(k.level1, k.level2, k.level3, k.value) for k in period] == [
        ("产出指标", "数量指标", "资助项目数", "≥150项"), ("效果指标", "社会效益", "发表论文", "≥100篇"),
        ("影响力指标", "长效管理", "管理制度健全性", "健全")]


def test_a_target_value_heading_and_a_page_number_in_one_cell_per_line_are_no_indicators():
    """目标值 (Fujian's 指标值) among the headings, and the page's number 2 after the last row."""
    period, _, _ = read_kpis(
        [Row(i, i, (t,), t) for i, t in enumerate(["一级指标", "二级指标", "三级指标", "目标值"], 1)],
        [Row(i, i, (t,), t) for i, t in enumerate(
            ["产出指标", "数量指标", "资助项目数", "≥150项", "2", "效益指标", "社会效益指标", "培养人才", "≥100人", "3"], 5)],
        "cells",
    )
    assert _triples(period) == [("数量指标", "资助项目数", "≥150项"), ("社会效益指标", "培养人才", "≥100人")]


@pytest.mark.parametrize("header, rows", [
    ("一级指标 二级指标 三级指标 计量单位 指标性质 指标值",  # the unit's column first
     ["产出指标 数量指标 支持领军人才人数 人 ≥ 100", "质量指标 入选人才考核合格率 % ≥ 95"]),
    ("一级指标 二级指标 三级指标 指标权重 指标性质 指标值 计量单位",  # a weight before the value
     ["产出指标 数量指标 支持领军人才人数 20 ≥ 100 人", "质量指标 入选人才考核合格率 10 ≥ 95 %"]),
    ("一级指标 二级指标 三级指标 指标权重 计量单位 指标性质 指标值 是否核心指标",  # Chongqing's order,
     ["产出指标 数量指标 支持领军人才人数 20 人 ≥ 100 是", "质量指标 入选人才考核合格率 10 % ≥ 95 否"]),  # a flag after
])
def test_pdftotext_split_values_read_whatever_the_order_of_their_columns(header, rows):
    period, _, _ = _wrapped([header, *rows])
    assert _triples(period) == [("数量指标", "支持领军人才人数", "≥100人"), ("质量指标", "入选人才考核合格率", "≥95%")]


@pytest.mark.parametrize("pieces, label", [
    (["服务对象", "满意度"], "服务对象满意度"),
    (["社会", "效益"], "社会效益"),
    (["数量", "指标"], "数量指标"),
    (["满意", "度指", "标", "服务对象满意度"], "服务对象满意度"),  # the 一级 label 满意度指标
])
def test_one_cell_per_line_joins_a_level_label_wrapped_over_lines(pieces, label):
    """A level label wrapped in its cell comes as two or three lines; together they are the
    label, not a label and an indicator named 服务对象 (or 社会 filed under the label above)."""
    cells = ["一级指标", "二级指标", "三级指标", "指标值", "产出指标", "时效指标", "完成时间", "12月底前",
             *pieces, "受益对象评价", "≥90%"]
    rows = [Row(i, i, (text,), text) for i, text in enumerate(cells, 1)]
    period, _, _ = read_kpis(rows[:4], rows[4:], "cells")
    assert _triples(period) == [("时效指标", "完成时间", "12月底前"), (label, "受益对象评价", "≥90%")]
    if "满意" in pieces:
        assert period[1].level1 == "满意度指标"


def test_a_figure_cut_by_its_column_takes_the_rest_printed_alone_below_it_in_pdftotext():
    """2026年12 / 月底前 and ≤0.35万 / 元: a value wrapped in a narrow 指标值 column; the short
    piece below ends the unfinished figure, not a row of its own (月底前 with no value)."""
    period, _, _ = _wrapped([
        "一级指标 二级指标 三级指标 指标值",
        "产出指标 时效指标 规划整体编制完成时间",
        "2026年12",
        "月底前",
        "成本指标 职称评审办公费",
        "≤0.35万",
        "元",
        "专家评审费 ≤5万元",
        "时效指标 资金拨付完成时间 2025年10月底",
        "前",
    ])
    assert _triples(period) == [("时效指标", "规划整体编制完成时间", "2026年12月底前"),
                                ("成本指标", "职称评审办公费", "≤0.35万元"), ("成本指标", "专家评审费", "≤5万元"),
                                ("时效指标", "资金拨付完成时间", "2025年10月底前")]


def test_one_cell_per_line_drops_a_copy_of_a_label_cut_short_above_it():
    """经济 / 经济效益: the label's cut copy (a merged cell printed twice) is no indicator."""
    cells = ["一级指标", "二级指标", "三级指标", "指标值", "产出指标", "数量指标", "发放人数", "2人",
             "效益指标", "经济", "经济效益", "带动产值", "≥100万元"]
    rows = [Row(i, i, (text,), text) for i, text in enumerate(cells, 1)]
    period, _, _ = read_kpis(rows[:4], rows[4:], "cells")
    assert _triples(period) == [("数量指标", "发放人数", "2人"), ("经济效益", "带动产值", "≥100万元")]
    verdict = cells[:9] + ["可持续影响指标", "依法依规履职", "可持续", "可持续影响指标", "依法依规履职", "可持续"]
    rows = [Row(i, i, (text,), text) for i, text in enumerate(verdict, 1)]
    period, _, _ = read_kpis(rows[:4], rows[4:], "cells")
    assert ("可持续影响指标", "依法依规履职", "可持续") in _triples(period)  # a value, not a cut label


def test_one_cell_per_line_joins_the_last_line_of_a_wrapped_name_or_figure():
    """Raw pdftotext prints each cell's lines one per line: 支持省级创新实验室 / 数量 / ≥7家 is
    one name (数量 would read as the label 数量指标, but a label does not stand between a name
    and its value), and 2025年10月底 / 前 one figure."""
    cells = ["一级指标", "二级指标", "三级指标", "指标值", "产出指标", "数量指标",
             "支持省级创新实验室", "数量", "≥7家", "支持新型研发机构数量", "≥40家",
             "时效指标", "资金拨付完成时间", "2025年10月底", "前", "数量指标", "新建平台", "≥3个"]
    rows = [Row(i, i, (text,), text) for i, text in enumerate(cells, 1)]
    period, _, _ = read_kpis(rows[:4], rows[4:], "cells")
    assert _triples(period) == [
        ("数量指标", "支持省级创新实验室数量", "≥7家"), ("数量指标", "支持新型研发机构数量", "≥40家"),
        ("时效指标", "资金拨付完成时间", "2025年10月底前"), ("数量指标", "新建平台", "≥3个")]


@pytest.mark.parametrize("mode", ["wrapped", "cells"])
def test_a_stream_under_two_value_columns_gives_each_name_to_both_columns(mode):
    """实施期指标值 | 年度指标值 printed as pdftotext or one cell per line: a name followed by two
    values is both columns' row (the annual value is not the next indicator's name)."""
    header = ["一级指标", "二级指标", "三级指标", "实施期指标值", "年度指标值"]
    body = ["产出指标", "数量指标", "资助项目数", "≥450项", "≥150项", "效益指标", "社会效益指标", "资金拨付时间", "按项目进度拨付",
            "2025年10月底前"]  # a text value in the 实施期 column, a figure in the 年度 one
    if mode == "wrapped":
        rows = [Row(1, 1, tuple(header), " ".join(header)),
                Row(2, 2, tuple(body[:5]), " ".join(body[:5])), Row(3, 3, tuple(body[5:]), " ".join(body[5:]))]
        period, annual, _ = read_kpis(rows[:1], rows[1:], "wrapped")
    else:
        rows = [Row(i, i, (t,), t) for i, t in enumerate(header + body, 1)]
        period, annual, _ = read_kpis(rows[:5], rows[5:], "cells")
    assert _triples(period) == [("数量指标", "资助项目数", "≥450项"), ("社会效益指标", "资金拨付时间", "按项目进度拨付")]
    assert _triples(annual) == [("数量指标", "资助项目数", "≥150项"), ("社会效益指标", "资金拨付时间", "2025年10月底前")]


def test_a_heading_docling_wrote_into_both_cells_it_spans_is_one_column():
    """三级指标 | 三级指标 (docling fills a merged heading into every cell it covers): one column
    group, not a 实施期 and a 年度 one; the name written twice is one indicator."""
    period, annual, _ = _read(
        "\t产出指标\t数量指标\t资助项目数\t资助项目数\t≥150项\n"
        "\t满意度指标\t服务对象满意度指标\t服务对象满意度\t服务对象满意度\t≥90%\n",  # a name that is a label
        header="\t一级指标\t二级指标\t三级指标\t三级指标\t指标值\n")
    assert [(k.level3, k.value) for k in period] == [("资助项目数", "≥150项"), ("服务对象满意度", "≥90%")]
    assert not annual


def test_a_name_wrapped_in_its_cell_joins_before_its_figure_one_cell_per_line():
    """PyMuPDF's get_text, pdftotext: each line of a wrapped cell on a line of its own. The piece
    before a figure is the name's second line (as the name's value it would leave the figure none)."""
    period, annual, _ = _cells(_STREAM_HEADER + [
        "数量指标", "开展山西省公民科学素质", "监测调查", "1次", "数量指标", "开展山西省公民科学素", "质监测调查", "1次",
        "质量指标", "科技研发基地建设验收", "合格率", "100%", "质量指标", "项目验收合格率", "≥90%",
    ])
    assert _triples(period) == [("数量指标", "开展山西省公民科学素质监测调查", "1次"),
                                ("质量指标", "科技研发基地建设验收合格率", "100%")]
    assert _triples(annual) == [("数量指标", "开展山西省公民科学素质监测调查", "1次"), ("质量指标", "项目验收合格率", "≥90%")]


def test_a_figure_cut_inside_its_unit_is_joined_one_cell_per_line():
    period, annual, _ = _cells(_STREAM_HEADER + [
        "数量指标", "走访、慰问院士", "≥5 人", "次", "数量指标", "建设面积", "52457 平方", "米",
    ])
    assert [k.value for k in period + annual] == ["≥5 人次", "52457 平方米"]


def test_a_name_with_no_value_before_the_other_columns_indicator_is_not_joined_to_it():
    """A blank 指标值 prints nothing in one cell per line: a whole name (…费) or a copy of the
    name is the next indicator, not the first one's second line."""
    period, annual, _ = _cells(_STREAM_HEADER + [
        "成本指标", "录像设备租赁费", "职称评审办公费", "≤0.35万元", "成本指标", "职称评审办公费", "≤0.35万元",
        "质量指标", "入库合格率", "入库合格率", "≥95%",
    ])
    assert ("成本指标", "录像设备租赁费", "") in _triples(period)
    assert not any("录像设备租赁费职称" in k.level3 or "率入库" in k.level3 for k in period + annual)


def test_a_name_cut_after_a_glyph_that_also_ends_names_still_joins_before_its_figure():
    """人员数 / 量: 数 ends names (人数) and also lines cut mid-word (数量); only whole endings
    (…数量, …费, …率) mark a name printed in full."""
    period, annual, _ = _cells(_STREAM_HEADER + [
        "数量指标", "管理及物业人员数", "量", "≤50人", "数量指标", "管理及物业人员数量", "≤50人",
    ])
    assert _triples(period) == _triples(annual) == [("数量指标", "管理及物业人员数量", "≤50人")]


def test_a_short_name_after_a_figure_is_no_unit_of_it_one_cell_per_line():
    """≥5人 / 工期 / ≤180天: 工期 is the next indicator's name, not more of 人."""
    period, annual, _ = _cells(_STREAM_HEADER + [
        "数量指标", "走访院士", "≥5人", "数量指标", "走访院士", "≥5人", "工期", "≤180天", "工期", "≤180天",
    ])
    assert _triples(period) == _triples(annual) == [("数量指标", "走访院士", "≥5人"), ("数量指标", "工期", "≤180天")]
