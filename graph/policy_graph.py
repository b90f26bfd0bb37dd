"""Keep the corpus-wide policies graph in step with the stored documents.

A document's graph names each cited policy by its citation alone; which citations are one
policy (a title-only citation and the numbered one, a number cut off by the page) is only known
across the corpus (extract.policies.resolve_spellings). After documents are added or removed,
the store counts how often each spelling of a citation occurs, those counts are resolved, and
the policies graph replaced: no document has to be extracted again, and no citation is held
in memory, only the distinct spellings.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping

from budgetkg.extract.policies import CitationTally, Spelling, resolve_spellings
from budgetkg.graph.map_policies import POLICIES_GRAPH, policies_to_triples
from budgetkg.graph.ntriples import NTRIPLES, lines_to_bytes
from budgetkg.graph.store import CATALOG, StoredDocument
from budgetkg.graph.store_api import Store
from budgetkg.ontology import sparql_prologue
from budgetkg.ontology.namespace import BK

POLICIES_SOURCE = "(policies resolved across the corpus)"
RELATION_NAMES = {
    str(BK.hasLegalBasis): "legal_basis",
    str(BK.hasImplementingRule): "implementing_rule",
    str(BK.mentionsPolicy): "mentioned",
}

_SPELLINGS = """
SELECT ?number ?title ?trunc (COUNT(*) AS ?n) WHERE {
  GRAPH ?g {
    ?project bk:citation ?c .
    ?c bk:truncated ?trunc .
    OPTIONAL { ?c bk:citedTitle ?title }
    OPTIONAL { ?c bk:citedNumber ?number }
  }
  GRAPH <%s> { ?g bk:sourceFile ?source }
}
GROUP BY ?number ?title ?trunc
"""


def stored_spellings(store: Store) -> Counter[Spelling]:
    """How often each spelling of a citation occurs in the stored documents, counted by the
    store: as many rows as spellings, however many citations."""
    counts: Counter[Spelling] = Counter()
    for r in store.select(sparql_prologue() + _SPELLINGS % CATALOG):
        counts[Spelling(_text(r["number"]), _text(r["title"]), r["trunc"].value == "true")] += int(r["n"].value)
    return counts


def refresh_policies(store: Store, tally: CitationTally | None = None) -> int:
    """Replace the policies graph from the stored citations; the number of policies.

    `tally`, when given, holds every citation of the stored documents, counted while they
    were written into a store that held no others (`budgetkg ingest` into a new store): the
    same graph (tests/test_ingest_jobs.py) without asking the store."""
    counts = stored_spellings(store) if tally is None else tally.counts
    doc, body, count = policies_document(counts)
    store.put_document(doc, body)
    return count


def policies_document(counts: Mapping[Spelling, int]) -> tuple[StoredDocument, bytes, int]:
    """The policies graph resolved from how often each spelling is cited: its catalog entry,
    N-Triples and number of policies. Policies come by key, so the same citations give the
    same bytes whatever order they were read in."""
    policies = [p for p, _ in resolve_spellings(counts)]
    body = lines_to_bytes(policies_to_triples(policies, NTRIPLES))
    doc = StoredDocument(POLICIES_GRAPH, POLICIES_SOURCE, hashlib.sha256(body).hexdigest(), body.count(b"\n"))
    return doc, body, len(policies)


def _text(term) -> str | None:
    return None if term is None else term.value
