"""The graph view: the neighbourhood of a match as typed nodes and labelled edges, laid out, and
the pyvis (vis-network) page that draws it.

A search (a policy number in any bracket style, a policy title or alias, part of a project's or
an organization's name) or explicit node IRIs give the seeds; the neighbourhood is

- a policy → the projects citing it as legal basis (and through `owl:sameAs`, the citations that
  name it by title alone), each with its ring;
- an organization → the projects it supervises or implements, each with its ring;
- a project → its ring; a KPI or an amount → its project's ring;

where a project's ring is its supervising department (主管), implementing unit (实施), annual
funds (资金), KPIs (指标) and the policies it rests on (依据). Every node carries its fields and
the file and line it was read from.

The SPARQL runs through a *plan*: a generator that yields query strings and receives their rows
as {variable: text or None}. `build_view(store, ...)` drives it against a store (embedded or remote); the HTTP
API drives the same plan through its query workers (api/view.py), so the server's time and row
limits apply. The view is capped at `limit` nodes (seeds, then projects and what links them,
then KPIs), `total` telling how many there were. Positions are computed here (a radial layout of
a networkx BFS tree, linear in the nodes), so the browser draws with physics off.

The page (`render_page`) is pyvis's own template, rendered with tooltips as plain text (never
its innerHTML popup), its CDN links removed, and budgetkg's assets put in their place: linked
from the server, or inlined for a page that is one file.
"""

from __future__ import annotations

import html
import json
import math
import re
import secrets
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field

import networkx as nx
from budgetkg.extract.docnumber import parse_doc_number
from budgetkg.extract.policies import canonical_number
from budgetkg.graph import iri
from budgetkg.graph.map_policies import POLICIES_GRAPH
from budgetkg.graph.store import CATALOG
from budgetkg.graph.store_api import Store
from budgetkg.ontology import sparql_prologue
from budgetkg.ontology.namespace import BK

POLICY, PROJECT, ORG, INDICATOR, AMOUNT = "policy", "project", "org", "indicator", "amount"
KINDS = (POLICY, PROJECT, ORG, INDICATOR, AMOUNT)
KIND_LABELS = {POLICY: "政策文件", PROJECT: "项目", ORG: "部门/单位", INDICATOR: "绩效指标", AMOUNT: "资金"}
STYLE = {  # colour and shape per kind: told apart by both
    POLICY: {"shape": "box", "color": {"background": "#fde2e1", "border": "#c0392b"}},
    PROJECT: {"shape": "dot", "color": {"background": "#5b8def", "border": "#1f4fb5"}, "size": 16},
    ORG: {"shape": "hexagon", "color": {"background": "#6cc08b", "border": "#1e7a43"}, "size": 18},
    INDICATOR: {"shape": "triangle", "color": {"background": "#f5b041", "border": "#b9770e"}, "size": 9},
    AMOUNT: {"shape": "square", "color": {"background": "#b48ede", "border": "#6c3483"}, "size": 10},
}
BASIS, IMPLEMENTS, SUPERVISES, KPI, FUNDS = "依据", "实施", "主管", "指标", "资金"
EDGE_COLORS = {BASIS: "#c0392b", IMPLEMENTS: "#1e7a43", SUPERVISES: "#1e7a43", KPI: "#b9770e",
               FUNDS: "#6c3483"}
DEFAULT_LIMIT = 500
MAX_LIMIT = 5000
_LABEL_CHARS = 22
_TIERS = {POLICY: 1, PROJECT: 1, ORG: 1, AMOUNT: 1, INDICATOR: 2}
_OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
_TYPES = {str(BK.BudgetProject): PROJECT, "http://data.europa.eu/eli/ontology#LegalResource": POLICY,
          "http://www.w3.org/ns/org#Organization": ORG, str(BK.KpiTarget): INDICATOR,
          str(BK.FundsAmount): AMOUNT}
_COLUMNS = {str(BK.PeriodColumn): "实施期", str(BK.AnnualColumn): "年度"}

Rows = list[dict[str, str | None]]
Plan = Generator[str, Rows, "View"]


