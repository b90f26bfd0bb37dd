"""Network analytics over the citations: which policies carry the most projects and money,
which policies are cited together, which departments rest on the same policies.

The networkx graph is built from a few flat SPARQL SELECTs (citations, projects, funds,
policies), never by parsing the store into rdflib: at a million triples that costs minutes,
the SELECTs milliseconds. Projects are nodes by IRI, so a project printed by two disclosures
(a department's and its unit's) is one node and is counted once; a citation that names a
policy by its title alone is counted for the policy it resolves to (owl:sameAs in the
policies graph).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
from budgetkg.graph.map_policies import POLICIES_GRAPH
from budgetkg.graph.policy_graph import RELATION_NAMES
from budgetkg.graph.store_api import Store
from budgetkg.ontology import sparql_prologue
from networkx.algorithms import bipartite

RELATIONS = tuple(RELATION_NAMES.values())  # legal_basis, implementing_rule, mentioned

_CITES = f"""
SELECT DISTINCT ?project ?policy ?rel WHERE {{
  ?project bk:citation ?c .
  ?c bk:citedPolicy ?k0 ; bk:relation ?rel .
  OPTIONAL {{ GRAPH <{POLICIES_GRAPH}> {{ ?k0 owl:sameAs ?k1 }} }}
  BIND(COALESCE(?k1, ?k0) AS ?policy)
}}"""
_PROJECTS = """
SELECT ?project ?name ?dept ?year WHERE {
  ?project a bk:BudgetProject .
  OPTIONAL { ?project rdfs:label ?name }
  OPTIONAL { ?project bk:supervisingDepartment ?dept }
  OPTIONAL { ?project bk:budgetYear ?year }
}"""
_FUNDS = """
SELECT ?project (MAX(?amount) AS ?annual) WHERE {
  ?project bk:annualFunds ?f .
  ?f bk:fundingSource bk:AllSources ; bk:amount ?amount .
} GROUP BY ?project"""
_LABELS = """
SELECT ?node ?label WHERE { [] bk:supervisingDepartment ?node . ?node skos:prefLabel ?label }"""
_POLICIES = f"""
SELECT ?node ?label ?number WHERE {{
  GRAPH <{POLICIES_GRAPH}> {{ ?node a eli:LegalResource ; rdfs:label ?label . OPTIONAL {{ ?node eli:id_local ?number }} }}
}}"""


@dataclass(frozen=True)
class PolicyRank:
    policy: str
    label: str
    number: str | None
    projects: int
    annual_funds_yuan: float  # Σ over the citing projects, each once; unknown funds count 0
    departments: int


@dataclass(frozen=True)
class Pair:
    a: str
    a_label: str
    b: str
    b_label: str
    weight: int  # projects citing both policies, or policies both departments cite
    shared: tuple[str, ...] = ()  # labels of what the pair shares, for departments


# --- building the graph ---------------------------------------------------------------------------
def citation_graph(store: Store, relations: Iterable[str] | None = None) -> nx.Graph:
    """Policies, projects and departments as one undirected graph; each node has `kind`
    (policy | project | department) and `label`; each edge a `relation` (the citation
    relations, comma-separated, or supervised_by)."""
    wanted = set(relations or RELATIONS)
    g = nx.Graph()
    _add_projects(store, g)
    for (project, policy), rels in _citations(store, wanted).items():
        g.add_node(policy, kind="policy", label=policy.rsplit("/", 1)[-1], number=None)
        g.add_edge(project, policy, relation=",".join(sorted(rels)))
    _label_policies(store, g)
    return g


def _rows(store: Store, query: str):
    return store.select(sparql_prologue() + "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n" + query)


def _citations(store: Store, wanted: set[str]) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in _rows(store, _CITES):
        rel = RELATION_NAMES.get(r["rel"].value, r["rel"].value)
        if rel in wanted:
            out[(r["project"].value, r["policy"].value)].add(rel)
    return out


def _add_projects(store: Store, g: nx.Graph) -> None:
    funds = {r["project"].value: float(r["annual"].value) for r in _rows(store, _FUNDS)}
    labels = {r["node"].value: r["label"].value for r in _rows(store, _LABELS)}
    for r in _rows(store, _PROJECTS):
        project = r["project"].value
        g.add_node(
            project,
            kind="project",
            label=_v(r["name"]) or project.rsplit("/", 1)[-1],
            year=_year(r["year"]),
            annual_funds_yuan=funds.get(project),
        )
        if r["dept"] is not None:
            dept = r["dept"].value
            g.add_node(dept, kind="department", label=labels.get(dept, dept.rsplit("/", 1)[-1]))
            g.add_edge(project, dept, relation="supervised_by")


def _label_policies(store: Store, g: nx.Graph) -> None:
    for r in _rows(store, _POLICIES):
        node = r["node"].value
        if node in g:
            g.nodes[node].update(label=r["label"].value, number=_v(r["number"]))


# --- analyses -------------------------------------------------------------------------------------
def nodes_of(g: nx.Graph, kind: str) -> list[str]:
    return sorted(n for n, k in g.nodes(data="kind") if k == kind)


def _neighbours(g: nx.Graph, node: str, kind: str) -> list[str]:
    return [n for n in g[node] if g.nodes[n]["kind"] == kind]


def most_cited(g: nx.Graph, top: int | None = 10, by: str = "projects") -> list[PolicyRank]:
    """Policies by the number of projects citing them (by='projects') or by the Σ of those
    projects' annual funds (by='funds'); ties broken by the other measure, then the label."""
    ranks = [_rank(g, p) for p in nodes_of(g, "policy")]
    if by == "funds":
        ranks.sort(key=lambda r: (-r.annual_funds_yuan, -r.projects, r.label))
    else:
        ranks.sort(key=lambda r: (-r.projects, -r.annual_funds_yuan, r.label))
    return ranks[:top] if top else ranks


