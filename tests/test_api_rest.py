"""The REST endpoints against a running `budgetkg serve` on a store of the five seeds.

Filters and paging of /api/projects, /api/policies, /api/departments and /api/indicators; a
project's detail with its provenance lines; the trace of 国发〔2021〕9号 against the gold
records and against `budgetkg trace --json`; the OpenAPI schema; the error shape.
"""

from __future__ import annotations

import json
import subprocess
from urllib.parse import quote

import httpx
import pytest
from apiserver import BIN, serve
from conftest import GOLD
from seedstore import build_seed_store

POLICY = "国发〔2021〕9号"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_seed_store(tmp_path_factory.mktemp("rest") / "store")


@pytest.fixture(scope="module")
def api(store):
    with serve(store) as running, httpx.Client(base_url=running.url, timeout=30) as client:
        yield client


def items(api, path, **params):
    r = api.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def gold_citing(number: str) -> set[str]:
    """Projects the gold records list as citing `number` as a legal basis."""
    out = set()
    for path in GOLD.glob("*.json"):
        for p in json.loads(path.read_text("utf-8"))["performance_projects"]:
            if any(c.get("doc_number") == number for c in p.get("legal_bases", [])):
                out.add(p["name"])
    return out


# --- projects ---------------------------------------------------------------------------
def test_projects_filter_by_department_and_year(api):
    found = items(api, "/api/projects", department="晋城", year=2026)
    assert found and all("晋城" in p["department"] and p["year"] == 2026 for p in found)
    assert items(api, "/api/projects", department="晋城", year=1999) == []


def test_projects_filter_by_policy_number_in_any_bracket_style(api):
    canonical = {p["name"] for p in items(api, "/api/projects", policy=POLICY)}
    assert canonical == {p["name"] for p in items(api, "/api/projects", policy="国发[2021]9号")}
    assert gold_citing(POLICY) <= canonical


def test_projects_filter_by_policy_title_and_by_text(api):
    by_title = {p["name"] for p in items(api, "/api/projects", policy="全民科学素质行动规划纲要")}
    assert gold_citing(POLICY) <= by_title
    found = items(api, "/api/projects", text="科普")
    assert found and all(p["sources"] for p in found)
    assert "科普经费" in {p["name"] for p in found}


def test_projects_are_paged_with_a_truncated_flag(api):
    first = api.get("/api/projects", params={"limit": 3}).json()
    assert first["truncated"] is True and first["next_offset"] == 3 and len(first["items"]) == 3
    second = api.get("/api/projects", params={"limit": 3, "offset": 3}).json()
    assert not {p["id"] for p in first["items"]} & {p["id"] for p in second["items"]}
    whole = api.get("/api/projects", params={"limit": 1000}).json()
    assert whole["truncated"] is False and whole["next_offset"] is None
    assert len({p["id"] for p in whole["items"]}) == len(whole["items"])


def test_project_detail_has_fields_funds_policies_kpis_and_provenance_lines(api):
    [listed] = [p for p in items(api, "/api/projects", text="科普经费") if p["name"] == "科普经费"]
    r = api.get(listed["url"])
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["id"] == listed["id"] and d["department"] == "山西省科学技术协会" and d["year"] == 2026
    assert d["fields"]["department_code"] == "322" and d["fields"]["overview"]
    assert d["fields"]["contact_person"] is None and d["fields"]["contact_phone"] is None
    assert d["provenance"] == [{"source": "001_8417803c525f72fe.txt", "line": 622, "end_line": 704}]
    annual = [f for f in d["funds"] if f["column"] == "年度" and f["funding_source"] == "total"]
    assert annual[0]["amount_yuan"] == 14663000 and annual[0]["line"]
    cited = [c for c in d["policies"] if c["policy_id"] == POLICY and c["relation"] == "legal_basis"]
    assert cited and cited[0]["line"] and cited[0]["source"] == "001_8417803c525f72fe.txt"
    assert d["kpis"] and all(k["line"] and k["source"] for k in d["kpis"])
    assert d["truncated"] is False


def test_project_detail_by_encoded_id_and_unknown_id(api):
    r = api.get("/api/projects/" + quote("山西省科学技术协会/2026/科普经费", safe="/"))
    assert r.status_code == 200 and r.json()["name"] == "科普经费"
    missing = api.get("/api/projects/nobody/2026/nothing")
    assert missing.status_code == 404 and missing.json()["error"]["title"] == "Not Found"


