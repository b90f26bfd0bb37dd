"""Performance tables: found by their header, read as labelled cells, ended where they end."""

from __future__ import annotations

import pytest

from budgetkg.extract.layout import parse_layout
from budgetkg.extract.pipeline import extract_document
from budgetkg.extract.perf_table import checked_option, find_blocks, read_projects
from rows import tsv_rows

TABLE = """山西省省级预算部门（单位）项目支出绩效目标表
(2026年度)
项目名称\t\t示例科技专项\t\t
主管部门及代码\t\t203-山西省科学技术厅\t\t实施单位\t\t山西省科学技术厅
项目属性\t\t经常性项目（长期开展）\t\t项目期\t\t99年
项目资金 (元)\t实施期资金总额:\t1,000,000\t年度资金总额:\t500,000
\t其中:中央财政资金\t0\t其中:中央财政资金\t0
\t省级财政资金\t1,000,000\t省级财政资金\t500,000
项目概况\t\t<p>支持示例科技活动。</p>
立项依据\t\t1.《山西省科技计划项目管理办法》（晋政办发〔2021〕42号）2.《中华人民共和国科学技术进步法》
项目设立必要性\t\t必要。
实施期目标\t\t\t年度目标
总体目标\t\t完成示范。\t\t完成年度示范。
\t一级指标\t二级指标\t三级指标\t指标值\t二级指标\t三级指标\t指标值
绩效指标\t产出指标\t数量指标\t支持项目数\t≥10项\t数量指标\t支持项目数\t≥5项
满意度指标\t服务对象满意度\t服务对象满意度\t≥90%\t服务对象满意度\t服务对象满意度\t≥90%
负责人：\t经办人：\t联系电话：\t填报日期：
"""


def test_a_table_yields_every_header_field_funds_texts_citations_and_kpis():
    [project], issues = read_projects(tsv_rows(TABLE))
    assert (project.name, project.line) == ("示例科技专项", 3)
    assert (project.supervising_code, project.supervising_dept) == ("203", "山西省科学技术厅")
    assert (project.implementing_unit, project.attribute, project.period) == (
        "山西省科学技术厅", "经常性项目（长期开展）", "99年")
    assert (project.period_funds.total, project.annual_funds.total, project.annual_funds.provincial) == (
        1000000, 500000, 500000)
    assert [c.doc_number for c in project.legal_bases] == ["晋政办发〔2021〕42号", None]
    assert project.legal_bases[1].title == "中华人民共和国科学技术进步法"
    assert project.texts["overview"] == "支持示例科技活动。"
    assert (project.texts["goal_period"], project.texts["goal_annual"]) == ("完成示范。", "完成年度示范。")
    assert [(k.level3, k.value) for k in project.annual_kpis] == [("支持项目数", "≥5项"), ("服务对象满意度", "≥90%")]
    assert project.end_line == 17 and not issues  # the signature row


def test_a_signature_row_under_a_copy_of_the_merged_kpi_heading_ends_the_table():
    # docling fills a merged cell into every row it spans, the signature row included
    filled = TABLE.replace("负责人：\t经办人：\t联系电话：\t填报日期：\n",
                           "绩效指标\t负责人：\t\t经办人：\t张三\t联系电话：\t12345678\t填报日期：\t20240902\n")
    project = read_projects(tsv_rows(filled + filled))[0][0]
    assert [k.level3 for k in project.period_kpis] == ["支持项目数", "服务对象满意度"]
    assert [k.level3 for k in project.annual_kpis] == ["支持项目数", "服务对象满意度"]
    assert project.end_line == 17
    split = filled.replace("绩效指标\t负责人：", "效 指 标\t负责人：")  # the heading split by a page break
    project = read_projects(tsv_rows(split))[0][0]
    assert [k.level3 for k in project.period_kpis] == ["支持项目数", "服务对象满意度"]


@pytest.mark.parametrize("signature", ["填报人：张三\t联系电话：123", "填表人：\t审核人：", "单位负责人：李四\t填报日期：2026年1月"])
def test_a_signature_row_naming_whoever_filled_or_checked_the_form_ends_the_table(signature):
    """填报人 / 填表人 / 审核人 / 单位负责人 open the signature row of other templates: the row
    ends the table and is no indicator named 填报人：张三."""
    signed = TABLE.replace("负责人：\t经办人：\t联系电话：\t填报日期：", signature)
    [project], _ = read_projects(tsv_rows(signed))
    assert [k.level3 for k in project.period_kpis] == ["支持项目数", "服务对象满意度"]
    assert project.end_line == 17


@pytest.mark.parametrize("before", ["立项依据", "满意度指标"], ids=["in the header", "in the indicators"])
def test_a_name_row_repeated_at_the_top_of_a_page_is_neither_name_nor_indicator(before):
    """A table split by a page break may repeat its 项目名称 row on the next page."""
    name_row = "项目名称\t\t示例科技专项\t\t\n"
    repeated = TABLE.replace(before, name_row + before, 1)
    [project], _ = read_projects(tsv_rows(repeated))
    assert project.name == "示例科技专项"
    assert [k.level3 for k in project.period_kpis] == ["支持项目数", "服务对象满意度"]
    assert [c.doc_number for c in project.legal_bases] == ["晋政办发〔2021〕42号", None]


