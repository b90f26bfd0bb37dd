"""Graph Store Protocol operations, run inside a query worker (which owns the store).

A GET serves the graph whole: it is not cut at max_rows, since a client that reads a graph,
edits it and PUTs it back would silently lose what a cut left out; the time limit still
stops it. The default graph is the union of the named graphs, as /sparql sees it.

Each write is one SPARQL Update, so it is one transaction like an update sent to /sparql: a
write stopped at the time limit writes nothing, and it carries no "being written" mark, so the
store's recovery leaves the graph alone (graph/store.py). A body is parsed by the store's own
engine (pyoxigraph), which fetches nothing: a JSON-LD remote @context and an RDF/XML external
entity are syntax errors. Blank nodes in a body are renamed, so a merge never joins them to
blank nodes already stored.

A document's graph (one with a catalog entry) keeps its entry when it is replaced or merged
into, and the policies graph is recomputed, since the document's citations may have changed;
deleting it removes the document as DELETE /documents does, so the catalog never lists a
document whose graph is gone.
"""

from __future__ import annotations

import pyoxigraph as ox
from budgetkg.api.conneg import GRAPH_TYPES
from budgetkg.api.jobs import Failed, GraphDeleteJob, GraphGetJob, GraphWriteJob, Rendered
from budgetkg.api.serialize import RDF_FORMATS
from budgetkg.graph.policy_graph import refresh_policies
from budgetkg.graph.store_api import Store
from budgetkg.ontology import PREFIXES

_UNION = "CONSTRUCT WHERE { ?s ?p ?o }"


def get(store: Store, job: GraphGetJob) -> Rendered | Failed:
    """The whole graph in the negotiated format; 404 when no graph has that name."""
    triples = _triples(store, job.graph)
    if triples is None:
        return _absent(job.graph or "")
    body = ox.serialize(triples, format=RDF_FORMATS[job.fmt], prefixes=PREFIXES) or b""
    return Rendered(GRAPH_TYPES[job.fmt][0], body)


def _triples(store: Store, graph: str | None):
    if graph is None:
        return store.query(_UNION, use_default_graph_as_union=True)
    if not store.has_graph(graph):
        return None
    return (q.triple for q in store.graph_quads(graph))


def write(store: Store, job: GraphWriteJob) -> Rendered | Failed:
    """Replace (PUT) or merge into (POST) the graph; `data["created"]` when it did not exist."""
    if store.read_only:
        return Failed(403, "Forbidden", "the store is served read-only")
    try:
        quads = list(ox.parse(job.data, format=RDF_FORMATS[job.fmt], base_iri=job.graph,
                              without_named_graphs=True, rename_blank_nodes=True))
    except SyntaxError as exc:
        return rdf_syntax_failure(exc)
    node = ox.NamedNode(job.graph)
    created = not store.has_graph(job.graph)
    store.update(write_update(node, quads, replace=job.replace))
    if _is_document(store, job.graph):
        refresh_policies(store)
    store.flush()
    return Rendered("text/plain", b"", data={"created": created, "triples": len(quads)})


def write_update(node: ox.NamedNode, quads: list[ox.Quad], *, replace: bool) -> str:
    """One SPARQL Update (one transaction): drop the graph when replacing, make sure it exists
    (an empty PUT leaves an empty graph, not none), insert the triples."""
    operations = [f"DROP SILENT GRAPH {node}"] if replace else []
    operations.append(f"CREATE SILENT GRAPH {node}")
    if quads:
        triples = " .\n".join(str(q.triple) for q in quads)
        operations.append(f"INSERT DATA {{ GRAPH {node} {{\n{triples} .\n}} }}")
    return " ;\n".join(operations)


def delete(store: Store, job: GraphDeleteJob) -> Rendered | Failed:
    """Remove the graph (a document's: the whole document); 404 when no graph has that name."""
    if store.read_only:
        return Failed(403, "Forbidden", "the store is served read-only")
    node = ox.NamedNode(job.graph)
    if _is_document(store, job.graph):
        store.delete_document(job.graph)
        refresh_policies(store)
    elif store.has_graph(job.graph):
        store.update(f"DROP GRAPH {node}")
    else:
        return _absent(job.graph)
    store.flush()
    return Rendered("text/plain", b"")


def rdf_syntax_failure(exc: SyntaxError) -> Failed:
    """400 with the parser's message, and its line and column when it gives them."""
    extra = {}
    if exc.lineno is not None and exc.offset is not None:
        extra = {"line": exc.lineno, "column": exc.offset}
    return Failed(400, "RDF syntax error", str(exc.msg if exc.msg else exc), extra)


def _is_document(store: Store, graph: str) -> bool:
    return any(d.graph == graph for d in store.documents())


def _absent(graph: str) -> Failed:
    return Failed(404, "Not Found", f"no graph named <{graph}> is stored", {"graph": graph})