# --- policies and trace -------------------------------------------------------------------
def test_policies_sorted_by_citations_or_money(api):
    by_citations = items(api, "/api/policies", limit=20)
    counts = [p["projects"] for p in by_citations]
    assert counts == sorted(counts, reverse=True) and counts[0] > 1
    by_money = items(api, "/api/policies", sort="money", limit=20)
    money = [p["annual_funds_yuan"] for p in by_money]
    assert money == sorted(money, reverse=True) and money[0] > 0


def test_policies_filter_by_issuer_year_and_type(api):
    by_issuer = items(api, "/api/policies", issuer="国务院")
    assert POLICY in {p["id"] for p in by_issuer}
    assert all(any("国务院" in i for i in p["issuers"]) for p in by_issuer)
    assert all(p["year"] == 2021 for p in items(api, "/api/policies", year=2021))
    [policy] = [p for p in items(api, "/api/policies", year=2021) if p["id"] == POLICY]
    assert policy["type"] and POLICY in {p["id"] for p in items(api, "/api/policies", type=policy["type"])}
    assert api.get("/api/policies", params={"sort": "name"}).status_code == 400


def test_trace_returns_the_projects_gold_lists_as_citing_the_policy(api):
    r = api.get(f"/api/policies/{quote(POLICY, safe='')}/trace")
    assert r.status_code == 200, r.text
    [trace] = r.json()["traces"]
    assert trace["policy"]["number"] == POLICY
    assert {link["name"] for link in trace["links"]} == gold_citing(POLICY)
    assert all(link["source"] and link["line"] for link in trace["links"])
    assert trace["projects"] == len(gold_citing(POLICY)) and trace["annual_funds_yuan"] > 0


def test_trace_is_what_the_cli_prints(api, store):
    cli = subprocess.run([str(BIN), "trace", "国发[2021]9号", "--json", "--store", str(store)],
                         capture_output=True, text=True, check=True)
    answer = api.get("/api/policies/" + quote("国发[2021]9号", safe="") + "/trace").json()
    assert answer["traces"] == json.loads(cli.stdout) and answer["truncated"] is False


def test_trace_of_an_unknown_policy_is_404_in_the_error_shape(api):
    r = api.get("/api/policies/no-such-policy-anywhere/trace")
    assert r.status_code == 404
    assert set(r.json()["error"]) >= {"status", "title", "detail"}


# --- departments and indicators -------------------------------------------------------------
def test_departments_list_publishers_with_their_projects(api):
    found = {d["name"]: d for d in items(api, "/api/departments")}
    assert found["山西省科学技术厅"]["projects"] > 0 and found["山西省科学技术厅"]["budget_code"] == "203"
    listed = api.get(found["晋城市科学技术局"]["projects_url"]).json()["items"]
    assert listed and all("晋城市科学技术局" in p["department"] for p in listed)


def test_indicators_by_name_level_and_value_range(api):
    found = items(api, "/api/indicators", name="满意度", min=90, max=100)
    assert found and all("满意度" in k["name"] and 90 <= k["number"] <= 100 for k in found)
    assert all(k["source"] and k["line"] for k in found)
    cost = items(api, "/api/indicators", level="成本")
    assert cost and all(k["level2"] == "成本指标" for k in cost)
    assert items(api, "/api/indicators", level="成本指标", limit=5) == cost[:5]
    bad = api.get("/api/indicators", params={"min": 5, "max": 1})
    assert bad.status_code == 400 and bad.json()["error"]["title"] == "Invalid parameters"


# --- schema and errors ---------------------------------------------------------------------
def test_openapi_documents_every_rest_endpoint_with_its_response_model(api):
    schema = api.get("/openapi.json").json()
    for path in ("/api/projects", "/api/projects/{id}", "/api/policies", "/api/policies/{policy}/trace",
                 "/api/departments", "/api/indicators", "/documents", "/documents/{source}"):
        assert path in schema["paths"], path
    for model in ("ProjectList", "ProjectDetail", "PolicyList", "TraceAnswer", "DepartmentList",
                  "IndicatorList", "IngestAnswer"):
        assert model in schema["components"]["schemas"], model


def test_invalid_parameters_are_400_in_the_error_shape(api):
    r = api.get("/api/projects", params={"limit": 0})
    assert r.status_code == 400 and r.json()["error"]["status"] == 400
    r = api.get("/api/projects", params={"year": "soon"})
    assert r.status_code == 400 and r.json()["error"]["title"] == "Invalid parameters"


def test_user_text_never_becomes_sparql(api):
    for text in ['") } } SELECT * WHERE { ?s ?p ?o } #', "\\", "'''", "<http://x>"]:
        r = api.get("/api/projects", params={"text": text, "department": text, "policy": text})
        assert r.status_code == 200 and r.json()["items"] == []
