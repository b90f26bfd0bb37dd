"""Ingest and trace at 10 k, 100 k and 1 M triples: the budgetkg store (Oxigraph on disk) beside
rdflib's memory store (an rdflib Dataset), each measurement in a fresh process.

    .venv/bin/python benchmarks/store_benchmark.py [--sizes 10000,100000,1000000] [--runs 20]
        [--rdflib-budget 60] [--rdflib-max 1000000] [--json OUT.json] [--jobs N] [--ingest-only]

Corpora come from the five seeds through the real mapping (benchmarks/corpus.py): variants of the
seed records with other file names, departments and years, the cited policies shared.

Per size, three child processes (memory and caches isolated; peak memory is the process's own
VmHWM from /proc/self/status, with the figure before ingest beside it):

1. budgetkg ingest into a new store directory: per document, record → N-Triples
   (graph.ingest.document_bytes) and GraphStore.put_document, then refresh_policies from the
   citations collected on the way (as the CLI does into a new store), optimize and flush.
   Mapping, store (put_document of ready bytes) and refresh_policies are timed apart; the store's
   size on disk is read after it is closed. With --jobs N, the way `budgetkg ingest --jobs N`
   writes instead: records (pickled to files beforehand, not timed) mapped in N worker processes
   (extract.workers.run_files), written by this process in batches of 50,000 triples with one
   put_documents each (graph.ingest.write_in_batches); "mapping" is then the time the writer
   waited for the workers.
2. budgetkg trace on that store, opened read-only: trace_policy(kpis=False) for the corpus's
   most-cited numbered policy and a least-cited one, one first run then --runs timed runs (median,
   p95); the trace's SPARQL alone (graph/trace.py _LINKS with its prologue); and kpis=True.
3. rdflib: record_to_graph per document added into an rdflib Dataset as its named graph (with the
   catalog entry the trace query joins on), then the very SPARQL string the trace ran, through
   Dataset.query, timed the same way within --rdflib-budget seconds per policy.

Extraction of the seeds and building the variants are not timed.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)


# --- measuring helpers ---------------------------------------------------------------------------
def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _stats(times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[max(0, -(-95 * len(ordered) // 100) - 1)]  # nearest rank
    return {"runs": len(times), "median_ms": statistics.median(times) * 1e3, "p95_ms": p95 * 1e3}


def _dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _corpus(size: int, counts: list[int]):
    import corpus

    records = corpus.seed_records()
    docs, _ = corpus.build(records, counts, size)
    return docs


# --- child processes -------------------------------------------------------------------------------
def child_ox_ingest(size: int, counts: list[int], store_dir: Path) -> dict:
    import corpus
    from budgetkg.extract.policies import CitationTally, Spelling, mentions_of
    from budgetkg.graph.ingest import document_bytes
    from budgetkg.graph.iri import graph_iri
    from budgetkg.graph.store import GraphStore, StoredDocument

    docs = _corpus(size, counts)
    most, rare = corpus.chosen_policies(docs)
    cited = corpus.citation_counts(docs)
    gc.collect()
    before = _status_mb("VmHWM")
    t0 = time.perf_counter()
    store = GraphStore(store_dir)
    mapping = storing = 0.0
    tally = CitationTally()
    for record in docs:
        a = time.perf_counter()
        body, count = document_bytes(record)
        tally.put(graph_iri(record.source), map(Spelling.of, mentions_of(record)))
        b = time.perf_counter()
        # The CLI hashes the file's bytes; no file here, so a stand-in (not timed apart, negligible).
        store.put_document(StoredDocument(graph_iri(record.source), record.source, "0" * 64, count), body)
        storing += time.perf_counter() - b
        mapping += b - a
    policies, refresh, flush, triples, peak = _finish_ingest(store, tally)
    total = time.perf_counter() - t0
    del store
    gc.collect()
    return {
        "docs": len(docs), "triples": triples, "policies": policies, "total_s": total, "mapping_s": mapping,
        "store_s": storing, "refresh_s": refresh, "flush_s": flush, "peak_mb": peak, "before_mb": before,
        "disk_mb": _dir_bytes(store_dir) / 2**20, "most": most, "rare": rare,
        "most_cited": cited[most], "rare_cited": cited[rare],
    }


def mapped_record(path: str):
    """The worker's task with --jobs: a pickled record → a document ready for the writer."""
    import pickle

    from budgetkg.extract.policies import Spelling, mentions_of
    from budgetkg.graph.ingest import Ingested, Prepared, document_bytes
    from budgetkg.graph.iri import graph_iri
    from budgetkg.graph.store import StoredDocument

    with open(path, "rb") as fh:
        record = pickle.load(fh)
    body, count = document_bytes(record)
    doc = StoredDocument(graph_iri(record.source), record.source, "0" * 64, count)
    return Prepared(doc, body, Ingested(path, record.source, doc.graph, count, 0, ()),
                    tuple(map(Spelling.of, mentions_of(record))))


