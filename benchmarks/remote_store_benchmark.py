"""Ingest and trace on the embedded store beside Oxigraph server and Virtuoso, in one run.

    .venv/bin/python benchmarks/remote_store_benchmark.py [--sizes seeds,1000000] [--runs 20]
        [--batch 100] [--backends embedded,oxigraph,oxigraph-put,virtuoso] [--json OUT.json]

Corpora come from the five seeds through the real mapping (benchmarks/corpus.py); `seeds` is the
five seeds themselves. Each document's N-Triples are made first (not timed); then per backend,
on a fresh store (a new directory, or a server started on loopback by tests/servers.py):

- store: put_documents in batches of --batch documents (the ingest command's writer), timed, as
  triples/s; then refresh_policies (read back every citation, write the policies graph), timed;
- trace: trace_policy(kpis=False) of the corpus's most-cited and a least-cited numbered policy,
  one first run then --runs timed runs (median, p95), and kpis=True (median).

Backends: embedded (GraphStore on disk), oxigraph (server; a batch as one N-Quads POST),
oxigraph-put (server; one Graph Store PUT per document), virtuoso (one PUT per document, through
the Digest-authenticated endpoints). Client and servers share this machine's cores.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

BACKENDS = ("embedded", "oxigraph", "oxigraph-put", "virtuoso")


def documents(size: str):
    """[(StoredDocument, N-Triples)] of the corpus, and its most- and least-cited numbers."""
    import corpus
    from budgetkg.graph.ingest import document_bytes
    from budgetkg.graph.iri import graph_iri
    from budgetkg.graph.store import StoredDocument

    records = corpus.seed_records()
    counts = corpus.triple_counts(records)
    docs, _ = corpus.build(records, counts, sum(counts) if size == "seeds" else int(size))
    items = []
    for record in docs:
        body, n = document_bytes(record)
        items.append((StoredDocument(graph_iri(record.source), record.source, "0" * 64, n), body))
    return items, corpus.chosen_policies(docs)


def open_backend(name: str, work: Path, stack):
    """A fresh, empty store of the named backend; servers stop when `stack` closes."""
    from budgetkg.graph.remote_store import RemoteStore
    from budgetkg.graph.store import GraphStore
    from servers import running

    if name == "embedded":
        return GraphStore(work / "embedded")
    server_name = name.split("-")[0]
    options = {"buffers": 170_000} if server_name == "virtuoso" else {}  # ~1.3 GB page cache
    server = stack.enter_context(running(server_name, work / name, **options))
    return RemoteStore(server.url, env=server.env, batch_nquads=name == "oxigraph")


def measure_store(store, items, batch: int) -> dict:
    from budgetkg.graph.policy_graph import refresh_policies

    triples = sum(doc.triples for doc, _ in items)
    start = time.perf_counter()
    for i in range(0, len(items), batch):
        store.put_documents(items[i : i + batch])
    store.flush()
    stored = time.perf_counter() - start
    start = time.perf_counter()
    refresh_policies(store)
    store.flush()
    refresh = time.perf_counter() - start
    return {"documents": len(items), "triples": triples, "store_s": stored, "triples_per_s": triples / stored,
            "refresh_policies_s": refresh, "store_len": len(store)}


def measure_trace(store, numbers, runs: int) -> dict:
    from budgetkg.graph.trace import find_policies, trace_policy

    out = {}
    for label, number in zip(("most_cited", "least_cited"), numbers):
        (policy,) = find_policies(store, number)
        first = _timed(lambda p=policy: trace_policy(store, p, kpis=False))
        times = [_timed(lambda p=policy: trace_policy(store, p, kpis=False)) for _ in range(runs)]
        with_kpis = [_timed(lambda p=policy: trace_policy(store, p)) for _ in range(max(3, runs // 4))]
        links = len(trace_policy(store, policy, kpis=False).links)
        out[label] = {"number": number, "links": links, "first_ms": first * 1e3, **_stats(times),
                      "kpis_median_ms": statistics.median(with_kpis) * 1e3}
    return out


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _stats(times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[max(0, -(-95 * len(ordered) // 100) - 1)]  # nearest rank
    return {"runs": len(times), "median_ms": statistics.median(times) * 1e3, "p95_ms": p95 * 1e3}


def run(size: str, backends: list[str], runs: int, batch: int) -> list[dict]:
    from contextlib import ExitStack

    items, numbers = documents(size)
    results = []
    for name in backends:
        with tempfile.TemporaryDirectory(prefix=f"bk-{name}-") as tmp, ExitStack() as stack:
            store = open_backend(name, Path(tmp), stack)
            row = {"size": size, "backend": name, **measure_store(store, items, batch)}
            row["trace"] = measure_trace(store, numbers, runs)
            results.append(row)
            print(_line(row), file=sys.stderr, flush=True)
    return results


def _line(r: dict) -> str:
    t = r["trace"]
    return (f"{r['size']:>8} {r['backend']:<13} {r['triples']:>9,} triples  store {r['store_s']:7.2f} s "
            f"= {r['triples_per_s']:>9,.0f} triples/s  policies {r['refresh_policies_s']:6.2f} s  "
            f"trace most-cited {t['most_cited']['median_ms']:7.1f} ms (p95 {t['most_cited']['p95_ms']:.1f}, "
            f"{t['most_cited']['links']} links, with KPIs {t['most_cited']['kpis_median_ms']:.1f})  "
            f"least-cited {t['least_cited']['median_ms']:6.1f} ms")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="seeds", help="comma-separated: seeds, or a triple count (default: seeds)")
    ap.add_argument("--backends", default=",".join(BACKENDS))
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--batch", type=int, default=100, help="documents per put_documents call")
    ap.add_argument("--json", metavar="OUT")
    args = ap.parse_args(argv)
    print(f"# {platform.platform()}, {platform.python_version()}", file=sys.stderr)
    results = [r for size in args.sizes.split(",") for r in run(size, args.backends.split(","), args.runs, args.batch)]
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    for r in results:
        print(_line(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
