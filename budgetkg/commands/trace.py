"""`budgetkg trace`: a policy → the projects, money and KPIs resting on it; a project → its policies."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict

from budgetkg.commands.output import add_json_argument, write_json
from budgetkg.commands.storeopt import add_store_argument, open_store
from budgetkg.graph.trace import (
    RELATION_IRIS,
    Link,
    PolicyTrace,
    find_policies,
    trace_policy,
    trace_project,
)

NAME = "trace"
HELP = "trace a policy (number, title or alias) to the projects, funds and KPIs resting on it"
DESCRIPTION = (
    "Trace a policy document, named by its number in any bracket style (晋政办发[2021]42号), "
    "its title or an alias, to the projects that cite it: department, year, annual funds, sums "
    "per department and year, and the projects' KPIs, each with the file and line it was read "
    "from. With --project, trace the projects whose name contains the text to their policies. "
    "Exit status: 0 found, 1 nothing matched, 2 the store cannot be opened."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("text", metavar="POLICY_OR_PROJECT", help="a document number, title or alias (or a project name with --project)")
    p.add_argument("--project", action="store_true", help="trace projects (by name) to their policies instead")
    p.add_argument(
        "--relation", action="append", choices=sorted(RELATION_IRIS), default=None,
        help="citation relations to follow (repeatable; default: legal_basis)",
    )
    p.add_argument("--no-kpis", action="store_true", help="leave the projects' KPIs out")
    add_json_argument(p)
    add_store_argument(p)


def run(args: argparse.Namespace) -> int:
    store = open_store(args, read_only=True)
    if args.project:
        links = trace_project(store, args.text)
        _emit(args, [asdict(link) for link in links], lambda: _project_text(links))
        return 0 if links else _nothing(args.text, "project")
    relations = tuple(args.relation or ("legal_basis",))
    traces = [trace_policy(store, p, relations, kpis=not args.no_kpis) for p in find_policies(store, args.text)]
    _emit(args, [asdict(t) for t in traces], lambda: "\n".join(_policy_text(t) for t in traces))
    return 0 if traces else _nothing(args.text, "policy")


def _emit(args, data, text) -> None:
    if args.json is not None:
        write_json(data, args.json)
    else:
        sys.stdout.write(text())


def _nothing(text: str, kind: str) -> int:
    hint = "budgetkg policies FILE... lists the known policies" if kind == "policy" else "check the name"
    print(f"budgetkg: no {kind} matches {text!r} in the store; {hint}", file=sys.stderr)
    return 1


def _policy_text(t: PolicyTrace) -> str:
    p = t.policy
    head = " ".join(x for x in (p.number, f"《{p.title}》" if p.title else None) if x)
    lines = [f"{head}  {'、'.join(p.issuers)}".rstrip(), f"  {t.projects} project(s), annual funds {_yuan(t.annual_funds_yuan)}"]
    for s in t.subtotals:
        lines.append(f"    {s.department or '?'} {s.year or '?'}: {s.projects} project(s), {_yuan(s.annual_funds_yuan)}")
    lines += [_link_text(link) for link in t.links]
    if t.joined:
        lines.append("  cited without its number (joined by title):")
        lines += [_link_text(link) for link in t.joined]
    return "\n".join(lines) + "\n"


def _link_text(link: Link) -> str:
    head = f"  - {link.name} ({link.department or '?'}, {link.year or '?'}) {_yuan(link.annual_funds_yuan)}"
    out = [head, f"      {link.source}:{link.line}  {link.raw}"]
    out += [f"      [{k.column or ''}] {k.level1 or ''}/{k.level2 or ''}/{k.name or ''}: {k.value}  ({k.source}:{k.line})" for k in link.kpis]
    return "\n".join(out)


def _project_text(links: list[Link]) -> str:
    out, last = [], None
    for link in links:
        if (link.project, link.source) != last:
            out.append(f"{link.name} ({link.department or '?'}, {link.year or '?'}) {_yuan(link.annual_funds_yuan)}  [{link.source}]")
            last = (link.project, link.source)
        out.append(f"  {link.relation}: {link.raw}  ({link.source}:{link.line})")
    return "\n".join(out) + ("\n" if out else "")


def _yuan(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f} 元"
