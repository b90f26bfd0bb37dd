"""The graph view over HTTP: the page at /view and its JSON at /view/neighbourhood and /view/expand.

The neighbourhood is built by the library's plan (graph/view.py), each of its SPARQL queries sent
to the query workers through `runner.select_rows`, so the server's time limit, row limit, busy
answer and error shape apply as on /sparql. The page is pyvis's template with vis-network served
from /static/vis/ (vendored, see api/static/vis/README.md) and the page's own script and style
from /static/: nothing from a CDN, and a Content-Security-Policy of 'self' (plus a nonce for the
template's inline script) makes the browser refuse anything else.
"""

from __future__ import annotations

from budgetkg.api.errors import ApiError
from budgetkg.api.runner import select_rows
from budgetkg.graph.view import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Assets,
    View,
    new_nonce,
    render_page,
    view_plan,
)
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

VIS_VERSION = "9.1.2"
SERVED_ASSETS = Assets(
    css=(("href", "/static/vis/vis-network.min.css"), ("href", "/static/view.css")),
    js=(("href", "/static/vis/vis-network.min.js"), ("href", "/static/view.js")),
)

router = APIRouter(tags=["graph view"])

_Q = Query(None, max_length=500, description="a policy number, title or alias; part of a project's or unit's name")
_NODE = Query(None, description="node IRIs whose neighbourhood to draw (repeatable)")
_LIMIT = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="most nodes returned; `total` tells how many there were")


def csp(nonce: str) -> str:
    return (f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
            "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


@router.get("/view", include_in_schema=False)
async def view_page(request: Request, q: str | None = _Q, node: list[str] | None = _NODE,
                    limit: int = _LIMIT) -> HTMLResponse:
    """The interactive graph view; with `q` or `node`, drawn around what they name."""
    view = await _build(request, q, node or [], limit) if (q and q.strip()) or node else None
    nonce = new_nonce()
    page = render_page(view, SERVED_ASSETS, mode="server", nonce=nonce, base=str(request.scope.get("root_path", "")))
    return HTMLResponse(page, headers={"Content-Security-Policy": csp(nonce), "Cache-Control": "no-store"})


@router.get("/view/neighbourhood", summary="Neighbourhood of a search match as typed nodes and labelled edges")
async def neighbourhood(request: Request, q: str | None = _Q, node: list[str] | None = _NODE,
                        limit: int = _LIMIT) -> JSONResponse:
    """Nodes (policy, project, org, indicator, amount; each with fields, sources, position) and
    edges (依据, 主管, 实施, 指标, 资金) around what `q` matches or the `node` IRIs; at most
    `limit` nodes, `total` and `truncated` telling whether more were cut."""
    if not ((q and q.strip()) or node):
        raise ApiError(400, "Bad Request", "give q (a search text) or node (an IRI)")
    return JSONResponse((await _build(request, q, node or [], limit)).to_json())


@router.get("/view/expand", summary="Neighbours of one node, to add to a drawn view")
async def expand(request: Request, node: str = Query(..., description="the node's IRI"),
                 limit: int = _LIMIT) -> JSONResponse:
    return JSONResponse((await _build(request, None, [node], limit)).to_json())


async def _build(request: Request, q: str | None, nodes: list[str], limit: int) -> View:
    for n in nodes:
        if not n.startswith(("http://", "https://")) or any(c in n for c in '<>"{}|\\^` \n'):
            raise ApiError(400, "Bad Request", "node must be an absolute http(s) IRI")
    plan = view_plan(q, nodes, limit)
    incomplete = False
    try:
        query = next(plan)
        while True:
            rows, cut = await select_rows(request, query)
            incomplete = incomplete or cut
            query = plan.send(rows)
    except StopIteration as stop:
        view = stop.value
    view.incomplete = incomplete
    return view
