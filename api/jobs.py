"""What the web process asks a query worker to do, and what comes back.

Plain frozen dataclasses, so they cross the process boundary by pickling and carry no engine
objects: the worker owns the store; the web process owns HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from budgetkg.api.conneg import Formats


@dataclass(frozen=True)
class Dataset:
    """The protocol's default-graph-uri / named-graph-uri (None: the parameter was not given)."""

    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None

    @property
    def given(self) -> bool:
        return self.default_graphs is not None or self.named_graphs is not None


@dataclass(frozen=True)
class QueryJob:
    """Run a query and render it in the negotiated format, at most `max_rows` rows."""

    text: str
    formats: Formats
    max_rows: int
    dataset: Dataset = field(default_factory=Dataset)
    base_iri: str | None = None


@dataclass(frozen=True)
class RowsJob:
    """Run a SELECT and return its rows as {variable: text}: for the REST endpoints."""

    text: str
    max_rows: int


@dataclass(frozen=True)
class UpdateJob:
    """Run a SPARQL Update (only sent when the store is writable and the caller authorised)."""

    text: str
    base_iri: str | None = None


@dataclass(frozen=True)
class TraceJob:
    """Trace the policies named by `text` with the library (graph.trace), as `budgetkg trace --json`;
    at most `max_rows` links in all."""

    text: str
    relations: tuple[str, ...]
    kpis: bool
    max_rows: int


@dataclass(frozen=True)
class IngestJob:
    """Ingest one uploaded disclosure: `filename` is already sanitized, `data` its bytes."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class DeleteJob:
    """Remove the document read from `source` (its file name), then refresh the policies graph."""

    source: str


@dataclass(frozen=True)
class GraphGetJob:
    """Graph Store Protocol GET: one named graph (`graph`), or the default graph (None: the
    union of the named graphs, as /sparql sees it), whole, in the RDF format named `fmt`."""

    graph: str | None
    fmt: str


@dataclass(frozen=True)
class GraphWriteJob:
    """Graph Store Protocol PUT (`replace`) or POST (merge): `data` in the RDF format `fmt`
    into the named graph `graph` (already checked to be writable by the protocol)."""

    graph: str
    data: bytes
    fmt: str
    replace: bool


@dataclass(frozen=True)
class GraphDeleteJob:
    """Graph Store Protocol DELETE of the named graph `graph`."""

    graph: str


@dataclass(frozen=True)
class Rendered:
    """A successful answer: the body in its media type, and whether rows were cut."""

    media_type: str
    body: bytes
    truncated: bool = False
    rows: list[dict[str, str | None]] | None = None  # for RowsJob
    data: object = None  # plain JSON-ready data, for the jobs that run library functions


@dataclass(frozen=True)
class Failed:
    """An answer in the API's error shape (see errors.py), decided in the worker."""

    status: int
    title: str
    detail: str
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Ready:
    """First message of a worker: the store is open."""


@dataclass(frozen=True)
class CannotStart:
    """First message of a worker that could not open the store; `reason` is for the user."""

    reason: str