@pytest.mark.parametrize("goals", ["实施期目标   年度目标", "实施期\n目标\n   年度目标"], ids=["one line", "wrapped"])
def test_pdftotext_two_goal_columns_give_two_indicator_columns_also_when_the_label_wraps(goals):
    text = f"""项目支出绩效目标表
项目名称  科技馆免费开放补助资金
主管部门及代码  322-山西省科学技术协会  实施单位 山西省科学技术馆
{goals}
总体目标  确保全年免费开放220天以上。  确保全年免费开放200天以上。
绩效指标 产出指标 一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值
  数量指标  免费开放时间 ≥220天 数量指标 免费开放时间 ≥200天
    电梯维保数量 11部  电梯维保数量 10部
负责人:
"""  # pdftotext prints the merged 产出指标 on the header's line: the header alone does not tell
    [project] = extract_document(parse_layout(text, "goals.txt")).performance_projects
    assert [(k.level3, k.value) for k in project.period_kpis] == [("免费开放时间", "≥220天"), ("电梯维保数量", "11部")]
    assert [(k.level3, k.value) for k in project.annual_kpis] == [("免费开放时间", "≥200天"), ("电梯维保数量", "10部")]


def test_a_budget_table_with_a_project_name_column_is_not_a_performance_table():
    rows = tsv_rows("项目名称\t合计\t财政拨款\n示例科技专项\t100.00\t100.00\n")
    assert find_blocks(rows) == []


def test_an_unsigned_table_ends_at_the_next_tables_title():
    unsigned = TABLE.replace("负责人：\t经办人：\t联系电话：\t填报日期：\n", "")
    rows = tsv_rows(unsigned + unsigned)
    projects, _ = read_projects(rows)
    assert [p.line for p in projects] == [3, 19]
    assert all(len(p.period_kpis) == 2 for p in projects)


def test_a_header_printed_one_row_low_is_read_by_content():
    shifted = TABLE.replace("项目名称\t\t示例科技专项\t\t\n主管部门及代码\t\t203-山西省科学技术厅\t\t实施单位\t\t山西省科学技术厅\n"
                            "项目属性\t\t经常性项目（长期开展）\t\t项目期\t\t99年\n",
                            "项目名称\t\t(2026年度)\n主管部门及代码\t\t示例科技专项\n项目属性\t\t203-山西省科学技术厅\t\t示例研究院\n"
                            "\t\t实施单位\t\t项目期\n项目期\t\t3年\n")
    [project], _ = read_projects(tsv_rows(shifted))
    assert (project.name, project.supervising_code, project.implementing_unit) == ("示例科技专项", "203", "示例研究院")
    assert project.attribute is None and project.period == "3年"


def test_goal_texts_under_a_merged_goal_label_are_read_as_the_two_goals():
    merged = TABLE.replace("实施期目标\t\t\t年度目标\n总体目标\t\t完成示范。\t\t完成年度示范。\n",
                           "总体目标\t实施期目标\t\t年度目标\n\t完成示范。\t\t完成年度示范。\n")
    [project], _ = read_projects(tsv_rows(merged))
    assert (project.texts["goal_period"], project.texts["goal_annual"]) == ("完成示范。", "完成年度示范。")


def test_the_same_goal_printed_under_both_goal_columns_is_each_columns_goal():
    same = TABLE.replace("实施期目标\t\t\t年度目标\n总体目标\t\t完成示范。\t\t完成年度示范。\n",
                         "总体目标\t实施期目标\t\t年度目标\n\t完成示范。\t\t完成示范。\n")
    [project], _ = read_projects(tsv_rows(same))
    assert (project.texts["goal_period"], project.texts["goal_annual"]) == ("完成示范。", "完成示范。")


def test_prose_that_opens_with_a_labels_words_is_not_taken_for_the_label():
    prose = TABLE.replace("项目概况\t\t<p>支持示例科技活动。</p>\n",
                          "项目概况\t\t支持示例科技活动，\n\t\t项目单位负责组织专家评审，\n\t\t资金来源为省级财政。\n")
    [project], _ = read_projects(tsv_rows(prose))
    assert project.texts["overview"] == "支持示例科技活动，\n项目单位负责组织专家评审，\n资金来源为省级财政。"
    assert project.implementing_unit == "山西省科学技术厅"


import pytest  # noqa: E402


@pytest.mark.parametrize("cells, code, dept", [
    ("110 太原市科学技术局", "110", "太原市科学技术局"),
    ("107\t宜昌市科学技术局", "107", "宜昌市科学技术局"),  # the code in a cell of its own
    ("长治市科学技术局\t118", "118", "长治市科学技术局"),
    ("吕梁市科学技术局（131）", "131", "吕梁市科学技术局"),
    ("[161]科学技术部", "161", "科学技术部"),
])
def test_the_supervising_code_is_read_before_or_after_the_name_with_or_without_a_separator(cells, code, dept):
    [project], _ = read_projects(tsv_rows(TABLE.replace("203-山西省科学技术厅", cells)))
    assert (project.supervising_code, project.supervising_dept) == (code, dept)


