"""PDF input: a 项目支出绩效目标表 printed to PDF reads back as the record it was printed from.

The PDFs are built here with reportlab (tests/pdfbuild.py) from a ProjectSpec: merged 一级/二级
and label cells, cells wrapped over lines, one table cut by a page break through its merged
cells, a running header and page numbers on every page.
"""

from __future__ import annotations

import re

import pytest
from budgetkg.extract.layout import parse_layout
from budgetkg.extract.load import document_from_bytes, load_document
from budgetkg.extract.model import Document
from budgetkg.extract.pdf import line_cells, page_line, unwrap
from budgetkg.extract.pipeline import extract_document
from budgetkg.extract.record_json import record_to_dict
from budgetkg.graph.records import record_from_dict
from pdfbuild import (
    BUDGET_HEADER,
    RUNNING_HEADER,
    TITLE,
    budget_lines,
    budget_pdf,
    budget_tsv,
    project_grid,
    project_pdf,
    project_tsv,
    sample_project,
)

SPECS = (sample_project(extra_kpis=12), sample_project("服务院士工作经费"))
BREAK_ROW = 24  # the first table runs onto page 2 here, through its merged 一级/二级 cells


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory):
    return project_pdf(
        tmp_path_factory.mktemp("pdf") / "projects.pdf", SPECS, break_at={0: BREAK_ROW}
    )


@pytest.fixture(scope="module")
def doc(pdf_path) -> Document:
    return load_document(pdf_path)


@pytest.fixture(scope="module")
def record(doc) -> dict:
    return record_to_dict(extract_document(doc))


def _funds(spec_funds: dict) -> dict:
    return {
        k: spec_funds.get(k)
        for k in ("central", "provincial", "city_county", "self_raised", "other")
    }


@pytest.mark.parametrize("n", range(len(SPECS)))
def test_every_field_reads_back_as_printed(record, n):
    spec, got = SPECS[n], record["performance_projects"][n]
    assert got["name"] == spec.name
    assert (got["supervising_code"], got["supervising_dept"]) == (
        spec.supervising_code,
        spec.supervising_dept,
    )
    assert got["implementing_unit"] == spec.implementing_unit
    assert (got["attribute"], got["period"]) == (spec.attribute, spec.period)
    assert (got["total_funds_yuan"], got["annual_funds_yuan"]) == (
        spec.period_funds["total"],
        spec.annual_funds["total"],
    )
    assert got["period_funds_by_source_yuan"] == _funds(spec.period_funds)
    assert got["annual_funds_by_source_yuan"] == _funds(spec.annual_funds)
    assert [(c["title"], c["doc_number"]) for c in got["legal_bases"]] == list(spec.citations)
    assert all(re.search(r"〔\d{4}〕", c["doc_number"]) for c in got["legal_bases"])
    for side in ("period", "annual"):
        kpis = [(k["level1"], k["level2"], k["level3"], k["value"]) for k in got[f"{side}_kpis"]]
        assert kpis == spec.expected_kpis(side)
    assert got["texts"]["legal_basis"] == spec.legal_basis
    assert (got["texts"]["goal_period"], got["texts"]["goal_annual"]) == (
        spec.goal_period,
        spec.goal_annual,
    )


def test_the_pdf_gives_the_record_its_text_conversion_gives_but_for_line_numbers(record):
    text = record_to_dict(extract_document(parse_layout(project_tsv(SPECS), "projects.txt")))
    assert _without_lines(record["performance_projects"]) == _without_lines(
        text["performance_projects"]
    )
    assert record["issues"] == text["issues"]  # only the budget tables this file does not have


def _without_lines(value):
    if isinstance(value, dict):
        return {
            k: _without_lines(v)
            for k, v in value.items()
            if k not in ("line", "end_line", "text_lines")
        }
    if isinstance(value, list):
        return [_without_lines(v) for v in value]
    return value


def test_a_table_cut_by_a_page_break_is_one_table_and_its_merged_levels_carry_over(record):
    first = record["performance_projects"][0]
    assert (page_line(first["line"])[0], page_line(first["end_line"])[0]) == (1, 2)
    after_break = [k for k in first["period_kpis"] if page_line(k["line"])[0] == 2]
    # 产出指标 / 数量指标 were printed once, above the break; the rows below it still belong to them
    assert after_break[0]["level3"] == "补助2025年新建院士工作站"
    assert (after_break[0]["level1"], after_break[0]["level2"]) == ("产出指标", "数量指标")
    assert len(first["period_kpis"]) == len(SPECS[0].kpis)


def test_merged_cells_read_as_one_cell_with_the_covered_positions_empty(doc):
    grid, _ = project_grid(SPECS[0])
    rows = [r.cells for r in doc.rows if len(r.cells) == 8][:BREAK_ROW]
    assert rows == [tuple(row) for row in grid[:BREAK_ROW]]  # e.g. 项目资金（元） once, "" below it


def test_cells_wrapped_over_lines_are_joined(doc):
    by_label = {r.cells[0]: r for r in doc.rows if r.cells and r.cells[0]}
    assert "主管部门及代码" in by_label  # printed as 主管部门及代 / 码 in its narrow column
    assert by_label["立项依据"].cells[1] == SPECS[0].legal_basis  # three printed lines
    assert "保证项目实施的制度、措施" in by_label


