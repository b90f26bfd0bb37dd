"""CSV tables for analysts: projects, citations and KPIs, one row per thing per source document.

Rows come straight from SPARQL over each document's named graph, so every row names the file
and line it was read from, and a project printed by two disclosures has a row from each.
Files are UTF-8 with a byte-order mark: Excel takes a BOM-less CSV for the ANSI code page and
shows Chinese as mojibake. Column names are fixed here and do not change with the data.

The OPTIONAL blocks are single patterns whose subject is already bound: a multi-pattern OPTIONAL
with an unbound right side makes Oxigraph hash-join it against the whole store.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from budgetkg.graph.map_policies import POLICIES_GRAPH
from budgetkg.graph.policy_graph import RELATION_NAMES
from budgetkg.graph.store import CATALOG
from budgetkg.graph.store_api import Store
from budgetkg.graph.trace import COLUMNS
from budgetkg.ontology import sparql_prologue
from budgetkg.ontology.namespace import BK

PROJECT_COLUMNS = (
    "project_iri",
    "name",
    "department",
    "department_code",
    "implementing_unit",
    "year",
    "annual_funds_yuan",
    "total_funds_yuan",
    "source",
    "line",
)
CITATION_COLUMNS = (
    "project_iri",
    "relation",
    "policy_iri",
    "cited_number",
    "cited_title",
    "raw",
    "source",
    "line",
    "truncated",
)
KPI_COLUMNS = (
    "project_iri",
    "column",
    "level1",
    "level2",
    "indicator",
    "value_raw",
    "comparator",
    "number",
    "upper",
    "unit",
    "scale",
    "deadline",
    "source",
    "line",
)

_PROJECTS = """
SELECT ?g ?source ?project ?name ?dept ?code ?unit ?year ?line WHERE {
  VALUES ?g { %s }
  GRAPH ?g {
    ?project a bk:BudgetProject ; prov:wasDerivedFrom ?span .
    OPTIONAL { ?span bk:line ?line }
    OPTIONAL { ?project rdfs:label ?name }
    OPTIONAL { ?project bk:supervisingDepartment/skos:prefLabel ?dept }
    OPTIONAL { ?project bk:supervisingCode ?code }
    OPTIONAL { ?project bk:implementingUnit/skos:prefLabel ?unit }
    OPTIONAL { ?project bk:budgetYear ?year }
  }
  GRAPH <%s> { ?g bk:sourceFile ?source }
} ORDER BY ?source ?line ?project"""
_FUNDS = """
SELECT ?g ?project ?prop ?amount WHERE {
  VALUES ?g { %s }
  VALUES ?prop { bk:annualFunds bk:periodFunds }
  GRAPH ?g { ?project ?prop ?f . ?f bk:fundingSource bk:AllSources ; bk:amount ?amount }
}"""
_CITATIONS = """
SELECT ?source ?project ?rel ?policy ?number ?title ?raw ?line ?truncated WHERE {
  VALUES ?g { %s }
  GRAPH ?g {
    ?project bk:citation ?c .
    ?c bk:relation ?rel ; bk:rawText ?raw ; prov:wasDerivedFrom ?span .
    OPTIONAL { ?span bk:line ?line }
    OPTIONAL { ?c bk:citedPolicy ?k0 }
    OPTIONAL { ?c bk:citedNumber ?number }
    OPTIONAL { ?c bk:citedTitle ?title }
    OPTIONAL { ?c bk:truncated ?truncated }
  }
  OPTIONAL { GRAPH <%s> { ?k0 <http://www.w3.org/2002/07/owl#sameAs> ?k1 } }
  BIND(COALESCE(?k1, ?k0) AS ?policy)
  GRAPH <%s> { ?g bk:sourceFile ?source }
} ORDER BY ?source ?line ?project ?raw"""
_KPIS = """
SELECT ?source ?project ?col ?l1 ?l2 ?name ?value ?cmp ?number ?upper ?unit ?scale ?deadline ?line WHERE {
  VALUES ?g { %s }
  GRAPH ?g {
    ?project a bk:BudgetProject ; bk:kpi ?k .
    ?k bk:targetText ?value ; prov:wasDerivedFrom ?span .
    OPTIONAL { ?span bk:line ?line }
    OPTIONAL { ?k bk:column ?col }
    OPTIONAL { ?k bk:level1Indicator/skos:prefLabel ?l1 }
    OPTIONAL { ?k bk:level2Indicator/skos:prefLabel ?l2 }
    OPTIONAL { ?k bk:indicator/skos:prefLabel ?name }
    OPTIONAL { ?k bk:comparator ?cmp }
    OPTIONAL { ?k bk:targetNumber ?number }
    OPTIONAL { ?k bk:targetUpper ?upper }
    OPTIONAL { ?k bk:targetUnit ?unit }
    OPTIONAL { ?k bk:targetScale ?scale }
    OPTIONAL { ?k bk:targetDeadline ?deadline }
  }
  GRAPH <%s> { ?g bk:sourceFile ?source }
} ORDER BY ?source ?line ?project ?col"""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: Callable[[Store, list[str]], Iterator[tuple]]


def project_rows(store: Store, graphs: list[str]) -> Iterator[tuple]:
    funds = {
        (r["g"].value, r["project"].value, r["prop"].value): r["amount"].value
        for r in _select(store, _FUNDS % _values(graphs))
    }
    annual, period = str(BK.annualFunds), str(BK.periodFunds)
    for r in _select(store, _PROJECTS % (_values(graphs), CATALOG)):
        key = (r["g"].value, r["project"].value)
        yield (
            r["project"].value,
            _v(r["name"]),
            _v(r["dept"]),
            _v(r["code"]),
            _v(r["unit"]),
            _year(r["year"]),
            funds.get((*key, annual)),
            funds.get((*key, period)),
            r["source"].value,
            _v(r["line"]),
        )


def citation_rows(store: Store, graphs: list[str]) -> Iterator[tuple]:
    for r in _select(store, _CITATIONS % (_values(graphs), POLICIES_GRAPH, CATALOG)):
        yield (
            r["project"].value,
            RELATION_NAMES.get(r["rel"].value, r["rel"].value),
            _v(r["policy"]),
            _v(r["number"]),
            _v(r["title"]),
            r["raw"].value,
            r["source"].value,
            _v(r["line"]),
            _v(r["truncated"]),
        )


def kpi_rows(store: Store, graphs: list[str]) -> Iterator[tuple]:
    for r in _select(store, _KPIS % (_values(graphs), CATALOG)):
        yield (
            r["project"].value,
            COLUMNS.get(_v(r["col"]) or ""),
            _v(r["l1"]),
            _v(r["l2"]),
            _v(r["name"]),
            r["value"].value,
            _v(r["cmp"]),
            _v(r["number"]),
            _v(r["upper"]),
            _v(r["unit"]),
            _v(r["scale"]),
            _v(r["deadline"]),
            r["source"].value,
            _v(r["line"]),
        )


TABLES = {
    "projects": Table("projects", PROJECT_COLUMNS, project_rows),
    "citations": Table("citations", CITATION_COLUMNS, citation_rows),
    "kpis": Table("kpis", KPI_COLUMNS, kpi_rows),
}


def write_table(store: Store, table: Table, graphs: list[str], out: str | os.PathLike) -> int:
    """Write one table as UTF-8 CSV with BOM to `out`; the number of data rows."""
    n = 0
    with open(out, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(table.columns)
        for row in table.rows(store, graphs):
            writer.writerow(["" if v is None else v for v in row])
            n += 1
    return n


def _select(store: Store, query: str):
    return store.select(sparql_prologue() + query)


def _values(graphs: list[str]) -> str:
    return " ".join(f"<{g}>" for g in graphs)


def _v(term) -> str | None:
    return None if term is None else term.value


def _year(term) -> str | None:
    return None if term is None else term.value[:4]
