"""The SPARQL 1.1 Graph Store HTTP Protocol at /rdf-graph-store, against a running `budgetkg serve`.

Read-only (no admin token): graphs are served whole in each format (and read by rdflib as a
client), HEAD answers GET's headers, unknown graphs are 404, malformed requests 400, and every
write is refused 403 with the store unchanged. With the token: PUT creates (201) or replaces
(204), POST merges, DELETE removes (204, then 404); bodies in each format are parsed by the
store's engine, a syntax error is 400 with its position, another content type 415, a large
body 413; the catalog and policies graphs and the default graph are never written. On the
seeds: writing a document's graph keeps its catalog entry and recomputes the policies graph,
deleting it removes the document; a graph written this way survives the store's recovery.
"""

from __future__ import annotations

import json

import httpx
import pytest
from apiserver import GRAPHS, build_store, serve, store_quads
from budgetkg.graph.store import CATALOG, GraphStore
from conftest import SEEDS
from rdflib import Graph
from rdflib.compare import isomorphic
from seedstore import build_seed_store

TOKEN = "gsp-admin-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PATH = "/rdf-graph-store"
POLICIES = "https://budgetkg.org/corpus/policies"
NEW = "http://example.org/graphs/new"
TURTLE = {"Content-Type": "text/turtle", **AUTH}
BODY = b'@prefix ex: <http://example.org/> .\nex:a ex:p "\xe4\xb8\xad\xe6\x96\x87"@zh ; ex:q [ ex:r 1.5 ] .\n'
FORMATS = {  # Accept → rdflib parser name
    "text/turtle": "turtle", "application/n-triples": "nt",
    "application/ld+json": "json-ld", "application/rdf+xml": "xml",
}
MAX_BODY = 200_000


def stored_graph(path, graph: str) -> Graph:
    """The graph as the store holds it, read directly (before a server opens the store)."""
    store = GraphStore(path, read_only=True)
    rows = store.engine.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return Graph().parse(data=b"".join(str(t).encode() + b" .\n" for t in rows), format="nt")


def parsed(response: httpx.Response, fmt: str = "turtle") -> Graph:
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.content, format=fmt)


def error(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()["error"]
    assert body["status"] == status
    return body


@pytest.fixture(scope="module")
def readonly(tmp_path_factory):
    path = build_store(tmp_path_factory.mktemp("gsp-ro") / "store")
    expected, before = stored_graph(path, GRAPHS["dept-a"]), store_quads(path)
    with serve(path) as running, httpx.Client(base_url=running.url, timeout=30) as client:
        client.expected = expected
        yield client
    assert store_quads(path) == before  # no request of the module changed the store


@pytest.fixture(scope="module")
def admin(tmp_path_factory):
    path = build_store(tmp_path_factory.mktemp("gsp-admin") / "store")
    env = {"BUDGETKG_ADMIN_TOKEN": TOKEN}
    with serve(path, "--max-body-bytes", str(MAX_BODY), env=env) as running, \
            httpx.Client(base_url=running.url, timeout=60) as client:
        yield client


# --- reading ---------------------------------------------------------------------------------
@pytest.mark.parametrize("accept", FORMATS)
def test_get_serves_a_named_graph_whole_in_each_format(readonly, accept):
    r = readonly.get(PATH, params={"graph": GRAPHS["dept-a"]}, headers={"Accept": accept})
    assert r.headers["content-type"].split(";")[0] == accept
    assert isomorphic(parsed(r, FORMATS[accept]), readonly.expected)


def test_get_without_accept_is_turtle_and_head_has_the_same_headers(readonly):
    params = {"graph": GRAPHS["dept-b"]}
    got, head = readonly.get(PATH, params=params), readonly.head(PATH, params=params)
    assert got.headers["content-type"] == "text/turtle; charset=utf-8"
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert int(head.headers["content-length"]) == len(got.content)
    assert readonly.head(PATH, params={"graph": NEW}).status_code == 404


def test_get_default_is_the_union_of_the_named_graphs(readonly):
    union = parsed(readonly.get(PATH + "?default"))
    count = readonly.post("/sparql", data={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    assert len(union) == int(count.json()["results"]["bindings"][0]["n"]["value"])
    assert len(union) > len(readonly.expected)


def test_rdflib_reads_a_graph_over_the_protocol(readonly):
    url = f"{readonly.base_url}{PATH}?graph={GRAPHS['dept-a']}"
    assert isomorphic(Graph().parse(url, format="turtle"), readonly.expected)


def test_an_unknown_graph_is_404(readonly):
    body = error(readonly.get(PATH, params={"graph": NEW}), 404)
    assert body["graph"] == NEW


@pytest.mark.parametrize("query", [
    "", "graph=relative/iri", f"graph={NEW}&graph={NEW}2", f"graph={NEW}&default", "default&default", "graph=%FF",
])
def test_a_request_that_does_not_name_one_graph_is_400(readonly, query):
    error(readonly.get(f"{PATH}?{query}"), 400)


def test_an_accept_header_without_an_rdf_format_is_406(readonly):
    r = readonly.get(PATH, params={"graph": GRAPHS["dept-a"]}, headers={"Accept": "application/sparql-results+json"})
    assert error(r, 406)["title"] == "Not Acceptable"


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_every_write_is_refused_403_on_a_read_only_server(readonly, method):
    for graph in (GRAPHS["dept-a"], NEW, CATALOG):
        r = readonly.request(method, PATH, params={"graph": graph}, content=BODY, headers=TURTLE)
        assert error(r, 403)["title"] == "Forbidden"
    assert error(readonly.request(method, PATH, params={"graph": NEW}), 403)  # no body, no token


# --- writing with the admin token --------------------------------------------------------------
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}])
def test_a_write_without_the_right_token_is_401_and_changes_nothing(admin, headers):
    before = admin.get(PATH, params={"graph": GRAPHS["dept-a"]}).content
    for method in ("PUT", "POST", "DELETE"):
        r = admin.request(method, PATH, params={"graph": GRAPHS["dept-a"]}, content=BODY,
                          headers={"Content-Type": "text/turtle", **headers})
        error(r, 401)
        assert r.headers["www-authenticate"].startswith("Bearer")
    assert admin.get(PATH, params={"graph": GRAPHS["dept-a"]}).content == before
    assert admin.get(PATH, params={"graph": NEW}).status_code == 404


