"""`budgetkg serve --store URL`: the HTTP API on a SPARQL server's store answers as on the embedded one.

The five seeds are ingested into an embedded store and into a real Oxigraph server (tests/servers.py),
each then served by a real `budgetkg serve` (tests/apiserver.py), and the same requests are sent to
both: SPARQL SELECT in every result format, ASK, CONSTRUCT and DESCRIBE in every RDF format, FROM
and the protocol's dataset, the cookbook queries, the REST trace and project list, the Graph Store
Protocol. A writable server on the remote store refuses an update without the token, replaces a
re-uploaded document rather than duplicating it, and removes one; a server whose store server has
stopped answers 502 in the one error shape, and answers again once it is back; a worker lost
while the store server is down comes back with the server. Virtuoso gets a smoke test (serve, a
SELECT, a trace).
"""

from __future__ import annotations

import re
import subprocess
import time
from collections import Counter
from contextlib import contextmanager
from urllib.parse import quote

import httpx
import pytest
from apiserver import serve
from budgetkg.api.conneg import negotiate
from budgetkg.api.engine import QueryEngine, QueryTimeout
from budgetkg.api.jobs import QueryJob, Rendered
from budgetkg.graph.ingest import Rejected, ingest_many
from budgetkg.graph.policy_graph import refresh_policies
from budgetkg.graph.remote_store import RemoteStore
from budgetkg.graph.store import CATALOG, DOCUMENTS_QUERY
from conftest import ROOT, SEEDS, seed_paths
from rdflib import Graph
from rdflib.compare import isomorphic
from seedstore import build_seed_store
from servers import running, stop
from SPARQLWrapper import CSV, JSON, XML, SPARQLWrapper

TOKEN = "remote-admin-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MAX_ROWS = "100000"  # above every answer here, so no cut can differ between the two servers
POLICIES = ("国发〔2021〕9号", "晋政办发〔2021〕42号")
SMALL = "004_1402e20b80f22cb8.txt"
POLICIES_GRAPH = "https://budgetkg.org/corpus/policies"
PROJECT_LABELS = ("PREFIX bk: <https://budgetkg.org/ontology#> SELECT ?p ?name ?year ?g WHERE "
                  "{ GRAPH ?g { ?p a bk:BudgetProject ; ?label ?name . OPTIONAL { ?p bk:budgetYear ?year } "
                  "FILTER(isLiteral(?name)) } } ORDER BY ?g ?p ?label ?name")
QUERIES = sorted((ROOT / "docs" / "queries").glob("*.rq"))


# --- servers ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """An Oxigraph server holding the five seeds, ingested by the library as `budgetkg ingest` does."""
    with running("oxigraph", tmp_path_factory.mktemp("oxigraph")) as server:
        _fill(RemoteStore(server.url, env=server.env))
        yield server


def _fill(store) -> None:
    seeds = seed_paths()
    assert seeds, "../shared/seeds is not beside the checkout"
    assert not [o for o in ingest_many(store, seeds) if isinstance(o, Rejected)]
    refresh_policies(store)


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    """The same seeds in the embedded store, served read-only."""
    store = build_seed_store(tmp_path_factory.mktemp("embedded") / "store")
    with serve(store, "--max-rows", MAX_ROWS) as server, httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def remote(oxigraph):
    """`budgetkg serve --store URL` on the Oxigraph server, read-only (the default)."""
    with serve(oxigraph.url, "--max-rows", MAX_ROWS) as server, \
            httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def writable(oxigraph):
    """The same store served with an admin token: one worker that writes to the server."""
    with serve(oxigraph.url, env={"BUDGETKG_ADMIN_TOKEN": TOKEN}) as server, \
            httpx.Client(base_url=server.url, timeout=120) as client:
        yield client


