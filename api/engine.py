"""A pool of query worker processes, and the per-request time limit.

pyoxigraph runs a query to its end once started, and Python cannot interrupt it, so each
request is sent to a worker process (worker.py) and waited for up to the time limit. A worker
that has not answered by then is killed and replaced; the request is answered 503. Killing is
safe: a read-only store is never written, and an update is one transaction.

The store may also be a SPARQL server's (`store_path` an http(s) URL; graph/store_api.py): each
worker then holds a RemoteStore, and killing it closes its connection to the server, which
may still finish the query (its own limit stops it) or apply an update already sent.

Read-only (the default), `workers` processes each open the store read-only and serve
requests in parallel. With an admin token the store must be opened for writing, which one
process can do at a time, so a single worker serves every request in turn, and so reads
always see the writes before them.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

from budgetkg.api.jobs import CannotStart, Failed, Ready, Rendered
from budgetkg.graph.store import StoreError

log = logging.getLogger("budgetkg.api")
START_TIMEOUT_S = 60.0  # opening a large store can take a while on a cold disk
QUEUE_WAIT_S = 10.0  # longest a request waits for a free worker before 503
RETRY_MAX_S = 30.0  # longest pause between attempts to restart a worker


class QueryTimeout(Exception):
    """The request ran past the time limit; its worker was stopped."""


class Busy(Exception):
    """Every worker stayed busy for QUEUE_WAIT_S."""


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


def _context():
    """forkserver: a new worker is a fork of a small server process with the worker module
    already imported, so a replacement is ready in milliseconds; forking the threaded web
    process itself would be unsafe."""
    if sys.platform.startswith("linux"):
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["budgetkg.api.worker"])
        return ctx
    return multiprocessing.get_context("spawn")


class QueryEngine:
    """Runs jobs (jobs.py) in worker processes, each within `time_limit_s`."""

    def __init__(self, store_path: str, *, writable: bool = False, workers: int = 2,
                 time_limit_s: float = 5.0):
        self.store_path = store_path
        self.writable = writable
        self.size = 1 if writable else max(1, workers)
        self.time_limit_s = time_limit_s
        self._ctx = _context()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False

    def start(self) -> QueryEngine:
        """Start every worker and wait until each has opened the store; StoreError if one cannot."""
        try:
            for _ in range(self.size):
                self._idle.put(self._spawn())
        except StoreError:
            self.close()
            raise
        return self

    def run(self, job, time_limit_s: float | None = None) -> Rendered | Failed:
        """The job's answer. Raises QueryTimeout past the time limit (`time_limit_s` when given,
        for jobs such as an ingest that may take longer than a query), Busy when no worker frees up."""
        worker = self._take()
        done = False
        try:
            worker.conn.send(job)
            if not worker.conn.poll(time_limit_s or self.time_limit_s):
                raise QueryTimeout()
            answer = worker.conn.recv()
            done = True
            return answer
        except (EOFError, OSError) as exc:
            log.error("query worker %s died: %s", worker.process.pid, exc)
            return Failed(500, "Internal Server Error", "the query worker stopped unexpectedly")
        finally:
            self._release(worker, healthy=done)

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return

    # --- internals ----------------------------------------------------------------------
    def _take(self) -> _Worker:
        try:
            return self._idle.get(timeout=QUEUE_WAIT_S)
        except queue.Empty:
            raise Busy() from None

    def _release(self, worker: _Worker, *, healthy: bool) -> None:
        if healthy and not self._closed:
            self._idle.put(worker)
            return
        worker.stop()
        if not self._closed:
            threading.Thread(target=self._replace, name="respawn-worker", daemon=True).start()

    def _replace(self) -> None:
        """Start a worker in place of a stopped one; retried until it starts or the engine
        closes, since a pool must not shrink: a SPARQL server holding the store may be down
        for minutes (each worker opens the store by asking it) and then come back."""
        attempt = 0
        while not self._closed:
            try:
                self._idle.put(self._spawn())
                return
            except StoreError as exc:
                attempt += 1
                log.error("cannot restart a query worker (attempt %d): %s", attempt, exc)
                time.sleep(min(RETRY_MAX_S, 2.0 ** (attempt - 1)))

    def _spawn(self) -> _Worker:
        from budgetkg.api import worker as worker_module

        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=worker_module.serve, name="budgetkg-query-worker",
                                    args=(child, self.store_path, self.writable), daemon=True)
        process.start()
        child.close()
        handle = _Worker(process, parent)
        first = _first_message(parent)
        if not isinstance(first, Ready):
            handle.stop()
            raise StoreError(first.reason)
        return handle


def _first_message(conn: Connection) -> Ready | CannotStart:
    if not conn.poll(START_TIMEOUT_S):
        return CannotStart(f"the query worker did not open the store within {START_TIMEOUT_S:.0f} s")
    try:
        return conn.recv()
    except (EOFError, OSError):
        return CannotStart("the query worker exited while opening the store")
