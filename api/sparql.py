"""The SPARQL 1.1 Protocol endpoint, /sparql, as a router mounted in the app.

The handler reads the request by the protocol's rules (protocol.py), checks that an update is
authorised, negotiates the result format (conneg.py) and sends the work to a query worker
(runner.py). Results carry `X-Truncated: true|false`; see docs/api.md for every status.
"""

from __future__ import annotations

import hmac

from budgetkg.api import protocol
from budgetkg.api.conneg import negotiate
from budgetkg.api.errors import ApiError
from budgetkg.api.jobs import QueryJob, UpdateJob
from budgetkg.api.runner import run_job, settings_of
from budgetkg.api.settings import Settings
from fastapi import APIRouter, Request, Response

router = APIRouter(tags=["SPARQL"])

_PARAMETERS = [
    {"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "the SPARQL query (exactly one; GET, or POST as a form field)"},
    {"name": "default-graph-uri", "in": "query", "required": False,
     "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True,
     "description": "graphs merged into the default graph (replaces the union of all documents)"},
    {"name": "named-graph-uri", "in": "query", "required": False,
     "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True,
     "description": "graphs visible to GRAPH patterns"},
]
_RESPONSES = {
    200: {"description": "results: SPARQL JSON/XML/CSV/TSV, or Turtle/N-Triples/JSON-LD/RDF-XML"},
    204: {"description": "update done (admin token only)"},
    400: {"description": "malformed request or query syntax error (with line and column)"},
    401: {"description": "update without the right bearer token"},
    403: {"description": "update on a read-only store; SERVICE or LOAD"},
    406: {"description": "no acceptable result format"},
    413: {"description": "request body over the size limit"},
    415: {"description": "POST with another content type"},
    503: {"description": "query over the time limit, or every worker busy"},
}
_TEXT = {"schema": {"type": "string"}}
_POST_BODY = {"required": True, "content": {
    "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
        "query": {"type": "string"}, "update": {"type": "string"}}}},
    "application/sparql-query": _TEXT, "application/sparql-update": _TEXT}}
_SUMMARY = "SPARQL 1.1 Protocol: query (GET/POST) and update (POST)"
_DOC = {"responses": _RESPONSES, "summary": _SUMMARY}


@router.get("/sparql", name="sparql", operation_id="sparql_get",
            openapi_extra={"parameters": _PARAMETERS}, **_DOC)
async def sparql(request: Request) -> Response:
    """Answer one SPARQL Protocol request."""
    operation = await _operation(request)
    base = str(request.url.replace(query=""))
    if operation.kind == "update":
        authorise_update(request, settings_of(request))
        await run_job(request, UpdateJob(operation.text, base_iri=base))
        return Response(status_code=204)
    settings = settings_of(request)
    job = QueryJob(operation.text, negotiate(request.headers.get("accept")), settings.max_rows,
                   operation.dataset, base_iri=base)
    answer = await run_job(request, job)
    headers = {"X-Truncated": "true" if answer.truncated else "false", "Vary": "Accept"}
    return Response(answer.body, media_type=with_charset(answer.media_type), headers=headers)


router.add_api_route("/sparql", sparql, methods=["POST"], operation_id="sparql_post",
                     openapi_extra={"parameters": _PARAMETERS, "requestBody": _POST_BODY}, **_DOC)

# The recommendation's own tests address the endpoint as /sparql/: answer there too rather
# than redirect, since a redirect would turn their 4xx checks into 3xx.
router.add_api_route("/sparql/", sparql, methods=["GET", "POST"], include_in_schema=False)


async def _operation(request: Request) -> protocol.Operation:
    query_string = request.url.query
    if request.method == "GET":
        return protocol.from_get(query_string)
    body = await request.body()
    return protocol.from_post(query_string, request.headers.get("content-type"), body)


def authorise_update(request: Request, settings: Settings, action: str = "SPARQL Update") -> None:
    """403 when writes are off (no admin token configured), 401 without the right token.
    `action` names what is refused (the documents router uses this check too)."""
    if not settings.admin_token:
        raise ApiError(403, "Forbidden",
                       f"{action} is disabled: this store is served read-only")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    expected = settings.admin_token.encode("utf-8")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode("utf-8"), expected):
        raise ApiError(401, "Unauthorized", f"{action} needs the admin token as a Bearer token",
                       headers={"WWW-Authenticate": 'Bearer realm="budgetkg"'})


def with_charset(media: str) -> str:
    textual = media.startswith("text/") or media.endswith(("+json", "+xml", "/json", "/xml", "/n-triples"))
    return media + "; charset=utf-8" if textual else media
