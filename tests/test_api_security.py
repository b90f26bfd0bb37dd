"""Safe by default, against a running `budgetkg serve`: each refusal has its documented status,
and nothing changes in the store.

Two servers: the default one (read-only, a short time limit and a small body limit for the
test) and one with an admin token and CORS turned on.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from apiserver import BIN, EX, GRAPHS, build_store, serve, store_quads
from budgetkg.api.safety import Refused, check_query
from budgetkg.api.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
TIME_LIMIT_MS = 1000
MAX_BODY = 4096
TOKEN = "s3cret-token-for-tests"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
INSERT = f"INSERT DATA {{ GRAPH <{GRAPHS['dept-a']}> {{ <{EX}intruder> <{EX}p> 'x' }} }}"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def readonly(tmp_path_factory):
    store = build_store(tmp_path_factory.mktemp("ro") / "store")
    before = store_quads(store)
    with serve(store, "--time-limit-ms", str(TIME_LIMIT_MS), "--max-body-bytes", str(MAX_BODY)) as running:
        running.store = store
        yield running
    assert store_quads(store) == before  # after every test of the module: nothing changed


@pytest.fixture(scope="module")
def admin(tmp_path_factory):
    store = build_store(tmp_path_factory.mktemp("admin") / "store")
    env = {"BUDGETKG_ADMIN_TOKEN": TOKEN, "BUDGETKG_CORS_ORIGINS": "https://analyst.example"}
    with serve(store, env=env) as running:
        yield running


def _query(server, text: str, **headers) -> httpx.Response:
    return httpx.post(server.sparql, data={"query": text}, headers=headers, timeout=30)


def _update(server, text: str, **headers) -> httpx.Response:
    return httpx.post(server.sparql, content=text.encode(), timeout=30,
                      headers={"Content-Type": "application/sparql-update", **headers})


def _count(server) -> int:
    r = _query(server, COUNT)
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def _error(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["status"] == status and error["title"] and error["detail"]
    return error


# --- read-only by default ---------------------------------------------------------------------
@pytest.mark.parametrize("how", ["form", "direct"])
def test_an_update_is_refused_403_when_no_admin_token_is_configured(readonly, how):
    if how == "form":
        r = httpx.post(readonly.sparql, data={"update": INSERT}, timeout=10)
    else:
        r = _update(readonly, INSERT, Authorization=f"Bearer {TOKEN}")
    assert "read-only" in _error(r, 403)["detail"]


def test_clear_all_is_refused_and_the_store_keeps_its_triples(readonly):
    before = _count(readonly)
    _error(_update(readonly, "CLEAR ALL"), 403)
    assert _count(readonly) == before > 0


# --- no SERVICE, no remote loading ----------------------------------------------------------
@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { FILTER(?a<?b)SERVICE?v#>\n{ ?s ?p ?o } }",  # an IRI-looking span hides it
    "PREFIX s: <http://127.0.0.1:9/> SELECT * WHERE { BIND(s: AS ?e) SERVICE ?e { ?s ?p ?o } }",
])
def test_a_service_query_is_refused_403(readonly, query):
    assert "SERVICE" in _error(_query(readonly, query), 403)["detail"]


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p 'SERVICE <http://127.0.0.1:9/> { }' }",
    "SELECT * WHERE { ?s <http://example.org/service> ?o } # SERVICE <http://127.0.0.1:9/> {}",
    "PREFIX ex: <http://example.org/> SELECT ?service WHERE { ?service ex:service ?o }",
])
def test_the_word_service_in_strings_comments_iris_and_names_is_not_refused(readonly, query):
    assert _query(readonly, query).status_code == 200


def test_a_refused_service_query_never_reaches_the_named_host(readonly):
    with socket.socket() as listener:  # stands for a host inside the operator's network
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        port = listener.getsockname()[1]
        r = _query(readonly, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")
        _error(r, 403)
        with pytest.raises(socket.timeout):
            listener.accept()


def test_the_service_check_refuses_before_any_engine_is_involved():
    with pytest.raises(Refused, match="SERVICE"):
        check_query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")


# --- time limit -----------------------------------------------------------------------------
def test_a_query_over_the_time_limit_is_stopped_with_503_and_the_server_keeps_serving(readonly):
    started = time.monotonic()
    r = _query(readonly, SLOW)
    elapsed = time.monotonic() - started
    error = _error(r, 503)
    assert error["title"] == "Query timeout" and error["limit_ms"] == TIME_LIMIT_MS
    assert r.headers["retry-after"]
    assert TIME_LIMIT_MS / 1000 <= elapsed < TIME_LIMIT_MS / 1000 + 3
    for _ in range(3):  # the killed worker is replaced; the others answer meanwhile
        assert _query(readonly, "ASK { ?s ?p ?o }").json()["boolean"] is True


# --- body size limit ------------------------------------------------------------------------
def test_an_oversized_body_is_refused_413(readonly):
    query = "ASK { ?s ?p ?o } #" + "x" * MAX_BODY
    r = httpx.post(readonly.sparql, content=query.encode(), timeout=10,
                   headers={"Content-Type": "application/sparql-query"})
    assert _error(r, 413)["limit_bytes"] == MAX_BODY


def test_an_oversized_streamed_body_without_length_is_refused_413(readonly):
    def chunks():
        yield b"ASK { ?s ?p ?o } #"
        for _ in range(8):
            yield b"x" * 1024

    r = httpx.post(readonly.sparql, content=chunks(), timeout=10,
                   headers={"Content-Type": "application/sparql-query"})
    _error(r, 413)


def test_a_body_within_the_limit_is_served(readonly):
    r = httpx.post(readonly.sparql, content=b"ASK { ?s ?p ?o } #" + b"x" * (MAX_BODY - 100), timeout=10,
                   headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200


# --- CORS -----------------------------------------------------------------------------------
def test_cors_is_off_by_default(readonly):
    r = _query(readonly, "ASK {}", Origin="https://elsewhere.example")
    assert "access-control-allow-origin" not in r.headers


def test_cors_answers_only_the_configured_origin(admin):
    allowed = _query(admin, "ASK {}", Origin="https://analyst.example")
    assert allowed.headers["access-control-allow-origin"] == "https://analyst.example"
    other = _query(admin, "ASK {}", Origin="https://elsewhere.example")
    assert "access-control-allow-origin" not in other.headers


def test_defaults_listen_on_loopback_read_only_without_contacts():
    settings = Settings()
    assert settings.host == "127.0.0.1" and not settings.writable and not settings.serve_contacts
    assert not settings.cors_list


# --- with an admin token --------------------------------------------------------------------
@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", f"Basic {TOKEN}", "Bearer"])
def test_an_update_without_the_right_token_is_refused_401(admin, authorization):
    before = _count(admin)
    headers = {"Authorization": authorization} if authorization else {}
    r = _update(admin, INSERT, **headers)
    _error(r, 401)
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert _count(admin) == before


def test_an_update_with_the_token_is_applied(admin):
    before = _count(admin)
    r = _update(admin, INSERT, Authorization=f"Bearer {TOKEN}")
    assert r.status_code == 204, r.text
    assert _count(admin) == before + 1
    ask = _query(admin, f"ASK {{ <{EX}intruder> <{EX}p> 'x' }}")
    assert ask.json()["boolean"] is True


@pytest.mark.parametrize("update", [
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "LOAD SILENT <http://127.0.0.1:9/data.ttl> INTO GRAPH <http://example.org/g>",
    "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
])
def test_remote_loading_is_refused_even_with_the_token(admin, update):
    before = _count(admin)
    _error(_update(admin, update, Authorization=f"Bearer {TOKEN}"), 403)
    assert _count(admin) == before


def test_an_update_syntax_error_is_400_with_position(admin):
    error = _error(_update(admin, "CLEAR XYZ", Authorization=f"Bearer {TOKEN}"), 400)
    assert error["line"] == 1


# --- the query page -------------------------------------------------------------------------
def test_the_query_page_loads_only_its_own_files_and_forbids_others(readonly):
    r = httpx.get(readonly.url + "/", timeout=10)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    refs = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert refs and not [u for u in refs if "//" in u]
    for asset in ("static/app.js", "static/app.css"):
        assert asset in refs
        served = httpx.get(f"{readonly.url}/{asset}", timeout=10)
        assert served.status_code == 200
        assert "http://" not in served.text and "https://" not in served.text


def test_the_page_script_never_inserts_html():
    script = (ROOT / "api" / "static" / "app.js").read_text("utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script


# --- starting safely ---------------------------------------------------------------------------
@pytest.mark.parametrize("args, env, message", [
    (["--store", "{tmp}/missing"], {}, "no store here"),
    (["--store", "{tmp}"], {"BUDGETKG_TIME_LIMIT_MS": "soon"}, "$BUDGETKG_TIME_LIMIT_MS: expected int"),
    (["--store", "{tmp}", "--workers", "0"], {}, "workers must be at least 1"),
])
def test_serve_explains_a_bad_setting_or_a_missing_store(tmp_path, args, env, message):
    environment = {**{k: v for k, v in os.environ.items() if not k.startswith("BUDGETKG_")}, **env}
    result = subprocess.run([str(BIN), "serve", *[a.format(tmp=tmp_path) for a in args]],
                            capture_output=True, text=True, env=environment, timeout=60, check=False)
    assert result.returncode == 2 and message in result.stderr


# --- the limits under load ----------------------------------------------------------------------
def test_every_limit_holds_when_many_clients_press_at_once(tmp_path):
    """36 clients at once — slow queries, oversized bodies, answers past the row limit — each get
    their documented answer (503, 413, 200 cut and marked), no other error, and the server then
    answers at once with the store unchanged."""
    from concurrent.futures import ThreadPoolExecutor

    store = build_store(tmp_path / "store")
    before = store_quads(store)
    big = "ASK { ?s ?p ?o } #" + "x" * MAX_BODY
    with serve(store, "--time-limit-ms", str(TIME_LIMIT_MS), "--max-body-bytes", str(MAX_BODY),
               "--max-rows", "5", "--workers", "2") as server:
        def send(kind: str) -> tuple[str, httpx.Response]:
            if kind == "slow":
                return kind, _query(server, SLOW)
            if kind == "oversized":
                return kind, httpx.post(server.sparql, content=big.encode(), timeout=60,
                                        headers={"Content-Type": "application/sparql-query"})
            return kind, _query(server, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")

        with ThreadPoolExecutor(max_workers=36) as pool:
            answers = list(pool.map(send, ["slow", "oversized", "rows"] * 12))
        for kind, r in answers:
            if kind == "slow":  # stopped at the time limit, or refused while both workers were busy
                assert _error(r, 503)["title"] in {"Query timeout", "Server busy"}
            elif kind == "oversized":
                _error(r, 413)
            else:  # answered when a worker was free, cut at the row limit — or refused as busy
                assert r.status_code in (200, 503), r.text
                if r.status_code == 200:
                    assert r.headers["x-truncated"] == "true"
                    assert len(r.json()["results"]["bindings"]) == 5
        assert sum(1 for kind, r in answers if kind == "rows" and r.status_code == 200) > 0
        started = time.monotonic()
        assert _query(server, "ASK { ?s ?p ?o }").json()["boolean"] is True
        assert time.monotonic() - started < 5
    assert store_quads(store) == before
