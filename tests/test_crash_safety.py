"""Crash safety: `budgetkg ingest` killed with SIGKILL at random points loses nothing it held.

Each run starts the installed `budgetkg ingest` on copies of the seeds, kills it with SIGKILL after
a random (seeded) delay, and then checks the store it left:

- it opens (read-only, as `serve` would, and for writing, which recovers unfinished writes);
- every document is wholly in (its graph equals the reference ingest's graph, and its triple count
  equals the catalog's) or wholly absent; no graph is left without a catalog entry;
- a second, complete ingest gives exactly the store a clean ingest gives.

Half the runs start from an empty store, half from a complete one that the killed run was
re-ingesting (the replace path). docs/reliability.md has the figures of these runs.
"""

from __future__ import annotations

import gc
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from budgetkg.graph.map_policies import POLICIES_GRAPH
from budgetkg.graph.store import CATALOG, GraphStore
from budgetkg.ontology.namespace import BK
from conftest import SEEDS

BIN = Path(sys.executable).with_name("budgetkg")
DOCUMENTS = {  # name in the batch -> seed it copies
    "001.txt": "001_8417803c525f72fe.txt", "002.txt": "002_1b38d3c3a02d2878.txt",
    "003.txt": "003_b734d3efdd82c317.txt", "004.txt": "004_1402e20b80f22cb8.txt",
    "102.txt": "002_1b38d3c3a02d2878.txt", "104.txt": "004_1402e20b80f22cb8.txt",
}
RUNS = 6
SEED = 20260901
# Ways of writing: the default batches, then one document per bulk load (more kill points).
OPTIONS = ([], ["--batch-triples", "1"], ["-j", "1", "--batch-triples", "1"])

pytestmark = pytest.mark.skipif(
    not all((SEEDS / s).exists() for s in DOCUMENTS.values()) or not BIN.exists(),
    reason="needs ../shared/seeds and the installed budgetkg command")

Snapshot = dict[str, frozenset[ox.Quad]]  # graph IRI -> its quads; the default graph as ""


def _snapshot(path: Path, *, read_only: bool) -> Snapshot:
    """The store's contents; opened for writing, it first recovers unfinished writes."""
    store = GraphStore(path, read_only=read_only)
    graphs: dict[str, set[ox.Quad]] = defaultdict(set)
    for q in store.quads():
        assert not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode), (
            "blank nodes: compare graphs by isomorphism instead")
        graphs["" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value].add(q)
    del store
    gc.collect()  # release the store's lock before the next process opens it
    return {g: frozenset(quads) for g, quads in graphs.items()}


def _catalog(snapshot: Snapshot) -> tuple[dict[str, int], set[str]]:
    """Complete catalog entries (graph -> triple count) and graphs marked as being written."""
    counts, marked = {}, set()
    for quad in snapshot.get(CATALOG, ()):
        if quad.predicate.value == str(BK.tripleCount):
            counts[quad.subject.value] = int(quad.object.value)
        elif quad.predicate.value == str(BK.beingWritten):
            marked.add(quad.subject.value)
    return counts, marked


def _ingest(corpus: Path, store: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), "ingest", str(corpus), "--store", str(store), "-q", *options],
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("crash_corpus")
    for name, seed in DOCUMENTS.items():
        shutil.copyfile(SEEDS / seed, folder / name)
    return folder


@pytest.fixture(scope="module")
def reference(tmp_path_factory, corpus) -> tuple[Path, Snapshot, float]:
    """A clean ingest: its store, its contents, and how long it took."""
    store = tmp_path_factory.mktemp("crash_reference") / "store"
    started = time.monotonic()
    done = _ingest(corpus, store)
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    snapshot = _snapshot(store, read_only=True)
    counts, marked = _catalog(snapshot)
    assert not marked and len(counts) == len(DOCUMENTS) + 1  # the documents and the policies graph
    return store, snapshot, seconds


def _kill_after(corpus: Path, store: Path, delay: float, options: list[str]) -> int | None:
    """Start an ingest, SIGKILL it after `delay` s; its exit status if it finished first."""
    proc = subprocess.Popen([str(BIN), "ingest", str(corpus), "--store", str(store), "-q", *options],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        return proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)  # the ingest process itself, as the OOM killer would
        proc.wait()
        return None
    finally:
        try:  # then its extraction workers, which it started in its own session
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _check_left_store(snapshot: Snapshot, reference: Snapshot, *, recovered: bool) -> int:
    """Every document wholly in or wholly absent; the number wholly in."""
    counts, marked = _catalog(snapshot)
    if recovered:
        assert not marked, f"marks left after recovery: {marked}"
        stray = set(snapshot) - set(counts) - {CATALOG}
        assert not stray, f"graphs without a catalog entry: {stray}"
    for graph, count in counts.items():
        assert len(snapshot.get(graph, ())) == count, graph
        if graph != POLICIES_GRAPH:  # the policies graph depends on which documents are in
            assert snapshot.get(graph, frozenset()) == reference[graph], graph
    return sum(1 for g in counts if g != POLICIES_GRAPH)


def test_ingest_killed_at_random_points_leaves_every_document_wholly_in_or_absent(tmp_path, corpus, reference):
    ref_store, ref_snapshot, ref_seconds = reference
    rng = random.Random(SEED)
    report = []
    for run in range(RUNS):
        store = tmp_path / f"run{run}"
        replacing = run % 2 == 1
        if replacing:  # a complete store, being re-ingested when the kill comes
            shutil.copytree(ref_store, store)
        delay = rng.uniform(0.3, 1.1) * ref_seconds
        options = OPTIONS[run % len(OPTIONS)]
        finished = _kill_after(corpus, store, delay, options)
        if not store.exists():
            report.append((run, round(delay, 2), "killed before the store was created"))
        else:
            seen = _snapshot(store, read_only=True)  # as a reader finds it, before any recovery
            in_before = _check_left_store(seen, ref_snapshot, recovered=False)
            after = _snapshot(store, read_only=False)
            in_after = _check_left_store(after, ref_snapshot, recovered=True)
            marked = _catalog(seen)[1]
            assert in_after == in_before and not marked & set(after), "recovery lost or kept the wrong graphs"
            report.append((run, "replace" if replacing else "empty", " ".join(options) or "default",
                           f"{delay:.2f} s", "finished" if finished is not None else "killed",
                           f"{in_after}/{len(DOCUMENTS)} in", f"{len(marked)} marked graph(s) recovered"))
        done = _ingest(corpus, store)
        assert done.returncode == 0, done.stderr
        final = _snapshot(store, read_only=True)
        assert final == ref_snapshot, f"run {run}: the re-run ingest differs from a clean ingest"
        shutil.rmtree(store)
    print(f"\nreference ingest {ref_seconds:.1f} s;", *report, sep="\n  ")
