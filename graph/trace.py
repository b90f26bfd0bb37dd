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
from budgetkg.graph.store import CATALOG
from budgetkg.graph.store_api import Store
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


def all_policies(store: Store) -> list[Policy]:
    """The resolved policies of the corpus (the policies graph), by IRI."""
    found: dict[str, dict] = {}
    for r in store.select(sparql_prologue() + _POLICIES):
        p = found.setdefault(r["p"].value, {"number": None, "title": None, "aliases": set(), "issuers": set()})
        p["number"] = p["number"] or _v(r["number"])
        p["title"] = p["title"] or _v(r["title"])
        p["aliases"].update(x for x in (_v(r["alias"]),) if x)
        p["issuers"].update(x for x in (_v(r["issuer"]),) if x)
    return [Policy(k, v["number"], v["title"], tuple(sorted(v["aliases"])), tuple(sorted(v["issuers"])))
            for k, v in sorted(found.items())]


def find_policies(store: Store, text: str) -> list[Policy]:
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
# The citations are matched first; every fact about what they found is then looked up with its
# subject bound (VALUES). Oxigraph evaluates an OPTIONAL whose subject is not yet bound over the
# whole store, which made the one-query form cost ~200 ms at 1 M triples whatever its answer.
_LINKS = """
SELECT ?g ?project ?c ?k ?rel ?raw ?span WHERE {
  VALUES ?k { %s }
  VALUES ?rel { %s }
  GRAPH ?g {
    ?c bk:citedPolicy ?k ; bk:relation ?rel ; bk:rawText ?raw ; prov:wasDerivedFrom ?span .
    ?project bk:citation ?c .
  }
}"""
PROJECT_FACTS = {
    "name": "?s rdfs:label ?v",
    "department": "?s bk:supervisingDepartment ?d . ?d skos:prefLabel ?v",
    "year": "?s bk:budgetYear ?v",
    "annual": "?s bk:annualFunds ?f . ?f bk:fundingSource bk:AllSources ; bk:amount ?v",
}
SPAN_FACTS = {"line": "?s bk:line ?v", "end": "?s bk:endLine ?v"}

_ALIASES = f"""
SELECT ?k WHERE {{ GRAPH <{POLICIES_GRAPH}> {{ ?k <http://www.w3.org/2002/07/owl#sameAs> <%s> }} }}"""


def trace_policy(
    store: Store, policy: Policy, relations: tuple[str, ...] = ("legal_basis",), kpis: bool = True
) -> PolicyTrace:
    """The projects resting on `policy` under the given relations, with their KPIs and sums."""
    keys = [policy.iri] + [r["k"].value for r in store.select(sparql_prologue() + _ALIASES % policy.iri)]
    query = _LINKS % (" ".join(f"<{k}>" for k in keys), " ".join(f"<{RELATION_IRIS[r]}>" for r in relations))
    rows = [{n: r[n].value for n in ("g", "project", "c", "k", "rel", "raw", "span")}
            for r in store.select(sparql_prologue() + query)]
    links = _links(store, rows)
    if kpis:
        by_project = project_kpis(store, sorted({link.project for link in links}))
        links = [_with_kpis(l, by_project.get((l.project, l.source), ())) for l in links]
    direct = [link for link in links if link.policy == policy.iri]
    return replace(_summed(policy, direct), joined=tuple(link for link in links if link.policy != policy.iri))


def _links(store: Store, rows: list[dict[str, str]]) -> list[Link]:
    """Each matched citation (graph, project, citation, policy, relation, raw, span) with its
    project's facts and its lines, in a stable order."""
    projects = {(r["g"], r["project"]) for r in rows}
    spans = {(r["g"], r["span"]) for r in rows}
    facts = {name: facts_of(store, projects, pattern) for name, pattern in PROJECT_FACTS.items()}
    lines = {name: facts_of(store, spans, pattern) for name, pattern in SPAN_FACTS.items()}
    sources = sources_of(store, {r["g"] for r in rows})
    links = [_link(r, facts, lines, sources) for r in rows]
    return sorted(links, key=lambda l: (l.department or "", l.year or 0, l.name or "", l.source, l.line or 0, l.raw))


def _link(r: dict, facts: dict, lines: dict, sources: dict) -> Link:
    project, span = (r["g"], r["project"]), (r["g"], r["span"])
    return Link(
        project=r["project"], name=facts["name"].get(project), department=facts["department"].get(project),
        year=_int_text(facts["year"].get(project)), annual_funds_yuan=_float_text(facts["annual"].get(project)),
        relation=RELATION_NAMES.get(r["rel"], r["rel"]), source=sources.get(r["g"], r["g"]),
        line=_int_text(lines["line"].get(span)), end_line=_int_text(lines["end"].get(span)),
        raw=r["raw"], policy=r["k"],
    )


