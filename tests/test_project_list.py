"""项目支出绩效目标表 printed as one list of many projects (extract/project_list.py).

tests/fixtures/layouts/project_list.txt is the template of Sichuan and many cities and
districts: 单位名称（项目名称） | 项目资金 | 年度目标 | 一级 | 二级 | 三级 | 指标值, a unit's
heading row above its projects, each project's cells merged down its indicator rows, the
funds in 万元 as the line above the table says. Every converter that keeps cell positions
must read the same three projects from it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from budgetkg.extract.layout import parse_layout
from budgetkg.extract.pipeline import extract_document
from relayout import relayout

FIXTURE = Path(__file__).parent / "fixtures" / "layouts" / "project_list.txt"
POSITIONAL = (
    "md_pipes_strip", "md_pipes_ragged", "md_docling_filled_spans", "md_docling_filled_rowspans",
    "html_A_row_per_line", "html_B_one_line", "html_C_rowspan", "html_D_rowspan_colspan",
)


def _record(text: str, name: str = "project_list.txt"):
    return extract_document(parse_layout(text, name))


def _summary(record):
    return [
        (p.name, p.implementing_unit, p.annual_funds.total, p.texts.get("goal"),
         [(k.level1, k.level2, k.level3, k.value) for k in p.period_kpis + p.annual_kpis])
        for p in record.performance_projects
    ]


def test_each_project_of_a_list_table_is_a_project_with_its_unit_funds_goal_and_indicators():
    record = _record(FIXTURE.read_text("utf-8"))
    names = [p.name for p in record.performance_projects]
    assert names == ["科技创新券兑付", "高新技术企业培育奖补", "科技情报服务"]
    first, second, third = record.performance_projects
    assert [p.implementing_unit for p in (first, second, third)] == ["某市科学技术局"] * 2 + ["某市科学技术情报研究所"]
    assert [p.annual_funds.total for p in (first, second, third)] == [3_200_000, 855_000, 400_000]  # 万元 → 元
    assert first.texts["goal"] == "支持中小企业购买科技服务，降低创新成本。"
    assert first.period_kpis == ()  # a list of one year's targets (年度目标): the 年度 column
    assert [(k.level1, k.level2, k.level3, k.value) for k in first.annual_kpis] == [
        ("产出指标", "数量指标", "兑付科技创新券企业数", "≥120家"),
        ("产出指标", "质量指标", "兑付资金审核合格率", "100%"),
        ("产出指标", "时效指标", "兑付完成时间", "2025年11月底前"),
        ("效益指标", "社会效益指标", "带动企业研发投入", "有效带动"),
        ("满意度指标", "服务对象满意度指标", "企业满意度", "≥90%"),
    ]
    assert [k.level2 for k in second.annual_kpis] == ["数量指标", "成本指标", "服务对象满意度指标"]
    assert (first.line, first.end_line, second.line) == (11, 15, 16)
    assert not [i for i in record.issues if "项目支出绩效目标表" in i.message]
    assert "performance_table" in [s.kind for s in record.sections]


@pytest.mark.parametrize("variant", POSITIONAL)
def test_a_list_table_reads_the_same_in_every_layout_that_keeps_cell_positions(variant):
    """Markdown pipes, docling's spans filled into every cell (the unit's heading across the
    row, the project's name down its rows), HTML with and without rowspan/colspan."""
    text = FIXTURE.read_text("utf-8")
    assert _summary(_record(relayout(text, variant).text, "project_list.md")) == _summary(_record(text))


def test_a_row_printed_one_cell_right_of_the_header_is_read_by_its_first_label():
    """A converter that opens each row with an empty cell: the columns are found again from
    the row's first level label, not taken from the header's positions."""
    text = (
        "项目支出绩效目标表\n"
        "项目名称\t年度目标\t一级指标\t二级指标\t三级指标\t指标值\n"
        "\t科研专项\t资助基础研究。\t产出指标\t数量指标\t资助项目数\t≥150项\n"
        "\t\t\t\t质量指标\t结题验收通过率\t≥90%\n"
        "\t人才专项\t支持人才。\t效益指标\t社会效益指标\t培养青年人才\t≥50人\n"
    )
    summary = _summary(_record(text))
    assert [(name, goal) for name, _, _, goal, _ in summary] == [("科研专项", "资助基础研究。"), ("人才专项", "支持人才。")]
    assert summary[0][4] == [("产出指标", "数量指标", "资助项目数", "≥150项"), ("产出指标", "质量指标", "结题验收通过率", "≥90%")]


