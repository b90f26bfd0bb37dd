"""`budgetkg extract`: one record per disclosure, written as a JSON list."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from budgetkg.commands.jobsopt import add_job_arguments, limits_from
from budgetkg.extract.pipeline import Failure, expand_inputs, extract_or_fail
from budgetkg.extract.record_json import record_to_dict
from budgetkg.extract.workers import WorkerError, run_files

NAME = "extract"
HELP = "extract records from disclosures (.txt, .md, .html, .pdf; UTF-8 or GB18030)"
DESCRIPTION = (
    "Extract one record per disclosure (see EXTRACTION_FORMAT.md), in worker processes, written "
    "in input order as each is done. Files that cannot be read, or that exceed a limit, are "
    "reported on stderr; the others are still extracted and written."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR", help="disclosure files or folders of them")
    p.add_argument("--json", metavar="OUT", default="-", help="write the records as a JSON list to OUT (default: stdout)")
    add_job_arguments(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


@dataclass(frozen=True)
class RecordJson:
    """One record as a worker hands it over: JSON text already, so the one process that writes
    only writes (unpickling whole records there made it the bottleneck at two jobs)."""

    source: str
    tables: int
    issues: int
    text: str  # the list item, laid out as json.dumps(list, indent=1) lays out its items


def record_json(path: str) -> RecordJson | Failure:
    """The task `extract --jobs` runs in a worker: one file's record as JSON, or why not."""
    record = extract_or_fail(path)
    if isinstance(record, Failure):
        return record
    text = json.dumps(record_to_dict(record), ensure_ascii=False, indent=1).replace("\n", "\n ")
    return RecordJson(record.source, len(record.performance_projects), len(record.issues), text)


def run(args: argparse.Namespace) -> int:
    paths = expand_inputs(args.inputs)
    failed = 0
    results = run_files(record_json, paths, jobs=args.jobs, limits=limits_from(args))
    try:
        with _output(args.json) as out:
            for record in _records(results, args, len(paths)):
                if isinstance(record, Failure):
                    failed += 1
                else:
                    _write_item(out, record)
            out.write("\n]\n" if out.items else "[]\n")
    except WorkerError as exc:
        print(f"budgetkg: {exc}", file=sys.stderr)
        return 2
    if failed:
        print(f"budgetkg: {failed} of {len(paths)} file(s) could not be read; the rest were written", file=sys.stderr)
    return 1 if failed else 0


def _records(results, args: argparse.Namespace, total: int) -> Iterator[RecordJson | Failure]:
    """Each result, reporting progress as it goes."""
    for n, result in enumerate(results, 1):
        if isinstance(result, Failure):
            print(f"budgetkg: {result.path}: {result.reason}", file=sys.stderr)
        elif not args.quiet:
            print(f"[{n}/{total}] {result.source}: {result.tables} performance tables, "
                  f"{result.issues} issue(s)", file=sys.stderr)
        yield result


class _ListWriter:
    """A text stream that counts the items of the JSON list written to it."""

    def __init__(self, stream: TextIO):
        self.stream, self.items = stream, 0

    def write(self, text: str) -> None:
        self.stream.write(text)


def _write_item(out: _ListWriter, item: RecordJson) -> None:
    """One item of the list: the output is the same text as json.dumps(records, indent=1) (what
    earlier versions wrote, holding every record until the end)."""
    out.write(("[\n " if not out.items else ",\n ") + item.text)
    out.items += 1


@contextlib.contextmanager
def _output(target: str) -> Iterator[_ListWriter]:
    """stdout, or OUT written as OUT.partial and renamed once complete."""
    if target == "-":
        yield _ListWriter(sys.stdout)
        return
    os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
    partial = target + ".partial"
    try:
        with open(partial, "w", encoding="utf-8") as fh:
            yield _ListWriter(fh)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
        raise
    os.replace(partial, target)
