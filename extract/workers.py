"""Files processed in worker processes, with limits per file: the orchestration behind
`budgetkg extract --jobs` and `budgetkg ingest --jobs`, kept apart from what is done to a file
(the task: extract.pipeline.extract_or_fail, graph.ingest.prepare_file).

Why not multiprocessing.Pool or concurrent.futures: neither can stop one task that runs too long
without stopping the whole pool, and a worker that dies breaks a ProcessPoolExecutor for good.
Here each worker is a process with a pipe of its own; the parent (one thread, no locks) hands a
worker at most DEPTH files, kills a worker whose file has run past the time limit, starts another
in its place and hands it the files the killed one had not begun.

Results come back in input order, and at most `window` files are handed out or waiting for an
earlier one, so memory holds a bounded number of documents whatever the corpus size.

Workers are forked from a fork server ("forkserver" start method), not from the parent: the
parent may hold an open store whose threads a plain fork would copy half-locked, and the server
has already imported the task's module, so a replacement starts in milliseconds.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any

from budgetkg.extract.pipeline import Failure

DEPTH = 2  # files handed to a worker at once: it starts the next while the parent writes
DEFAULT_TIMEOUT = 300.0  # seconds; the largest seed takes 0.15 s, a 2.4 MB disclosure 3.5 s
DEFAULT_MAX_BYTES = 64 * 2**20  # the largest disclosure seen is 0.25 MB
DEFAULT_MAX_MEMORY_MB = 4096  # address space per worker: 80 MB idle, 360 MB for a 2.4 MB disclosure


class WorkerError(RuntimeError):
    """Worker processes cannot be started at all (not a fault of any one document)."""


@dataclass(frozen=True)
class Limits:
    """Per-document limits; None means no limit."""

    timeout: float | None = DEFAULT_TIMEOUT  # seconds of one worker's time on one file
    max_bytes: int | None = DEFAULT_MAX_BYTES  # checked before the file is read
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB  # RLIMIT_AS of each worker

    def timeout_reason(self) -> str:
        return (f"not done within the time limit of {self.timeout:g} s per document, so its worker "
                "was stopped; raise --timeout (0 = no limit) to give it longer")

    def memory_reason(self) -> str:
        return (f"needs more than the memory limit of {self.max_memory_mb} MB per worker; "
                "raise --max-memory (0 = no limit) to read it")

    def size_reason(self, size: int) -> str:
        return (f"the file is {_mb(size)}, over the size limit of {_mb(self.max_bytes or 0)} per "
                "document; raise --max-bytes (0 = no limit) to read it")


def run_files(
    task: Callable[[str], Any], paths: Iterable[str], *, jobs: int = 1, limits: Limits | None = None
) -> Iterator[Any]:
    """task(path) for each path, run in `jobs` worker processes, yielded in input order; a file
    stopped by a limit, or whose worker died, yields a Failure(path, reason) instead.

    `task` must be importable by name (a module-level function, or a functools.partial of one)
    and should turn a bad document into a value of its own rather than raise. As with any
    multiprocessing start method but fork, a script calling this must guard its entry point
    with `if __name__ == "__main__":`, since each worker imports the script's module."""
    pool = _Pool(task, max(1, jobs), limits or Limits())
    try:
        yield from pool.results(iter(paths))
    finally:
        pool.close()


