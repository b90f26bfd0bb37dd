"""What the store holds, in counts: for a quick look after an ingest, and for monitoring.

Totals count things once across the union (a project printed by two disclosures is one
project); per-document counts say what each disclosure itself states, so they may add up to
more than the totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from budgetkg.graph.map_policies import POLICIES_GRAPH
from budgetkg.graph.store import CATALOG
from budgetkg.graph.store_api import Store
from budgetkg.ontology import sparql_prologue

_TOTALS = """
SELECT
  (COUNT(DISTINCT ?project) AS ?projects) (COUNT(DISTINCT ?citation) AS ?citations)
  (COUNT(DISTINCT ?kpi) AS ?kpis) (COUNT(DISTINCT ?dept) AS ?departments)
WHERE {
  { ?project a bk:BudgetProject } UNION { ?citation a bk:Citation } UNION { ?kpi a bk:KpiTarget }
  UNION { [] bk:supervisingDepartment ?dept }
}"""
_POLICIES = (
    f"SELECT (COUNT(?p) AS ?n) WHERE {{ GRAPH <{POLICIES_GRAPH}> {{ ?p a eli:LegalResource }} }}"
)
_PER_GRAPH = """
SELECT ?g (COUNT(?x) AS ?n) WHERE { GRAPH ?g { ?x a %s } } GROUP BY ?g"""
_PUBLISHERS = """
SELECT ?g ?dept ?year WHERE { GRAPH ?g { ?d a bk:Disclosure . OPTIONAL { ?d dcterms:publisher/skos:prefLabel ?dept }
  OPTIONAL { ?d bk:budgetYear ?year } } }"""


@dataclass(frozen=True)
class DocumentStats:
    source: str
    graph: str
    triples: int
    department: str | None
    year: int | None
    projects: int
    citations: int
    kpis: int


@dataclass(frozen=True)
class StoreStats:
    documents: int  # disclosures (the corpus policies graph is not one)
    triples: int  # statements in the store (a triple in two graphs counts twice), catalog included
    projects: int
    policies: int  # resolved across the corpus
    citations: int
    kpis: int
    departments: int  # supervising departments named by projects
    per_document: tuple[DocumentStats, ...] = field(default=())


def store_stats(store: Store) -> StoreStats:
    """Counts for the whole store and for each stored disclosure."""
    totals = next(iter(_rows(store, _TOTALS)))
    policies = int(next(iter(_rows(store, _POLICIES)))["n"].value)
    docs = _per_document(store)
    return StoreStats(
        documents=len(docs),
        triples=len(store),
        projects=_int(totals["projects"]),
        policies=policies,
        citations=_int(totals["citations"]),
        kpis=_int(totals["kpis"]),
        departments=_int(totals["departments"]),
        per_document=docs,
    )


def _per_document(store: Store) -> tuple[DocumentStats, ...]:
    counts = {
        kind: _counts(store, kind) for kind in ("bk:BudgetProject", "bk:Citation", "bk:KpiTarget")
    }
    publisher = {r["g"].value: (_v(r["dept"]), _v(r["year"])) for r in _rows(store, _PUBLISHERS)}
    out = []
    for d in store.documents():
        if d.graph in (POLICIES_GRAPH, CATALOG):
            continue
        dept, year = publisher.get(d.graph, (None, None))
        out.append(
            DocumentStats(
                d.source,
                d.graph,
                d.triples,
                dept,
                int(year[:4]) if year else None,
                counts["bk:BudgetProject"].get(d.graph, 0),
                counts["bk:Citation"].get(d.graph, 0),
                counts["bk:KpiTarget"].get(d.graph, 0),
            )
        )
    return tuple(sorted(out, key=lambda s: s.source))


def _counts(store: Store, kind: str) -> dict[str, int]:
    return {r["g"].value: int(r["n"].value) for r in _rows(store, _PER_GRAPH % kind)}


def _rows(store: Store, query: str):
    return store.select(sparql_prologue() + query)


def _int(term) -> int:
    return 0 if term is None else int(term.value)


def _v(term) -> str | None:
    return None if term is None else term.value
