"""The graph view without a browser: the neighbourhood (graph/view.py) on the seeds, the page's
assets and escaping, the /view endpoints through the app, and `budgetkg view`.

Expectations about the policy come from ../shared/gold (the projects citing 国发〔2021〕9号 and
their lines), not copied from the output.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from budgetkg.extract.docnumber import parse_doc_number
from budgetkg.graph.view import (
    AMOUNT,
    INDICATOR,
    KINDS,
    ORG,
    POLICY,
    PROJECT,
    STYLE,
    Assets,
    build_view,
    json_for_script,
    layout,
    match_policies,
    render_page,
)
from conftest import GOLD, ROOT, SEEDS, seed_paths

BIN = Path(sys.executable).with_name("budgetkg")
STATIC = ROOT / "api" / "static"
NUMBER = "国发〔2021〕9号"


def gold_citing(number: str) -> dict[str, int]:
    """Project name → its line, for the gold projects whose legal bases carry `number`."""
    wanted = parse_doc_number(number).normalized
    out = {}
    for path in sorted(GOLD.glob("*.json")):
        for p in json.loads(path.read_text("utf-8"))["performance_projects"]:
            if any((d := parse_doc_number(b.get("doc_number") or "")) and d.normalized == wanted
                   for b in p.get("legal_bases") or []):
                out[p["name"]] = p["line"]
    return out


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    from budgetkg.graph.store import GraphStore

    if not SEEDS.exists():
        pytest.skip("../shared/seeds is not beside the checkout")
    path = tmp_path_factory.mktemp("view") / "store"
    done = subprocess.run([str(BIN), "ingest", *map(str, seed_paths()), "--store", str(path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return GraphStore(path, read_only=True)


# --- the neighbourhood ---------------------------------------------------------------------------
def test_policy_neighbourhood_has_the_gold_projects_with_their_lines(seed_store):
    expected = gold_citing(NUMBER)
    assert expected
    view = build_view(seed_store, "国发[2021]9号")  # any bracket style
    assert [n["label"] for n in view.nodes if n["id"] in view.matches] == [NUMBER]
    projects = {n["fullLabel"]: n for n in view.nodes if n["kind"] == PROJECT}
    assert set(expected) <= set(projects)
    for name, line in expected.items():
        assert any(s["line"] == line for s in projects[name]["sources"]), projects[name]["sources"]
    assert {n["kind"] for n in view.nodes} == set(KINDS)
    labels = {part for e in view.edges for part in e["label"].split("·")}
    assert labels == {"依据", "主管", "实施", "指标", "资金"}
    ids = {n["id"] for n in view.nodes}
    assert all(e["from"] in ids and e["to"] in ids for e in view.edges)
    policy = next(n for n in view.nodes if n["id"] in view.matches)
    assert ["发文字号", NUMBER] in policy["fields"] and ["发文机关", "国务院"] in policy["fields"]
    amount = next(n for n in view.nodes if n["kind"] == AMOUNT)
    assert amount["label"].endswith("元") and amount["sources"]
    kpi = next(n for n in view.nodes if n["kind"] == INDICATOR)
    assert dict(map(tuple, kpi["fields"])).keys() >= {"三级指标", "指标值"}
    assert all(n["years"] == [2026] for n in projects.values())


def test_cap_keeps_seeds_and_projects_first_and_says_how_many_there_were(seed_store):
    full = build_view(seed_store, NUMBER, limit=5000)
    cut = build_view(seed_store, NUMBER, limit=20)
    assert len(cut.nodes) == 20 and cut.truncated and cut.total == full.total > 20
    assert not full.truncated
    kinds = [n["kind"] for n in cut.nodes]
    assert kinds[0] == POLICY and INDICATOR not in kinds  # KPIs are the first to be cut
    assert {n["id"] for n in cut.nodes if n["kind"] == PROJECT} == {n["id"] for n in full.nodes if n["kind"] == PROJECT}


def test_project_org_and_node_searches(seed_store):
    by_project = build_view(seed_store, "科普经费")
    assert any(n["kind"] == PROJECT and n["fullLabel"] == "科普经费" and n["match"] for n in by_project.nodes)
    by_org = build_view(seed_store, "山西省科学技术协会", limit=100)
    assert any(n["kind"] == ORG and n["match"] for n in by_org.nodes) and by_org.truncated
    project = next(n["id"] for n in by_project.nodes if n["kind"] == PROJECT)
    expanded = build_view(seed_store, None, [project])
    assert expanded.matches == [project] and {n["kind"] for n in expanded.nodes} == set(KINDS)
    kpi = next(n["id"] for n in expanded.nodes if n["kind"] == INDICATOR)
    assert project in {n["id"] for n in build_view(seed_store, None, [kpi]).nodes}
    assert build_view(seed_store, "没有这个东西").nodes == []
    assert build_view(seed_store, '"} } SELECT * WHERE { ?s ?p ?o').nodes == []  # text stays a literal


def test_match_policies_number_title_alias():
    rows = [{"p": "https://budgetkg.org/id/policy/国发〔2021〕9号", "number": NUMBER,
             "title": "全民科学素质行动规划纲要(2021—2035年)", "alias": None},
            {"p": "https://budgetkg.org/id/policy/x", "number": None, "title": "中华人民共和国科学技术普及法",
             "alias": "科普法"}]
    assert match_policies(rows, "国发（2021）9号") == [rows[0]["p"]]
    assert match_policies(rows, "《全民科学素质行动规划纲要（2021-2035年）》") == [rows[0]["p"]]
    assert match_policies(rows, "科普法") == [rows[1]["p"]]
    assert match_policies(rows, "科学") == sorted(r["p"] for r in rows)
    assert match_policies(rows, "  ") == []


def test_layout_is_deterministic_spread_and_linear():
    import time

    nodes = ["root"] + [f"p{i}" for i in range(60)] + [f"k{i}" for i in range(1940)]
    edges = [(f"p{i}", "root") for i in range(60)] + [(f"p{i % 60}", f"k{i}") for i in range(1940)]
    started = time.perf_counter()
    pos = layout(nodes, edges, ["root"])
    assert time.perf_counter() - started < 0.5
    assert pos == layout(nodes, edges, ["root"]) and pos["root"] == (0.0, 0.0)
    points = sorted((round(x), round(y)) for x, y in pos.values())
    assert len(set(points)) == len(points)  # no two nodes on one spot
    assert layout(["a", "b"], [], []).keys() == {"a", "b"}  # unconnected nodes get places too


# --- the page ------------------------------------------------------------------------------------
def _assets() -> Assets:
    return Assets(css=(("href", "/static/vis/vis-network.min.css"),), js=(("href", "/static/vis/vis-network.min.js"), ("href", "/static/view.js")))


def _external(page: str) -> list[str]:
    return re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//[^"'\s>]+""", page)


