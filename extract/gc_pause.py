"""The cyclic garbage collector, paused while one document is laid out and extracted.

Reading a disclosure allocates tens of thousands of container objects (rows, cells, tokens,
records) and frees them without forming a reference cycle (tests/test_gc_pause.py checks it on
the seeds): the collector's generational passes over them reclaim nothing and cost ~3 % of the
extraction. Reference counting still frees everything as usual; only the cycle search waits
until the outermost paused call returns, and it runs then if it was enabled before. Code that
calls gc.enable() or gc.disable() while a document is read is overruled when the pause ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_lock = threading.Lock()
_depth = 0  # paused calls running, in any thread
_resume = False  # whether the collector was enabled when the first of them began


def _enter() -> None:
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1


def _leave() -> None:
    global _depth
    with _lock:
        _depth -= 1
        if _depth == 0 and _resume:
            gc.enable()


def gc_paused(func: Callable[P, T]) -> Callable[P, T]:
    """`func` with the collector paused while it runs (nested and threaded calls included)."""

    @wraps(func)
    def paused(*args: P.args, **kwargs: P.kwargs) -> T:
        _enter()
        try:
            return func(*args, **kwargs)
        finally:
            _leave()

    return paused
