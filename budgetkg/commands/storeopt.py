"""The --store option every command that uses the graph store shares."""

from __future__ import annotations

import argparse

from budgetkg.graph.store import DEFAULT_STORE, STORE_ENV, GraphStore, store_location


def add_store_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--store",
        metavar="DIR",
        default=None,
        help=f"store directory (default: ${STORE_ENV}, else ./{DEFAULT_STORE})",
    )


def open_store(args: argparse.Namespace, *, read_only: bool) -> GraphStore:
    """The store the arguments name; raises StoreError with a message for the user."""
    return GraphStore(store_location(args.store), read_only=read_only)
