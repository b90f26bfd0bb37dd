"""`budgetkg ingest`: add or replace disclosures in the store."""

from __future__ import annotations

import argparse
import sys

from budgetkg.commands.storeopt import add_store_argument, open_store
from budgetkg.extract.pipeline import expand_inputs
from budgetkg.graph.ingest import Rejected, ingest_many
from budgetkg.graph.map_policies import POLICIES_GRAPH
from budgetkg.graph.policy_graph import refresh_policies

NAME = "ingest"
HELP = "extract disclosures and add or replace them in the store"
DESCRIPTION = (
    "Extract each disclosure and store its facts as one named graph. Re-ingesting a file "
    "replaces its graph; a file that cannot be read is reported and the rest go in. "
    "Exit status: 0 all stored, 1 some files rejected, 2 the store cannot be opened."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR", help="disclosure files or folders of them")
    add_store_argument(p)
    p.add_argument("--dry-run", action="store_true", help="extract and map, report what would be stored, write nothing")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


def run(args: argparse.Namespace) -> int:
    paths = expand_inputs(args.inputs)
    store = open_store(args, read_only=False)
    rejected = stored = 0
    for n, outcome in enumerate(ingest_many(store, paths, dry_run=args.dry_run), 1):
        if isinstance(outcome, Rejected):
            rejected += 1
            print(f"budgetkg: {outcome.path}: {outcome.reason}", file=sys.stderr)
            continue
        stored += 1
        if not args.quiet:
            verb = "would store" if args.dry_run else "stored"
            print(f"[{n}/{len(paths)}] {outcome.path}: {verb} {outcome.triples} triples, "
                  f"{outcome.projects} projects, {len(outcome.issues)} issue(s)", file=sys.stderr)
    if stored and not args.dry_run:
        policies = refresh_policies(store)
        if not args.quiet:
            print(f"budgetkg: policies resolved across the store: {policies}", file=sys.stderr)
    store.flush()
    if not args.quiet:
        print(f"budgetkg: {stored} document(s) {'checked' if args.dry_run else 'stored'}, {rejected} rejected; "
              f"store holds {_disclosures(store)} disclosure(s), {len(store)} triples", file=sys.stderr)
    return 1 if rejected else 0


def _disclosures(store) -> int:
    return sum(1 for d in store.documents() if d.graph != POLICIES_GRAPH)
