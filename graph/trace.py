"""Trace a policy to the projects, money and indicators resting on it, and a project to its policies.

Every answer row carries the file and lines it was read from. Sums count each project once,
however many disclosures print it (a department's and its unit's disclosure often both do).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from operator import itemgetter

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
    sources = sources_of(store, {r["g"] for r in rows})
    links = _links(store, rows, sources)
    if kpis:
        by_project = kpis_in_graphs(store, {(r["g"], r["project"]) for r in rows}, sources)
        links = [_with_kpis(l, by_project.get((l.project, l.source), ())) for l in links]
    direct = [link for link in links if link.policy == policy.iri]
    return replace(_summed(policy, direct), joined=tuple(link for link in links if link.policy != policy.iri))


def _links(store: Store, rows: list[dict[str, str]], sources: dict[str, str] | None = None) -> list[Link]:
    """Each matched citation (graph, project, citation, policy, relation, raw, span) with its
    project's facts and its lines, in a stable order."""
    projects = {(r["g"], r["project"]) for r in rows}
    spans = {(r["g"], r["span"]) for r in rows}
    facts = {name: facts_of(store, projects, pattern) for name, pattern in PROJECT_FACTS.items()}
    lines = {name: facts_of(store, spans, pattern) for name, pattern in SPAN_FACTS.items()}
    if sources is None:
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
# A project's indicators as one disclosure prints them: the KPI nodes under the project in that
# document's graph, each with its target text and source line, column and three indicator
# labels (each OPTIONAL: department-wide tables have no column, a row may lack a level).
#
# Written as one pattern (`GRAPH ?g { ?project bk:kpi ?k . ?k bk:targetText ?value ; … OPTIONAL
# { ?k bk:indicator ?c3 . ?c3 skos:prefLabel ?name } … }`), Oxigraph evaluates it KPI by KPI: a
# bound index look-up per pattern and KPI, ten per row, ~0.1 ms a row at 1 M triples. Here each
# property is instead one sub-SELECT scanning that property over the few graphs involved
# (`VALUES ?g`), which Oxigraph joins by hashing: the same rows, several times cheaper. The
# projects are bound with their graphs (only the disclosures that cite the policy are asked), the
# catalog's file names are already known from the links, the column comes back as a number
# and the project as its position in VALUES, so no long IRI is decoded per row.
_KPI_COLUMNS = "?i (IF(?col = bk:PeriodColumn, 1, IF(?col = bk:AnnualColumn, 2, 0)) AS ?c) ?l1 ?l2 ?name ?value ?line"
_KPI_PARTS = (
    ("", "?k ?value", "?k bk:targetText ?value"),
    ("", "?k ?span", "?k prov:wasDerivedFrom ?span"),
    ("OPTIONAL", "?span ?line", "?span bk:line ?line"),
    ("OPTIONAL", "?k ?col", "?k bk:column ?col"),
    ("OPTIONAL", "?k ?c1", "?k bk:level1Indicator ?c1", "?c1 ?l1", "?c1 skos:prefLabel ?l1"),
    ("OPTIONAL", "?k ?c2", "?k bk:level2Indicator ?c2", "?c2 ?l2", "?c2 skos:prefLabel ?l2"),
    ("OPTIONAL", "?k ?c3", "?k bk:indicator ?c3", "?c3 ?name", "?c3 skos:prefLabel ?name"),
)
COLUMNS = {str(BK.PeriodColumn): "实施期", str(BK.AnnualColumn): "年度"}
_COLUMN_CODES = {"1": COLUMNS[str(BK.PeriodColumn)], "2": COLUMNS[str(BK.AnnualColumn)]}


def _kpis_query(pairs: list[tuple[str, str]]) -> str:
    graphs = " ".join(sorted({f"<{g}>" for g, _ in pairs}))
    parts = []
    for optional, *scans in _KPI_PARTS:
        joined = " ".join(f"{{ SELECT ?g {v} WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ {pattern} }} }} }}"
                          for v, pattern in zip(scans[::2], scans[1::2]))
        parts.append(f"  {optional} {{ {joined} }}" if optional else f"  {joined}")
    values = " ".join(f"(<{g}> <{p}> {i})" for i, (g, p) in enumerate(pairs))
    return (f"SELECT {_KPI_COLUMNS} WHERE {{\n  VALUES (?g ?project ?i) {{ {values} }}\n"
            f"  GRAPH ?g {{ ?project bk:kpi ?k }}\n" + "\n".join(parts) + "\n}")


def kpis_in_graphs(store: Store, pairs, sources: dict[str, str]) -> dict[tuple[str, str], tuple[KpiRow, ...]]:
    """(project, source) → the indicators of each (graph, project) in `pairs` as that graph's
    disclosure prints them; graphs not in the catalog (`sources`: graph → file) have none."""
    pairs = sorted((g, p) for g, p in pairs if g in sources)
    if not pairs:
        return {}
    keys = [(p, sources[g]) for g, p in pairs]
    out: dict[tuple[str, str], list[KpiRow]] = defaultdict(list)
    result = store.select(sparql_prologue() + _kpis_query(pairs))
    wanted = ("i", "c", "l1", "l2", "name", "value", "line")
    if hasattr(result, "variables"):  # pyoxigraph's rows, read by position: r["name"] costs several times r[0]
        at = itemgetter(*([v.value for v in result.variables].index(n) for n in wanted))
        cells = lambda r: at(tuple(r))
    else:
        cells = lambda r: tuple(r[n] for n in wanted)
    for r in result:
        i, c, l1, l2, name, value, line = cells(r)
        key = keys[int(i.value)]
        out[key].append(KpiRow(
            None if c is None else _COLUMN_CODES.get(c.value), None if l1 is None else l1.value,
            None if l2 is None else l2.value, None if name is None else name.value, value.value, key[1],
            None if line is None else int(line.value),
        ))
    return {k: tuple(sorted(v, key=_kpi_order)) for k, v in out.items()}


def _kpi_order(row: KpiRow) -> tuple:
    """Line, column, name as printed; the other fields only break ties (so the order is the
    same whatever order a store returns the rows in)."""
    return (row.line or 0, row.column or "", row.name or "", row.level1 or "", row.level2 or "", row.value)


_KPI_GRAPHS = """
SELECT DISTINCT ?g ?project WHERE {
  VALUES ?project { %s }
  GRAPH ?g { ?project bk:kpi ?k }
}"""


def project_kpis(store: Store, projects: list[str]) -> dict[tuple[str, str], tuple[KpiRow, ...]]:
    """(project, source) → its indicators as that disclosure prints them, in every disclosure."""
    if not projects:
        return {}
    query = _KPI_GRAPHS % " ".join(f"<{p}>" for p in projects)
    pairs = {(r["g"].value, r["project"].value) for r in store.select(sparql_prologue() + query)}
    return kpis_in_graphs(store, pairs, sources_of(store, {g for g, _ in pairs}))


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
