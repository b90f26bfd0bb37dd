"""The reconciliation audit: every inconsistency of one disclosure's record, with both figures.

`audit(record)` is a pure function of the extracted record (its typed budget tables, the figures
its 情况说明 states, its performance tables and budget lines). Each check is registered in CHECKS
and runs on its own: a finding never stops the audit, and a check that fails on an odd record is
reported in `Report.errors` while the others still run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..model import Record
from . import cross, funds, names, narrative, projects, sums
from .findings import Figure, Finding

__all__ = ["CHECKS", "Figure", "Finding", "Report", "audit"]

Check = Callable[[Record], Iterable[Finding]]

CHECKS: dict[str, Check] = {
    "balance": sums.check_balance,
    "sums": sums.check_children,
    "row_sums": sums.check_row_parts,
    "cross_table": cross.check_pairs,
    "codes": cross.check_codes,
    "classes": cross.check_classes,
    "project_tables": cross.check_project_tables,
    "narrative": narrative.check_stated_figures,
    "performance_tables": projects.check_performance_tables,
    "counts": projects.check_counts,
    "fund_sources": funds.check_sources,
    "same_money": funds.check_same_money,
    "code_names": names.check_code_names,
    "supervising_codes": names.check_supervising_codes,
}


@dataclass(frozen=True)
class Report:
    """The findings of one disclosure, in the order of their first line."""

    source: str
    findings: tuple[Finding, ...]
    errors: tuple[str, ...] = ()  # checks that could not run on this record, and why


def audit(record: Record) -> Report:
    """Run every check on one record; findings sorted by line, duplicates dropped."""
    found: list[Finding] = []
    errors: list[str] = []
    for name, check in CHECKS.items():
        try:
            found += list(check(record))
        except Exception as err:  # noqa: BLE001 - one failing check must not hide the others
            errors.append(f"{name}: {type(err).__name__}: {err}")
    unique = list(dict.fromkeys(found))
    unique.sort(key=lambda f: (min(f.lines, default=0), f.check))
    return Report(record.source, tuple(unique), tuple(errors))
