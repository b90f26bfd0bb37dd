"""REST: departments (GET /api/departments) and performance indicators (GET /api/indicators)."""

from __future__ import annotations

import math
from typing import Annotated, Literal
from urllib.parse import urlencode

from budgetkg.api import rest
from budgetkg.api.errors import ApiError
from budgetkg.api.rest import Limit, Offset, Page, Year, literal
from budgetkg.graph.store import CATALOG
from budgetkg.graph.trace import COLUMNS
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

router = APIRouter(prefix="/api", tags=["REST"])
_ERRORS = {400: {"description": "invalid parameters"}, 503: {"description": "over the time limit, or busy"}}


class Department(BaseModel):
    id: str = Field(description="the organization's IRI below https://budgetkg.org/id/org/ (its name)")
    iri: str
    name: str | None
    budget_code: str | None
    level: str | None = Field(description="provincial, municipal, county …")
    projects: int = Field(description="projects it supervises")
    projects_url: str
    sources: list[str] = Field(description="files that publish it or print its projects")


class DepartmentList(Page):
    items: list[Department]


class Indicator(BaseModel):
    project: str = Field(description="IRI of the project (or the disclosure, for department-wide targets)")
    project_name: str | None
    project_url: str | None
    department: str | None
    year: int | None
    column: str | None = Field(description="实施期 or 年度")
    level1: str | None
    level2: str | None
    name: str | None = Field(description="三级指标")
    value: str = Field(description="the target as printed")
    comparator: str | None
    number: float | None
    unit: str | None
    source: str
    line: int | None


class IndicatorList(Page):
    items: list[Indicator]


_DEPARTMENTS = f"""
SELECT ?org (SAMPLE(?name0) AS ?name) (SAMPLE(?code0) AS ?code) (SAMPLE(?level0) AS ?level)
       (COUNT(DISTINCT ?project) AS ?projects) (GROUP_CONCAT(DISTINCT ?source; separator="\\n") AS ?sources) WHERE {{
  GRAPH ?g {{
    {{ ?project bk:supervisingDepartment ?org }} UNION {{ ?doc a bk:Disclosure ; dcterms:publisher ?org }}
    OPTIONAL {{ ?org skos:prefLabel ?name0 }}
    OPTIONAL {{ ?org bk:budgetCode ?code0 }}
    OPTIONAL {{ ?org bk:adminLevel ?level0 }}
    %s
  }}
  GRAPH <{CATALOG}> {{ ?g bk:sourceFile ?source }}
}} GROUP BY ?org ORDER BY ?name ?org"""


@router.get("/departments", response_model=DepartmentList, responses=_ERRORS,
            summary="Departments that publish disclosures or supervise projects")
