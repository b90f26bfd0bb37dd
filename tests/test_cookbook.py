"""Every named query in docs/queries runs against the graph of the five seeds and gives a real
answer; expectations come from the gold records, the store's counts or the networkx analytics."""

from __future__ import annotations

import re

import pytest
from budgetkg.extract.docnumber import normalize_doc_number
from budgetkg.graph import analytics
from budgetkg.graph.ingest import ingest_many
from budgetkg.graph.policy_graph import POLICIES_SOURCE, refresh_policies
from budgetkg.graph.stats import store_stats
from budgetkg.graph.store import GraphStore
from conftest import ROOT, SEEDS, gold_records, seed_paths

QUERIES = sorted((ROOT / "docs" / "queries").glob("*.rq"))
POLICY = "国发〔2021〕9号"  # the number projects_on_policy.rq and policy_funds.rq ask about
PROJECT = "科普经费"  # the project policies_of_project.rq and project_kpis.rq ask about


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> GraphStore:
    if not SEEDS.exists():
        pytest.skip("../shared/seeds is not beside the checkout")
    store = GraphStore(tmp_path_factory.mktemp("cookbook") / "store")
    outcomes = list(ingest_many(store, seed_paths()))
    assert all(hasattr(o, "triples") for o in outcomes), outcomes
    refresh_policies(store)
    return store


@pytest.fixture(scope="module")
def graph(store):
    return analytics.citation_graph(store)


def run(store: GraphStore, name: str) -> list[dict]:
    """A cookbook query's rows as {variable: text} (absent variables left out)."""
    result = store.query((ROOT / "docs" / "queries" / name).read_text("utf-8"))
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]


def _squash(text: str) -> str:
    return "".join(text.split())


def _gold_citing(number: str) -> dict[str, float]:
    """Project name → annual funds of the gold projects whose legal bases include `number`."""
    out = {}
    for record in gold_records().values():
        for p in record["performance_projects"]:
            if any(
                c.get("doc_number") and normalize_doc_number(c["doc_number"]) == number
                for c in p["legal_bases"]
            ):
                out[_squash(p["name"])] = p.get("annual_funds_yuan") or 0
    return out


def _gold_project(name: str) -> dict:
    return next(
        p for r in gold_records().values() for p in r["performance_projects"] if p["name"] == name
    )


# --- one expectation per query ------------------------------------------------------------------
def check_projects_on_policy(store, graph):
    rows = run(store, "projects_on_policy.rq")
    assert {_squash(r["name"]) for r in rows} == set(_gold_citing(POLICY))
    for r in rows:
        line = (SEEDS / r["file"]).read_text("utf-8").splitlines()[int(r["line"]) - 1]
        assert "2021" in line and "9号" in line, (r["file"], r["line"], line)


def check_policy_funds(store, graph):
    rows = run(store, "policy_funds.rq")
    expected = _gold_citing(POLICY)
    assert sum(int(r["projects"]) for r in rows) == len(expected)
    assert sum(float(r["annualFundsYuan"]) for r in rows) == pytest.approx(
        sum(expected.values()), abs=0.01
    )


def check_policies_of_project(store, graph):
    rows = run(store, "policies_of_project.rq")
    gold = _gold_project(PROJECT)
    numbers = {
        normalize_doc_number(c["doc_number"]) for c in gold["legal_bases"] if c.get("doc_number")
    }
    assert numbers <= {r.get("number") for r in rows}
    legal = [r for r in rows if r["relation"].endswith("hasLegalBasis")]
    assert len(legal) == len(gold["legal_bases"])
    assert all(r["file"].endswith(".txt") and int(r["line"]) > 0 for r in rows)


def check_most_cited_policies(store, graph):
    rows = run(store, "most_cited_policies.rq")
    ranks = {r.policy: r for r in analytics.most_cited(graph, top=None)}
    assert rows[0]["policy"] == analytics.most_cited(graph, top=1)[0].policy
    for r in rows:
        assert int(r["projects"]) == ranks[r["policy"]].projects
        assert float(r.get("annualFundsYuan", 0)) == pytest.approx(
            ranks[r["policy"]].annual_funds_yuan
        )


