"""Limits per document (time, file size, worker memory): the document over a limit is rejected
with a reason naming the option that raises it, its worker is replaced, the others go in.

The inputs are real: a disclosure four or ten times the largest seed takes seconds and hundreds
of MB to extract, so small limits fire for real while the seeds stay well inside them.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from budgetkg.extract.pipeline import Failure
from budgetkg.extract.workers import Limits, _Pool, run_files
from budgetkg.graph.store import GraphStore
from conftest import SEEDS

from budgetkg.commands.jobsopt import _size

BIN = Path(sys.executable).with_name("budgetkg")
LARGEST = SEEDS / "000_68fd26f9b14cf4c3.txt"
SMALL = [SEEDS / "004_1402e20b80f22cb8.txt", SEEDS / "003_b734d3efdd82c317.txt"]


def _run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *map(str, args)], check=False, capture_output=True, text=True, timeout=600)


def _repeated(tmp_path: Path, times: int) -> Path:
    """The largest seed `times` over in one file (x4: 1 MB, ~2 s to ingest; x10: 2.4 MB, ~3.5 s)."""
    if not LARGEST.exists():
        pytest.skip("../shared/seeds is not beside the checkout")
    big = tmp_path / f"large_x{times}.txt"
    big.write_text(LARGEST.read_text("utf-8") * times, "utf-8")
    return big


def _stored(store: Path) -> list[str]:
    return sorted(d.source for d in GraphStore(store, read_only=True).documents())


def test_a_document_over_the_time_limit_is_rejected_and_the_later_ones_go_in(tmp_path):
    big = _repeated(tmp_path, 12)  # seconds of work, whatever the machine: far over the limit
    done = _run("ingest", SMALL[0], big, SMALL[1], "--store", tmp_path / "s", "--jobs", "1", "--timeout", "0.5")
    assert done.returncode == 1
    assert f"{big}: not done within the time limit of 0.5 s per document" in done.stderr
    assert "--timeout" in done.stderr
    # one worker: the file after the stopped one was read by its replacement
    assert "[3/3]" in done.stderr
    assert "(policies resolved across the corpus)" in _stored(tmp_path / "s")
    assert [s for s in _stored(tmp_path / "s") if s.endswith(".txt")] == sorted(p.name for p in SMALL)


def test_a_file_over_the_size_limit_is_rejected_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:
        fh.truncate(100 * 2**20)  # 100 MB of nothing (sparse): reading it would take 100 MB
    done = _run("ingest", huge, SMALL[0], "--store", tmp_path / "s")
    assert done.returncode == 1
    assert "huge.txt: the file is 100 MB, over the size limit of 64 MB per document; raise --max-bytes" \
        in done.stderr
    assert SMALL[0].name in _stored(tmp_path / "s")


def test_the_size_limit_is_an_option(tmp_path):
    done = _run("extract", LARGEST, SMALL[0], "--max-bytes", "100K", "--json", tmp_path / "r.json")
    assert done.returncode == 1
    assert f"{LARGEST}: the file is 0.2 MB, over the size limit of 0.1 MB" in done.stderr
    assert SMALL[0].name in (tmp_path / "r.json").read_text("utf-8")


def test_a_document_needing_more_memory_than_the_limit_is_rejected_and_the_others_go_in(tmp_path):
    """Mapped to N-Triples, the largest seed peaks at 115 MB of address space, ten times it at 360 MB."""
    big = _repeated(tmp_path, 10)
    done = _run("ingest", SMALL[0], big, LARGEST, "--max-memory", "200", "--jobs", "1", "--dry-run",
                "--store", tmp_path / "s")
    assert done.returncode == 1
    assert f"{big}: needs more than the memory limit of 200 MB per worker; raise --max-memory" in done.stderr
    assert f"[3/3] {LARGEST}: would store" in done.stderr


def pid_or_die(path: str) -> int:
    """A task for the pool: the worker's pid, or the worker killed outright on a file named 'die'
    (as the system's out-of-memory killer would)."""
    if Path(path).name == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    return os.getpid()


def test_a_worker_found_dead_while_handing_out_is_replaced_and_its_files_go_to_the_new_one():
    """The race CI met: the worker died on a file (its last messages not yet read) and the
    next file's hand-over finds its pipe closed. The replacement takes the files; else the
    pool had nothing out to wait for and stopped with a RuntimeError."""
    pool = _Pool(pid_or_die, 1, Limits())
    try:
        dead = pool.workers[0]
        dead.proc.kill()
        dead.proc.join()
        pool.paths.update({0: "a", 1: "b"})
        pool.todo.extend([0, 1])
        pool._hand_out()
        assert pool.workers[0] is not dead and list(pool.workers[0].queue) == [0, 1]
    finally:
        pool.close()


def test_a_worker_that_dies_is_replaced_and_the_later_files_still_run():
    results = list(run_files(pid_or_die, ["a", "b", "die", "c", "d"], jobs=1, limits=Limits()))
    assert isinstance(results[2], Failure) and results[2].path == "die"
    assert "killed by SIGKILL" in results[2].reason
    before, after = {results[0], results[1]}, {results[3], results[4]}
    assert len(before) == 1 and len(after) == 1 and before != after


@pytest.mark.parametrize("text, size", [("64M", 64 * 2**20), ("500K", 500 * 2**10), ("1G", 2**30),
                                        ("1234", 1234), ("0", 0), ("1.5m", 3 * 2**19)])
def test_sizes_are_read_in_bytes_or_with_a_unit(text, size):
    assert _size(text) == size


@pytest.mark.parametrize("text", ["", "M", "ten", "-1M"])
def test_a_size_that_is_not_one_is_refused(text):
    with pytest.raises(argparse.ArgumentTypeError):
        _size(text)