def test_other_templates_labels_for_period_legal_basis_and_the_code_are_read():
    """项目期限 (not 项目期 and 限1年), 项目立项依据, 主管部门编码 under a label of its own."""
    table = (TABLE.replace("项目期\t\t99年", "项目期限\t\t1年").replace("立项依据", "项目立项依据")
             .replace("203-山西省科学技术厅\t\t实施单位", "山西省科学技术厅\t主管部门编码\t203\t实施单位"))
    [project], _ = read_projects(tsv_rows(table))
    assert (project.period, project.supervising_code, project.supervising_dept) == ("1年", "203", "山西省科学技术厅")
    assert [c.doc_number for c in project.legal_bases] == ["晋政办发〔2021〕42号", None]


def test_prose_opening_with_a_period_labels_words_stays_in_its_field():
    table = TABLE.replace("项目设立必要性\t\t必要。", "项目实施计划\t\t项目实施周期一般为3至5年。")
    [project], _ = read_projects(tsv_rows(table))
    assert (project.period, project.texts["plan"]) == ("99年", "项目实施周期一般为3至5年。")


def test_funds_in_the_unit_a_line_above_the_table_states_when_the_label_states_none():
    table = TABLE.replace("(2026年度)\n", "单位：万元\n").replace("项目资金 (元)", "项目资金")
    table = table.replace("1,000,000", "100.00").replace("500,000", "50.5")
    [project], _ = read_projects(tsv_rows(table))
    assert (project.period_funds.total, project.annual_funds.total, project.annual_funds.provincial) == (
        1000000, 505000, 505000)
    labelled, _ = read_projects(tsv_rows(TABLE.replace("(2026年度)\n", "单位：万元\n")))
    assert labelled[0].period_funds.total == 1000000  # 项目资金 (元): the label's unit wins


ONE_YEAR = """项目支出绩效目标表（2026年度）
项目名称\t科研专项
主管部门及代码\t214-某县科学技术局\t实施单位\t某县科学技术局
项目资金（元）\t年度资金总额\t800,000
年度总体目标\t资助基础研究。
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t资助项目数\t≥150项
满意度指标\t服务对象满意度指标\t项目承担单位满意度\t≥90%
注：本表金额单位为元。
"""


def test_the_one_indicator_column_of_a_table_of_one_year_is_its_annual_column():
    """No 实施期 (中期) anywhere above the indicators, 年度 funds and goals: the indicators
    are the year's. A note under the table is no indicator."""
    [project], _ = read_projects(tsv_rows(ONE_YEAR))
    assert project.period_kpis == ()
    assert [(k.level3, k.value) for k in project.annual_kpis] == [("资助项目数", "≥150项"), ("项目承担单位满意度", "≥90%")]


def test_one_indicator_column_under_a_table_that_names_an_implementation_period_is_that_periods():
    [project], _ = read_projects(tsv_rows(ONE_YEAR.replace("年度总体目标", "实施期目标\t年度目标\n总体目标")))
    assert [k.level3 for k in project.period_kpis] == ["资助项目数", "项目承担单位满意度"] and project.annual_kpis == ()


def test_period_and_annual_indicators_printed_as_two_tables_one_after_the_other():
    table = ONE_YEAR.replace("年度总体目标\t资助基础研究。\n", "实施期绩效指标\n").replace(
        "注：本表金额单位为元。\n",
        "年度绩效指标\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t资助项目数\t≥50项\n")
    [project], _ = read_projects(tsv_rows(table))
    assert [(k.level3, k.value) for k in project.period_kpis] == [("资助项目数", "≥150项"), ("项目承担单位满意度", "≥90%")]
    assert [(k.level3, k.value) for k in project.annual_kpis] == [("资助项目数", "≥50项")]


def test_a_value_heading_over_period_and_annual_sub_headings_gives_both_columns():
    """指标值 spanning 实施期 | 年度 in a second header row (Nanjing's template), and the 项目主管部门
    / 项目执行单位 labels of Chongqing's."""
    table = """项目支出绩效目标表
项目名称\t创新型企业培育专项
项目主管部门\t某市科学技术局\t项目执行单位\t某市科技服务中心
实施期总体目标\t三年培育3000家。\t年度总体目标\t年度培育1000家。
一级指标\t二级指标\t三级指标\t指标值\t
\t\t\t实施期\t年度
产出指标\t数量指标\t新增高新技术企业\t≥3000家\t≥1000家
满意度指标\t服务对象满意度指标\t企业满意度\t≥90%\t≥95%
"""
    [project], _ = read_projects(tsv_rows(table))
    assert (project.name, project.supervising_dept, project.implementing_unit) == (
        "创新型企业培育专项", "某市科学技术局", "某市科技服务中心")
    assert [(k.level3, k.value) for k in project.period_kpis] == [("新增高新技术企业", "≥3000家"), ("企业满意度", "≥90%")]
    assert [(k.level2, k.level3, k.value) for k in project.annual_kpis] == [
        ("数量指标", "新增高新技术企业", "≥1000家"), ("服务对象满意度指标", "企业满意度", "≥95%")]


def test_a_wrapped_title_whose_second_line_opens_with_a_labels_words_stays_in_its_field():
    """《运城市市级科技计划 / 项目资金管理办法》…: the second line is the title's, not 项目资金."""
    table = TABLE.replace(
        "立项依据\t\t1.《山西省科技计划项目管理办法》（晋政办发〔2021〕42号）2.《中华人民共和国科学技术进步法》",
        "立项依据\t\t《运城市市级科技计划\n\t\t项目资金管理办法》（运财教〔2021〕56号）")
    [project], _ = read_projects(tsv_rows(table))
    assert [(c.title, c.doc_number) for c in project.legal_bases] == [("运城市市级科技计划项目资金管理办法", "运财教〔2021〕56号")]
    assert (project.period_funds.total, project.annual_funds.total) == (1000000, 500000)


