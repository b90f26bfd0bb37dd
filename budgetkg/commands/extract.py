"""`budgetkg extract`: one record per disclosure, written as a JSON list."""

from __future__ import annotations

import argparse
import sys

from budgetkg.commands.output import write_json
from budgetkg.extract.pipeline import Failure, expand_inputs, extract_many
from budgetkg.extract.record_json import record_to_dict

NAME = "extract"
HELP = "extract records from disclosures (.txt, .md, .html; UTF-8 or GB18030)"
DESCRIPTION = (
    "Extract one record per disclosure (see EXTRACTION_FORMAT.md). Files that cannot be read are "
    "reported on stderr; the others are still extracted and written."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR", help="disclosure files or folders of them")
    p.add_argument("--json", metavar="OUT", default="-", help="write the records as a JSON list to OUT (default: stdout)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


def run(args: argparse.Namespace) -> int:
    paths = expand_inputs(args.inputs)
    records, failed = [], 0
    for n, result in enumerate(extract_many(paths), 1):
        if isinstance(result, Failure):
            failed += 1
            print(f"budgetkg: {result.path}: {result.reason}", file=sys.stderr)
            continue
        records.append(record_to_dict(result))
        if not args.quiet:
            print(_progress(n, len(paths), result), file=sys.stderr)
    write_json(records, args.json)
    if failed:
        print(f"budgetkg: {failed} of {len(paths)} file(s) could not be read; the rest were written", file=sys.stderr)
    return 1 if failed else 0


def _progress(n: int, total: int, record) -> str:
    return (
        f"[{n}/{total}] {record.source}: {len(record.performance_projects)} performance tables, "
        f"{len(record.issues)} issue(s)"
    )
