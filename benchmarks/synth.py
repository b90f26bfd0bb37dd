"""A synthetic corpus of budget disclosures, each with the record the extractor must read back.

    .venv/bin/python benchmarks/synth.py --docs N --seed S --out DIR [--layouts tsv,p,md,pdftotext]

writes DIR/<name>.txt and DIR/expected/<name>.json (one document each, in the extraction format,
so ../shared/tools/score.py reads it) and prints what it wrote and how fast.

Why synthetic: five seeds cannot measure scale, and copies of them (benchmarks/corpus.py) repeat
the same text. Here every document has its own department (place, agency, level, year), budget,
2–30 项目支出绩效目标表 with their KPIs, and 立项依据 citing a pool of policies drawn with a Zipf
law, so a few policies are cited across many departments and most only a few times — the shape
the trace and policy queries meet in a real corpus.

The text is laid out the way the seeds' converters wrote it (tab-separated tables; the same with
<p>-wrapped cells; markdown headings; pdftotext pages with running headers, doubled glyphs and
wrapped text), modelled on their structure but with generated words and figures. Document i of a
seed is a pure function of (seed, i): `random.Random("budgetkg-synth:{seed}:doc:{i}")`, no global
state, so the same seed gives byte-identical files and a corpus can be streamed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the synth_* helpers beside this file

from synth_content import Content, Funds, Project, content
from synth_policies import Cite, policy_pool
from synth_render import LAYOUTS, Style, render_pdftotext, render_tabbed
from synth_tables import (
    blocks,
    carried,
    function_rows,
    function_totals,
    project_lines,
)  # fmt: skip
from synth_words import FUNCTION_NAMES

__all__ = ["LAYOUTS", "SynthDoc", "expected_record", "generate", "render", "stream", "write_corpus"]


@dataclass(frozen=True)
class SynthDoc:
    """One generated disclosure: its file name, layout, text and the record it must yield."""

    source: str
    layout: str
    text: str
    expected: dict


def stream(
    count: int, seed: int, layouts: Sequence[str] = LAYOUTS, start: int = 0
) -> Iterator[SynthDoc]:
    """Documents start … start+count-1 of the corpus `seed`, one at a time (memory stays flat).

    Layouts are taken in turn, so any run of len(layouts) documents has each of them.
    """
    bad = [x for x in layouts if x not in LAYOUTS]
    if bad or not layouts:
        raise ValueError(f"unknown layouts {bad}; choose from {', '.join(LAYOUTS)}")
    pool = policy_pool(seed)
    for i in range(start, start + count):
        yield render(content(i, seed, pool), seed, layouts[i % len(layouts)])


def generate(count: int, seed: int, layouts: Sequence[str] = LAYOUTS) -> list[SynthDoc]:
    """The whole corpus in memory (for tests; use `stream` for large ones)."""
    return list(stream(count, seed, layouts))


def render(c: Content, seed: int, layout: str) -> SynthDoc:
    """The text of `c` in `layout`, and the record it must yield."""
    import random

    style = Style.draw(random.Random(f"budgetkg-synth:{seed}:style:{c.index}"))
    parts = blocks(c, style.commas)
    if layout == "pdftotext":
        lines, anchors = render_pdftotext(parts, style, f"{c.dept.name}{c.dept.year}年度部门预算")
    else:
        lines, anchors = render_tabbed(parts, style, layout)
    source = f"synth{seed}_{c.index:06d}_{layout}.txt"
    return SynthDoc(source, layout, "\n".join(lines) + "\n", expected_record(c, source, anchors))


# --- the expected record ---------------------------------------------------------------------
def expected_record(c: Content, source: str, lines: Sequence[int]) -> dict:
    """What the extractor must read from the document, in the extraction format."""
    d = c.dept
    return {
        "source": source,
        "department": {"name": d.name, "code": d.code, "year": d.year, "level": d.level},
        "totals": _totals(c),
        "expenditure_by_function": [
            {
                "code": code,
                "name": FUNCTION_NAMES[code],
                "total": _wan(b + p),
                "basic": _wan(b),
                "project": _wan(p),
            }
            for code, b, p in function_rows(c.budget, True)
        ],
        "project_budget_lines": [
            {"name": name, "amount": _wan(a), "table": table}
            for table, current in (("current", True), ("carryover", False))
            for _, name, a in project_lines(c, current)
        ],
        "department_kpis": [],
        "performance_projects": [_project(p, c, line) for p, line in zip(c.projects, lines)],
    }


def _wan(hundredths: int) -> float | None:
    return hundredths / 100 if hundredths else None


def _totals(c: Content) -> dict:
    b = c.budget
    basic, project = function_totals(b, True)
    carry = carried(b)
    vehicle = b.vehicle_purchase + b.vehicle_operation
    return {
        "income_total": _wan(basic + project),
        "income_this_year": _wan(basic + project - carry),
        "carryover": _wan(carry),
        "expenditure_basic": _wan(basic),
        "expenditure_project": _wan(project),
        "three_public": _wan(b.overseas + b.reception + vehicle),
        "official_reception": _wan(b.reception),
        "vehicle": _wan(vehicle),
        "overseas": _wan(b.overseas),
        "office_operation": _wan(sum(b.office.values())),
        "procurement_total": b.procurement / 100,
    }


def _project(p: Project, c: Content, line: int) -> dict:
    return {
        "name": p.name,
        "line": line,
        "supervising_dept": c.dept.name,
        "supervising_code": c.dept.code,
        "implementing_unit": p.unit,
        "attribute": p.attribute,
        "period": p.period,
        "total_funds_yuan": p.period_funds.total,
        "annual_funds_yuan": p.annual_funds.total,
        "annual_funds_by_source_yuan": _sources(p.annual_funds),
        "period_funds_by_source_yuan": _sources(p.period_funds),
        "legal_bases": [_cite(x) for x in p.bases],
        "other_citations": [_cite(x) for x in p.measures],
        "period_kpis": [_kpi(g, n, v) for g in p.kpis for n, v in g.period],
        "annual_kpis": [_kpi(g, n, v) for g in p.kpis for n, v in g.annual],
    }


def _sources(f: Funds) -> dict:
    return {
        "central": f.central,
        "provincial": f.provincial,
        "city_county": f.city_county,
        "self_raised": f.self_raised,
        "other": None,
    }


def _cite(x: Cite) -> dict:
    return {"title": x.policy.title, "doc_number": x.policy.doc_number, "raw": x.raw}


def _kpi(g, name: str, value: str) -> dict:
    return {"level1": g.level1, "level2": g.level2, "level3": name, "value": value}


# --- writing -------------------------------------------------------------------------------
def write_corpus(docs: Iterable[SynthDoc], out: Path) -> tuple[int, int]:
    """Write each document and its expected record; returns (documents, bytes of text)."""
    (out / "expected").mkdir(parents=True, exist_ok=True)
    count = size = 0
    for doc in docs:
        data = doc.text.encode("utf-8")
        (out / doc.source).write_bytes(data)
        record = json.dumps(doc.expected, ensure_ascii=False, indent=1) + "\n"
        (out / "expected" / (Path(doc.source).stem + ".json")).write_text(record, encoding="utf-8")
        count, size = count + 1, size + len(data)
    return count, size


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a synthetic corpus of budget disclosures with expected records."
    )
    parser.add_argument("--docs", type=int, required=True, help="number of documents")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (same seed → same files)")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument(
        "--layouts", default=",".join(LAYOUTS), help=f"comma-separated, of {','.join(LAYOUTS)}"
    )
    args = parser.parse_args(argv)
    layouts = [x.strip() for x in args.layouts.split(",") if x.strip()]
    started = time.perf_counter()
    try:
        count, size = write_corpus(stream(args.docs, args.seed, layouts), args.out)
    except ValueError as err:
        parser.error(str(err))
    seconds = time.perf_counter() - started
    print(
        f"{count} documents, {size / 1e6:.1f} MB of text in {seconds:.1f} s "
        f"({count / seconds:.0f} docs/s, {size / 1e6 / seconds:.1f} MB/s) → {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
