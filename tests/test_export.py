"""budgetkg export: RDF round trips, CSV tables an analyst can open, GraphML networkx can read."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from budgetkg.graph import analytics
from budgetkg.graph.export import export_graphml, export_rdf, select_graphs
from budgetkg.graph.export_tables import (
    CITATION_COLUMNS,
    KPI_COLUMNS,
    PROJECT_COLUMNS,
    TABLES,
    write_table,
)
from budgetkg.graph.ingest import ingest_many
from budgetkg.graph.map_policies import POLICIES_GRAPH
from budgetkg.graph.policy_graph import refresh_policies
from budgetkg.graph.store import CATALOG, GraphStore
from budgetkg.ontology import sparql_prologue
from conftest import SEEDS, seed_paths

BIN = Path(sys.executable).with_name("budgetkg")


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    if not SEEDS.exists():
        pytest.skip("../shared/seeds is not beside the checkout")
    path = tmp_path_factory.mktemp("export") / "store"
    store = GraphStore(path)
    assert all(hasattr(o, "triples") for o in ingest_many(store, seed_paths()))
    refresh_policies(store)
    del store  # the CLI tests open it again
    return path


@pytest.fixture(scope="module")
def store(store_dir) -> GraphStore:
    return GraphStore(store_dir, read_only=True)


def _graph_quads(engine: ox.Store, graph: str) -> set[ox.Quad]:
    return set(engine.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


def test_trig_round_trip_keeps_every_named_graph_quad_for_quad(store, tmp_path):
    graphs = select_graphs(store)
    done = export_rdf(store, graphs, "trig", tmp_path / "all.trig")
    back = ox.Store()
    back.bulk_load(path=str(tmp_path / "all.trig"), format=ox.RdfFormat.TRIG)
    assert len(back) == done.statements == sum(len(_graph_quads(store.engine, g)) for g in graphs)
    assert {g.value for g in back.named_graphs()} == set(graphs)
    for g in graphs:  # no blank nodes are minted, so equal quad sets are isomorphic graphs
        mine = _graph_quads(store.engine, g)
        assert not any(isinstance(t, ox.BlankNode) for q in mine for t in (q.subject, q.object))
        assert _graph_quads(back, g) == mine, g


def test_the_catalog_is_never_exported(store, tmp_path):
    export_rdf(store, select_graphs(store), "nquads", tmp_path / "all.nq")
    assert CATALOG not in (tmp_path / "all.nq").read_text("utf-8")


def test_a_triple_format_holds_the_union_once(store, tmp_path):
    graphs = select_graphs(store)
    done = export_rdf(store, graphs, "ntriples", tmp_path / "all.nt")
    distinct = {
        (q.subject, q.predicate, q.object) for g in graphs for q in _graph_quads(store.engine, g)
    }
    assert (
        done.statements
        == len(distinct)
        == len((tmp_path / "all.nt").read_text("utf-8").splitlines())
    )


def test_one_document_can_be_exported_alone(store, tmp_path):
    name = seed_paths()[2].name
    graphs = select_graphs(store, [name], policies=False)
    done = export_rdf(store, graphs, "turtle", tmp_path / "one.ttl")
    stored = next(d for d in store.documents() if d.source == name)
    assert graphs == [stored.graph] and done.statements == stored.triples


def _count(store: GraphStore, pattern: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?g ?x WHERE {{ GRAPH ?g {{ {pattern} }} FILTER(?g != <{POLICIES_GRAPH}>) }} }}"
    return int(next(iter(store.engine.query(sparql_prologue() + query)))["n"].value)


@pytest.mark.parametrize(
    "table, columns, pattern",
    [
        ("projects", PROJECT_COLUMNS, "?x a bk:BudgetProject"),
        ("citations", CITATION_COLUMNS, "?x a bk:Citation"),
        ("kpis", KPI_COLUMNS, "?p a bk:BudgetProject ; bk:kpi ?x"),
    ],
)
def test_csv_tables_have_fixed_headers_a_bom_and_one_row_per_thing_per_document(
    store, tmp_path, table, columns, pattern
):
    out = tmp_path / f"{table}.csv"
    rows = write_table(store, TABLES[table], select_graphs(store), out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads Chinese right
    with open(out, encoding="utf-8-sig", newline="") as fh:
        read = list(csv.reader(fh))
    assert tuple(read[0]) == columns
    assert len(read) - 1 == rows == _count(store, pattern)


def test_project_csv_rows_carry_funds_and_source_lines(store, tmp_path):
    write_table(store, TABLES["projects"], select_graphs(store), tmp_path / "p.csv")
    with open(tmp_path / "p.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    row = next(r for r in rows if r["name"] == "科普经费")
    assert (row["department"], row["year"], float(row["annual_funds_yuan"])) == (
        "山西省科学技术协会",
        "2026",
        14663000,
    )
    assert (
        "科普经费" in (SEEDS / row["source"]).read_text("utf-8").splitlines()[int(row["line"]) - 1]
    )


def test_graphml_loads_with_networkx_and_holds_the_policies(store, tmp_path):
    graph = analytics.citation_graph(store)
    export_graphml(graph, tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml")
    policies = {n for n, kind in back.nodes(data="kind") if kind == "policy"}
    assert policies == set(analytics.nodes_of(graph, "policy"))
    assert back.nodes["https://budgetkg.org/id/policy/国发〔2021〕9号"]["label"]
    assert {kind for _, kind in back.nodes(data="kind")} == {"policy", "project", "department"}
    assert all("relation" in data for *_, data in back.edges(data=True))


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN), *args], check=False, capture_output=True, text=True, timeout=120
    )


def test_cli_writes_the_csv_tables_into_a_directory(store_dir, tmp_path):
    done = _cli(
        "export", "--format", "csv", "--out", str(tmp_path / "csv"), "--store", str(store_dir)
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [
        "citations.csv",
        "kpis.csv",
        "projects.csv",
    ]


def test_cli_guesses_the_format_from_the_extension(store_dir, tmp_path):
    done = _cli("export", "--out", str(tmp_path / "x.nq"), "--store", str(store_dir))
    assert done.returncode == 0, done.stderr
    ox.Store().bulk_load(path=str(tmp_path / "x.nq"), format=ox.RdfFormat.N_QUADS)


def test_cli_rejects_an_unknown_document_with_the_stored_names(store_dir, tmp_path):
    done = _cli(
        "export",
        "--out",
        str(tmp_path / "x.ttl"),
        "--document",
        "nope.txt",
        "--store",
        str(store_dir),
    )
    assert done.returncode == 2 and seed_paths()[0].name in done.stderr


def test_help_says_the_csv_files_carry_a_bom_for_excel():
    out = _cli("export", "--help").stdout
    assert "BOM" in out and "Excel" in out
