"""What every budgetkg store answers, embedded (graph/store.py) or a SPARQL server (graph/remote_store.py).

Callers in graph/ and budgetkg/commands/ use only these methods, so ingest, query, trace, export,
stats, analyze and view run unchanged on either. Rows and terms are pyoxigraph's on both: a remote
store parses the server's answers into pyoxigraph terms, so `row["var"].value` reads the same.

The default graph of `query` and `select` is the union of the named graphs on both (the embedded
store's convention; a remote store asks the server for it, see remote_store.py), but the library's
own queries name their graphs (GRAPH ?g, GRAPH <catalog>) wherever the answer depends on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

import pyoxigraph as ox
from budgetkg.graph.remote_store import RemoteStore
from budgetkg.graph.store import GraphStore, StoredDocument, store_location


class Row(Protocol):
    def __getitem__(self, key: str | int) -> Any: ...  # a pyoxigraph term, or None when unbound


class Store(Protocol):
    """A graph of documents, one named graph each, with a catalog of the complete ones."""

    read_only: bool

    # writing: each document wholly in or absent, whatever happens mid-write
    def put_document(self, doc: StoredDocument, ntriples: bytes) -> None: ...
    def put_documents(self, items: Sequence[tuple[StoredDocument, bytes]]) -> None: ...
    def delete_document(self, graph_iri: str) -> bool: ...
    def recover(self) -> list[str]: ...
    def update(self, sparql: str, *, base_iri: str | None = None) -> None: ...
    def flush(self) -> None: ...
    def optimize(self) -> None: ...

    # reading
    def documents(self) -> list[StoredDocument]: ...
    def query(self, sparql: str, **options: Any) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """options: pyoxigraph's Store.query keywords (base_iri, use_default_graph_as_union,
        default_graph, named_graphs); the default graph is the union of the named graphs."""
    def select(self, sparql: str) -> Iterable[Row]: ...
    def construct(self, sparql: str) -> Iterator[ox.Triple]: ...
    def graph_quads(self, graph_iri: str) -> Iterator[ox.Quad]: ...
    def has_graph(self, graph_iri: str) -> bool: ...  # a named graph of that name exists
    def quads(self) -> Iterator[ox.Quad]: ...
    def __len__(self) -> int: ...


def is_remote(location: str) -> bool:
    """A location naming a SPARQL endpoint rather than a directory."""
    return location.lower().startswith(("http://", "https://"))


def open_location(location: str | None, *, read_only: bool) -> Store:
    """The store at `location` (--store: a directory or an endpoint URL; see store_location)."""
    where = store_location(location)
    if is_remote(where):
        return RemoteStore(where, read_only=read_only)
    return GraphStore(where, read_only=read_only)