def child_ox_ingest_jobs(size: int, counts: list[int], store_dir: Path, jobs: int) -> dict:
    import pickle

    import corpus
    from budgetkg.extract.policies import CitationTally
    from budgetkg.extract.workers import Limits, run_files
    from budgetkg.graph.ingest import store_writer, write_in_batches
    from budgetkg.graph.store import GraphStore

    docs = _corpus(size, counts)
    most, rare = corpus.chosen_policies(docs)
    cited = corpus.citation_counts(docs)
    pickles = store_dir.with_name(store_dir.name + "-records")
    pickles.mkdir()
    paths = []
    for n, record in enumerate(docs):
        paths.append(str(pickles / f"{n:06d}.pickle"))
        with open(paths[-1], "wb") as fh:
            pickle.dump(record, fh)
    del docs
    gc.collect()
    before = _status_mb("VmHWM")
    t0 = time.perf_counter()
    store = GraphStore(store_dir)
    tally = CitationTally()
    write, storing = store_writer(store, tally), [0.0]

    def timed_write(batch):
        a = time.perf_counter()
        write(batch)
        storing[0] += time.perf_counter() - a

    outcomes = list(write_in_batches(run_files(mapped_record, paths, jobs=jobs, limits=Limits()), timed_write))
    documents = time.perf_counter() - t0
    policies, refresh, flush, triples, peak = _finish_ingest(store, tally)
    total = time.perf_counter() - t0
    del store
    gc.collect()
    return {
        "docs": len(outcomes), "triples": triples, "policies": policies, "total_s": total,
        "mapping_s": documents - storing[0], "store_s": storing[0], "refresh_s": refresh, "flush_s": flush,
        "peak_mb": peak, "before_mb": before, "disk_mb": _dir_bytes(store_dir) / 2**20, "most": most,
        "rare": rare, "most_cited": cited[most], "rare_cited": cited[rare], "jobs": jobs,
    }


def _finish_ingest(store, tally) -> tuple[int, float, float, int, float]:
    """What `budgetkg ingest` does after writing into a new store: policies from the citations
    collected while writing, optimize, flush. (policies, refresh seconds, optimize+flush
    seconds, triples, peak MB)."""
    from budgetkg.graph.policy_graph import refresh_policies

    a = time.perf_counter()
    policies = refresh_policies(store, tally)
    refresh = time.perf_counter() - a
    a = time.perf_counter()
    store.optimize()
    store.flush()
    return policies, refresh, time.perf_counter() - a, len(store), _status_mb("VmHWM")


