"""The store on real SPARQL servers (Oxigraph server, Virtuoso) answers as the embedded store does.

The five seeds are ingested into the embedded store and into each server (started here on
loopback, tests/servers.py); every cookbook query, the trace of several policies and projects,
documents(), stats and an export must then be equal. A server that cannot start fails the
tests: CI installs both (.ci/run).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from budgetkg.graph.export import export_rdf, select_graphs
from budgetkg.graph.ingest import Ingested, ingest_file, ingest_many
from budgetkg.graph.policy_graph import refresh_policies
from budgetkg.graph.remote_store import (
    RemoteStore,
    endpoints_for,
    has_dataset,
    query_form,
    standard_json,
)
from budgetkg.graph.stats import store_stats
from budgetkg.graph.store import CATALOG, GraphStore, StoredDocument, StoreError
from budgetkg.graph.store_api import open_location
from budgetkg.graph.trace import find_policies, trace_policy, trace_project
from conftest import ROOT, seed_paths
from servers import SERVERS, running

BIN = Path(sys.executable).with_name("budgetkg")
QUERIES = sorted((ROOT / "docs" / "queries").glob("*.rq"))
POLICIES = ("国发〔2021〕9号", "晋政办发〔2021〕42号", "全民科学素质行动规划纲要")
PROJECTS = ("科普经费", "科技")
KNOWN_SERVER_FAULTS = {
    ("virtuoso", "co_citation.rq"): "Virtuoso 7.2.5 leaves out 3 of the 976 pairs (all with 国科发政〔2019〕313号), "
    "which it does list when the same query is narrowed to that policy: a fault of its query engine "
    "that does not show on every run (a clean-clone CI run once got all 976), so not a strict xfail",
}
NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in ("decimal", "integer", "double", "float")}


@pytest.fixture(scope="module")
def embedded(tmp_path_factory) -> GraphStore:
    return _filled(GraphStore(tmp_path_factory.mktemp("embedded") / "store"))


@pytest.fixture(scope="module", params=SERVERS)
def server(request, tmp_path_factory):
    with running(request.param, tmp_path_factory.mktemp(request.param)) as server:
        yield server


@pytest.fixture(scope="module")
def remote(server) -> RemoteStore:
    return _filled(RemoteStore(server.url, env=server.env))


def _filled(store):
    seeds = seed_paths()
    assert seeds, "../shared/seeds is not beside the checkout"
    outcomes = list(ingest_many(store, seeds))
    assert all(isinstance(o, Ingested) for o in outcomes), outcomes
    refresh_policies(store)
    return store


def _rows(store_or_result, sparql: str | None = None) -> Counter:
    """A SELECT's rows as a multiset, numbers compared as numbers (servers write them differently)."""
    result = store_or_result if sparql is None else store_or_result.select(sparql)
    names = [v.value for v in result.variables]
    return Counter(tuple((n, _cell(row[n])) for n in names) for row in result)


# Queries listing each pair once by `?a < ?b` (string order, which differs on Virtuoso), and the
# order of GROUP_CONCAT, which SPARQL leaves to the server: compared without their order.
PAIRS = {"co_citation.rq": (("a", "aLabel"), ("b", "bLabel")),
         "departments_sharing_policies.rq": (("deptA",), ("deptB",))}
CONCATENATED = {"examples": " | "}


def _unordered(query: str, rows: Counter) -> Counter:
    out: Counter = Counter()
    for row, n in rows.items():
        cells = {k: (tuple(sorted(v.split(CONCATENATED[k]))) if k in CONCATENATED and v else v) for k, v in row}
        if query in PAIRS:
            a, b = ({k: cells.pop(k) for k in side} for side in PAIRS[query])
            cells["pair"] = frozenset((tuple(a.values()), tuple(b.values())))
        out[frozenset(cells.items())] += n
    return out


def _cell(term):
    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype.value in NUMERIC:
        return round(float(term.value), 6)
    return term.value


# --- equal answers ----------------------------------------------------------------------------------
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_each_cookbook_query_answers_the_same_on_the_server(request, server, embedded, remote, query):
    """All rows, without the query's LIMIT: Virtuoso orders Chinese text otherwise than by code
    point (SPARQL's order), so where a LIMIT cuts among equal counts differs by server."""
    if (server.name, query.name) in KNOWN_SERVER_FAULTS:
        request.applymarker(pytest.mark.xfail(strict=False, reason=KNOWN_SERVER_FAULTS[(server.name, query.name)]))
    text = re.sub(r"\bLIMIT\s+\d+\s*$", "", query.read_text("utf-8"))
    expected = _unordered(query.name, _rows(embedded, text))
    assert expected, f"{query.name} has no rows on the seeds"
    assert _unordered(query.name, _rows(remote, text)) == expected


