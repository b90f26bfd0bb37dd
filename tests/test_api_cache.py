"""The read-only server's answer cache (api/cache.py): bounded by bytes, least recently used out
first, one computation shared by concurrent requests, errors never kept, off at size 0; and,
against a running server, a repeated trace is answered from it with the same bytes."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from apiserver import serve
from budgetkg.api.cache import AnswerCache
from conftest import SEEDS
from seedstore import build_seed_store


class Counter:
    """An answer computation that counts its calls and can be made to wait or fail."""

    def __init__(self, body: bytes = b"x", delay: float = 0.0, error: Exception | None = None):
        self.body, self.delay, self.error, self.calls = body, delay, error, 0

    async def __call__(self) -> bytes:
        self.calls += 1
        await asyncio.sleep(self.delay)
        if self.error is not None:
            raise self.error
        return self.body


def run(coroutine):
    return asyncio.run(coroutine)


def test_a_repeat_is_answered_without_computing_again():
    async def scenario():
        cache, compute = AnswerCache(100), Counter(b"answer")
        assert [await cache.get("k", compute) for _ in range(3)] == [b"answer"] * 3
        return compute.calls
    assert run(scenario()) == 1


def test_concurrent_requests_share_one_computation():
    async def scenario():
        cache, compute = AnswerCache(100), Counter(b"answer", delay=0.05)
        answers = await asyncio.gather(*(cache.get("k", compute) for _ in range(20)))
        return answers, compute.calls
    answers, calls = run(scenario())
    assert answers == [b"answer"] * 20 and calls == 1


def test_the_least_recently_used_answer_leaves_first_within_the_byte_bound():
    async def scenario():
        cache = AnswerCache(10)
        for key in ("a", "b"):
            await cache.get(key, Counter(b"12345"))
        await cache.get("a", Counter())  # a is used again: b is now the oldest
        await cache.get("c", Counter(b"123"))
        again = Counter(b"12345")
        await cache.get("b", again)
        return cache, again.calls
    cache, recomputed = run(scenario())
    assert recomputed == 1 and cache.size <= 10


def test_an_error_reaches_every_waiter_and_is_not_kept():
    async def scenario():
        cache, failing = AnswerCache(100), Counter(delay=0.02, error=ValueError("no policy"))
        outcomes = await asyncio.gather(*(cache.get("k", failing) for _ in range(3)), return_exceptions=True)
        later = await cache.get("k", Counter(b"now"))
        return outcomes, failing.calls, later
    outcomes, calls, later = run(scenario())
    assert all(isinstance(o, ValueError) for o in outcomes) and calls == 1 and later == b"now"


@pytest.mark.parametrize("size", [0, 3])
def test_a_cache_of_size_0_or_an_answer_over_the_bound_is_not_kept(size):
    async def scenario():
        cache, compute = AnswerCache(size), Counter(b"longer than three")
        await cache.get("k", compute)
        await cache.get("k", compute)
        return compute.calls, len(cache)
    assert run(scenario()) == (2, 0)


def test_a_repeated_trace_is_served_the_same_bytes(tmp_path):
    store = build_seed_store(tmp_path / "store", [SEEDS / "003_b734d3efdd82c317.txt"])
    with serve(store) as running, httpx.Client(base_url=running.url, timeout=60) as client:
        url = client.get("/api/policies", params={"limit": 1}).json()["items"][0]["trace_url"]
        first, second = client.get(url), client.get(url)
        assert first.status_code == 200 and first.headers["content-type"] == "application/json"
        assert first.content == second.content and first.json()["traces"]
        assert client.get("/api/policies/no-such-policy/trace").status_code == 404
