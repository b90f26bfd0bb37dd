"""pdftotext -layout: header labels centred in tall cells, level labels wrapped in their column.

tests/fixtures/layouts/pdftotext_layout_centred.txt is one page as `pdftotext -layout` prints a
performance table whose labels are centred vertically: half of each multi-line value (funds,
立项依据, the two goals side by side) is printed above its label, and the 满意度指标 / 服务对象满意度指标
labels wrap in their columns. pdftotext_layout_name_centred.txt has the project name so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetkg.extract.centred_labels import recentre
from budgetkg.extract.layout import parse_layout, read_document
from budgetkg.extract.model import Row
from budgetkg.extract.pipeline import extract_document

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"


def project(name: str):
    [only] = extract_document(read_document(LAYOUTS / name)).performance_projects
    return only


def test_value_lines_printed_above_a_centred_label_are_read_as_its_own():
    p = project("pdftotext_layout_centred.txt")
    assert (p.period_funds.total, p.annual_funds.total) == (3_600_000, 1_200_000)
    assert (p.period_funds.other, p.annual_funds.other) == (0, 0)
    assert [(c.title, c.doc_number) for c in p.legal_bases] == [
        ("山西省科技计划项目管理办法", "晋政办发〔2021〕42号"),
        ("关于深化科技计划管理改革的若干意见", "晋科发〔2020〕15号"),
    ]


@pytest.mark.parametrize(
    "fixture",
    # 总体目标 centred among the lines, or printed on the heading line (a lone left-column line
    # at the end must stay in the left column)
    ["pdftotext_layout_centred.txt", "pdftotext_layout_goal_on_heading.txt"],
)
def test_two_goals_printed_side_by_side_are_read_as_the_two_columns_goals(fixture):
    p = project(fixture)
    assert p.texts["goal_period"] == "三年内完成省级科技计划项目的立项、过程管理和验收，累计立项不少于30项。"
    assert p.texts["goal_annual"] == "2026年完成10项科技计划项目的立项评审和过程管理。"


def test_level_labels_wrapped_in_their_column_are_joined_and_make_no_indicators():
    p = project("pdftotext_layout_centred.txt")
    for kpis in (p.period_kpis, p.annual_kpis):
        assert len(kpis) == 6
        assert (kpis[-1].level1, kpis[-1].level2, kpis[-1].level3) == ("满意度指标", "服务对象满意度指标", "项目承担单位满意度")
    assert [k.value for k in p.annual_kpis] == ["≥10项", "≥90%", "12月底前", "≤12万元/项", "≥2000万元", "≥90%"]


def test_each_column_keeps_its_own_value_under_labels_printed_side_by_side(tmp_path):
    """数量指标 … 数量指标 on the line above a row: the 实施期 indicator is not swapped with the
    年度 one when their values differ (项目验收通过率 ≥90% | 项目验收通过率 ≥95%)."""
    lines = (LAYOUTS / "pdftotext_layout_centred.txt").read_text("utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if "项目验收通过率" in line)
    head, sep, tail = lines[at].rpartition("≥90%")
    lines[at] = head + "≥95%" + tail
    (tmp_path / "centred.txt").write_text("\n".join(lines), "utf-8")
    [p] = extract_document(read_document(tmp_path / "centred.txt")).performance_projects
    assert [k.value for k in p.period_kpis if k.level3 == "项目验收通过率"] == ["≥90%"]
    assert [k.value for k in p.annual_kpis if k.level3 == "项目验收通过率"] == ["≥95%"]


def test_a_label_printed_between_the_lines_of_its_tall_cell_keeps_its_group(tmp_path):
    """效益指标 / 社会效益 printed on lines of their own around a row of money: the row stays
    under 社会效益, not moved by its content to 成本指标 of the 产出 group."""
    text = (LAYOUTS / "pdftotext_layout_centred.txt").read_text("utf-8").replace("带动企业研发投入", "撬动社会资金投入")
    (tmp_path / "centred.txt").write_text(text, "utf-8")
    [p] = extract_document(read_document(tmp_path / "centred.txt")).performance_projects
    for kpis in (p.period_kpis, p.annual_kpis):
        [k] = [k for k in kpis if k.level3 == "撬动社会资金投入"]
        assert (k.level1, k.level2) == ("效益指标", "社会效益")


def test_level_labels_printed_between_rows_are_not_held_to_the_row_below():
    """A label on a line of its own is not on any indicator's row: the row below it may still
    belong to the label above it (each label here is centred on its one-row group)."""
    p = project("pdftotext_layout_centred.txt")
    for kpis in (p.period_kpis, p.annual_kpis):
        assert [k.level2 for k in kpis][:4] == ["数量指标", "质量指标", "时效指标", "成本指标"]


def test_a_name_printed_above_and_below_its_centred_label_is_read_whole():
    p = project("pdftotext_layout_name_centred.txt")
    assert p.name == "山西省重点研发计划（高新技术领域）项目管理及验收专项"
    assert (p.supervising_code, p.implementing_unit) == ("203", "山西省科技项目管理中心")


def test_rows_without_columns_kept_are_left_in_their_order():
    rows = [Row(1, 1, ("立项依据",), "立项依据"), Row(2, 2, ("《办法》",), "《办法》"),
            Row(3, 3, ("项目概况",), "项目概况"), Row(4, 4, ("概况。",), "概况。")]
    assert recentre(rows) == rows


def test_a_top_aligned_form_keeps_each_fields_wrapped_lines_with_it():
    p = project("pdftotext_layout_top_aligned.txt")
    assert p.texts["overview"] == "本项目支持全省科技计划项目的立项、评审与过程管理，\n覆盖全省11个地市。"
    assert p.texts["legal_basis"] == "《山西省科技计划项目管理办法》(晋政办发〔2021〕42号)"



FUNDS_THEN_BASIS = """项目支出绩效目标表
 项目名称                    大同市科技重大专项
 主管部门及代码              [121]大同市科学技术局               实施单位          大同市科学技术局
                             实施期资金总额：      1,500.00      年度资金总额：    500.00
                             其中：中央财政资金    0.00          其中：中央财政资金 0.00
 项目资金
 （万元）                    市县（区）财政资金    1,500.00      市县（区）财政资金 500.00
                             其他资金              0.00          其他资金          0.00
{basis}
                             实施期目标                          年度目标
 总体目标
                             实施重大专项12项。                  实施重大专项4项。
            一级指标    二级指标    三级指标              指标值
            产出指标    数量指标    实施重大专项数        12项