def test_a_funds_total_printed_above_its_centred_funds_label_is_read_as_funds():
    """pdftotext -layout, compact rows: 实施期资金总额：500,000 shares the line after 项目期 99年,
    above the 项目资金（元） label centred beside the funds rows."""
    text = """ 项目名称                    朔州市科技创新券
 主管部门及代码              132-朔州市科学技术局                实施单位          朔州市科学技术局
 项目属性                    经常性项目（长期开展）              项目期            99年
                             实施期资金总额：      500,000       年度资金总额：    400,000
 项目资金（元）              其中：财政拨款        500,000       其中：财政拨款    400,000
                             其他资金              0             其他资金          0
 立项依据                    《朔州市科技创新券实施细则》（朔科发〔2023〕12号）
            一级指标    二级指标    三级指标              指标值
            产出指标    数量指标    兑现企业数            50家
 负责人：                经办人：              联系电话：                      填报日期：
"""
    [project], _ = read_projects(parse_layout(text, "layout.txt").rows, "pdftotext")
    assert (project.period, project.period_funds.total, project.annual_funds.total) == ("99年", 500000, 400000)


def test_a_funds_label_written_into_both_cells_it_spans_takes_one_figure():
    """docling: 实施期资金总额: | 实施期资金总额: | 900,000 | 年度资金总额: | 300,000 is one label."""
    table = TABLE.replace(
        "项目资金 (元)\t实施期资金总额:\t1,000,000\t年度资金总额:\t500,000",
        "项目资金 (元)\t实施期资金总额:\t实施期资金总额:\t1,000,000\t年度资金总额:\t500,000")
    [project], _ = read_projects(tsv_rows(table))
    assert (project.period_funds.total, project.annual_funds.total) == (1000000, 500000)
    assert (project.period_funds.provincial, project.annual_funds.provincial) == (1000000, 500000)


def test_both_columns_labels_side_by_side_over_their_figures_stay_two_labels():
    text = "项目名称 示例\n主管部门及代码 203-某厅 实施单位 某厅\n项目资金(元) 实施期资金总额: 年度资金总额:\n16,110,000 5,370,000\n" \
           "其中:中央财政资金 其中:中央财政资金\n0 0\n市(区)财政资金 市(区)财政资金\n16,110,000 5,370,000\n" \
           "一级指标 二级指标 三级指标 指标值\n产出指标 数量指标 支持项目数 ≥10项\n"
    [project], _ = read_projects(parse_layout(text, "p.txt").rows, "pdftotext")
    assert (project.annual_funds.total, project.annual_funds.central, project.annual_funds.city_county) == (5370000, 0, 5370000)


WRAPPED_LABELS = """项目支出绩效目标表
项目名称  科技创新规划编制费用
{supervising}
项目资金(元)  实施期资金总额:  250,000  年度资金总额:  250,000
  其中:中央财政资金  0  其中:中央财政资金  0
  市县(区)财政资金  250,000  市县(区)财政资金  250,000
项目
概况
委托编制科技创新规划,协议价29.95万元,按照协议2026年支付25万元。
立项
依据
《晋城市规划编制工作方案》(晋市委办综办发【2024】151号)。
项目设立必
要性
按《国务院关于印发全民科学素质行动规划纲要的通知》(国发〔2021〕9号)要求编制。
绩效指标 一级指标  二级指标  三级指标  指标值
 产出指标  数量指标  规划编制数  1个
负责人:
"""


@pytest.mark.parametrize("supervising", [
    "主管部门及\n代码\n100-晋城市科学技术局  实施单位 晋城市科学技术局",
    "主管部门及 100-晋城市科学技术局  实施单位 晋城市科学技术局\n代码",  # -layout: the label's tail below
], ids=["tail on its own line", "tail below the row"])
def test_pdftotext_header_labels_wrapped_over_two_lines_are_read_as_their_labels(supervising):
    """主管部门及 / 代码, 项目 / 概况, 立项 / 依据, 项目设立必 / 要性: a narrow label column wraps
    the label; its pieces together are the label, so each field keeps its own text (no 及代码
    in the department, no legal basis taken from 设立必要性, no 万元 of the overview taken for
    the funds' unit)."""
    doc = parse_layout(WRAPPED_LABELS.format(supervising=supervising), "wrapped.txt")
    [project] = extract_document(doc).performance_projects
    assert (project.supervising_code, project.supervising_dept, project.implementing_unit) == (
        "100", "晋城市科学技术局", "晋城市科学技术局")
    assert [c.doc_number for c in project.legal_bases] == ["晋市委办综办发〔2024〕151号"]
    assert project.period_funds.total == 250000
    assert project.texts["overview"].startswith("委托编制")


