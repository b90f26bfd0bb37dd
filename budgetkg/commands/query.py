"""`budgetkg query`: run SPARQL against the store and print the result."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from budgetkg.commands.storeopt import add_store_argument, open_store
from budgetkg.graph.results import GRAPH_FORMATS, RESULT_FORMATS, render

NAME = "query"
HELP = "run a SPARQL query (text or a .rq file) against the store"
DESCRIPTION = (
    "Run a SPARQL 1.1 query against the store. The default graph is the union of all documents' "
    "named graphs; GRAPH ?g reaches one document. SELECT/ASK print as a table, JSON, XML, CSV or "
    "TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples, JSON-LD or RDF/XML. Example: "
    "budgetkg query docs/queries/most_cited_policies.rq --format csv"
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("sparql", metavar="QUERY_OR_FILE", help="the query text, or a path to a .rq file ('-' reads stdin)")
    p.add_argument("--format", choices=sorted(RESULT_FORMATS), default="table", help="SELECT/ASK output (default: table)")
    p.add_argument("--graph-format", choices=sorted(GRAPH_FORMATS), default="turtle", help="CONSTRUCT/DESCRIBE output (default: turtle)")
    add_store_argument(p)


def run(args: argparse.Namespace) -> int:
    text = _query_text(args.sparql)
    store = open_store(args, read_only=True)
    try:
        result = store.query(text)
        out = render(result, args.format, graph_fmt=args.graph_format)
    except (SyntaxError, ValueError) as exc:
        print(f"budgetkg: query: {exc}", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(out.body)
    return 0


def _query_text(arg: str) -> str:
    if arg == "-":
        return sys.stdin.read()
    if arg.endswith(".rq") or (len(arg) < 4096 and "\n" not in arg and Path(arg).is_file()):
        return Path(arg).read_text(encoding="utf-8")
    return arg