# --- the worker process ----------------------------------------------------------------------------
def _serve(conn, task: Callable[[str], Any], limits: Limits) -> None:
    """A worker's life: take (index, path), say when it starts, send back the result."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops us
    _limit_memory(limits.max_memory_mb)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the parent has gone
            return
        if message is None:
            return
        index, path = message
        conn.send(("start", index, time.monotonic()))  # CLOCK_MONOTONIC: the parent's clock too
        result = short = None
        try:
            result = _run_one(task, path, limits)
        except MemoryError:
            short = True  # reported below, once the traceback and the document's data are freed
        # C code short of memory may fail with another error: near the limit, it is the limit
        if short or (_internal_error(result) and _near_limit(limits.max_memory_mb)):
            result = None
            conn.send(("memory", index, None))
            return  # the heap may be left fragmented: a fresh worker takes over
        try:
            conn.send(("done", index, result))
        except MemoryError:  # pickling the result takes memory too; nothing was sent
            result = None
            conn.send(("memory", index, None))
            return


def _run_one(task: Callable[[str], Any], path: str, limits: Limits) -> Any:
    """The size limit first, so an oversized file is never read whole."""
    if limits.max_bytes:
        try:
            size = os.stat(path).st_size
        except OSError:
            size = 0  # the task reports why it cannot be opened
        if size > limits.max_bytes:
            return Failure(path, limits.size_reason(size))
    try:
        return task(path)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - a task's bug must not stop the batch
        return Failure(path, f"internal error ({type(exc).__name__}: {exc}); please report it with the file")


def _internal_error(result: Any) -> bool:
    return str(getattr(result, "reason", "")).startswith("internal error")


def _near_limit(megabytes: int | None) -> bool:
    """Whether this process's address space came within a fifth of its limit (VmPeak)."""
    if not megabytes:
        return False
    try:
        with open("/proc/self/status") as status:
            peak_kb = next((int(line.split()[1]) for line in status if line.startswith("VmPeak:")), 0)
    except OSError:  # no /proc: only a MemoryError names the limit
        return False
    return peak_kb * 1024 > 0.8 * megabytes * 2**20


def _limit_memory(megabytes: int | None) -> None:
    if not megabytes:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = megabytes * 2**20
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


# --- the parent's side -----------------------------------------------------------------------------
class _Worker:
    """One worker process and what it was handed."""

    def __init__(self, ctx, task: Callable[[str], Any], limits: Limits):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, task, limits), daemon=True)
        self.proc.start()
        child.close()
        self.queue: deque[int] = deque()  # indices handed to it, oldest first
        self.started: float | None = None  # when it began queue[0] (its monotonic clock)
        self.began = False  # it has begun a file: it did start up
        self.retiring = False  # it ends after its current message (out of memory)

    def hand(self, index: int, path: str) -> bool:
        """Queue a file for it; False when it has ended meanwhile (its pipe is closed)."""
        self.queue.append(index)
        try:
            self.conn.send((index, path))
        except OSError:
            return False
        return True

    def stop(self) -> None:
        """End the process: politely when idle, killed when busy (its work is abandoned)."""
        if self.proc.is_alive() and not self.queue:
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.proc.join(timeout=2)
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()