SPLIT_MD = """晋城市级预算部门(单位)项目支出绩效目标表

(2026年度)

| 项目名称 | 科技规划编制费用 | | |
|---|---|---|---|
| 主管部门及代码 | 100-晋城市科学技术局 | 实施单位 | 晋城市科学技术局 |
| 一级指标 | 二级指标 | 三级指标 | 指标值 |
| 产出指标 | 数量指标 | 规划编制数 | 1个 |
| | 质量指标 | 规划编制评审通过率 | ≥90% |

{furniture}

| | 时效指标 | 规划整体编制完成时间 | 2026年12月底前 |
|---|---|---|---|
| | | 规划报送及时率 | 100% |
| 满意度指标 | 服务对象满意度 | 相关部门满意度 | ≥95% |
"""


@pytest.mark.parametrize("furniture", [
    "晋城市级预算部门(单位)项目支出绩效目标表",
    "16\n\n晋城市级预算部门(单位)项目支出绩效目标表\n\n(2026年度)",
    "-----\n\n晋城市级预算部门(单位)项目支出绩效目标表",
    "16/48", "·16·", "**16**", "第16页", "山西省科学技术协会2026年度部门预算 16", "{16}------------------------------------------------",
])
def test_a_table_split_by_a_page_goes_on_past_the_titles_and_page_numbers_between(furniture):
    """A page break inside the indicators may print the table's title again, its year line,
    a page number or a rule: the indicators after it are the same table's, and the furniture
    is no indicator. (The next table's title is followed by its 项目名称 row instead.)"""
    doc = parse_layout(SPLIT_MD.format(furniture=furniture), "split.md")
    [project] = extract_document(doc).performance_projects
    assert [k.level3 for k in project.period_kpis] == [
        "规划编制数", "规划编制评审通过率", "规划整体编制完成时间", "规划报送及时率", "相关部门满意度"]


SPLIT_CELLS = """晋城市级预算部门(单位)项目支出绩效目标表
(2026年度)
项目名称
科技规划编制费用
主管部门及代码
100-晋城市科学技术局
实施单位
晋城市科学技术局
一级指标
二级指标
三级指标
指标值
产出指标
数量指标
规划编制数
1个
质量指标
规划编制评审通过率
≥90%
晋城市级预算部门(单位)项目支出绩效目标表
规划报送及时率
100%
满意度指标
服务对象满意度
相关部门满意度
≥95%
"""


def test_one_cell_per_line_goes_on_past_a_title_repeated_by_a_page_break():
    """The title printed again between two indicators (a name, then its value, after it):
    the indicators go on; the next table would open with its 项目名称 instead."""
    doc = parse_layout(SPLIT_CELLS, "split.txt")
    assert doc.family == "cell-per-line"
    [project] = extract_document(doc).performance_projects
    assert [k.level3 for k in project.period_kpis + project.annual_kpis] == [
        "规划编制数", "规划编制评审通过率", "规划报送及时率", "相关部门满意度"]


def test_one_cell_per_line_wrapped_labels_keep_both_indicator_columns():
    """实施期目 / 标 and 数量 / 指标 wrapped in narrow cells: the table still has its 实施期 and
    年度 columns, and 指标 under 数量 ends the label (no piece of the column header)."""
    cells = ["项目支出绩效目标表", "项目名称", "科普经费", "主管部门及代码", "322-山西省科学技术协会",
             "实施期目", "标", "年度目标", "总体目标", "开展科普活动。", "开展年度科普活动。",
             "绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值",
             "产出指标", "数量", "指标", "开展讲座场次", "≥30场", "数量", "指标", "开展讲座场次", "≥10场",
             "满意度指标", "服务对象满意度", "公众满意度", "≥90%", "服务对象满意度", "公众满意度", "≥95%"]
    doc = parse_layout("\n".join(cells) + "\n", "cells.txt")
    assert doc.family == "cell-per-line"
    [project] = extract_document(doc).performance_projects
    assert [(k.level2, k.level3, k.value) for k in project.period_kpis] == [
        ("数量指标", "开展讲座场次", "≥30场"), ("服务对象满意度", "公众满意度", "≥90%")]
    assert [(k.level2, k.level3, k.value) for k in project.annual_kpis] == [
        ("数量指标", "开展讲座场次", "≥10场"), ("服务对象满意度", "公众满意度", "≥95%")]


def test_pdftotext_layout_a_level_labels_zhibiao_wrapped_below_the_last_row_completes_it():
    """服务对象满意度 / 指标 in the table's last row (pdftotext -layout wraps the label cell):
    the 指标 completes the label, and is no piece of the column header to drop."""
    text = """项目支出绩效目标表
 项目名称          广州实验室建设运营补助
 主管部门          广州市科学技术局         实施单位     广州实验室
 绩效指标   一级指标     二级指标          三级指标                      指标值
            产出指标     数量指标          承担国家重大科研任务数        ≥10项
                         质量指标          科研设施设备完好率            ≥95%
            满意度指标   服务对象满意度    科研人员满意度                ≥85%
                         指标
 负责人：陈某                  经办人：刘某
"""
    [project] = extract_document(parse_layout(text, "layout.txt")).performance_projects
    kpis = project.period_kpis + project.annual_kpis
    assert [(k.level2, k.level3) for k in kpis] == [
        ("数量指标", "承担国家重大科研任务数"), ("质量指标", "科研设施设备完好率"), ("服务对象满意度指标", "科研人员满意度")]


