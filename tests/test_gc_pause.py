"""The cyclic collector is paused while a document is read, and always resumed as it was."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

from budgetkg.extract.gc_pause import gc_paused
from budgetkg.extract.layout import parse_layout
from budgetkg.extract.pipeline import extract_document
from budgetkg.extract.read import read_text
from conftest import SEEDS


@pytest.fixture
def collector_enabled():
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_reading_the_seeds_leaves_no_reference_cycles_for_the_paused_collector_to_miss(
    collector_enabled,
):
    gc.collect()
    gc.disable()  # nothing is collected behind our back: every cycle made below stays to count
    try:
        for path in sorted(Path(SEEDS).glob("*.txt")):
            text, encoding = read_text(path)
            extract_document(parse_layout(text, path.name, encoding=encoding))
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_the_collector_runs_again_after_extraction_even_when_it_fails(collector_enabled):
    with pytest.raises(AttributeError):
        extract_document(None)  # type: ignore[arg-type]
    assert gc.isenabled()


def test_a_collector_the_caller_disabled_stays_disabled():
    was = gc.isenabled()
    gc.disable()
    try:
        paused = gc_paused(gc.isenabled)
        assert paused() is False
        assert not gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


def test_overlapping_pauses_in_threads_resume_the_collector_once_the_last_returns(
    collector_enabled,
):
    inside, release = threading.Event(), threading.Event()

    @gc_paused
    def long_read() -> None:
        inside.set()
        release.wait(10)

    worker = threading.Thread(target=long_read)
    worker.start()
    assert inside.wait(10)
    assert (
        gc_paused(gc.isenabled)() is False
    )  # a short read in this thread, while the long one runs
    assert not gc.isenabled()  # the long read is still going: the short one did not resume it
    release.set()
    worker.join(10)
    assert gc.isenabled()
