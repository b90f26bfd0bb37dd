"""SPARQL results written from a bounded list of rows, in the four standard formats.

pyoxigraph serializes a whole result iterator and cannot stop after n rows, so a result cut at
the row limit is written here: SPARQL 1.1 Query Results JSON, XML, CSV and TSV. Graph results
(CONSTRUCT/DESCRIBE) are cut the same way and handed to pyoxigraph's own RDF serializers.

A cut JSON result carries `"truncated": true` as an extra top-level key, written first: clients
read `head` and `results` and skip other keys, but a streaming reader (Oxigraph's) stops at the
end of `results` and rejects anything after it. Every format also gets the `X-Truncated`
response header (set by the router).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from budgetkg.api.conneg import GRAPH_TYPES, SELECT_TYPES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_BOOLEAN_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}


def first(items: Iterable, limit: int) -> tuple[list, bool]:
    """The first `limit` items, and whether there were more (one more is read to know)."""
    taken = list(islice(items, limit + 1))
    return taken[:limit], len(taken) > limit


def solutions(variables: list[str], rows: list, fmt: str, truncated: bool) -> tuple[str, bytes]:
    """(media type, body) of SELECT rows (pyoxigraph QuerySolution) in `fmt`."""
    writer = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[fmt]
    return SELECT_TYPES[fmt][0], writer(variables, rows, truncated)


def boolean(result: ox.QueryBoolean, fmt: str) -> tuple[str, bytes]:
    return SELECT_TYPES[fmt][0], result.serialize(format=_BOOLEAN_FORMATS[fmt]) or b""


def triples(items: list, fmt: str) -> tuple[str, bytes]:
    return GRAPH_TYPES[fmt][0], ox.serialize(items, format=RDF_FORMATS[fmt]) or b""


def _cells(variables: list[str], row) -> Iterator[tuple[str, object]]:
    for i, name in enumerate(variables):
        yield name, row[i]


# --- JSON ----------------------------------------------------------------------------------
def _json(variables: list[str], rows: list, truncated: bool) -> bytes:
    bindings = [{n: _json_term(t) for n, t in _cells(variables, row) if t is not None} for row in rows]
    doc: dict = {"truncated": True} if truncated else {}  # first: streaming readers stop after results
    doc.update(head={"vars": variables}, results={"bindings": bindings})
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {
            "subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
            "object": _json_term(term.object)}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


# --- XML -----------------------------------------------------------------------------------
_XML_HEAD = '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def _xml(variables: list[str], rows: list, truncated: bool) -> bytes:
    out = [_XML_HEAD, "<head>"]
    out += [f"<variable name={quoteattr(n)}/>" for n in variables]
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        out += [f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                for n, t in _cells(variables, row) if t is not None]
        out.append("</result>")
    out.append("</results></sparql>")
    return "".join(out).encode("utf-8")


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>"
                f"{_xml_term(term.predicate)}</predicate><object>{_xml_term(term.object)}</object></triple>")
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


# --- CSV and TSV -----------------------------------------------------------------------------
def _csv(variables: list[str], rows: list, truncated: bool) -> bytes:
    """SPARQL 1.1 CSV: plain values (an IRI as itself, a literal as its text), CRLF lines."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(t) for _, t in _cells(variables, row)])
    return buf.getvalue().encode("utf-8")


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _tsv(variables: list[str], rows: list, truncated: bool) -> bytes:
    """SPARQL 1.1 TSV: `?var` header, each term in N-Triples syntax (tabs escaped in literals)."""
    lines = ["\t".join("?" + n for n in variables)]
    lines += ["\t".join("" if t is None else str(t) for _, t in _cells(variables, row)) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")
