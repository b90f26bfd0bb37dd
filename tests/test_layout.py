"""Logical rows from every converter family (budgetkg.extract.layout)."""

from __future__ import annotations

import codecs
import re
import time
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetkg.extract.layout import clean_cell, parse_layout, read_document, undouble
from budgetkg.extract.model import Document, Row
from budgetkg.extract.pipeline import extract_document
from budgetkg.extract.read import UnreadableInput

FIXTURES = Path(__file__).parent / "fixtures" / "layouts"
SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"  # beside the checkout
SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
needs_seeds = pytest.mark.skipif(not SEED_FILES, reason="seed disclosures not available")


def at(doc: Document, line: int) -> list[Row]:
    return [row for row in doc.rows if row.line == line]


def only(doc: Document, line: int) -> Row:
    (row,) = at(doc, line)
    return row


def assert_well_numbered(doc: Document, n_lines: int, strict: bool = False) -> None:
    lines = [row.line for row in doc.rows]
    pairs = list(zip(lines, lines[1:]))
    assert all(a < b for a, b in pairs) if strict else all(a <= b for a, b in pairs)
    for row in doc.rows:
        assert 1 <= row.line <= row.end_line <= n_lines
        assert row.text == " ".join(row.filled)
        assert row.text


# --- fixtures, one per family ---------------------------------------------------------------
def test_markdown_pipe_table():
    doc = read_document(FIXTURES / "markdown_pipe.md")
    assert (doc.family, doc.encoding, doc.source) == ("markdown", "utf-8", "markdown_pipe.md")
    assert only(doc, 1).heading == 1 and only(doc, 1).cells == ("2024年部门预算公开",)
    assert only(doc, 3).heading == 2 and only(doc, 3).text == "十、绩效管理情况"  # undoubled
    assert only(doc, 7).heading == 3
    assert only(doc, 9).cells == ("项目名称", "科技创新券", "", "")  # bold stripped, empties kept
    assert at(doc, 10) == []  # |---| separator
    assert only(doc, 12).cells == ("项目资金(元)", "实施期资金总额：", "150,000", "")
    assert only(doc, 14).cells == ("一级指标", "二级指标", "三级指标", "指标值")
    assert only(doc, 16).cells == ("", "质量指标", "使用兑现率", "100%")
    assert only(doc, 17).cells[2:] == ("带动企业研发投入 | 提高", "90%")  # escaped pipe
    assert only(doc, 20).cells == ("注：本表金额单位为元。",)


def test_markdown_backslash_escapes_are_read_as_the_characters_they_escape():
    text = (
        "## 项目支出绩效目标表\n\n"
        "| 立项依据 | 1\\.《山西省科技计划项目管理办法》(晋政办发\\[2021\\]42号) |\n"
        "|---|---|\n"
        "| 备注 | 见 a\\|b 与 \\\\ |\n"
        "\n"
        "2\\.《关于深化科技计划管理改革的若干意见》（晋科发\\[2020\\]15号）\n"
    )
    doc = parse_layout(text, "escaped.md")
    assert doc.family == "markdown"
    assert only(doc, 3).cells == ("立项依据", "1.《山西省科技计划项目管理办法》(晋政办发[2021]42号)")
    assert only(doc, 5).cells == ("备注", "见 a|b 与 \\")
    assert only(doc, 7).text == "2.《关于深化科技计划管理改革的若干意见》（晋科发[2020]15号）"


def test_a_backslash_in_a_tab_separated_file_is_kept():
    doc = parse_layout("文号\t晋政办发\\[2021\\]42号\n", "plain.txt")
    assert only(doc, 1).cells == ("文号", "晋政办发\\[2021\\]42号")


def test_a_running_header_inside_a_table_split_by_a_page_is_not_content():
    doc = read_document(FIXTURES / "table_split_by_page.md")
    titles = [r for r in doc.rows if r.text == "山西省科学技术厅2026年度部门预算公开"]
    assert [r.line for r in titles] == [1]  # the title stays; its repeat between the tables goes
    [project] = extract_document(doc).performance_projects
    assert [k.level3 for k in project.annual_kpis] == ["立项项目数量", "项目验收通过率", "带动企业研发投入", "项目承担单位满意度"]


def test_a_label_printed_alone_between_rows_in_every_table_stays():
    table = "产出指标\t数量指标\t培训人次\t≥500人次\n效益指标\n\t社会效益指标\t能力提升\t提升\n"
    doc = parse_layout("部门预算\n" + table * 4, "labels.txt")
    assert sum(1 for r in doc.rows if r.text == "效益指标") == 4


def test_mineru_markdown_with_html_tables():
    doc = read_document(FIXTURES / "mineru_tables.md")
    assert doc.family == "html"
    assert only(doc, 1).heading == 1
    assert only(doc, 3).cells == ("项目名称：乡村科技特派员服务",)
    one_line_table = at(doc, 5)  # MinerU writes the whole table on one line
    assert [row.cells for row in one_line_table] == [
        ("项目名称", "乡村科技特派员服务", "", ""),  # colspan=3
        ("主管部门及代码", "136-某某市科学技术局", "实施单位", "某某市科技服务中心"),
        ("项目资金(元)", "实施期资金总额：", "280,000", ""),  # rowspan=3 starts here
        ("", "其中：财政拨款", "280,000", ""),
        ("", "其他资金", "", ""),
    ]
    assert all(row.end_line == 5 for row in one_line_table)
    assert only(doc, 7).heading == 2 and only(doc, 7).text == "绩效指标"
    assert only(doc, 10).cells == ("一级指标", "二级指标", "三级指标", "指标值")
    spanning = only(doc, 11)
    assert (spanning.line, spanning.end_line) == (11, 16)
    assert spanning.cells == ("产出指标", "数量指标", "服务乡镇数量", "≥12个")
    assert only(doc, 17).cells == ("", "时效指标", "完成时间", "2024年12月31日前")
    assert only(doc, 18).cells[-1] == "≥90%"  # &ge;
    assert only(doc, 21).text == "注：数据来源于某某市财政局。"