# --- the view --------------------------------------------------------------------------------
@dataclass
class Node:
    id: str
    kind: str
    label: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)  # {"file", "line", "end"}
    years: set[int] = field(default_factory=set)
    depts: set[str] = field(default_factory=set)
    tier: int = 1
    order: tuple = ()

    def field(self, name: str, value) -> None:
        if value not in (None, "") and (name, str(value)) not in self.fields:
            self.fields.append((name, str(value)))

    def source(self, file: str | None, line, end=None) -> None:
        if not file:
            return
        entry = {"file": file, "line": _int(line), "end": _int(end)}
        if entry not in self.sources:
            self.sources.append(entry)


@dataclass
class View:
    query: str
    matches: list[str]
    nodes: list[dict]
    edges: list[dict]
    total: int
    limit: int
    truncated: bool
    incomplete: bool = False  # a query's rows were cut at the server's row limit
    seeds: list[str] = field(default_factory=list)  # node IRIs asked for, beside the query

    def to_json(self) -> dict:
        return {"query": self.query, "seeds": self.seeds, "matches": self.matches, "nodes": self.nodes, "edges": self.edges,
                "total": self.total, "shown": len(self.nodes), "limit": self.limit,
                "truncated": self.truncated, "incomplete": self.incomplete,
                "kinds": {k: {"label": KIND_LABELS[k], **STYLE[k]} for k in KINDS}}


# --- driving a plan --------------------------------------------------------------------------
def store_rows(store: Store) -> Callable[[str], Rows]:
    """A rows function over a store: {variable: text or None} per solution."""

    def rows(sparql: str) -> Rows:
        result = store.select(sparql)
        names = [v.value for v in result.variables]
        return [{n: (None if s[n] is None else s[n].value) for n in names} for s in result]

    return rows


def run_plan(plan: Plan, rows: Callable[[str], Rows]) -> View:
    try:
        query = next(plan)
        while True:
            query = plan.send(rows(query))
    except StopIteration as stop:
        return stop.value


def build_view(store: Store, text: str | None = None, nodes: Iterable[str] = (),
               limit: int = DEFAULT_LIMIT) -> View:
    """The view of what `text` matches (or of the given node IRIs), at most `limit` nodes."""
    return run_plan(view_plan(text, nodes, limit), store_rows(store))


def most_cited_policies(store: Store, nodes: int = 2000) -> list[str]:
    """The most-cited policies (by projects citing them as legal basis), as many as it takes for
    their view to hold at least `nodes` nodes (all of them if it never does)."""
    ranked = [r["k"] for r in store_rows(store)(_Q_MOST_CITED)]
    lo, hi = 1, len(ranked)  # the view only grows with more seeds: bisect the shortest prefix
    while lo < hi:
        mid = (lo + hi) // 2
        if build_view(store, None, ranked[:mid], MAX_LIMIT).total >= nodes:
            hi = mid
        else:
            lo = mid + 1
    return ranked[:lo]


# --- the plan --------------------------------------------------------------------------------
def view_plan(text: str | None, seeds: Iterable[str] = (), limit: int = DEFAULT_LIMIT) -> Plan:
    limit = max(1, min(int(limit), MAX_LIMIT))
    kinds: dict[str, str] = {}
    seeds = [s for s in dict.fromkeys(seeds) if _is_iri(s)]
    if seeds:
        for r in (yield _q_types(seeds)):
            kind = _TYPES.get(r["t"] or "")
            if kind and r["s"] not in kinds:
                kinds[r["s"]] = kind
    if text and text.strip():
        for p in match_policies((yield _Q_POLICIES), text):
            kinds.setdefault(p, POLICY)
        literal = sparql_string(text.strip())
        for r in (yield _Q_SEARCH % (literal, literal, limit)):
            kinds.setdefault(r["s"], PROJECT if r["kind"] == "project" else ORG)
    matches = list(kinds)
    policies = [s for s in matches if kinds[s] == POLICY]
    orgs = [s for s in matches if kinds[s] == ORG]
    projects = [s for s in matches if kinds[s] == PROJECT]
    owned = [s for s in matches if kinds[s] in (INDICATOR, AMOUNT)]
    if owned:
        projects += [r["p"] for r in (yield _q_owners(owned))]
    if policies:
        keys = policies + [r["a"] for r in (yield _q_aliases(policies))]
        projects += [r["p"] for r in (yield _q_citing(keys))]
    if orgs:
        projects += [r["p"] for r in (yield _q_org_projects(orgs))]
    projects = list(dict.fromkeys(projects))[: limit]
    graph = _Builder(matches, kinds)
    if projects:
        graph.projects((yield _q_projects(projects)))
        graph.funds((yield _q_funds(projects)))
        graph.citations((yield _q_citations(projects)))
        graph.kpis((yield _q_kpis(projects)))
    wanted = [p for p in graph.nodes if graph.nodes[p].kind == POLICY]
    if wanted:
        graph.policy_info((yield _q_policy_info(wanted)))
    orgs_unlabelled = [o for o in matches if kinds[o] == ORG]
    if orgs_unlabelled:
        graph.org_info((yield _q_org_info(orgs_unlabelled)))
    view = graph.view(text or "", limit)
    view.seeds = seeds
    return view


