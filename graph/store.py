"""The embedded store: one directory, one named graph per source document, crash-safe replace.

Oxigraph (pyoxigraph) is the engine: it answers the trace query in milliseconds at a million
triples where rdflib's memory store takes seconds (docs/benchmarks.md), and it persists to a
directory with no server to run.

Writing a document uses Oxigraph's bulk loader, which is fast but not transactional, so a
catalog graph records which documents are complete:

1. the document's catalog entry is deleted (one transaction),
2. its old named graph is removed,
3. the new triples are bulk-loaded into the named graph,
4. the catalog entry is written (one transaction).

A process killed between 1 and 4 leaves a graph with no catalog entry; `recover()`, run each
time the store is opened for writing, removes such graphs. So every document is either wholly
in the store or wholly absent, and re-ingesting never duplicates.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

DEFAULT_STORE = "budgetkg-store"
STORE_ENV = "BUDGETKG_STORE"
CATALOG = "https://budgetkg.org/graph/catalog"
_BKG = "https://budgetkg.org/ontology#"
_SOURCE = ox.NamedNode(_BKG + "sourceFile")
_SHA256 = ox.NamedNode(_BKG + "sha256")
_TRIPLES = ox.NamedNode(_BKG + "tripleCount")


class StoreError(Exception):
    """The store cannot be opened or written; the message says why and what to do."""


@dataclass(frozen=True)
class StoredDocument:
    graph: str  # IRI of the document's named graph
    source: str  # file name the document was read from
    sha256: str  # of the file's bytes, so an unchanged file can be recognised
    triples: int


def store_location(option: str | None) -> str:
    """--store, else $BUDGETKG_STORE, else ./budgetkg-store."""
    return option or os.environ.get(STORE_ENV) or DEFAULT_STORE


class GraphStore:
    """A budgetkg graph in an Oxigraph store on disk (or in memory when `path` is None)."""

    def __init__(self, path: str | os.PathLike | None, *, read_only: bool = False):
        self.path = None if path is None else Path(path)
        self._ox = _open(self.path, read_only)
        self.read_only = read_only
        if not read_only:
            self.recover()

    # --- writing --------------------------------------------------------------------------
    def put_document(self, doc: StoredDocument, ntriples: bytes) -> None:
        """Replace the named graph `doc.graph` by the given N-Triples (see the module doc)."""
        self._check_writable()
        graph = ox.NamedNode(doc.graph)
        self._forget(graph)
        self._ox.remove_graph(graph)
        if ntriples:
            self._ox.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
        self._register(graph, doc)

    def delete_document(self, graph_iri: str) -> bool:
        """Remove a document's graph and catalog entry; False when it was not stored."""
        self._check_writable()
        graph = ox.NamedNode(graph_iri)
        known = any(self._ox.quads_for_pattern(graph, None, None, ox.NamedNode(CATALOG)))
        self._forget(graph)
        self._ox.remove_graph(graph)
        return known

    def recover(self) -> list[str]:
        """Remove named graphs that have no catalog entry (a write that did not finish)."""
        complete = {d.graph for d in self.documents()}
        stale = [g for g in self._ox.named_graphs() if isinstance(g, ox.NamedNode)
                 and g.value != CATALOG and g.value not in complete]
        for graph in stale:
            self._ox.remove_graph(graph)
        return [g.value for g in stale]

    def flush(self) -> None:
        if not self.read_only:
            self._ox.flush()

    # --- reading --------------------------------------------------------------------------
    def documents(self) -> list[StoredDocument]:
        """The complete documents, in graph-IRI order."""
        rows = self._ox.query(
            f"SELECT ?g ?src ?sha ?n WHERE {{ GRAPH <{CATALOG}> {{ ?g <{_SOURCE.value}> ?src ; "
            f"<{_SHA256.value}> ?sha ; <{_TRIPLES.value}> ?n }} }} ORDER BY ?g"
        )
        return [StoredDocument(r["g"].value, r["src"].value, r["sha"].value, int(r["n"].value)) for r in rows]

    def query(self, sparql: str, **options):
        """Run a SPARQL 1.1 query; named graphs are visible, and the default graph is their union."""
        return self._ox.query(sparql, use_default_graph_as_union=True, **options)

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self._ox)

    def __len__(self) -> int:
        return len(self._ox)

    @property
    def engine(self) -> ox.Store:
        """The underlying pyoxigraph Store, for serializers and benchmarks."""
        return self._ox

    # --- internals ------------------------------------------------------------------------
    def _forget(self, graph: ox.NamedNode) -> None:
        self._ox.update(f"DELETE WHERE {{ GRAPH <{CATALOG}> {{ {graph} ?p ?o }} }}")

    def _register(self, graph: ox.NamedNode, doc: StoredDocument) -> None:
        catalog = ox.NamedNode(CATALOG)
        self._ox.extend([
            ox.Quad(graph, _SOURCE, ox.Literal(doc.source), catalog),
            ox.Quad(graph, _SHA256, ox.Literal(doc.sha256), catalog),
            ox.Quad(graph, _TRIPLES, ox.Literal(str(doc.triples), datatype=_XSD_INTEGER), catalog),
        ])

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: the store is open read-only")


_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def _open(path: Path | None, read_only: bool) -> ox.Store:
    if path is None:
        return ox.Store()
    if read_only and not path.exists():
        raise StoreError(f"{path}: no store here; run `budgetkg ingest FILE... --store {path}` first")
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise StoreError(
                f"{path}: the store is in use by another budgetkg process (a running `serve` or "
                "`ingest`); stop it or give another --store"
            ) from exc
        raise StoreError(f"{path}: cannot open the store: {exc}") from exc