def test_plain_html_file():
    doc = read_document(FIXTURES / "budget_table.html")
    assert doc.family == "html"
    assert doc.rows[0].line == 11  # doctype, head, title and style carry no rows
    assert (only(doc, 11).heading, only(doc, 11).text) == (1, "某某市科学技术局")
    assert (only(doc, 12).heading, only(doc, 12).text) == (2, "2024年项目支出绩效目标表")
    paragraph = only(doc, 14)
    assert (paragraph.end_line, paragraph.heading) == (15, 0)
    assert paragraph.text == "本表依据《某某市市级项目支出绩效管理办法》 编制，指标值以年度目标为准。"
    assert only(doc, 18).cells == ("项目名称", "", "科技馆免费开放", "")
    basis = only(doc, 21)
    assert basis.end_line == 24
    assert basis.cells == ("立项依据", "", "《关于全国科技馆免费开放的通知》 （科协发普字〔2015〕29号）", "")
    assert only(doc, 25).cells == ("产出指标", "数量指标", "年接待观众人次", ">=20万人次")
    assert only(doc, 26).cells == ("", "质量指标", "展品完好率", "≥95%")
    assert only(doc, 27).cells[-1] == "1,200,000"  # &nbsp; trimmed
    assert not any("不应出现" in row.text for row in doc.rows)  # comment


def test_cell_per_line():
    doc = read_document(FIXTURES / "cell_per_line.txt")
    assert doc.family == "cell-per-line"
    assert only(doc, 3).cells == ("项目名称",)
    assert only(doc, 4).cells == ("科技工作运行经费",)
    assert only(doc, 15).cells == ("一级指标",)
    assert only(doc, 30).cells == ("≥90%",)
    assert all(len(row.cells) == 1 for row in doc.rows)
    assert_well_numbered(doc, 30, strict=True)


def test_pdftotext_wrapped_so_narrow_that_most_lines_hold_one_word_is_still_pdftotext():
    """Cells wrapped at 12 glyphs: most lines are one short word, as in one-cell-per-line
    output, but the labels carry their values on their lines (项目名称  科技馆运行费-工服采购),
    which one cell per line never prints; read as pdftotext, the indicators come out whole."""
    doc = read_document(FIXTURES / "pdftotext_narrow_wrap.txt")
    assert doc.family == "pdftotext"
    [project] = extract_document(doc).performance_projects
    assert [(k.level3, k.value) for k in project.period_kpis][:4] == [
        ("人均工服数量", "≤11件"), ("工服验收合格率", "100%"), ("工服费用总成本", "≤423910元"),
        ("工服人均成本", "≤3562.27元")]


def test_cell_per_line_with_letter_spaced_labels_is_cell_per_line():
    """项 目 名 称: labels justified across their cells print one glyph per word; they are
    one word each, so the file reads as one cell per line (not as pdftotext rows of one-glyph
    cells, where no label and no project was found)."""
    doc = read_document(FIXTURES / "cell_per_line_spaced_labels.txt")
    assert doc.family == "cell-per-line"
    [project] = extract_document(doc).performance_projects
    assert (project.name, project.supervising_code, project.implementing_unit) == (
        "科技人才培训专项", "214", "某某市科技人才服务中心")
    assert [c.doc_number for c in project.legal_bases] == ["某科规〔2022〕5号"]
    assert [(k.level3, k.value) for k in project.period_kpis + project.annual_kpis] == [
        ("培训人次", "≥500人次"), ("培训合格率", "≥95%"), ("学员满意度", "≥90%")]