def match_policies(rows: Rows, text: str) -> list[str]:
    """IRIs of the policies `text` names: its number in any bracket style, else a title or alias
    equal to it (width, spaces, punctuation and book-title marks folded), else containing it."""
    names: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        for key in ("number", "title", "alias"):
            if r.get(key):
                names[r["p"]].add(fold(r[key]))
        names.setdefault(r["p"], set())
    number = parse_doc_number(text)
    if number is not None:
        wanted = iri.policy_iri(canonical_number(number.normalized))
        if wanted in names:
            return [wanted]
    key = fold(text)
    if not key:
        return []
    exact = [p for p, ns in names.items() if key in ns]
    return sorted(exact or [p for p, ns in names.items() if any(key in n for n in ns)])


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch).startswith("P")))


def sparql_string(text: str) -> str:
    """A SPARQL string literal holding `text` exactly (user input never becomes syntax)."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r"))
    return f'"{escaped}"'


# --- queries ---------------------------------------------------------------------------------
_P = sparql_prologue() + "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
_Q_POLICIES = _P + f"""
SELECT ?p ?number ?title ?alias WHERE {{ GRAPH <{POLICIES_GRAPH}> {{
  ?p a eli:LegalResource .
  OPTIONAL {{ ?p eli:id_local ?number }} OPTIONAL {{ ?p eli:title ?title }}
  OPTIONAL {{ ?p eli:title_alternative ?alias }} }} }}"""
_Q_SEARCH = _P + """
SELECT DISTINCT ?s ?kind WHERE {
  { ?s a bk:BudgetProject ; rdfs:label ?n . FILTER(CONTAINS(STR(?n), %s)) BIND("project" AS ?kind) }
  UNION
  { ?s a org:Organization ; skos:prefLabel ?n . FILTER(CONTAINS(STR(?n), %s)) BIND("org" AS ?kind) }
} ORDER BY ?kind ?s LIMIT %d"""

_Q_MOST_CITED = _P + f"""
SELECT ?k (COUNT(DISTINCT ?p) AS ?n) WHERE {{
  ?p bk:citation ?c . ?c bk:citedPolicy ?k ; bk:relation bk:hasLegalBasis .
  FILTER EXISTS {{ GRAPH <{POLICIES_GRAPH}> {{ ?k a eli:LegalResource }} }}
}} GROUP BY ?k ORDER BY DESC(?n) ?k"""


def _values(items: Iterable[str]) -> str:
    return " ".join(f"<{i}>" for i in items)


def _is_iri(text: str) -> bool:
    return bool(re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", text or ""))


def _q_types(seeds):
    return _P + f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {_values(seeds)} }} ?s a ?t }}"


def _q_owners(items):
    return _P + f"""SELECT DISTINCT ?p WHERE {{ VALUES ?s {{ {_values(items)} }}
  {{ ?p bk:kpi ?s }} UNION {{ ?p bk:annualFunds ?s }} }}"""


def _q_aliases(policies):
    return _P + f"""SELECT DISTINCT ?a WHERE {{ VALUES ?k {{ {_values(policies)} }}
  GRAPH <{POLICIES_GRAPH}> {{ ?a owl:sameAs ?k }} }}"""


def _q_citing(keys):
    return _P + f"""SELECT DISTINCT ?p WHERE {{ VALUES ?k {{ {_values(keys)} }}
  ?p bk:citation ?c . ?c bk:citedPolicy ?k ; bk:relation bk:hasLegalBasis . }} ORDER BY ?p"""


def _q_org_projects(orgs):
    return _P + f"""SELECT DISTINCT ?p WHERE {{ VALUES ?o {{ {_values(orgs)} }}
  {{ ?p bk:supervisingDepartment ?o }} UNION {{ ?p bk:implementingUnit ?o }} }} ORDER BY ?p"""


def _q_projects(projects):
    return _P + f"""
