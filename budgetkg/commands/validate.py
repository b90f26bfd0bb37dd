"""`budgetkg validate`: the reconciliation audit of each disclosure, as text or JSON."""

from __future__ import annotations

import argparse
import sys

from budgetkg.commands.output import add_json_argument, write_json
from budgetkg.extract.audit import audit
from budgetkg.extract.audit.render import report_to_dict, report_to_text
from budgetkg.extract.pipeline import Failure, expand_inputs, extract_many

NAME = "validate"
HELP = "check each disclosure's figures against one another (sums, tables, text, projects)"
DESCRIPTION = (
    "Report, per disclosure, every inconsistency with both figures and both line numbers: parts "
    "that do not add up to their total, an unbalanced 收支总表, a project whose 年度资金总额 differs "
    "from its 项目支出预算表 line, a figure the 情况说明 states differently from the table, a "
    "project with a performance table and no budget line (or the reverse), a stated count of "
    "performance tables that differs from those found. Exit status: 0 clean, 1 findings, 2 a "
    "file could not be read."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "inputs", nargs="+", metavar="FILE_OR_DIR", help="disclosure files or folders of them"
    )
    add_json_argument(p, "the reports as a JSON list")


def run(args: argparse.Namespace) -> int:
    reports, unreadable = [], 0
    for result in extract_many(expand_inputs(args.inputs)):
        if isinstance(result, Failure):
            unreadable += 1
            print(f"budgetkg: {result.path}: {result.reason}", file=sys.stderr)
            reports.append({"path": result.path, "unreadable": result.reason})
            continue
        report = audit(result)
        if args.json is None:
            print(report_to_text(report))
        reports.append(report_to_dict(report))
    if args.json is not None:
        write_json(reports, args.json)
    return _status(reports, unreadable)


def _status(reports: list[dict], unreadable: int) -> int:
    if unreadable:
        return 2
    return 1 if any(r.get("findings") for r in reports) else 0
