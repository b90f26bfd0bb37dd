"""`budgetkg serve`: the SPARQL endpoint and query page over HTTP, on the embedded store or a SPARQL server."""

from __future__ import annotations

import argparse
import sys

from budgetkg.api.settings import SETTINGS, SettingsError, load_settings

NAME = "serve"
HELP = "serve the store over HTTP: SPARQL 1.1 endpoint (/sparql) and query page (/)"
DESCRIPTION = (
    "Serve the store with a SPARQL 1.1 Protocol endpoint at /sparql and a query page at /. "
    "Safe by default: read-only, loopback only, no SERVICE or LOAD, a time limit, a row limit and "
    "a body size limit. Each option can also be set by the environment variable shown; "
    "BUDGETKG_ADMIN_TOKEN (environment only) enables SPARQL Update for bearers of the token. "
    "See docs/api.md."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    for s in SETTINGS:
        if not s.cli:
            continue
        shown = s.default if s.default != "" else "none"
        help_text = f"{s.help} (default: ${s.env}, else {shown})"
        if s.type is bool:
            p.add_argument(s.flag, dest=s.name, action=argparse.BooleanOptionalAction,
                           default=None, help=help_text)
        else:
            p.add_argument(s.flag, dest=s.name, type=s.type, default=None,
                           metavar=s.name.upper(), help=help_text)


def run(args: argparse.Namespace) -> int:
    from budgetkg.api.app import create_app, make_engine

    try:
        settings = load_settings({s.name: getattr(args, s.name, None) for s in SETTINGS})
    except SettingsError as exc:
        print(f"budgetkg: serve: {exc}", file=sys.stderr)
        return 2
    engine = make_engine(settings).start()
    try:
        return _serve(create_app(settings, engine=engine), settings)
    finally:
        engine.close()


def _serve(app, settings) -> int:
    import uvicorn

    mode = "read-write (SPARQL Update with the admin token)" if settings.writable else "read-only"
    print(f"budgetkg: serving {settings.store} {mode} at http://{_host(settings.host)}:{settings.port}/",
          file=sys.stderr)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level,
                server_header=False)
    return 0


def _host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