@pytest.mark.parametrize("printed, read", [
    ("新增项目□ 延续项目√", "延续项目"), ("☑延续项目 □新增项目", "延续项目"), ("□新增项目 ■延续项目", "延续项目"),
    ("经常性项目（长期开展）", "经常性项目（长期开展）"), ("新增项目□延续项目□", "新增项目□延续项目□"),
])
def test_an_attribute_printed_as_tick_boxes_reads_as_the_option_ticked(printed, read):
    assert checked_option(printed) == read


def test_one_cell_per_line_two_value_column_headings_are_the_header_not_an_indicator():
    cells = ["项目支出绩效目标表", "项目名称", "科技计划专项", "主管部门", "某省科学技术厅", "实施单位", "某省科学技术厅",
             "一级指标", "二级指标", "三级指标", "实施期指标值", "年度指标值",
             "产出指标", "数量指标", "资助项目数", "≥450项", "≥150项"]
    doc = parse_layout("\n".join(cells) + "\n", "cells.txt")
    [project] = extract_document(doc).performance_projects
    assert [(k.level3, k.value) for k in project.period_kpis] == [("资助项目数", "≥450项")]
    assert [(k.level3, k.value) for k in project.annual_kpis] == [("资助项目数", "≥150项")]


def test_a_row_of_source_labels_over_a_row_of_figures_is_the_years_funds():
    """资金来源（万元）| 合计 | 中央补助 | 省级补助 | 市级财政 | 其他资金, the figures on the next row,
    in a table that names no implementation period: the year's funds, by source, in 元."""
    text = (
        "项目名称\t科研专项\n主管部门\t某市科学技术局\t实施单位\t某市科学技术局\n"
        "资金来源（万元）\t合计\t中央补助\t省级补助\t市级财政\t其他资金\n"
        "\t1,200.00\t200.00\t100.00\t900.00\t0.00\n"
        "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t资助项目数\t≥150项\n"
    )
    [project], _ = read_projects(tsv_rows(text))
    assert project.implementing_unit == "某市科学技术局"
    assert project.period_funds.total is None
    a = project.annual_funds
    assert (a.total, a.central, a.provincial, a.city_county, a.other) == (12_000_000, 2_000_000, 1_000_000, 9_000_000, 0)


def test_xiamens_project_type_label_is_the_attribute_not_more_of_the_unit():
    text = "项目名称\t科研专项\n主管部门\t某市科学技术局\t实施单位\t某市科技创新服务中心\n项目类型\t专项业务类\t项目期限\t1年\n" \
           "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t资助项目数\t≥150项\n"
    [project], _ = read_projects(tsv_rows(text))
    assert (project.implementing_unit, project.attribute, project.period) == ("某市科技创新服务中心", "专项业务类", "1年")


def test_a_parts_heading_cut_in_two_by_pdftotext_ends_the_table():
    """第三部分 | 名词解释 after the last table: no indicator named 第三部分."""
    text = ("项目名称 科研专项\n主管部门 某省科学技术厅 实施单位 某省科学技术厅\n一级指标 二级指标 三级指标 指标值\n"
            "产出指标 数量指标 资助项目数 ≥150项\n满意度指标 服务对象满意度指标 企业满意度 ≥90%\n\n"
            "第三部分 名词解释\n一、财政拨款收入：指省级财政当年拨付的资金。\n")
    [project] = extract_document(parse_layout(text, "p.txt")).performance_projects
    assert [k.level3 for k in project.period_kpis] == ["资助项目数", "企业满意度"]


def test_the_annual_indicators_printed_as_a_second_table_under_the_period_ones_are_annual():
    """A form of 实施期目标 and 年度目标 whose indicators a converter printed as two tables of one
    value column each, the 年度 one under the 实施期 one: the second header opens the 年度 column."""
    text = (
        "项目名称\t院士工作站建设\n主管部门及代码\t322-山西省科学技术协会\t实施单位\t山西省科学技术协会\n"
        "\t实施期目标\t\t年度目标\n"
        "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t评选优秀院士工作站\t3个\n"
        "\t质量指标\t资金拨付完成率\t100%\n"
        "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t新建院士工作站\t4个\n"
        "\t时效指标\t项目完成时间\t12月31日前\n"
    )
    [project], _ = read_projects(tsv_rows(text))
    assert [k.level3 for k in project.period_kpis] == ["评选优秀院士工作站", "资金拨付完成率"]
    assert [k.level3 for k in project.annual_kpis] == ["新建院士工作站", "项目完成时间"]


def test_a_header_repeated_by_a_page_break_over_rows_of_both_groups_opens_no_second_table():
    """Seed 002's header names one 三级指标 over rows of both groups; pdftotext repeats it at the
    top of the next page: the rows after it are still both columns'."""
    text = (
        "项目名称\t院士工作站建设\n主管部门及代码\t322-山西省科学技术协会\t实施单位\t山西省科学技术协会\n"
        "\t实施期目标\t\t年度目标\n"
        "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t评选优秀院士工作站\t3个\t数量指标\t评选优秀院士工作站\t1个\n"
        "\t\t新建院士工作站\t4个\t\t新建院士工作站\t2个\n"  # its labels' cells blank: four cells, seven columns
        "一级指标\t二级指标\t三级指标\t指标值\n满意度指标\t服务对象满意度\t工作站满意度\t≥90%\t服务对象满意度\t工作站满意度\t≥95%\n"
    )
    [project], _ = read_projects(tsv_rows(text))
    assert [(k.level3, k.value) for k in project.period_kpis] == [
        ("评选优秀院士工作站", "3个"), ("新建院士工作站", "4个"), ("工作站满意度", "≥90%")]
    assert [(k.level3, k.value) for k in project.annual_kpis] == [
        ("评选优秀院士工作站", "1个"), ("新建院士工作站", "2个"), ("工作站满意度", "≥95%")]
    cells = [c for line in text.splitlines() for c in line.split("\t") if c]  # one cell per line
    [project] = extract_document(parse_layout("\n".join(cells) + "\n", "cells.txt")).performance_projects
    assert len(project.annual_kpis) == 3


