"""Network analytics: counts on a small hand-built store, and the seeds against their records."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from budgetkg.extract.policies import resolve_policies
from budgetkg.graph import analytics, iri
from budgetkg.graph.ingest import ingest_many
from budgetkg.graph.map_policies import POLICIES_GRAPH
from budgetkg.graph.policy_graph import refresh_policies
from budgetkg.graph.store import GraphStore, StoredDocument
from conftest import ROOT, seed_paths

BK = "https://budgetkg.org/ontology#"
ID = "https://budgetkg.org/id/"
A, B, C, A_TITLE = (f"{ID}policy/{k}" for k in ("A", "B", "C", "A-by-title"))
X, Y = f"{ID}org/X", f"{ID}org/Y"


def _project(name: str, dept: str, funds: int, cites: list[tuple[str, str]]) -> str:
    p = f"{ID}project/{name}"
    lines = [
        f'<{p}> a <{BK}BudgetProject> ; <http://www.w3.org/2000/01/rdf-schema#label> "{name}"@zh ;',
        f"  <{BK}supervisingDepartment> <{dept}> ; <{BK}annualFunds> <{p}/f> .",
        f'<{p}/f> <{BK}fundingSource> <{BK}AllSources> ; <{BK}amount> "{funds}"^^<http://www.w3.org/2001/XMLSchema#decimal> .',
        f'<{dept}> <http://www.w3.org/2004/02/skos/core#prefLabel> "{dept[-1]}"@zh .',
    ]
    for policy, relation in cites:
        c = f"{p}/{relation}/{policy.rsplit('/', 1)[-1]}"
        lines += [
            f"<{p}> <{BK}citation> <{c}> . <{p}> <{BK}{relation}> <{policy}> .",
            f"<{c}> a <{BK}Citation> ; <{BK}citedPolicy> <{policy}> ; <{BK}relation> <{BK}{relation}> .",
        ]
    return "\n".join(lines) + "\n"


def _put(store: GraphStore, graph: str, turtle: str) -> None:
    nt = ox.serialize(
        ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES
    )
    store.put_document(StoredDocument(graph, graph.rsplit("/", 1)[-1], "-", nt.count(b"\n")), nt)


@pytest.fixture(scope="module")
def small() -> GraphStore:
    """P1 (X, 100) cites A, B in doc1 and again, A by title, in doc2; P2 (X, 50) cites A, B, C;
    P3 (Y, 1000) rests on C and mentions A."""
    store = GraphStore(None)
    lb, men = "hasLegalBasis", "mentionsPolicy"
    _put(
        store,
        "https://budgetkg.org/graph/doc1",
        _project("P1", X, 100, [(A, lb), (B, lb)])
        + _project("P2", X, 50, [(A, lb), (B, lb), (C, lb)]),
    )
    _put(
        store,
        "https://budgetkg.org/graph/doc2",
        _project("P1", X, 100, [(A_TITLE, lb), (B, lb)])
        + _project("P3", Y, 1000, [(C, lb), (A, men)]),
    )
    labels = "".join(
        f"<{p}> a <http://data.europa.eu/eli/ontology#LegalResource> ; "
        f'<http://www.w3.org/2000/01/rdf-schema#label> "{p[-1]}"@zh .\n'
        for p in (A, B, C)
    )
    _put(
        store,
        POLICIES_GRAPH,
        labels + f"<{A_TITLE}> <http://www.w3.org/2002/07/owl#sameAs> <{A}> .\n",
    )
    return store


def test_a_project_printed_by_two_documents_counts_once_and_title_citations_join_their_policy(
    small,
):
    ranks = {r.policy: r for r in analytics.most_cited(analytics.citation_graph(small), top=None)}
    assert {p: (r.projects, r.annual_funds_yuan, r.departments) for p, r in ranks.items()} == {
        A: (3, 1150, 2),
        B: (2, 150, 1),
        C: (2, 1050, 2),
    }


def test_most_cited_ranks_by_projects_or_by_money(small):
    g = analytics.citation_graph(small)
    assert [r.policy for r in analytics.most_cited(g, by="projects")] == [A, C, B]
    assert [r.policy for r in analytics.most_cited(g, by="funds")] == [A, C, B]
    assert [r.policy for r in analytics.most_cited(g, top=1)] == [A]


def test_co_citation_weight_is_the_number_of_projects_citing_both(small):
    pairs = analytics.co_citation(analytics.citation_graph(small), top=None)
    assert {(p.a_label, p.b_label): p.weight for p in pairs} == {
        ("A", "B"): 2,
        ("A", "C"): 2,
        ("B", "C"): 1,
    }


def test_relations_can_be_restricted_to_legal_bases(small):
    g = analytics.citation_graph(small, ["legal_basis"])
    assert {(p.a_label, p.b_label): p.weight for p in analytics.co_citation(g)} == {
        ("A", "B"): 2,
        ("A", "C"): 1,
        ("B", "C"): 1,
    }
    assert [(p.weight, p.shared) for p in analytics.shared_policies(g)] == [(1, ("C",))]


def test_departments_sharing_policies_are_weighted_by_shared_policies(small):
    pairs = analytics.shared_policies(analytics.citation_graph(small))
    assert [(p.a_label, p.b_label, p.weight, p.shared) for p in pairs] == [
        ("X", "Y", 2, ("A", "C"))
    ]


def test_the_cookbook_co_citation_query_agrees_on_the_small_store(small):
    rows = small.query((ROOT / "docs" / "queries" / "co_citation.rq").read_text("utf-8"))
    assert {(r["aLabel"].value, r["bLabel"].value): int(r["projects"].value) for r in rows} == {
        ("A", "B"): 2,
        ("A", "C"): 2,
        ("B", "C"): 1,
    }


def test_most_cited_seed_policy_is_the_one_most_projects_cite_in_the_extracted_records(
    seed_records, tmp_path
):
    store = GraphStore(tmp_path / "store")
    assert all(hasattr(o, "triples") for o in ingest_many(store, seed_paths()))
    refresh_policies(store)
    expected = resolve_policies(seed_records.values())  # most-cited first
    most = len(expected[0].projects)
    top = analytics.most_cited(analytics.citation_graph(store), top=1)[0]
    assert top.projects == most
    assert top.policy in {iri.policy_iri(p.key) for p in expected if len(p.projects) == most}
