"""`ingest --jobs` and `extract --jobs`: worker processes give the very store, records and
N-Quads one process gives, in input order, with the writer's memory bounded by its batches."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from budgetkg.extract.pipeline import extract_or_fail
from budgetkg.extract.workers import run_files
from conftest import SEEDS, seed_paths
from seedstore import build_seed_store

BIN = Path(sys.executable).with_name("budgetkg")
SMALL = SEEDS / "004_1402e20b80f22cb8.txt"


def _run(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *map(str, args)], check=False, capture_output=True, text=True, timeout=timeout)


def _quads(store_dir: Path) -> set[ox.Quad]:
    return set(ox.Store.read_only(str(store_dir)))


def _progress(stderr: str) -> list[str]:
    """The file named by each progress line, in the order printed."""
    return [Path(line.split(": ")[0].split("] ")[1]).name for line in stderr.splitlines() if line.startswith("[")]


@pytest.fixture(scope="module")
def one_job_store(tmp_path_factory) -> Path:
    """The seeds ingested by one worker, each document a batch of its own."""
    if not seed_paths():
        pytest.skip("../shared/seeds is not beside the checkout")
    store = tmp_path_factory.mktemp("one") / "store"
    done = _run("ingest", *seed_paths(), "--store", store, "--jobs", "1", "--batch-triples", "1")
    assert done.returncode == 0, done.stderr
    return store


def test_two_jobs_build_the_same_store_as_one(one_job_store, tmp_path):
    done = _run("ingest", *seed_paths(), "--store", tmp_path / "store", "--jobs", "2")
    assert done.returncode == 0, done.stderr
    assert _progress(done.stderr) == [p.name for p in seed_paths()]
    assert _quads(tmp_path / "store") == _quads(one_job_store)


def test_policies_resolved_while_writing_a_new_store_equal_those_read_back_from_it(one_job_store, tmp_path):
    """A new store gets the policies graph from the citations collected while writing; one that
    already holds documents from refresh_policies, which reads them back: the same graph."""
    library = build_seed_store(tmp_path / "library")  # ingest_many, then refresh_policies
    assert _quads(library) == _quads(one_job_store)
    again = _run("ingest", *seed_paths(), "--store", library, "-q")  # not new: refresh_policies
    assert again.returncode == 0, again.stderr
    assert _quads(library) == _quads(one_job_store)


def test_progress_follows_input_order_when_a_later_file_finishes_first(tmp_path):
    order = [SEEDS / "000_68fd26f9b14cf4c3.txt", SMALL, SEEDS / "003_b734d3efdd82c317.txt"]
    done = _run("ingest", *order, "--jobs", "2", "--dry-run", "--store", tmp_path / "s")
    assert done.returncode == 0, done.stderr
    assert _progress(done.stderr) == [p.name for p in order]
    assert [line.split("]")[0] for line in done.stderr.splitlines() if line.startswith("[")] == ["[1/3", "[2/3", "[3/3"]


def test_the_nquads_file_loads_into_the_quads_the_store_holds(one_job_store, tmp_path):
    out = tmp_path / "corpus.nq"
    done = _run("ingest", *seed_paths(), "--nquads", out, "--jobs", "2")
    assert done.returncode == 0, done.stderr
    loaded = ox.Store()
    loaded.bulk_load(path=str(out), format=ox.RdfFormat.N_QUADS)
    assert set(loaded) == _quads(one_job_store)
    assert not (tmp_path / "corpus.nq.partial").exists()


def test_a_second_file_of_the_same_name_replaces_in_a_store_and_is_rejected_in_nquads(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(SMALL, tmp_path / folder / "same.txt")
    twins = [tmp_path / "a" / "same.txt", tmp_path / "b" / "same.txt"]
    stored = _run("ingest", *twins, "--store", tmp_path / "store", "--jobs", "2")
    assert stored.returncode == 0, stored.stderr
    assert "store holds 1 disclosure(s)" in stored.stderr
    written = _run("ingest", *twins, "--nquads", tmp_path / "out.nq")
    assert written.returncode == 1
    assert "b/same.txt: cannot be written" in written.stderr and "rename one of them" in written.stderr


def test_two_jobs_extract_the_same_records_in_the_same_layout_as_one(tmp_path):
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"records-{jobs}.json"
        done = _run("extract", *reversed(seed_paths()), "--json", out, "--jobs", jobs)
        assert done.returncode == 0, done.stderr
        outs.append(out.read_text("utf-8"))
    assert outs[0] == outs[1]
    records = json.loads(outs[0])
    assert [r["source"] for r in records] == [p.name for p in reversed(seed_paths())]
    assert outs[0] == json.dumps(records, ensure_ascii=False, indent=1) + "\n"  # as before --jobs


_MEASURE = """
import sys, tracemalloc
from budgetkg.cli import build_parser, main
build_parser()  # imports every command's modules: their code is not the run's memory
import budgetkg.graph.nquads, budgetkg.graph.policy_graph
tracemalloc.start()
status = main(sys.argv[1:])
print(tracemalloc.get_traced_memory()[1])
sys.exit(status)
"""


def _writer_peak(corpus: Path, store: Path) -> int:
    """Peak bytes the writing process allocated (Python allocations: records, N-Triples,
    batches) while ingesting `corpus` with batches of 20,000 triples."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, "ingest", str(corpus), "--store", str(store), "--jobs", "2",
         "--batch-triples", "20000", "-q"], check=False, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def _corpus(folder: Path, copies: int) -> Path:
    folder.mkdir()
    text = SMALL.read_bytes()
    for i in range(copies):
        (folder / f"d{i:04d}.txt").write_bytes(text)
    return folder


def test_the_writer_memory_does_not_grow_with_the_corpus(tmp_path):
    """200 documents (550,000 triples, 120 MB of N-Triples) against 40: the writer holds one
    batch and a few documents in flight, never the corpus."""
    from budgetkg.graph.ingest import prepare_file

    small = _writer_peak(_corpus(tmp_path / "c40", 40), tmp_path / "s40")
    large = _writer_peak(_corpus(tmp_path / "c200", 200), tmp_path / "s200")
    extra = 160 * len(prepare_file(str(SMALL)).ntriples)  # what holding the extra documents would take
    # The peak varies by ~2 MB with how many documents are in flight when a batch is written.
    assert large - small < 0.05 * extra, (small, large, extra)
    assert large < 30 * 2**20, large


def test_the_pool_ends_whatever_the_number_of_files(tmp_path):
    """A batch that fills the window of files in flight exactly (8 with two workers) once hung
    at its end: the pool waited on idle workers instead of finding the input exhausted."""
    for count in range(1, 19):
        paths = [str(tmp_path / f"missing-{i}.txt") for i in range(count)]
        results = list(run_files(extract_or_fail, paths, jobs=2))
        assert [r.path for r in results] == paths
        assert all("cannot open" in r.reason for r in results)
