"""Test helpers for the HTTP API: a small store on disk, and `budgetkg serve` run for real.

The store is built with GraphStore.put_document (not the RDF mapping, which the API does not
depend on): three documents' named graphs of budget-shaped triples, with Chinese literals,
language tags, decimals and a blank node, enough to check every result format and the dataset
parameters. The server is the installed `budgetkg serve` command in a subprocess on a free
loopback port, stopped (SIGTERM, then kill) when the test is done.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
from budgetkg.graph.ntriples import to_ntriples
from budgetkg.graph.store import GraphStore, StoredDocument
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

EX = "http://example.org/budget/"
GRAPHS = {name: f"https://budgetkg.org/graph/{name}" for name in ("dept-a", "dept-b", "dept-c")}
BIN = Path(sys.executable).with_name("budgetkg")


def _triples(name: str, projects: int) -> list[tuple]:
    dept = URIRef(EX + name)
    out = [(dept, RDF.type, URIRef(EX + "Department")),
           (dept, RDFS.label, Literal(f"{name} 部门", lang="zh"))]
    for i in range(projects):
        project = URIRef(f"{EX}{name}/project/{i}")
        out += [
            (project, RDF.type, URIRef(EX + "Project")),
            (project, RDFS.label, Literal(f"项目 {i}，含\"引号\"与逗号,换行\n结束", lang="zh")),
            (project, URIRef(EX + "department"), dept),
            (project, URIRef(EX + "amount"), Literal(f"{1000 + i}.50", datatype=XSD.decimal)),
            (project, URIRef(EX + "note"), Literal(f"note\t{i}")),
        ]
    out.append((dept, URIRef(EX + "contact"), BNode(f"contact{name.replace('-', '')}")))
    return out


def build_store(path: Path, projects: int = 4) -> Path:
    """A store at `path` with one named graph per department; returns `path`."""
    store = GraphStore(path)
    for name, graph in GRAPHS.items():
        triples = _triples(name, projects)
        store.put_document(StoredDocument(graph, name + ".txt", "0" * 64, len(triples)), to_ntriples(triples))
    store.flush()
    del store
    return path


def store_quads(path: Path) -> set[str]:
    """Every quad of the store as text, to check that nothing changed."""
    store = GraphStore(path, read_only=True)
    return {str(q) for q in store.quads()}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, url: str, process: subprocess.Popen):
        self.url, self.process = url, process

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"


@contextmanager
def serve(store: Path | str, *args: str, env: dict[str, str] | None = None):
    """Run `budgetkg serve` on a free port until the block ends; yields a Server. `store` is a
    directory, or a SPARQL server's query endpoint URL (tests/test_api_remote.py)."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BUDGETKG_")}
    environment.update(env or {})
    process = subprocess.Popen(
        [str(BIN), "serve", "--port", str(port), "--store", str(store), "--log-level", "warning", *args],
        env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        _wait_ready(server)
        yield server
    finally:
        _stop(process)


def _wait_ready(server: Server, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited: {server.process.stdout.read()}")
        try:
            if httpx.get(server.url + "/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError("server did not become ready")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