def check_funds_by_issuer(store, graph):
    rows = {r["authority"]: r for r in run(store, "funds_by_issuer.rq")}
    state_council = rows["国务院"]  # 国发 is the State Council's code
    assert int(state_council["projects"]) >= len(_gold_citing(POLICY))
    assert all(int(r["policies"]) >= 1 and int(r["projects"]) >= 1 for r in rows.values())


def check_project_kpis(store, graph):
    rows = run(store, "project_kpis.rq")
    gold = _gold_project(PROJECT)
    assert len(rows) == len(gold["period_kpis"]) + len(gold["annual_kpis"])
    assert {r["column"] for r in rows} == {"实施期", "年度"}
    assert {_squash(r["indicator"]) for r in rows} == {
        _squash(k["level3"]) for k in gold["period_kpis"] + gold["annual_kpis"]
    }


def check_projects_by_department_year(store, graph):
    rows = run(store, "projects_by_department_year.rq")
    assert sum(int(r["projects"]) for r in rows) == store_stats(store).projects
    for record in gold_records().values():
        dept, year = record["department"]["name"], str(record["department"]["year"])
        mine = [
            p for p in record["performance_projects"] if p.get("supervising_dept") in (None, dept)
        ]
        row = next(r for r in rows if r["dept"] == dept and r["year"] == year)
        assert int(row["projects"]) == len(mine)
        assert float(row["annualFundsYuan"]) == pytest.approx(
            sum(p.get("annual_funds_yuan") or 0 for p in mine)
        )


def check_policies_by_issuer(store, graph):
    rows = run(store, "policies_by_issuer.rq")
    assert len({r["policy"] for r in rows}) == store_stats(store).policies
    row = next(r for r in rows if r.get("number") == POLICY)
    assert (row["authority"], row["level"]) == ("国务院", "national")


def check_co_citation(store, graph):
    rows = run(store, "co_citation.rq")
    weights = {(p.a, p.b): p.weight for p in analytics.co_citation(graph, top=None)}
    weights |= {(b, a): w for (a, b), w in weights.items()}
    assert rows and all(int(r["projects"]) == weights[(r["a"], r["b"])] for r in rows)
    assert int(rows[0]["projects"]) == max(weights.values())


def check_departments_sharing_policies(store, graph):
    rows = run(store, "departments_sharing_policies.rq")
    expected = {
        frozenset((p.a_label, p.b_label)): p.weight
        for p in analytics.shared_policies(graph, top=None)
    }
    assert {frozenset((r["deptA"], r["deptB"])): int(r["policies"]) for r in rows} == expected


def check_indicators_by_name(store, graph):
    rows = run(store, "indicators_by_name.rq")
    assert rows
    assert all("满意度" in r["indicator"] and 80 <= float(r["number"]) <= 100 for r in rows)


def check_documents(store, graph):
    rows = run(store, "documents.rq")
    assert {r["file"] for r in rows} == {p.name for p in seed_paths()} | {POLICIES_SOURCE}
    assert {r["dept"] for r in rows if "dept" in r} >= {
        r["department"]["name"] for r in gold_records().values()
    }


CHECKS = {
    name[len("check_") :] + ".rq": fn for name, fn in globals().items() if name.startswith("check_")
}


# --- the tests ----------------------------------------------------------------------------------
def test_every_query_in_the_cookbook_has_a_check():
    assert sorted(q.name for q in QUERIES) == sorted(CHECKS)


@pytest.mark.parametrize("query", [q.name for q in QUERIES])
def test_each_cookbook_query_gives_the_expected_answer_on_the_seeds(store, graph, query):
    CHECKS[query](store, graph)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_each_query_is_titled_in_chinese_and_english_and_declares_its_prefixes(query):
    text = query.read_text("utf-8")
    title = text.splitlines()[0]
    assert title.startswith("# ") and " / " in title
    assert re.search(r"[\u4e00-\u9fff]", title) and re.search(r"[A-Za-z]{3}", title)
    declared = set(re.findall(r"^PREFIX (\S+):", text, re.MULTILINE))
    body = "\n".join(line for line in text.splitlines() if not line.startswith(("#", "PREFIX")))
    body = re.sub(r'"[^"]*"|<[^>\s]*>', "", body)
    used = set(re.findall(r"\b([a-z]+):[A-Za-z_]", body))
    assert used <= declared, f"undeclared prefixes: {used - declared}"