SELECT ?p ?name ?year ?dept ?deptName ?unit ?unitName ?attr ?period ?source ?line ?end WHERE {{
  GRAPH ?g {{
    VALUES ?p {{ {_values(projects)} }}  # inside GRAPH: Oxigraph joins it first
    ?p a bk:BudgetProject .
    OPTIONAL {{ ?p rdfs:label ?name }}
    OPTIONAL {{ ?p bk:budgetYear ?year }}
    OPTIONAL {{ ?p bk:supervisingDepartment ?dept . OPTIONAL {{ ?dept skos:prefLabel ?deptName }} }}
    OPTIONAL {{ ?p bk:implementingUnit ?unit . OPTIONAL {{ ?unit skos:prefLabel ?unitName }} }}
    OPTIONAL {{ ?p bk:projectAttribute ?attr }}
    OPTIONAL {{ ?p bk:projectPeriod ?period }}
    OPTIONAL {{ ?p prov:wasDerivedFrom ?span . OPTIONAL {{ ?span bk:line ?line }}
                OPTIONAL {{ ?span bk:endLine ?end }} }}
  }}
  GRAPH <{CATALOG}> {{ ?g bk:sourceFile ?source }}
}}"""


def _q_funds(projects):
    return _P + f"""
SELECT ?p ?f ?amount ?text ?source ?line WHERE {{
  GRAPH ?g {{
    VALUES ?p {{ {_values(projects)} }}  # inside GRAPH: Oxigraph joins it first
    ?p bk:annualFunds ?f . ?f bk:fundingSource bk:AllSources ; bk:amount ?amount .
    OPTIONAL {{ ?f bk:amountText ?text }}
    OPTIONAL {{ ?f prov:wasDerivedFrom ?span . ?span bk:line ?line }}
  }}
  GRAPH <{CATALOG}> {{ ?g bk:sourceFile ?source }}
}}"""


def _q_citations(projects):
    return _P + f"""
SELECT ?p ?k ?raw ?source ?line WHERE {{
  GRAPH ?g {{
    VALUES ?p {{ {_values(projects)} }}  # inside GRAPH: Oxigraph joins it first
    ?p bk:citation ?c . ?c bk:relation bk:hasLegalBasis ; bk:citedPolicy ?k0 .
    OPTIONAL {{ ?c bk:rawText ?raw }}
    OPTIONAL {{ ?c prov:wasDerivedFrom ?span . ?span bk:line ?line }}
  }}
  OPTIONAL {{ GRAPH <{POLICIES_GRAPH}> {{ ?k0 owl:sameAs ?k1 }} }}
  BIND(COALESCE(?k1, ?k0) AS ?k)
  GRAPH <{CATALOG}> {{ ?g bk:sourceFile ?source }}
}}"""


def _q_kpis(projects):
    return _P + f"""
SELECT ?p ?k ?name ?value ?l1 ?l2 ?col ?source ?line WHERE {{
  GRAPH ?g {{
    VALUES ?p {{ {_values(projects)} }}  # inside GRAPH: Oxigraph joins it first
    ?p bk:kpi ?k . ?k bk:targetText ?value .
    OPTIONAL {{ ?k bk:indicator/skos:prefLabel ?name }}
    OPTIONAL {{ ?k bk:level1Indicator/skos:prefLabel ?l1 }}
    OPTIONAL {{ ?k bk:level2Indicator/skos:prefLabel ?l2 }}
    OPTIONAL {{ ?k bk:column ?col }}
    OPTIONAL {{ ?k prov:wasDerivedFrom ?span . ?span bk:line ?line }}
  }}
  GRAPH <{CATALOG}> {{ ?g bk:sourceFile ?source }}
}}"""


def _q_policy_info(policies):
    return _P + f"""
