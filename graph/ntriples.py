"""Triples of rdflib terms → N-Triples bytes, the form the store bulk-loads.

rdflib's own serializer walks a Graph and costs several microseconds per triple; the store
needs millions per second, so terms are written here directly (N-Triples 1.1 escaping) and the
text of each IRI is memoized, since a document repeats its IRIs many times.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def term_nt(term: Node) -> str:
    """One term in N-Triples syntax."""
    if isinstance(term, URIRef):
        return _iri(str(term))
    if isinstance(term, Literal):
        return _literal(term)
    if isinstance(term, BNode):
        return "_:" + str(term)
    raise TypeError(f"not an RDF term: {term!r}")


@lru_cache(maxsize=1 << 16)
def _iri(iri: str) -> str:
    return "<" + iri + ">"


def _literal(lit: Literal) -> str:
    text = '"' + str(lit).translate(_ESCAPES) + '"'
    if lit.language:
        return text + "@" + lit.language
    if lit.datatype and str(lit.datatype) != _XSD_STRING:
        return text + "^^" + _iri(str(lit.datatype))
    return text


def to_ntriples(triples: Iterable[tuple[Node, Node, Node]]) -> bytes:
    """UTF-8 N-Triples, one line per triple, in the order given."""
    lines = [f"{term_nt(s)} {term_nt(p)} {term_nt(o)} .\n" for s, p, o in triples]
    return "".join(lines).encode("utf-8")


_XSD = "http://www.w3.org/2001/XMLSchema#"


class NTriplesTerms:
    """A term factory (graph.terms.Terms) whose terms are already N-Triples text.

    The store bulk-loads N-Triples, and making text directly is the cheapest way there: no
    term objects are built and then serialized again.
    """

    def iri(self, value: str) -> str:
        return _iri(str(value))  # a URIRef would turn "<" + value into a URIRef

    def string(self, value: str) -> str:
        return '"' + value.translate(_ESCAPES) + '"'

    def zh(self, value: str) -> str:
        return '"' + value.translate(_ESCAPES) + '"@zh'

    def decimal(self, lexical: str) -> str:
        return '"' + lexical + f'"^^<{_XSD}decimal>'

    def integer(self, value: int) -> str:
        return f'"{int(value)}"^^<{_XSD}integer>'

    def boolean(self, value: bool) -> str:
        return f'"{"true" if value else "false"}"^^<{_XSD}boolean>'

    def gyear(self, value: int) -> str:
        return f'"{value:04d}"^^<{_XSD}gYear>'


NTRIPLES = NTriplesTerms()


def lines_to_bytes(triples: Iterable[tuple[str, str, str]]) -> bytes:
    """Triples of NTriplesTerms text → the N-Triples document."""
    return "".join([f"{s} {p} {o} .\n" for s, p, o in triples]).encode("utf-8")