def test_one_cell_per_line_header_labels_wrapped_after_a_label_or_over_three_lines_are_joined():
    """主管部门 / 及代码 (the head a label of other templates) and 保证项目 / 实施的制 / 度、措施
    (PyMuPDF, pdftotext): one label each, its value the line after, not glued to the tail."""
    cells = ["项目支出绩效目标表", "项目名称", "科研基地建设", "主管部门", "及代码", "108-晋城市科学技术局",
             "实施单位", "晋城市科学技术局", "项目资金", "（元）", "实施期资金总额：", "6,000,000",
             "保证项目", "实施的制", "度、措施", "由基建办具体负责。", "总体目标", "实施期目标", "年度目标", "完成。", "完成年度。",
             "绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值",
             "产出指标", "数量指标", "建设面积", "52457平方米", "数量指标", "建设面积", "52457平方米"]
    doc = parse_layout("\n".join(cells) + "\n", "cells.txt")
    [project] = extract_document(doc).performance_projects
    assert (project.supervising_code, project.supervising_dept) == ("108", "晋城市科学技术局")
    assert project.texts["measures"] == "由基建办具体负责。"
    assert project.period_funds.total == 6000000


_GRID_CUT = """# 山西省省级预算部门（单位）项目支出绩效目标表

|项目名称|规划编制|||||
|---|---|---|---|---|---|
|主管部门及<br>代码|108-晋城|市科学技术局||实施单位|晋城市科学技术局|
|项目属性|经常性项|目|项目期|1 年||
||实施期资|金总额：|733,556|年度资金总|额：|733,556|
||其中：中|央财政资金|0|其中：中央|财政资金|0|
|项目资金<br>（元）|省级财政|资金|733,556|省级财政资|金|733,556|
|立项依据|《晋城市“十五五”规划<br>晋城市“十五五”市级重|编制工作方案》(晋市委办<br>点专项规划目录清单的通知|综办发【2024】151 号)、《晋城市人<br>》(晋市政办发【2025】5 号)。|民政府办公室关于印发||

2026 年规划项目主体于2025 年开工,按照《晋城市财政局关于下达晋城市科技局科 项目概况 技研发基地预算的批复》执行。

|绩效指标|一级指标|二级指标|三级指标|指标值||
|---|---|---|---|---|---|
||产出指标|数量指标|编制规划数量|1 个||
"""


def test_pymupdf4llm_a_text_cut_into_grid_columns_is_read_across_then_down():
    """pymupdf4llm cuts a row-spanning text into the grid's columns, each piece holding its
    column's slice of every line (<br>): line 1 of each piece, then line 2, give it back."""
    [project] = extract_document(parse_layout(_GRID_CUT, "m.md")).performance_projects
    assert [(c.title, c.doc_number) for c in project.legal_bases] == [
        ("晋城市“十五五”规划编制工作方案", "晋市委办综办发〔2024〕151号"),
        ("晋城市人民政府办公室关于印发晋城市“十五五”市级重点专项规划目录清单的通知", "晋市政办发〔2025〕5号")]


def test_pymupdf4llm_fund_labels_cut_at_grid_columns_above_their_centred_label_are_funds():
    """实施期资 | 金总额： printed above 项目资金 (centred in its merged cell) opens the funds;
    the 项目期 value above keeps only its own cell."""
    [project] = extract_document(parse_layout(_GRID_CUT, "m.md")).performance_projects
    assert project.period == "1 年"
    assert (project.period_funds.total, project.annual_funds.provincial, project.annual_funds.central) == (
        733556, 733556, 0)


def test_a_label_spliced_into_its_paragraph_is_taken_out_as_the_fields_label():
    """…科技局科 项目概况 技研发…: the label, centred in its cell, printed inside the text."""
    [project] = extract_document(parse_layout(_GRID_CUT, "m.md")).performance_projects
    assert project.texts["overview"].endswith("晋城市科技局科技研发基地预算的批复》执行。")


def test_a_label_centred_around_its_one_line_value_is_joined_above_it():
    """pdfplumber's extract_text prints 主管部门及 / 代码 above and below the value line they are
    centred beside: one label, the line between them its value."""
    text = """项目支出绩效目标表
项目名称 高层次人才引进
主管部门及
100-晋城市科学技术局 实施单位 晋城市科学技术研究院
代码
项目属性 延续性项目(阶段开展) 项目期 3年
一级指标 二级指标 三级指标 指标值 二级指标 三级指标 指标值
产出指标 数量指标 引进人才人数 1人 数量指标 引进人才人数 1人
"""
    [project] = extract_document(parse_layout(text, "plumber.txt")).performance_projects
    assert (project.supervising_code, project.supervising_dept, project.implementing_unit) == (
        "100", "晋城市科学技术局", "晋城市科学技术研究院")


