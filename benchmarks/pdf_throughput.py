"""PDF extraction throughput: pages per second, in-process, one core.

    .venv/bin/python benchmarks/pdf_throughput.py [--pages N] [--repeat R] [--compare]

Builds an N-page disclosure PDF with reportlab (tests/pdfbuild.py: one 项目支出绩效目标表 per
page, ruled, merged and wrapped cells, running header and page numbers), then times
`load_document` (pdfplumber: tables, lines, furniture → Document) and `extract_document`
(the unchanged pipeline) R times and prints the median, best and worst pages/s of each, by
wall time and, for the whole, by CPU time (which other load on the machine does not inflate).
With --compare it also times, on the same file, pdfplumber's plain `extract_text` and
pypdfium2's text extraction (installed with pdfplumber): the cost of reading tables as tables.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from budgetkg.extract.load import load_document
from budgetkg.extract.pipeline import extract_document
from pdfbuild import project_pdf, sample_project


def build(path: Path, pages: int) -> Path:
    """One project table per page, each a little different so nothing is memoized across pages."""
    specs = [sample_project(f"院士工作站建设{i:03d}") for i in range(pages)]
    return project_pdf(path, specs, new_pages=True)


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def _stats(label: str, pages: int, seconds: list[float]) -> str:
    rates = [pages / s for s in seconds]
    return (
        f"{label}: median {statistics.median(rates):.1f} pages/s "
        f"(best {max(rates):.1f}, worst {min(rates):.1f}; median {statistics.median(seconds) * 1e3:.0f} ms)"
    )


def measure(path: Path, repeat: int) -> tuple[int, dict[str, list[float]]]:
    times: dict[str, list[float]] = {
        "read": [],
        "extract": [],
        "read+extract": [],
        "read+extract, CPU time": [],
    }
    pages = 0
    for _ in range(repeat):
        cpu = time.process_time()  # apart from wall time: the machine may be shared
        t_read, doc = _timed(lambda: load_document(path))
        t_extract, record = _timed(lambda doc=doc: extract_document(doc))
        times["read"].append(t_read)
        times["extract"].append(t_extract)
        times["read+extract"].append(t_read + t_extract)
        times["read+extract, CPU time"].append(time.process_time() - cpu)
        pages = len({row.line // 1000 for row in doc.rows})
        assert len(record.performance_projects) == pages, "every page's table must be read"
    return pages, times


def compare(path: Path, repeat: int) -> dict[str, list[float]]:
    """Plain text extraction by pdfplumber and by pypdfium2, for scale."""
    import pdfplumber
    import pypdfium2

    def plumber_text():
        with pdfplumber.open(path) as pdf:
            return [page.extract_text() for page in pdf.pages]

    def pdfium_text():
        pdf = pypdfium2.PdfDocument(str(path))
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]

    return {
        "pdfplumber extract_text (no tables)": [_timed(plumber_text)[0] for _ in range(repeat)],
        "pypdfium2 text (no tables)": [_timed(pdfium_text)[0] for _ in range(repeat)],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--compare", action="store_true", help="also time plain text extraction")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = build(Path(tmp) / "bench.pdf", args.pages)
        size = path.stat().st_size
        pages, times = measure(path, args.repeat)
        print(f"{pages} pages, {size / 1e3:.0f} kB, {args.repeat} runs")
        for label, seconds in times.items():
            print("  " + _stats(label, pages, seconds))
        if args.compare:
            for label, seconds in compare(path, args.repeat).items():
                print("  " + _stats(label, pages, seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