def _paged(header_lines: list[str], rows: int = 12, per_page: int = 3) -> str:
    """A pdftotext table over pages, each page closed by a form feed and opened by the
    running header lines ({n}: the page number)."""
    out = ["项目支出绩效目标表", "项目名称  科普经费", "绩效指标 一级指标 二级指标 三级指标 指标值",
           " 产出指标 数量指标  开展综合统计调查次数 1次"]
    for i in range(1, rows + 1):
        out.append(f"   数量指标  科普活动{i}场次  {i}场")
        if i % per_page == 0:
            out[-1] += "\n\f" + "\n".join(h.format(n=i // per_page + 1) for h in header_lines)
    return "\n".join(out) + "\n负责人:\n"


@pytest.mark.parametrize("header", [
    ["山西省科学技术协会", "2026年度部门预算公开"],  # two lines
    ["山西省科学技术协会2026年度部门预算公开 {n}"],  # its page number on its line
    ["{n}", "山西省科学技术协会2026年度部门预算公开"],
], ids=["two lines", "page number on its line", "page number above"])
def test_pdftotext_running_headers_are_dropped_however_printed_and_rows_alike_stay(header):
    """A running header of two lines, or with the page number on its line, is furniture; the
    table's rows beside the page breaks stay, though they differ only in their figures."""
    doc = parse_layout(_paged(header), "paged.txt")
    texts = [row.text for row in doc.rows]
    assert not any("部门预算公开" in t or t == "山西省科学技术协会" for t in texts)
    assert sum(1 for t in texts if t.startswith("数量指标 科普活动")) == 12


def test_pdftotext_pages():
    doc = read_document(FIXTURES / "pdftotext_pages.txt")
    assert doc.family == "pdftotext"
    kept = {row.line for row in doc.rows}
    assert kept.isdisjoint({1, 10, 11, 20, 21, 27})  # running header and "- N -" footers
    assert only(doc, 2).cells == ("第一部分", "概况")  # doubled line printed once, then split
    assert only(doc, 6).cells[0].startswith("1.贯彻执行")  # U+3000 indentation ignored
    assert only(doc, 12).cells == ("项目名称", "合计", "一般公共预算")
    assert only(doc, 16).cells == ("科技工作运行经费", "60.00", "60.00")  # 60.0060.00
    assert only(doc, 25).cells == ("产出指标", "数量指标", "发放数量", "3家")
    assert_well_numbered(doc, 27, strict=True)


def test_utf8_bom_tsv():
    doc = read_document(FIXTURES / "bom_tsv.txt")
    assert (doc.family, doc.encoding) == ("tsv", "utf-8-sig")
    assert (only(doc, 1).heading, only(doc, 1).text) == (2, "某某市项目支出绩效目标表")
    assert only(doc, 3).cells == ("项目名称", "", "科技馆免费开放", "", "")
    assert only(doc, 6).cells[1] == "《关于全国科技馆免费开放的通知》 （科协发普字〔2015〕29号）"
    assert only(doc, 7).cells[:2] == ("项目设立必要性", "保障科技馆 免费开放，提升公民科学素质<试行>")
    assert only(doc, 9).cells == ("", "数量指标", "年接待观众人次", "≥20万人次", "")


GBK_TSV = (
    "二、项目支出绩效目标表\n"
    "\n"
    "项目名称\t驻村帮扶干部补助经费\t\t\n"
    "主管部门及代码\t136-某某市科学技术局\t实施单位\t某某市科学技术局\n"
    "项目资金(元)\t年度资金总额：\t28,000\t\n"
    "一级指标\t二级指标\t三级指标\t指标值\n"
    "产出指标\t数量指标\t帮扶人数\t≥2人\n"
)


def test_gbk_file(tmp_path):
    path = tmp_path / "gbk_project.txt"
    path.write_bytes(GBK_TSV.replace("\n", "\r\n").encode("gbk"))
    doc = read_document(path)
    assert (doc.family, doc.encoding, doc.path) == ("tsv", "gb18030", str(path))
    assert only(doc, 1).cells == ("二、项目支出绩效目标表",)
    assert only(doc, 3).cells == ("项目名称", "驻村帮扶干部补助经费", "", "")
    assert only(doc, 5).cells == ("项目资金(元)", "年度资金总额：", "28,000", "")
    assert only(doc, 7).cells == ("产出指标", "数量指标", "帮扶人数", "≥2人")


def test_utf16_file(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + GBK_TSV.encode("utf-16-le"))
    doc = read_document(path)
    assert doc.encoding == "utf-16-le"
    assert only(doc, 6).cells == ("一级指标", "二级指标", "三级指标", "指标值")


@pytest.mark.parametrize(
    "data, reason", [(b"", "empty file"), (b"PK\x03\x04\x00\x00", "NUL bytes")]
)
def test_unreadable_files_name_the_file(tmp_path, data, reason):
    path = tmp_path / "budget.xlsx"
    path.write_bytes(data)
    with pytest.raises(UnreadableInput, match=reason) as info:
        read_document(path)
    assert "budget.xlsx" in str(info.value)


# --- rules, on inline text --------------------------------------------------------------------
@pytest.mark.parametrize("raw, expected", [
    ("项目名称项目名称", "项目名称"),
    ("第一部分 概况第一部分 概况", "第一部分 概况"),
    ("十、绩效管理情况十、绩效管理情况", "十、绩效管理情况"),
    ("≥90%≥90%", "≥90%"),
    ("408.27408.27", "408.27"),  # two decimal points: no number, so doubled
    ("150,000150,000", "150,000"),
    ("2020", "2020"),  # a number as printed
    ("1111", "1111"),
    ("算算", "算算"),  # one-character repeat
    ("哈哈哈哈", "哈哈哈哈"),
    ("------", "------"),
    ("合计", "合计"),
    ("", ""),
])
def test_undouble(raw, expected):
    assert undouble(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("<p>项目设立必要性</p>", "项目设立必要性"),
    ("<p>第一条</p><p>第二条</p>", "第一条 第二条"),
    ("上半年<br/>下半年<BR>全年", "上半年 下半年 全年"),
    ("<b>第</b>一部分", "第一部分"),
    ("&lt;山西省预算绩效评价管理办法&gt; &amp; 细则&nbsp;", "<山西省预算绩效评价管理办法> & 细则"),
    ("故障率<5%", "故障率<5%"),  # a lone < is text, not a tag
    ("**合计**", "合计"),
    ("\u3000\u3000一、本单位职责  ", "一、本单位职责"),
])
def test_clean_cell(raw, expected):
    assert clean_cell(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    (r"$\geq 90\%$", "≥90%"),  # MinerU writes symbols as inline maths
    (r"$\geq$95%", "≥95%"),
    (r"$\leqslant$ 3 天", "≤ 3 天"),
    (r"$ \geq 9 0 \% $", "≥90%"),
    (r"覆盖面积$100 m^{2}$", "覆盖面积100m²"),
    (r"误差$\pm 0.5\%$", "误差±0.5%"),
    ("$100$", "$100$"),  # no command: not a formula
    (r"$\frac{1}{2}$", r"$\frac{1}{2}$"),  # a command not known here: kept as written
])
def test_inline_maths_of_pdf_to_markdown_tools_reads_as_the_symbols_printed(raw, expected):
    assert clean_cell(raw) == expected