def test_a_label_wrapped_over_three_lines_keeps_the_text_printed_beside_each_line():
    """pdftotext -layout: 保证项目 / 实施的制 / 度、措施 centred beside its text, one line of the
    text on each line of the label."""
    text = """项目支出绩效目标表
 项目名称          科技创新规划编制费用
 主管部门及代码    108-晋城市科学技术局         实施单位     晋城市科学技术局
 项目概况          委托编制科技创新规划。
 保证项目          由基建办具体负责，
 实施的制          严格执行财务制度，
 度、措施          按期完成验收。
 绩效指标   一级指标     二级指标          三级指标                      指标值
            产出指标     数量指标          规划编制数                    1个
"""
    [project] = extract_document(parse_layout(text, "layout.txt")).performance_projects
    assert project.texts["measures"].replace("\n", "") == "由基建办具体负责，严格执行财务制度，按期完成验收。"


def test_a_text_row_holding_another_field_is_not_read_across_and_a_label_word_in_prose_stays_prose():
    """立项依据 | text<br>text | 项目属性 | 经常性项目: two fields, not one text cut into columns; and
    a label word between spaces near the start of a line (第一阶段 实施计划 编制) is prose."""
    text = """# 项目支出绩效目标表

|项目名称|规划编制|项目期|1年|
|---|---|---|---|
|主管部门及代码|108-晋城市科学技术局|实施单位|晋城市科学技术局|
|立项依据|《晋城市规划编制工作方案》(晋市委办综办发【2024】151 号)<br>《山西省科技计划项目管理办法》(晋政办发〔2021〕42号)|项目属性|经常性项目|
|项目概况|委托编制科技创新规划，<br>分三个阶段完成。|||

第一阶段 实施计划 编制，第二阶段 专家论证，第三阶段 报批。

|一级指标|二级指标|三级指标|指标值|
|---|---|---|---|
|产出指标|数量指标|编制规划数量|1 个|
"""
    [project] = extract_document(parse_layout(text, "m.md")).performance_projects
    assert project.attribute == "经常性项目" and len(project.legal_bases) == 2
    assert "plan" not in project.texts and "实施计划" in project.texts["overview"]


FIELDS_PARAGRAPH = """# **山西省省级预算部门（单位）项目支出绩效目标表**

## （2026 年度）

项目名称 科普服务类项目 主管部门 322-山西省科学技术协会 实施单位 山西省科普服务中心 及代码 项目属性 经常性项目（长期开展） 项目期 99 年 实施期资金总额： 3,600,000 年度资金总额： 3,600,000 其中：中央财政资金 0 其中：中央财政资金 0 项目资金 省级财政资金 0 省级财政资金 0 （元） 市县（区）财政资金 0 市县（区）财政资金 0 单位自筹 3,600,000 单位自筹 3,600,000 其他资金 其他资金 面向基层科普工作者开展科普活动，组织科学传播专业职称评审，建立职称评审档案 项目概况 并组织继续教育培训，壮大科普人才队伍。

|一级指标|二级指标|三级指标|指标值|二级指标|三级指标|指标值|
|---|---|---|---|---|---|---|
|产出指标|数量指标|科普活动场次|≥30场|数量指标|科普活动场次|≥30场|
|满意度指标|服务对象满意度|受众满意度|≥90%|服务对象满意度|受众满意度|≥90%|
"""


def test_header_fields_printed_as_one_paragraph_are_read_as_a_table():
    """pymupdf4llm prints a table it did not detect as one paragraph line: 项目名称 X 主管部门 Y
    实施单位 Z 及代码 … 实施期资金总额： 3,600,000 …, then the texts. Each word is a cell again up to
    the first text running on; 及代码, the 主管部门 label's second line, is no value."""
    [project] = extract_document(parse_layout(FIELDS_PARAGRAPH, "p.md")).performance_projects
    assert (project.name, project.supervising_code, project.supervising_dept, project.implementing_unit) == (
        "科普服务类项目", "322", "山西省科学技术协会", "山西省科普服务中心")
    assert (project.attribute, project.period) == ("经常性项目（长期开展）", "99年")
    assert (project.period_funds.total, project.annual_funds.total, project.annual_funds.self_raised) == (
        3_600_000, 3_600_000, 3_600_000)
    assert [(k.level2, k.level3, k.value) for k in project.annual_kpis] == [
        ("数量指标", "科普活动场次", "≥30场"), ("服务对象满意度", "受众满意度", "≥90%")]
    assert project.line == 5


def test_a_line_of_labels_without_values_is_no_header_paragraph():
    """项目名称 主管部门 实施单位 项目属性 年度资金 备注: a list's heading line, each label next to
    another label, opens no performance table."""
    text = FIELDS_PARAGRAPH + "\n项目名称 主管部门 实施单位 项目属性 年度资金 备注\n科技创新券 科技厅 科技厅 经常性 15.00 无\n"
    assert [p.name for p in extract_document(parse_layout(text, "p.md")).performance_projects] == ["科普服务类项目"]