SELECT ?p ?number ?title ?issuer ?type ?year WHERE {{
  VALUES ?p {{ {_values(policies)} }}
  GRAPH <{POLICIES_GRAPH}> {{
    OPTIONAL {{ ?p eli:id_local ?number }} OPTIONAL {{ ?p eli:title ?title }}
    OPTIONAL {{ ?p eli:passed_by/skos:prefLabel ?issuer }}
    OPTIONAL {{ ?p bk:documentType ?type }} OPTIONAL {{ ?p dcterms:issued ?year }}
  }}
}}"""


def _q_org_info(orgs):
    return _P + f"""SELECT ?o ?name WHERE {{ VALUES ?o {{ {_values(orgs)} }}
  OPTIONAL {{ ?o skos:prefLabel ?name }} }}"""


# --- assembling ------------------------------------------------------------------------------
class _Builder:
    def __init__(self, matches: list[str], kinds: dict[str, str]):
        self.matches = matches
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.owner: dict[str, str] = {}  # ring node → its project
        for m in matches:
            self.node(m, kinds[m], _short_iri(m)).tier = 0

    def node(self, id_: str, kind: str, label: str) -> Node:
        node = self.nodes.get(id_)
        if node is None:
            node = self.nodes[id_] = Node(id_, kind, label, tier=_TIERS[kind])
        return node

    def edge(self, source: str, target: str, label: str) -> None:
        self.edges[(source, target)].add(label)

    def projects(self, rows: Rows) -> None:
        for r in sorted(rows, key=lambda r: (r["name"] or "", r["source"] or "", _int(r["line"]) or 0)):
            p = self.node(r["p"], PROJECT, r["name"] or _short_iri(r["p"]))
            p.label = r["name"] or p.label
            p.order = (r["name"] or "",)
            year = _year(r["year"])
            p.field("名称", r["name"])
            p.field("年度", year)
            p.field("主管部门", r["deptName"])
            p.field("实施单位", r["unitName"])
            p.field("项目属性", r["attr"])
            p.field("项目期限", r["period"])
            p.source(r["source"], r["line"], r["end"])
            if year:
                p.years.add(year)
            if r["deptName"]:
                p.depts.add(r["deptName"])
            if r["dept"]:
                self._org(r["dept"], r["deptName"], r["source"])
                self.edge(r["p"], r["dept"], SUPERVISES)
            if r["unit"]:
                self._org(r["unit"], r["unitName"], r["source"])
                self.edge(r["p"], r["unit"], IMPLEMENTS)

    def _org(self, id_: str, name: str | None, source: str | None) -> None:
        o = self.node(id_, ORG, name or _short_iri(id_))
        if name:
            o.label = name
            o.field("名称", name)

    def funds(self, rows: Rows) -> None:
        for r in rows:
            f = self.node(r["f"], AMOUNT, _yuan(r["amount"]))
            f.field("年度资金（元）", _yuan(r["amount"]))
            f.field("原文", r["text"])
            f.source(r["source"], r["line"])
            self.owner[r["f"]] = r["p"]
            self.edge(r["p"], r["f"], FUNDS)

    def citations(self, rows: Rows) -> None:
        for r in rows:
            k = self.node(r["k"], POLICY, _short_iri(r["k"]))
            k.field("引用原文", r["raw"])
            k.source(r["source"], r["line"])
            self.edge(r["p"], r["k"], BASIS)

    def kpis(self, rows: Rows) -> None:
        for r in sorted(rows, key=lambda r: (r["source"] or "", _int(r["line"]) or 0)):
            name = r["name"] or _short_iri(r["k"])
            k = self.node(r["k"], INDICATOR, f"{name} {r['value'] or ''}".strip())
            k.field("三级指标", name)
            k.field("指标值", r["value"])
            k.field("一级指标", r["l1"])
            k.field("二级指标", r["l2"])
            k.field("栏目", _COLUMNS.get(r["col"] or "", r["col"]))
            k.source(r["source"], r["line"])
            self.owner[r["k"]] = r["p"]
            self.edge(r["p"], r["k"], KPI)

    def policy_info(self, rows: Rows) -> None:
        for r in rows:
            p = self.nodes[r["p"]]
            if r["number"] or r["title"]:
                p.label = r["number"] or f"《{r['title']}》"
            p.fields = [f for f in p.fields if f[0] not in ("发文字号", "标题")]
            head = [("发文字号", r["number"]), ("标题", r["title"]), ("发文机关", r["issuer"]),
                    ("文种", r["type"]), ("年份", _year(r["year"]))]
            for name, value in head:
                p.field(name, value)
            # the document's own facts first, the citations after
            p.fields.sort(key=lambda f: f[0] == "引用原文")

    def org_info(self, rows: Rows) -> None:
        for r in rows:
            if r["name"]:
                self._org(r["o"], r["name"], None)

    # --- the capped, laid-out view ---------------------------------------------------------
    def view(self, query: str, limit: int) -> View:
        projects = {s for (s, _), _l in self.edges.items() if self.nodes[s].kind == PROJECT}
        # years and departments of a node: those of the projects it hangs on
        for (s, t) in self.edges:
            if s in projects:
                self.nodes[t].years |= self.nodes[s].years
                self.nodes[t].depts |= self.nodes[s].depts
        rank = {p: i for i, p in enumerate(sorted(projects, key=lambda p: (self.nodes[p].order, p)))}
        matched = set(self.matches)

        def key(n: Node):
            owner = rank.get(n.id, rank.get(self.owner.get(n.id, ""), len(rank)))
            return (0 if n.id in matched else n.tier, owner, KINDS.index(n.kind), n.id)

        ordered = sorted(self.nodes.values(), key=key)
        kept = ordered[:limit]
        ids = {n.id for n in kept}
        edges = [(s, t, "·".join(sorted(ls, key=_EDGE_ORDER.index))) for (s, t), ls in self.edges.items()
                 if s in ids and t in ids]
        positions = layout([n.id for n in kept], [(s, t) for s, t, _ in edges],
                           [m for m in self.matches if m in ids])
        nodes = [_vis_node(n, positions[n.id], n.id in matched) for n in kept]
        vis_edges = [_vis_edge(s, t, label) for s, t, label in edges]
        return View(query, [m for m in self.matches if m in ids], nodes, vis_edges, len(ordered), limit,
                    len(ordered) > len(kept))


_EDGE_ORDER = [BASIS, SUPERVISES, IMPLEMENTS, FUNDS, KPI]


def _vis_node(n: Node, xy: tuple[float, float], matched: bool) -> dict:
    style = STYLE[n.kind]
    label = n.label if len(n.label) <= _LABEL_CHARS else n.label[: _LABEL_CHARS - 1] + "…"
    node = {"id": n.id, "label": label, "kind": n.kind, "shape": style["shape"],
            "color": dict(style["color"]), "x": round(xy[0], 1), "y": round(xy[1], 1),
            # plain text: vis-network puts a string title in the tooltip as text, not HTML
            "title": f"{KIND_LABELS[n.kind]}：{n.label}",
            "fullLabel": n.label, "fields": [list(f) for f in n.fields], "sources": n.sources,
            "years": sorted(n.years), "depts": sorted(n.depts), "match": matched}
    if "size" in style:
        node["size"] = style["size"]
    if matched:
        node["borderWidth"] = 4
        node["size"] = style.get("size", 16) + 8
        node["font"] = {"size": 18, "bold": True}
    return node


def _vis_edge(s: str, t: str, label: str) -> dict:
    first = label.split("·")[0]
    return {"id": f"{s}\u0000{t}", "from": s, "to": t, "label": label, "arrows": "to",
            "color": EDGE_COLORS.get(first, "#888888"), "font": {"size": 10, "align": "middle"}}


# --- layout ----------------------------------------------------------------------------------
_RING = 260.0  # distance between rings
_GAP = 34.0  # least arc between two nodes on a ring


def layout(nodes: list[str], edges: list[tuple[str, str]], roots: list[str]) -> dict[str, tuple[float, float]]:
    """Radial tree layout of the breadth-first tree from the roots (linear in the graph).

    Each node gets an angular sector in proportion to the leaves under it, so a project's KPIs
    fan out beside it; ring radii grow so that no ring is more crowded than `_GAP`.
    """
    if not nodes:
        return {}
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    top = object()
    starts = [r for r in roots if r in graph] or [nodes[0]]
    graph.add_node(top)
    for r in starts:
        graph.add_edge(top, r)
    index = {n: i for i, n in enumerate(nodes)}
    for component in list(nx.connected_components(graph)):  # what no root reaches gets a place
        if top not in component:
            graph.add_edge(top, min(component, key=index.__getitem__))
    children: dict[object, list] = defaultdict(list)
    depth = {top: 0}
    for parent, child in nx.bfs_edges(graph, top):
        children[parent].append(child)
        depth[child] = depth[parent] + 1
    order = list(nx.dfs_preorder_nodes(nx.DiGraph(children), top)) if children else [top]
    leaves: dict[object, int] = {}
    for n in reversed(order):
        leaves[n] = sum(leaves[c] for c in children[n]) or 1
    per_ring: dict[int, int] = defaultdict(int)
    for n, d in depth.items():
        per_ring[d] += 1
    radius, r = {0: 0.0}, 0.0
    for d in range(1, max(depth.values()) + 1):
        r = max(r + _RING, per_ring[d] * _GAP / (2 * math.pi))
        radius[d] = r
    if len(starts) == 1:  # one root: at the centre
        radius = {d: (0.0 if d <= 1 else radius[d - 1]) for d in radius}
    pos: dict[object, tuple[float, float]] = {}
    span: dict[object, tuple[float, float]] = {top: (0.0, 2 * math.pi)}
    for n in order:
        lo, hi = span[n]
        if n is not top:
            a, rr = (lo + hi) / 2, radius[depth[n]]
            pos[n] = (rr * math.cos(a), rr * math.sin(a))
        at = lo
        for c in children[n]:
            width = (hi - lo) * leaves[c] / leaves[n]
            span[c] = (at, at + width)
            at += width
    return {n: pos[n] for n in nodes}


# --- the page --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Assets:
    """What the page loads: each CSS and JS file either by URL (`href`) or inlined (`text`)."""

    css: tuple[tuple[str, str], ...]  # (kind, value): kind "href" or "text"
    js: tuple[tuple[str, str], ...]


VIS_OPTIONS = {
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True,
                    "hideEdgesOnZoom": True, "navigationButtons": False, "keyboard": False},
    "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
              "font": {"size": 10}},
    "nodes": {"font": {"size": 13, "face": "sans-serif"}, "borderWidth": 2},
}
_CDN = re.compile(r"<(script|link)\b[^>]*(?:src|href)=\"https?://[^\"]*\"[^>]*>(?:\s*</script>)?", re.DOTALL)
_INLINE_SCRIPT = re.compile(r"<script(?: type=\"text/javascript\")?>", re.DOTALL)


def render_page(view: View | None, assets: Assets, *, mode: str, nonce: str | None = None,
                base: str = "") -> str:
    """The HTML page: pyvis's template with the view's nodes, edges and options; CDN links
    removed; `assets` put in the head; the view's metadata as JSON for the page's script.

    mode "server": search and expand ask `base` + /view/...; mode "static": one file, no server.
    `nonce`, when given, is set on every inline script and style (for a CSP with a nonce).
    """
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=True, cdn_resources="remote", heading="")
    data = view.to_json() if view else None
    # filled directly: add_node/from_nx check every id against a list (quadratic)
    net.nodes = data["nodes"] if data else []
    net.edges = data["edges"] if data else []
    net.node_ids = [n["id"] for n in net.nodes]
    net.options = VIS_OPTIONS
    nodes, edges, _heading, height, width, options = net.get_network_data()
    page = net.templateEnv.get_template(net.path).render(
        height=height, width=width, nodes=nodes, edges=edges, heading="", options=options,
        physics_enabled=False, use_DOT=False, dot_lang="", widget=False, bgcolor="#ffffff",
        conf=False, tooltip_link=False, neighborhood_highlight=False, select_menu=False,
        filter_menu=False, notebook=False, cdn_resources="remote",
    )
    page = _CDN.sub("", page)
    page = re.sub(r"<!--.*?-->", "", page, flags=re.DOTALL)  # the template's commented-out links
    # pyvis's highlight helpers (utils.js, inlined in "remote" mode) are not used: drop them
    page = re.sub(r"<script>\s*function neighbourhoodHighlight.*?</script>", "", page, count=1, flags=re.DOTALL)
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>", "", page)
    nonce_attr = f' nonce="{html.escape(nonce)}"' if nonce else ""
    page = _INLINE_SCRIPT.sub(f'<script type="text/javascript"{nonce_attr}>', page)
    page = page.replace('<style type="text/css">', f'<style type="text/css"{nonce_attr}>')
    meta = {k: v for k, v in (data or {}).items() if k not in ("nodes", "edges")}
    meta.update({"mode": mode, "base": base, "kinds": {k: {"label": KIND_LABELS[k], **STYLE[k]} for k in KINDS},
                 "edgeLabels": _EDGE_ORDER, "edgeColors": EDGE_COLORS, "defaultLimit": DEFAULT_LIMIT,
                 "maxLimit": MAX_LIMIT})
    head = ['<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<link rel="icon" href="data:,">',  # no favicon request
            f"<title>{html.escape(_title(view))}</title>"]
    for kind, value in assets.css:
        head.append(f'<link rel="stylesheet" href="{html.escape(value)}">' if kind == "href"
                    else f"<style{nonce_attr}>{_safe_style(value)}</style>")
    for i, (kind, value) in enumerate(assets.js):
        if kind == "href":  # the library before pyvis's drawGraph(), the page's script after it
            head.append(f'<script src="{html.escape(value)}"{" defer" if i else ""}></script>')
    head_html = "\n".join(head)
    page = page.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n' + head_html, 1)
    # the vis library must be defined before pyvis's drawGraph() runs: inline ones go first
    inline_js = "".join(f"<script{nonce_attr}>{_safe_script(v)}</script>\n" for k, v in assets.js[:1] if k == "text")
    app_js = "".join(f"<script{nonce_attr}>{_safe_script(v)}</script>\n" for k, v in assets.js[1:] if k == "text")
    page = page.replace("</head>", inline_js + "</head>", 1)
    ui = _ui(view, meta)
    page = page.replace('<div class="card" style="width: 100%">', ui + '<div class="card" id="bk-graph-card">', 1)
    page = page.replace("</body>", '</main>\n' + _details_panel() + app_js + "</body>", 1)
    if not page.lstrip().lower().startswith("<!doctype"):
        page = "<!DOCTYPE html>\n" + page
    return page


def json_for_script(data) -> str:
    """JSON safe inside a <script> element: no </script>, <!--, or line separators."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _safe_script(text: str) -> str:
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def _safe_style(text: str) -> str:
    return re.sub(r"</(style)", r"<\\/\1", text, flags=re.IGNORECASE)