@pytest.mark.parametrize("header, filler", [
    ("|项目名称|科技规划编制费用|Col3|Col4|", "|Col1|Col2|Col3|Col4|"),  # pymupdf4llm
    ("| 项目名称 | 科技规划编制费用 | Unnamed: 2 | Unnamed: 3 |", "| nan | nan | None | NaN |"),  # pandas' to_markdown
])
def test_placeholders_of_empty_cells_are_empty_cells(header, filler):
    """pymupdf4llm names a header row's empty cells Col3, Col4, pandas Unnamed: 2 and fills empty
    cells with nan: no text of the table (the project name is not 科技规划编制费用Col3Col4, and a
    row of them is no indicator)."""
    doc = parse_layout(f"{header}\n|---|---|---|---|\n{filler}\n", "t.md")
    assert [row.cells for row in doc.rows] == [("项目名称", "科技规划编制费用", "", "")]


@pytest.mark.parametrize("rule", ["----------  ------------  ------", "|-----+-----+-----|", "==========  ========"])
def test_the_rule_under_a_plain_text_or_org_table_header_is_no_text(rule):
    """tabulate's simple and orgtbl formats rule the header off with dashes (or = in rst): the
    rule is no cell (the project name is not 院士工作站建设-----)."""
    doc = parse_layout(f"项目名称  院士工作站建设\n{rule}\n主管部门  某局\n", "t.txt")
    assert all(set(row.text) - set("-=+| ") for row in doc.rows)


def test_markdown_text_around_a_multiline_table_and_prefix_on_same_line():
    text = "说明文字<table><tr><td>甲</td>\n<td>乙</td></tr>\n<tr><td>丙<td>丁</table>结尾\n"
    doc = parse_layout(text, "inline.md")
    assert [(r.line, r.end_line, r.cells) for r in doc.rows] == [
        (1, 1, ("说明文字",)),
        (1, 2, ("甲", "乙")),
        (3, 3, ("丙", "丁")),  # omitted closing tags
        (3, 3, ("结尾",)),
    ]


def test_rowspan_and_colspan_keep_columns_aligned():
    text = (
        "<table>"
        "<tr><td rowspan=2>一级</td><td colspan=2>二级</td><td rowspan=3>值</td></tr>"
        "<tr><td>a</td><td>b</td></tr>"
        "<tr><td>c</td><td>d</td><td>e</td></tr>"
        "<tr><td>f</td></tr>"
        "</table>"
    )
    cells = [row.cells for row in parse_layout(text, "t.html").rows]
    assert cells == [
        ("一级", "二级", "", "值"),
        ("", "a", "b", ""),
        ("c", "d", "e", ""),
        ("f",),
    ]


def test_unclosed_table_runs_to_the_end():
    doc = parse_layout("<table><tr><td>项目名称</td><td>科技馆</td>\n<tr><td>合计", "u.md")
    assert [(r.line, r.cells) for r in doc.rows] == [(1, ("项目名称", "科技馆")), (2, ("合计",))]


def test_form_feeds_bound_pages_for_running_headers():
    page = "某某市科学技术局2024年部门预算\n{body}\n"
    text = "\f".join(page.format(body=b) for b in ("项目名称 科技创新券", "合计 15.00", "单位：万元"))
    doc = parse_layout(text, "ff.txt")
    assert [r.line for r in doc.rows] == [2, 4, 6]
    assert [r.cells for r in doc.rows][1] == ("合计", "15.00")


def test_bare_page_numbers_need_a_chain():
    filler = ["产出指标 数量指标 发放数量 3家"] * 11
    lines = filler + ["1"] + filler + ["0"] + ["2"] + filler + ["60"] + ["3"]
    doc = parse_layout("\n".join(lines), "p.txt")
    kept = {row.line: row.text for row in doc.rows}
    assert 12 not in kept and 25 not in kept and 38 not in kept  # pages 1, 2, 3
    assert kept[24] == "0" and kept[37] == "60"  # table cells stay


def test_repetition_alone_does_not_make_furniture():
    text = "\n".join(["数量指标 发放数量 3家", "单位：万元"] * 8)
    doc = parse_layout(text, "r.txt")
    assert len(doc.rows) == 16


