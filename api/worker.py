"""A query worker: a child process that owns an open store and runs one job at a time.

Queries run here, not in the web process, because pyoxigraph cannot interrupt a query from
Python: a query past the time limit is stopped by killing its worker (engine.py), which frees
its CPU and memory at once and leaves the web process and the store untouched (a read-only
store is not written; an update is one transaction, so a killed update writes nothing).

Everything a job needs is done here, inside the time limit: the safety check, the query, the
cut at the row limit and the rendering.

The store is either kind (graph/store_api.py): the embedded one on disk, or a SPARQL server's
(RemoteStore), whose answers are pyoxigraph's own result types too, so the rendering is the
same. A server that fails, cannot be reached or cuts its answer is a 502 (`store_failure`).
"""

from __future__ import annotations

import http.client
import re
from multiprocessing.connection import Connection

import pyoxigraph as ox
from budgetkg.api import graph_tasks, safety, serialize, tasks
from budgetkg.api.jobs import (
    CannotStart,
    Dataset,
    DeleteJob,
    Failed,
    GraphDeleteJob,
    GraphGetJob,
    GraphWriteJob,
    IngestJob,
    QueryJob,
    Ready,
    Rendered,
    RowsJob,
    TraceJob,
    UpdateJob,
)
from budgetkg.graph.remote_store import RemoteStore
from budgetkg.graph.store import StoreError
from budgetkg.graph.store_api import Store, open_location

_POSITION = re.compile(r"error at (\d+):(\d+)")
_GRAPH_TASKS = {GraphGetJob: graph_tasks.get, GraphWriteJob: graph_tasks.write,
                GraphDeleteJob: graph_tasks.delete}


def serve(conn: Connection, store_path: str, writable: bool) -> None:
    """Process entry point: open the store (a directory or a SPARQL server's URL), say Ready,
    then answer jobs until the pipe closes."""
    try:
        store = open_location(store_path, read_only=not writable)
    except StoreError as exc:
        conn.send(CannotStart(str(exc)))
        return
    conn.send(Ready())
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(execute(store, job))


def execute(store: Store, job) -> Rendered | Failed:
    """One job's answer; every error becomes a Failed in the API's error shape."""
    try:
        if isinstance(job, QueryJob):
            return _query(store, job)
        if isinstance(job, RowsJob):
            return _rows(store, job)
        if isinstance(job, UpdateJob):
            return _update(store, job)
        if isinstance(job, TraceJob):
            return tasks.trace(store, job)
        if isinstance(job, IngestJob):
            return tasks.ingest(store, job)
        if isinstance(job, DeleteJob):
            return tasks.delete(store, job)
        graph_task = _GRAPH_TASKS.get(type(job))
        if graph_task is not None:
            return graph_task(store, job)
        return Failed(500, "Internal Server Error", f"unknown job {type(job).__name__}")
    except safety.Refused as exc:
        return Failed(403, "Forbidden", str(exc))
    except SyntaxError as exc:
        return syntax_failure(exc)
    except ValueError as exc:  # an IRI in the dataset parameters, a serializer's complaint
        return Failed(400, "Bad Request", str(exc))
    except (StoreError, http.client.HTTPException) as exc:
        return store_failure(exc)
    except OSError as exc:
        if isinstance(store, RemoteStore):  # the connection to the server broke mid-answer
            return store_failure(exc)
        return Failed(500, "Store error", f"the store could not answer: {exc}")


def store_failure(exc: Exception) -> Failed:
    """502: the SPARQL server behind a remote store failed, could not be reached or cut its
    answer. Not 500 (this server did its part) nor 503 (nothing says a retry soon will work)."""
    return Failed(502, "Store server error", f"the store server could not answer: {exc}")


def syntax_failure(exc: SyntaxError) -> Failed:
    """400 with the engine's message and the line and column it points at."""
    message = str(exc)
    extra = {}
    m = _POSITION.search(message)
    if m:
        extra = {"line": int(m.group(1)), "column": int(m.group(2))}
    return Failed(400, "Query syntax error", message, extra)


