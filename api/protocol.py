"""The SPARQL 1.1 Protocol's request rules: which operation an HTTP request carries.

Pure functions of method, query string, content type and body, so every rule of the
recommendation (https://www.w3.org/TR/sparql11-protocol/ §2.1, §2.2) is checked in one place:

- query by GET `?query=`, by POST form (`application/x-www-form-urlencoded`, `query=` in the
  body) or by POST direct (`application/sparql-query`, the body is the query);
- update only by POST, form (`update=`) or direct (`application/sparql-update`);
- exactly one query or update: none or several is 400; both at once is 400;
- any other or missing content type is 415; a body or parameter that is not UTF-8 is 400 (and a
  charset other than UTF-8 is 415);
- default-graph-uri / named-graph-uri (repeatable) give the query's dataset, in the URL or, for a
  form POST, in the body too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from budgetkg.api.errors import ApiError
from budgetkg.api.jobs import Dataset

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
_ACCEPTED = f"{FORM}, {QUERY} or {UPDATE}"


@dataclass(frozen=True)
class Operation:
    kind: str  # "query" or "update"
    text: str
    dataset: Dataset = field(default_factory=Dataset)


Params = list[tuple[str, str]]


def from_get(query_string: str) -> Operation:
    params = _parse_params(query_string, "the URL")
    if _values(params, "update"):
        raise ApiError(400, "Bad Request", "an update must be sent with POST, not GET")
    return Operation("query", _one(params, "query"), _dataset(params))


def from_post(query_string: str, content_type: str | None, body: bytes) -> Operation:
    media, charset = _media(content_type)
    url_params = _parse_params(query_string, "the URL")
    if media == FORM:
        return _form(url_params + _parse_params(_utf8(body, "the form body"), "the form body"))
    if media in (QUERY, UPDATE):
        return _direct(media, charset, url_params, body)
    if not media:
        raise ApiError(415, "Unsupported Media Type", f"a POST needs a Content-Type: {_ACCEPTED}")
    raise ApiError(415, "Unsupported Media Type", f"Content-Type {media} is not accepted; use {_ACCEPTED}")


def _form(params: Params) -> Operation:
    queries, updates = _values(params, "query"), _values(params, "update")
    if queries and updates:
        raise ApiError(400, "Bad Request", "a request carries either a query or an update, not both")
    if updates:
        return Operation("update", _one(params, "update"), _using(params))
    return Operation("query", _one(params, "query"), _dataset(params))


def _direct(media: str, charset: str | None, url_params: Params, body: bytes) -> Operation:
    if charset and charset.lower().replace("-", "") != "utf8":
        raise ApiError(415, "Unsupported Media Type", f"charset {charset} is not accepted: send UTF-8")
    for name in ("query", "update"):
        if _values(url_params, name):
            raise ApiError(400, "Bad Request",
                           f"the {name} is the request body here; a '{name}' URL parameter is ambiguous")
    text = _utf8(body, "the request body").removeprefix("\ufeff")
    if media == UPDATE:
        return Operation("update", text, _using(url_params))
    return Operation("query", text, _dataset(url_params))


def _media(content_type: str | None) -> tuple[str, str | None]:
    """(media type in lower case, charset parameter or None)."""
    if not content_type:
        return "", None
    media, *params = [p.strip() for p in content_type.split(";")]
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"')
    return media.lower(), charset


def _parse_params(text: str, where: str) -> Params:
    try:
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ApiError(400, "Bad Request", f"a parameter in {where} is not UTF-8 after percent-decoding") from None


def _utf8(body: bytes, where: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, "Bad Request", f"{where} is not UTF-8 (byte {exc.start})") from None


def _values(params: Params, name: str) -> list[str]:
    return [v for k, v in params if k == name]


def _one(params: Params, name: str) -> str:
    values = _values(params, name)
    if not values:
        raise ApiError(400, "Bad Request", f"missing the '{name}' parameter")
    if len(values) > 1:
        raise ApiError(400, "Bad Request", f"{len(values)} '{name}' parameters given; send exactly one")
    return values[0]


def _dataset(params: Params) -> Dataset:
    default, named = _values(params, "default-graph-uri"), _values(params, "named-graph-uri")
    if not default and not named:
        return Dataset()
    return Dataset(tuple(default), tuple(named))


def _using(params: Params) -> Dataset:
    """Updates take their dataset from USING/WITH in the update text only: the engine has no
    protocol-level dataset for updates, so the parameters are refused rather than ignored."""
    for name in ("using-graph-uri", "using-named-graph-uri"):
        if _values(params, name):
            raise ApiError(400, "Bad Request",
                           f"'{name}' is not supported; put USING / USING NAMED in the update instead")
    return Dataset()