def test_tsv_and_markdown_mixed_headings():
    doc = parse_layout("# 目 录\n\n第一部分 概况\t1\n一、本部门职责.....\t1\n", "m.txt")
    assert doc.family == "tsv"
    assert [(r.line, r.heading, r.cells) for r in doc.rows] == [
        (1, 1, ("目 录",)),
        (3, 0, ("第一部分 概况", "1")),
        (4, 0, ("一、本部门职责.....", "1")),
    ]


def test_plain_prose_is_text_and_unsplit():
    doc = parse_layout("本部门主要职责是组织实施科技计划。\n\n（一）拟订规划。\n", "p.txt")
    assert doc.family == "text"
    assert [r.cells for r in doc.rows] == [("本部门主要职责是组织实施科技计划。",), ("（一）拟订规划。",)]


def test_parse_layout_normalises_carriage_returns():
    doc = parse_layout("项目名称\t甲\r\n\r\n合计\t1\r合计合计\t2", "cr.txt")
    assert [(r.line, r.cells) for r in doc.rows] == [
        (1, ("项目名称", "甲")), (3, ("合计", "1")), (4, ("合计", "2"))
    ]


# --- seeds -------------------------------------------------------------------------------------
@needs_seeds
@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_rows_are_numbered_within_the_file(path):
    doc = read_document(path)
    n_lines = path.read_text(encoding="utf-8").count("\n") + 1
    assert doc.encoding == "utf-8"
    assert len(doc.rows) > 500
    assert_well_numbered(doc, n_lines, strict=True)


@needs_seeds
def test_seed_families():
    families = [read_document(p).family for p in SEED_FILES]
    assert families == ["tsv", "tsv", "tsv", "tsv", "pdftotext"]


def seed(prefix: str) -> Document:
    (path,) = [p for p in SEED_FILES if p.name.startswith(prefix)]
    return read_document(path)


@needs_seeds
def test_seed_001_project_table():
    doc = seed("001")
    assert only(doc, 622).cells == ("项目名称", "", "科普经费", "", "")
    assert only(doc, 623).cells == ("主管部门及代码", "322-山西省科学技术协会", "", "实施单位", "山西省科学技术协会")
    assert only(doc, 626).cells == ("", "其中:中央财政资金", "0", "其中:中央财政资金", "0")
    assert "印发<山西省预算绩效评价管理办法>的通知" in only(doc, 634).cells[1]
    assert (only(doc, 43).heading, only(doc, 43).text) == (2, "第一部分 概况")
    assert only(doc, 8).cells == ("第一部分 概况 .....", "1")  # <b> stripped in a TOC row
    assert at(doc, 1) == [] and at(doc, 2) == []


@needs_seeds
def test_seed_000_paragraph_cells():
    doc = seed("000")
    assert only(doc, 805).cells[0] == "项目设立必要性"
    assert only(doc, 805).cells[1].startswith("平台基地-科技创新平台")


@needs_seeds
def test_seed_004_pdftotext():
    doc = seed("004")
    assert only(doc, 701).cells == ("项目名称", "合计")
    assert only(doc, 1).cells == ("第一部分", "概况")
    assert only(doc, 259).cells == ("合计", "408.27", "330.47", "77.80")
    assert only(doc, 857).cells == ("项目名称", "科技创新券")
    assert only(doc, 974).cells == ("0",)  # bare numbers are cells, not page numbers
    assert only(doc, 87).cells == ("预算公开表1",)  # table labels are content


@needs_seeds
def test_seed_throughput():
    size = sum(p.stat().st_size for p in SEED_FILES)
    start = time.perf_counter()
    for path in SEED_FILES:
        read_document(path)
    assert size / (time.perf_counter() - start) > 1e6  # target is 5 MB/s; measured ~20


# --- properties ------------------------------------------------------------------------------
TOKENS = st.sampled_from([
    "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", '<td colspan="3">', "<th rowspan=0>",
    '<td rowspan="2">', "<p>", "</p>", "<h2>", "</h2>", "<br>", "<!--", "-->", "<script>",
    "&amp;", "&lt;", "&#", "\t", "|", "|---|", "\n", "\r\n", "\r", "\f", "# ", "**", " ", "\u3000",
    "项目名称项目名称", "合计合计", "408.27408.27", "一级指标", "- 1 -", "1", "2", "≥90%", "<",
])
MARKUPISH = st.lists(TOKENS | st.text(max_size=5), max_size=60).map("".join)


def check_invariants(text: str) -> None:
    doc = parse_layout(text, "prop.txt")
    n_lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    assert doc.family in ("tsv", "html", "markdown", "pdftotext", "cell-per-line", "text")
    assert_well_numbered(doc, n_lines)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_layout_never_raises_on_text(text):
    check_invariants(text)


@settings(max_examples=500, deadline=None)
@given(MARKUPISH)
def test_parse_layout_never_raises_on_markup(text):
    check_invariants(text)


CELL = st.text(st.sampled_from("项目名称合计指标值一级二三科技局0123456789.,%≥（）:："), max_size=6)
GRID = st.lists(
    st.lists(CELL.filter(lambda c: undouble(c) == c), min_size=3, max_size=3).filter(any),
    min_size=1, max_size=8,
)


