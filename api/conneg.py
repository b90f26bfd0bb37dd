"""Content negotiation: which result format an Accept header asks for, by q-value.

Each query form (SELECT, ASK, CONSTRUCT/DESCRIBE) has its own list of formats, each with the
media types clients use for it (SPARQLWrapper, for one, sends `application/json` beside the
SPARQL type). The format is chosen before the query is run, for all three forms at once, since
the form is known only once the query is parsed in the worker.
"""

from __future__ import annotations

from dataclasses import dataclass

# format name → media types that select it; the first is the one answered with.
# Order is the server's preference when the client's q-values tie.
SELECT_TYPES: dict[str, tuple[str, ...]] = {
    "json": ("application/sparql-results+json", "application/json"),
    "xml": ("application/sparql-results+xml", "application/xml", "text/xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
}
ASK_TYPES = {name: SELECT_TYPES[name] for name in ("json", "xml")}
GRAPH_TYPES: dict[str, tuple[str, ...]] = {
    "turtle": ("text/turtle", "application/turtle", "application/x-turtle"),
    "ntriples": ("application/n-triples", "text/plain"),
    "jsonld": ("application/ld+json", "application/json"),
    "rdfxml": ("application/rdf+xml", "application/xml", "text/xml"),
}


@dataclass(frozen=True)
class Formats:
    """The format to answer each query form with; None when the client accepts none of them."""

    select: str | None
    ask: str | None
    graph: str | None


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float

    def matches(self, media: str) -> int:
        """Specificity of the match (3 exact, 2 type/*, 1 */*), 0 when it does not match."""
        mtype, _, msub = media.partition("/")
        if self.type == mtype and self.subtype == msub:
            return 3
        if self.type == mtype and self.subtype == "*":
            return 2
        return 1 if self.type == "*" and self.subtype == "*" else 0


def negotiate(accept: str | None) -> Formats:
    """The formats an Accept header selects (no header, or */*: JSON and Turtle)."""
    ranges = parse_accept(accept)
    return Formats(_choose(ranges, SELECT_TYPES), _choose(ranges, ASK_TYPES), _choose(ranges, GRAPH_TYPES))


def parse_accept(accept: str | None) -> list[_Range]:
    if not accept or not accept.strip():
        return [_Range("*", "*", 1.0)]
    ranges = []
    for part in accept.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        mtype, slash, msub = media.lower().partition("/")
        if not slash or not mtype or not msub:
            continue
        ranges.append(_Range(mtype, msub, _q(params)))
    return ranges


def _q(params: list[str]) -> float:
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "q":
            try:
                return min(max(float(value.strip()), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def _choose(ranges: list[_Range], table: dict[str, tuple[str, ...]]) -> str | None:
    """The format with the highest q (ties: the table's order); None when all are refused."""
    best, best_q = None, 0.0
    for name, medias in table.items():
        q = max((_quality(ranges, m) for m in medias), default=0.0)
        if q > best_q:
            best, best_q = name, q
    return best


def _quality(ranges: list[_Range], media: str) -> float:
    """RFC 9110: the most specific range that matches a media type gives its q."""
    best_spec, q = 0, 0.0
    for r in ranges:
        spec = r.matches(media)
        if spec > best_spec or (spec == best_spec and spec and r.q > q):
            best_spec, q = spec, r.q
    return q


def media_type(table: dict[str, tuple[str, ...]], name: str) -> str:
    return table[name][0]
