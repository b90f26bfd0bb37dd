"""Disclosure files → the store: extract, map, replace each document's named graph.

Two ways to the same store:

- `ingest_many`: in this process, one document at a time (the API's uploads, the tests' stores).
- `ingest_files`: extraction and mapping (`prepare_file`) in worker processes under per-document
  limits (extract/workers.py), and one writer, this process, handing documents to `write` in
  batches (`write_in_batches`), so a store writes a few hundred documents with one bulk load.
  Streamed: a bounded number of documents is in memory whatever the corpus size.

Either way a failing file is Rejected with its reason and never touches what the store holds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from budgetkg.extract.load import document_from_bytes
from budgetkg.extract.model import Issue, Record
from budgetkg.extract.pipeline import Failure, extract_document
from budgetkg.extract.policies import CitationTally, Spelling, mentions_of
from budgetkg.extract.read import UnreadableInput
from budgetkg.extract.workers import Limits, run_files
from budgetkg.graph.iri import graph_iri
from budgetkg.graph.mapping import record_to_triples
from budgetkg.graph.ntriples import NTRIPLES, lines_to_bytes
from budgetkg.graph.store import StoredDocument

if TYPE_CHECKING:
    from budgetkg.graph.store_api import Store


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


@dataclass(frozen=True)
class Prepared:
    """One document extracted and mapped (in a worker), ready for the writer."""

    doc: StoredDocument
    ntriples: bytes
    outcome: Ingested  # what is reported once it is written
    spellings: tuple[Spelling, ...]  # how it cites: policies resolve from these without a store


@dataclass(frozen=True)
class BatchSize:
    """When the writer writes: a batch is written once it holds this many triples, bytes or
    documents. On 2 cores, 1 M triples in 82 documents into an empty store, 50,000-triple
    batches are within 10 % of the fastest batch size measured (docs/benchmarks.md, "Ingest at
    1 M after parallel bulk loads") and are ~11 MB of N-Triples: the writer's memory stays small."""

    triples: int = 50_000
    bytes: int = 64 * 2**20
    documents: int = 1_000  # also bounds a run of rejected files waiting for their turn


Writer = Callable[[Sequence[Prepared]], None]


def document_bytes(record: Record) -> tuple[bytes, int]:
    """The N-Triples of one record's named graph and its triple count (pure: no store)."""
    triples = record_to_triples(record, NTRIPLES)
    return lines_to_bytes(triples), len(triples)


def prepare_bytes(data: bytes, path: str) -> Prepared:
    """Extract and map a disclosure given as bytes (read once: decoded and hashed from the same
    bytes); the document is named by the base name of `path`. Raises UnreadableInput."""
    record = extract_document(document_from_bytes(data, path))
    body, count = document_bytes(record)
    doc = StoredDocument(graph_iri(record.source), record.source, hashlib.sha256(data).hexdigest(), count)
    outcome = Ingested(path, record.source, doc.graph, count, len(record.performance_projects), record.issues)
    return Prepared(doc, body, outcome, tuple(map(Spelling.of, mentions_of(record))))


def prepare_file(path: str) -> Prepared | Rejected:
    """One file extracted and mapped, or why not: the task `ingest --jobs` runs in a worker.
    MemoryError passes through, since under a worker's limit extract/workers.py names it."""
    try:
        return prepare_bytes(Path(path).read_bytes(), str(path))
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop a batch
        return rejection(str(path), exc)


def rejection(path: str, exc: Exception) -> Rejected:
    """What the user is told about a file that could not be read, mapped or written."""
    if isinstance(exc, UnreadableInput):
        return Rejected(path, exc.reason)
    if isinstance(exc, OSError):
        return Rejected(path, exc.strerror or str(exc))
    return Rejected(path, f"internal error ({type(exc).__name__}: {exc}); please report it with the file")


# --- in this process, one document at a time --------------------------------------------------------
def ingest_file(store: Store, path: str | Path, *, dry_run: bool = False) -> Ingested:
    """Extract one file and replace its document in the store (not with `dry_run`)."""
    return ingest_bytes(store, Path(path).read_bytes(), str(path), dry_run=dry_run)


def ingest_bytes(store: Store, data: bytes, path: str, *, dry_run: bool = False) -> Ingested:
    """Extract a disclosure given as bytes and replace its document. Raises UnreadableInput."""
    prepared = prepare_bytes(data, path)
    if not dry_run:
        store.put_document(prepared.doc, prepared.ntriples)
    return prepared.outcome


def ingest_many(
    store: Store, paths: Iterable[str | Path], *, dry_run: bool = False
) -> Iterator[Ingested | Rejected]:
    """Each file's outcome in order; a file that cannot be read or mapped is Rejected."""
    for path in paths:
        try:
            yield ingest_file(store, path, dry_run=dry_run)
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop a batch
            yield rejection(str(path), exc)


# --- in worker processes, written in batches ---------------------------------------------------------
def ingest_files(
    write: Writer | None, paths: Iterable[str], *, jobs: int = 1, limits: Limits | None = None,
    batch: BatchSize | None = None,
) -> Iterator[Ingested | Rejected]:
    """Each file's outcome in input order, once its document is written (`write` None: once it
    is mapped, nothing written). Extraction and mapping run in `jobs` worker processes under
    `limits`; a file stopped by a limit is Rejected with the reason."""
    prepared = (_rejected(r) if isinstance(r, Failure) else r
                for r in run_files(prepare_file, paths, jobs=jobs, limits=limits or Limits()))
    return write_in_batches(prepared, write, batch or BatchSize())


def store_writer(store: Store, tally: CitationTally | None = None) -> Writer:
    """A batch of documents → the store, with one bulk load (each document still wholly in or
    absent after a crash: see graph/store.py). With `tally`, the citations of each document
    written are counted there, so policies can be resolved without asking the store."""

    def write(docs: Sequence[Prepared]) -> None:
        store.put_documents([(d.doc, d.ntriples) for d in docs])
        if tally is not None:
            for d in docs:
                tally.put(d.doc.graph, d.spellings)

    return write


def write_in_batches(
    items: Iterable[Prepared | Rejected], write: Writer | None, batch: BatchSize | None = None
) -> Iterator[Ingested | Rejected]:
    """Hand documents to `write` in batches bounded by `batch`; yield every outcome in input
    order once its batch is written (`write` None: at once, nothing written).

    Writing runs in a thread of its own, one batch at a time, while the next batch fills: the
    workers keep extracting during a bulk load (which releases the GIL) instead of waiting for
    it. So at most two batches are held: the one being written and the one filling."""
    if write is None:
        yield from (item.outcome if isinstance(item, Prepared) else item for item in items)
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="budgetkg-writer") as writer:
        previous = None
        for pending in batches(items, batch or BatchSize()):
            docs = [p for p in pending if isinstance(p, Prepared)]
            current = (writer.submit(_write, docs, write), pending)
            if previous:
                yield from _outcomes(*previous)
            previous = current
        if previous:
            yield from _outcomes(*previous)