def test_put_creates_then_replaces_post_merges_delete_removes(admin):
    graph = NEW + "/lifecycle"
    assert admin.put(PATH, params={"graph": graph}, content=BODY, headers=TURTLE).status_code == 201
    assert isomorphic(parsed(admin.get(PATH, params={"graph": graph})), Graph().parse(data=BODY, format="turtle"))
    other = b'<http://example.org/b> <http://example.org/p> "2" .\n'
    assert admin.put(PATH, params={"graph": graph}, content=other, headers=TURTLE).status_code == 204
    assert len(parsed(admin.get(PATH, params={"graph": graph}))) == 1
    assert admin.post(PATH, params={"graph": graph}, content=BODY, headers=TURTLE).status_code == 204
    assert len(parsed(admin.get(PATH, params={"graph": graph}))) == 4
    ask = f"ASK {{ GRAPH <{graph}> {{ <http://example.org/b> ?p ?o }} }}"
    assert admin.get("/sparql", params={"query": ask}).json()["boolean"] is True
    assert admin.delete(PATH, params={"graph": graph}, headers=AUTH).status_code == 204
    error(admin.get(PATH, params={"graph": graph}), 404)
    error(admin.delete(PATH, params={"graph": graph}, headers=AUTH), 404)


def test_post_to_an_absent_graph_creates_it_201(admin):
    graph = NEW + "/posted"
    assert admin.post(PATH, params={"graph": graph}, content=BODY, headers=TURTLE).status_code == 201
    assert admin.delete(PATH, params={"graph": graph}, headers=AUTH).status_code == 204


def test_put_with_an_empty_body_leaves_an_empty_graph(admin):
    graph = NEW + "/empty"
    assert admin.put(PATH, params={"graph": graph}, content=b"", headers=TURTLE).status_code == 201
    assert len(parsed(admin.get(PATH, params={"graph": graph}))) == 0
    assert admin.delete(PATH, params={"graph": graph}, headers=AUTH).status_code == 204


@pytest.mark.parametrize("accept", FORMATS)
def test_a_body_in_each_format_round_trips(admin, accept):
    source = admin.get(PATH, params={"graph": GRAPHS["dept-c"]}, headers={"Accept": accept})
    graph = f"{NEW}/copy-{FORMATS[accept]}"
    r = admin.put(PATH, params={"graph": graph}, content=source.content, headers={"Content-Type": accept, **AUTH})
    assert r.status_code == 201, r.text
    assert isomorphic(parsed(admin.get(PATH, params={"graph": graph})), parsed(source, FORMATS[accept]))
    assert admin.delete(PATH, params={"graph": graph}, headers=AUTH).status_code == 204


def test_an_unparseable_body_is_400_with_the_parsers_position_and_changes_nothing(admin):
    before = admin.get(PATH, params={"graph": GRAPHS["dept-a"]}).content
    r = admin.put(PATH, params={"graph": GRAPHS["dept-a"]}, content=b"<a> <b> <c> .\n<x> <y> ", headers=TURTLE)
    body = error(r, 400)
    assert body["title"] == "RDF syntax error" and (body["line"], body["column"]) == (2, 9)
    assert admin.get(PATH, params={"graph": GRAPHS["dept-a"]}).content == before


