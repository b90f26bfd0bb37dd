"""The reconciliation audit (`budgetkg validate`): each check on small records built by hand, the
report on the five seeds against its golden file, and the command's output and exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from budgetkg.extract import audit as audit_module
from budgetkg.extract.audit import audit
from budgetkg.extract.audit.render import report_to_dict, report_to_text
from budgetkg.extract.model import (
    BudgetLine,
    BudgetTable,
    Department,
    Funds,
    PerformanceProject,
    Record,
    StatedFigure,
    TableRow,
)  # fmt: skip
from conftest import SEEDS

GOLDEN = Path(__file__).parent / "golden" / "validate" / "seeds.json"
BIN = Path(sys.executable).with_name("budgetkg")
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not found")


def row(name, line, code=None, parent=None, role="item", side=None, unplaced=(), **amounts):
    return TableRow(name, line, line, code, parent, amounts, tuple(unplaced), role, side)


def table(kind, *rows, columns=("total", "basic", "project")):
    return BudgetTable(
        kind, kind, rows[0].line - 1 if rows else 1, rows[-1].line if rows else 1, columns, rows
    )


PROJECT_TABLE = BudgetTable("projects_current", "项目支出预算表（本年预算）", 1, 2, ("total",))


def record(*tables, stated=(), projects=(), lines=(), department=None):
    """A record of the given tables; with budget lines, the project table they come from."""
    return Record(
        "fixture.txt",
        department or Department(),
        budget_tables=tables + ((PROJECT_TABLE,) if lines else ()),
        stated_figures=tuple(stated),
        performance_projects=tuple(projects),
        project_budget_lines=tuple(lines),
    )


def checks(rec, *only: str):
    """(check, lines) of each finding; of the named checks only, where given."""
    return [(f.check, f.lines) for f in findings(rec, *only)]


def findings(rec, *only: str):
    return [f for f in audit(rec).findings if not only or f.check in only]


SPENDING = table(
    "expenditure",
    row("合计", 10, role="total", total=100.0, basic=60.0, project=40.0),
    row("科学技术支出", 11, "206", "合计", total=100.0, basic=60.0, project=40.0),
    row("科学技术管理事务", 12, "20601", "206", total=60.0, basic=60.0, project=None),
    row("技术研究与开发", 13, "20604", "206", total=40.0, basic=None, project=40.0),
)


def test_a_consistent_table_has_no_findings():
    assert checks(record(SPENDING)) == []


def test_rows_under_a_code_that_do_not_add_up_are_reported_with_both_lines():
    bad = table(
        "expenditure",
        *SPENDING.rows[:3],
        row("技术研究与开发", 13, "20604", "206", total=30.0, project=30.0),
    )
    found = audit(record(bad)).findings
    sums = [f for f in found if f.check == "sums"]
    assert {(f.expected.line, f.found.line, f.found.end_line) for f in sums} == {(11, 12, 13)}
    assert {(f.expected.value, f.found.value) for f in sums} == {(100.0, 90.0), (40.0, 30.0)}


@pytest.mark.parametrize("off, flagged", [(0.02, False), (0.03, True)])
def test_rounding_of_one_hundredth_per_row_is_tolerated(off, flagged):
    kids = [
        row("甲", 12, "20601", "206", total=50.0),
        row("乙", 13, "20602", "206", total=50.0 + off),
    ]
    rec = record(table("expenditure", row("科学技术支出", 11, "206", total=100.0), *kids))
    assert bool(checks(rec, "sums")) is flagged


def test_a_rows_parts_must_make_its_total():
    rec = record(
        table("expenditure", row("行政运行", 12, "2060101", total=80.0, basic=70.0, project=None))
    )
    [finding] = audit(rec).findings
    assert (
        finding.check == "row_sum"
        and finding.expected.value == 80.0
        and finding.found.value == 70.0
    )


def test_an_amount_whose_column_was_lost_counts_in_its_row_but_not_in_a_column():
    parent = row("科学技术支出", 11, "206", total=100.0, unplaced=(100.0,))
    kids = [
        row("甲", 12, "20601", "206", total=60.0, unplaced=(60.0,)),
        row("乙", 13, "20604", "206", total=40.0, project=40.0),
    ]
    assert checks(record(table("expenditure", parent, *kids))) == []


def test_an_unbalanced_summary_table_is_reported():
    rows = (
        row("收入总计", 20, role="total", side="income", amount=100.0),
        row("支出总计", 20, role="total", side="expenditure", total=90.0, current=90.0),
    )
    found = audit(record(table("summary", *rows, columns=("amount", "total")))).findings
    assert [(f.check, f.expected.value, f.found.value) for f in found] == [("balance", 100.0, 90.0)]


def test_the_summary_total_must_be_what_the_spending_table_spends():
    summary = table(
        "summary", row("收入总计", 5, role="total", side="income", amount=90.0), columns=("amount",)
    )
    found = audit(record(summary, SPENDING)).findings
    assert [(f.check, f.lines) for f in found] == [("cross_table", (5, 10))]


def test_income_by_code_with_its_carryover_is_what_the_code_spends():
    income = table(
        "income",
        row("科学技术支出", 3, "206", total=90.0, general=90.0, carryover=9.0),
        columns=("total", "carryover"),
    )
    [finding] = findings(record(income, SPENDING), "cross_table")
    assert finding.check == "cross_table" and (finding.expected.line, finding.found.line) == (11, 3)


def stated(key, value, line=50, label="基本支出"):
    return StatedFigure(key, label, value, "万元", line, "三、支出预算情况说明")


def test_a_figure_stated_ten_times_too_large_is_reported_with_both_lines():
    [finding] = audit(record(SPENDING, stated=[stated("expenditure_basic", 600.01)])).findings
    assert finding.check == "narrative" and finding.lines == (10, 50)
    assert (finding.expected.value, finding.found.value) == (60.0, 600.01)
    assert "about 10 times" in finding.message


def test_a_stated_zero_agrees_with_a_blank_cell_and_a_missing_table_is_not_compared():
    rows = [row("合计", 10, role="total", total=100.0, basic=None, project=100.0)]
    rec = record(
        table("expenditure", *rows),
        stated=[stated("expenditure_basic", 0.0), stated("three_public", 5.0)],
    )
    assert checks(rec) == []


def test_a_class_named_in_the_sentence_is_compared_with_its_row():
    general = table("general_expenditure", row("科学技术支出", 30, "206", total=50.0, project=50.0))
    figure = StatedFigure(
        "general_class:科学技术支出",
        "科学技术支出",
        55.0,
        "万元",
        60,
        "五、一般公共预算支出情况说明",
    )
    assert checks(record(general, stated=[figure])) == [("narrative", (30, 60))]


def project(name, line, annual, unit="某局", code="108", dept="某局"):
    return PerformanceProject(
        name, line, line + 20, dept, code, unit, annual_funds=Funds(total=annual)
    )


def test_annual_funds_in_yuan_must_be_the_budget_line_in_wan():
    lines = [
        BudgetLine("甲项目", 73.36, "current", 5, "某局"),
        BudgetLine("乙项目", 10.0, "current", 6, "某局"),
    ]
    projects = [project("甲项目", 100, 733556), project("乙项目", 130, 1_000_100)]
    assert checks(record(lines=lines, projects=projects)) == [("funds", (6, 130))]


def test_one_project_spelled_two_ways_is_paired_by_its_money_and_reported():
    lines = [BudgetLine("科技馆运行费-水电电费取暖费", 294.56, "current", 446, "馆")]
    projects = [project("科技馆运行费-水费电费取暖费", 1068, 2945640.3, unit="馆")]
    [finding] = audit(record(lines=lines, projects=projects)).findings
    assert finding.check == "name" and finding.lines == (446, 1068)
    assert (finding.expected.value, finding.found.value) == (
        "科技馆运行费-水电电费取暖费",
        "科技馆运行费-水费电费取暖费",
    )


def test_a_table_without_a_line_and_a_line_without_a_table_are_reported():
    lines = [BudgetLine("甲项目", 1.0, "current", 5), BudgetLine("结转项目", 2.0, "carryover", 9)]
    projects = [project("完全不同的项目", 100, 30000)]
    found = audit(record(lines=lines, projects=projects)).findings
    assert [(f.check, f.lines) for f in found] == [("counterpart", (5,)), ("counterpart", (100,))]


def test_without_a_project_table_there_is_nothing_to_pair():
    projects = [project("甲项目", 100, 30000)]
    assert checks(record(projects=projects)) == []


def test_the_same_name_twice_pairs_by_unit():
    lines = [
        BudgetLine("遗属生活补助", 1.57, "current", 5, "局"),
        BudgetLine("遗属生活补助", 1.59, "current", 6, "院"),
    ]
    projects = [
        project("遗属生活补助", 100, 15900, unit="院"),
        project("遗属生活补助", 130, 15700, unit="局"),
    ]
    assert checks(record(lines=lines, projects=projects)) == []


def test_the_stated_count_of_published_tables_is_the_count_found():
    counts = [StatedFigure("managed_count", "纳入…", 3, "个", 40, "十、绩效管理情况"),
              StatedFigure("disclosed_count", "公开项目绩效目标", 3, "个", 40, "十、绩效管理情况")]  # fmt: skip
    projects = [project("甲", 100, None), project("乙", 130, None)]
    [finding] = findings(record(stated=counts, projects=projects), "count")
    assert finding.check == "count" and (finding.expected.value, finding.found.value) == (3, 2)


def test_the_departments_code_is_the_same_in_all_its_tables():
    projects = [
        project("甲", 100, None, code="108"),
        project("乙", 130, None, code="108"),
        project("丙", 160, None, code="100"),
    ]
    found = findings(record(projects=projects, department=Department("某局", "108")), "code")
    assert [(f.check, f.expected.value, f.found.value, f.found.line) for f in found] == [
        ("code", "108", "100", 160)
    ]


def test_a_project_whose_sources_do_not_make_its_total_or_whose_two_splits_differ():
    odd = PerformanceProject(
        "课题", 100, 120, period_funds=Funds(560000, city_county=360000, central=0)
    )
    split = PerformanceProject("基金", 200, 220, period_funds=Funds(9600, provincial=9600),
                               annual_funds=Funds(9600, central=9600))  # fmt: skip
    assert checks(record(projects=[odd, split]), "funds") == [("funds", (100,)), ("funds", (200,))]


def test_a_code_named_differently_in_two_tables():
    income = table(
        "income", row("技术与开发", 3, "20604", total=40.0, general=40.0), columns=("total",)
    )
    found = audit(record(income, SPENDING)).findings
    assert [(f.check, f.expected.value, f.found.value) for f in found] == [
        ("name", "技术研究与开发", "技术与开发")
    ]


def test_a_check_that_fails_is_reported_and_the_others_still_run(monkeypatch):
    def broken(rec):
        raise ValueError("odd record")

    monkeypatch.setitem(audit_module.CHECKS, "broken", broken)
    bad = table("expenditure", row("行政运行", 12, "2060101", total=80.0, basic=70.0))
    report = audit(record(bad))
    assert report.errors == ("broken: ValueError: odd record",)
    assert [f.check for f in report.findings] == ["row_sum"]
    assert "could not check broken" in report_to_text(report)


def test_the_text_report_names_both_figures_with_their_lines():
    text = report_to_text(audit(record(SPENDING, stated=[stated("expenditure_basic", 600.01)])))
    assert text.splitlines()[0] == "fixture.txt: 1 finding"
    assert "预算支出总表 合计 基本支出: 60 万元 (line 10)" in text
    assert "基本支出: 600.01 万元 (line 50)" in text


# --- the seeds --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_reports():
    from budgetkg.extract.pipeline import extract_file

    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not found")
    return [report_to_dict(audit(extract_file(p))) for p in sorted(SEEDS.glob("*.txt"))]


def test_the_seed_report_is_the_reviewed_golden_report(seed_reports):
    """tests/golden/validate/seeds.json was checked by hand against the seeds: every finding true."""
    assert seed_reports == json.loads(GOLDEN.read_text("utf-8"))


def test_the_known_inconsistencies_of_the_seeds_are_found(seed_reports):
    by_source = {r["source"][:3]: r["findings"] for r in seed_reports}
    basic = [f for f in by_source["000"] if f["check"] == "narrative" and 547 in f["lines"]]
    assert [(f["expected"]["value"], f["found"]["value"]) for f in basic] == [(3039.57, 30399.57)]
    names = [f for f in by_source["001"] if f["check"] == "name"]
    assert [f["lines"] for f in names] == [[446, 1068]]


@needs_seeds
@pytest.mark.parametrize(
    "variant", ["md_pipes_strip", "html_C_rowspan", "cell_per_line", "pdftotext_filled"]
)
def test_the_audit_finds_the_same_in_every_layout(variant, tmp_path, seed_reports):
    from budgetkg.extract.pipeline import extract_file
    from relayout import relayout

    for n, seed in enumerate(sorted(SEEDS.glob("*.txt"))[:4]):
        path = tmp_path / seed.name
        path.write_text(relayout(seed.read_text("utf-8"), variant).text, "utf-8")
        got = sorted(f.message for f in audit(extract_file(path)).findings)
        assert got == sorted(f["message"] for f in seed_reports[n]["findings"]), seed.name


# --- the command ------------------------------------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN), "validate", *args], check=False, capture_output=True, text=True, timeout=120
    )


@needs_seeds
def test_exit_status_is_0_clean_1_findings_2_unreadable(tmp_path):
    assert _run(str(SEEDS / "004_1402e20b80f22cb8.txt")).returncode == 0
    found = _run(str(SEEDS / "001_8417803c525f72fe.txt"))
    assert found.returncode == 1 and "line 446 / 1068" in found.stdout
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    both = _run(str(bad), str(SEEDS / "001_8417803c525f72fe.txt"))
    assert both.returncode == 2 and "broken.txt" in both.stderr and "1 finding" in both.stdout


@needs_seeds
def test_json_output_for_tools(tmp_path):
    out = tmp_path / "report.json"
    result = _run(str(SEEDS / "001_8417803c525f72fe.txt"), "--json", str(out))
    assert result.returncode == 1 and result.stdout == ""
    [report] = json.loads(out.read_text("utf-8"))
    assert report["findings"][0]["expected"]["line"] == 446
    assert (
        json.loads(_run(str(SEEDS / "004_1402e20b80f22cb8.txt"), "--json").stdout)[0]["findings"]
        == []
    )
