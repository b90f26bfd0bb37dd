"""PDF input end to end: `budgetkg extract` and `budgetkg ingest` on a PDF, run for real."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from budgetkg.extract.pdf import page_line
from budgetkg.extract.pipeline import extract_file
from budgetkg.graph.mapping import record_to_graph
from budgetkg.ontology import load_ontology, load_shapes
from pdfbuild import project_pdf, sample_project
from pyshacl import validate

BK = [sys.executable, "-m", "budgetkg.cli"]
SPECS = (sample_project(extra_kpis=12), sample_project("服务院士工作经费"))


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(BK + list(args), check=False, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    return project_pdf(folder / "科协2026.pdf", SPECS, break_at={0: 24})


def test_extract_writes_the_record_of_a_pdf_found_in_a_folder(pdf, tmp_path):
    out = tmp_path / "records.json"
    result = _run("extract", str(pdf.parent), "--json", str(out), "-q")
    assert result.returncode == 0, result.stderr
    [record] = json.loads(out.read_text("utf-8"))
    assert (record["source"], record["layout"]) == ("科协2026.pdf", "pdf")
    projects = record["performance_projects"]
    assert [p["name"] for p in projects] == [s.name for s in SPECS]
    assert [c["doc_number"] for c in projects[0]["legal_bases"]] == [
        n for _, n in SPECS[0].citations
    ]
    assert record["page_lines"][str(projects[1]["line"])]["page"] == 2


def test_ingest_stores_a_pdf_and_trace_finds_its_projects_by_page_and_line(pdf, tmp_path):
    store = tmp_path / "store"
    ingest = _run("ingest", str(pdf), "--store", str(store), "-q")
    assert ingest.returncode == 0, ingest.stderr
    trace = _run("trace", "晋政办发〔2017〕59号", "--store", str(store), "--json")
    assert trace.returncode == 0, trace.stderr
    links = json.loads(trace.stdout)[0]["links"]
    assert sorted(link["name"] for link in links) == sorted(s.name for s in SPECS)
    first = next(link for link in links if link["name"] == SPECS[0].name)
    assert first["source"] == "科协2026.pdf" and page_line(first["line"])[0] == 1


def test_a_scan_is_rejected_by_ingest_with_its_reason(tmp_path):
    from pdfbuild import scan_pdf

    scan = scan_pdf(tmp_path / "scan.pdf", pages=1)
    result = _run("ingest", str(scan), "--store", str(tmp_path / "store"), "-q")
    assert result.returncode == 1
    assert "scan.pdf" in result.stderr and "OCR" in result.stderr


def test_the_graph_of_a_pdf_conforms_to_the_shapes(pdf):
    data = record_to_graph(extract_file(pdf)) + load_ontology()
    ok, _, text = validate(data, shacl_graph=load_shapes(), inference="none")
    assert ok, text