def test_a_name_wrapped_onto_a_row_of_its_own_is_joined_to_it():
    text = (
        "项目名称\t年度目标\t一级指标\t二级指标\t三级指标\t指标值\n"
        "科技成果转移转化\t推动成果转化。\t产出指标\t数量指标\t转化项目数\t≥50项\n"
        "示范项目\t\t\t\t\t\n"
        "\t\t\t质量指标\t验收合格率\t≥90%\n"
    )
    [(name, unit, _, _, kpis)] = _summary(_record(text))
    assert (name, unit, len(kpis)) == ("科技成果转移转化示范项目", None, 2)


def test_a_one_project_table_with_a_header_block_is_not_taken_for_a_list():
    """The seeds' template prints 项目名称 as a header row, never beside 三级指标."""
    text = (
        "项目支出绩效目标表\n项目名称\t科研专项\n主管部门及代码\t203-某省科学技术厅\t实施单位\t某省科学技术厅\n"
        "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t资助项目数\t≥150项\n"
    )
    [project] = _record(text).performance_projects
    assert (project.name, project.supervising_code) == ("科研专项", "203")


def _laid_out(rows: list[list[tuple[int, str]]], wide: bool) -> str:
    """pdftotext -layout lines: each cell padded to start at its column, counting a wide
    character as two columns (as a terminal shows it) or as one (as its index in the line)."""
    lines = []
    for cells in rows:
        line = ""
        for column, text in cells:
            width = sum(2 if "\u4e00" <= c <= "\u9fff" or c in "，。、（）：" else 1 for c in line) if wide else len(line)
            line += " " * max(1, column - width) + text
        lines.append(line)
    return "\n".join(lines) + "\n"


LAYOUT_LIST = [
    [(30, "项目支出绩效目标表")],
    [(0, "部门（单位）：某省科学技术厅"), (100, "单位：万元")],
    [(3, "项目名称"), (20, "项目资金"), (34, "年度绩效目标"), (60, "一级指标"), (74, "二级指标"),
     (90, "三级指标"), (120, "指标值")],
    [(1, "某省科技创新"), (18, "12,000.00"), (32, "支持科技攻关，推动"), (60, "产出指标"), (74, "数量指标"),
     (90, "支持科技攻关项目数"), (120, "≥200项")],
    [(1, "计划专项资金"), (32, "关键核心技术突破。"), (90, "引进科技创新人才"), (120, "≥150人")],
    [(74, "质量指标"), (90, "项目验收通过率"), (120, "≥90%")],
    [(60, "满意度指标"), (74, "服务对象满意度"), (90, "项目承担单位满意度"), (120, "≥90%")],
    [(74, "指标")],
    [(1, "科技专家库运行"), (18, "85.60"), (32, "保障专家库运行。"), (60, "产出指标"), (74, "数量指标"),
     (90, "组织评审专家人次"), (120, "≥3000人次")],
    [(1, "维护"), (74, "质量指标"), (90, "专家信息准确率"), (120, "≥98%")],
    [(0, "四、名词解释")],
]


@pytest.mark.parametrize("wide", [True, False], ids=["wide characters two columns", "one column each"])
def test_a_list_table_in_pdftotext_layout_is_read_by_where_its_cells_start(wide):
    """Hunan's list table as pdftotext -layout prints it: no separators, each cell under its
    heading; a name, goal or label wrapped onto the next lines beside the next indicators."""
    record = _record(_laid_out(LAYOUT_LIST, wide), "layout_list.txt")
    assert _summary(record) == [
        ("某省科技创新计划专项资金", None, 120000000, "支持科技攻关，推动关键核心技术突破。", [
            ("产出指标", "数量指标", "支持科技攻关项目数", "≥200项"), ("产出指标", "数量指标", "引进科技创新人才", "≥150人"),
            ("产出指标", "质量指标", "项目验收通过率", "≥90%"),
            ("满意度指标", "服务对象满意度指标", "项目承担单位满意度", "≥90%")]),
        ("科技专家库运行维护", None, 856000, "保障专家库运行。", [
            ("产出指标", "数量指标", "组织评审专家人次", "≥3000人次"), ("产出指标", "质量指标", "专家信息准确率", "≥98%")]),
    ]


def test_a_list_tables_supervising_column_gives_each_project_its_department():
    text = ("项目支出绩效目标表\n"
            "项目名称\t主管部门\t实施单位\t资金总额（万元）\t年度绩效目标\t一级指标\t二级指标\t三级指标\t指标值\n"
            "科研专项\t[203]某省科学技术厅\t某省科学技术研究院\t100.00\t资助基础研究。\t产出指标\t数量指标\t资助项目数\t≥150项\n"
            "\t\t\t\t\t效益指标\t社会效益指标\t培养人才\t≥100人\n")
    [project] = _record(text).performance_projects
    assert (project.supervising_code, project.supervising_dept, project.implementing_unit) == (
        "203", "某省科学技术厅", "某省科学技术研究院")
