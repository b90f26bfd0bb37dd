"""The extraction pipeline: file → Document → sections, tables, citations, KPIs → Record.

Each stage is a function of the previous stage's typed output, so any stage can be re-run alone
(`parse_layout` on text, `extract_document` on a Document).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from budgetkg.extract.budget_tables import extract_budget_tables
from budgetkg.extract.citations import add_text_citations
from budgetkg.extract.department_kpis import read_department_kpis
from budgetkg.extract.gc_pause import gc_paused
from budgetkg.extract.load import SUFFIXES, load_document
from budgetkg.extract.model import Document, Issue, Record
from budgetkg.extract.perf_table import find_blocks, kpi_mode, read_projects
from budgetkg.extract.project_list import find_project_lists, read_project_list
from budgetkg.extract.read import UnreadableInput
from budgetkg.extract.segment import segment


@dataclass(frozen=True)
class Failure:
    """A file that could not be read at all, and why."""

    path: str
    reason: str


@gc_paused
def extract_document(doc: Document) -> Record:
    """Everything one disclosure yields, from its normalized rows."""
    rows = doc.rows
    budget = extract_budget_tables(rows)
    lists = find_project_lists(rows) if kpi_mode(doc.family) == "columns" or doc.family == "pdftotext" else []
    blocks = [b for b in find_blocks(rows) if not any(a <= b[0] < z for a, z in lists)]
    projects, project_issues = read_projects(rows, doc.family, blocks)
    for start, end in lists:
        listed, issues = read_project_list(rows, start, end)
        projects += listed
        project_issues += issues
    projects.sort(key=lambda p: p.line)
    if not blocks and not lists:  # said like the missing budget tables: a cut-off file often ends before them
        project_issues.append(Issue(None, "no 项目支出绩效目标表 found"))
    projects = add_text_citations(projects, rows)
    dept_kpis, dept_issues, dept_span = read_department_kpis(rows, kpi_mode(doc.family))
    return Record(
        source=doc.source,
        department=budget.department,
        totals=dict(budget.totals),
        expenditure_by_function=budget.expenditure_by_function,
        project_budget_lines=budget.project_budget_lines,
        department_kpis=dept_kpis,
        performance_projects=tuple(projects),
        sections=tuple(segment(rows, _table_spans(doc, blocks + lists, dept_span))),
        issues=tuple(budget.issues) + tuple(project_issues) + tuple(dept_issues),
        family=doc.family,
        encoding=doc.encoding,
        budget_tables=budget.tables,
        stated_figures=budget.stated,
    )


def _table_spans(
    doc: Document, blocks: list[tuple[int, int]], dept_span: tuple[int, int] | None
) -> list[tuple[str, str, int, int]]:
    rows = doc.rows
    spans = [("performance_table", rows[a].text[:60], rows[a].line, rows[b - 1].end_line) for a, b in blocks]
    if dept_span:
        a, b = dept_span
        spans.append(("department_performance_table", rows[a].text[:60], rows[a].line, rows[b - 1].end_line))
    return spans


def extract_file(path: str | os.PathLike[str]) -> Record:
    """Read and extract one file; raises UnreadableInput when it cannot be read at all."""
    return extract_document(load_document(path))


def expand_inputs(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Files named directly, plus the disclosures found in named folders (sorted)."""
    out: list[str] = []
    for p in map(str, paths):
        if os.path.isdir(p):
            found = (os.path.join(d, f) for d, _, fs in os.walk(p) for f in fs)
            out.extend(sorted(f for f in found if f.lower().endswith(SUFFIXES)))
        else:
            out.append(p)
    return out


def extract_many(paths: Iterable[str]) -> Iterator[Record | Failure]:
    """Extract files one by one; a file that fails is reported and the rest go on."""
    for path in paths:
        try:
            yield extract_or_fail(path)
        except MemoryError as err:  # in-process there is no limit to name: one more failure
            yield _internal_error(path, err)


def extract_or_fail(path: str) -> Record | Failure:
    """One file's record, or why it cannot be read: the task `extract --jobs` runs in a worker.
    MemoryError passes through, since under a worker's limit extract/workers.py names it."""
    try:
        return extract_file(path)
    except UnreadableInput as err:
        return Failure(path, err.reason)
    except OSError as err:
        return Failure(path, f"cannot open: {err.strerror or err}")
    except RecursionError:
        return Failure(path, "document too deeply nested to read")
    except MemoryError:
        raise
    except Exception as err:  # noqa: BLE001 - one bad document must not stop a batch
        return _internal_error(path, err)


def _internal_error(path: str, err: BaseException) -> Failure:
    return Failure(path, f"internal error while extracting ({type(err).__name__}: {err}); please report it")
