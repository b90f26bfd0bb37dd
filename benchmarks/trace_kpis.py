"""Trace of a policy with its KPIs: the most-cited and a rare policy, on the seeds and a 1 M corpus.

    .venv/bin/python benchmarks/trace_kpis.py [--sizes seeds,1000000] [--runs 15] [--work DIR] [--before REV]

Stores are built under --work once (the seeds by ingest_many; a corpus by benchmarks/corpus.py,
as store_benchmark.py builds it) and reused. Each is opened read-only and `trace_policy(store,
policy)` (kpis=True, the legal_basis relation) is timed: 1 first run, then --runs runs, median.
With --before REV, graph/trace.py as of that git revision is loaded beside the working copy and
timed in the same process, alternating run by run, after checking both give equal answers.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def build(size: str, where: Path) -> tuple[str, str]:
    """The store for `size` ("seeds" or a triple count) at `where` (built if absent); (most, rare)."""
    import corpus
    from budgetkg.graph.ingest import document_bytes, ingest_many
    from budgetkg.graph.iri import graph_iri
    from budgetkg.graph.policy_graph import refresh_policies
    from budgetkg.graph.store import GraphStore, StoredDocument

    records = corpus.seed_records()
    docs = records if size == "seeds" else corpus.build(records, corpus.triple_counts(records), int(size))[0]
    if not (where / "done").exists():
        store = GraphStore(where)
        if size == "seeds":
            list(ingest_many(store, sorted(corpus.SEEDS.glob("*.txt"))))
        for record in docs if size != "seeds" else ():
            body, count = document_bytes(record)
            store.put_document(StoredDocument(graph_iri(record.source), record.source, "0" * 64, count), body)
        refresh_policies(store)
        store.flush()
        del store
        (where / "done").touch()
    return corpus.chosen_policies(docs)


def load_trace(rev: str):
    """graph/trace.py as of git revision `rev`, as a module of its own."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:graph/trace.py"], check=True,
                            capture_output=True, text=True).stdout
    spec = importlib.util.spec_from_loader(f"trace_{rev}", loader=None)
    module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    exec(compile(source, f"{rev}:graph/trace.py", "exec"), module.__dict__)  # noqa: S102 - our own file at another revision
    return module


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="seeds,1000000")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--work", type=Path, default=Path("/tmp/budgetkg-trace-kpis"))
    ap.add_argument("--before", help="a git revision whose graph/trace.py to time beside the working copy")
    args = ap.parse_args()
    from budgetkg.graph import trace as after
    from budgetkg.graph.store import GraphStore

    versions = {"after": after}
    if args.before:
        versions = {"before": load_trace(args.before), "after": after}
    print(f"load average before: {os.getloadavg()}", file=sys.stderr)
    print("| store | triples | policy | KPI rows | " + " | ".join(f"{v} median ms" for v in versions) + " |")
    print("|---|---:|---|---:|" + "---:|" * len(versions))
    for size in args.sizes.split(","):
        where = args.work / size
        chosen = build(size, where)
        store = GraphStore(where, read_only=True)
        for kind, number in zip(("most", "rare"), chosen):
            answers, times = {}, {v: [] for v in versions}
            for name, module in versions.items():
                found = module.find_policies(store, number)
                policy = next(p for p in found if p.number == number) if len(found) > 1 else found[0]
                answers[name] = module.trace_policy(store, policy)  # first run
            rows = sum(len(link.kpis) for t in answers.values() for link in (*t.links, *t.joined)) // len(versions)
            if args.before:
                assert repr(answers["before"]) == repr(answers["after"]), f"{size} {number}: answers differ"
            for _ in range(args.runs):
                for name, module in versions.items():
                    a = time.perf_counter()
                    module.trace_policy(store, policy)
                    times[name].append(time.perf_counter() - a)
            medians = " | ".join(f"{statistics.median(t) * 1e3:,.1f}" for t in times.values())
            print(f"| {size} | {len(store):,} | {kind}: {number} | {rows:,} | {medians} |", flush=True)
        del store
    print(f"load average after: {os.getloadavg()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