def _query(store: Store, job: QueryJob) -> Rendered | Failed:
    safety.check_query(job.text)
    parse_here(store, job.text, job.base_iri)
    result = store.query(job.text, base_iri=job.base_iri, **dataset_options(job.text, job.dataset))
    if isinstance(result, ox.QueryBoolean):
        return _render_boolean(result, job)
    if isinstance(result, ox.QueryTriples):
        return _render_triples(result, job)
    return _render_solutions(result, job)


def parse_here(store: Store, text: str, base_iri: str | None, *, update: bool = False) -> None:
    """Before a remote store's server sees the text, parse it with pyoxigraph, as the embedded
    store does: a syntax error is then the same 400 with `line` and `column` on either store
    (a server words its own, without them, and Virtuoso accepts syntax of its own). Run on an
    empty in-memory store, where evaluating costs nothing."""
    if isinstance(store, RemoteStore):
        scratch = ox.Store()
        if update:
            scratch.update(text, base_iri=base_iri)
        else:
            scratch.query(text, base_iri=base_iri)


def dataset_options(text: str, dataset: Dataset) -> dict:
    """pyoxigraph's Store.query options (which both stores take) for the protocol's dataset rules.

    No dataset anywhere: the default graph is the union of the documents' graphs (the store's
    convention). A FROM in the query: the query's own dataset, so the union is turned off
    explicitly (both stores turn it on when no option is given, and a union would override FROM).
    Protocol parameters: they win over the query's, and what they leave out is empty (SPARQL 1.1
    Protocol §2.1.4; Virtuoso cannot make its default graph empty).
    """
    if not dataset.given:
        return {"use_default_graph_as_union": not safety.has_dataset_clause(text)}
    return {
        "default_graph": [ox.NamedNode(g) for g in dataset.default_graphs or ()],
        "named_graphs": [ox.NamedNode(g) for g in dataset.named_graphs or ()],
    }


def _render_boolean(result: ox.QueryBoolean, job: QueryJob) -> Rendered | Failed:
    if job.formats.ask is None:
        return _not_acceptable("ASK", "application/sparql-results+json, application/sparql-results+xml")
    media, body = serialize.boolean(result, job.formats.ask)
    return Rendered(media, body)


def _render_triples(result: ox.QueryTriples, job: QueryJob) -> Rendered | Failed:
    if job.formats.graph is None:
        return _not_acceptable("CONSTRUCT/DESCRIBE", "text/turtle, application/n-triples, "
                               "application/ld+json, application/rdf+xml")
    items, truncated = serialize.first(result, job.max_rows)
    media, body = serialize.triples(items, job.formats.graph)
    return Rendered(media, body, truncated)


def _render_solutions(result: ox.QuerySolutions, job: QueryJob) -> Rendered | Failed:
    if job.formats.select is None:
        return _not_acceptable("SELECT", "application/sparql-results+json, "
                               "application/sparql-results+xml, text/csv, text/tab-separated-values")
    variables = [v.value for v in result.variables]
    rows, truncated = serialize.first(result, job.max_rows)
    media, body = serialize.solutions(variables, rows, job.formats.select, truncated)
    return Rendered(media, body, truncated)


def _not_acceptable(form: str, offered: str) -> Failed:
    return Failed(406, "Not Acceptable",
                  f"no format in the Accept header can carry a {form} result; offered: {offered}")


def _rows(store: Store, job: RowsJob) -> Rendered | Failed:
    safety.check_query(job.text)
    result = store.query(job.text)
    if not isinstance(result, ox.QuerySolutions):
        return Failed(500, "Internal Server Error", "a REST query must be a SELECT")
    variables = [v.value for v in result.variables]
    rows, truncated = serialize.first(result, job.max_rows)
    dicts = [{n: (None if row[i] is None else row[i].value) for i, n in enumerate(variables)} for row in rows]
    return Rendered("application/json", b"", truncated, rows=dicts)


def _update(store: Store, job: UpdateJob) -> Rendered | Failed:
    if store.read_only:
        return Failed(403, "Forbidden", "the store is served read-only")
    safety.check_update(job.text)
    parse_here(store, job.text, job.base_iri, update=True)
    store.update(job.text, base_iri=job.base_iri)
    store.flush()
    return Rendered("text/plain", b"")
