"""The embedded store: one directory, one named graph per source document, crash-safe replace.

Oxigraph (pyoxigraph) is the engine: it answers the trace query in milliseconds at a million
triples where rdflib's memory store takes seconds (docs/benchmarks.md), and it persists to a
directory with no server to run.

Writing a document uses Oxigraph's bulk loader, which is fast but not transactional, so a
catalog graph records which documents are complete:

1. the document's catalog entry is replaced by a "being written" mark (one transaction),
2. its old named graph is removed,
3. the new triples are bulk-loaded into the named graph,
4. the mark is replaced by the catalog entry (one transaction).

A process killed between 1 and 4 leaves a marked graph; `recover()`, run each time the store is
opened for writing, removes marked graphs. So every document is either wholly in the store or
wholly absent, and re-ingesting never duplicates. Graphs written by other means (SPARQL Update
through the API) carry no mark and are left alone.

The remote store (graph/remote_store.py) keeps the same catalog with the same SPARQL text, built
here by `catalog_update`, `mark` and `entry`; both stores answer the protocol in graph/store_api.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from budgetkg.ontology.namespace import BK

DEFAULT_STORE = "budgetkg-store"
STORE_ENV = "BUDGETKG_STORE"
CATALOG = "https://budgetkg.org/catalog"  # outside graph/: no file name can collide with it
_SOURCE = ox.NamedNode(str(BK.sourceFile))
_SHA256 = ox.NamedNode(str(BK.sha256))
_TRIPLES = ox.NamedNode(str(BK.tripleCount))
_WRITING = ox.NamedNode(str(BK.beingWritten))


LOADERS = min(4, os.cpu_count() or 1)  # concurrent bulk loads per batch (see _load_parallel)


class StoreError(Exception):
    """The store cannot be opened or written; the message says why and what to do."""


@dataclass(frozen=True)
class StoredDocument:
    graph: str  # IRI of the document's named graph
    source: str  # file name the document was read from
    sha256: str  # of the file's bytes, so an unchanged file can be recognised
    triples: int


def store_location(option: str | None) -> str:
    """--store, else $BUDGETKG_STORE, else ./budgetkg-store (a directory or an http(s) URL)."""
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
        self.put_documents([(doc, ntriples)])

    def put_documents(self, items: Sequence[tuple[StoredDocument, bytes]]) -> None:
        """Replace several documents' graphs, each by its N-Triples, with one bulk load.

        The same four steps as for one document, each done once for the batch: a batch of a
        few hundred documents costs one loader start instead of hundreds. Each document is
        still wholly in or absent after a crash, since all are marked before any is touched.
        """
        self._check_writable()
        graphs = unique_graphs(items)
        self._catalog_many(graphs, [mark(g) for g in graphs])
        for graph in graphs:
            self._ox.remove_graph(graph)
        self._load_parallel([(nt, graph) for (_, nt), graph in zip(items, graphs) if nt])
        self._catalog_many(graphs, [entry(g, doc) for (doc, _), g in zip(items, graphs)])

    def _load_parallel(self, docs: list[tuple[bytes, ox.NamedNode]]) -> None:
        """Bulk-load each document's N-Triples into its graph, LOADERS loads at a time.

        One `bulk_load` sorts and writes its index files on one thread and releases the GIL, so
        the documents are shared out by size among LOADERS threads. A load per document, into
        its graph (`to_graph`), parses N-Triples without a graph IRI on every line and makes
        no N-Quads copy, and its graph-first index entries form one key range: at 1 M triples
        7.8–8.8 s in all, where the batch's N-Quads cut in two loads took 10.0–10.4 s, most of
        it in compaction (docs/benchmarks.md). Blank nodes stay apart, a document per load.
        Every document of the batch is already marked, so the crash guarantee is unchanged.

        Loaded leniently (no IRI validation while parsing, ~7 % of a 1 M-triple ingest): the
        bytes are budgetkg's own mapping, whose IRIs graph.iri mints percent-encoded and tests
        load strictly (tests/test_store.py, tests/test_mapping.py)."""

        def load(queue: list[tuple[bytes, ox.NamedNode]]) -> None:
            for nt, graph in queue:
                self._ox.bulk_load(nt, format=ox.RdfFormat.N_TRIPLES, to_graph=graph, lenient=True)

        queues = share_out(docs, LOADERS)
        with ThreadPoolExecutor(max(1, len(queues)), thread_name_prefix="budgetkg-load") as pool:
            list(pool.map(load, queues))

    def delete_document(self, graph_iri: str) -> bool:
        """Remove a document's graph and catalog entry; False when it was not stored."""
        self._check_writable()
        graph = ox.NamedNode(graph_iri)
        known = any(self._ox.quads_for_pattern(graph, None, None, ox.NamedNode(CATALOG)))
        self._catalog(graph, mark(graph))
        self._ox.remove_graph(graph)
        self._catalog(graph, "")
        return known

    def recover(self) -> list[str]:
        """Remove the graphs of writes that did not finish (still marked as being written)."""
        marked = [q.subject for q in self._ox.quads_for_pattern(None, _WRITING, None, ox.NamedNode(CATALOG))]
        for graph in marked:
            self._ox.remove_graph(graph)
            self._catalog(graph, "")
        return [g.value for g in marked]

    def flush(self) -> None:
        if not self.read_only:
            self._ox.flush()

    def optimize(self) -> None:
        """Compact the files a bulk ingest leaves: at 1 M triples it takes 1.5 s and makes the
        trace a third faster (docs/benchmarks.md). Worth it after a batch, not per upload."""
        if not self.read_only:
            self._ox.optimize()

    # --- reading --------------------------------------------------------------------------
    def documents(self) -> list[StoredDocument]:
        """The complete documents, in graph-IRI order."""
        return documents_from(self.select(DOCUMENTS_QUERY))

    def query(self, sparql: str, **options):
        """Run a SPARQL 1.1 query; named graphs are visible, and the default graph is their union
        unless `options` (pyoxigraph's Store.query keywords, which RemoteStore.query takes too)
        name the dataset."""
        if not options.keys() & {"default_graph", "named_graphs", "use_default_graph_as_union"}:
            options["use_default_graph_as_union"] = True
        return self._ox.query(sparql, **options)

    def select(self, sparql: str) -> ox.QuerySolutions:
        """A SELECT's rows; `row["var"]` is a pyoxigraph term or None (the store_api protocol)."""
        return self.query(sparql)

    def construct(self, sparql: str) -> Iterator[ox.Triple]:
        """A CONSTRUCT's triples, streamed."""
        return iter(self.query(sparql))

    def graph_quads(self, graph_iri: str) -> Iterator[ox.Quad]:
        """The quads of one named graph, streamed."""
        return self._ox.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri))

    def has_graph(self, graph_iri: str) -> bool:
        """Whether a named graph of that name exists, even empty (the Graph Store Protocol's
        404 and 201 turn on it)."""
        return self._ox.contains_named_graph(ox.NamedNode(graph_iri))

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL 1.1 Update (one transaction)."""
        self._check_writable()
        self._ox.update(sparql, base_iri=base_iri)

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self._ox)

    def __len__(self) -> int:
        return len(self._ox)

    @property
    def engine(self) -> ox.Store:
        """The underlying pyoxigraph Store, for serializers and benchmarks."""
        return self._ox

    # --- internals ------------------------------------------------------------------------
    def _catalog(self, graph: ox.NamedNode, statements: str) -> None:
        """Replace everything the catalog says about `graph` by `statements`, in one transaction."""
        self._catalog_many([graph], [statements] if statements else [])

    def _catalog_many(self, graphs: Sequence[ox.NamedNode], entries: Sequence[str]) -> None:
        """Replace what the catalog says about each of `graphs` by `entries`, in one transaction."""
        self._ox.update(catalog_update(graphs, entries))

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: the store is open read-only")


def as_nquads(ntriples: bytes, graph: ox.NamedNode) -> bytes:
    """N-Triples lines → N-Quads lines in `graph`. Each line ends in " .\\n", and no literal
    holds a raw newline (N-Triples escapes it), so the line ends are exactly these."""
    if ntriples.count(b"\n") != ntriples.count(b" .\n") or not ntriples.endswith(b"\n"):
        raise ValueError("N-Triples for the store must end each line with ' .\\n'")
    return ntriples.replace(b" .\n", f" {graph} .\n".encode())


def share_out(docs: list[tuple[bytes, ox.NamedNode]], parts: int) -> list[list[tuple[bytes, ox.NamedNode]]]:
    """Documents dealt into at most `parts` queues of about equal bytes, largest first, each
    queue in input order; no queue is empty."""
    queues: list[list[int]] = [[] for _ in range(max(1, min(parts, len(docs))))]
    sizes = [0] * len(queues)
    for i in sorted(range(len(docs)), key=lambda i: -len(docs[i][0])):
        k = sizes.index(min(sizes))
        queues[k].append(i)
        sizes[k] += len(docs[i][0])
    return [[docs[i] for i in sorted(q)] for q in queues if q]


# --- the catalog protocol, shared with the remote store (pure builders of SPARQL text) ----------
DOCUMENTS_QUERY = (
    f"SELECT ?g ?src ?sha ?n WHERE {{ GRAPH <{CATALOG}> {{ ?g <{_SOURCE.value}> ?src ; "
    f"<{_SHA256.value}> ?sha ; <{_TRIPLES.value}> ?n }} }} ORDER BY ?g"
)
MARKED_QUERY = f"SELECT ?g WHERE {{ GRAPH <{CATALOG}> {{ ?g <{_WRITING.value}> ?mark }} }}"


def documents_from(rows) -> list[StoredDocument]:
    """StoredDocuments from the rows of DOCUMENTS_QUERY."""
    return [StoredDocument(r["g"].value, r["src"].value, r["sha"].value, int(r["n"].value)) for r in rows]


def catalog_update(graphs: Sequence[ox.NamedNode], entries: Sequence[str]) -> str:
    """SPARQL Update replacing what the catalog says about each of `graphs` by `entries`."""
    values = " ".join(str(g) for g in graphs)
    update = (f"DELETE {{ GRAPH <{CATALOG}> {{ ?g ?p ?o }} }} WHERE {{ VALUES ?g {{ {values} }} "
              f"GRAPH <{CATALOG}> {{ ?g ?p ?o }} }}")
    if entries:
        update += f" ; INSERT DATA {{ GRAPH <{CATALOG}> {{ {' '.join(entries)} }} }}"
    return update


def mark(graph: ox.NamedNode) -> str:
    """The catalog statement saying `graph` is being written (not yet complete)."""
    return f"{graph} <{_WRITING.value}> true ."


def entry(graph: ox.NamedNode, doc: StoredDocument) -> str:
    """The catalog statements of a complete document."""
    return (f"{graph} <{_SOURCE.value}> {ox.Literal(doc.source)} ; <{_SHA256.value}> {ox.Literal(doc.sha256)} ; "
            f"<{_TRIPLES.value}> {doc.triples} .")


def unique_graphs(items: Sequence[tuple[StoredDocument, bytes]]) -> list[ox.NamedNode]:
    """The batch's graphs; a graph twice in one batch is refused (its two writes would race)."""
    graphs = [ox.NamedNode(doc.graph) for doc, _ in items]
    if len(set(graphs)) != len(graphs):
        raise ValueError("put_documents: the same graph twice in one batch")
    return graphs


def _open(path: Path | None, read_only: bool) -> ox.Store:
    if path is None:
        return ox.Store()
    if read_only and not path.exists():
        raise StoreError(f"{path}: no store here; run `budgetkg ingest FILE... --store {path}` first")
    try:
        if read_only:
            return ox.Store.read_only(str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise StoreError(
                f"{path}: the store is in use by another budgetkg process (a running `serve` or "
                "`ingest`); stop it or give another --store"
            ) from exc
        raise StoreError(f"{path}: cannot open the store: {exc}") from exc
