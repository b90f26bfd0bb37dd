"""Extraction throughput on the seeds, in-process, one core: MB/s of input text.

    .venv/bin/python benchmarks/extract_throughput.py [--repeat N] [FILE_OR_DIR ...]

Reads each file once (I/O is not timed), then times `parse_layout` + `extract_document` over all
files, N times, and prints the median, best and worst MB/s with per-file figures.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

from budgetkg.extract.layout import parse_layout
from budgetkg.extract.pipeline import expand_inputs, extract_document
from budgetkg.extract.read import read_text

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def _load(paths: list[str]) -> list[tuple[str, str, int]]:
    out = []
    for p in paths:
        text, encoding = read_text(p)
        out.append((Path(p).name, text, len(text.encode(encoding if encoding != "utf-8-sig" else "utf-8"))))
    return out


def _clear_caches() -> None:
    """Forget memoized labels and values, so repeated runs measure unseen documents.

    Vocabulary loaders (lru_cache(maxsize=1): the CSV files, the patterns built from them) are
    kept: a process loads them once whatever the number of documents it reads."""
    import functools
    import gc

    for obj in gc.get_objects():
        if isinstance(obj, functools._lru_cache_wrapper) and (obj.cache_parameters()["maxsize"] or 0) > 1:
            obj.cache_clear()


def _time_one(name: str, text: str) -> float:
    start = time.perf_counter()
    extract_document(parse_layout(text, name))
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="*", default=[str(DEFAULT)])
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args(argv)
    docs = _load(expand_inputs(args.inputs))
    total_bytes = sum(size for _, _, size in docs)
    runs = []
    per_file = {name: [] for name, _, _ in docs}
    for _ in range(args.repeat):
        _clear_caches()
        elapsed = 0.0
        for name, text, _ in docs:
            t = _time_one(name, text)
            per_file[name].append(t)
            elapsed += t
        runs.append(total_bytes / elapsed / 1e6)
    print(f"{len(docs)} files, {total_bytes / 1e6:.3f} MB, {args.repeat} runs")
    print(f"python {platform.python_version()} at {Path(sys.executable).resolve()}")
    for name, _, size in docs:
        print(f"  {name}: {size / 1e3:.1f} kB, median {statistics.median(per_file[name]) * 1e3:.1f} ms")
    print(f"throughput MB/s: median {statistics.median(runs):.2f}, best {max(runs):.2f}, worst {min(runs):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