def _query(client: httpx.Client, text: str, accept: str = "application/sparql-results+json", **params) -> httpx.Response:
    r = client.post("/sparql", data={"query": text, **params}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    return r


# --- SPARQL: the same answers ---------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", [JSON, XML, CSV])
def test_a_select_through_sparqlwrapper_answers_the_same_in_each_format(embedded, remote, fmt):
    answers = []
    for client in (embedded, remote):
        sw = SPARQLWrapper(str(client.base_url.join("/sparql")))
        sw.setQuery(PROJECT_LABELS)
        sw.setReturnFormat(fmt)
        answers.append(sw.query().response.read())
    assert answers[0].count(b"https://budgetkg.org/graph/") > 10
    assert answers[1] == answers[0]


@pytest.mark.parametrize("accept", ["text/tab-separated-values", "application/sparql-results+xml"])
def test_a_select_is_byte_for_byte_the_same_in_tsv_and_xml(embedded, remote, accept):
    body = _query(embedded, DOCUMENTS_QUERY, accept).content
    assert body.count(b"https://budgetkg.org/graph/") == len(seed_paths())
    assert _query(remote, DOCUMENTS_QUERY, accept).content == body


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_each_cookbook_query_answers_the_same(embedded, remote, query):
    """All rows, without a final LIMIT, which may cut among ties at different places."""
    text = re.sub(r"\bLIMIT\s+\d+\s*$", "", query.read_text("utf-8"))
    expected = _bindings(_query(embedded, text))
    assert expected, f"{query.name} has no rows on the seeds"
    assert _bindings(_query(remote, text)) == expected


def _bindings(r: httpx.Response) -> Counter:
    return Counter(tuple(sorted((k, tuple(sorted(v.items()))) for k, v in row.items()))
                   for row in r.json()["results"]["bindings"])


@pytest.mark.parametrize(("text", "expected"), [
    (f"ASK {{ GRAPH <{POLICIES_GRAPH}> {{ ?s ?p ?o }} }}", True),
    ("ASK { ?s <http://example.org/nothing> ?o }", False),
])
def test_ask_answers_the_same(embedded, remote, text, expected):
    for client in (embedded, remote):
        sw = SPARQLWrapper(str(client.base_url.join("/sparql")))
        sw.setQuery(text)
        sw.setReturnFormat(JSON)
        assert sw.query().convert()["boolean"] is expected


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
])
def test_construct_answers_the_same_graph_in_each_rdf_format(embedded, remote, accept, rdflib_format):
    text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{POLICIES_GRAPH}> {{ ?s ?p ?o }} }}"
    graphs = [_graph(_query(c, text, accept), rdflib_format) for c in (embedded, remote)]
    assert len(graphs[0]) > 100
    assert isomorphic(graphs[1], graphs[0])


def test_describe_answers_the_same_graph(embedded, remote):
    rows = _query(embedded, f"SELECT ?s WHERE {{ GRAPH <{POLICIES_GRAPH}> {{ ?s ?p ?o }} }} ORDER BY ?s LIMIT 1").json()
    subject = rows["results"]["bindings"][0]["s"]["value"]
    graphs = [_graph(_query(c, f"DESCRIBE <{subject}>", "text/turtle"), "turtle") for c in (embedded, remote)]
    assert len(graphs[0]) > 1 and isomorphic(graphs[1], graphs[0])


def _graph(r: httpx.Response, fmt: str) -> Graph:
    return Graph().parse(data=r.content, format=fmt)


def test_from_in_the_query_and_the_protocols_dataset_mean_the_same(embedded, remote):
    """FROM names the default graph (not the union), and the protocol's parameters win over it."""
    count = "SELECT (COUNT(*) AS ?n) {dataset} WHERE {{ ?s ?p ?o }}"
    own, union = count.format(dataset=f"FROM <{CATALOG}>"), count.format(dataset="")
    numbers = {}
    for name, client in (("embedded", embedded), ("remote", remote)):
        numbers[name] = (_count(_query(client, own)), _count(_query(client, union)),
                         _count(_query(client, own, **{"default-graph-uri": POLICIES_GRAPH})))
    catalog, everything, policies = numbers["embedded"]
    assert 0 < catalog < policies < everything
    assert numbers["remote"] == numbers["embedded"]


