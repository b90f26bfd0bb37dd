"""Documents → one N-Quads file, for a triple store server's own bulk loader (Virtuoso's ld_dir,
`oxigraph load`, GraphDB's ImportRDF): the same quads `budgetkg ingest` would put in a store —
each document's named graph, its catalog entry, and the policies graph resolved across all of
them — without a store.

The policies graph is resolved from the citations the workers read out of each record
(Prepared.spellings), counted as graph/policy_graph.py counts those it reads back from a store,
so the file and the store hold the same policies graph, byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO

import pyoxigraph as ox
from budgetkg.extract.policies import CitationTally
from budgetkg.graph.ingest import Prepared
from budgetkg.graph.map_policies import POLICIES_GRAPH
from budgetkg.graph.policy_graph import policies_document
from budgetkg.graph.store import CATALOG, StoredDocument, as_nquads
from budgetkg.ontology.namespace import BK

_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


class DuplicateDocument(ValueError):
    """A second file of the same name: its graph is already in the file and cannot be replaced."""


class NQuadsWriter:
    """Writes batches of documents (a graph.ingest Writer) to `out`; `finish` adds the policies."""

    def __init__(self, out: BinaryIO):
        self.out = out
        self.graphs: set[str] = set()
        self.tally = CitationTally()
        self.quads = 0

    def __call__(self, docs: Sequence[Prepared]) -> None:
        """Write the documents, all or none (checked and converted before anything is written)."""
        for d in docs:
            if d.doc.graph in self.graphs:
                raise DuplicateDocument(
                    f"an earlier file has the same name ({d.doc.source}), which names the graph; "
                    "an N-Quads file cannot replace it: rename one of them")
        chunks = [as_nquads(d.ntriples, ox.NamedNode(d.doc.graph)) if d.ntriples else b"" for d in docs]
        for d, chunk in zip(docs, chunks):
            self._write(chunk + catalog_nquads(d.doc), d.doc.triples + 3)
            self.graphs.add(d.doc.graph)
            self.tally.put(d.doc.graph, d.spellings)

    def finish(self) -> int:
        """Write the policies graph resolved from every written document; the number of policies."""
        doc, body, count = policies_document(self.tally.counts)
        self._write(as_nquads(body, ox.NamedNode(POLICIES_GRAPH)) + catalog_nquads(doc), doc.triples + 3)
        return count

    def _write(self, data: bytes, quads: int) -> None:
        self.out.write(data)
        self.quads += quads


def catalog_nquads(doc: StoredDocument) -> bytes:
    """A document's catalog entry as the store writes it (graph/store.py), in N-Quads."""
    graph, catalog = ox.NamedNode(doc.graph), ox.NamedNode(CATALOG)
    quads = [
        ox.Quad(graph, ox.NamedNode(str(BK.sourceFile)), ox.Literal(doc.source), catalog),
        ox.Quad(graph, ox.NamedNode(str(BK.sha256)), ox.Literal(doc.sha256), catalog),
        ox.Quad(graph, ox.NamedNode(str(BK.tripleCount)), ox.Literal(str(doc.triples), datatype=_XSD_INTEGER),
                catalog),
    ]
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
