"""SPARQL results written in the standard formats, and as a plain table for people.

One renderer per format name; the CLI and the HTTP API pick them by name or media type, so a
format is added in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

# name → (media type, pyoxigraph format) for SELECT/ASK results
RESULT_FORMATS: dict[str, tuple[str, ox.QueryResultsFormat | None]] = {
    "json": ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    "xml": ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    "csv": ("text/csv", ox.QueryResultsFormat.CSV),
    "tsv": ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    "table": ("text/plain", None),
}
# name → (media type, pyoxigraph format) for CONSTRUCT/DESCRIBE results and exports
GRAPH_FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {
    "turtle": ("text/turtle", ox.RdfFormat.TURTLE),
    "ntriples": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "nquads": ("application/n-quads", ox.RdfFormat.N_QUADS),
    "trig": ("application/trig", ox.RdfFormat.TRIG),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "rdfxml": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}
QUAD_FORMATS = ("nquads", "trig")


@dataclass(frozen=True)
class Rendered:
    media_type: str
    body: bytes


def render(result, fmt: str, *, graph_fmt: str = "turtle") -> Rendered:
    """Serialize a pyoxigraph query result: SELECT/ASK as `fmt`, CONSTRUCT/DESCRIBE as `graph_fmt`."""
    if isinstance(result, ox.QueryTriples):
        media, rdf = GRAPH_FORMATS[graph_fmt]
        if graph_fmt in QUAD_FORMATS:
            raise ValueError(f"{graph_fmt} holds quads; a CONSTRUCT result is triples: use turtle or ntriples")
        return Rendered(media, result.serialize(format=rdf) or b"")
    media, standard = RESULT_FORMATS[fmt]
    if standard is not None:
        return Rendered(media, result.serialize(format=standard) or b"")
    return Rendered(media, table(result).encode("utf-8"))


def table(result) -> str:
    """An aligned text table of a SELECT result (or yes/no for ASK)."""
    if isinstance(result, ox.QueryBoolean):
        return ("yes" if bool(result) else "no") + "\n"
    names = [v.value for v in result.variables]
    rows = [[_cell(solution[name]) for name in names] for solution in result]
    widths = [max([_width(n)] + [_width(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = [_line(names, widths), _line(["-" * w for w in widths], widths)]
    lines += [_line(r, widths) for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def solutions_as_dicts(result) -> list[dict[str, str | None]]:
    """SELECT rows as {variable: value as text}: the simple JSON the REST endpoints return."""
    names = [v.value for v in result.variables]
    return [{n: _value(solution[n]) for n in names} for solution in result]


def _value(term) -> str | None:
    return None if term is None else term.value


def _cell(term) -> str:
    if term is None:
        return ""
    text = term.value
    return text if len(text) <= 60 else text[:57] + "..."


def _width(text: str) -> int:
    """Display width: CJK glyphs take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()