def _count(r: httpx.Response) -> int:
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


# --- REST and the Graph Store Protocol: the same answers -------------------------------------------
@pytest.mark.parametrize("policy", POLICIES)
def test_the_trace_endpoint_gives_the_same_json(embedded, remote, policy):
    path = f"/api/policies/{quote(policy, safe='')}/trace"
    expected = embedded.get(path)
    assert expected.status_code == 200 and expected.json()["traces"], expected.text
    assert remote.get(path).json() == expected.json()


def test_the_project_list_is_the_same(embedded, remote):
    expected = embedded.get("/api/projects", params={"limit": 1000}).json()
    assert len(expected["items"]) > 10
    assert remote.get("/api/projects", params={"limit": 1000}).json() == expected


def test_a_document_graph_read_by_the_graph_store_protocol_is_the_same(embedded, remote):
    params = {"graph": f"https://budgetkg.org/graph/{SMALL}"}
    graphs = [_graph(c.get("/rdf-graph-store", params=params, headers={"Accept": "text/turtle"}), "turtle")
              for c in (embedded, remote)]
    assert len(graphs[0]) > 100 and isomorphic(graphs[1], graphs[0])
    assert remote.get("/rdf-graph-store", params={"graph": "http://example.org/none"}).status_code == 404


# --- writing through the API to the server ------------------------------------------------------------
def test_an_update_is_refused_without_the_token_and_the_server_store_is_unchanged(oxigraph, remote, writable):
    store = RemoteStore(oxigraph.url, read_only=True)
    before = (len(store), store.documents())
    update = f"DROP GRAPH <{POLICIES_GRAPH}>"
    assert remote.post("/sparql", data={"update": update}, headers=AUTH).status_code == 403
    refused = writable.post("/sparql", data={"update": update})
    assert refused.status_code == 401 and refused.json()["error"]["status"] == 401
    assert (len(store), store.documents()) == before


def test_an_update_and_graph_store_writes_with_the_token_reach_the_server(oxigraph, writable):
    store = RemoteStore(oxigraph.url, read_only=True)
    graph = "http://example.org/scratch/notes"
    insert = f'INSERT DATA {{ GRAPH <{graph}> {{ <s> <http://example.org/p> "笔记" }} }}'
    assert writable.post("/sparql", data={"update": insert}, headers=AUTH).status_code == 204
    # the relative <s> is resolved against the endpoint's URL, as on the embedded store
    assert {q.subject.value for q in store.graph_quads(graph)} == {str(writable.base_url.join("/s"))}
    put = writable.put("/rdf-graph-store", params={"graph": graph}, content=b"<a> <b> <c> .",
                       headers={**AUTH, "Content-Type": "text/turtle"})
    assert put.status_code == 204  # replaced: the graph existed
    assert [str(q.triple) for q in store.graph_quads(graph)] == [
        "<http://example.org/scratch/a> <http://example.org/scratch/b> <http://example.org/scratch/c>"]
    assert writable.delete("/rdf-graph-store", params={"graph": graph}, headers=AUTH).status_code == 204
    assert not store.has_graph(graph)
    assert writable.get("/rdf-graph-store", params={"graph": graph}).status_code == 404


def test_an_uploaded_document_replaces_its_namesake_and_a_delete_removes_it(oxigraph, writable):
    store = RemoteStore(oxigraph.url, read_only=True)
    before, documents = len(store), store.documents()
    data = (SEEDS / SMALL).read_bytes()
    again = writable.post("/documents", params={"filename": SMALL}, content=data, headers=AUTH)
    assert again.status_code == 200 and again.json()["replaced"] is True, again.text
    assert (len(store), store.documents()) == (before, documents)  # replaced, not duplicated
    gone = writable.delete(f"/documents/{SMALL}", headers=AUTH)
    assert gone.status_code == 200 and gone.json()["deleted"] is True
    assert SMALL not in {d.source for d in store.documents()} and len(store) < before
    back = writable.post("/documents", params={"filename": SMALL}, content=data, headers=AUTH)
    assert back.status_code == 201, back.text
    assert (len(store), store.documents()) == (before, documents)


