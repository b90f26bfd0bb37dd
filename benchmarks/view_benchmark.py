"""Generation time of the graph view at 2,000 nodes, on a store of the five seeds.

    .venv/bin/python benchmarks/view_benchmark.py [--nodes 2000] [--runs 10] [--store DIR]

The seeds are ingested into a new store (not timed) unless --store names one. The view is the
neighbourhood of the seeds' most-cited policies (by projects citing them as legal basis), as many
as it takes to reach --nodes nodes, capped at --nodes. Timed, each a median over --runs after one
warm-up run:

1. build: the view's SPARQL on the store, assembly into typed nodes and edges, and the layout
   (graph.view.build_view);
2. layout alone (graph.view.layout) on that view's nodes and edges;
3. page: the pyvis page with the view, served form (assets linked) and static form (every
   asset inlined: what `budgetkg view --out` writes);
4. HTTP: GET /view/neighbourhood and GET /view (the page) through the app and its query
   workers, as the browser asks them.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


def timed(fn, runs: int) -> tuple[float, float, float]:
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times), max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--store", default=None, help="an existing store (default: ingest the seeds)")
    args = parser.parse_args()

    from budgetkg.api.view import SERVED_ASSETS
    from budgetkg.graph.store import GraphStore
    from budgetkg.graph.view import build_view, layout, most_cited_policies, render_page

    from budgetkg.commands.view import static_assets

    tmp = tempfile.TemporaryDirectory()
    store_dir = args.store
    if store_dir is None:
        store_dir = str(Path(tmp.name) / "store")
        seeds = sorted(str(p) for p in SEEDS.glob("*.txt"))
        subprocess.run([str(Path(sys.executable).with_name("budgetkg")), "ingest", *seeds, "--store", store_dir],
                       check=True, capture_output=True)
    store = GraphStore(store_dir, read_only=True)
    policies = most_cited_policies(store, args.nodes)
    view = build_view(store, None, policies, args.nodes)
    kinds: dict[str, int] = {}
    for n in view.nodes:
        kinds[n["kind"]] = kinds.get(n["kind"], 0) + 1
    print(f"store: {len(store):,} triples; view of the {len(policies)} most-cited policies: "
          f"{len(view.nodes)} nodes (of {view.total}), {len(view.edges)} edges; {kinds}")

    def row(name: str, figures: tuple[float, float, float]) -> None:
        med, lo, hi = figures
        print(f"  {name:<44} median {med * 1000:7.1f} ms   min {lo * 1000:7.1f}   max {hi * 1000:7.1f}")

    print(f"median of {args.runs} runs after one warm-up:")
    row("build (SPARQL + assembly + layout)", timed(lambda: build_view(store, None, policies, args.nodes), args.runs))
    ids = [n["id"] for n in view.nodes]
    pairs = [(e["from"], e["to"]) for e in view.edges]
    row("  of which layout", timed(lambda: layout(ids, pairs, view.matches), args.runs))
    assets = static_assets()
    row("page, served (assets linked)", timed(lambda: render_page(view, SERVED_ASSETS, mode="server", nonce="x"), args.runs))
    row("page, static (assets inlined)", timed(lambda: render_page(view, assets, mode="static"), args.runs))
    row("build + static page (budgetkg view)", timed(
        lambda: render_page(build_view(store, None, policies, args.nodes), assets, mode="static"), args.runs))
    size = len(render_page(view, assets, mode="static").encode("utf-8"))
    print(f"  static page: {size / 1e6:.2f} MB")

    from budgetkg.api.app import create_app
    from budgetkg.api.settings import load_settings
    from fastapi.testclient import TestClient

    params = [("node", p) for p in policies] + [("limit", str(args.nodes))]
    with TestClient(create_app(load_settings({"store": store_dir}))) as client:
        def get(path):
            answer = client.get(path, params=params)
            assert answer.status_code == 200, answer.text[:300]
        row("HTTP GET /view/neighbourhood (JSON)", timed(lambda: get("/view/neighbourhood"), args.runs))
        row("HTTP GET /view (page)", timed(lambda: get("/view"), args.runs))
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