def child_ox_query(store_dir: Path, numbers: list[str], runs: int) -> dict:
    from budgetkg.graph.store import GraphStore
    from budgetkg.graph.trace import _ALIASES, _LINKS, RELATION_IRIS, find_policies, trace_policy
    from budgetkg.ontology import sparql_prologue

    a = time.perf_counter()
    store = GraphStore(store_dir, read_only=True)
    open_s = time.perf_counter() - a
    out = {"open_ms": open_s * 1e3, "policies": []}
    for number in numbers:
        found = find_policies(store, number)
        policy = next(p for p in found if p.number == number) if len(found) > 1 else found[0]
        a = time.perf_counter()
        trace = trace_policy(store, policy, kpis=False)
        first = time.perf_counter() - a
        times = []
        for _ in range(runs):
            a = time.perf_counter()
            trace_policy(store, policy, kpis=False)
            times.append(time.perf_counter() - a)
        # The trace's SPARQL exactly as trace_policy builds it (the legal_basis relation).
        keys = [policy.iri] + [r["k"].value for r in store.engine.query(sparql_prologue() + _ALIASES % policy.iri)]
        sparql = sparql_prologue() + _LINKS % (" ".join(f"<{k}>" for k in keys),
                                               f"<{RELATION_IRIS['legal_basis']}>")
        rows = len(list(store.engine.query(sparql)))
        sparql_times = []
        for _ in range(runs):
            a = time.perf_counter()
            list(store.engine.query(sparql))
            sparql_times.append(time.perf_counter() - a)
        kpi_times, kpi_rows = [], 0
        for _ in range(runs):
            a = time.perf_counter()
            with_kpis = trace_policy(store, policy, kpis=True)
            kpi_times.append(time.perf_counter() - a)
            kpi_rows = sum(len(link.kpis) for link in (*with_kpis.links, *with_kpis.joined))
        out["policies"].append({
            "number": number, "iri": policy.iri, "projects": trace.projects,
            "links": len(trace.links) + len(trace.joined), "rows": rows, "first_ms": first * 1e3,
            "trace": _stats(times), "sparql": _stats(sparql_times), "kpis": _stats(kpi_times),
            "kpi_rows": kpi_rows, "query": sparql,
        })
    out["peak_mb"] = _status_mb("VmHWM")
    return out


class _Budget(Exception):
    pass


def child_rdflib(size: int, counts: list[int], queries: list[str], runs: int, budget: float) -> dict:
    from budgetkg.graph.iri import graph_iri
    from budgetkg.graph.mapping import record_to_graph
    from budgetkg.graph.store import CATALOG
    from budgetkg.ontology.namespace import BK
    from rdflib import Dataset, Literal, URIRef

    docs = _corpus(size, counts)
    gc.collect()
    before = _status_mb("VmHWM")
    t0 = time.perf_counter()
    dataset = Dataset()
    catalog = dataset.graph(URIRef(CATALOG))
    for record in docs:
        graph = record_to_graph(record)
        named = dataset.graph(graph.identifier)
        named += graph
        catalog.add((URIRef(graph_iri(record.source)), BK.sourceFile, Literal(record.source)))
    ingest = time.perf_counter() - t0
    triples = sum(len(g) for g in dataset.graphs())
    peak_ingest = _status_mb("VmHWM")

    def _alarm(*_):
        raise _Budget

    signal.signal(signal.SIGALRM, _alarm)
    results = []
    for query in queries:
        times, rows, first, over = [], None, None, False
        deadline = time.perf_counter() + budget
        for i in range(runs + 1):  # one first run, then `runs` timed runs
            left = deadline - time.perf_counter()
            if left <= 0:
                over = True
                break
            signal.setitimer(signal.ITIMER_REAL, left)
            a = time.perf_counter()
            try:
                got = list(dataset.query(query))
            except _Budget:
                over = True
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            elapsed = time.perf_counter() - a
            rows = len(got)
            if i == 0:
                first = elapsed
            else:
                times.append(elapsed)
        entry = {"rows": rows, "first_ms": None if first is None else first * 1e3, "over_budget": over}
        if times:
            entry.update(_stats(times))
        results.append(entry)
    return {"docs": len(docs), "triples": triples, "ingest_s": ingest, "peak_mb": peak_ingest,
            "before_mb": before, "peak_query_mb": _status_mb("VmHWM"), "queries": results}


