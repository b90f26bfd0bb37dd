"""What the REST routers share: user text as SPARQL literals, paging, ids, typed values.

Every REST endpoint is a few SELECTs sent through `runner.select_rows`, so the time limit, the
row limit and the error shape are those of /sparql. User input never becomes SPARQL syntax: text
goes in as a literal written by pyoxigraph (`literal`), numbers are validated integers, and
choices are closed sets mapped to fixed IRIs.

Ids are the IRI's path below the kind's base, so they read as what they name:
`https://budgetkg.org/id/project/山西省科学技术厅/2026/科技成果转化引导专项` is the project
`山西省科学技术厅/2026/科技成果转化引导专项`, at `/api/projects/` + the id percent-encoded
(`quote(id, safe="/")`); each listing gives the ready `url`.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

import pyoxigraph as ox
from budgetkg.api.runner import select_rows
from budgetkg.graph.iri import BASE
from budgetkg.ontology import sparql_prologue
from fastapi import Query, Request
from pydantic import BaseModel, Field

PROLOGUE = sparql_prologue() + "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
PROJECT_BASE = BASE + "project/"
POLICY_BASE = BASE + "policy/"
ORG_BASE = BASE + "org/"
MAX_LIMIT = 1000
# What a KPI ?k shows wherever the API lists KPIs: column, levels, name, parsed target.
KPI_FIELDS = """
    OPTIONAL { ?k bk:column ?col }
    OPTIONAL { ?k bk:level1Indicator/skos:prefLabel ?l1 }
    OPTIONAL { ?k bk:level2Indicator/skos:prefLabel ?l2 }
    OPTIONAL { ?k bk:indicator/skos:prefLabel ?name }
    OPTIONAL { ?k bk:comparator ?cmp }
    OPTIONAL { ?k bk:targetNumber ?num }
    OPTIONAL { ?k bk:targetUnit ?unit }
"""

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="most items in this page")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="items to skip (paging)")]
Year = Annotated[int | None, Query(ge=1900, le=2200, description="budget year, e.g. 2026")]


class Page(BaseModel):
    """The paging part of every listing: `truncated` is true when more items follow this page
    (ask again with `offset=next_offset`)."""

    limit: int
    offset: int
    truncated: bool = Field(description="more items follow: this page was cut at `limit` (or at the server's row limit)")
    next_offset: int | None = Field(description="offset of the next page; null on the last page")


def literal(text: str) -> str:
    """A SPARQL string literal holding `text` exactly."""
    return str(ox.Literal(text))


def node(iri: str) -> str:
    """An IRI as SPARQL syntax; ValueError when it is not an IRI."""
    return str(ox.NamedNode(iri))


async def page_rows(request: Request, select: str, limit: int, offset: int) -> tuple[list[dict], Page]:
    """One page of a SELECT (ordered by the caller): one row more than asked tells whether more follow."""
    rows, cut = await select_rows(request, f"{PROLOGUE}{select}\nLIMIT {limit + 1} OFFSET {offset}")
    more = cut or len(rows) > limit
    rows = rows[:limit]
    return rows, Page(limit=limit, offset=offset, truncated=more, next_offset=offset + len(rows) if more else None)


async def rows_of(request: Request, select: str) -> tuple[list[dict], bool]:
    return await select_rows(request, PROLOGUE + select)


def project_id(iri: str) -> str:
    """The project's id: its IRI below …/id/project/ (an unnamed project's, below …/id/)."""
    return iri[len(PROJECT_BASE):] if iri.startswith(PROJECT_BASE) else iri.removeprefix(BASE)


def project_candidates(project: str) -> list[str]:
    """IRIs a project id may stand for (a named project's first, then an unnamed one's)."""
    out = [PROJECT_BASE + project]
    if project.startswith("doc/"):
        out.append(BASE + project)
    return out


def project_url(iri: str) -> str:
    return "/api/projects/" + quote(project_id(iri), safe="/")


def policy_id(iri: str | None) -> str | None:
    return None if iri is None else iri.removeprefix(POLICY_BASE)


def policy_url(iri: str) -> str:
    return "/api/policies/" + quote(policy_id(iri) or "", safe="") + "/trace"


def integer(value: str | None) -> int | None:
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


def number(value: str | None) -> float | None:
    try:
        return None if value is None else float(value)
    except ValueError:
        return None


def listed(value: str | None) -> list[str]:
    """The parts of a GROUP_CONCAT(…; separator="\\n"), sorted."""
    return sorted(v for v in (value or "").split("\n") if v)
