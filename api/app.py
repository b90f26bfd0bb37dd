"""The FastAPI application: one router per concern, mounted on a query engine.

    app = create_app(load_settings())

Routers are listed in ROUTERS; the REST endpoints (projects, policies, trace, ...) are added as
routers of their own, each running its SELECTs through `runner.select_rows`, so they share the
time limit, row limit and error shape with /sparql. Settings are in `app.state.settings`, the
engine in `app.state.engine`, the read-only server's kept answers in `app.state.answer_cache`.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from budgetkg.api import (
    documents,
    graph_store,
    page,
    rest_catalog,
    rest_policies,
    rest_projects,
    sparql,
)
from budgetkg.api import view as graph_view
from budgetkg.api.cache import AnswerCache
from budgetkg.api.engine import QueryEngine
from budgetkg.api.errors import install_error_handlers
from budgetkg.api.middleware import BodyLimit, SecurityHeaders
from budgetkg.api.settings import Settings, load_settings
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

ROUTERS = (sparql.router, rest_projects.router, rest_policies.router, rest_catalog.router,
           documents.router, page.router)
ROUTERS += (graph_view.router,)  # the graph view: /view, /view/neighbourhood, /view/expand
ROUTERS += (graph_store.router,)  # the SPARQL 1.1 Graph Store HTTP Protocol: /rdf-graph-store


def create_app(settings: Settings | None = None, *, engine: QueryEngine | None = None) -> FastAPI:
    """The app serving `settings.store`; an `engine` given is used as is and not closed here."""
    settings = settings or load_settings()
    app = FastAPI(
        title="budgetkg",
        summary="Chinese budget disclosures as a knowledge graph: SPARQL 1.1 endpoint, REST API and query page",
        version="0.1.0",
        lifespan=_lifespan(settings, engine),
    )
    app.state.settings = settings
    app.state.answer_cache = AnswerCache(settings.cache_bytes)
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", page.static_files(), name="static")
    _add_middleware(app, settings)
    return app


def make_engine(settings: Settings) -> QueryEngine:
    return QueryEngine(settings.store, writable=settings.writable, workers=settings.workers,
                       time_limit_s=settings.time_limit_ms / 1000)


def _lifespan(settings: Settings, given: QueryEngine | None):
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        engine = given or await run_in_threadpool(make_engine(settings).start)
        app.state.engine = engine
        try:
            yield
        finally:
            if given is None:
                engine.close()

    return lifespan


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    """Outermost last: the body limit runs before CORS and the handlers."""
    if settings.cors_list:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_list, allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE"],
            allow_headers=["Accept", "Content-Type", "Authorization"],
            expose_headers=["X-Truncated"], max_age=600,
        )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