def test_running_headers_and_page_numbers_are_dropped_and_titles_kept(doc):
    texts = [r.text for r in doc.rows]
    assert RUNNING_HEADER not in texts
    assert not [t for t in texts if re.fullmatch(r"第\s*\d+\s*页", t)]
    assert texts.count(TITLE) == len(SPECS)


@pytest.mark.parametrize(("furniture", "top_margin"), [(True, 56), (False, 24)])
def test_a_title_on_top_of_every_page_is_content_not_a_running_header(
    tmp_path, furniture, top_margin
):
    """Each table starts a page; its title and (2026年度) line recur at the top edge of every
    page, right under the running header or, without one, as the page's first lines."""
    specs = [sample_project(f"项目{i}") for i in range(3)]
    path = project_pdf(
        tmp_path / "three.pdf", specs, new_pages=True, furniture=furniture, top_margin=top_margin
    )
    doc = load_document(path)
    texts = [r.text for r in doc.rows]
    assert texts.count(TITLE) == 3 and texts.count("(2026年度)") == 3
    assert RUNNING_HEADER not in texts
    assert [p.name for p in extract_document(doc).performance_projects] == [
        "项目0",
        "项目1",
        "项目2",
    ]


def test_lines_name_the_page_and_the_row_on_it(doc, record):
    pages = [page_line(r.line) for r in doc.rows]
    assert pages == sorted(pages) and all(1 <= n < 1000 for _, n in pages)
    kpi = next(
        k
        for k in record["performance_projects"][0]["period_kpis"]
        if k["level3"] == "补助2025年新建院士工作站"
    )
    # page 2: its running header is line 1, the continued table's first row line 2
    assert record["page_lines"][str(kpi["line"])] == {"page": 2, "line": 2}
    name_row = next(r for r in doc.rows if r.line == record["performance_projects"][0]["line"])
    assert name_row.cells[:2] == ("项目名称", SPECS[0].name)
    assert set(record["page_lines"]) >= {
        str(c["line"]) for c in record["performance_projects"][1]["legal_bases"]
    }


def test_the_record_json_of_a_pdf_reads_back(record):
    back = record_from_dict(record)
    assert back.family == "pdf"
    assert [p.name for p in back.performance_projects] == [s.name for s in SPECS]


def test_header_rows_a_continued_table_repeats_are_read_once(tmp_path):
    unit, lines = "山西省科学技术协会", budget_lines(70)
    doc = load_document(budget_pdf(tmp_path / "budget.pdf", unit, lines))
    assert len({page_line(r.line)[0] for r in doc.rows}) >= 2  # it did run over pages
    assert [r.cells for r in doc.rows].count(BUDGET_HEADER[0]) == 1
    names = [r.cells[0] for r in doc.rows if r.cells[0].startswith("科普活动工作专项")]
    assert names == [name for name, _ in lines]
    got = extract_document(doc).project_budget_lines
    text = extract_document(
        parse_layout(budget_tsv(unit, lines), "budget.txt")
    ).project_budget_lines
    assert [(b.name, b.amount, b.unit) for b in got] == [(b.name, b.amount, b.unit) for b in text]
    assert [(b.name, b.amount) for b in got] == lines


def test_a_pdf_is_known_by_its_header_not_its_name(pdf_path):
    doc = document_from_bytes(pdf_path.read_bytes(), "disclosure.bin")
    assert doc.family == "pdf" and doc.source == "disclosure.bin"


# --- the small readers, pinned ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("主管部门及代\n码", "主管部门及代码"),
        ("（晋政办发〔2017〕59号）提到\n：鼓励", "（晋政办发〔2017〕59号）提到：鼓励"),
        ("14,663,\n000", "14,663,000"),
        ("annual\nreport  2026", "annual report 2026"),
        (None, ""),
        ("", ""),
    ],
)
def test_a_wrapped_cell_is_joined_without_inventing_spaces(text, joined):
    assert unwrap(text) == joined


def _chars(*runs: tuple[float, str]) -> list[dict]:
    """Characters 10 points high and wide, each run starting at its x."""
    out = []
    for x, text in runs:
        for i, ch in enumerate(text):
            out.append({"text": ch, "x0": x + 10 * i, "x1": x + 10 * i + 10, "size": 10})
    return out


def test_a_line_outside_tables_splits_into_cells_at_wide_gaps_only():
    assert line_cells(_chars((0, "单位："), (30, "万元"))) == ("单位：万元",)
    assert line_cells(_chars((0, "项目名称"), (60, "科普经费"))) == (
        "项目名称",
        "科普经费",
    )  # 2-em gap
    assert line_cells(_chars((0, "Page"), (44, "one"))) == ("Page one",)  # a 0.4-em gap is a space


def test_page_line_reads_a_pdf_line_number():
    assert page_line(3012) == (3, 12)
    assert page_line(1001) == (1, 1)


def test_the_examples_in_the_pdf_module_hold():
    import doctest

    import budgetkg.extract.pdf as pdf_module

    result = doctest.testmod(pdf_module)
    assert result.attempted >= 2 and result.failed == 0