@pytest.mark.parametrize("body", [
    {"@context": "http://127.0.0.1:9/remote-context.jsonld", "@id": "http://example.org/a", "name": "x"},
    {"@id": "http://example.org/g", "@graph": [{"@id": "http://example.org/a", "http://example.org/p": "x"}]},
])
def test_a_json_ld_body_with_a_remote_context_or_a_named_graph_is_400(admin, body):
    headers = {"Content-Type": "application/ld+json", **AUTH}
    r = admin.put(PATH, params={"graph": NEW + "/jsonld"}, content=json.dumps(body).encode(), headers=headers)
    assert error(r, 400)["title"] == "RDF syntax error"
    error(admin.get(PATH, params={"graph": NEW + "/jsonld"}), 404)


@pytest.mark.parametrize("content_type", [None, "application/octet-stream", "application/sparql-update",
                                          "text/turtle; charset=latin-1"])
def test_a_body_of_another_content_type_is_415(admin, content_type):
    headers = {**AUTH, **({"Content-Type": content_type} if content_type else {})}
    r = admin.put(PATH, params={"graph": NEW + "/typed"}, content=BODY, headers=headers)
    assert error(r, 415)["title"] == "Unsupported Media Type"
    error(admin.get(PATH, params={"graph": NEW + "/typed"}), 404)


def test_a_body_over_the_limit_is_413(admin):
    big = b"<http://example.org/a> <http://example.org/p> \"" + b"x" * MAX_BODY + b"\" .\n"
    r = admin.put(PATH, params={"graph": NEW + "/big"}, content=big, headers=TURTLE)
    assert error(r, 413)["limit_bytes"] == MAX_BODY
    error(admin.get(PATH, params={"graph": NEW + "/big"}), 404)


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
@pytest.mark.parametrize("graph", [CATALOG, POLICIES])
def test_the_graphs_the_store_maintains_are_never_written(admin, method, graph):
    r = admin.request(method, PATH, params={"graph": graph}, content=BODY, headers=TURTLE)
    assert error(r, 403)["graph"] == graph


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_the_default_graph_cannot_be_written_405(admin, method):
    r = admin.request(method, PATH + "?default", content=BODY, headers=TURTLE)
    error(r, 405)
    assert r.headers["allow"] == "GET, HEAD"


# --- the store's invariants, on the seeds --------------------------------------------------------
KEEP, DROP = "003_b734d3efdd82c317.txt", "004_1402e20b80f22cb8.txt"


def doc_graph(name: str) -> str:
    return "https://budgetkg.org/graph/" + name


def catalogued(client) -> set[str]:
    q = f"SELECT ?g WHERE {{ GRAPH <{CATALOG}> {{ ?g <https://budgetkg.org/ontology#sourceFile> ?s }} }}"
    rows = client.get("/sparql", params={"query": q}).json()["results"]["bindings"]
    return {row["g"]["value"] for row in rows}


def policy_count(client) -> int:
    return len(client.get("/api/policies", params={"limit": 1000}).json()["items"])


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    path = build_seed_store(tmp_path_factory.mktemp("gsp-seeds") / "store", [SEEDS / KEEP, SEEDS / DROP])
    with serve(path, env={"BUDGETKG_ADMIN_TOKEN": TOKEN}) as running, \
            httpx.Client(base_url=running.url, timeout=60) as client:
        yield client


def cited_only_in(client, source: str) -> str:
    """The trace URL of a policy whose every link comes from `source`."""
    for item in client.get("/api/policies", params={"limit": 1000}).json()["items"]:
        traces = client.get(item["trace_url"]).json()["traces"]
        links = [link for t in traces for link in t["links"]]
        if links and all(link["source"] == source for link in links):
            return item["trace_url"]
    raise AssertionError(f"no policy is cited only in {source}")


def test_replacing_a_documents_graph_keeps_its_entry_and_recomputes_the_policies(seeds):
    documents, policies, trace = catalogued(seeds), policy_count(seeds), cited_only_in(seeds, KEEP)
    r = seeds.put(PATH, params={"graph": doc_graph(KEEP)}, content=BODY, headers=TURTLE)
    assert r.status_code == 204, r.text
    assert catalogued(seeds) == documents
    assert 0 < policy_count(seeds) < policies  # the citations of KEEP are gone with its triples
    assert seeds.get(trace).status_code == 404  # a writable server keeps no stale trace


def test_deleting_a_documents_graph_removes_the_document(seeds):
    assert seeds.delete(PATH, params={"graph": doc_graph(DROP)}, headers=AUTH).status_code == 204
    assert doc_graph(DROP) not in catalogued(seeds)
    assert policy_count(seeds) == 0
    assert seeds.delete(f"/documents/{DROP}", headers=AUTH).status_code == 404


def test_a_graph_written_by_the_protocol_survives_the_stores_recovery(tmp_path):
    path = build_store(tmp_path / "store")
    with serve(path, env={"BUDGETKG_ADMIN_TOKEN": TOKEN}) as running:
        r = httpx.put(running.url + PATH, params={"graph": NEW}, content=BODY, headers=TURTLE)
        assert r.status_code == 201
    assert GraphStore(path).recover() == []  # opening for writing ran recovery too
    with serve(path) as running:
        assert len(parsed(httpx.get(running.url + PATH, params={"graph": NEW}))) == 3