@pytest.mark.parametrize("text", POLICIES)
def test_trace_of_a_policy_gives_the_same_projects_funds_and_kpis(embedded, remote, text):
    mine = find_policies(embedded, text)
    assert mine and find_policies(remote, text) == mine
    for policy in mine:
        expected = trace_policy(embedded, policy, ("legal_basis", "implementing_rule", "mentioned"))
        assert expected.projects > 0
        assert trace_policy(remote, policy, ("legal_basis", "implementing_rule", "mentioned")) == expected


@pytest.mark.parametrize("text", PROJECTS)
def test_trace_of_a_project_gives_the_same_policies(embedded, remote, text):
    expected = trace_project(embedded, text)
    assert expected and trace_project(remote, text) == expected


def test_documents_stats_and_triple_counts_are_the_same(embedded, remote):
    assert remote.documents() == embedded.documents()
    assert len(remote) == len(embedded)
    assert store_stats(remote) == store_stats(embedded)


def test_an_nquads_export_holds_the_same_quads(embedded, remote, tmp_path):
    for name, store in (("embedded", embedded), ("remote", remote)):
        export_rdf(store, select_graphs(store), "nquads", tmp_path / f"{name}.nq")
    quads = [set(ox.parse(path=str(tmp_path / f"{n}.nq"), format=ox.RdfFormat.N_QUADS)) for n in ("embedded", "remote")]
    assert quads[0] and quads[1] == quads[0]


