"""Record → RDF: pure functions of one extraction record; nothing here touches a store.

    record_to_triples(record)            the triples, in rdflib (default) or pyoxigraph terms
    record_to_graph(record)              an rdflib Graph named by the document's graph IRI
    record_to_quads(record)              pyoxigraph Quads in that named graph, for the store
    to_trig(graph)                       that graph as TriG, to open or compare

Each disclosure is one named graph (graph_iri(record.source)); re-ingesting a file replaces
exactly that graph. What needs the whole corpus (policies resolved across documents) is
graph/map_policies.py, written to a graph of its own. The same record always gives the same triples: IRIs come from what
identifies each thing (graph/iri.py), no blank nodes, no timestamps.
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
from budgetkg.extract.model import Record
from budgetkg.graph.context import DEFAULT_OPTIONS, Context, MappingOptions, organization
from budgetkg.graph.iri import document_iri, graph_iri
from budgetkg.graph.map_kpis import map_kpis
from budgetkg.graph.map_projects import map_projects
from budgetkg.graph.map_tables import TABLE_MAPPERS
from budgetkg.graph.terms import OXIGRAPH, RDFLIB, Term, Terms
from budgetkg.ontology import bind_prefixes
from budgetkg.ontology.namespace import BK
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, RDFS

__all__ = [
    "MappingOptions",
    "document_iri",
    "graph_iri",
    "record_to_graph",
    "record_to_quads",
    "record_to_triples",
    "to_trig",
]

Triple = tuple[Term, Term, Term]


def map_document(ctx: Context) -> None:
    """The disclosure itself: file name, publishing department, year, layout."""
    e, t, r = ctx.e, ctx.t, ctx.record
    doc = ctx.doc
    e.a(doc, BK.Disclosure)
    e.add(doc, DCTERMS.identifier, t.string(r.source))
    e.add(doc, RDFS.label, t.string(r.source))
    e.opt(doc, BK.budgetYear, t.gyear(ctx.year) if ctx.year else None)
    ctx.string(doc, BK.layoutFamily, r.family)
    ctx.string(doc, BK.encoding, r.encoding)
    dept = organization(ctx, r.department.name, r.department.level)
    if dept is not None:
        e.add(doc, DCTERMS.publisher, dept)
        ctx.string(dept, BK.budgetCode, r.department.code)


def map_department_kpis(ctx: Context) -> None:
    """整体支出绩效目标: the department's indicators for the year belong to the disclosure."""
    kpis = ctx.record.department_kpis
    if kpis:
        base = f"{ctx.doc_iri}/kpi"
        map_kpis(ctx, ctx.doc, base, kpis, None, BK.DepartmentPerformanceTable)


# The parts of a record, in the order their triples are written.
MAPPERS: tuple[Callable[[Context], None], ...] = (map_document, map_projects, map_department_kpis)


def record_to_triples(
    record: Record, terms: Terms = RDFLIB, options: MappingOptions = DEFAULT_OPTIONS
) -> list[Triple]:
    """All triples of one record, each written once, in a fixed order."""
    ctx = Context.start(record, terms, options)
    for mapper in (*MAPPERS, *TABLE_MAPPERS):
        mapper(ctx)
    return ctx.e.triples


def record_to_graph(record: Record, options: MappingOptions = DEFAULT_OPTIONS) -> Graph:
    """The record as an rdflib Graph whose identifier is the document's named-graph IRI."""
    graph = Graph(identifier=URIRef(graph_iri(record.source)))
    bind_prefixes(graph)
    add = graph.add
    for triple in record_to_triples(record, RDFLIB, options):
        add(triple)
    return graph


def record_to_quads(record: Record, options: MappingOptions = DEFAULT_OPTIONS) -> list[ox.Quad]:
    """The record as pyoxigraph Quads in its named graph, built without rdflib terms."""
    name = ox.NamedNode(graph_iri(record.source))
    return [ox.Quad(s, p, o, name) for s, p, o in record_to_triples(record, OXIGRAPH, options)]


def to_trig(graph: Graph) -> str:
    """A named graph as TriG: the triples inside their graph's name, with the project prefixes."""
    dataset = bind_prefixes(Dataset())
    named = dataset.graph(graph.identifier)
    for triple in graph:
        named.add(triple)
    return dataset.serialize(format="trig")