"""


@pytest.mark.parametrize("basis", [
    # the only label of its form printed on its value's middle line
    "                             1.《大同市人民政府关于印发科技重大专项管理办法的通知》（同政发\n"
    " 立项依据                    〔2022〕45号）；2.《重大行政决策程序暂行条例》（国务院令第713号）\n"
    "                             3.据大同市财政局文件安排资金。",
    # centred alone, in a form whose labels are all centred: the funds above have lines below theirs
    "                             1.《大同市人民政府关于印发科技重大专项管理办法的通知》（同政发\n"
    " 立项依据\n"
    "                             〔2022〕45号）；2.《重大行政决策程序暂行条例》（国务院令第713号）",
], ids=["on the middle line", "alone"])
def test_the_line_above_a_centred_label_that_opens_its_list_of_documents_is_its_first(basis):
    """1.《…（同政发 breaks off inside its list, which the label's own value goes on with: the
    line is 立项依据's, not the last line of the funds above it."""
    doc = parse_layout(FUNDS_THEN_BASIS.format(basis=basis), "centred.txt")
    [p] = extract_document(doc).performance_projects
    assert [c.doc_number for c in p.legal_bases] == ["同政发〔2022〕45号", "国务院令第713号"]
    assert (p.period_funds.total, p.annual_funds.total) == (15_000_000, 5_000_000)
