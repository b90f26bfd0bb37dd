"""Keep the corpus-wide policies graph in step with the stored documents.

A document's graph names each cited policy by its citation alone; which citations are one
policy (a title-only citation and the numbered one, a number cut off by the page) is only known
across the corpus (extract.policies.resolve). After documents are added or removed, the
citations are read back from the store, resolved, and the policies graph replaced: no document
has to be extracted again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from budgetkg.extract.policies import Mention, resolve
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

_MENTIONS = """
SELECT ?source ?pname ?pline ?rel ?raw ?title ?number ?trunc ?line ?end ?annual WHERE {
  GRAPH ?g {
    ?project bk:citation ?c .
    ?c bk:relation ?rel ; bk:rawText ?raw ; bk:truncated ?trunc .
    OPTIONAL { ?c bk:citedTitle ?title }
    OPTIONAL { ?c bk:citedNumber ?number }
    OPTIONAL { ?c prov:wasDerivedFrom/bk:line ?line ; prov:wasDerivedFrom/bk:endLine ?end }
    OPTIONAL { ?project rdfs:label ?pname }
    OPTIONAL { ?project prov:wasDerivedFrom/bk:line ?pline }
    OPTIONAL { ?project bk:annualFunds ?f . ?f bk:fundingSource bk:AllSources ; bk:amount ?annual }
  }
  GRAPH <%s> { ?g bk:sourceFile ?source }
}
"""


def stored_mentions(store: Store) -> list[Mention]:
    """Every citation in the stored documents, as extract.policies reads them."""
    rows = store.select(sparql_prologue() + _MENTIONS % CATALOG)
    return sorted((_mention(r) for r in rows), key=_mention_order)


def refresh_policies(store: Store, mentions: Iterable[Mention] | None = None) -> int:
    """Replace the policies graph from the stored citations; the number of policies.

    `mentions`, when given, are every citation of the stored documents, collected while they
    were written into a store that held no others (`budgetkg ingest` into a new store): the
    same graph (tests/test_ingest_jobs.py) without reading them back, which costs seconds and
    memory that grow with the store (3 s of a 1 M-triple ingest)."""
    doc, body, count = policies_document(stored_mentions(store) if mentions is None else list(mentions))
    store.put_document(doc, body)
    return count


def policies_document(mentions: Sequence[Mention]) -> tuple[StoredDocument, bytes, int]:
    """The policies graph resolved from `mentions` (in the order the store reads them back, so
    any source of the same citations gives the same bytes): its catalog entry, N-Triples and
    number of policies."""
    policies = resolve(sorted(mentions, key=_mention_order))
    body = lines_to_bytes(policies_to_triples(policies, NTRIPLES))
    doc = StoredDocument(POLICIES_GRAPH, POLICIES_SOURCE, hashlib.sha256(body).hexdigest(), body.count(b"\n"))
    return doc, body, len(policies)


def _mention_order(m: Mention) -> tuple:
    return (m.source, m.line, m.raw)


def _mention(r) -> Mention:
    return Mention(
        source=r["source"].value,
        project=_text(r["pname"]),
        project_line=_int(r["pline"]) or 0,
        line=_int(r["line"]) or 0,
        end_line=_int(r["end"]) or 0,
        relation=RELATION_NAMES.get(r["rel"].value, "mentioned"),
        annual_funds_yuan=_number(r["annual"]),
        title=_text(r["title"]),
        number=_text(r["number"]),
        raw=r["raw"].value,
        truncated=r["trunc"].value == "true",
    )


def _text(term) -> str | None:
    return None if term is None else term.value


def _int(term) -> int | None:
    return None if term is None else int(term.value)


def _number(term) -> int | float | None:
    if term is None:
        return None
    value = float(term.value)
    return int(value) if value.is_integer() else value
