"""`budgetkg view QUERY --out FILE.html`: the graph view as one self-contained HTML file to share.

The same neighbourhood and page as the server's /view (graph/view.py), with vis-network, the
page's script and its style inlined: the file opens from disk with no server and no network.
Without a server, nodes show their details on click but do not expand; the search box finds
nodes within the file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from budgetkg.commands.storeopt import add_store_argument, open_store
from budgetkg.graph.view import DEFAULT_LIMIT, MAX_LIMIT, Assets, build_view, render_page

NAME = "view"
HELP = "write the graph view of a policy, project or unit as one self-contained HTML file"
DESCRIPTION = (
    "Draw the neighbourhood of what QUERY names (a policy number in any bracket style, a policy "
    "title or alias, part of a project's or unit's name): policies, projects, departments and "
    "units, KPIs and annual funds, with every node's fields and source file and line. The page "
    "is one HTML file with every script and style inlined (no CDN, no server). Exit status: 0 "
    "written, 1 nothing matched (the page is still written), 2 the store or the output is unusable."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", metavar="QUERY", nargs="?", default=None,
                   help="a policy number, title or alias, or part of a project's or unit's name")
    p.add_argument("--node", action="append", default=[], metavar="IRI",
                   help="draw around this node IRI too (repeatable)")
    p.add_argument("--out", "-o", metavar="FILE.html", required=True, help="the HTML file to write")
    p.add_argument("--limit", type=int, default=DEFAULT_LIMIT,
                   help=f"most nodes drawn (default {DEFAULT_LIMIT}, at most {MAX_LIMIT})")
    add_store_argument(p)


def static_assets() -> Assets:
    from budgetkg.api.page import STATIC

    read = lambda name: (STATIC / name).read_text(encoding="utf-8")
    return Assets(css=(("text", read("vis/vis-network.min.css")), ("text", read("view.css"))),
                  js=(("text", read("vis/vis-network.min.js")), ("text", read("view.js"))))


def run(args: argparse.Namespace) -> int:
    if not args.query and not args.node:
        print("budgetkg: view: give QUERY or --node IRI", file=sys.stderr)
        return 2
    if not 1 <= args.limit <= MAX_LIMIT:
        print(f"budgetkg: view: --limit must be between 1 and {MAX_LIMIT}", file=sys.stderr)
        return 2
    store = open_store(args, read_only=True)
    view = build_view(store, args.query, args.node, args.limit)
    page = render_page(view, static_assets(), mode="static")
    try:
        Path(args.out).write_text(page, encoding="utf-8")
    except OSError as exc:
        print(f"budgetkg: view: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return 2
    cut = f" (of {view.total}; --limit to draw more)" if view.truncated else ""
    print(f"budgetkg: {args.out}: {len(view.nodes)} nodes{cut}, {len(view.edges)} edges", file=sys.stderr)
    if not view.nodes:
        print(f"budgetkg: nothing matches {args.query!r} in the store", file=sys.stderr)
        return 1
    return 0
