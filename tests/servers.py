"""Real SPARQL servers for the remote-store tests and benchmarks: Oxigraph server and Virtuoso.

Each runs as a child process on free loopback ports with its data in a temporary directory, is
waited for until it answers a query, and is killed at the end. A server that cannot start is an
error (the caller's test fails), never a skip: CI installs both (.ci/run).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

START_TIMEOUT_S = 90.0
VIRTUOSO_USER, VIRTUOSO_PASSWORD = "dba", "dba"  # a fresh Virtuoso database's administrator
SERVERS = ("oxigraph", "virtuoso")


@dataclass
class Server:
    name: str
    url: str  # the query endpoint, as given to --store
    env: dict[str, str] = field(default_factory=dict)  # credentials for writing
    process: subprocess.Popen | None = None
    log: Path | None = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(name: str, workdir: Path, **options) -> Iterator[Server]:
    """The server `name` (oxigraph | virtuoso) answering on loopback until the block ends."""
    server = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}[name](workdir, **options)
    try:
        yield server
    finally:
        stop(server)


def start_oxigraph(workdir: Path) -> Server:
    """`oxigraph serve` from the virtualenv (PyPI package `oxigraph`), data in `workdir`."""
    binary = Path(sys.executable).parent / "oxigraph"
    if not binary.exists():
        binary = Path(shutil.which("oxigraph") or binary)
    port = free_port()
    url = f"http://127.0.0.1:{port}/query"
    command = [str(binary), "serve", "--location", str(workdir / "data"), "--bind", f"127.0.0.1:{port}"]
    return _start(Server("oxigraph", url), command, workdir)


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
CheckpointInterval = 0
DirsAllowed = ., {d}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 600
"""


def start_virtuoso(workdir: Path, *, buffers: int = 20000, max_rows: int = 1_000_000) -> Server:
    """Virtuoso open source (Debian's virtuoso-opensource: virtuoso-t) with its own ini and
    database in `workdir`; writes go through the Digest-authenticated endpoints as dba.
    `buffers` are 8 KB pages of cache (Virtuoso suggests ~2/3 of free memory for a large load)."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        raise RuntimeError("virtuoso-t is not installed (Debian package virtuoso-opensource; .ci/run installs it)")
    http_port, sql_port = free_port(), free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    ini = workdir / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=workdir, sql_port=sql_port, http_port=http_port, buffers=buffers,
                                       dirty=buffers * 3 // 4, max_rows=max_rows))
    server = Server("virtuoso", f"http://127.0.0.1:{http_port}/sparql",
                    {"BUDGETKG_STORE_USER": VIRTUOSO_USER, "BUDGETKG_STORE_PASSWORD": VIRTUOSO_PASSWORD})
    return _start(server, [binary, "+configfile", str(ini), "+foreground"], workdir)


def _start(server: Server, command: list[str], workdir: Path) -> Server:
    workdir.mkdir(parents=True, exist_ok=True)
    server.log = workdir / f"{server.name}.out"
    with open(server.log, "wb") as log:
        server.process = subprocess.Popen(command, cwd=workdir, stdout=log, stderr=subprocess.STDOUT,
                                          start_new_session=True)
    _wait_until_answering(server)
    return server


def _wait_until_answering(server: Server) -> None:
    """Poll with a query until the server answers; on exit or timeout, stop it and say why."""
    body = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(urllib.request.Request(server.url, data=body), timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    tail = server.log.read_text("utf-8", "replace")[-2000:] if server.log else ""
    stop(server)
    raise RuntimeError(f"{server.name} did not answer at {server.url} within {START_TIMEOUT_S:.0f} s:\n{tail}")


def stop(server: Server) -> None:
    """Terminate the server (and anything it started), killing it if it does not exit."""
    process = server.process
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
