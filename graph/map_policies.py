"""Policies resolved across the corpus → their own named graph.

A document's graph names each cited policy by the citation alone (iri.policy_key), which is
all one record can know. Across the corpus, extract.policies.resolve_policies knows more: a
title-only citation that matches exactly one numbered document is that document, a number
cut off by the page (忻科发〔2017〕30) is the whole number it begins; each policy gets one
title and its other spellings as aliases. This module writes that knowledge as a separate
graph (POLICIES_GRAPH), recomputed whenever the corpus changes, so that replacing one
document's graph never has to touch another's:

    policy         eli:title, eli:title_alternative (aliases), bk:documentType, bk:adminLevel,
                   eli:id_local, dcterms:issued, bk:issuerCode, eli:passed_by
    citation key   owl:sameAs the resolved policy, where they differ
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from budgetkg.extract.policies import Policy
from budgetkg.graph import iri
from budgetkg.graph.terms import OXIGRAPH, RDFLIB, Emitter, Term, Terms
from budgetkg.ontology import bind_prefixes
from budgetkg.ontology.namespace import BK, ELI
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, RDFS, SKOS

POLICIES_GRAPH = "https://budgetkg.org/corpus/policies"  # outside graph/: no file name can collide


def policies_to_triples(policies: Iterable[Policy], terms: Terms = RDFLIB) -> list[tuple]:
    """The triples of the policies graph, one policy after another in the order given."""
    e = Emitter(terms)
    for p in policies:
        if p.truncated and not p.number:  # as iri.policy_key: a cut-off title names nothing
            continue
        node = e.t.iri(iri.policy_iri(p.key))
        _describe(e, node, p)
        _issuers(e, node, p)
        _same_as(e, node, p)
    return e.triples


def policies_to_graph(policies: Iterable[Policy]) -> Graph:
    graph = bind_prefixes(Graph(identifier=URIRef(POLICIES_GRAPH)))
    for triple in policies_to_triples(policies):
        graph.add(triple)
    return graph


def policies_to_quads(policies: Iterable[Policy]) -> list[ox.Quad]:
    name = ox.NamedNode(POLICIES_GRAPH)
    return [ox.Quad(s, p, o, name) for s, p, o in policies_to_triples(policies, OXIGRAPH)]


def _describe(e: Emitter, node: Term, p: Policy) -> None:
    t = e.t
    e.a(node, ELI.LegalResource)
    label = p.title or p.number or p.key
    e.add(node, RDFS.label, t.zh(label))
    if p.title:
        e.add(node, ELI.title, t.zh(p.title))
    for alias in p.aliases:
        if alias != p.title:
            e.add(node, ELI.title_alternative, t.zh(alias))
    if p.number:
        e.add(node, ELI.id_local, t.string(p.number))
    if p.year is not None:
        e.add(node, DCTERMS.issued, t.gyear(p.year))
    if p.type:
        e.add(node, BK.documentType, t.zh(p.type))
    if p.level:
        e.add(node, BK.adminLevel, t.string(p.level))


def _issuers(e: Emitter, node: Term, p: Policy) -> None:
    """Each issuer code; the authority behind it when the issuer table knows it."""
    t = e.t
    for ref in p.issuers:
        if ref.authority != ref.code:  # a 令 is numbered by its issuer's name, not a code
            e.add(node, BK.issuerCode, t.string(ref.code))
        if ref.authority:
            org_iri = iri.org_iri(ref.authority)
            org = t.iri(org_iri)
            e.add(node, ELI.passed_by, org)
            if e.once(org_iri):
                e.a(org, ORG.Organization)
                e.add(org, SKOS.prefLabel, t.zh(ref.authority))
                e.add(org, RDFS.label, t.zh(ref.authority))
            if ref.level and e.once(org_iri + "\0" + ref.level):
                e.add(org, BK.adminLevel, t.string(ref.level))


def _same_as(e: Emitter, node: Term, p: Policy) -> None:
    """The policies the documents' graphs name by a citation alone that are this one."""
    for key in p.cited_as:
        e.add(e.t.iri(iri.policy_iri(key)), OWL.sameAs, node)
