"""The `budgetkg` command: a thin shell over the library.

Each subcommand parses its arguments, calls one library function and turns named exceptions into
messages on stderr and exit statuses (0 ok, 1 some input failed, 2 usage error).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from budgetkg.extract.pipeline import Failure, expand_inputs, extract_many
from budgetkg.extract.record_json import record_to_dict


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="budgetkg",
        description="Turn Chinese budget disclosures (部门预算公开) into traceable records.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    ex = sub.add_parser(
        "extract",
        help="extract records from disclosures (.txt, .md, .html; UTF-8 or GB18030)",
        description="Extract one record per disclosure (see EXTRACTION_FORMAT.md). Files that "
        "cannot be read are reported on stderr; the others are still extracted and written.",
    )
    ex.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR", help="disclosure files or folders of them")
    ex.add_argument("--json", metavar="OUT", default="-", help="write the records as a JSON list to OUT (default: stdout)")
    ex.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    ex.set_defaults(func=cmd_extract)
    return parser


def cmd_extract(args: argparse.Namespace) -> int:
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
    _write_json(records, args.json)
    if failed:
        print(f"budgetkg: {failed} of {len(paths)} file(s) could not be read; the rest were written", file=sys.stderr)
    return 1 if failed else 0


def _progress(n: int, total: int, record) -> str:
    return (
        f"[{n}/{total}] {record.source}: {len(record.performance_projects)} performance tables, "
        f"{len(record.issues)} issue(s)"
    )


def _write_json(records: list[dict], out: str) -> None:
    text = json.dumps(records, ensure_ascii=False, indent=1)
    if out == "-":
        sys.stdout.write(text + "\n")
        return
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())


def run() -> None:
    """Console-script entry point: exit with main()'s status."""
    sys.exit(main())
