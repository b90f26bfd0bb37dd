"""Answers kept in the web process for repeat requests, on a read-only server only.

A trace is several queries and Python in a worker (~0.1 s on the seeds, most of a core) and the
same few policies are asked for again and again, so under 50 concurrent clients the workers,
not the web process, are the limit (docs/benchmarks.md, load test). A read-only server's store
cannot change while it serves (docs/api.md), so an answer stays right until the server stops:
it is kept as the finished JSON bytes, and a repeat costs a dictionary look-up.

Bounded by bytes, least recently used out first. Requests for an answer being computed wait for
that one computation instead of starting their own, and the computation runs as a task of its
own, so a client that goes away does not cancel it for the others. Errors are not kept. A
writable server gets a cache of size 0 (off): writes would make kept answers stale.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable


class AnswerCache:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._pending: dict[Hashable, asyncio.Future[bytes]] = {}

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[bytes]]) -> bytes:
        """The kept answer for `key`, else the one `compute()` gives (kept when it fits)."""
        if self.max_bytes <= 0:
            return await compute()
        kept = self._items.get(key)
        if kept is not None:
            self._items.move_to_end(key)
            return kept
        task = self._pending.get(key)
        if task is None:
            task = asyncio.ensure_future(compute())
            self._pending[key] = task
            task.add_done_callback(lambda done: self._settle(key, done))
        return await asyncio.shield(task)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def size(self) -> int:
        """Bytes held."""
        return self._size

    def _settle(self, key: Hashable, task: asyncio.Future[bytes]) -> None:
        self._pending.pop(key, None)
        if task.cancelled() or task.exception() is not None:  # retrieved here: no "never retrieved"
            return
        self._put(key, task.result())

    def _put(self, key: Hashable, body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        self._size -= len(self._items.pop(key, b""))
        self._items[key] = body
        self._size += len(body)
        while self._size > self.max_bytes:
            _, dropped = self._items.popitem(last=False)
            self._size -= len(dropped)