async def list_departments(
    request: Request,
    name: Annotated[str | None, Query(description="text in the department's name")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> DepartmentList:
    flt = f"?org skos:prefLabel ?fn . FILTER(CONTAINS(?fn, {literal(name)}))" if name else ""
    rows, page = await rest.page_rows(request, _DEPARTMENTS % flt, limit, offset)
    return DepartmentList(**page.model_dump(), items=[_department(r) for r in rows])


def _department(r: dict) -> Department:
    name = r.get("name")
    return Department(
        id=r["org"].removeprefix(rest.ORG_BASE), iri=r["org"], name=name, budget_code=r.get("code"),
        level=r.get("level"), projects=rest.integer(r.get("projects")) or 0,
        projects_url="/api/projects?" + urlencode({"department": name or ""}), sources=rest.listed(r.get("sources")),
    )


_INDICATORS = f"""
SELECT ?owner ?pname ?dept ?year ?col ?l1 ?l2 ?name ?value ?cmp ?num ?unit ?source ?line WHERE {{
  GRAPH ?g {{
    ?owner bk:kpi ?k . ?k bk:targetText ?value .
    %s
{rest.KPI_FIELDS}    OPTIONAL {{ ?k prov:wasDerivedFrom/bk:line ?line }}
    OPTIONAL {{ ?owner rdfs:label ?pname }}
    OPTIONAL {{ ?owner bk:supervisingDepartment/skos:prefLabel ?dept }}
    OPTIONAL {{ ?owner bk:budgetYear ?year }}
  }}
  GRAPH <{CATALOG}> {{ ?g bk:sourceFile ?source }}
}} ORDER BY ?source ?line ?col ?k"""


@router.get("/indicators", response_model=IndicatorList, responses=_ERRORS,
            summary="Performance indicators (KPI targets), searched by name, level and value range")
async def list_indicators(
    request: Request,
    name: Annotated[str | None, Query(description="text in the indicator's (三级指标) name")] = None,
    level: Annotated[str | None, Query(
        description="a level-1 or level-2 category, with or without 指标 (产出, 效益, 满意度, 数量, 质量, 时效, 成本 …)")] = None,
    min: Annotated[float | None, Query(description="target number at least this")] = None,
    max: Annotated[float | None, Query(description="target number at most this")] = None,
    unit: Annotated[str | None, Query(description="the target's unit, exactly (%, 个, 万元 …)")] = None,
    column: Annotated[Literal["实施期", "年度"] | None, Query(description="实施期 or 年度")] = None,
    department: Annotated[str | None, Query(description="text in the supervising department's name")] = None,
    year: Year = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> IndicatorList:
    if min is not None and max is not None and min > max:
        raise ApiError(400, "Invalid parameters", f"min ({min}) is greater than max ({max})")
    flt = _filters(name, level, min, max, unit, column, department, year)
    rows, page = await rest.page_rows(request, _INDICATORS % flt, limit, offset)
    return IndicatorList(**page.model_dump(), items=[_indicator(r) for r in rows])


_COLUMN_IRIS = {label: iri for iri, label in COLUMNS.items()}


def _filters(name, level, low, high, unit, column, department, year) -> str:
    out = []
    if name:
        out.append(f"?k bk:indicator/skos:prefLabel ?fname . FILTER(CONTAINS(?fname, {literal(name)}))")
    if level:
        names = ", ".join(literal(n) for n in {level, level.removesuffix("指标") + "指标"})
        out.append(f"?k bk:level1Indicator|bk:level2Indicator ?fc . ?fc skos:prefLabel ?flevel . "
                   f"FILTER(STR(?flevel) IN ({names}))")
    if low is not None or high is not None:
        out.append("?k bk:targetNumber ?fnum .")
        out += [f"FILTER(?fnum >= {_decimal(low)})"] if low is not None else []
        out += [f"FILTER(?fnum <= {_decimal(high)})"] if high is not None else []
    if unit:
        out.append(f"?k bk:targetUnit ?funit . FILTER(STR(?funit) = {literal(unit)})")
    if column:
        out.append(f"?k bk:column {rest.node(_COLUMN_IRIS[column])} .")
    if department:
        out.append(f"?owner bk:supervisingDepartment/skos:prefLabel ?fd . FILTER(CONTAINS(?fd, {literal(department)}))")
    if year is not None:
        out.append(f'?owner bk:budgetYear ?fy . FILTER(STR(?fy) = "{year:d}")')
    return "\n    ".join(out)


def _decimal(value: float) -> str:
    """A float parameter as a SPARQL double (validated by FastAPI, so never syntax)."""
    if not math.isfinite(value):
        raise ApiError(400, "Invalid parameters", "min and max must be finite numbers")
    return repr(float(value)) + ("" if "e" in repr(float(value)) else "e0")


def _indicator(r: dict) -> Indicator:
    owner = r["owner"]
    is_project = owner.startswith(rest.PROJECT_BASE) or "/project/" in owner
    return Indicator(
        project=owner, project_name=r.get("pname"), project_url=rest.project_url(owner) if is_project else None,
        department=r.get("dept"), year=rest.integer(r.get("year")), column=COLUMNS.get(r.get("col") or ""),
        level1=r.get("l1"), level2=r.get("l2"), name=r.get("name"), value=r["value"], comparator=r.get("cmp"),
        number=rest.number(r.get("num")), unit=r.get("unit"), source=r["source"], line=rest.integer(r.get("line")),
    )
