"""`budgetkg export`: the store (or chosen documents) as RDF, CSV tables or GraphML."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from budgetkg.commands.storeopt import add_store_argument, open_store
from budgetkg.graph.analytics import RELATIONS, citation_graph
from budgetkg.graph.export import (
    EXTENSIONS,
    QUAD_FORMATS,
    RDF_FORMATS,
    UnknownDocument,
    export_graphml,
    export_rdf,
    select_graphs,
)
from budgetkg.graph.export_tables import TABLES, write_table

NAME = "export"
HELP = "write the store as Turtle, N-Triples, N-Quads, TriG, JSON-LD, CSV tables or GraphML"
DESCRIPTION = (
    "Write the whole store, or the documents named with --document, to a file or directory. "
    f"Quad formats ({', '.join(QUAD_FORMATS)}) keep one named graph per document; turtle, ntriples "
    "and rdfxml hold the union, each triple once. --format csv writes projects.csv, citations.csv "
    "and kpis.csv (or the --table chosen) into the directory --out: one row per project, citation or "
    "KPI per source document, with file and line; the files are UTF-8 with a byte-order mark "
    "(BOM) so that Excel shows Chinese correctly, and the column names are fixed. --format graphml "
    "writes the policy–project graph (nodes typed policy/project/department, edges with their "
    "relation) for Gephi or networkx. The store's catalog graph is never exported. "
    "Exit status: 0 written, 1 nothing to export, 2 store or usage error."
)
FORMATS = RDF_FORMATS + ("csv", "graphml")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--out",
        metavar="FILE_OR_DIR",
        required=True,
        help="the file to write (a directory for --format csv; '-' is not supported)",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="output format (default: from --out's extension, else trig)",
    )
    p.add_argument(
        "--document",
        metavar="NAME",
        action="append",
        default=[],
        help="export only this document (file name or graph IRI; repeatable)",
    )
    p.add_argument(
        "--no-policies",
        action="store_true",
        help="leave out the corpus policies graph (RDF formats)",
    )
    p.add_argument(
        "--table",
        choices=sorted(TABLES),
        action="append",
        default=None,
        help="with --format csv: the tables to write (repeatable; default: all)",
    )
    p.add_argument(
        "--relation",
        choices=RELATIONS,
        action="append",
        default=None,
        help="with --format graphml: citation relations to draw (repeatable; default: all)",
    )
    add_store_argument(p)


def run(args: argparse.Namespace) -> int:
    fmt = args.format or _guess(args.out)
    store = open_store(args, read_only=True)
    try:
        graphs = select_graphs(store, args.document, policies=not args.no_policies)
    except UnknownDocument as exc:
        return _fail(f"{exc}; the store holds: {', '.join(exc.names) or 'nothing'}")
    if not graphs:
        print("budgetkg: the store holds no documents; nothing exported", file=sys.stderr)
        return 1
    started = time.perf_counter()
    try:
        lines = _write(store, graphs, fmt, args)
    except OSError as exc:
        return _fail(f"{args.out}: {exc.strerror or exc}")
    for line in lines:
        print(line, file=sys.stderr)
    print(f"budgetkg: exported in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    return 0


def _write(store, graphs: list[str], fmt: str, args) -> list[str]:
    if fmt == "csv":
        os.makedirs(args.out, exist_ok=True)
        names = args.table or sorted(TABLES)
        out = []
        for name in names:
            path = Path(args.out) / f"{name}.csv"
            out.append(f"{path}: {write_table(store, TABLES[name], graphs, path)} rows")
        return out
    _parent(args.out)
    if fmt == "graphml":
        done = export_graphml(citation_graph(store, args.relation), args.out)
        return [f"{done.path}: {done.statements} nodes and edges, {done.bytes:,} bytes"]
    done = export_rdf(store, graphs, fmt, args.out)
    unit = "quads" if fmt in QUAD_FORMATS else "triples"
    return [
        f"{done.path}: {done.graphs} graph(s), {done.statements:,} {unit}, {done.bytes:,} bytes"
    ]


def _guess(out: str) -> str:
    by_ext = {ext: name for name, ext in EXTENSIONS.items()} | {
        ".jsonld": "jsonld",
        ".json": "jsonld",
        ".csv": "csv",
    }
    if Path(out).is_dir() or out.endswith(("/", os.sep)):
        return "csv"
    return by_ext.get(Path(out).suffix.lower(), "trig")


def _parent(out: str) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)


def _fail(message: str) -> int:
    print(f"budgetkg: {message}", file=sys.stderr)
    return 2