def render(grid: list[list[str]], family: str) -> str:
    if family == "tsv":
        return "\n".join("\t".join(row) for row in grid)
    if family == "markdown":
        lines = ["| " + " | ".join(row) + " |" for row in grid]
        return "\n".join(lines[:1] + ["|---|---|---|"] + lines[1:])
    rows = ("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in grid)
    return "<table>\n" + "\n".join(rows) + "\n</table>"


@settings(max_examples=200, deadline=None)
@given(GRID, st.sampled_from(["tsv", "markdown", "html"]))
def test_cells_survive_every_table_markup(grid, family):
    doc = parse_layout(render(grid, family), "grid")
    assert [list(row.cells) for row in doc.rows] == grid
    first = 2 if family == "html" else 1  # <table> stands on line 1
    skip = 1 if family == "markdown" else 0  # the |---| separator follows the first row
    expected = [first + i + (skip if i else 0) for i in range(len(grid))]
    assert [row.line for row in doc.rows] == expected


def _cells_page(codes: tuple[str, str]) -> list[str]:
    return ["项目名称", "科普经费", "实施单位", "某某局", codes[0], "教育支出", "3.60", "3.60",
            "20599", "其他教育支出", "3.60", "3.60", "2059999", "其他教育支出", "3.60", "3.60",
            codes[1], "科学技术支出", "4396.76"]


def test_cell_per_line_codes_are_not_page_numbers():
    """205 … 206 a page's worth of lines apart are 功能分类 codes among their row's cells."""
    lines = _cells_page(("205", "206")) + _cells_page(("207", "208"))
    doc = parse_layout("\n".join(lines), "c.txt")
    assert doc.family == "cell-per-line"
    assert len(doc.rows) == len(lines)


def test_cell_per_line_page_numbers_set_apart_are_dropped():
    pages = [
        "\n".join(_cells_page(("205", "206"))) + f"\n\n{n}\n" for n in (1, 2, 3)
    ]
    text = "\f".join(pages)
    doc = parse_layout(text, "c.txt")
    assert doc.family == "cell-per-line"
    texts = [r.text for r in doc.rows]
    assert texts.count("205") == 3 and texts.count("206") == 3
    assert not {"1", "2", "3"} & set(texts)


def test_pdftotext_amount_printed_with_spaces_is_one_cell():
    text = "\n".join(["项目名称 合计 一般公共预算", "实施单位 某某局", "2060404 科技成果转化 23, 367. 00 23, 367. 00"] * 3)
    doc = parse_layout(text, "s.txt")
    assert doc.family == "pdftotext"
    assert doc.rows[2].cells == ("2060404", "科技成果转化", "23, 367. 00", "23, 367. 00")


def test_pdftotext_a_figure_one_space_from_its_unit_is_one_cell_a_column_gap_apart_is_two():
    """Word and WPS set figures apart from Chinese text (12 月之前, ≤200 万元, ≥ 25 项); pdftotext
    prints that as one space, a column gap as more (-layout), and a year before words stays apart."""
    lines = ["项目名称 合计 一般公共预算", "实施单位 某某局",
             " 工程项目建设及时性 12 月之前 建设支付资金 ≤200 万元   ≥ 25 项",
             " 发放数量   100     人    完成 2024 年度任务"] * 3
    doc = parse_layout("\n".join(lines), "s.txt")
    assert doc.rows[2].cells == ("工程项目建设及时性", "12月之前", "建设支付资金", "≤200万元", "≥25项")
    assert doc.rows[3].cells == ("发放数量", "100", "人", "完成", "2024", "年度任务")
    assert doc.rows[2].starts == (1, 11, 18, 25, 35)


def test_pdftotext_figure_unit_joins_stop_at_words_letter_spacing_and_source_joiners():
    """工作 is no unit (工作日 is), 千克 and 千瓦时 are; 1 人 员 经 费 is letter-spaced text; a
    word joiner in the source neither marks a join nor costs the row its cell starts."""
    lines = ["项目名称 合计 一般公共预算", "实施单位 某某局",
             "支出 100 千瓦时 50 千克 3 工作 完成", "序号 1 人 员 经 费", "科技成果 转\u2060化 100.00 200.00"] * 3
    doc = parse_layout("\n".join(lines), "s.txt")
    assert doc.rows[2].cells == ("支出", "100千瓦时", "50千克", "3", "工作", "完成")
    assert doc.rows[3].cells == ("序号", "1", "人", "员", "经", "费")
    assert doc.rows[4].cells == ("科技成果", "转化", "100.00", "200.00") and doc.rows[4].starts == (0, 5, 8, 15)


# --- cell normalizers: properties ----------------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(MARKUPISH)
def test_a_cleaned_cell_is_one_line_with_single_spaces(raw):
    cell = clean_cell(raw)
    assert cell == " ".join(cell.split())


PLAIN_CELL = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20).filter(
    lambda s: not any(mark in s for mark in ("<", "&", "**", "![")))


@settings(max_examples=300, deadline=None)
@given(PLAIN_CELL)
def test_escaping_a_cell_as_html_changes_nothing_once_cleaned(text):
    import html

    assert clean_cell(html.escape(text)) == clean_cell(text)


@given(st.text(min_size=1, max_size=12))
def test_undouble_returns_the_text_or_its_first_half(text):
    out = undouble(text)
    assert out == text or (out * 2 == text and len(out) >= 2)


