"""Performance projects: the project, its funds, its texts, and the policies it cites.

A project is shared across documents (same supervising department, year and name, same IRI);
what a document says about it carries that document's source spans, so the union of several
documents shows each statement with every place it was read.
"""

from __future__ import annotations

from collections import Counter

from budgetkg.extract.citations import doc_type
from budgetkg.extract.docnumber import (
    lookup_issuer,
    name_level,
    parse_doc_number,
    split_issuer_code,
)
from budgetkg.extract.model import Citation, PerformanceProject
from budgetkg.graph import iri
from budgetkg.graph.context import Context, amount, derive, organization, squash
from budgetkg.graph.map_kpis import map_kpis
from budgetkg.graph.terms import Term
from budgetkg.ontology.namespace import BK, ELI
from rdflib.namespace import DCTERMS, RDFS

# Free-text fields of the performance table → property. Fields not listed are not written.
TEXT_PROPERTIES = {
    "overview": BK.overviewText,
    "legal_basis": BK.legalBasisText,
    "necessity": BK.necessityText,
    "measures": BK.measuresText,
    "plan": BK.planText,
    "goal": BK.goalText,
    "goal_period": BK.periodGoalText,
    "goal_annual": BK.annualGoalText,
}
# Contact details: written only with MappingOptions(include_contacts=True).
CONTACT_PROPERTIES = {
    "contact_person": BK.contactPerson,
    "经办人": BK.contactPerson,
    "contact_phone": BK.contactPhone,
    "联系电话": BK.contactPhone,
}

FUND_SOURCES = (
    ("total", BK.AllSources),
    ("central", BK.CentralFunds),
    ("provincial", BK.ProvincialFunds),
    ("city_county", BK.CityCountyFunds),
    ("self_raised", BK.SelfRaisedFunds),
    ("other", BK.OtherFunds),
)

# Citation.relation → (project→policy property, IRI segment of the citation node).
RELATIONS = {
    "legal_basis": (BK.hasLegalBasis, "legal-basis"),
    "implementing_rule": (BK.hasImplementingRule, "implementing-rule"),
    "mentioned": (BK.mentionsPolicy, "mention"),
}


def map_projects(ctx: Context) -> None:
    """Every performance project of the record, in document order."""
    seen: Counter[str] = Counter()
    for p in ctx.record.performance_projects:
        project_iri = _project_iri(ctx, p, seen)
        map_project(ctx, p, project_iri)


def _project_iri(ctx: Context, p: PerformanceProject, seen: Counter[str]) -> str:
    """Supervising department, year, name; a second table of the same name in one document
    is a different table (002 prints 遗属生活补助 twice, for two units), so it gets ~2."""
    if not p.name:
        return iri.child(ctx.doc_iri, "project", f"L{p.line}")
    dept = p.supervising_dept or ctx.record.department.name
    base = iri.project_iri(dept, ctx.year, p.name)
    seen[base] += 1
    return base if seen[base] == 1 else iri.project_iri(dept, ctx.year, f"{p.name}~{seen[base]}")


def map_project(ctx: Context, p: PerformanceProject, project_iri: str) -> None:
    """The project's own fields, then its texts, funds, citations and indicators."""
    e, t = ctx.e, ctx.t
    node = ctx.node(project_iri)
    e.a(node, BK.BudgetProject)
    ctx.zh(node, RDFS.label, squash(p.name) if p.name else None)
    e.opt(node, BK.budgetYear, t.gyear(ctx.year) if ctx.year else None)
    e.opt(node, BK.supervisingDepartment, organization(ctx, p.supervising_dept))
    ctx.string(node, BK.supervisingCode, p.supervising_code)
    e.opt(node, BK.implementingUnit, organization(ctx, p.implementing_unit))
    ctx.zh(node, BK.projectAttribute, p.attribute)
    ctx.string(node, BK.projectPeriod, p.period)
    derive(ctx, node, BK.PerformanceTable, p.line, p.end_line)
    _texts(ctx, node, p.texts)
    _funds(ctx, node, project_iri, p)
    _citations(ctx, node, project_iri, (*p.legal_bases, *getattr(p, "other_citations", ())))
    for column, term, kpis in (
        ("period", BK.PeriodColumn, p.period_kpis),
        ("annual", BK.AnnualColumn, p.annual_kpis),
    ):
        map_kpis(ctx, node, iri.child(project_iri, "kpi", column), kpis, term, BK.PerformanceTable)


