"""Where the mapping's triples go, and in which library's terms.

The mapping is written once against a small term factory. rdflib terms are convenient for
tests, SHACL and serialization; pyoxigraph terms are ten times cheaper to make and are what the
store ingests, so the store path builds them directly instead of converting a whole rdflib
graph (rdflib's Graph.add alone costs ~10 µs a triple: 10 s per million).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import RDF, XSD, Literal, URIRef

Term = Any  # an rdflib or a pyoxigraph term, depending on the factory


class Terms(Protocol):
    """Makes the terms of one RDF library from plain Python values."""

    def iri(self, value: str) -> Term: ...
    def string(self, value: str) -> Term: ...
    def zh(self, value: str) -> Term: ...
    def decimal(self, lexical: str) -> Term: ...
    def integer(self, value: int) -> Term: ...
    def boolean(self, value: bool) -> Term: ...
    def gyear(self, value: int) -> Term: ...


class RdflibTerms:
    """rdflib terms, for graphs that are validated, compared and serialized."""

    def iri(self, value: str) -> URIRef:
        return value if type(value) is URIRef else URIRef(value)

    def string(self, value: str) -> Literal:
        return Literal(value)

    def zh(self, value: str) -> Literal:
        return Literal(value, lang="zh")

    def decimal(self, lexical: str) -> Literal:
        return Literal(lexical, datatype=XSD.decimal)

    def integer(self, value: int) -> Literal:
        return Literal(value)

    def boolean(self, value: bool) -> Literal:
        return Literal(value)

    def gyear(self, value: int) -> Literal:
        return Literal(f"{value:04d}", datatype=XSD.gYear)


_OX_DECIMAL = ox.NamedNode(str(XSD.decimal))
_OX_INTEGER = ox.NamedNode(str(XSD.integer))
_OX_BOOLEAN = ox.NamedNode(str(XSD.boolean))
_OX_GYEAR = ox.NamedNode(str(XSD.gYear))


class OxigraphTerms:
    """pyoxigraph terms, for the store."""

    def iri(self, value: str) -> ox.NamedNode:
        return ox.NamedNode(value)

    def string(self, value: str) -> ox.Literal:
        return ox.Literal(value)

    def zh(self, value: str) -> ox.Literal:
        return ox.Literal(value, language="zh")

    def decimal(self, lexical: str) -> ox.Literal:
        return ox.Literal(lexical, datatype=_OX_DECIMAL)

    def integer(self, value: int) -> ox.Literal:
        return ox.Literal(str(value), datatype=_OX_INTEGER)

    def boolean(self, value: bool) -> ox.Literal:
        return ox.Literal("true" if value else "false", datatype=_OX_BOOLEAN)

    def gyear(self, value: int) -> ox.Literal:
        return ox.Literal(f"{value:04d}", datatype=_OX_GYEAR)


RDFLIB = RdflibTerms()
OXIGRAPH = OxigraphTerms()


def decimal_text(value: float | Decimal) -> str:
    """A value's text without float noise, as the record holds it: 921.0 stays "921.0".

    >>> decimal_text(4402927.2), decimal_text(200000000), decimal_text(Decimal("12.50"))
    ('4402927.2', '200000000', '12.50')
    """
    if isinstance(value, float):
        return repr(value) if "e" not in repr(value) else format(Decimal(repr(value)), "f")
    return str(value) if not isinstance(value, Decimal) else format(value, "f")


def decimal_lexical(value: float | Decimal) -> str:
    """The canonical xsd:decimal form (XSD 1.0): a point, no trailing zeros after it.

    One form for equal values, whatever the record held and whichever library writes it, so a
    graph survives a Turtle round trip term for term.

    >>> decimal_lexical(200000000), decimal_lexical(Decimal("12.50")), decimal_lexical(0.0)
    ('200000000.0', '12.5', '0.0')
    """
    text = decimal_text(value)
    if "." not in text:
        return text + ".0"
    whole, fraction = text.split(".")
    return f"{whole}.{fraction.rstrip('0') or '0'}"


class Emitter:
    """Collects triples; vocabulary terms are converted once per run, nodes described once.

    `v(term)` turns a vocabulary IRI (an rdflib URIRef from a closed namespace) into the
    factory's term, cached: predicates repeat on every triple. `once(key)` is true the first
    time a shared node (an organization, a concept, a source span) is met, so its description
    is written once per document however often it is referred to.
    """

    def __init__(self, terms: Terms) -> None:
        self.t = terms
        self.triples: list[tuple[Term, Term, Term]] = []
        self._vocab: dict[str, Term] = {}
        self._seen: set[str] = set()
        self._append: Callable[[tuple[Term, Term, Term]], None] = self.triples.append
        self._type = terms.iri(str(RDF.type))

    def v(self, term: str) -> Term:
        found = self._vocab.get(term)
        if found is None:
            found = self._vocab[term] = self.t.iri(str(term))  # a plain str, not a URIRef
        return found

    def a(self, s: Term, cls: str) -> None:
        """rdf:type: the triple every node has."""
        self._append((s, self._type, self.v(cls)))

    def add(self, s: Term, p: str, o: Term) -> None:
        self._append((s, self.v(p), o))

    def opt(self, s: Term, p: str, o: Term | None) -> None:
        """Add when there is a value: what the document does not give is not written."""
        if o is not None:
            self._append((s, self.v(p), o))

    def once(self, key: str) -> bool:
        if key in self._seen:
            return False
        self._seen.add(key)
        return True
