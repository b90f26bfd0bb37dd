"""Library calls run inside a query worker: a policy's trace, an ingest, a removal.

They run in the worker, like the queries, because it owns the store (the only process that may
write it) and because only a worker can be stopped at the time limit: a trace is several
queries and Python in between (graph.trace), an ingest is extraction, mapping and a bulk load.
Each returns a Rendered whose `data` is plain JSON-ready data, or a Failed in the error shape.
"""

from __future__ import annotations

from dataclasses import asdict, replace

from budgetkg.api.jobs import DeleteJob, Failed, IngestJob, Rendered, TraceJob
from budgetkg.extract.read import UnreadableInput
from budgetkg.graph.ingest import ingest_bytes
from budgetkg.graph.iri import graph_iri
from budgetkg.graph.policy_graph import refresh_policies
from budgetkg.graph.store import StoreError
from budgetkg.graph.store_api import Store
from budgetkg.graph.trace import PolicyTrace, find_policies, trace_policy


def trace(store: Store, job: TraceJob) -> Rendered:
    """`budgetkg trace --json` for job.text: one trace per matching policy (possibly none)."""
    traces = [trace_policy(store, p, job.relations, kpis=job.kpis) for p in find_policies(store, job.text)]
    cut, truncated = _cut(traces, job.max_rows)
    return Rendered("application/json", b"", truncated, data=[asdict(t) for t in cut])


def _cut(traces: list[PolicyTrace], budget: int) -> tuple[list[PolicyTrace], bool]:
    """At most `budget` links (direct and joined) in all; the sums stay those of every link."""
    out, truncated = [], False
    for t in traces:
        links, joined = t.links[:budget], t.joined[:max(0, budget - len(t.links))]
        truncated = truncated or len(links) < len(t.links) or len(joined) < len(t.joined)
        budget -= len(links) + len(joined)
        out.append(replace(t, links=links, joined=joined))
    return out, truncated


def ingest(store: Store, job: IngestJob) -> Rendered | Failed:
    """Extract the upload (from memory: it never touches the disk), replace its document (by
    source file name), refresh the policies graph."""
    if store.read_only:
        return Failed(403, "Forbidden", "the store is served read-only")
    replaced = any(d.graph == graph_iri(job.filename) for d in store.documents())
    try:
        done = ingest_bytes(store, job.data, job.filename)
    except UnreadableInput as exc:
        return Failed(422, "Unreadable document", exc.reason, {"source": job.filename})
    except StoreError:  # the store (a SPARQL server) failed, not the extraction: 502 (worker.py)
        raise
    except Exception as exc:  # noqa: BLE001 - a bad upload must not stop the worker
        return Failed(500, "Internal Server Error",
                      f"extraction failed ({type(exc).__name__}); please report it with the file",
                      {"source": job.filename})
    policies = refresh_policies(store)
    store.flush()
    return Rendered("application/json", b"", data={
        "source": done.source, "graph": done.graph, "replaced": replaced, "triples": done.triples,
        "projects": done.projects, "policies": policies,
        "issues": [{"source": done.source, "line": i.line, "message": i.message} for i in done.issues],
    })


def delete(store: Store, job: DeleteJob) -> Rendered | Failed:
    """Remove the document read from job.source and refresh the policies graph; 404 if absent."""
    if store.read_only:
        return Failed(403, "Forbidden", "the store is served read-only")
    graph = graph_iri(job.source)
    if not any(d.graph == graph for d in store.documents()):
        return Failed(404, "Not Found", f"no document read from {job.source!r} is stored",
                      {"source": job.source})
    store.delete_document(graph)
    policies = refresh_policies(store)
    store.flush()
    return Rendered("application/json", b"", data={"source": job.source, "graph": graph,
                                                   "deleted": True, "policies": policies})