def _texts(ctx: Context, node: Term, texts: dict[str, str]) -> None:
    """Known fields only: an unknown field may hold anything, contact details included."""
    for field, text in texts.items():
        if field in TEXT_PROPERTIES:
            ctx.zh(node, TEXT_PROPERTIES[field], text)
        elif field in CONTACT_PROPERTIES and ctx.options.include_contacts:
            ctx.string(node, CONTACT_PROPERTIES[field], text)  # a name or number, not prose


def _funds(ctx: Context, node: Term, project_iri: str, p: PerformanceProject) -> None:
    """One FundsAmount per column and source the table gives (0 included: it is printed), in 元.

    The record gives no line per funds row, so funds point to the project's table.
    """
    e = ctx.e
    for prop, column, funds in (
        (BK.periodFunds, "period", p.period_funds),
        (BK.annualFunds, "annual", p.annual_funds),
    ):
        for field, source in FUND_SOURCES:
            value = getattr(funds, field)
            if value is None:
                continue
            fnode = ctx.node(iri.child(project_iri, "funds", column, field))
            e.add(node, prop, fnode)
            e.a(fnode, BK.FundsAmount)
            e.add(fnode, BK.fundingSource, e.v(source))
            amount(ctx, fnode, value, BK.Yuan)
            derive(ctx, fnode, BK.PerformanceTable, p.line, p.end_line)


def _citations(ctx: Context, node: Term, project_iri: str, citations: tuple[Citation, ...]) -> None:
    """Each citation as a node (keyed by relation and cited document), and the project's
    direct link to the policy under that relation. A relation the model does not know is
    written as a mention, the weakest claim."""
    seen: Counter[str] = Counter()
    for c in citations:
        relation, segment = RELATIONS.get(c.relation, RELATIONS["mentioned"])
        key = iri.policy_key(c)
        local = key if key is not None else f"~{c.line}"
        seen[segment + local] += 1
        suffix = "" if seen[segment + local] == 1 else f"~{seen[segment + local]}"
        cnode = ctx.node(iri.child(project_iri, segment, local + suffix))
        _citation(ctx, node, cnode, c, relation)
        if key is not None:
            policy = _policy(ctx, key, c)
            ctx.e.add(cnode, BK.citedPolicy, policy)
            if seen[segment + local] == 1:  # (a notice and the measures it issues share a number)
                ctx.e.add(node, relation, policy)


def _citation(ctx: Context, project: Term, node: Term, c: Citation, relation: str) -> None:
    """The citation as printed, so that trace can show the line a link was read from."""
    e, t = ctx.e, ctx.t
    e.add(project, BK.citation, node)
    e.a(node, BK.Citation)
    e.add(node, BK.relation, e.v(relation))
    e.add(node, BK.rawText, t.string(c.raw))
    ctx.string(node, BK.citedTitle, c.title)
    ctx.string(node, BK.citedNumber, c.doc_number)
    e.add(node, BK.truncated, t.boolean(c.truncated))
    derive(ctx, node, BK.PerformanceTable, c.line, c.end_line)


def _policy(ctx: Context, key: str, c: Citation) -> Term:
    """The cited document (eli:LegalResource): number, titles as cited, type, issuer, year."""
    e = ctx.e
    policy_iri = iri.policy_iri(key)
    node = ctx.node(policy_iri)
    if e.once(policy_iri):
        e.a(node, ELI.LegalResource)
        ctx.zh(node, RDFS.label, c.title or key)
        if c.doc_number:
            _number(ctx, node, key)
    if c.title and e.once(policy_iri + "\0" + c.title):
        ctx.zh(node, ELI.title, c.title)
        kind = doc_type(c.title)
        if kind and e.once(policy_iri + "\0type"):
            ctx.zh(node, BK.documentType, kind)
    return node


def _number(ctx: Context, node: Term, number: str) -> None:
    """eli:id_local, and what the number says: issuer code(s), issuing authority, year.

    An unknown 机关代字 keeps its code and gets no eli:passed_by: the issuer is never guessed.
    """
    ctx.string(node, ELI.id_local, number)
    parsed = parse_doc_number(number)
    if parsed is None:
        return
    if parsed.year is not None:
        ctx.e.add(node, DCTERMS.issued, ctx.t.gyear(parsed.year))
    for code in split_issuer_code(parsed.issuer_code):
        issuer = lookup_issuer(code)
        if parsed.is_decree and issuer is None:  # 大同市人民政府令第118号 names its issuer
            ctx.e.add(node, ELI.passed_by, organization(ctx, code, name_level(code)))
            continue
        ctx.string(node, BK.issuerCode, code)
        if issuer is not None:
            ctx.e.add(node, ELI.passed_by, organization(ctx, issuer.authority, issuer.level))
