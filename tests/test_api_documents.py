"""POST /documents and DELETE /documents/{source} against a running `budgetkg serve`.

With the admin token: an upload is stored (and replaces a document of the same name), shows in
the REST answers, and a delete removes it; the file name is sanitized; an unreadable upload is
refused with its reason; a body over the limit is 413. Without the token, or on a read-only
server, both are refused and the store is unchanged. Markup in a document comes back as a JSON
string, never as HTML.
"""

from __future__ import annotations

import httpx
import pytest
from apiserver import serve, store_quads
from conftest import SEEDS
from seedstore import build_seed_store

TOKEN = "test-admin-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SMALL = "004_1402e20b80f22cb8.txt"
CATALOG_COUNT = ("SELECT (COUNT(?g) AS ?n) WHERE { GRAPH <https://budgetkg.org/catalog> "
                 "{ ?g <https://budgetkg.org/ontology#sourceFile> ?s } }")


@pytest.fixture(scope="module")
def seed_bytes():
    path = SEEDS / SMALL
    if not path.exists():
        pytest.skip("../shared/seeds is not beside the checkout")
    return path.read_bytes()


@pytest.fixture(scope="module")
def api(tmp_path_factory, seed_bytes):
    store = build_seed_store(tmp_path_factory.mktemp("docs") / "store", [SEEDS / "003_b734d3efdd82c317.txt"])
    env = {"BUDGETKG_ADMIN_TOKEN": TOKEN}
    with serve(store, "--max-body-bytes", "400000", env=env) as running, \
            httpx.Client(base_url=running.url, timeout=60) as client:
        yield client


def documents(api) -> int:
    r = api.post("/sparql", data={"query": CATALOG_COUNT}, headers={"Accept": "application/json"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def project_names(api, **params) -> set[str]:
    return {p["name"] for p in api.get("/api/projects", params={"limit": 1000, **params}).json()["items"]}


def test_post_then_delete_changes_the_store(api, seed_bytes):
    before, names = documents(api), project_names(api)
    r = api.post("/documents", files={"file": ("upload-a.txt", seed_bytes)}, headers=AUTH)
    assert r.status_code == 201, r.text
    answer = r.json()
    assert answer["source"] == "upload-a.txt" and answer["replaced"] is False and answer["projects"] == 3
    assert all(set(i) == {"source", "line", "message"} for i in answer["issues"])
    assert documents(api) == before + 1
    assert "科技创新券" in project_names(api) - names
    again = api.post("/documents?filename=upload-a.txt", content=seed_bytes, headers=AUTH)
    assert again.status_code == 200 and again.json()["replaced"] is True
    assert documents(api) == before + 1
    gone = api.delete("/documents/upload-a.txt", headers=AUTH)
    assert gone.status_code == 200 and gone.json()["deleted"] is True
    assert documents(api) == before and project_names(api) == names
    assert api.delete("/documents/upload-a.txt", headers=AUTH).status_code == 404


def test_unauthenticated_post_and_delete_are_refused(api, seed_bytes):
    before = documents(api)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        r = api.post("/documents", files={"file": ("intruder.txt", seed_bytes)}, headers=headers)
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
        assert r.json()["error"]["title"] == "Unauthorized"
        assert api.delete("/documents/003_b734d3efdd82c317.txt", headers=headers).status_code == 401
    assert documents(api) == before


def test_upload_file_name_is_sanitized(api, seed_bytes, tmp_path):
    r = api.post("/documents", files={"file": ("../../../etc/evil 名单;rm -rf.txt", seed_bytes)}, headers=AUTH)
    assert r.status_code == 201, r.text
    assert r.json()["source"] == "evil_名单_rm_-rf.txt"
    assert api.delete("/documents/evil_名单_rm_-rf.txt", headers=AUTH).status_code == 200
    for name in ("..", "../.txt", "notes.exe", "x" * 300 + ".txt"):
        bad = api.post("/documents", params={"filename": name}, content=seed_bytes, headers=AUTH)
        assert bad.status_code == 400, name
    assert api.post("/documents", content=seed_bytes, headers=AUTH).status_code == 400  # no name


def test_unreadable_and_oversized_uploads_are_refused(api):
    before = documents(api)
    r = api.post("/documents", params={"filename": "binary.txt"}, content=b"\x00\xff\xfe" * 1000, headers=AUTH)
    assert r.status_code == 422 and r.json()["error"]["title"] == "Unreadable document"
    big = api.post("/documents", params={"filename": "big.txt"}, content=b"a" * 500_000, headers=AUTH)
    assert big.status_code == 413
    assert documents(api) == before


def test_markup_in_a_project_name_comes_back_as_a_json_string(api, seed_bytes):
    text = seed_bytes.decode("utf-8").replace(
        " 项目名称 科技创新券\n", " 项目名称 科技创新券&lt;script&gt;alert(1)&lt;/script&gt;\n", 1)
    r = api.post("/documents", files={"file": ("markup.txt", text.encode("utf-8"))}, headers=AUTH)
    assert r.status_code == 201, r.text
    found = api.get("/api/projects", params={"text": "<script>"})
    assert found.headers["content-type"].startswith("application/json")
    assert found.headers["x-content-type-options"] == "nosniff"
    [project] = found.json()["items"]
    assert project["name"] == "科技创新券<script>alert(1)</script>"
    detail = api.get(project["url"])
    assert detail.headers["content-type"].startswith("application/json")
    assert detail.json()["name"] == project["name"]
    assert api.delete("/documents/markup.txt", headers=AUTH).status_code == 200


def test_read_only_server_refuses_uploads_and_keeps_the_store(tmp_path, seed_bytes):
    store = build_seed_store(tmp_path / "store", [SEEDS / SMALL])
    before = store_quads(store)
    with serve(store) as running:
        r = httpx.post(running.url + "/documents", files={"file": ("x.txt", seed_bytes)}, headers=AUTH)
        assert r.status_code == 403 and r.json()["error"]["title"] == "Forbidden"
        d = httpx.delete(f"{running.url}/documents/{SMALL}", headers=AUTH)
        assert d.status_code == 403
    assert store_quads(store) == before
