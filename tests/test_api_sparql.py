"""The SPARQL 1.1 endpoint against a running `budgetkg serve`, with real clients.

SPARQLWrapper and rdflib's SPARQLStore for every query form and result format; raw HTTP for the
SPARQL 1.1 Protocol recommendation's test cases (named after them: query_post_form,
bad_query_method, ...), adapted to this store's graphs; content negotiation; the dataset
parameters; the row limit; the error shape; the query page.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from apiserver import EX, GRAPHS, build_store, serve
from budgetkg.api import serialize
from budgetkg.api.jobs import RowsJob
from budgetkg.api.settings import SETTINGS
from budgetkg.api.worker import execute
from budgetkg.graph.store import GraphStore
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = 4
MAX_ROWS = 30
ALL_PROJECTS = f"SELECT ?p ?label ?amount WHERE {{ ?p a <{EX}Project> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label ; <{EX}amount> ?amount }} ORDER BY ?p"
CONSTRUCT_A = f"CONSTRUCT {{ ?p <{EX}department> ?d }} WHERE {{ ?p <{EX}department> ?d . FILTER(?d = <{EX}dept-a>) }}"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("api")
    store = build_store(base / "store", projects=PROJECTS)
    examples = base / "queries"
    examples.mkdir()
    (examples / "b_projects.rq").write_text("# 全部项目 All projects\n" + ALL_PROJECTS + "\n", "utf-8")
    (examples / "a_count.rq").write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n", "utf-8")
    with serve(store, "--max-rows", str(MAX_ROWS), "--examples-dir", str(examples)) as running:
        yield running


def _wrapper(server, query: str, fmt: str, method: str | None = None) -> SPARQLWrapper:
    sw = SPARQLWrapper(server.sparql)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method:
        sw.setMethod(POST)
        sw.setRequestMethod(method)
    return sw


# --- real clients ---------------------------------------------------------------------------
@pytest.mark.parametrize("method", [None, "urlencoded", POSTDIRECTLY])
def test_sparqlwrapper_select_json_by_get_form_post_and_direct_post(server, method):
    result = _wrapper(server, ALL_PROJECTS, JSON, method).query().convert()
    rows = result["results"]["bindings"]
    assert len(rows) == 3 * PROJECTS
    first = rows[0]
    assert first["label"]["xml:lang"] == "zh" and first["label"]["value"].startswith("项目 0")
    assert first["amount"] == {"type": "literal", "value": "1000.5",
                               "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}


def test_sparqlwrapper_select_xml(server):
    doc = _wrapper(server, ALL_PROJECTS, XML).query().convert()
    results = doc.getElementsByTagName("result")
    assert len(results) == 3 * PROJECTS
    assert doc.getElementsByTagName("literal")[0].getAttribute("xml:lang") == "zh"


def test_sparqlwrapper_select_csv_keeps_commas_quotes_and_newlines_in_one_cell(server):
    body = _wrapper(server, ALL_PROJECTS, CSV).query().convert()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    assert rows[0] == ["p", "label", "amount"]
    assert len(rows) == 1 + 3 * PROJECTS
    assert rows[1][1] == '项目 0，含"引号"与逗号,换行\n结束' and rows[1][2] == "1000.5"


def test_sparqlwrapper_select_tsv_writes_terms_in_ntriples_syntax(server):
    body = _wrapper(server, ALL_PROJECTS, TSV).query().convert().decode("utf-8")
    lines = body.rstrip("\n").split("\n")
    assert lines[0] == "?p\t?label\t?amount"
    assert len(lines) == 1 + 3 * PROJECTS  # the newline inside a label is escaped
    assert lines[1].startswith(f"<{EX}dept-a/project/0>\t\"项目 0")
    assert lines[1].endswith('"1000.5"^^<http://www.w3.org/2001/XMLSchema#decimal>')


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(server, fmt):
    yes = _wrapper(server, f"ASK {{ <{EX}dept-a> a <{EX}Department> }}", fmt).query().convert()
    no = _wrapper(server, f"ASK {{ <{EX}dept-z> a <{EX}Department> }}", fmt).query().convert()
    if fmt == JSON:
        assert (yes["boolean"], no["boolean"]) == (True, False)
    else:
        assert [d.getElementsByTagName("boolean")[0].firstChild.data for d in (yes, no)] == ["true", "false"]


@pytest.mark.parametrize("fmt", [TURTLE, N3, JSONLD, RDFXML])
def test_sparqlwrapper_construct_in_each_rdf_format(server, fmt):
    converted = _wrapper(server, CONSTRUCT_A, fmt).query().convert()
    graph = converted if isinstance(converted, Graph) else Graph().parse(data=converted, format="turtle")
    assert len(graph) == PROJECTS
    assert set(graph.objects()) == {URIRef(EX + "dept-a")}


def test_rdflib_sparqlstore_select_ask_and_construct(server):
    graph = Graph(store=SPARQLStore(query_endpoint=server.sparql))
    rows = list(graph.query(ALL_PROJECTS))
    assert len(rows) == 3 * PROJECTS and str(rows[0].label).startswith("项目 0")
    assert graph.query(f"ASK {{ <{EX}dept-b> ?p ?o }}").askAnswer is True
    assert len(graph.query(CONSTRUCT_A).graph) == PROJECTS


# --- the SPARQL 1.1 Protocol recommendation's cases ------------------------------------------
def _get(server, path: str = "/sparql", **kwargs) -> httpx.Response:
    return httpx.get(server.url + path, timeout=10, **kwargs)


def _post(server, body: bytes | str, content_type: str | None, path: str = "/sparql/", **kwargs) -> httpx.Response:
    headers = {"Content-Type": content_type} if content_type else {}
    headers.update(kwargs.pop("headers", {}))
    data = body.encode("utf-8") if isinstance(body, str) else body
    return httpx.post(server.url + path, content=data, headers=headers, timeout=10, **kwargs)


def _boolean(response: httpx.Response) -> bool:
    assert response.status_code == 200, response.text
    return json.loads(response.content)["boolean"]


def _q(text: str) -> str:
    return httpx.QueryParams({"query": text}).__str__()


def test_query_get(server):
    assert _boolean(_get(server, "/sparql/?query=ASK%20%7B%7D&default-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata0.rdf"))


def test_query_post_form_with_dataset_in_the_url(server):
    r = _post(server, "query=ASK%20%7B%7D", "application/x-www-form-urlencoded",
              path="/sparql/?default-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata0.rdf")
    assert _boolean(r)


def test_query_post_direct(server):
    assert _boolean(_post(server, "ASK {}", "application/sparql-query"))


def test_query_dataset_default_graphs_get_replaces_the_union(server):
    ask_both = f"ASK {{ <{EX}dept-a> a ?t . <{EX}dept-b> a ?t }}"
    both = "&".join(f"default-graph-uri={GRAPHS[n]}" for n in ("dept-a", "dept-b"))
    assert _boolean(_get(server, f"/sparql?{_q(ask_both)}&{both}"))
    only_c = f"default-graph-uri={GRAPHS['dept-c']}"
    assert not _boolean(_get(server, f"/sparql?{_q(ask_both)}&{only_c}"))
    assert not _boolean(_get(server, f"/sparql?{_q(f'ASK {{ <{EX}dept-a> ?p ?o }}')}&{only_c}"))


def test_query_dataset_default_graphs_post(server):
    query = f"ASK {{ <{EX}dept-a> a ?t . <{EX}dept-b> a ?t }}"
    path = "/sparql/?" + "&".join(f"default-graph-uri={GRAPHS[n]}" for n in ("dept-a", "dept-b"))
    assert _boolean(_post(server, query, "application/sparql-query", path=path))


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_query_dataset_named_graphs_leave_the_default_graph_empty(server, method):
    query = (f"ASK {{ GRAPH ?g1 {{ <{EX}dept-a> a ?t }} GRAPH ?g2 {{ <{EX}dept-b> a ?t }} "
             f"FILTER NOT EXISTS {{ GRAPH ?g3 {{ <{EX}dept-c> ?p ?o }} }} }}")
    named = "&".join(f"named-graph-uri={GRAPHS[n]}" for n in ("dept-a", "dept-b"))
    if method == "GET":
        r = _get(server, f"/sparql?{_q(query)}&{named}")
    else:
        r = _post(server, query, "application/sparql-query", path="/sparql/?" + named)
    assert _boolean(r)
    default_empty = _get(server, f"/sparql?{_q('ASK { ?s ?p ?o }')}&{named}")
    assert not _boolean(default_empty)


def test_query_dataset_full(server):
    query = (f"ASK {{ <{EX}dept-c> a ?t GRAPH ?g1 {{ <{EX}dept-a> a ?t }} GRAPH ?g2 {{ <{EX}dept-b> a ?t }} }}")
    path = (f"/sparql/?default-graph-uri={GRAPHS['dept-c']}&named-graph-uri={GRAPHS['dept-a']}"
            f"&named-graph-uri={GRAPHS['dept-b']}")
    assert _boolean(_post(server, query, "application/sparql-query", path=path))


def test_query_multiple_dataset_protocol_wins_over_from(server):
    query = f"ASK FROM <{GRAPHS['dept-c']}> {{ <{EX}dept-a> a ?t }}"
    assert not _boolean(_post(server, query, "application/sparql-query"))  # FROM alone is obeyed
    path = f"/sparql/?default-graph-uri={GRAPHS['dept-a']}"
    assert _boolean(_post(server, query, "application/sparql-query", path=path))


def test_without_any_dataset_the_default_graph_is_the_union_of_documents(server):
    query = f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a <{EX}Department> }}"
    r = _get(server, f"/sparql?{_q(query)}")
    assert json.loads(r.content)["results"]["bindings"][0]["n"]["value"] == "3"


@pytest.mark.parametrize("query, kind", [
    ("SELECT (1 AS ?value) {}", "application/sparql-results+json"),
    ("ASK {}", "application/sparql-results+json"),
    ("DESCRIBE <http://example.org/>", "text/turtle"),
    ("CONSTRUCT { <s> <p> 1 } WHERE {}", "text/turtle"),
])
def test_query_content_type_by_form(server, query, kind):
    r = _post(server, query, "application/sparql-query")
    assert r.status_code == 200 and r.headers["content-type"].startswith(kind)


@pytest.mark.parametrize("name, method, path, body, content_type, status", [
    ("bad_query_method", "PUT", "/sparql/?query=ASK%20%7B%7D", b"", "application/x-www-form-urlencoded", 405),
    ("bad_multiple_queries", "GET", "/sparql/?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", None, None, 400),
    ("bad_missing_query", "GET", "/sparql", None, None, 400),
    ("bad_query_wrong_media_type", "POST", "/sparql/", b"ASK {}", "text/plain", 415),
    ("bad_query_missing_form_type", "POST", "/sparql/", b"query=ASK%20%7B%7D", None, 415),
    ("bad_query_missing_direct_type", "POST", "/sparql/", b"ASK {}", None, 415),
    ("bad_query_non_utf8", "POST", "/sparql/", "ASK {}".encode("utf-16"), "application/sparql-query; charset=UTF-16", 415),
    ("bad_query_non_utf8_bytes", "POST", "/sparql/", "ASK { ?s ?p '预算' }".encode("gb18030"), "application/sparql-query", 400),
    ("bad_query_syntax", "GET", "/sparql/?query=ASK%20%7B", None, None, 400),
    ("bad_update_get", "GET", "/sparql/?update=CLEAR%20ALL", None, None, 400),
    ("bad_multiple_updates", "POST", "/sparql/", b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", "application/x-www-form-urlencoded", 400),
    ("bad_update_wrong_media_type", "POST", "/sparql/", b"CLEAR NAMED", "text/plain", 415),
    ("bad_update_missing_form_type", "POST", "/sparql/", b"update=CLEAR%20NAMED", None, 415),
    ("bad_update_non_utf8", "POST", "/sparql/", "CLEAR NAMED".encode("utf-16"), "application/sparql-update; charset=UTF-16", 415),
    ("bad_update_dataset_conflict", "POST", "/sparql/?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",
     b"WITH <http://example/addresses> DELETE { ?p <http://x/n> 'Bill' } WHERE { ?p <http://x/n> 'Bill' }",
     "application/sparql-update", 400),
    ("bad_query_and_update", "POST", "/sparql", b"query=ASK%7B%7D&update=CLEAR%20ALL", "application/x-www-form-urlencoded", 400),
])
def test_malformed_protocol_requests_get_4xx_in_the_error_shape(server, name, method, path, body, content_type, status):
    headers = {"Content-Type": content_type} if content_type else {}
    r = httpx.request(method, server.url + path, content=body, headers=headers, timeout=10)
    assert r.status_code == status, (name, r.text)
    _assert_error_shape(r)


def test_a_syntax_error_gives_the_message_line_and_column(server):
    r = _get(server, "/sparql?" + _q("SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?o = ) }"))
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["title"] == "Query syntax error"
    assert error["line"] == 3 and isinstance(error["column"], int)  # the engine's position
    assert error["detail"].startswith("error at 3:")


def test_a_bad_graph_iri_in_the_dataset_is_a_400(server):
    r = _get(server, "/sparql?" + _q("ASK {}") + "&default-graph-uri=not%20an%20iri")
    assert r.status_code == 400
    _assert_error_shape(r)


# --- content negotiation ------------------------------------------------------------------
@pytest.mark.parametrize("accept, expected", [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv, application/sparql-results+json;q=0.2", "text/csv"),
    ("text/*;q=0.3, text/tab-separated-values;q=0.9", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+xml"),
])
def test_select_format_follows_accept_and_its_q_values(server, accept, expected):
    headers = {"Accept": accept} if accept else {}
    r = _get(server, "/sparql?" + _q("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"), headers=headers)
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == expected
    assert r.headers["vary"] == "Accept"


@pytest.mark.parametrize("accept, expected", [
    ("application/n-triples", "application/n-triples"),
    ("application/ld+json", "application/ld+json"),
    ("application/rdf+xml;q=0.9, text/turtle;q=0.1", "application/rdf+xml"),
])
def test_construct_format_follows_accept(server, accept, expected):
    r = _get(server, "/sparql?" + _q(CONSTRUCT_A), headers={"Accept": accept})
    assert r.headers["content-type"].split(";")[0] == expected
    fmt = {"application/n-triples": "nt", "application/ld+json": "json-ld", "application/rdf+xml": "xml"}[expected]
    assert len(Graph().parse(data=r.content, format=fmt)) == PROJECTS


def test_no_acceptable_format_is_406(server):
    r = _get(server, "/sparql?" + _q(CONSTRUCT_A), headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 406
    _assert_error_shape(r)


# --- row limit ------------------------------------------------------------------------------
def test_select_past_the_row_limit_is_cut_and_marked_truncated(server):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    r = _get(server, "/sparql?" + _q(query))
    body = r.json()
    assert r.headers["x-truncated"] == "true" and body["truncated"] is True
    assert len(body["results"]["bindings"]) == MAX_ROWS
    parsed = ox.parse_query_results(r.content, format=ox.QueryResultsFormat.JSON)  # still standard
    assert len(list(parsed)) == MAX_ROWS
    csv_rows = _get(server, "/sparql?" + _q(query), headers={"Accept": "text/csv"})
    assert csv_rows.headers["x-truncated"] == "true" and csv_rows.text.count("\r\n") == MAX_ROWS + 1


def test_a_result_within_the_limit_is_not_marked(server):
    r = _get(server, "/sparql?" + _q(ALL_PROJECTS))
    assert r.headers["x-truncated"] == "false" and "truncated" not in r.json()


def test_construct_past_the_row_limit_is_cut(server):
    r = _get(server, "/sparql?" + _q("CONSTRUCT WHERE { ?s ?p ?o }"), headers={"Accept": "application/n-triples"})
    assert r.headers["x-truncated"] == "true"
    assert len(Graph().parse(data=r.content, format="nt")) == MAX_ROWS


# --- the writers for cut results match pyoxigraph's own --------------------------------------
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_bounded_writers_agree_with_pyoxigraph_on_a_whole_result(tmp_path, fmt):
    store = ox.Store()
    g = ox.NamedNode("http://g")
    for term in [ox.Literal("中文,\"q\"\n\tx", language="zh"), ox.Literal("12.50", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
                 ox.Literal("<&>"), ox.NamedNode("http://e/o?a=1&b=%3C2%3E"), ox.BlankNode("b7")]:
        store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), term, g))
    query = "SELECT ?s ?o ?unbound WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY STR(?o)"
    oxfmt = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
             "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[fmt]
    theirs = store.query(query).serialize(format=oxfmt)
    result = store.query(query)
    rows, cut = serialize.first(result, 100)
    _, ours = serialize.solutions([v.value for v in result.variables], rows, fmt, cut)
    if fmt == "csv":
        assert ours == theirs
    else:
        assert _parsed(ours, oxfmt) == _parsed(theirs, oxfmt)


def _parsed(body: bytes, fmt) -> list:
    result = ox.parse_query_results(body, format=fmt)
    names = [v.value for v in result.variables]
    return [names] + [[str(row[n]) if row[n] is not None else None for n in names] for row in result]


# --- one error shape --------------------------------------------------------------------------
def _assert_error_shape(r: httpx.Response) -> None:
    assert r.headers["content-type"].startswith("application/json")
    error = r.json()["error"]
    assert error["status"] == r.status_code
    assert isinstance(error["title"], str) and error["title"]
    assert isinstance(error["detail"], str) and error["detail"]


@pytest.mark.parametrize("method, path", [("GET", "/no/such/page"), ("DELETE", "/sparql"), ("GET", "/static/nothing.js")])
def test_framework_errors_use_the_same_shape(server, method, path):
    r = httpx.request(method, server.url + path, timeout=10)
    assert r.status_code in (404, 405)
    _assert_error_shape(r)


# --- the query page --------------------------------------------------------------------------
def test_the_page_lists_the_example_queries(server):
    examples = _get(server, "/examples").json()
    assert [e["name"] for e in examples] == ["a_count", "b_projects"]
    assert examples[1]["title"] == "全部项目 All projects"
    assert examples[0]["title"] == "a_count"
    r = _get(server, "/sparql?" + _q(examples[1]["query"]))
    assert len(r.json()["results"]["bindings"]) == 3 * PROJECTS


def test_every_example_query_in_docs_runs(server):
    folder = ROOT / "docs" / "queries"
    for path in sorted(folder.glob("*.rq")) if folder.is_dir() else []:
        r = _post(server, path.read_text("utf-8"), "application/sparql-query")
        assert r.status_code == 200, (path.name, r.text)


# --- docs that cannot drift ----------------------------------------------------------------
def test_docs_name_every_setting_and_status():
    doc = (ROOT / "docs" / "api.md").read_text("utf-8")
    for setting in SETTINGS:
        assert setting.env in doc, setting.name
        if setting.cli:
            assert setting.flag in doc, setting.name
    for status in ("400", "401", "403", "405", "406", "413", "415", "503"):
        assert f"| {status} " in doc, status


def test_the_openapi_schema_describes_the_endpoint(server):
    schema = _get(server, "/openapi.json").json()
    names = {p["name"] for p in schema["paths"]["/sparql"]["get"]["parameters"]}
    assert {"query", "default-graph-uri", "named-graph-uri"} <= names


# --- the seam for the REST endpoints ------------------------------------------------------
def test_rows_job_returns_plain_rows_and_the_truncated_flag(tmp_path):
    store = GraphStore(build_store(tmp_path / "store"), read_only=True)
    answer = execute(store, RowsJob(ALL_PROJECTS, max_rows=5))
    assert answer.truncated and len(answer.rows) == 5
    assert answer.rows[0]["amount"] == "1000.5" and answer.rows[0]["label"].startswith("项目 0")
    refused = execute(store, RowsJob("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", 5))
    assert refused.status == 403
