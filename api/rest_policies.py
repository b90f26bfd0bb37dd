"""REST: policy documents. GET /api/policies (filters, sorted by citations or money) and
GET /api/policies/{policy}/trace (what `budgetkg trace --json` prints).

The trace runs graph.trace's own functions inside a query worker (api/tasks.py) rather than a
SPARQL rewrite of them: finding a policy by a number in any bracket style, a title or an alias,
and counting each project once in the sums, is Python logic that the CLI and the API must
share, and in the worker it still runs under the time limit.
"""

from __future__ import annotations

from typing import Annotated, Literal

from budgetkg.api import rest
from budgetkg.api.errors import ApiError
from budgetkg.api.jobs import TraceJob
from budgetkg.api.rest import Limit, Offset, Page, Year, literal
from budgetkg.api.runner import run_job, settings_of
from budgetkg.graph.map_policies import POLICIES_GRAPH
from budgetkg.graph.trace import RELATION_IRIS, PolicyTrace
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

router = APIRouter(prefix="/api", tags=["REST"])
Relation = Literal["legal_basis", "implementing_rule", "mentioned"]
Relations = Annotated[list[Relation] | None, Query(
    description="citation relations to follow (repeatable; default legal_basis)")]
_ERRORS = {400: {"description": "invalid parameters"}, 503: {"description": "over the time limit, or busy"}}


class PolicySummary(BaseModel):
    id: str = Field(description="the policy's IRI below https://budgetkg.org/id/policy/ (its number, else its title key)")
    iri: str
    trace_url: str
    number: str | None = Field(description="发文字号 in GB/T 9704 form")
    title: str | None
    type: str | None = Field(description="document type (通知, 办法, 意见 …)")
    year: int | None = Field(description="year of issue, from the number")
    level: str | None = Field(description="national, provincial, municipal …")
    issuers: list[str]
    projects: int = Field(description="projects citing it under the chosen relations (by any spelling joined to it)")
    annual_funds_yuan: float = Field(description="sum of those projects' annual funds, each project counted once")


class PolicyList(Page):
    items: list[PolicySummary]


class TraceAnswer(BaseModel):
    query: str = Field(description="the policy text asked for")
    truncated: bool = Field(description="links were cut at the server's row limit (the sums count them all)")
    traces: list[PolicyTrace] = Field(description="one per matching policy, as `budgetkg trace --json`")


_LIST = f"""
SELECT ?k (SAMPLE(?number0) AS ?number) (SAMPLE(?title0) AS ?title) (SAMPLE(?type0) AS ?type)
       (SAMPLE(?year0) AS ?year) (SAMPLE(?level0) AS ?level) (SAMPLE(?issuers0) AS ?issuers)
       (COUNT(DISTINCT ?project) AS ?projects) (SUM(COALESCE(?annual, 0)) AS ?money) WHERE {{
  GRAPH <{POLICIES_GRAPH}> {{
    ?k a eli:LegalResource .
    %s
    OPTIONAL {{ ?k eli:id_local ?number0 }}
    OPTIONAL {{ ?k eli:title ?title0 }}
    OPTIONAL {{ ?k bk:documentType ?type0 }}
    OPTIONAL {{ ?k dcterms:issued ?year0 }}
    OPTIONAL {{ ?k bk:adminLevel ?level0 }}
  }}
  OPTIONAL {{ SELECT ?k (GROUP_CONCAT(DISTINCT ?issuer; separator="\\n") AS ?issuers0) WHERE {{
    GRAPH <{POLICIES_GRAPH}> {{ ?k eli:passed_by/skos:prefLabel ?issuer }} }} GROUP BY ?k }}
  OPTIONAL {{ SELECT ?k ?project (MAX(?a) AS ?annual) WHERE {{
    VALUES ?rel {{ %s }}
    GRAPH ?g {{
      ?project bk:citation ?c . ?c bk:citedPolicy ?k0 ; bk:relation ?rel .
      OPTIONAL {{ ?project bk:annualFunds ?f . ?f bk:fundingSource bk:AllSources ; bk:amount ?a }}
    }}
    OPTIONAL {{ GRAPH <{POLICIES_GRAPH}> {{ ?k0 owl:sameAs ?k1 }} }}
    BIND(COALESCE(?k1, ?k0) AS ?k)
  }} GROUP BY ?k ?project }}
}} GROUP BY ?k ORDER BY %s"""

