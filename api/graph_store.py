"""The SPARQL 1.1 Graph Store HTTP Protocol at /rdf-graph-store: graphs read and written whole.

    GET|HEAD /rdf-graph-store?graph=IRI      the named graph (Turtle, N-Triples, JSON-LD, RDF/XML)
    GET|HEAD /rdf-graph-store?default        the default graph: the union of the named graphs
    PUT      /rdf-graph-store?graph=IRI      replace the graph by the body (201 created, 204 replaced)
    POST     /rdf-graph-store?graph=IRI      merge the body into the graph (201 created, 204 merged)
    DELETE   /rdf-graph-store?graph=IRI      remove the graph (204; 404 when absent)

Indirect graph identification only (https://www.w3.org/TR/sparql11-http-rdf-update/ §4.2).
Reading is open, like a query; writing needs the admin token, as SPARQL Update does (403 on
a read-only server, 401 without the right token), and is checked here before the body is
looked at. Graphs the store maintains itself are never written: the catalog (which documents
are complete) and the policies graph (recomputed from the documents' citations). The default
graph is a view of all named graphs, so it is read-only too (405). The work itself runs in a
query worker (graph_tasks.py), under the time limit, like every other request.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import pyoxigraph as ox
from budgetkg.api.conneg import GRAPH_TYPES, negotiate
from budgetkg.api.documents import INGEST_TIME_LIMIT_MS
from budgetkg.api.errors import ApiError
from budgetkg.api.jobs import GraphDeleteJob, GraphGetJob, GraphWriteJob
from budgetkg.api.runner import run_job, settings_of
from budgetkg.api.sparql import authorise_update, with_charset
from budgetkg.graph.map_policies import POLICIES_GRAPH
from budgetkg.graph.store import CATALOG
from fastapi import APIRouter, Request, Response

PATH = "/rdf-graph-store"
# A write re-derives the policies graph when it touches a document: give it an ingest's time,
# since a write stopped half-way through that refresh would leave the policies graph to recovery.
WRITE_TIME_LIMIT_MS = INGEST_TIME_LIMIT_MS
MAINTAINED = {
    CATALOG: "the catalog graph records which documents are stored; it is kept by the store "
             "(use /documents to add or remove a document)",
    POLICIES_GRAPH: "the policies graph is recomputed from the documents' citations after "
                    "every change; edit the documents' graphs instead",
}
BODY_TYPES = {media: name for name, medias in GRAPH_TYPES.items() for media in medias}
_READ_ONLY_DEFAULT = ("the default graph is the union of every named graph (as /sparql sees it) "
                      "and cannot be written; name a graph with ?graph=IRI")

router = APIRouter(tags=["Graph Store"])

_PARAMETERS = [
    {"name": "graph", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "the named graph's IRI (absolute); give this or `default`"},
    {"name": "default", "in": "query", "required": False, "allowEmptyValue": True,
     "schema": {"type": "string"},
     "description": "present (no value needed): the default graph, the union of the named graphs (read only)"},
]
_BODY = {"required": True, "content": {media: {"schema": {"type": "string"}} for media in BODY_TYPES}}
_COMMON = {
    400: {"description": "no graph named, both `graph` and `default`, a bad IRI, or (PUT/POST) an "
                         "RDF syntax error with line and column"},
    503: {"description": "over the time limit, or busy"},
}
_WRITES = {
    **_COMMON,
    401: {"description": "without the right bearer token"},
    403: {"description": "the server has no admin token (read-only), or a graph the store maintains"},
    405: {"description": "the default graph cannot be written"},
}
_BODIES = {**_WRITES, 413: {"description": "body over max_body_bytes"},
           415: {"description": "a Content-Type other than Turtle, N-Triples, JSON-LD or RDF/XML (UTF-8)"}}


def _doc(summary: str, responses: dict, body: bool = False) -> dict:
    extra = {"parameters": _PARAMETERS, **({"requestBody": _BODY} if body else {})}
    return {"summary": summary, "responses": responses, "openapi_extra": extra}


_GET_RESPONSES = {
    **_COMMON, 404: {"description": "no graph of that name"}, 406: {"description": "no acceptable RDF format"},
    200: {"description": "the graph: Turtle (default), N-Triples, JSON-LD or RDF/XML",
          "content": {medias[0]: {"schema": {"type": "string"}} for medias in GRAPH_TYPES.values()}},
}


@router.get(PATH, response_class=Response, operation_id="graph_store_get", **_doc(
    "Graph Store Protocol: a graph whole, in the format the Accept header asks for", _GET_RESPONSES))
async def get_graph(request: Request) -> Response:
    """Serve the graph; HEAD answers the same headers without the body."""
    graph = target(request.url.query)
    fmt = negotiate(request.headers.get("accept")).graph
    if fmt is None:
        raise ApiError(406, "Not Acceptable", "no format in the Accept header can carry a graph; offered: "
                       + ", ".join(medias[0] for medias in GRAPH_TYPES.values()))
    answer = await run_job(request, GraphGetJob(graph, fmt))
    headers = {"Vary": "Accept", "Content-Length": str(len(answer.body))}
    body = b"" if request.method == "HEAD" else answer.body
    return Response(body, media_type=with_charset(answer.media_type), headers=headers)


router.add_api_route(PATH, get_graph, methods=["HEAD"], response_class=Response, operation_id="graph_store_head",
                     **_doc("Graph Store Protocol: the headers a GET would answer", _GET_RESPONSES))


@router.put(PATH, status_code=204, response_class=Response, operation_id="graph_store_put", **_doc(
    "Graph Store Protocol: replace a named graph by the body (admin token)",
    {**_BODIES, 201: {"description": "the graph was created"}, 204: {"description": "the graph was replaced"}},
    body=True))
async def put_graph(request: Request) -> Response:
    return await _write(request, replace=True)


@router.post(PATH, status_code=204, response_class=Response, operation_id="graph_store_post", **_doc(
    "Graph Store Protocol: merge the body into a named graph (admin token)",
    {**_BODIES, 201: {"description": "the graph was created"}, 204: {"description": "the triples were added"}},
    body=True))
async def post_graph(request: Request) -> Response:
    return await _write(request, replace=False)


@router.delete(PATH, status_code=204, response_class=Response, operation_id="graph_store_delete", **_doc(
    "Graph Store Protocol: remove a named graph (admin token); a document's graph removes the document",
    {**_WRITES, 204: {"description": "the graph was removed"}, 404: {"description": "no graph of that name"}}))
async def delete_graph(request: Request) -> Response:
    graph = _writable_target(request, "deleting graphs (Graph Store Protocol)")
    await run_job(request, GraphDeleteJob(graph), time_limit_ms=WRITE_TIME_LIMIT_MS)
    return Response(status_code=204)


async def _write(request: Request, *, replace: bool) -> Response:
    graph = _writable_target(request, "writing graphs (Graph Store Protocol)")
    fmt = body_format(request.headers.get("content-type"))
    job = GraphWriteJob(graph, await request.body(), fmt, replace)
    answer = await run_job(request, job, time_limit_ms=WRITE_TIME_LIMIT_MS)
    return Response(status_code=201 if answer.data["created"] else 204)


def _writable_target(request: Request, action: str) -> str:
    """The named graph a write may change; the token is checked before anything else."""
    authorise_update(request, settings_of(request), action)
    graph = target(request.url.query)
    if graph is None:
        raise ApiError(405, "Method Not Allowed", _READ_ONLY_DEFAULT, headers={"Allow": "GET, HEAD"})
    if graph in MAINTAINED:
        raise ApiError(403, "Forbidden", MAINTAINED[graph], graph=graph)
    return graph


def target(query_string: str) -> str | None:
    """The graph a request names: its IRI for ?graph=IRI, None for ?default; 400 otherwise.

    >>> target("graph=https%3A%2F%2Fexample.org%2Fg"), target("default")
    ('https://example.org/g', None)
    """
    try:
        params = parse_qsl(query_string, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ApiError(400, "Bad Request", "a URL parameter is not UTF-8 after percent-decoding") from None
    graphs = [v for k, v in params if k == "graph"]
    defaults = sum(k == "default" for k, _ in params)
    if len(graphs) + defaults != 1:
        raise ApiError(400, "Bad Request", "name exactly one graph: ?graph=IRI or ?default")
    return None if defaults else graph_iri(graphs[0])


def graph_iri(text: str) -> str:
    """`text` when it is an absolute IRI (graphs are named by absolute IRIs); 400 otherwise."""
    try:
        return ox.NamedNode(text).value
    except ValueError as exc:
        raise ApiError(400, "Bad Request", f"graph {text!r} is not an absolute IRI: {exc}") from None


def body_format(content_type: str | None) -> str:
    """The RDF format of a request body by its Content-Type (UTF-8 only); 415 otherwise."""
    media, *params = [p.strip() for p in (content_type or "").split(";")]
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip().strip('"').lower().replace("-", "") != "utf8":
            raise ApiError(415, "Unsupported Media Type", f"charset {value.strip()} is not accepted: send UTF-8")
    fmt = BODY_TYPES.get(media.lower())
    if fmt is None:
        offered = ", ".join(medias[0] for medias in GRAPH_TYPES.values())
        raise ApiError(415, "Unsupported Media Type",
                       f"Content-Type {media or '(none)'} is not an RDF format accepted here; use {offered}")
    return fmt