def _title(view: View | None) -> str:
    return f"{view.query} · budgetkg 图谱" if view and view.query else "budgetkg 图谱"


def _ui(view: View | None, meta: dict) -> str:
    q = html.escape(view.query if view else "", quote=True)
    kinds = "".join(
        f'<label class="bk-kind"><input type="checkbox" name="kind" value="{k}" checked>'
        f'<span class="bk-swatch bk-{k}"></span>{KIND_LABELS[k]}</label>' for k in KINDS)
    return f"""<header id="bk-bar">
<form id="bk-search" method="get" action="">
  <input id="bk-q" name="q" type="search" value="{q}" placeholder="政策文号、标题、简称，项目或单位名称" autocomplete="off">
  <button type="submit">搜索</button>
</form>
<div id="bk-filters">
  <label>年度 <select id="bk-year"><option value="">全部</option></select></label>
  <label>部门 <select id="bk-dept"><option value="">全部</option></select></label>
  <span id="bk-kinds">{kinds}</span>
</div>
<div id="bk-status"><span id="bk-count"></span> <button type="button" id="bk-more" hidden>显示更多</button></div>
</header>
<main id="bk-main">
<script type="application/json" id="bk-meta">{json_for_script(meta)}</script>
"""


def _details_panel() -> str:
    return """<aside id="bk-details" aria-live="polite">
<h2 id="bk-details-title">详情</h2>
<p id="bk-details-kind" class="bk-muted">点击一个节点查看其字段与来源行；点击后会从服务器展开其邻居。</p>
<dl id="bk-fields"></dl>
<h3>来源</h3>
<ul id="bk-sources"></ul>
<button type="button" id="bk-expand" hidden>展开邻居</button>
</aside>
"""


# --- small helpers ---------------------------------------------------------------------------
def _short_iri(value: str) -> str:
    from urllib.parse import unquote

    return unquote(value.rstrip("/").rsplit("/", 1)[-1])


def _int(value) -> int | None:
    try:
        return None if value in (None, "") else int(value)
    except (TypeError, ValueError):
        return None


def _year(value) -> int | None:
    if not value:
        return None
    m = re.match(r"\d{4}", str(value))
    return int(m.group()) if m else None


def _yuan(value) -> str:
    try:
        return f"{float(value):,.2f} 元"
    except (TypeError, ValueError):
        return str(value or "")


def new_nonce() -> str:
    return secrets.token_urlsafe(16)
