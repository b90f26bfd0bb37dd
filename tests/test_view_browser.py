"""The graph view in a real browser: Debian's headless Chromium driven by playwright-core (node).

A store of the five seeds plus an XSS fixture (seed 004 with one project renamed to a name
holding <script> and <img onerror>; the file escapes them as entities, which the reader decodes,
so the name in the graph carries the raw markup) is served by `budgetkg serve` on a free loopback
port. The browser searches 国发〔2021〕9号 and must show, as nodes, the projects that
../shared/gold lists as citing it; clicking one shows its source file and line in the details
panel and expands it from the server; every request the page makes stays on loopback; the XSS
project renders as text with no script run; the static `budgetkg view` file works from disk
with no request at all; a 2,000-node neighbourhood of the most-cited policies draws and answers
a click. Screenshots go to tests/artifacts/ (ignored by git).

Chromium and playwright-core are installed by .ci/run; when they are missing this test FAILS
(it does not skip), so CI cannot pass without having run it. Locally:
`apt-get install chromium` and
`npm install --prefix .venv/node --no-save playwright-core@1.65.1`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from apiserver import serve
from budgetkg.extract.docnumber import parse_doc_number
from conftest import GOLD, ROOT, SEEDS, seed_paths

BIN = Path(sys.executable).with_name("budgetkg")
ARTIFACTS = ROOT / "tests" / "artifacts"
POLICY = "国发〔2021〕9号"
XSS_NAME = 'XSS测试<script>window.__xss=1</script><img/src="x"/onerror="window.__xss=2">'
_XSS_ENTITIES = ("XSS测试&lt;script&gt;window.__xss=1&lt;/script&gt;"
                 "&lt;img/src=&quot;x&quot;/onerror=&quot;window.__xss=2&quot;&gt;")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


def chromium() -> str:
    path = os.environ.get("BUDGETKG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Chromium is not installed (apt-get install chromium; .ci/run does it)")
    return path


def playwright_modules() -> Path:
    for candidate in (os.environ.get("BUDGETKG_NODE_MODULES"), ROOT / ".venv" / "node" / "node_modules"):
        if candidate and (Path(candidate) / "playwright-core" / "package.json").exists():
            return Path(candidate)
    pytest.fail("playwright-core is not installed: npm install --prefix .venv/node --no-save "
                "playwright-core@1.65.1 (.ci/run does it)")


def gold_projects(number: str) -> set[str]:
    """Names of the projects whose legal bases in the gold records carry `number`."""
    wanted = parse_doc_number(number).normalized
    names = set()
    for path in sorted(GOLD.glob("*.json")):
        for project in json.loads(path.read_text("utf-8"))["performance_projects"]:
            for basis in project.get("legal_bases") or []:
                got = parse_doc_number(basis.get("doc_number") or "")
                if got is not None and got.normalized == wanted:
                    names.add(project["name"])
    return names


def gold_line(name: str) -> int:
    for path in sorted(GOLD.glob("*.json")):
        for project in json.loads(path.read_text("utf-8"))["performance_projects"]:
            if project["name"] == name:
                return project["line"]
    raise KeyError(name)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    if not SEEDS.exists() or not GOLD.exists():
        pytest.fail("../shared/seeds and ../shared/gold must be beside the checkout")
    folder = tmp_path_factory.mktemp("view-browser")
    seed = (SEEDS / "004_1402e20b80f22cb8.txt").read_text("utf-8")
    assert " 项目名称 科技创新券\n" in seed
    fixture = folder / "xss_fixture.txt"
    fixture.write_text(seed.replace(" 项目名称 科技创新券\n", f" 项目名称 {_XSS_ENTITIES}\n", 1), "utf-8")
    path = folder / "store"
    done = subprocess.run([str(BIN), "ingest", *map(str, seed_paths()), str(fixture), "--store", str(path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture(scope="module")
def server(store):
    with serve(store) as running:
        yield running


def drive(script: str, config: dict, timeout: float = 180) -> dict:
    """Run `script` (playwright-core, node) with `config`; its last stdout line is JSON."""
    modules = playwright_modules()
    config = {"chromium": chromium(), "flags": FLAGS, **config}
    env = {**os.environ, "NODE_PATH": str(modules), "BK_CONFIG": json.dumps(config)}
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, env=env,
                          timeout=timeout, check=False)
    assert done.returncode == 0, f"node failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


_COMMON = r"""
const { chromium } = require("playwright-core");
const fs = require("fs"), path = require("path"), os = require("os");
const cfg = JSON.parse(process.env.BK_CONFIG);
async function open() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bk-chromium-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: cfg.chromium, headless: true, args: cfg.flags,
    viewport: { width: 1400, height: 900 } });
  const page = context.pages()[0] || await context.newPage();
  const requests = [], problems = [];
  page.on("request", r => requests.push(r.url()));
  page.on("response", r => { if (r.status() >= 400) problems.push("http " + r.status() + " " + r.url()); });
  page.on("pageerror", e => problems.push("pageerror: " + e.message));
  page.on("console", m => { if (m.type() === "error") problems.push("console: " + m.text()); });
  page.on("dialog", d => { problems.push("dialog: " + d.message()); d.dismiss(); });
  return { context, page, requests, problems, dir };
}
async function ready(page) {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
}
async function clickNode(page, id) {
  const at = await page.evaluate(id => {
    network.focus(id, { scale: 1.0, animation: false });
    network.redraw();
    const p = network.canvasToDOM(network.getPositions([id])[id]);
    const box = document.getElementById("mynetwork").getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  }, id);
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction(id => document.body.dataset.selected === id, id, { timeout: 15000 });
}
async function details(page) {
  return page.evaluate(() => ({
    title: document.getElementById("bk-details-title").textContent,
    sources: [...document.querySelectorAll("#bk-sources li")].map(li => li.textContent),
    fields: [...document.querySelectorAll("#bk-fields dt")].map(dt => [dt.textContent, dt.nextElementSibling.textContent]),
    imgs: document.querySelectorAll("body img").length,
    // an element made from the payload (not the data: the JSON holding the name as a string)
    scripts: [...document.querySelectorAll("script")].filter(s => (s.textContent || "").trim() === "window.__xss=1").length,
    xss: window.__xss === undefined ? null : window.__xss,
  }));
}
"""

_SEARCH = _COMMON + r"""
(async () => {
  const { context, page, requests, problems } = await open();
  const out = {};
  await page.goto(cfg.base + "/view");
  await ready(page);
  await page.fill("#bk-q", cfg.policy);
  await Promise.all([page.waitForNavigation(), page.click('#bk-search button[type="submit"]')]);
  await ready(page);
  out.url = page.url();
  out.projects = await page.evaluate(() => nodes.get({ filter: n => n.kind === "project" }).map(n => ({ id: n.id, name: n.fullLabel })));
  out.kinds = await page.evaluate(() => { const c = {}; nodes.forEach(n => { c[n.kind] = (c[n.kind] || 0) + 1; }); return c; });
  out.edgeLabels = await page.evaluate(() => [...new Set(edges.get().map(e => e.label))]);
  out.shapes = await page.evaluate(() => { const s = {}; nodes.forEach(n => { s[n.kind] = n.shape + " " + n.color.background; }); return s; });
  const target = out.projects.find(p => p.name === cfg.project);
  out.found = Boolean(target);
  if (target) {
    const before = await page.evaluate(() => nodes.length);
    await clickNode(page, target.id);
    out.details = await details(page);
    await page.waitForFunction(() => Number(document.body.dataset.expanded || 0) >= 1, null, { timeout: 30000 });
    out.expandedFrom = before;
    out.expandedTo = await page.evaluate(() => nodes.length);
  }
  // filters: hide the indicators, then a year no node has
  await page.uncheck('#bk-kinds input[value="indicator"]');
  out.hiddenIndicators = await page.evaluate(() => nodes.get({ filter: n => n.kind === "indicator" && !n.hidden }).length);
  out.years = await page.evaluate(() => [...document.querySelectorAll("#bk-year option")].map(o => o.value).filter(Boolean));
  out.depts = await page.evaluate(() => [...document.querySelectorAll("#bk-dept option")].map(o => o.value).filter(Boolean));
  await page.check('#bk-kinds input[value="indicator"]');
  await page.screenshot({ path: cfg.screenshot });
  out.requests = requests; out.problems = problems;
  await context.close();
  console.log(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });
"""

_XSS = _COMMON + r"""
(async () => {
  const { context, page, requests, problems } = await open();
  const out = { pages: [] };
  for (const url of cfg.urls) {
    await page.goto(url);
    await ready(page);
    const id = await page.evaluate(() => { const n = nodes.get({ filter: n => (n.fullLabel || "").includes("XSS") })[0]; return n && n.id; });
    const one = { url, id };
    if (id) {
      await clickNode(page, id);
      await page.mouse.move(5, 5);
      const at = await page.evaluate(id => {
        const p = network.canvasToDOM(network.getPositions([id])[id]);
        const box = document.getElementById("mynetwork").getBoundingClientRect();
        return { x: box.left + p.x, y: box.top + p.y };
      }, id);
      await page.mouse.move(at.x, at.y, { steps: 4 });
      await page.waitForSelector("div.vis-tooltip", { state: "visible", timeout: 10000 }).catch(() => null);
      one.tooltip = await page.evaluate(() => { const t = document.querySelector("div.vis-tooltip"); return t ? { text: t.innerText, children: t.children.length } : null; });
      await page.waitForTimeout(300);
      one.details = await details(page);
      one.label = await page.evaluate(id => nodes.get(id).fullLabel, id);
    }
    one.title = await page.title();
    out.pages.push(one);
  }
  await page.screenshot({ path: cfg.screenshot });
  out.requests = requests; out.problems = problems;
  await context.close();
  console.log(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });
"""

_LARGE = _COMMON + r"""
(async () => {
  const { context, page, requests, problems } = await open();
  const started = Date.now();
  await page.goto(cfg.url);
  await ready(page);
  const out = { loadMs: Date.now() - started };
  out.nodes = await page.evaluate(() => nodes.length);
  const id = await page.evaluate(() => nodes.get({ filter: n => n.kind === "project" })[0].id);
  const t = Date.now();
  await clickNode(page, id);
  out.clickMs = Date.now() - t;
  // a drag of the canvas must redraw promptly (physics is off: no layout runs in the page)
  const t2 = Date.now();
  await page.mouse.move(300, 300); await page.mouse.down(); await page.mouse.move(500, 450, { steps: 5 }); await page.mouse.up();
  await page.evaluate(() => new Promise(r => { network.once("afterDrawing", r); network.redraw(); }));
  out.dragMs = Date.now() - t2;
  out.physics = await page.evaluate(() => network.physics.physicsEnabled);
  await page.screenshot({ path: cfg.screenshot });
  out.requests = requests; out.problems = problems;
  await context.close();
  console.log(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });
"""


def _loopback_only(requests: list[str], base: str) -> list[str]:
    return [u for u in requests if not u.startswith((base + "/", "data:", "about:"))]


def test_search_policy_shows_the_gold_projects_and_their_source_lines(server):
    ARTIFACTS.mkdir(exist_ok=True)
    expected = gold_projects(POLICY)
    assert len(expected) >= 3, expected
    project = min(expected)
    out = drive(_SEARCH, {"base": server.url, "policy": POLICY, "project": project,
                          "screenshot": str(ARTIFACTS / "view_search.png")})
    assert POLICY in urllib.parse.unquote(out["url"])  # the search box asked the server
    names = {p["name"] for p in out["projects"]}
    assert expected <= names, expected - names
    assert set(out["kinds"]) == {"policy", "project", "org", "indicator", "amount"}
    assert len(set(out["shapes"].values())) == 5  # every kind its own shape and colour
    assert {"依据", "主管", "实施", "指标", "资金"} <= {part for label in out["edgeLabels"] for part in label.split("·")}
    assert out["found"]
    details = out["details"]
    assert details["title"] == project
    line = gold_line(project)
    assert any(s.startswith(f"001_8417803c525f72fe.txt:{line}") for s in details["sources"]), details["sources"]
    assert out["expandedTo"] >= out["expandedFrom"]
    assert out["hiddenIndicators"] == 0
    assert "2026" in out["years"] and "山西省科学技术协会" in out["depts"]
    assert _loopback_only(out["requests"], server.url) == []
    assert any("/static/vis/vis-network.min.js" in u for u in out["requests"])
    assert any("/view/neighbourhood?" in u for u in out["requests"])  # the expand asked the server
    assert out["problems"] == []
    assert (ARTIFACTS / "view_search.png").stat().st_size > 10_000


def test_document_text_renders_as_text_and_no_script_runs(server, store, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    static = tmp_path / "xss.html"
    done = subprocess.run([str(BIN), "view", "XSS测试", "--store", str(store), "--out", str(static)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    out = drive(_XSS, {"urls": [server.url + "/view?q=" + urllib.parse.quote("XSS测试"), static.as_uri()],
                       "screenshot": str(ARTIFACTS / "view_xss.png")})
    for page in out["pages"]:
        assert page["id"], page
        assert page["label"] == XSS_NAME
        assert page["details"]["title"] == XSS_NAME  # the markup shown as text
        assert page["details"]["xss"] is None  # neither the script nor the onerror ran
        assert page["details"]["imgs"] == 0 and page["details"]["scripts"] == 0
        if page["tooltip"] is not None:
            assert XSS_NAME in page["tooltip"]["text"] and page["tooltip"]["children"] == 0
    assert any(p["tooltip"] for p in out["pages"]), "the tooltip never showed"
    assert _loopback_only([u for u in out["requests"] if not u.startswith("file:")], server.url) == []
    assert out["problems"] == []


def test_two_thousand_node_neighbourhood_is_interactive(server, store):
    from budgetkg.graph.store import GraphStore
    from budgetkg.graph.view import most_cited_policies

    ARTIFACTS.mkdir(exist_ok=True)
    policies = most_cited_policies(GraphStore(store, read_only=True), nodes=2000)
    query = urllib.parse.urlencode([("node", p) for p in policies] + [("limit", 2000)])
    out = drive(_LARGE, {"url": f"{server.url}/view?{query}", "screenshot": str(ARTIFACTS / "view_2000.png")})
    print({k: out[k] for k in ("nodes", "loadMs", "clickMs", "dragMs")})  # shown with pytest -s
    assert out["nodes"] == 2000
    assert out["physics"] is False
    assert out["clickMs"] < 3000 and out["dragMs"] < 3000, out
    assert _loopback_only(out["requests"], server.url) == []
    assert out["problems"] == []
