"""A store of the real seed disclosures for the REST and documents API tests.

Built the way `budgetkg ingest` builds one: graph.ingest.ingest_many, then the policies graph
refreshed across the corpus; closed again before a server opens it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from budgetkg.graph.ingest import Rejected, ingest_many
from budgetkg.graph.policy_graph import refresh_policies
from budgetkg.graph.store import GraphStore
from conftest import seed_paths


def build_seed_store(path: Path, seeds: list[Path] | None = None) -> Path:
    """A store at `path` holding `seeds` (default: every seed); skips when the seeds are absent."""
    seeds = seed_paths() if seeds is None else seeds
    if not seeds:
        pytest.skip("../shared/seeds is not beside the checkout")
    store = GraphStore(path)
    rejected = [o for o in ingest_many(store, seeds) if isinstance(o, Rejected)]
    assert not rejected, rejected
    refresh_policies(store)
    store.flush()
    del store
    return path
