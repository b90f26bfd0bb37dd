"""One JSON error shape for every error the API returns.

    {"error": {"status": 400, "title": "Query syntax error", "detail": "...", ...}}

`status` repeats the HTTP status, `title` names the kind of error (stable, for programs),
`detail` says what happened in words for people; some errors add fields (`line` and `column`
for a syntax error, `limit` for a size limit). Errors raised by the framework itself (unknown
path, wrong method, invalid parameters, an unexpected exception) are rewritten into the same
shape, so a client never has to handle two.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("budgetkg.api")


class ApiError(Exception):
    """An error to answer with: status, short title, detail, extra fields and headers."""

    def __init__(self, status: int, title: str, detail: str, *,
                 headers: dict[str, str] | None = None, **extra):
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail
        self.headers = headers or {}
        self.extra = extra


def error_body(status: int, title: str, detail: str, **extra) -> dict:
    return {"error": {"status": status, "title": title, "detail": detail, **extra}}


def error_response(err: ApiError) -> JSONResponse:
    body = error_body(err.status, err.title, err.detail, **err.extra)
    return JSONResponse(body, status_code=err.status, headers=err.headers)


def install_error_handlers(app: FastAPI) -> None:
    """Route every exception the app can raise through `error_response`."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)


async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
    return error_response(exc)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    title = HTTPStatus(exc.status_code).phrase
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else _DETAILS.get(
        exc.status_code, title)
    return error_response(ApiError(exc.status_code, title, detail, headers=dict(exc.headers or {})))


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    problems = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()]
    return error_response(ApiError(400, "Invalid parameters", "; ".join(problems) or "invalid request"))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(ApiError(500, "Internal Server Error",
                                   "the server failed on this request; the log has the details"))


_DETAILS = {
    404: "no such resource; the SPARQL endpoint is /sparql and the query page is /",
    405: "this method is not allowed here; see the Allow header",
}
