"""`budgetkg ingest`: add or replace disclosures in the store, or write them as N-Quads."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys

from budgetkg.commands.jobsopt import add_job_arguments, limits_from
from budgetkg.commands.storeopt import add_store_argument, open_store
from budgetkg.extract.pipeline import expand_inputs
from budgetkg.extract.policies import CitationTally
from budgetkg.extract.workers import WorkerError
from budgetkg.graph.ingest import BatchSize, Ingested, Rejected, ingest_files, store_writer
from budgetkg.graph.map_policies import POLICIES_GRAPH
from budgetkg.graph.nquads import NQuadsWriter
from budgetkg.graph.policy_graph import refresh_policies

NAME = "ingest"
HELP = "extract disclosures and add or replace them in the store"
DESCRIPTION = (
    "Extract each disclosure and store its facts as one named graph. Re-ingesting a file "
    "replaces its graph; a file that cannot be read, or that exceeds a limit, is reported and the "
    "rest go in. Documents are extracted in worker processes and written in batches by this one. "
    "Exit status: 0 all stored, 1 some files rejected, 2 the store (or --nquads file) cannot be "
    "opened or written."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR", help="disclosure files or folders of them")
    add_store_argument(p)
    p.add_argument(
        "--nquads", metavar="OUT",
        help="write every document's graph, the catalog and the resolved policies as one N-Quads "
             "file for a server's own bulk loader, instead of writing a store")
    p.add_argument("--dry-run", action="store_true", help="extract and map, report what would be stored, write nothing")
    add_job_arguments(p)
    p.add_argument(
        "--batch-triples", type=int, default=BatchSize.triples, metavar="N",
        help=f"documents are written together until a batch holds N triples (default {BatchSize.triples}); "
             "lower it to use less memory, raise it for fewer bulk loads")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except WorkerError as exc:
        print(f"budgetkg: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.nquads and (args.store or args.dry_run):
        print("budgetkg: --nquads writes a file instead of a store: leave out --store and --dry-run",
              file=sys.stderr)
        return 2
    paths = expand_inputs(args.inputs)
    if args.nquads:
        return _to_nquads(args, paths)
    store = open_store(args, read_only=False)
    tally = None if _disclosures(store) else CitationTally()  # a new store: this run's citations are all
    write = None if args.dry_run else store_writer(store, tally)
    stored, rejected = _report(args, paths, _outcomes(args, paths, write))
    if stored and not args.dry_run:
        policies = refresh_policies(store, tally)
        _say(args, f"budgetkg: policies resolved across the store: {policies}")
        store.optimize()
    store.flush()
    _say(args, f"budgetkg: {stored} document(s) {'checked' if args.dry_run else 'stored'}, {rejected} rejected; "
               f"store holds {_disclosures(store)} disclosure(s), {len(store)} triples")
    return 1 if rejected else 0


def _to_nquads(args: argparse.Namespace, paths: list[str]) -> int:
    """Write to OUT.partial and rename when complete: a killed run leaves no file that looks whole."""
    partial = args.nquads + ".partial"
    try:
        with open(partial, "wb") as out:
            writer = NQuadsWriter(out)
            stored, rejected = _report(args, paths, _outcomes(args, paths, writer))
            policies = writer.finish() if stored else 0
    except OSError as exc:
        _forget(partial)
        print(f"budgetkg: {args.nquads}: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except BaseException:
        _forget(partial)
        raise
    os.replace(partial, args.nquads)
    _say(args, f"budgetkg: {stored} document(s) written, {rejected} rejected, {policies} policies resolved; "
               f"{args.nquads} holds {writer.quads} quads" if stored else f"budgetkg: nothing written to {args.nquads}")
    return 1 if rejected else 0


def _forget(partial: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(partial)


def _outcomes(args: argparse.Namespace, paths: list[str], write):
    return ingest_files(write, paths, jobs=args.jobs, limits=limits_from(args),
                        batch=BatchSize(triples=max(1, args.batch_triples)))


def _report(args: argparse.Namespace, paths: list[str], outcomes) -> tuple[int, int]:
    """Print each outcome as it comes (in input order); the counts stored and rejected."""
    stored = rejected = 0
    verb = "would store" if args.dry_run else "wrote" if args.nquads else "stored"
    for n, outcome in enumerate(outcomes, 1):
        if isinstance(outcome, Rejected):
            rejected += 1
            print(f"budgetkg: {outcome.path}: {outcome.reason}", file=sys.stderr)
            continue
        stored += 1
        _say(args, _progress(n, len(paths), verb, outcome))
    return stored, rejected


def _progress(n: int, total: int, verb: str, outcome: Ingested) -> str:
    return (f"[{n}/{total}] {outcome.path}: {verb} {outcome.triples} triples, "
            f"{outcome.projects} projects, {len(outcome.issues)} issue(s)")


def _say(args: argparse.Namespace, line: str) -> None:
    if not args.quiet:
        print(line, file=sys.stderr, flush=True)


def _disclosures(store) -> int:
    return sum(1 for d in store.documents() if d.graph != POLICIES_GRAPH)