_ORDER = {
    "citations": "DESC(?projects) DESC(?money) ?number ?title ?k",
    "money": "DESC(?money) DESC(?projects) ?number ?title ?k",
}


@router.get("/policies", response_model=PolicyList, responses=_ERRORS,
            summary="Policy documents cited by projects, filtered and sorted")
async def list_policies(
    request: Request,
    issuer: Annotated[str | None, Query(description="text in an issuing authority's name, or its 机关代字 (晋科发)")] = None,
    year: Year = None,
    type: Annotated[str | None, Query(description="document type, exactly (通知, 办法, 意见 …)")] = None,
    text: Annotated[str | None, Query(description="text in the number or title")] = None,
    relation: Relations = None,
    sort: Annotated[Literal["citations", "money"], Query(
        description="most cited projects first, or most annual funds first")] = "citations",
    limit: Limit = 100,
    offset: Offset = 0,
) -> PolicyList:
    relations = " ".join(rest.node(RELATION_IRIS[r]) for r in (relation or ["legal_basis"]))
    select = _LIST % (_filters(issuer, year, type, text), relations, _ORDER[sort])
    rows, page = await rest.page_rows(request, select, limit, offset)
    return PolicyList(**page.model_dump(), items=[_summary(r) for r in rows])


def _filters(issuer: str | None, year: int | None, type: str | None, text: str | None) -> str:
    """Only the policies themselves: a spelling joined to another (owl:sameAs) is not listed."""
    out = ["FILTER NOT EXISTS { ?k owl:sameAs ?other }"]
    if issuer:
        out.append(f"{{ ?k eli:passed_by/skos:prefLabel ?fi }} UNION {{ ?k bk:issuerCode ?fi }} "
                   f"FILTER(CONTAINS(?fi, {literal(issuer)}))")
    if year is not None:
        out.append(f'?k dcterms:issued ?fy . FILTER(STR(?fy) = "{year:d}")')
    if type:
        out.append(f"?k bk:documentType ?ftype . FILTER(STR(?ftype) = {literal(type)})")
    if text:
        out.append(f"?k eli:id_local|eli:title|eli:title_alternative ?ftext . FILTER(CONTAINS(?ftext, {literal(text)}))")
    return "\n    ".join(out)


def _summary(r: dict) -> PolicySummary:
    return PolicySummary(
        id=rest.policy_id(r["k"]) or "", iri=r["k"], trace_url=rest.policy_url(r["k"]),
        number=r.get("number"), title=r.get("title"), type=r.get("type"), year=rest.integer(r.get("year")),
        level=r.get("level"), issuers=rest.listed(r.get("issuers")), projects=rest.integer(r.get("projects")) or 0,
        annual_funds_yuan=rest.number(r.get("money")) or 0.0,
    )


@router.get("/policies/{policy:path}/trace", response_model=TraceAnswer,
            responses={**_ERRORS, 404: {"description": "no policy matches"}},
            summary="A policy → the projects, funds and KPIs resting on it (as `budgetkg trace --json`)")
async def trace(
    request: Request,
    policy: str,
    relation: Relations = None,
    kpis: Annotated[bool, Query(description="include the projects' KPIs")] = True,
) -> Response:
    """`policy` is a policy's id (its number, e.g. 国发〔2021〕9号), a number in any bracket
    style, a title or an alias, percent-encoded as one path segment."""
    job = TraceJob(policy, tuple(relation or ("legal_basis",)), kpis, settings_of(request).max_rows)
    body = await request.app.state.answer_cache.get(job, lambda: _trace_body(request, job))
    return Response(body, media_type="application/json")


async def _trace_body(request: Request, job: TraceJob) -> bytes:
    """The answer as JSON bytes (what the cache keeps), checked against TraceAnswer."""
    answer = await run_job(request, job)
    if not answer.data:
        raise ApiError(404, "Not Found", f"no policy matches {job.text!r}; /api/policies lists them")
    traces = TraceAnswer(query=job.text, truncated=answer.truncated, traces=answer.data)
    return traces.model_dump_json().encode("utf-8")
