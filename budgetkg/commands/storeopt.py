"""The --store option every command that uses the graph store shares."""

from __future__ import annotations

import argparse

from budgetkg.graph.remote_store import GSP_ENV, PASSWORD_ENV, UPDATE_ENV, USER_ENV
from budgetkg.graph.store import DEFAULT_STORE, STORE_ENV
from budgetkg.graph.store_api import Store, open_location

STORE_HELP = (
    f"store directory, or the query endpoint URL of a SPARQL 1.1 server (Oxigraph server: "
    f"http://HOST:7878/query; Virtuoso: http://HOST:8890/sparql; others also need ${UPDATE_ENV} "
    f"and ${GSP_ENV} to write); credentials from ${USER_ENV} and ${PASSWORD_ENV}, never the URL "
    f"(default: ${STORE_ENV}, else ./{DEFAULT_STORE})"
)


def add_store_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", metavar="DIR_OR_URL", default=None, help=STORE_HELP)


def open_store(args: argparse.Namespace, *, read_only: bool) -> Store:
    """The store the arguments name; raises StoreError with a message for the user."""
    return open_location(args.store, read_only=read_only)
