"""REST: budget projects. GET /api/projects (filters, paging) and GET /api/projects/{id}.

A project is one node however many disclosures print it (a department's and its unit's); the
listing gives one item per project with the files it was read from, the detail gives every
statement with the file and line it came from.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from budgetkg.api import rest
from budgetkg.api.errors import ApiError
from budgetkg.api.rest import Limit, Offset, Page, Year, literal
from budgetkg.api.runner import settings_of
from budgetkg.extract.docnumber import parse_doc_number
from budgetkg.extract.policies import canonical_number
from budgetkg.graph import iri
from budgetkg.graph.map_policies import POLICIES_GRAPH
from budgetkg.graph.map_projects import CONTACT_PROPERTIES, FUND_SOURCES, TEXT_PROPERTIES
from budgetkg.graph.store import CATALOG
from budgetkg.graph.trace import COLUMNS
from budgetkg.ontology.namespace import BK
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

router = APIRouter(prefix="/api", tags=["REST"])
_ERRORS = {400: {"description": "invalid parameters"}, 503: {"description": "over the time limit, or busy"}}


class ProjectSummary(BaseModel):
    id: str = Field(description="the project's IRI below https://budgetkg.org/id/project/")
    iri: str
    url: str = Field(description="this project's detail, relative to the server")
    name: str | None
    department: str | None = Field(description="supervising department (主管部门)")
    implementing_unit: str | None
    year: int | None
    annual_funds_yuan: float | None = Field(description="年度资金总额, all sources, in 元")
    sources: list[str] = Field(description="files the project was read from")


class ProjectList(Page):
    items: list[ProjectSummary]


class Span(BaseModel):
    source: str
    line: int | None
    end_line: int | None


class ProjectFields(BaseModel):
    """The performance table's fields as printed. Contact details are null unless the server
    runs with serve_contacts (and the store was built with them)."""

    department_code: str | None = None
    attribute: str | None = None
    period: str | None = None
    overview: str | None = None
    legal_basis: str | None = None
    necessity: str | None = None
    measures: str | None = None
    plan: str | None = None
    goal: str | None = None
    goal_period: str | None = None
    goal_annual: str | None = None
    contact_person: str | None = None
    contact_phone: str | None = None


class Funds(BaseModel):
    column: str = Field(description="实施期 (whole period) or 年度 (the budget year)")
    funding_source: str = Field(description="total, central, provincial, city_county, self_raised or other")
    amount_yuan: float | None
    text: str | None = Field(description="the amount as printed")
    source: str
    line: int | None


class CitedPolicy(BaseModel):
    relation: str = Field(description="legal_basis, implementing_rule or mentioned")
    raw: str = Field(description="the citation as printed")
    cited_number: str | None
    cited_title: str | None
    policy: str | None = Field(description="IRI of the policy it resolves to (across the corpus)")
    policy_id: str | None
    policy_number: str | None
    policy_title: str | None
    source: str
    line: int | None
    end_line: int | None


class Kpi(BaseModel):
    column: str | None
    level1: str | None
    level2: str | None
    name: str | None
    value: str = Field(description="the target as printed")
    comparator: str | None
    number: float | None
    unit: str | None
    source: str
    line: int | None


class ProjectDetail(BaseModel):
    id: str
    iri: str
    name: str | None
    department: str | None
    implementing_unit: str | None
    year: int | None
    fields: ProjectFields
    funds: list[Funds]
    policies: list[CitedPolicy]
    kpis: list[Kpi]
    provenance: list[Span] = Field(description="each file and lines the project's table was read from")
    truncated: bool = Field(description="a list was cut at the server's row limit")


# --- listing ------------------------------------------------------------------------------
_LIST = f"""
SELECT ?project (SAMPLE(?name0) AS ?name) (SAMPLE(?dept0) AS ?dept) (SAMPLE(?unit0) AS ?unit)
       (SAMPLE(?year0) AS ?year) (MAX(?annual0) AS ?annual)
       (GROUP_CONCAT(DISTINCT ?source; separator="\\n") AS ?sources) WHERE {{
  GRAPH ?g {{
    ?project a bk:BudgetProject .
    %s
    OPTIONAL {{ ?project rdfs:label ?name0 }}
    OPTIONAL {{ ?project bk:supervisingDepartment/skos:prefLabel ?dept0 }}
    OPTIONAL {{ ?project bk:implementingUnit/skos:prefLabel ?unit0 }}
    OPTIONAL {{ ?project bk:budgetYear ?year0 }}
    OPTIONAL {{ ?project bk:annualFunds ?f . ?f bk:fundingSource bk:AllSources ; bk:amount ?annual0 }}
  }}
  GRAPH <{CATALOG}> {{ ?g bk:sourceFile ?source }}
}} GROUP BY ?project ORDER BY ?dept ?year ?name ?project"""


@router.get("/projects", response_model=ProjectList, responses=_ERRORS,
            summary="Budget projects, filtered and paged")
async def list_projects(
    request: Request,
    department: Annotated[str | None, Query(description="text in the supervising department's name")] = None,
    year: Year = None,
    policy: Annotated[str | None, Query(
        description="a cited policy: its number in any bracket style (国发[2021]9号), or text in its title")] = None,
    text: Annotated[str | None, Query(description="text in the project's name or overview")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> ProjectList:
    filters = _filters(department, year, policy, text)
    rows, page = await rest.page_rows(request, _LIST % filters, limit, offset)
    return ProjectList(**page.model_dump(), items=[_summary(r) for r in rows])


def _filters(department: str | None, year: int | None, policy: str | None, text: str | None) -> str:
    out = []
    if department:
        out.append(f"?project bk:supervisingDepartment/skos:prefLabel ?fd . FILTER(CONTAINS(?fd, {literal(department)}))")
    if year is not None:
        out.append(f'?project bk:budgetYear ?fy . FILTER(STR(?fy) = "{year:d}")')
    if text:
        out.append(f"{{ ?project rdfs:label ?ft }} UNION {{ ?project bk:overviewText ?ft }} "
                   f"FILTER(CONTAINS(LCASE(?ft), LCASE({literal(text)})))")
    if policy:
        out.append(_policy_filter(policy))
    return "\n    ".join(out)


def _policy_filter(policy: str) -> str:
    """Citations of the policy (or of a spelling joined to it): by number when the text parses
    as one, else by text in its number, title or aliases."""
    head = (f"?project bk:citation ?fc . ?fc bk:citedPolicy ?fk0 . "
            f"OPTIONAL {{ GRAPH <{POLICIES_GRAPH}> {{ ?fk0 owl:sameAs ?fk1 }} }} BIND(COALESCE(?fk1, ?fk0) AS ?fk)")
    parsed = parse_doc_number(policy)
    if parsed is not None:
        return f"{head} FILTER(?fk = {rest.node(iri.policy_iri(canonical_number(parsed.normalized)))})"
    return (f"{head} GRAPH <{POLICIES_GRAPH}> {{ ?fk eli:id_local|eli:title|eli:title_alternative ?fpt }} "
            f"FILTER(CONTAINS(?fpt, {literal(policy)}))")


def _summary(r: dict) -> ProjectSummary:
    return ProjectSummary(
        id=rest.project_id(r["project"]), iri=r["project"], url=rest.project_url(r["project"]),
        name=r.get("name"), department=r.get("dept"), implementing_unit=r.get("unit"),
        year=rest.integer(r.get("year")), annual_funds_yuan=rest.number(r.get("annual")),
        sources=rest.listed(r.get("sources")),
    )


# --- one project --------------------------------------------------------------------------
_STATEMENTS = f"""
SELECT ?project ?source ?p ?o ?label ?line ?end WHERE {{
  VALUES ?project {{ %s }}
  GRAPH ?g {{
    ?project ?p ?o .
    OPTIONAL {{ ?o skos:prefLabel ?label }}
    OPTIONAL {{ ?o bk:line ?line }}
    OPTIONAL {{ ?o bk:endLine ?end }}
  }}
  FILTER(?p NOT IN (bk:kpi, bk:citation, bk:periodFunds, bk:annualFunds, bk:hasLegalBasis,
                    bk:hasImplementingRule, bk:mentionsPolicy))
  GRAPH <{CATALOG}> {{ ?g bk:sourceFile ?source }}
}} ORDER BY ?source"""

_FUNDS = f"""
SELECT ?source ?column ?fs ?amount ?text ?line WHERE {{
  VALUES ?project {{ %s }}
  GRAPH ?g {{
    {{ ?project bk:periodFunds ?f BIND("实施期" AS ?column) }} UNION {{ ?project bk:annualFunds ?f BIND("年度" AS ?column) }}
    ?f bk:fundingSource ?fs .
    OPTIONAL {{ ?f bk:amount ?amount }}
    OPTIONAL {{ ?f bk:amountText ?text }}
    OPTIONAL {{ ?f prov:wasDerivedFrom/bk:line ?line }}
  }}
  GRAPH <{CATALOG}> {{ ?g bk:sourceFile ?source }}
}} ORDER BY ?source ?column ?line ?fs"""

_CITATIONS = f"""
SELECT ?source ?rel ?raw ?number ?title ?k ?pnumber ?ptitle ?line ?end WHERE {{
  VALUES ?project {{ %s }}
  GRAPH ?g {{
    ?project bk:citation ?c . ?c bk:relation ?rel ; bk:rawText ?raw .
    OPTIONAL {{ ?c bk:citedNumber ?number }}
    OPTIONAL {{ ?c bk:citedTitle ?title }}
    OPTIONAL {{ ?c prov:wasDerivedFrom ?span . OPTIONAL {{ ?span bk:line ?line }} OPTIONAL {{ ?span bk:endLine ?end }} }}
    OPTIONAL {{
      ?c bk:citedPolicy ?k0 .
      OPTIONAL {{ GRAPH <{POLICIES_GRAPH}> {{ ?k0 owl:sameAs ?k1 }} }}
      BIND(COALESCE(?k1, ?k0) AS ?k)
      OPTIONAL {{ GRAPH <{POLICIES_GRAPH}> {{ ?k eli:id_local ?pnumber }} }}
      OPTIONAL {{ GRAPH <{POLICIES_GRAPH}> {{ ?k eli:title ?ptitle }} }}
    }}
  }}
  GRAPH <{CATALOG}> {{ ?g bk:sourceFile ?source }}
}} ORDER BY ?source ?line ?raw"""

_KPIS = f"""
SELECT ?source ?col ?l1 ?l2 ?name ?value ?cmp ?num ?unit ?line WHERE {{
  VALUES ?project {{ %s }}
  GRAPH ?g {{
    ?project bk:kpi ?k . ?k bk:targetText ?value .
    OPTIONAL {{ ?k prov:wasDerivedFrom/bk:line ?line }}
{rest.KPI_FIELDS}  }}
  GRAPH <{CATALOG}> {{ ?g bk:sourceFile ?source }}
}} ORDER BY ?source ?line ?col"""

_FIELD_NAMES = {str(prop): name for name, prop in TEXT_PROPERTIES.items()} | {
    str(BK.supervisingCode): "department_code", str(BK.projectAttribute): "attribute",
    str(BK.projectPeriod): "period",
}
_CONTACT_NAMES = {str(prop): name for name, prop in CONTACT_PROPERTIES.items() if name.isascii()}
_FUND_NAMES = {str(source): name for name, source in FUND_SOURCES}
_RELATIONS = {str(BK.hasLegalBasis): "legal_basis", str(BK.hasImplementingRule): "implementing_rule",
              str(BK.mentionsPolicy): "mentioned"}


@router.get("/projects/{id:path}", response_model=ProjectDetail,
            responses={**_ERRORS, 404: {"description": "no such project"}},
            summary="One project: fields, funds, policies, KPIs and provenance")
async def get_project(request: Request, id: str) -> ProjectDetail:
    """`id` is the project's IRI below https://budgetkg.org/id/project/ (department/year/name),
    percent-encoded as a URL path: each listing item's `url`."""
    try:
        values = " ".join(rest.node(c) for c in rest.project_candidates(id))
    except ValueError:  # a character no IRI may hold (a control code): no project can have it
        raise ApiError(404, "Not Found", f"no project has the id {id!r}; /api/projects lists them") from None
    answers = await asyncio.gather(*(rest.rows_of(request, q % values) for q in (_STATEMENTS, _FUNDS, _CITATIONS, _KPIS)))
    (statements, cut1), (funds, cut2), (citations, cut3), (kpis, cut4) = answers
    if not statements:
        raise ApiError(404, "Not Found", f"no project has the id {id!r}; /api/projects lists them")
    project = statements[0]["project"]
    detail = _detail(project, [s for s in statements if s["project"] == project], settings_of(request).serve_contacts)
    return detail.model_copy(update={
        "funds": [_funds(r) for r in funds], "policies": [_citation(r) for r in citations],
        "kpis": [_kpi(r) for r in kpis], "truncated": any((cut1, cut2, cut3, cut4)),
    })