def test_the_dataset_options_of_pyoxigraph_mean_the_same_on_the_server(embedded, remote):
    """The API passes pyoxigraph's Store.query keywords; a remote store sends them as the protocol's."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    catalog = {"default_graph": [ox.NamedNode(CATALOG)]}
    expected = _rows(embedded.query(count, **catalog))
    assert _rows(remote.query(count, **catalog)) == expected
    relative = "SELECT DISTINCT ?g WHERE { GRAPH <catalog> { ?g ?p ?o } }"
    assert _rows(remote.query(relative, base_iri="https://budgetkg.org/")) == _rows(
        embedded.query(relative, base_iri="https://budgetkg.org/"))


# --- writing ----------------------------------------------------------------------------------------
def test_a_reingested_document_is_replaced_not_duplicated(remote):
    before, documents = len(remote), remote.documents()
    done = ingest_file(remote, seed_paths()[0])
    assert done.triples > 1000
    assert len(remote) == before and remote.documents() == documents


def test_replacing_and_deleting_a_document_on_the_server(remote):
    before = len(remote)
    doc, graph = _scratch(remote, 5)
    assert len(remote) == before + 5 + 3  # its triples and its three catalog statements
    smaller = StoredDocument(doc.graph, doc.source, doc.sha256, 2)
    remote.put_document(smaller, b"".join(_triple(i) for i in range(2)))
    assert len(remote) == before + 2 + 3
    assert remote.delete_document(graph) is True
    assert len(remote) == before and graph not in {d.graph for d in remote.documents()}
    assert not list(remote.graph_quads(graph))
    assert remote.delete_document(graph) is False


def test_a_batch_with_and_without_blank_nodes_is_stored_graph_by_graph(remote):
    before = len(remote)
    items = [_item("b1", b"".join(_triple(i) for i in range(3))),
             _item("b2", b'_:x <http://example.org/p> "blank" .\n_:x <http://example.org/q> "node" .\n'),
             _item("b3", b"")]
    remote.put_documents(items)
    assert {d.graph: d.triples for d in remote.documents() if "/scratch/" in d.graph} == {
        items[0][0].graph: 3, items[1][0].graph: 2, items[2][0].graph: 0}
    (x,) = {q.subject for q in remote.graph_quads(items[1][0].graph)}
    assert isinstance(x, ox.BlankNode)
    for doc, _ in items:
        remote.delete_document(doc.graph)
    assert len(remote) == before


def test_a_write_killed_midway_is_removed_when_the_store_is_next_opened_for_writing(remote, server):
    graph = "http://example.org/scratch/killed"
    remote.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <http://example.org/s> <http://example.org/p> 1 }} "
                  f"GRAPH <{CATALOG}> {{ <{graph}> <https://budgetkg.org/ontology#beingWritten> true }} }}")
    assert list(remote.graph_quads(graph))
    RemoteStore(server.url, read_only=True, env=server.env)  # a reader leaves writes alone
    assert list(remote.graph_quads(graph))
    reopened = RemoteStore(server.url, env=server.env)
    assert not list(reopened.graph_quads(graph))
    assert reopened.recover() == []


def test_a_read_only_remote_store_refuses_writes(server):
    store = RemoteStore(server.url, read_only=True, env=server.env)
    with pytest.raises(StoreError, match="read-only"):
        store.put_document(*_item("ro", _triple(0)))


# --- the command line on a server ----------------------------------------------------------------
def test_query_and_trace_commands_run_against_the_server(remote, server, embedded):
    env = {**os.environ, **server.env, "BUDGETKG_STORE": server.url}
    query = subprocess.run([str(BIN), "query", str(ROOT / "docs/queries/documents.rq"), "--format", "json"],
                           check=False, capture_output=True, env=env, timeout=120)
    assert query.returncode == 0, query.stderr.decode()
    assert len(json.loads(query.stdout)["results"]["bindings"]) == len(embedded.documents())
    trace = subprocess.run([str(BIN), "trace", POLICIES[0], "--json", "-"],
                           check=False, capture_output=True, env=env, timeout=120)
    assert trace.returncode == 0, trace.stderr.decode()
    assert POLICIES[0] in trace.stdout.decode()


def test_an_unreachable_server_is_a_store_error_naming_the_url():
    with pytest.raises(StoreError, match="cannot reach"):
        open_location("http://127.0.0.1:9/query", read_only=True)


def test_credentials_in_the_url_are_refused_since_ps_shows_them():
    with pytest.raises(StoreError, match="BUDGETKG_STORE_USER"):
        RemoteStore("http://dba:secret@127.0.0.1:9/sparql", read_only=True)


# --- pure parts -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "form"), [
    ("SELECT * { ?s ?p ?o }", "SELECT"),
    ("PREFIX select: <http://x/ask#>\n# CONSTRUCT in a comment\nASK { ?s select:p 'DESCRIBE' }", "ASK"),
    ("construct where { ?s ?p ?o }", "CONSTRUCT"),
    ('BASE <http://x/> DESCRIBE <a>', "DESCRIBE"),
])
def test_the_query_form_is_read_past_prefixes_strings_and_comments(text, form):
    assert query_form(text) == form


def test_a_dataset_clause_is_seen_only_where_it_is_one():
    assert has_dataset("SELECT * FROM <http://x/g> { ?s ?p ?o }")
    assert not has_dataset("SELECT * { ?s <http://x/FROM> 'FROM' } # FROM")


def test_virtuoso_results_are_mended_into_standard_sparql_json():
    body = json.dumps({"head": {"link": [], "vars": ["b", "n"]}, "results": {"bindings": [{
        "b": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "1"},
        "n": {"type": "bnode", "value": "nodeID://b10001"}}]}}).encode()
    (row,) = ox.parse_query_results(standard_json(body), format=ox.QueryResultsFormat.JSON)
    assert row["b"] == ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    assert isinstance(row["n"], ox.BlankNode)
    ask = json.dumps({"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": [
        {"__ASK_RETVAL": {"type": "typed-literal", "value": "1"}}]}}).encode()
    assert bool(ox.parse_query_results(standard_json(ask, ask=True), format=ox.QueryResultsFormat.JSON))


def test_endpoints_are_derived_for_known_servers_and_taken_from_the_environment_otherwise():
    ox_ = endpoints_for("http://h:7878/query", "Oxigraph/0.5.13", {}, False)
    assert (ox_.update, ox_.gsp) == ("http://h:7878/update", "http://h:7878/store")
    virt = endpoints_for("http://h:8890/sparql", "Virtuoso/07.20.3229 (Linux)", {}, True)
    assert (virt.update, virt.gsp) == ("http://h:8890/sparql-auth", "http://h:8890/sparql-graph-crud-auth")
    other = endpoints_for("http://h/ds/query", "Apache Jena Fuseki", {}, False)
    assert (other.update, other.gsp) == (None, None)
    env = {"BUDGETKG_UPDATE_URL": "http://h/ds/update", "BUDGETKG_GSP_URL": "http://h/ds/data"}
    assert endpoints_for("http://h/ds/query", "", env, False).gsp == "http://h/ds/data"


# --- helpers ----------------------------------------------------------------------------------------
def _triple(i: int) -> bytes:
    return f'<http://example.org/s{i}> <http://example.org/p> "值 {i}" .\n'.encode()


def _item(name: str, nt: bytes) -> tuple[StoredDocument, bytes]:
    return StoredDocument(f"http://example.org/scratch/{name}", name + ".txt", "0" * 64, nt.count(b"\n")), nt


def _scratch(store, n: int) -> tuple[StoredDocument, str]:
    doc, nt = _item("doc", b"".join(_triple(i) for i in range(n)))
    store.put_document(doc, nt)
    return doc, doc.graph