class _Pool:
    def __init__(self, task: Callable[[str], Any], jobs: int, limits: Limits):
        self.ctx = mp.get_context("forkserver")
        self.ctx.set_forkserver_preload([_module_of(task)])  # no effect once the server runs
        self.task, self.limits = task, limits
        self.window = jobs * (DEPTH + 2)
        self.workers = [self._start() for _ in range(jobs)]
        self.paths: dict[int, str] = {}  # handed out or waiting to be, by index
        self.todo: deque[int] = deque()  # indices to hand out; retried ones go first
        self.done: dict[int, Any] = {}
        self.stillborn = 0  # workers in a row that died before starting any file

    def results(self, paths: Iterator[str]) -> Iterator[Any]:
        """Yield what is done, in order; take more files up to the window; hand them out; wait.
        After the hand-out the next file to yield is with a worker or queued behind busy ones,
        so there is always something to wait for."""
        next_in = next_out = 0
        while True:
            while next_out in self.done:
                self.paths.pop(next_out)
                yield self.done.pop(next_out)
                next_out += 1
            next_in = self._take(paths, next_in, next_out + self.window)
            if next_out == next_in:  # every file taken has been yielded, and none is left
                return
            self._hand_out()
            self._wait()

    def _take(self, paths: Iterator[str], next_in: int, until: int) -> int:
        """Queue files until index `until` (the window); the next index."""
        while next_in < until:
            path = next(paths, None)
            if path is None:
                break
            self.paths[next_in] = str(path)
            self.todo.append(next_in)
            next_in += 1
        return next_in

    def close(self) -> None:
        for w in self.workers:
            w.stop()

    def _start(self) -> _Worker:
        return _Worker(self.ctx, self.task, self.limits)

    def _hand_out(self) -> None:
        """Fill each worker's queue up to DEPTH, least busy first. A worker found ended while
        its file is handed over (it died on the file before, unseen yet) is replaced, and the
        hand-out goes on to the replacement: else nothing might be out to wait for."""
        replaced = True
        while self.todo and replaced:
            replaced = False
            for w in sorted(self.workers, key=lambda w: len(w.queue)):
                while self.todo and len(w.queue) < DEPTH:
                    index = self.todo.popleft()
                    if not w.hand(index, self.paths[index]):
                        self._replace(w)
                        replaced = True
                        break

    def _wait(self) -> None:
        """Block until a worker reports, dies, or overruns the time limit; act on it."""
        busy = [w for w in self.workers if w.queue]
        if not busy:  # results() rules this out; waiting on nothing would hang for ever
            raise RuntimeError("worker pool: nothing handed out to wait for")
        ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], self._time_left(busy)))
        for w in busy:
            if w.conn in ready or w.proc.sentinel in ready:
                self._receive(w)
        now = time.monotonic()
        for w in list(self.workers):
            if w.started is not None and self.limits.timeout and now > w.started + self.limits.timeout \
                    and not w.conn.poll():
                w.proc.kill()
                self._replace(w, self.limits.timeout_reason())

    def _time_left(self, busy: list[_Worker]) -> float | None:
        if not self.limits.timeout:
            return None
        starts = [w.started for w in busy if w.started is not None]
        return None if not starts else max(0.0, min(starts) + self.limits.timeout - time.monotonic())

    def _receive(self, w: _Worker) -> None:
        """Read what the worker has sent; a worker that has ended, or will, is replaced."""
        try:
            while w.conn.poll():
                if self._on_message(w, *w.conn.recv()):
                    break
        except (EOFError, OSError):
            pass
        if w.retiring or not w.proc.is_alive():
            self._replace(w)

    def _on_message(self, w: _Worker, kind: str, index: int, value: Any) -> bool:
        """Record one message; True when the worker is ending (after running out of memory)."""
        if kind == "start":
            w.started, w.began, self.stillborn = value, True, 0
            return False
        w.queue.popleft()
        w.started = None
        if kind == "memory":
            self.done[index] = Failure(self.paths[index], self.limits.memory_reason())
            w.retiring = True
        else:
            self.done[index] = value
        return w.retiring

    def _replace(self, w: _Worker, reason: str | None = None) -> None:
        """Swap a dead or killed worker for a new one. The file it was working on fails with
        `reason` (default: how the process ended); those it had not begun are handed out again."""
        w.stop()
        if w.started is not None and w.queue:
            index = w.queue.popleft()
            self.done[index] = Failure(self.paths[index], reason or _death_reason(w.proc.exitcode))
        elif not w.began:
            self.stillborn += 1
            if self.stillborn > 3:
                raise WorkerError(f"worker processes end as soon as they start (exit status "
                                  f"{w.proc.exitcode}; their errors are above)")
        self.todo.extendleft(reversed(w.queue))
        self.workers[self.workers.index(w)] = self._start()


def _death_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        how = f"killed by {signal.Signals(-exitcode).name}"
    else:
        how = f"exit status {exitcode}"
    return (f"the worker reading it ended unexpectedly ({how}; the system may have run out of "
            "memory); the other documents go on")


def _module_of(task: Callable[[str], Any]) -> str:
    return getattr(task, "func", task).__module__


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size % 2**20 else f"{size // 2**20} MB"