def _detail(project: str, statements: list[dict], contacts: bool) -> ProjectDetail:
    """Fields from the first file that states each; every span the project was read from."""
    names = _FIELD_NAMES | (_CONTACT_NAMES if contacts else {})
    fields: dict[str, str] = {}
    top: dict[str, str] = {}
    spans: dict[tuple, Span] = {}
    for s in statements:
        p, o = s["p"], s["o"]
        if p in names:
            fields.setdefault(names[p], o)
        elif p == "http://www.w3.org/2000/01/rdf-schema#label":
            top.setdefault("name", o)
        elif p == str(BK.supervisingDepartment):
            top.setdefault("department", s.get("label") or o)
        elif p == str(BK.implementingUnit):
            top.setdefault("unit", s.get("label") or o)
        elif p == str(BK.budgetYear):
            top.setdefault("year", o)
        elif p == "http://www.w3.org/ns/prov#wasDerivedFrom":
            span = Span(source=s["source"], line=rest.integer(s.get("line")), end_line=rest.integer(s.get("end")))
            spans[(span.source, span.line, span.end_line)] = span
    return ProjectDetail(
        id=rest.project_id(project), iri=project, name=top.get("name"), department=top.get("department"),
        implementing_unit=top.get("unit"), year=rest.integer(top.get("year")), fields=ProjectFields(**fields),
        funds=[], policies=[], kpis=[], provenance=sorted(spans.values(), key=lambda x: (x.source, x.line or 0)),
        truncated=False,
    )


def _funds(r: dict) -> Funds:
    return Funds(column=r["column"], funding_source=_FUND_NAMES.get(r["fs"], r["fs"]),
                 amount_yuan=rest.number(r.get("amount")), text=r.get("text"), source=r["source"],
                 line=rest.integer(r.get("line")))


def _citation(r: dict) -> CitedPolicy:
    return CitedPolicy(
        relation=_RELATIONS.get(r["rel"], r["rel"]), raw=r["raw"], cited_number=r.get("number"),
        cited_title=r.get("title"), policy=r.get("k"), policy_id=rest.policy_id(r.get("k")),
        policy_number=r.get("pnumber"), policy_title=r.get("ptitle"), source=r["source"],
        line=rest.integer(r.get("line")), end_line=rest.integer(r.get("end")),
    )


def _kpi(r: dict) -> Kpi:
    return Kpi(column=COLUMNS.get(r.get("col") or ""), level1=r.get("l1"), level2=r.get("l2"), name=r.get("name"),
               value=r["value"], comparator=r.get("cmp"), number=rest.number(r.get("num")), unit=r.get("unit"),
               source=r["source"], line=rest.integer(r.get("line")))
