"""Uploading and removing disclosures: POST /documents and DELETE /documents/{source}.

Both need the admin token (403 when the server has none, 401 without the right one), like
SPARQL Update. They follow `budgetkg ingest`: a document is named by its file name, an upload of
a name already stored replaces it, and the policies graph is recomputed afterwards; the answer
lists the extractor's issues with their lines.

An upload is untrusted. Its size is bounded by max_body_bytes (middleware.BodyLimit, 413); its
file name is cut to its last path component and to letters, digits and a few marks, and only
names the document; its bytes are extracted in the worker's memory, never written to disk nor
passed to a shell, and come back only inside JSON.
"""

from __future__ import annotations

import unicodedata
from email import policy
from email.parser import BytesParser
from typing import Annotated

from budgetkg.api.errors import ApiError
from budgetkg.api.jobs import DeleteJob, IngestJob
from budgetkg.api.runner import run_job, settings_of
from budgetkg.api.sparql import authorise_update
from budgetkg.extract.load import SUFFIXES
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

router = APIRouter(tags=["Documents"])
INGEST_TIME_LIMIT_MS = 120_000  # extraction and a bulk load take longer than a query
MAX_NAME = 200
_NAME_MARKS = frozenset("-_.()（）[]【】")
_RESPONSES = {
    400: {"description": "no file, or a file name that cannot be used"},
    401: {"description": "without the right bearer token"},
    403: {"description": "the server has no admin token: the store is read-only"},
    413: {"description": "body over max_body_bytes"},
    422: {"description": "the file cannot be read as a disclosure (binary, empty, undecodable)"},
    503: {"description": "over the time limit, or busy"},
}


class Issue(BaseModel):
    source: str
    line: int | None
    message: str


class IngestAnswer(BaseModel):
    source: str = Field(description="the file name the document is stored under (sanitized)")
    graph: str = Field(description="its named graph")
    replaced: bool = Field(description="a document of that name was stored before and was replaced")
    triples: int
    projects: int
    policies: int = Field(description="policies in the store after the refresh")
    issues: list[Issue] = Field(description="every place the extractor could not read, with its line")


class DeleteAnswer(BaseModel):
    source: str
    graph: str
    deleted: bool
    policies: int


@router.post("/documents", response_model=IngestAnswer, status_code=201, responses={
    200: {"description": "replaced a stored document of the same name", "model": IngestAnswer}, **_RESPONSES},
    summary="Ingest a disclosure (admin token): multipart `file`, or the raw body with ?filename=",
    openapi_extra={"requestBody": {"content": {
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "file": {"type": "string", "format": "binary"}}, "required": ["file"]}},
        "text/plain": {"schema": {"type": "string"}},
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
    }}})
async def post_document(
    request: Request, response: Response,
    filename: Annotated[str | None, Query(description="the file name, for a raw body (.txt, .md, .html)")] = None,
) -> IngestAnswer:
    authorise_update(request, settings_of(request), "uploading documents")
    name, data = _upload(request.headers.get("content-type", ""), await request.body(), filename)
    answer = await run_job(request, IngestJob(safe_filename(name), data), time_limit_ms=INGEST_TIME_LIMIT_MS)
    if answer.data["replaced"]:
        response.status_code = 200
    return IngestAnswer(**answer.data)


@router.delete("/documents/{source}", response_model=DeleteAnswer,
               responses={**_RESPONSES, 404: {"description": "no document of that name is stored"}},
               summary="Remove a stored document by its file name (admin token)")
async def delete_document(request: Request, source: str) -> DeleteAnswer:
    authorise_update(request, settings_of(request), "removing documents")
    answer = await run_job(request, DeleteJob(source), time_limit_ms=INGEST_TIME_LIMIT_MS)
    return DeleteAnswer(**answer.data)


def _upload(content_type: str, body: bytes, filename: str | None) -> tuple[str, bytes]:
    """(file name, bytes) of a multipart `file` part, or of a raw body (any content type: the
    extractor detects the encoding) named by ?filename=."""
    media = content_type.split(";")[0].strip().lower()
    if media == "multipart/form-data":
        return _multipart(content_type, body)
    if not filename:
        raise ApiError(400, "Bad Request", "send the file as multipart/form-data (field `file`), "
                       "or as the raw body with its name in ?filename=NAME.txt")
    return filename, body


def _multipart(content_type: str, body: bytes) -> tuple[str, bytes]:
    head = b"Content-Type: " + content_type.encode("latin-1", "replace") + b"\r\n\r\n"
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    parts = list(message.iter_parts()) if message.is_multipart() else []
    for part in parts:
        if part.get_param("name", header="content-disposition") == "file":
            data = part.get_payload(decode=True)
            if not part.get_filename():
                raise ApiError(400, "Bad Request", "the `file` part has no file name")
            return part.get_filename(), data if isinstance(data, bytes) else b""
    raise ApiError(400, "Bad Request", "the multipart body has no `file` part")


def safe_filename(name: str) -> str:
    """The last path component of `name`, each character that is not a letter, a digit or one of
    - _ . ( ) [ ] replaced by _, no leading dot; 400 when nothing usable or no disclosure suffix.

    >>> safe_filename("../../etc/passwd.txt")
    'passwd.txt'
    >>> safe_filename("C:\\\\报告\\\\2026年 部门预算<script>.html")
    '2026年_部门预算_script_.html'
    """
    base = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch if ch.isalnum() or ch in _NAME_MARKS else "_" for ch in base).lstrip(".")
    if not cleaned.strip("._") or len(cleaned) > MAX_NAME:
        raise ApiError(400, "Bad Request", f"the file name {name!r} cannot be used: give a plain name "
                       f"of at most {MAX_NAME} characters")
    if not cleaned.lower().endswith(SUFFIXES):
        raise ApiError(400, "Bad Request", f"the file name must end with one of {', '.join(SUFFIXES)}")
    return cleaned
