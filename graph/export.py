"""The store written out: RDF in the standard formats, and GraphML of the policy–project graph.

Quad formats (N-Quads, TriG, JSON-LD) keep each document in its own named graph, so an export
can be loaded into another store and traced back to its file. Triple formats (Turtle,
N-Triples, RDF/XML) have no graphs: they get the union, each triple once. Output is streamed
from the store (embedded, or a SPARQL server) to the file through pyoxigraph's serializer; only
the union's de-duplication (a SPARQL DISTINCT, in the engine's memory) holds the triples at once.

The catalog graph is the store's own bookkeeping (which writes completed) and is never exported.
The CSV tables for analysts are in `graph/export_tables.py`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import IO

import networkx as nx
import pyoxigraph as ox
from budgetkg.graph.map_policies import POLICIES_GRAPH
from budgetkg.graph.results import GRAPH_FORMATS
from budgetkg.graph.store import StoredDocument
from budgetkg.graph.store_api import Store
from budgetkg.ontology import PREFIXES

QUAD_FORMATS = ("nquads", "trig", "jsonld")
TRIPLE_FORMATS = ("turtle", "ntriples", "rdfxml")
RDF_FORMATS = QUAD_FORMATS + TRIPLE_FORMATS
EXTENSIONS = {
    "turtle": ".ttl",
    "ntriples": ".nt",
    "nquads": ".nq",
    "trig": ".trig",
    "jsonld": ".jsonld",
    "rdfxml": ".rdf",
    "graphml": ".graphml",
}


class UnknownDocument(LookupError):
    """A document asked for by name is not in the store; `names` lists what is."""

    def __init__(self, wanted: list[str], names: list[str]):
        super().__init__(f"not in the store: {', '.join(wanted)}")
        self.wanted, self.names = wanted, names


@dataclass(frozen=True)
class Exported:
    path: str
    format: str
    graphs: int
    statements: int  # quads for quad formats, distinct triples for triple formats
    bytes: int


def select_graphs(
    store: Store, documents: Iterable[str] = (), *, policies: bool = True
) -> list[str]:
    """Named-graph IRIs to export: the documents named (by file name or graph IRI; all when
    none are named), then the corpus policies graph unless `policies` is False."""
    docs = [d for d in store.documents() if d.graph != POLICIES_GRAPH]
    wanted = list(documents)
    chosen = [d.graph for d in docs if not wanted or _named(d, wanted)]
    missing = [w for w in wanted if not any(_named(d, [w]) for d in docs)]
    if missing:
        raise UnknownDocument(missing, [d.source for d in docs])
    has_policies = any(d.graph == POLICIES_GRAPH for d in store.documents())
    return chosen + ([POLICIES_GRAPH] if policies and has_policies else [])


def _named(doc: StoredDocument, names: list[str]) -> bool:
    return any(n in (doc.source, doc.graph, os.path.basename(doc.source)) for n in names)


def export_rdf(store: Store, graphs: list[str], fmt: str, out: str | os.PathLike) -> Exported:
    """Write the given named graphs to the file `out` in `fmt` (a name in RDF_FORMATS)."""
    counter = _Counter()
    source = _quads(store, graphs) if fmt in QUAD_FORMATS else _union(store, graphs)
    with open(out, "wb") as fh:
        ox.serialize(
            counter.count(source), fh, format=GRAPH_FORMATS[fmt][1], prefixes=_prefixes(fmt)
        )
    return Exported(str(out), fmt, len(graphs), counter.n, os.path.getsize(out))


def _quads(store: Store, graphs: list[str]) -> Iterator[ox.Quad]:
    return chain.from_iterable(store.graph_quads(g) for g in graphs)


def _union(store: Store, graphs: list[str]) -> Iterator[ox.Triple]:
    """The triples of `graphs`, each once (a triple about a shared project is in several)."""
    if not graphs:
        return iter(())
    values = " ".join(f"<{g}>" for g in graphs)
    return store.construct(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} "
        f"GRAPH ?g {{ ?s ?p ?o }} }} }}"
    )


def _prefixes(fmt: str) -> dict[str, str] | None:
    """Prefixes make Turtle and TriG readable; the line formats have none to use."""
    return dict(PREFIXES) if fmt in ("turtle", "trig", "rdfxml", "jsonld") else None


class _Counter:
    """Counts statements as the serializer pulls them, so nothing is listed twice."""

    def __init__(self) -> None:
        self.n = 0

    def count(self, items: Iterable) -> Iterator:
        for item in items:
            self.n += 1
            yield item


# --- GraphML ------------------------------------------------------------------------------------
def export_graphml(graph: nx.Graph, out: str | os.PathLike | IO[bytes]) -> Exported:
    """Write a policy–project graph (analytics.citation_graph) as GraphML.

    GraphML has no null: attributes that are None are left off the node or edge."""
    clean = (
        nx.MultiDiGraph()
        if graph.is_multigraph()
        else nx.DiGraph()
        if graph.is_directed()
        else nx.Graph()
    )
    for node, attrs in graph.nodes(data=True):
        clean.add_node(node, **_present(attrs))
    for u, v, attrs in graph.edges(data=True):
        clean.add_edge(u, v, **_present(attrs))
    nx.write_graphml(clean, out, encoding="utf-8")
    size = os.path.getsize(out) if isinstance(out, (str, os.PathLike)) else 0
    return Exported(str(out), "graphml", 0, clean.number_of_nodes() + clean.number_of_edges(), size)


def _present(attrs: dict) -> dict:
    return {k: v for k, v in attrs.items() if v is not None}