# --- the parent -----------------------------------------------------------------------------------
def _run_child(args: list[str], timeout: float) -> dict | None:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        print(f"  child timed out after {timeout:.0f} s: {' '.join(args[:2])}", file=sys.stderr)
        return None
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        raise SystemExit(f"child failed: {' '.join(args)}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(size: int, counts: list[int], runs: int, budget: float, rdflib_max: int, work: Path,
            jobs: int = 0, ingest_only: bool = False) -> dict:
    store_dir = work / f"store-{size}"
    common = ["--size", str(size), "--counts", ",".join(map(str, counts))]
    print(f"[{size:,}] budgetkg ingest …", file=sys.stderr, flush=True)
    if jobs:
        ingest = _run_child(["ox-ingest-jobs", *common, "--dir", str(store_dir), "--jobs", str(jobs)], timeout=3600)
    else:
        ingest = _run_child(["ox-ingest", *common, "--dir", str(store_dir)], timeout=3600)
    if ingest_only:
        return {"size": size, "ingest": ingest, "query": {"policies": []}, "rdflib": None}
    print(f"[{size:,}] budgetkg trace …", file=sys.stderr, flush=True)
    numbers = [ingest["most"]] + ([ingest["rare"]] if ingest["rare"] != ingest["most"] else [])
    query = _run_child(["ox-query", "--dir", str(store_dir), "--runs", str(runs), "--numbers", json.dumps(numbers)],
                       timeout=3600)
    rdf = None
    if size <= rdflib_max:
        print(f"[{size:,}] rdflib ingest and trace …", file=sys.stderr, flush=True)
        qfile = work / f"queries-{size}.json"
        qfile.write_text(json.dumps([p["query"] for p in query["policies"]]), encoding="utf-8")
        rdf = _run_child(["rdflib", *common, "--runs", str(runs), "--budget", str(budget), "--queries", str(qfile)],
                         timeout=3600 + budget * len(numbers))
    for p in query["policies"]:
        p.pop("query")
    return {"size": size, "ingest": ingest, "query": query, "rdflib": rdf}


def _ms(stats: dict | None, key: str = "median_ms") -> str:
    return "—" if not stats or key not in stats else f"{stats[key]:.1f}"


