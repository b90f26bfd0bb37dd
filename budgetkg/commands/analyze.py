"""`budgetkg analyze`: network analytics over the citations (networkx)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict

from budgetkg.commands.output import add_json_argument, write_json
from budgetkg.commands.storeopt import add_store_argument, open_store
from budgetkg.graph.analytics import (
    RELATIONS,
    Pair,
    PolicyRank,
    citation_graph,
    co_citation,
    most_cited,
    shared_policies,
)

NAME = "analyze"
HELP = "most-cited policies, policy co-citation, departments sharing policies"
DESCRIPTION = (
    "Analyse the policy–project graph. most-cited: policies by the number of projects citing "
    "them (--by funds: by the Σ of those projects' annual funds, 元). co-citation: pairs of "
    "policies cited by the same projects, weight = number of projects. shared-policies: pairs of "
    "departments whose projects cite the same policies, weight = number of policies. Each project "
    "counts once however many disclosures print it; a citation by title alone counts for the "
    "policy it resolves to. The same questions as SPARQL: docs/queries/most_cited_policies.rq, "
    "co_citation.rq, departments_sharing_policies.rq. "
    "Exit status: 0 found, 1 nothing to report, 2 the store cannot be opened."
)
ANALYSES = ("most-cited", "co-citation", "shared-policies")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("analysis", choices=ANALYSES, help="which analysis to run")
    p.add_argument(
        "--top",
        type=int,
        default=10,
        metavar="N",
        help="show the first N rows (0: all; default 10)",
    )
    p.add_argument(
        "--by",
        choices=("projects", "funds"),
        default="projects",
        help="most-cited: rank by (default: projects)",
    )
    p.add_argument(
        "--relation",
        choices=RELATIONS,
        action="append",
        default=None,
        help="citation relations to count (repeatable; default: all)",
    )
    add_json_argument(p)
    add_store_argument(p)


def run(args: argparse.Namespace) -> int:
    graph = citation_graph(open_store(args, read_only=True), args.relation)
    top = args.top or None
    if args.analysis == "most-cited":
        rows: list = most_cited(graph, top, by=args.by)
        text = _ranks_text
    else:
        rows = (
            co_citation(graph, top)
            if args.analysis == "co-citation"
            else shared_policies(graph, top)
        )
        text = _pairs_text
    if args.json is not None:
        write_json([asdict(r) for r in rows], args.json)
    else:
        sys.stdout.write(text(rows))
    if not rows:
        print(
            f"budgetkg: {args.analysis}: nothing to report (are documents and policies in the store?)",
            file=sys.stderr,
        )
    return 0 if rows else 1


def _ranks_text(rows: list[PolicyRank]) -> str:
    if not rows:
        return ""
    out = [f"{'projects':>8} {'depts':>5} {'annual funds (元)':>20}  policy"]
    for r in rows:
        name = (
            f"{r.number}  《{r.label}》" if r.number and r.number != r.label else f"《{r.label}》"
        )
        out.append(f"{r.projects:>8} {r.departments:>5} {r.annual_funds_yuan:>20,.2f}  {name}")
    return "\n".join(out) + "\n"


def _pairs_text(rows: list[Pair]) -> str:
    out = []
    for r in rows:
        out.append(f"{r.weight:>4}  {r.a_label}  ⟷  {r.b_label}")
        out += [f"        {s}" for s in r.shared]
    return "\n".join(out) + ("\n" if out else "")