def facts_of(store: Store, pairs, pattern: str) -> dict[tuple[str, str], str]:
    """(graph, subject) → the value `pattern` binds to ?v for ?s in that graph (the least, if several)."""
    if not pairs:
        return {}
    values = " ".join(f"(<{g}> <{s}>)" for g, s in sorted(pairs))
    query = f"SELECT ?g ?s ?v WHERE {{ VALUES (?g ?s) {{ {values} }} GRAPH ?g {{ {pattern} }} }}"
    out: dict[tuple[str, str], str] = {}
    for r in store.select(sparql_prologue() + query):
        key, value = (r["g"].value, r["s"].value), r["v"].value
        out[key] = min(out.get(key, value), value)
    return out


def sources_of(store: Store, graphs) -> dict[str, str]:
    """Named graph → the file it was read from (the catalog)."""
    if not graphs:
        return {}
    values = " ".join(f"<{g}>" for g in sorted(graphs))
    query = f"SELECT ?g ?v WHERE {{ VALUES ?g {{ {values} }} GRAPH <{CATALOG}> {{ ?g bk:sourceFile ?v }} }}"
    return {r["g"].value: r["v"].value for r in store.select(sparql_prologue() + query)}


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


def project_kpis(store: Store, projects: list[str]) -> dict[tuple[str, str], tuple[KpiRow, ...]]:
    """(project, source) → its indicators as that disclosure prints them.

    One query: its cost grows with the KPIs returned (~0.1 ms a row at 1 M triples), which
    the bound look-ups used for the links did not improve on.
    """
    if not projects:
        return {}
    query = _KPIS % " ".join(f"<{p}>" for p in projects)
    out: dict[tuple[str, str], list[KpiRow]] = defaultdict(list)
    for r in store.select(sparql_prologue() + query):
        out[(r["project"].value, r["source"].value)].append(KpiRow(
            COLUMNS.get(_v(r["col"]) or ""), _v(r["l1"]), _v(r["l2"]), _v(r["name"]), r["value"].value,
            r["source"].value, _int_text(_v(r["line"])),
        ))
    return {k: tuple(sorted(v, key=lambda row: (row.line or 0, row.column or "", row.name or ""))) for k, v in out.items()}


def _with_kpis(link: Link, kpis: tuple[KpiRow, ...]) -> Link:
    return replace(link, kpis=kpis)


def _int_text(text: str | None) -> int | None:
    return None if text is None else int(text)


def _float_text(text: str | None) -> float | None:
    return None if text is None else float(text)


# --- project → policies -----------------------------------------------------------------------
_PROJECT_LINKS = """
SELECT ?g ?project ?c ?rel ?raw ?span WHERE {
  GRAPH ?g {
    ?project a bk:BudgetProject ; rdfs:label ?pname ; bk:citation ?c .
    FILTER(CONTAINS(?pname, %s) || STR(?project) = %s)
    ?c bk:relation ?rel ; bk:rawText ?raw ; prov:wasDerivedFrom ?span .
  }
}"""
_RESOLVED = f"""
SELECT ?k ?p WHERE {{ VALUES ?k {{ %s }} GRAPH <{POLICIES_GRAPH}> {{ ?k <http://www.w3.org/2002/07/owl#sameAs> ?p }} }}"""


def trace_project(store: Store, text: str) -> list[Link]:
    """The policies of every project whose name contains `text` (or whose IRI it is); each
    link names the policy as resolved across the corpus (a title-only citation → its number)."""
    literal = _sparql_string(text.strip())
    rows = [{n: r[n].value for n in ("g", "project", "c", "rel", "raw", "span")}
            for r in store.select(sparql_prologue() + _PROJECT_LINKS % (literal, literal))]
    cited = facts_of(store, {(r["g"], r["c"]) for r in rows}, "?s bk:citedPolicy ?v")
    resolved = _resolved(store, set(cited.values()))
    for r in rows:
        key = cited.get((r["g"], r["c"]), "")
        r["k"] = resolved.get(key, key)
    links = _links(store, rows)
    return sorted(links, key=lambda l: (l.name or "", l.source, l.line or 0, l.raw))


def _resolved(store: Store, keys: set[str]) -> dict[str, str]:
    if not keys:
        return {}
    values = " ".join(f"<{k}>" for k in sorted(keys))
    return {r["k"].value: r["p"].value for r in store.select(sparql_prologue() + _RESOLVED % values)}


def _sparql_string(text: str) -> str:
    """A SPARQL string literal holding `text` exactly (user input never becomes syntax)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _v(term) -> str | None:
    return None if term is None else term.value
