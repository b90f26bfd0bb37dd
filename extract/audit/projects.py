"""Each 项目支出绩效目标表 against the project's line in the 项目支出预算表, and the count of
performance tables the 情况说明 states against those found.

A performance table is paired with its budget line by name; where no line has its name, by a
line of the same amount whose name is close (the two tables of one project may spell it
differently: 水电电费 / 水费电费). A pair whose names differ is itself a finding. The 年度资金总额
(元) must be the line (万元) × 10,000, within the rounding of the line to 0.01 万元.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..model import BudgetLine, PerformanceProject, Record
from ..tables.find import label_of
from .facts import fold
from .findings import Figure, Finding, amount, differs

PERF = "项目支出绩效目标表"
CLOSE_NAME = 0.6  # names this alike (difflib ratio) pair when the amounts agree too
ALIKE_NAME = 0.85  # names this alike pair whatever the amounts


@dataclass(frozen=True)
class Pair:
    project: PerformanceProject
    line: BudgetLine


def _wan(project: PerformanceProject) -> float | None:
    yuan = project.annual_funds.total
    return None if yuan is None else yuan / 10000


def _same_money(project: PerformanceProject, line: BudgetLine) -> bool:
    wan = _wan(project)
    return wan is not None and line.amount is not None and not differs(wan, line.amount)


def _same_unit(project: PerformanceProject, line: BudgetLine) -> bool:
    return bool(project.implementing_unit and line.unit) and fold(
        project.implementing_unit
    ) == fold(line.unit)  # type: ignore[arg-type]


def _ratio(a: str | None, b: str | None) -> float:
    return SequenceMatcher(None, fold(a or ""), fold(b or "")).ratio()


def pair_up(projects: Sequence[PerformanceProject], lines: Sequence[BudgetLine]):
    """(pairs, projects without a line, this year's lines without a project)."""
    free = list(lines)
    pairs: list[Pair] = []
    left: list[PerformanceProject] = []
    for project in projects:  # the same name first: the unit, then the amount, break ties
        same = [ln for ln in free if fold(ln.name) == fold(project.name or "")]
        if same:
            best = max(
                same,
                key=lambda ln: (
                    _same_unit(project, ln),
                    _same_money(project, ln),
                    ln.table == "current",
                ),
            )
            pairs.append(Pair(project, best))
            free.remove(best)
        else:
            left.append(project)
    unpaired = []
    for project in left:  # then a close name
        best = _closest(project, free)
        if best is None:
            unpaired.append(project)
        else:
            pairs.append(Pair(project, best))
            free.remove(best)
    return pairs, unpaired, [ln for ln in free if ln.table == "current"]


def _closest(project: PerformanceProject, free: Sequence[BudgetLine]) -> BudgetLine | None:
    scored = [(_same_money(project, ln), _ratio(project.name, ln.name), ln) for ln in free]
    fits = [s for s in scored if (s[0] and s[1] >= CLOSE_NAME) or s[1] >= ALIKE_NAME]
    return max(fits, key=lambda s: (s[0], s[1]))[2] if fits else None


def _line_figure(line: BudgetLine, value, named: bool = True) -> Figure:
    where = label_of("projects_" + line.table) + (f" {line.name}" if named else "")
    return Figure(where, value, line.line, unit="万元" if named else "")


def _project_figure(project: PerformanceProject, value, named: bool = True) -> Figure:
    where = PERF + (f" {project.name}" if named else "")
    return Figure(where, value, project.line, unit="元" if named else "")


def check_performance_tables(record: Record) -> Iterator[Finding]:
    """Every performance table has its budget line, with its name and its money, and every
    project of this year has its performance table. Where the disclosure prints no project
    table (or no performance table) at all there is nothing to pair, and nothing is reported:
    that is a missing table, which extraction reports as an issue."""
    if not record.performance_projects or not _has_project_tables(record):
        return
    pairs, no_line, no_table = pair_up(record.performance_projects, record.project_budget_lines)
    for pair in pairs:
        yield from _pair_findings(pair)
    for project in no_line:
        yield Finding(
            "counterpart",
            f"{PERF} {project.name} has no line in the 项目支出预算表",
            Figure("项目支出预算表", None, None),
            _project_figure(project, project.name, named=False),
        )
    for line in no_table:
        yield Finding(
            "counterpart",
            f"{label_of('projects_current')} {line.name} ({amount(line.amount)} 万元) has no {PERF}",
            _line_figure(line, line.name, named=False),
            Figure(PERF, None, None, unit=""),
        )


def _has_project_tables(record: Record) -> bool:
    return any(t.kind.startswith("projects_") for t in record.budget_tables)


def _pair_findings(pair: Pair) -> Iterator[Finding]:
    project, line = pair.project, pair.line
    if fold(project.name or "") != fold(line.name):
        yield Finding(
            "name",
            f"one project, two names: {line.name} in the 项目支出预算表, {project.name} in its {PERF}",
            _line_figure(line, line.name, named=False),
            _project_figure(project, project.name, named=False),
        )
    wan = _wan(project)
    if wan is not None and line.amount is not None and differs(wan, line.amount):
        yield Finding(
            "funds",
            f"{project.name}: 年度资金总额 {amount(project.annual_funds.total)} 元 is "  # type: ignore[arg-type]
            f"{amount(round(wan, 4))} 万元, but its budget line is {amount(line.amount)} 万元",
            _line_figure(line, line.amount),
            _project_figure(project, project.annual_funds.total),
        )


def check_counts(record: Record) -> Iterator[Finding]:
    """The number of performance tables the 绩效管理 section says are published (公开), or else
    that are managed (纳入/实行绩效目标管理), is the number found; the amounts it states are
    what the tables found add up to."""
    stated = {f.key: f for f in record.stated_figures}
    count = stated.get("disclosed_count") or stated.get("managed_count")
    found = len(record.performance_projects)
    if count is not None and int(count.value) != found:
        yield Finding(
            "count",
            f"the 情况说明 states {int(count.value)} performance tables ({count.label}), {found} are printed",
            Figure(
                f"第三部分 {count.section}: {count.label}", int(count.value), count.line, unit="个"
            ),
            Figure(f"{PERF}s found", found, _first_line(record), unit="个"),
        )
    yield from _stated_amounts(record, stated)


def _first_line(record: Record) -> int | None:
    return record.performance_projects[0].line if record.performance_projects else None


def _stated_amounts(record: Record, stated) -> Iterator[Finding]:
    checks = (
        ("disclosed_amount", [_wan(p) for p in record.performance_projects], PERF),
        ("managed_amount", [ln.amount for ln in record.project_budget_lines if ln.table == "current"],
         label_of("projects_current")),
    )  # fmt: skip
    for key, values, source in checks:
        figure = stated.get(key)
        if figure is None or not values or any(v is None for v in values):
            continue
        total = round(sum(values), 2)  # type: ignore[arg-type]
        if differs(figure.value, total, len(values)):
            yield Finding(
                "narrative",
                f"the 情况说明 states {figure.label} {amount(figure.value)} 万元, the {source}s add up to {amount(total)}",
                Figure(f"the {len(values)} {source}s", total, None),
                Figure(f"第三部分 {figure.section}: {figure.label}", figure.value, figure.line),
            )