def batches(items: Iterable[Prepared | Rejected], bound: BatchSize) -> Iterator[list[Prepared | Rejected]]:
    """Consecutive items cut into batches within `bound`. A batch names each graph once (a later
    file of the same name starts a new batch, so it replaces the earlier as it would alone);
    rejected files ride along in their place, so outcomes keep the input order."""
    pending: list[Prepared | Rejected] = []
    graphs: set[str] = set()
    triples = size = 0
    for item in items:
        if isinstance(item, Prepared):
            if item.doc.graph in graphs:
                yield pending
                pending, graphs, triples, size = [], set(), 0, 0
            graphs.add(item.doc.graph)
            triples, size = triples + item.doc.triples, size + len(item.ntriples)
        pending.append(item)
        if triples >= bound.triples or size >= bound.bytes or len(pending) >= bound.documents:
            yield pending
            pending, graphs, triples, size = [], set(), 0, 0
    if pending:
        yield pending


def _outcomes(written: Future, pending: list[Prepared | Rejected]) -> Iterator[Ingested | Rejected]:
    """The outcomes of a batch once it is written (waits for it)."""
    failed = written.result()
    for item in pending:
        if isinstance(item, Rejected):
            yield item
        elif item.doc.graph in failed:
            yield Rejected(item.outcome.path, failed[item.doc.graph])
        else:
            yield item.outcome


def _write(docs: list[Prepared], write: Writer) -> dict[str, str]:
    """Write the batch; when it fails, each document alone, so one bad document costs only
    itself. The graphs that could not be written, with the reason."""
    if not docs:
        return {}
    try:
        write(docs)
        return {}
    except Exception as exc:  # noqa: BLE001 - retried one by one below, each failure reported
        if len(docs) == 1:
            return {docs[0].doc.graph: _write_reason(exc)}
    failed: dict[str, str] = {}
    for doc in docs:
        failed.update(_write_alone(doc, write))
    return failed


def _write_alone(doc: Prepared, write: Writer) -> dict[str, str]:
    try:
        write([doc])
        return {}
    except Exception as exc:  # noqa: BLE001 - one document that cannot be written is reported
        return {doc.doc.graph: _write_reason(exc)}


def _write_reason(exc: Exception) -> str:
    return f"cannot be written ({type(exc).__name__}: {exc})"


def _rejected(failure: Failure) -> Rejected:
    return Rejected(failure.path, failure.reason)
