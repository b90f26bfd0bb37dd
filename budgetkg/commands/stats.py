"""`budgetkg stats`: what the store holds, in counts, overall and per document."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict

from budgetkg.commands.output import add_json_argument, write_json
from budgetkg.commands.storeopt import add_store_argument, open_store
from budgetkg.graph.stats import StoreStats, store_stats

NAME = "stats"
HELP = "count documents, triples, projects, policies, citations, KPIs and departments in the store"
DESCRIPTION = (
    "Count what the store holds: documents, triples (statements, catalog included), projects, "
    "policies (resolved across the corpus), citations, KPI targets and supervising departments, "
    "then per document the same counts as that disclosure states them. A project printed by two "
    "disclosures is one project in the totals and counted in each document. "
    "Exit status: 0 counted, 1 the store holds no documents, 2 the store cannot be opened."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_json_argument(p)
    add_store_argument(p)


def run(args: argparse.Namespace) -> int:
    stats = store_stats(open_store(args, read_only=True))
    if args.json is not None:
        write_json(asdict(stats), args.json)
    else:
        sys.stdout.write(_text(stats))
    return 0 if stats.documents else 1


def _text(s: StoreStats) -> str:
    lines = [
        f"documents    {s.documents:>10,}",
        f"triples      {s.triples:>10,}",
        f"projects     {s.projects:>10,}",
        f"policies     {s.policies:>10,}",
        f"citations    {s.citations:>10,}",
        f"KPIs         {s.kpis:>10,}",
        f"departments  {s.departments:>10,}",
        "",
        f"{'document':<32} {'year':>4} {'triples':>8} {'projects':>8} {'citations':>9} {'KPIs':>6}  department",
    ]
    for d in s.per_document:
        lines.append(
            f"{d.source:<32} {d.year or '':>4} {d.triples:>8,} {d.projects:>8,} {d.citations:>9,} "
            f"{d.kpis:>6,}  {d.department or ''}"
        )
    return "\n".join(lines) + "\n"
