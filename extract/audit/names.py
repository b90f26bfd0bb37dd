"""Names and codes one disclosure prints twice: a 功能分类 code named differently in two tables,
and the department's 主管部门及代码 printed with another code in some 绩效目标表.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..model import Record
from ..tables.find import label_of
from .facts import fold, table_of
from .findings import Figure, Finding

REFERENCE = "expenditure"  # the table whose names the others are compared with: 预算支出总表


def check_code_names(record: Record) -> Iterator[Finding]:
    """Each 功能分类 code has one name in all tables (20604 技术研究与开发)."""
    reference = table_of(record, REFERENCE)
    if reference is None:
        return
    named = {r.code: r for r in reference.rows if r.code}
    seen: set[tuple[str, str, str]] = set()
    for table in record.budget_tables:
        if table.kind == REFERENCE:
            continue
        for row in table.rows:
            ref = named.get(row.code) if row.code and row.code.isdigit() else None
            if (
                ref is None
                or fold(ref.name) == fold(row.name)
                or (table.kind, row.code, row.name) in seen
            ):
                continue
            seen.add((table.kind, row.code, row.name))  # a two-sided table prints a code twice
            yield Finding(
                "name",
                f"code {row.code} is {ref.name} in the {label_of(REFERENCE)}, {row.name} in the {label_of(table.kind)}",
                Figure(f"{label_of(REFERENCE)} {row.code}", ref.name, ref.line, unit=""),
                Figure(f"{label_of(table.kind)} {row.code}", row.name, row.line, unit=""),
            )


def check_supervising_codes(record: Record) -> Iterator[Finding]:
    """The department's performance tables print its code, the one most of them print."""
    name, code = record.department.name, record.department.code
    if not name or not code:
        return
    own = [
        p
        for p in record.performance_projects
        if p.supervising_dept and fold(p.supervising_dept) == fold(name)
    ]
    printed = Counter(p.supervising_code for p in own if p.supervising_code)
    if len(printed) < 2:
        return
    usual = next((p for p in own if p.supervising_code == code), None)
    for project in own:
        if project.supervising_code and project.supervising_code != code:
            yield Finding(
                "code",
                f"{name} is {project.supervising_code} in the 绩效目标表 of {project.name}, "
                f"{code} in {printed[code]} others",
                Figure(
                    f"主管部门及代码 of {printed[code]} 绩效目标表",
                    code,
                    usual.line if usual else None,
                    unit="",
                ),
                Figure(
                    f"主管部门及代码 of {project.name}",
                    project.supervising_code,
                    project.line,
                    unit="",
                ),
            )
