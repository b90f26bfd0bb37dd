"""The budgetkg vocabulary (budgetkg.ttl), its SHACL shapes (shapes.ttl) and prefixes.

The Turtle files are the source; namespace.py is generated from budgetkg.ttl. See README.md
for the class diagram, the IRI patterns and why each standard vocabulary is used.
"""

from __future__ import annotations

from importlib import resources

from rdflib import Graph

ONTOLOGY_IRI = "https://budgetkg.org/ontology"
ONTOLOGY_GRAPH = "https://budgetkg.org/corpus/ontology"  # where a store keeps the vocabulary

PREFIXES = {
    "bk": "https://budgetkg.org/ontology#",
    "bkid": "https://budgetkg.org/id/",
    "dcterms": "http://purl.org/dc/terms/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "qb": "http://purl.org/linked-data/cube#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def sparql_prologue() -> str:
    """PREFIX lines for queries, the same prefixes the graphs are written with."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes, replacing rdflib's defaults for the same namespaces."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def ontology_text() -> str:
    return resources.files(__name__).joinpath("budgetkg.ttl").read_text("utf-8")


def shapes_text() -> str:
    return resources.files(__name__).joinpath("shapes.ttl").read_text("utf-8")


def load_ontology() -> Graph:
    return bind_prefixes(Graph().parse(data=ontology_text(), format="turtle"))


def load_shapes() -> Graph:
    return bind_prefixes(Graph().parse(data=shapes_text(), format="turtle"))
