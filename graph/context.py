"""What every part of the mapping shares: the record, the emitter, and the nodes many parts
point to (the document, its source spans, organizations, amounts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from budgetkg.extract.labels import squash
from budgetkg.extract.model import Record
from budgetkg.graph import iri
from budgetkg.graph.terms import Emitter, Term, Terms, decimal_lexical, decimal_text
from budgetkg.ontology.namespace import BK, SDMXA
from rdflib.namespace import DCTERMS, ORG, PROV, RDFS, SKOS


@dataclass(frozen=True)
class MappingOptions:
    """Choices about what is written; the defaults are what the store holds.

    include_contacts: contact details (经办人, 联系电话) are personal data and stay out of the
    graph unless asked for.
    """

    include_contacts: bool = False


DEFAULT_OPTIONS = MappingOptions()

# Source-span IRIs name the table they lie in by these path segments.
TABLE_SEGMENTS = {
    BK.PerformanceTable: "performance-table",
    BK.DepartmentPerformanceTable: "department-performance-table",
    BK.BudgetTotals: "totals",
    BK.ExpenditureByFunctionTable: "expenditure-by-function",
    BK.ProjectBudgetTable: "project-budget",
}


# The record says province/city, the issuer table provincial/municipal: one spelling in the graph.
ADMIN_LEVELS = {"province": "provincial", "city": "municipal"}


@dataclass
class Context:
    """One record being mapped."""

    record: Record
    options: MappingOptions
    e: Emitter
    doc_iri: str
    doc: Term
    # Nodes already made, by what identifies them (a span's table and lines, a concept's
    # path): a document refers to the same few hundred nodes thousands of times.
    memo: dict[tuple, Term] = field(default_factory=dict)

    @classmethod
    def start(cls, record: Record, terms: Terms, options: MappingOptions) -> Context:
        doc_iri = iri.document_iri(record.source)
        return cls(record, options, Emitter(terms), doc_iri, terms.iri(doc_iri))

    @property
    def t(self) -> Terms:
        return self.e.t

    @property
    def source(self) -> str:
        return self.record.source

    @property
    def year(self) -> int | None:
        return self.record.department.year

    def node(self, value: str) -> Term:
        return self.e.t.iri(value)

    def zh(self, s: Term, p: str, value: str | None) -> None:
        """A Chinese label or text, when the document gives one."""
        if value:
            self.e.add(s, p, self.e.t.zh(value))

    def string(self, s: Term, p: str, value: str | None) -> None:
        """A verbatim or code string (raw text, numbers, codes), kept untagged for exact matching."""
        if value:
            self.e.add(s, p, self.e.t.string(value))


def span(ctx: Context, table: str, line: int | None, end_line: int | None = None) -> Term:
    """The source span node for lines `line`..`end_line` of one table, described once."""
    node = ctx.memo.get((table, line, end_line))
    if node is None:
        node = ctx.memo[(table, line, end_line)] = _new_span(ctx, table, line, end_line)
    return node


def _new_span(ctx: Context, table: str, line: int | None, end_line: int | None) -> Term:
    span_iri = iri.span_iri(ctx.source, TABLE_SEGMENTS[table], line, end_line)
    node = ctx.node(span_iri)
    e = ctx.e
    if e.once(span_iri):
        e.a(node, BK.SourceSpan)
        e.add(node, DCTERMS.isPartOf, ctx.doc)
        e.add(node, BK.table, e.v(table))
        if line is not None:
            e.add(node, BK.line, ctx.t.integer(line))
            e.add(node, BK.endLine, ctx.t.integer(end_line if end_line is not None else line))
    return node


def derive(
    ctx: Context, node: Term, table: str, line: int | None, end_line: int | None = None
) -> None:
    """Provenance: `node` was read from these lines of this table."""
    ctx.e.add(node, PROV.wasDerivedFrom, span(ctx, table, line, end_line))


def organization(ctx: Context, name: str | None, level: str | None = None) -> Term | None:
    """A department, unit or issuing authority (org:Organization), keyed by its name."""
    if not name or not name.strip():
        return None
    org_iri = iri.org_iri(name)
    node = ctx.node(org_iri)
    if ctx.e.once(org_iri):
        label = squash(name)
        ctx.e.a(node, ORG.Organization)
        ctx.zh(node, SKOS.prefLabel, label)
        ctx.zh(node, RDFS.label, label)
    level = ADMIN_LEVELS.get(level or "", level)
    if level and ctx.e.once(f"{org_iri}\0{level}"):
        ctx.string(node, BK.adminLevel, level)
    return node


def amount(ctx: Context, node: Term, value: float | Decimal, unit: str) -> None:
    """An amount: decimal value, its text as given, CNY, and the unit that fixes its scale."""
    e, t = ctx.e, ctx.t
    e.add(node, BK.amount, t.decimal(decimal_lexical(value)))
    e.add(node, BK.amountText, t.string(decimal_text(value)))
    e.add(node, BK.currency, t.string("CNY"))
    e.add(node, SDMXA.unitMeasure, e.v(unit))


def section_span(ctx: Context, kind: str) -> tuple[int | None, int | None]:
    """The line span of the first section of a kind, (None, None) when there is none."""
    for s in ctx.record.sections:
        if s.kind == kind:
            return s.line, s.end_line
    return None, None
