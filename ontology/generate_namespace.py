"""Generate namespace.py, the closed namespace classes, from the Turtle vocabulary.

The vocabulary is data (budgetkg.ttl); code refers to its terms through rdflib DefinedNamespace
classes with `_fail = True`, so a mistyped term raises at import or first use instead of
silently minting a new IRI. rdflib ships no ELI or SDMX namespace, so the terms of those two
that budgetkg.ttl labels become closed classes too.

    python -m budgetkg.ontology.generate_namespace          # rewrite namespace.py
    python -m budgetkg.ontology.generate_namespace --check  # exit 1 when it is out of date
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef

HERE = Path(__file__).resolve().parent
TTL = HERE / "budgetkg.ttl"
TARGET = HERE / "namespace.py"

# (class name, namespace IRI, docstring) for each closed namespace written.
NAMESPACES = (
    ("BK", "https://budgetkg.org/ontology#", "The budgetkg vocabulary (ontology/budgetkg.ttl)."),
    ("ELI", "http://data.europa.eu/eli/ontology#", "The ELI terms budgetkg uses."),
    (
        "SDMXA",
        "http://purl.org/linked-data/sdmx/2009/attribute#",
        "The SDMX attributes budgetkg uses.",
    ),
)

HEADER = '''"""Closed namespaces for the budgetkg vocabulary. GENERATED: do not edit.

Regenerate with `python -m budgetkg.ontology.generate_namespace` after editing budgetkg.ttl;
tests/test_ontology.py checks that this file is up to date.
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef
'''


# DefinedNamespace resolves every attribute access through its metaclass (~0.7 µs); the
# mapping reads terms hundreds of thousands of times per ingest, so each declared term is also
# set as a plain class attribute. Undeclared names still reach __getattr__ and raise.
FOOTER = """
def _materialize(*namespaces: type[DefinedNamespace]) -> None:
    for ns in namespaces:
        for name in ns.__annotations__:
            type.__setattr__(ns, name, ns._NS[name])


_materialize({names})
"""


def render(ttl: Path = TTL) -> str:
    """The text of namespace.py for the vocabulary in `ttl`."""
    graph = Graph().parse(ttl, format="turtle")
    parts = [HEADER]
    for name, iri, doc in NAMESPACES:
        parts.append(_render_class(graph, name, iri, doc))
    parts.append(FOOTER.format(names=", ".join(n for n, _, _ in NAMESPACES)))
    return "\n".join(parts)


def _render_class(graph: Graph, name: str, iri: str, doc: str) -> str:
    lines = ["", f"class {name}(DefinedNamespace):", f'    """{doc}"""', "", "    _fail = True"]
    lines.append(f'    _NS = Namespace("{iri}")')
    for group, terms in _groups(graph, iri):
        lines += ["", f"    # {group}"]
        lines += [_term_line(_local(t, iri), _label(graph, t)) for t in terms]
    return "\n".join(lines) + "\n"


def _term_line(name: str, label: str) -> str:
    """`name: URIRef  # label`, the label above the term when the line would pass 100 columns."""
    line = f"    {name}: URIRef  # {label}"
    if _width(line) <= 100:
        return line
    return f"    # {label}\n    {name}: URIRef"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _groups(graph: Graph, iri: str) -> list[tuple[str, list[URIRef]]]:
    """Terms of one namespace as classes, properties and individuals, each sorted."""
    terms = sorted({s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(iri)})
    terms = [t for t in terms if _local(t, iri)]
    kinds: dict[str, list[URIRef]] = {"classes": [], "properties": [], "individuals": []}
    for t in terms:
        kinds[_kind(graph, t)].append(t)
    return [(k, v) for k, v in kinds.items() if v]


def _kind(graph: Graph, term: URIRef) -> str:
    types = set(graph.objects(term, RDF.type))
    local = str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    if types & {OWL.Class, RDFS.Class}:
        return "classes"
    if types & {OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property}:
        return "properties"
    if not types:  # a reused term only labelled here: classes start upper case
        return "classes" if local[:1].isupper() else "properties"
    return "individuals"


def _local(term: URIRef, iri: str) -> str:
    return str(term)[len(iri) :]


def _label(graph: Graph, term: URIRef) -> str:
    labels = {lit.language: str(lit) for lit in graph.objects(term, RDFS.label)}
    return " / ".join(x for x in (labels.get("en"), labels.get("zh")) if x)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate ontology/namespace.py from budgetkg.ttl."
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when namespace.py is out of date"
    )
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = TARGET.read_text("utf-8") if TARGET.exists() else ""
        return 0 if current == text else 1
    TARGET.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
