"""Disclosure files → the store: extract, map, replace each document's named graph.

One document at a time, so memory stays bounded by the largest document, and a failing file
is reported and skipped without touching what the store already holds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from budgetkg.extract.load import document_from_bytes
from budgetkg.extract.model import Issue, Record
from budgetkg.extract.pipeline import extract_document
from budgetkg.extract.read import UnreadableInput
from budgetkg.graph.iri import graph_iri
from budgetkg.graph.mapping import record_to_triples
from budgetkg.graph.ntriples import NTRIPLES, lines_to_bytes
from budgetkg.graph.store import GraphStore, StoredDocument


@dataclass(frozen=True)
class Ingested:
    path: str
    source: str
    graph: str
    triples: int
    projects: int
    issues: tuple[Issue, ...]  # what the extraction could not read, with lines


@dataclass(frozen=True)
class Rejected:
    path: str
    reason: str


def document_bytes(record: Record) -> tuple[bytes, int]:
    """The N-Triples of one record's named graph and its triple count (pure: no store)."""
    triples = record_to_triples(record, NTRIPLES)
    return lines_to_bytes(triples), len(triples)


def ingest_file(store: GraphStore, path: str | Path, *, dry_run: bool = False) -> Ingested:
    """Extract one file and replace its document in the store (not with `dry_run`)."""
    return ingest_bytes(store, Path(path).read_bytes(), str(path), dry_run=dry_run)


def ingest_bytes(store: GraphStore, data: bytes, path: str, *, dry_run: bool = False) -> Ingested:
    """Extract a disclosure given as bytes (read once: decoded and hashed from the same bytes)
    and replace the document named by the base name of `path`. Raises UnreadableInput."""
    record = extract_document(document_from_bytes(data, path))
    body, count = document_bytes(record)
    doc = StoredDocument(graph_iri(record.source), record.source, hashlib.sha256(data).hexdigest(), count)
    if not dry_run:
        store.put_document(doc, body)
    return Ingested(path, record.source, doc.graph, count, len(record.performance_projects), record.issues)


def ingest_many(
    store: GraphStore, paths: Iterable[str | Path], *, dry_run: bool = False
) -> Iterator[Ingested | Rejected]:
    """Each file's outcome in order; a file that cannot be read or mapped is Rejected."""
    for path in paths:
        try:
            yield ingest_file(store, path, dry_run=dry_run)
        except UnreadableInput as exc:
            yield Rejected(str(path), exc.reason)
        except OSError as exc:
            yield Rejected(str(path), exc.strerror or str(exc))
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop a batch
            yield Rejected(str(path), f"internal error ({type(exc).__name__}: {exc}); please report it with the file")
