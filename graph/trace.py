"""Trace a policy to the projects, money and indicators resting on it, and a project to its policies.

Every answer row carries the file and lines it was read from. Sums count each project once,
however many disclosures print it (a department's and its unit's disclosure often both do).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace

from budgetkg.extract.docnumber import parse_doc_number
from budgetkg.extract.policies import canonical_number
from budgetkg.graph import iri
from budgetkg.graph.map_policies import POLICIES_GRAPH
from budgetkg.graph.policy_graph import RELATION_NAMES
from budgetkg.graph.store import CATALOG, GraphStore
from budgetkg.ontology import sparql_prologue
from budgetkg.ontology.namespace import BK

RELATION_IRIS = {name: rel for rel, name in RELATION_NAMES.items()}


@dataclass(frozen=True)
class Policy:
    iri: str
    number: str | None
    title: str | None
    aliases: tuple[str, ...] = ()
    issuers: tuple[str, ...] = ()


@dataclass(frozen=True)
class KpiRow:
    column: str | None  # 实施期 | 年度
    level1: str | None
    level2: str | None
    name: str | None
    value: str
    source: str
    line: int | None


@dataclass(frozen=True)
class Link:
    """One project resting on one policy, as one disclosure prints it."""

    project: str
    name: str | None
    department: str | None
    year: int | None
    annual_funds_yuan: float | None
    relation: str
    source: str
    line: int | None
    end_line: int | None
    raw: str
    policy: str = ""  # IRI of the policy, for a project's trace
    kpis: tuple[KpiRow, ...] = ()


@dataclass(frozen=True)
class Subtotal:
    department: str | None
    year: int | None
    projects: int
    annual_funds_yuan: float


@dataclass(frozen=True)
class PolicyTrace:
    """The projects citing a policy by its own identity (its number, or its title when it has
    none), with sums; and apart from them, `joined`: citations that name it another way (by
    title alone, or by a number cut off by the page) and were joined to it by resolution."""

    policy: Policy
    links: tuple[Link, ...]
    subtotals: tuple[Subtotal, ...] = field(default=())
    projects: int = 0
    annual_funds_yuan: float = 0.0
    joined: tuple[Link, ...] = ()


# --- finding policies -----------------------------------------------------------------------
_POLICIES = f"""
SELECT ?p ?number ?title ?alias ?issuer WHERE {{
  GRAPH <{POLICIES_GRAPH}> {{
    ?p a eli:LegalResource .
    OPTIONAL {{ ?p eli:id_local ?number }}
    OPTIONAL {{ ?p eli:title ?title }}
    OPTIONAL {{ ?p eli:title_alternative ?alias }}
    OPTIONAL {{ ?p eli:passed_by/skos:prefLabel ?issuer }}
  }}
}}"""


def all_policies(store: GraphStore) -> list[Policy]:
    """The resolved policies of the corpus (the policies graph), by IRI."""
    found: dict[str, dict] = {}
    for r in store.engine.query(sparql_prologue() + _POLICIES):
        p = found.setdefault(r["p"].value, {"number": None, "title": None, "aliases": set(), "issuers": set()})
        p["number"] = p["number"] or _v(r["number"])
        p["title"] = p["title"] or _v(r["title"])
        p["aliases"].update(x for x in (_v(r["alias"]),) if x)
        p["issuers"].update(x for x in (_v(r["issuer"]),) if x)
    return [Policy(k, v["number"], v["title"], tuple(sorted(v["aliases"])), tuple(sorted(v["issuers"])))
            for k, v in sorted(found.items())]


def find_policies(store: GraphStore, text: str) -> list[Policy]:
    """Policies named by a document number (any bracket style), a title or an alias.

    An exact match (after width folding and removing white space, book-title marks and
    punctuation) wins; otherwise every policy whose number, title or alias contains the text.
    """
    policies = all_policies(store)
    number = parse_doc_number(text)
    if number is not None:
        wanted = iri.policy_iri(canonical_number(number.normalized))
        exact = [p for p in policies if p.iri == wanted]
        if exact:
            return exact
    key = _fold(text)
    if not key:
        return []
    exact = [p for p in policies if key in _names(p)]
    return exact or [p for p in policies if any(key in n for n in _names(p))]


def _names(p: Policy) -> set[str]:
    return {_fold(n) for n in (p.number, p.title, *p.aliases) if n}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch).startswith("P")))


# --- policy → projects ------------------------------------------------------------------------
_LINKS = f"""
SELECT ?project ?pname ?dept ?year ?annual ?rel ?source ?line ?end ?raw ?k WHERE {{
  VALUES ?k {{ %s }}
  VALUES ?rel {{ %s }}
  GRAPH ?g {{
    ?project bk:citation ?c .
    ?c bk:citedPolicy ?k ; bk:relation ?rel ; bk:rawText ?raw .
    ?c prov:wasDerivedFrom ?span .
    OPTIONAL {{ ?span bk:line ?line }}
    OPTIONAL {{ ?span bk:endLine ?end }}
    OPTIONAL {{ ?project rdfs:label ?pname }}
    OPTIONAL {{ ?project bk:supervisingDepartment/skos:prefLabel ?dept }}
    OPTIONAL {{ ?project bk:budgetYear ?year }}
    OPTIONAL {{ ?project bk:annualFunds ?f . ?f bk:fundingSource bk:AllSources ; bk:amount ?annual }}
  }}
  GRAPH <{CATALOG}> {{ ?g bk:sourceFile ?source }}
}} ORDER BY ?dept ?year ?pname ?source ?line"""

_ALIASES = f"""
SELECT ?k WHERE {{ GRAPH <{POLICIES_GRAPH}> {{ ?k <http://www.w3.org/2002/07/owl#sameAs> <%s> }} }}"""


def trace_policy(
    store: GraphStore, policy: Policy, relations: tuple[str, ...] = ("legal_basis",), kpis: bool = True
) -> PolicyTrace:
    """The projects resting on `policy` under the given relations, with their KPIs and sums."""
    keys = [policy.iri] + [r["k"].value for r in store.engine.query(sparql_prologue() + _ALIASES % policy.iri)]
    query = _LINKS % (" ".join(f"<{k}>" for k in keys), " ".join(f"<{RELATION_IRIS[r]}>" for r in relations))
    links = [_link(r) for r in store.engine.query(sparql_prologue() + query)]
    if kpis:
        by_project = project_kpis(store, sorted({l.project for l in links}))
        links = [_with_kpis(l, by_project.get((l.project, l.source), ())) for l in links]
    direct = [link for link in links if link.policy == policy.iri]
    return replace(_summed(policy, direct), joined=tuple(link for link in links if link.policy != policy.iri))


def _link(r) -> Link:
    return Link(
        project=r["project"].value, name=_v(r["pname"]), department=_v(r["dept"]),
        year=_int(r["year"]), annual_funds_yuan=_float(r["annual"]),
        relation=RELATION_NAMES.get(r["rel"].value, r["rel"].value), source=r["source"].value,
        line=_int(r["line"]), end_line=_int(r["end"]), raw=r["raw"].value, policy=r["k"].value,
    )


def _summed(policy: Policy, links: list[Link]) -> PolicyTrace:
    """Sums per department and year, each project counted once (its first funds stated)."""
    funds: dict[str, float | None] = {}
    where: dict[str, tuple[str | None, int | None]] = {}
    for link in links:
        if funds.get(link.project) is None:
            funds[link.project] = link.annual_funds_yuan
        where.setdefault(link.project, (link.department, link.year))
    groups: dict[tuple, list[str]] = defaultdict(list)
    for project, key in where.items():
        groups[key].append(project)
    subtotals = tuple(
        Subtotal(dept, year, len(ps), sum(funds[p] or 0 for p in ps))
        for (dept, year), ps in sorted(groups.items(), key=lambda kv: (kv[0][0] or "", kv[0][1] or 0))
    )
    total = sum(v or 0 for v in funds.values())
    return PolicyTrace(policy, tuple(links), subtotals, len(where), total)


# --- KPIs ------------------------------------------------------------------------------------
_KPIS = f"""
SELECT ?project ?source ?col ?l1 ?l2 ?name ?value ?line WHERE {{
  VALUES ?project {{ %s }}
  GRAPH ?g {{
    ?project bk:kpi ?k . ?k bk:targetText ?value ; prov:wasDerivedFrom ?span .
    OPTIONAL {{ ?span bk:line ?line }}
    OPTIONAL {{ ?k bk:column ?col }}
    OPTIONAL {{ ?k bk:level1Indicator ?c1 . ?c1 skos:prefLabel ?l1 }}
    OPTIONAL {{ ?k bk:level2Indicator ?c2 . ?c2 skos:prefLabel ?l2 }}
    OPTIONAL {{ ?k bk:indicator ?c3 . ?c3 skos:prefLabel ?name }}
  }}
  GRAPH <{CATALOG}> {{ ?g bk:sourceFile ?source }}
}}"""
COLUMNS = {str(BK.PeriodColumn): "实施期", str(BK.AnnualColumn): "年度"}


def project_kpis(store: GraphStore, projects: list[str]) -> dict[tuple[str, str], tuple[KpiRow, ...]]:
    """(project, source) → its indicators as that disclosure prints them."""
    if not projects:
        return {}
    query = _KPIS % " ".join(f"<{p}>" for p in projects)
    out: dict[tuple[str, str], list[KpiRow]] = defaultdict(list)
    for r in store.engine.query(sparql_prologue() + query):
        out[(r["project"].value, r["source"].value)].append(
            KpiRow(COLUMNS.get(_v(r["col"]) or ""), _v(r["l1"]), _v(r["l2"]), _v(r["name"]), r["value"].value,
                   r["source"].value, _int(r["line"]))
        )
    return {k: tuple(sorted(v, key=lambda row: (row.line or 0, row.column or ""))) for k, v in out.items()}


def _with_kpis(link: Link, kpis: tuple[KpiRow, ...]) -> Link:
    return replace(link, kpis=kpis)


# --- project → policies -----------------------------------------------------------------------
_PROJECT_LINKS = f"""
SELECT ?project ?pname ?dept ?year ?annual ?rel ?source ?line ?end ?raw ?k WHERE {{
  GRAPH ?g {{
    ?project a bk:BudgetProject ; rdfs:label ?pname ; bk:citation ?c .
    FILTER(CONTAINS(?pname, %s) || STR(?project) = %s)
    ?c bk:relation ?rel ; bk:rawText ?raw .
    OPTIONAL {{
      ?c bk:citedPolicy ?k0 .
      OPTIONAL {{ GRAPH <{POLICIES_GRAPH}> {{ ?k0 <http://www.w3.org/2002/07/owl#sameAs> ?k1 }} }}
    }}
    BIND(COALESCE(?k1, ?k0) AS ?k)
    ?c prov:wasDerivedFrom ?span .
    OPTIONAL {{ ?span bk:line ?line }}
    OPTIONAL {{ ?span bk:endLine ?end }}
    OPTIONAL {{ ?project bk:supervisingDepartment/skos:prefLabel ?dept }}
    OPTIONAL {{ ?project bk:budgetYear ?year }}
    OPTIONAL {{ ?project bk:annualFunds ?f . ?f bk:fundingSource bk:AllSources ; bk:amount ?annual }}
  }}
  GRAPH <{CATALOG}> {{ ?g bk:sourceFile ?source }}
}} ORDER BY ?pname ?source ?line"""


def trace_project(store: GraphStore, text: str) -> list[Link]:
    """The policies of every project whose name contains `text` (or whose IRI it is)."""
    literal = _sparql_string(text.strip())
    query = _PROJECT_LINKS % (literal, literal)
    return [_link(r) for r in store.engine.query(sparql_prologue() + query)]


def _sparql_string(text: str) -> str:
    """A SPARQL string literal holding `text` exactly (user input never becomes syntax)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _v(term) -> str | None:
    return None if term is None else term.value


def _int(term) -> int | None:
    return None if term is None else int(term.value[:4] if term.value[:4].isdigit() and len(term.value) == 4 else term.value)


def _float(term) -> float | None:
    return None if term is None else float(term.value)