def table(results: list[dict], budget: float) -> str:
    lines = [
        ("Ingest (budgetkg: record → N-Triples + put_document per document + refresh_policies + optimize + flush; "
         "rdflib: record_to_graph per document into a Dataset):"),
        "",
        ("| target | docs | triples | budgetkg ingest | mapping | store (put_document) | refresh_policies "
         "| budgetkg triples/s | budgetkg peak MB (before) | on disk MB | rdflib ingest | rdflib triples/s "
         "| rdflib peak MB (before) |"),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        i, d = r["ingest"], r["rdflib"]
        rd = (f"{d['ingest_s']:.2f} s | {d['triples'] / d['ingest_s']:,.0f} | {d['peak_mb']:,.0f} ({d['before_mb']:,.0f})"
              if d else "skipped | — | —")
        lines.append(
            f"| {r['size']:,} | {i['docs']} | {i['triples']:,} | {i['total_s']:.2f} s | {i['mapping_s']:.2f} s "
            f"| {i['store_s']:.2f} s | {i['refresh_s']:.2f} s | {i['triples'] / i['total_s']:,.0f} "
            f"| {i['peak_mb']:,.0f} ({i['before_mb']:,.0f}) | {i['disk_mb']:.1f} | {rd} |"
        )
    lines += [
        "",
        "Trace of one policy (ms; median / p95 over the timed runs; first = first run after opening):",
        "",
        ("| target | policy (legal-basis citations) | rows | budgetkg trace median / p95 | first | SPARQL alone "
         "| trace with KPIs median / p95 (KPI rows) | rdflib same SPARQL median / p95 (runs) | rdflib ÷ budgetkg |"),
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        i, q, d = r["ingest"], r["query"], r["rdflib"]
        for n, p in enumerate(q["policies"]):
            cited = i["most_cited"] if p["number"] == i["most"] else i["rare_cited"]
            kind = "most" if p["number"] == i["most"] else "rare"
            if d is None:
                rd, ratio = "skipped", "—"
            else:
                e = d["queries"][n]
                if "median_ms" in e:
                    rd = f"{e['median_ms']:.1f} / {e['p95_ms']:.1f} ({e['runs']})"
                    ratio = f"{e['median_ms'] / p['trace']['median_ms']:.0f}×"
                    if e["rows"] != p["rows"]:
                        rd += f" — {e['rows']} rows!"
                elif e["first_ms"] is not None:
                    rd, ratio = f"first run {e['first_ms']:,.0f}, then over {budget:.0f} s", "—"
                else:
                    rd, ratio = f"> {budget:.0f} s (1st run stopped)", f"> {budget * 1e3 / p['trace']['median_ms']:,.0f}×"
                if e.get("over_budget") and "median_ms" in e:
                    rd += f", {budget:.0f} s budget hit"
            lines.append(
                f"| {r['size']:,} | {kind}: {p['number']} ({cited}) | {p['rows']} | {_ms(p['trace'])} / "
                f"{_ms(p['trace'], 'p95_ms')} | {p['first_ms']:.1f} | {_ms(p['sparql'])} | {_ms(p['kpis'])} / "
                f"{_ms(p['kpis'], 'p95_ms')} ({p['kpi_rows']}) | {rd} | {ratio} |"
            )
    return "\n".join(lines)


def environment() -> str:
    import pyoxigraph
    import rdflib

    cores = os.cpu_count()
    mem = next((int(l.split()[1]) // 2**20 for l in Path("/proc/meminfo").read_text().splitlines()
                if l.startswith("MemTotal")), 0)
    return (f"{cores} cores, {mem} GiB, {platform.system()} {platform.machine()}; Python {platform.python_version()}, "
            f"rdflib {rdflib.__version__}, pyoxigraph {pyoxigraph.__version__}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="target triple counts")
    ap.add_argument("--runs", type=int, default=20, help="timed runs per query (default 20)")
    ap.add_argument("--rdflib-budget", type=float, default=60.0, help="seconds per policy for rdflib's runs")
    ap.add_argument("--rdflib-max", type=int, default=1_000_000, help="largest size rdflib is run at")
    ap.add_argument("--json", help="also write the raw figures here")
    ap.add_argument("--jobs", type=int, default=0,
                    help="map in N worker processes and write in batches, as `ingest --jobs N` (default 0: "
                         "in this process, one put_document per document)")
    ap.add_argument("--ingest-only", action="store_true", help="measure ingest alone (no trace, no rdflib)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--size", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--counts", help=argparse.SUPPRESS)
    ap.add_argument("--dir", help=argparse.SUPPRESS)
    ap.add_argument("--numbers", help=argparse.SUPPRESS)
    ap.add_argument("--queries", help=argparse.SUPPRESS)
    ap.add_argument("--budget", type=float, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        counts = [int(c) for c in args.counts.split(",")] if args.counts else []
        if args.child == "ox-ingest":
            out = child_ox_ingest(args.size, counts, Path(args.dir))
        elif args.child == "ox-ingest-jobs":
            out = child_ox_ingest_jobs(args.size, counts, Path(args.dir), args.jobs)
        elif args.child == "ox-query":
            out = child_ox_query(Path(args.dir), json.loads(args.numbers), args.runs)
        elif args.child == "rdflib":
            queries = json.loads(Path(args.queries).read_text(encoding="utf-8"))
            out = child_rdflib(args.size, counts, queries, args.runs, args.budget)
        else:
            raise SystemExit(f"unknown child {args.child}")
        print(json.dumps(out, ensure_ascii=False))
        return 0

    import corpus

    counts = corpus.triple_counts(corpus.seed_records())
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    results = []
    started, load_before = time.perf_counter(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="budgetkg-bench-") as tmp:
        for size in sizes:
            results.append(measure(size, counts, args.runs, args.rdflib_budget, args.rdflib_max, Path(tmp),
                                   args.jobs, args.ingest_only))
    print(f"# {environment()}; seeds' triples per document {counts}; wall {time.perf_counter() - started:.0f} s; "
          f"load average {load_before:.1f} at start, {os.getloadavg()[0]:.1f} at end\n")
    print(table(results, args.rdflib_budget))
    if args.json:
        Path(args.json).write_text(json.dumps({"environment": environment(), "results": results},
                                              ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