# --- a store server that fails ------------------------------------------------------------------------
def test_a_stopped_store_server_is_a_502_in_the_error_shape(tmp_path):
    with running("oxigraph", tmp_path / "oxigraph") as server, serve(server.url) as api:
        assert httpx.post(api.sparql, data={"query": "ASK {}"}).status_code == 200
        stop(server)
        for r in (httpx.post(api.sparql, data={"query": "SELECT * WHERE { ?s ?p ?o }"}),
                  httpx.get(f"{api.url}/api/policies/{quote(POLICIES[0], safe='')}/trace"),
                  httpx.get(f"{api.url}/api/projects")):
            assert r.status_code == 502, r.text
            assert r.headers["content-type"].startswith("application/json")
            error = r.json()["error"]
            assert error["status"] == 502 and error["title"] == "Store server error"
            assert "cannot reach" in error["detail"]
        with _restarted(server):  # the same server again on the same port: answered again
            assert httpx.post(api.sparql, data={"query": "ASK {}"}).status_code == 200


def test_a_worker_lost_while_the_store_server_is_down_comes_back_with_it(tmp_path):
    """A worker stopped at the time limit is replaced; while the store server is down the
    replacement cannot open the store, and it is retried until the server is back."""
    ask = QueryJob("ASK {}", negotiate(None), max_rows=10)
    with running("oxigraph", tmp_path / "oxigraph") as server:
        engine = QueryEngine(server.url, workers=1, time_limit_s=10).start()
        try:
            assert isinstance(engine.run(ask), Rendered)  # its worker has opened the store
            stop(server)
            # With the server down a query fails in well under the 1 ms the poll can wait, so the
            # job that overruns is one whose local parse alone takes longer.
            values = " ".join(f"<urn:x:{i}>" for i in range(200_000))
            slow = QueryJob(f"ASK {{ VALUES ?x {{ {values} }} }}", negotiate(None), max_rows=10)
            with pytest.raises(QueryTimeout):
                engine.run(slow, time_limit_s=0.01)  # its worker is killed; a new one cannot start
            time.sleep(5.5)  # down longer than a few quick retries would wait
            with _restarted(server):
                assert isinstance(engine.run(ask), Rendered)
        finally:
            engine.close()


@contextmanager
def _restarted(server):
    """Start a stopped server again with its own command line (same port, same data)."""
    server.process = subprocess.Popen(server.process.args, cwd=server.log.parent, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.post(server.url, data={"query": "ASK {}"}).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield server
    finally:
        stop(server)


def test_a_syntax_error_is_the_same_400_with_line_and_column(embedded, remote):
    text = "SELECT * WHERE {\n  ?s ?p\n}"
    errors = [c.post("/sparql", data={"query": text}).json()["error"] for c in (embedded, remote)]
    assert errors[0]["status"] == 400 and "line" in errors[0]
    assert errors[1] == errors[0]


# --- Virtuoso: a smoke test ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    with running("virtuoso", tmp_path_factory.mktemp("virtuoso")) as server:
        _fill(RemoteStore(server.url, env=server.env))
        with serve(server.url, "--max-rows", MAX_ROWS, env=server.env) as api, \
                httpx.Client(base_url=api.url, timeout=60) as client:
            yield client


def test_serve_on_virtuoso_answers_a_select_and_a_trace_as_the_embedded_store(embedded, virtuoso):
    assert _query(virtuoso, DOCUMENTS_QUERY).json() == _query(embedded, DOCUMENTS_QUERY).json()
    path = f"/api/policies/{quote(POLICIES[0], safe='')}/trace"
    expected = embedded.get(path).json()
    assert expected["traces"] and virtuoso.get(path).json() == expected