def _rank(g: nx.Graph, policy: str) -> PolicyRank:
    projects = _neighbours(g, policy, "project")
    depts = {d for p in projects for d in _neighbours(g, p, "department")}
    funds = sum(g.nodes[p].get("annual_funds_yuan") or 0 for p in projects)
    node = g.nodes[policy]
    return PolicyRank(policy, node["label"], node.get("number"), len(projects), funds, len(depts))


def co_citation(g: nx.Graph, top: int | None = 10) -> list[Pair]:
    """Pairs of policies cited by the same projects; weight = the number of such projects."""
    policies = nodes_of(g, "policy")
    sub = g.subgraph(policies + nodes_of(g, "project"))
    projected = bipartite.weighted_projected_graph(sub, policies)
    return _pairs(g, projected, top)


def shared_policies(g: nx.Graph, top: int | None = 10) -> list[Pair]:
    """Pairs of departments whose projects cite the same policies; weight = how many."""
    dp = nx.Graph()
    for dept in nodes_of(g, "department"):
        dp.add_node(dept)
        for project in _neighbours(g, dept, "project"):
            dp.add_edges_from((dept, policy) for policy in _neighbours(g, project, "policy"))
    depts = nodes_of(g, "department")
    projected = nx.Graph()
    for i, a in enumerate(depts):
        for b in depts[i + 1 :]:
            common = sorted(set(dp[a]) & set(dp[b]))
            if common:
                projected.add_edge(
                    a, b, weight=len(common), shared=tuple(g.nodes[p]["label"] for p in common)
                )
    return _pairs(g, projected, top)


def _pairs(g: nx.Graph, projected: nx.Graph, top: int | None) -> list[Pair]:
    pairs = []
    for u, v, data in projected.edges(data=True):
        a, b = sorted((u, v), key=lambda n: (g.nodes[n]["label"], n))
        pairs.append(
            Pair(
                a,
                g.nodes[a]["label"],
                b,
                g.nodes[b]["label"],
                data["weight"],
                data.get("shared", ()),
            )
        )
    pairs.sort(key=lambda p: (-p.weight, p.a_label, p.b_label))
    return pairs[:top] if top else pairs


def _v(term) -> str | None:
    return None if term is None else term.value


def _year(term) -> int | None:
    return None if term is None or not term.value[:4].isdigit() else int(term.value[:4])