@given(st.text(st.sampled_from("项目名称合计科技局ab1.,%-（）"), min_size=2, max_size=10))
def test_a_doubled_word_is_printed_once(word):
    """The PDF layer's doubling of any wordy text of two or more distinct characters is undone;
    a doubling that reads as a number is left alone (2020 is not 20 printed twice)."""
    if len(set(word)) < 2 or not any(ch.isalnum() for ch in word) or undouble(word) != word:
        return
    doubled = undouble(word + word)
    assert doubled == word or (doubled == word + word and re.fullmatch(r"[+-]?[\d,]+(\.\d+)?%?", word + word))


def _cells(alphabet: str) -> st.SearchStrategy[list[list[str]]]:
    cell = st.text(st.sampled_from(alphabet), max_size=6).filter(lambda c: c == " ".join(c.split()) and undouble(c) == c)
    return st.lists(st.lists(cell, min_size=3, max_size=3).filter(any), min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(_cells("项目名称合计ab1.,%| "))
def test_a_pipe_escaped_in_a_markdown_cell_is_read_back(grid):
    text = render([[c.replace("|", "\\|") for c in row] for row in grid], "markdown")
    assert [list(row.cells) for row in parse_layout(text, "grid").rows] == grid


@settings(max_examples=200, deadline=None)
@given(_cells("项目名称合计ab1.,%&<>\"' "))
def test_markup_characters_written_as_entities_in_an_html_cell_are_read_back(grid):
    import html

    text = render([[html.escape(c) for c in row] for row in grid], "html")
    assert [list(row.cells) for row in parse_layout(text, "grid").rows] == grid


@given(
    st.lists(st.sampled_from(["", "合计", "项目名称", " ", "12.5", "山西省 科技厅"]), max_size=6),
    st.integers(1, 10_000),
    st.integers(0, 6),
)
def test_the_layout_readers_row_builder_makes_the_row_the_constructor_makes(cells, line, heading):
    built = Row.of_cells(line, line + 1, tuple(cells), heading)
    text = " ".join(filter(None, cells))
    if not text:
        assert built is None
        return
    made = Row(line, line + 1, tuple(cells), text, heading)
    assert built == made and built.filled == made.filled and built.key == made.key
    with pytest.raises(FrozenInstanceError):
        built.text = "x"  # type: ignore[misc]


GRID = """**项目支出绩效目标表**

+------------------+------------------+------------------------+------------------+
| 项目名称         | 山东省自然科学基金                                              |
+------------------+------------------+------------------------+------------------+
| 主管部门         | 3                | 实施单位               | 山东省科学技术厅 |
|                  | 22-山东省科学技术|                        |                  |
|                  | 厅               |                        |                  |
+------------------+------------------+------------------------+------------------+
| 一级指标         | 二级指标         | 三级指标               | 指标值           |
+==================+==================+========================+==================+
| 效益指标         | 社会效益指标     | 资助青年科研人员       | ≥1200人          |
|                  |                  | 比例                   |                  |
+------------------+------------------+------------------------+------------------+
| 满意度指标       | 服务对象满意度   | 项目承担单位满意度     | ≥90% of the      |
|                  | 指标             |                        | units            |
+------------------+------------------+------------------------+------------------+

Text after the table.
"""


def test_a_pandoc_grid_table_gives_one_row_per_ruled_row_with_wrapped_cells_joined():
    rows = parse_layout(GRID, "grid.md").rows
    cells = [r.filled for r in rows]
    assert ("效益指标", "社会效益指标", "资助青年科研人员比例", "≥1200人") in cells  # no space between glyphs
    assert ("满意度指标", "服务对象满意度指标", "项目承担单位满意度", "≥90% of the units") in cells
    assert not any("+--" in r.text or "+==" in r.text for r in rows)
    assert ("主管部门", "322-山东省科学技术厅", "实施单位", "山东省科学技术厅") in cells  # 3 / 22: one number
    row = next(r for r in rows if r.filled[0] == "效益指标")
    assert (row.line, row.end_line) == (12, 13)
    assert rows[-1].text == "Text after the table."
    [project] = extract_document(parse_layout(GRID, "grid.md")).performance_projects
    # (the prose line after the table, wider than the value above it, is no wrap of that value;
    # with no signature row to end the table it is read as one more row, with no value)
    assert [(k.level2, k.level3, k.value) for k in project.period_kpis + project.annual_kpis][:2] == [
        ("社会效益指标", "资助青年科研人员比例", "≥1200人"), ("服务对象满意度指标", "项目承担单位满意度", "≥90% of the units")]


def test_an_html_document_on_one_line_keeps_each_heading_and_paragraph_a_row_of_its_own():
    """A document saved on one line: <h2>title</h2><p>单位：万元</p><table>…</table><p>注…</p> gives
    the heading, the paragraph, the table's rows and the note, in that order, not one run-on row."""
    text = ("<h2>2026年预算支出总表</h2><p>单位：万元</p><table><tr><td>科目编码</td><td>科目名称</td><td>合计</td></tr>"
            "<tr><td>206</td><td>科学技术支出</td><td>8634.84</td></tr></table><p>注：本表无数据的为空表。</p>\n")
    doc = parse_layout(text, "one_line.html")
    assert [(row.heading, row.cells) for row in doc.rows] == [
        (2, ("2026年预算支出总表",)), (0, ("单位：万元",)), (0, ("科目编码", "科目名称", "合计")),
        (0, ("206", "科学技术支出", "8634.84")), (0, ("注：本表无数据的为空表。",))]


PSQL = """+----------+--------------+----------+--------------+
| 项目名称 | 院士工作站建设 |          |              |
|----------+--------------+----------+--------------|
| 主管部门 | 某省科协     | 实施单位 | 某省科技馆   |
| 项目属性 | 经常性项目   | 项目期   | 1年          |
+----------+--------------+----------+--------------+
"""


FANCY_GRID = """╒══════════╤══════════════╤══════════╤══════════════╕
│ 项目名称 │ 院士工作站建设 │          │              │
╞══════════╪══════════════╪══════════╪══════════════╡
│ 主管部门 │ 某省科协     │ 实施单位 │ 某省科技馆   │
├──────────┼──────────────┼──────────┼──────────────┤
│ 项目属性 │ 经常性项目   │ 项目期   │ 1年          │
╘══════════╧══════════════╧══════════╧══════════════╛
"""


@pytest.mark.parametrize("text", [PSQL, FANCY_GRID], ids=["psql", "fancy_grid"])
def test_bordered_tables_of_tabulate_give_one_row_per_line(text):
    """tabulate's psql table (+---+ borders, |---+---| under the header) and its fancy_grid (a
    grid drawn with box characters): one row per table row, no border read as text."""
    rows = parse_layout(text, "t.txt").rows
    assert [r.filled for r in rows] == [
        ("项目名称", "院士工作站建设"), ("主管部门", "某省科协", "实施单位", "某省科技馆"), ("项目属性", "经常性项目", "项目期", "1年")]


@pytest.mark.parametrize("page_top", ["\f某省科学技术厅2025年部门预算", "\f某省科学技术厅2025年度部门预算公开 17"])
def test_the_disclosures_title_at_a_page_break_is_a_running_header_even_once(page_top):
    """A short file shows its running title at one page break only: still no row of the table."""
    text = f"某省科学技术厅\n项目名称 科研专项\n产出指标 数量指标 资助项目数 ≥150项\n{page_top}\n效益指标 社会效益指标 培养人才 ≥100人\n"
    rows = parse_layout(text, "p.txt").rows
    assert not any("预算" in r.text for r in rows)
    assert rows[0].text == "某省科学技术厅"  # the file's own first line stays


def test_rules_of_plain_text_tables_do_not_make_a_file_markdown():
    """pandoc and pdftotext print ----- rules too: a pdftotext file with many of them stays
    pdftotext, so its lines are still cut into cells (16,110,000 | 5,370,000, not one cell)."""
    body = "项目资金(元)  实施期资金总额:  年度资金总额:\n  16,110,000  5,370,000\n  -------------  -----------\n"
    doc = parse_layout("项目名称  科研专项\n" + body * 8, "p.txt")
    assert doc.family == "pdftotext"
    assert ("16,110,000", "5,370,000") in [row.filled for row in doc.rows]


@pytest.mark.parametrize("text", [
    "|  | 项目名称 | 院士工作站建设 |\n|---|---|---|\n| 0 | 主管部门 | 某省科协 |\n| 1 | 项目属性 | 经常性项目 |\n",  # the index
    "| 0 | 1 | 2 |\n|---|---|---|\n| 项目名称 | 院士工作站建设 |  |\n| 主管部门 | 某省科协 |  |\n",  # camelot's column numbers
], ids=["index column", "numbered headings"])
def test_pandas_frame_numbers_are_no_cells_of_the_table(text):
    """pandas' to_markdown prints a DataFrame's index down the first column and camelot's
    frames number their columns: neither is part of the disclosure's table."""
    cells = [row.filled for row in parse_layout(text, "frame.md").rows]
    assert ("项目名称", "院士工作站建设") in cells and ("主管部门", "某省科协") in cells
    assert not any(c[0].isdigit() for c in cells)


def test_markdown_escapes_are_undone_in_a_markdown_file_read_as_plain_text():
    """pandoc writes a table as a multiline table, no pipes: the .md file reads as plain text,
    whose 晋政办发\\[2017\\]59号 and \\>85% are still markdown's escapes."""
    text = "项目名称    院士工作站建设\n立项依据    《办法》（晋政办发\\[2017\\]59号）\n满意度    \\>85%\n" * 3
    cells = [c for row in parse_layout(text, "pandoc.md").rows for c in row.filled]
    assert "《办法》（晋政办发[2017]59号）" in cells and ">85%" in cells
    assert "\\>85%" in [c for row in parse_layout(text, "pandoc.txt").rows for c in row.filled]  # text as printed


def test_a_first_row_holding_one_figure_is_a_row_not_pandas_column_numbers():
    """| | | 0 | then | | | 0 |: one figure alone is a row's value; only a run of column numbers
    (| 0 | 1 | 2 |) is a frame's heading to drop (hypothesis found the first row dropped)."""
    text = "| | | 0 |\n|---|---|---|\n| | | 0 |\n"
    assert [row.cells for row in parse_layout(text, "grid").rows] == [("", "", "0"), ("", "", "0")]



def test_a_one_column_pandas_frame_drops_its_column_number_under_an_index():
    """|    | 0 | over an index column 0, 1: the lone 0 heads a frame, not a row."""
    text = "|    | 0 |\n|---:|:---|\n|  0 | 项目概况 |\n|  1 | 开展科普活动 |\n"
    assert [row.cells for row in parse_layout(text, "frame.md").rows] == [("项目概况",), ("开展科普活动",)]
