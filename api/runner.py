"""Running a job from a request handler: the engine's outcomes as answers or ApiErrors.

Every router (SPARQL here, the REST endpoints later) sends its work through `run_job`, so the
time limit, the busy answer and the error shape are the same everywhere.
"""

from __future__ import annotations

from budgetkg.api.engine import Busy, QueryEngine, QueryTimeout
from budgetkg.api.errors import ApiError
from budgetkg.api.jobs import Failed, Rendered, RowsJob
from budgetkg.api.settings import Settings
from fastapi import Request
from starlette.concurrency import run_in_threadpool


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def engine_of(request: Request) -> QueryEngine:
    return request.app.state.engine


async def run_job(request: Request, job, time_limit_ms: int | None = None) -> Rendered:
    """The job's rendered answer; ApiError for a refusal, a failure, a timeout or a full pool.
    `time_limit_ms` replaces the setting for this job (an ingest may take longer than a query)."""
    engine = engine_of(request)
    limit = time_limit_ms or settings_of(request).time_limit_ms
    try:
        answer = await run_in_threadpool(engine.run, job, limit / 1000)
    except QueryTimeout:
        raise ApiError(503, "Query timeout",
                       f"the query ran longer than the time limit of {limit} ms and was stopped",
                       headers={"Retry-After": "1"}, limit_ms=limit) from None
    except Busy:
        raise ApiError(503, "Server busy", "every query worker stayed busy; try again shortly",
                       headers={"Retry-After": "2"}) from None
    if isinstance(answer, Failed):
        raise ApiError(answer.status, answer.title, answer.detail, **answer.extra)
    return answer


async def select_rows(request: Request, sparql: str) -> tuple[list[dict[str, str | None]], bool]:
    """Rows of a SELECT as {variable: text or None}, and whether they were cut at the row limit:
    what a REST endpoint returns as JSON."""
    answer = await run_job(request, RowsJob(sparql, settings_of(request).max_rows))
    return answer.rows or [], answer.truncated
