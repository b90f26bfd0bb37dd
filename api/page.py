"""The query page: an editor, a results table and the example queries, working offline.

Everything the page loads is served by this app from api/static/ (no CDN), and a Content
Security Policy of 'self' makes the browser refuse anything else, so the page cannot quietly
depend on the network. The script inserts every result value as text, never as HTML.
"""

from __future__ import annotations

from pathlib import Path

from budgetkg.api.runner import settings_of
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse
from starlette.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent / "static"
MAX_EXAMPLE_BYTES = 64 * 1024
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")

router = APIRouter(tags=["query page"])


@router.get("/", include_in_schema=False)
async def page() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": CSP})


@router.get("/examples", summary="Example queries offered on the query page")
async def examples(request: Request) -> JSONResponse:
    """The *.rq files of the examples folder: name, title (its first comment line), query."""
    return JSONResponse(list_examples(Path(settings_of(request).examples_dir)))


@router.get("/health", summary="Liveness: the server answers")
async def health(request: Request) -> dict:
    return {"status": "ok", "read_only": not settings_of(request).writable}


def list_examples(folder: Path) -> list[dict[str, str]]:
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.rq")):
        if not path.is_file() or path.stat().st_size > MAX_EXAMPLE_BYTES:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found.append({"name": path.stem, "title": _title(text) or path.stem, "query": text})
    return found


def _title(text: str) -> str:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            title = stripped.lstrip("#").strip()
            if title:
                return title
        elif stripped:
            return ""
    return ""


def static_files() -> StaticFiles:
    return StaticFiles(directory=STATIC)