def test_page_loads_nothing_from_a_cdn_and_escapes_document_text(seed_store):
    view = build_view(seed_store, NUMBER)
    hostile = '</script><script>window.__xss=1</script><img src=x onerror="window.__xss=2"> href'
    view.nodes[0]["fullLabel"] = view.nodes[0]["label"] = view.nodes[0]["title"] = hostile
    view.nodes[0]["fields"].append(["名称", hostile])
    view.query = hostile
    page = render_page(view, _assets(), mode="server", nonce="abc")
    assert _external(page) == []
    assert "cdn" not in page.lower() and "bootstrap" not in page.lower()
    assert "innerHTML" not in page  # pyvis's HTML tooltip (tooltip_link) is never used
    assert "<script>window.__xss" not in page and "<img src=x" not in page
    assert page.count("</script>") == page.count("<script")
    for tag in re.findall(r"<script\b[^>]*>", page):  # every inline script carries the nonce
        assert 'nonce="abc"' in tag or "src=" in tag or 'type="application/json"' in tag
    meta = re.search(r'<script type="application/json" id="bk-meta">(.*?)</script>', page, re.DOTALL).group(1)
    assert json.loads(meta)["query"] == hostile


def test_json_for_script_cannot_close_the_script():
    text = json_for_script({"a": "</script><!-- \u2028 &"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- \u2028 &"}


def test_vendored_vis_network_matches_its_record():
    from budgetkg.api.view import VIS_VERSION

    readme = (STATIC / "vis" / "README.md").read_text("utf-8")
    for name in ("vis-network.min.js", "vis-network.min.css"):
        digest = hashlib.sha256((STATIC / "vis" / name).read_bytes()).hexdigest()
        assert digest in readme, name
    head = (STATIC / "vis" / "vis-network.min.js").read_text("utf-8")[:600]
    assert f"@version {VIS_VERSION}" in head
    assert (STATIC / "vis" / "LICENSE-MIT").exists() and (STATIC / "vis" / "LICENSE-APACHE-2.0").exists()
    assert not re.search(r"url\((?!\s*['\"]?data:)", (STATIC / "vis" / "vis-network.min.css").read_text("utf-8"))
    for own in ("view.js", "view.css"):
        text = (STATIC / own).read_text("utf-8")
        assert "innerHTML" not in text and "insertAdjacentHTML" not in text and "http" not in text


def test_kinds_differ_in_colour_and_shape():
    assert len({s["shape"] for s in STYLE.values()}) == len(KINDS)
    assert len({s["color"]["background"] for s in STYLE.values()}) == len(KINDS)


# --- the HTTP endpoints and the command ------------------------------------------------------------
@pytest.fixture(scope="module")
def client(seed_store):
    from budgetkg.api.app import create_app
    from budgetkg.api.settings import load_settings
    from fastapi.testclient import TestClient

    settings = load_settings({"store": str(seed_store.path), "workers": 1})
    with TestClient(create_app(settings)) as c:
        yield c


def test_endpoints(client):
    page = client.get("/view", params={"q": NUMBER})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self' 'nonce-" in csp and "unsafe" not in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert f'nonce="{nonce}"' in page.text and _external(page.text) == []
    assert '/static/vis/vis-network.min.js' in page.text
    for asset in ("/static/vis/vis-network.min.js", "/static/vis/vis-network.min.css", "/static/view.js", "/static/view.css"):
        assert client.get(asset).status_code == 200, asset
    assert client.get("/view").status_code == 200  # the empty page, search box only
    data = client.get("/view/neighbourhood", params={"q": NUMBER, "limit": 30}).json()
    assert data["shown"] == 30 and data["truncated"] and data["total"] > 30
    assert set(gold_citing(NUMBER)) <= {n["fullLabel"] for n in data["nodes"] if n["kind"] == PROJECT}
    project = next(n["id"] for n in data["nodes"] if n["kind"] == PROJECT)
    more = client.get("/view/expand", params={"node": project}).json()
    assert more["matches"] == [project] and any(n["kind"] == INDICATOR for n in more["nodes"])
    assert client.get("/view/neighbourhood").status_code == 400
    assert client.get("/view/neighbourhood", params={"node": "not an iri"}).json()["error"]["status"] == 400
    assert client.get("/view/neighbourhood", params={"q": "x", "limit": 0}).status_code in (400, 422)


def test_view_command_writes_one_self_contained_file(seed_store, tmp_path):
    out = tmp_path / "v.html"
    done = subprocess.run([str(BIN), "view", NUMBER, "--store", str(seed_store.path), "--out", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    page = out.read_text("utf-8")
    assert _external(page) == [] and "<link" not in page.replace('<link rel="icon" href="data:,">', "")
    assert "vis.Network" in page and "budgetkg graph view" in page  # vis-network and view.js inlined
    assert all(json.dumps(name)[1:-1] in page for name in gold_citing(NUMBER))  # in pyvis's JSON
    missing = subprocess.run([str(BIN), "view", "没有这个东西", "--store", str(seed_store.path), "--out",
                              str(tmp_path / "none.html")], capture_output=True, text=True, check=False)
    assert missing.returncode == 1
    assert subprocess.run([str(BIN), "view", NUMBER, "--store", str(tmp_path / "nope"), "--out", str(out)],
                          capture_output=True, text=True, check=False).returncode == 2
