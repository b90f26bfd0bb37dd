"""Bad input: every file gets a clear result, and the rest of its batch is unaffected.

The corpus is generated here, in the test's temporary folder (no committed binaries): an empty
file, binary files, a seed cut off mid-table and mid-character, GBK and mixed encodings, markup
and script in a 项目名称 cell, tables with shifted and missing columns, a document without
performance tables, the same project twice, a 10 MB single-line file and (once ingest has its
per-document limits) a 100 MB file. Each file is either extracted with its issues listed (line,
reason) or rejected with a reason; none raises, and none is rejected as an "internal error".

docs/reliability.md gives the table of these inputs, their outcomes and the figures measured.
"""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from budgetkg.extract.model import Record
from budgetkg.extract.pipeline import Failure, extract_file, extract_many
from budgetkg.extract.record_json import record_to_dict
from budgetkg.graph.ingest import Ingested, Rejected, ingest_many
from budgetkg.graph.iri import graph_iri
from budgetkg.graph.store import GraphStore
from conftest import SEEDS

BIN = Path(sys.executable).with_name("budgetkg")
BASE = SEEDS / "004_1402e20b80f22cb8.txt"  # the smallest seed (pdftotext layout, 3 tables)
GOOD = SEEDS / "003_b734d3efdd82c317.txt"  # the good document of every batch
NAME_ROW = " 项目名称 科技创新券\n"  # the 项目名称 row of BASE's first performance table
SECOND_TABLE = " 项目名称 科技工作运行经费\n"

pytestmark = pytest.mark.skipif(not BASE.exists(), reason="../shared/seeds is not beside the checkout")

# A reason that names a per-document limit (size or time), as ingest's limits should word it.
LIMIT_REASON = re.compile(r"limit|exceed|larger than|too (?:large|big|long)|time[ds]? ?out|--max-", re.IGNORECASE)


def _base() -> str:
    return BASE.read_text("utf-8")


def _lines_before(text: str, marker: str) -> list[str]:
    return text[: text.index(marker)].split("\n")


# --- the corpus ----------------------------------------------------------------------------
def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + random.Random(2).randbytes(300)


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("disclosure.txt", _base())
    return buf.getvalue()


def _random_bytes() -> bytes:
    return random.Random(1).randbytes(64 * 1024)


def _high_bytes() -> bytes:
    """Bytes that all read as GB18030 pairs, none of them text: a GB18030 decoder accepts them."""
    return bytes(random.Random(2).choices(range(0x81, 0xFF), k=8 * 1024))


def _truncated_mid_table() -> bytes:
    """Cut inside the indicators of the second table, at a line boundary."""
    text = _base()
    start = text.index(SECOND_TABLE)
    cut = text.index("\n", text.index("数量指标", start))
    return text[:cut].encode()


def _truncated_mid_character() -> bytes:
    data = _base().encode()
    return data[: data.index("科技工作运行经费".encode()) + 1]


def _gbk() -> bytes:
    return _base().encode("gbk")


def _mixed() -> bytes:
    """A UTF-8 file with one GBK line pasted in at line 51."""
    lines = _base().split("\n")
    return ("\n".join(lines[:50]) + "\n").encode() + "项目名称 科技创新券".encode("gbk") + (
        "\n" + "\n".join(lines[50:])).encode()


HOSTILE_NAME = ("科技创新券&lt;script&gt;alert(1)&lt;/script&gt;<script>steal()</script>"
                "<b onclick=\"x()\">甲</b>&amp;javascript:alert(2)")
HOSTILE_KEPT = "科技创新券<script>alert(1)</script>甲&javascript:alert(2)"


def _markup() -> bytes:
    """Markup and script in a 项目名称 cell: entities decode to text, real tags are markup."""
    text = _base()
    assert text.count(NAME_ROW) == 1
    return text.replace(NAME_ROW, f" 项目名称 {HOSTILE_NAME}\n").encode()


LEGAL_BASIS = "立项依据 《山西省科技创新券实施管理办法（试行）》"


def _citation_of_marks_alone() -> bytes:
    """《〈》 in a 立项依据: once a citation naming nothing, on which policy resolution crashed."""
    text = _base()
    assert text.count(LEGAL_BASIS) == 1
    return text.replace(LEGAL_BASIS, "立项依据 《〈》《山西省科技创新券实施管理办法（试行）》").encode()


def _no_performance_tables() -> bytes:
    text = _base()
    return text[: text.index(NAME_ROW)].encode()


def _same_project_twice() -> bytes:
    text = _base()
    first, second = text.index(NAME_ROW), text.index(SECOND_TABLE)
    return (text[:second] + text[first:second] + text[second:]).encode()


def _single_line_10mb() -> bytes:
    """A converter that lost every line break: the seed as one line, repeated past 10 MB."""
    line = _base().replace("\n", " ").encode()
    return line * (10_000_000 // len(line) + 1)


KPI_HEADER = "一级指标\t二级指标\t三级指标\t指标值"
KPIS = [("产出指标", "数量指标", "年接待观众人次", "≥20万人次"), ("产出指标", "质量指标", "展品完好率", "≥95%"),
        ("产出指标", "时效指标", "开放时间", "2023年12月底前"), ("效益指标", "社会效益指标", "公众科学素质", "有所提升"),
        ("满意度指标", "服务对象满意度指标", "观众满意度", "≥90%")]
TSV_HEAD = ["## 某某市项目支出绩效目标表", "项目名称\t科技馆免费开放", "主管部门及代码\t136-某某市科学技术协会\t实施单位\t某某市科技馆",
            "项目资金 (元)\t实施期资金总额:\t1,200,000\t年度资金总额:\t1,200,000",
            "立项依据\t《关于全国科技馆免费开放的通知》（科协发普字〔2015〕29号）", KPI_HEADER]
KPI_LINES = range(len(TSV_HEAD) + 1, len(TSV_HEAD) + 1 + len(KPIS))  # 1-based lines of the KPI rows


def _tsv(rows: list[str]) -> bytes:
    return "\n".join(TSV_HEAD + rows).encode()


def _shifted_columns() -> bytes:
    """Every other indicator row shifted one column right (an empty cell in front)."""
    return _tsv([("\t" if i % 2 else "") + "\t".join(k) for i, k in enumerate(KPIS)])


def _missing_columns() -> bytes:
    """The 指标值 column missing from every indicator row."""
    return _tsv(["\t".join(k[:3]) for k in KPIS])


# --- expected outcomes ---------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    make: Callable[[], bytes]
    check: Callable[[Record | Failure, dict], None]  # (outcome, records of BASE and GOOD alone)


def rejected(*words: str):
    def check(outcome, _reference):
        assert isinstance(outcome, Failure), f"extracted, expected a rejection naming {words}"
        assert "internal error" not in outcome.reason
        for word in words:
            assert word in outcome.reason, outcome.reason
    return check


def _plain(record: Record) -> dict:
    """The record as `budgetkg extract` writes it (JSON: lists for tuples)."""
    return json.loads(json.dumps(record_to_dict(record), ensure_ascii=False))


def _issues(record: Record) -> list[tuple[int | None, str]]:
    return [(i.line, i.message) for i in record.issues]


def _check_truncated_mid_table(record, reference):
    assert isinstance(record, Record)
    full = reference["base"]
    assert [p["name"] for p in _plain(record)["performance_projects"]] == [
        p["name"] for p in full["performance_projects"][:2]]
    assert _plain(record)["performance_projects"][0] == full["performance_projects"][0]
    cut_table = record.performance_projects[1]
    assert (cut_table.line, "performance table without readable indicators") in _issues(record)
    assert cut_table.end_line < full["performance_projects"][2]["line"]


def _check_gbk(record, reference):
    assert isinstance(record, Record) and record.encoding == "gb18030"
    got, want = _plain(record), dict(reference["base"])
    want.update(source=got["source"], encoding="gb18030")
    assert got == want


def _check_markup(record, reference):
    assert isinstance(record, Record)
    first = record.performance_projects[0]
    assert first.name == HOSTILE_KEPT  # entities are text the document printed; tags are not
    assert "steal()" not in json.dumps(record_to_dict(record), ensure_ascii=False)
    rest = _plain(record)["performance_projects"][1:]
    assert rest == reference["base"]["performance_projects"][1:]


def _check_no_performance_tables(record, reference):
    assert isinstance(record, Record) and record.performance_projects == ()
    assert _issues(record) == [(None, "no 项目支出绩效目标表 found")]
    got = _plain(record)
    assert got["totals"] == reference["base"]["totals"]  # the budget tables before them are read
    assert got["expenditure_by_function"] == reference["base"]["expenditure_by_function"]


def _check_same_project_twice(record, reference):
    assert isinstance(record, Record)
    names = [p.name for p in record.performance_projects]
    assert names == ["科技创新券", "科技创新券", "科技工作运行经费", "驻村帮扶干部补助经费"]
    first, again = record.performance_projects[:2]
    message = f"project '科技创新券' of the same unit again (first at line {first.line}); both tables are kept"
    assert (again.line, message) in _issues(record)
    shift = again.line - first.line
    assert again.annual_kpis == tuple(replace(k, line=k.line + shift) for k in first.annual_kpis)


def _check_citation_of_marks_alone(record, reference):
    assert isinstance(record, Record)
    assert _plain(record)["performance_projects"][0]["legal_bases"] == (
        reference["base"]["performance_projects"][0]["legal_bases"])


def _check_shifted_columns(record, _reference):
    assert isinstance(record, Record)
    [project] = record.performance_projects
    kpis = [(k.level1, k.level2, k.level3, k.value, k.line) for k in project.period_kpis]
    assert kpis == [(*k, line) for k, line in zip(KPIS, KPI_LINES)]


def _check_missing_columns(record, _reference):
    assert isinstance(record, Record)
    [project] = record.performance_projects
    assert [(k.level3, k.value) for k in project.period_kpis] == [(k[2], "") for k in KPIS]
    missing = [(line, f"indicator without a value ({k[2]})") for k, line in zip(KPIS, KPI_LINES)]
    assert [i for i in _issues(record) if i[0] is not None] == missing


def _check_single_line(outcome, _reference):
    if isinstance(outcome, Failure):  # a size limit below 10 MB may refuse it: then say so
        assert LIMIT_REASON.search(outcome.reason), outcome.reason
        return
    assert outcome.performance_projects == ()
    assert (None, "no 预算支出总表 found") in _issues(outcome)


CASES: dict[str, Case] = {
    "empty.txt": Case(lambda: b"", rejected("empty file")),
    "white_space_only.txt": Case(lambda: "\r\n  \n\t\u3000\n".encode(), rejected("no visible text (only white space or markup)")),
    "random_bytes.txt": Case(_random_bytes, rejected("binary file")),
    "high_bytes.txt": Case(_high_bytes, rejected("not text: read as GB18030 only")),
    "png_image.txt": Case(_png, rejected("binary file (NUL bytes at offset 8)")),
    "zip_archive.txt": Case(_zip, rejected("binary file (NUL bytes")),
    "truncated_mid_table.txt": Case(_truncated_mid_table, _check_truncated_mid_table),
    "truncated_mid_character.txt": Case(_truncated_mid_character,
                                        rejected("UTF-8 text cut off inside a character", "truncated")),
    "gbk.txt": Case(_gbk, _check_gbk),
    "mixed_encodings.txt": Case(_mixed, rejected("not UTF-8 (byte", "line 51)", "nor GB18030")),
    "markup_in_fields.txt": Case(_markup, _check_markup),
    "citation_of_marks_alone.txt": Case(_citation_of_marks_alone, _check_citation_of_marks_alone),
    "shifted_columns.txt": Case(_shifted_columns, _check_shifted_columns),
    "missing_columns.txt": Case(_missing_columns, _check_missing_columns),
    "no_performance_tables.txt": Case(_no_performance_tables, _check_no_performance_tables),
    "same_project_twice.txt": Case(_same_project_twice, _check_same_project_twice),
    "single_line_10mb.txt": Case(_single_line_10mb, _check_single_line),
}
REJECTED = {"empty.txt", "white_space_only.txt", "random_bytes.txt", "high_bytes.txt", "png_image.txt", "zip_archive.txt",
            "truncated_mid_character.txt", "mixed_encodings.txt"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The bad-input corpus and one good seed, in one folder."""
    folder = tmp_path_factory.mktemp("bad_inputs")
    for name, case in CASES.items():
        (folder / name).write_bytes(case.make())
    (folder / "zz_good.txt").write_bytes(GOOD.read_bytes())  # last in the sorted batch
    return folder


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict:
    """The base seed's and the good seed's records, each extracted alone."""
    alone = tmp_path_factory.mktemp("alone")
    (alone / "zz_good.txt").write_bytes(GOOD.read_bytes())
    return {"base": _plain(extract_file(BASE)), "good": _plain(extract_file(alone / "zz_good.txt"))}


@pytest.fixture(scope="module")
def batch(corpus) -> dict[str, Record | Failure]:
    """One extract_many over the whole corpus, by file name."""
    paths = sorted(corpus.iterdir())
    return {Path(getattr(o, "path", None) or o.source).name: o for o in extract_many(map(str, paths))}


# --- one file at a time, then all in one batch ---------------------------------------------
@pytest.mark.parametrize("name", sorted(CASES))
def test_each_bad_input_gets_a_clear_result(name, corpus, reference):
    [outcome] = extract_many([str(corpus / name)])
    CASES[name].check(outcome, reference)


def test_the_rejected_ones_are_exactly_the_unreadable_ones(batch):
    assert {name for name, o in batch.items() if isinstance(o, Failure)} == REJECTED
    assert list(batch) == sorted(CASES) + ["zz_good.txt"]  # one outcome per file, in order


def test_in_a_batch_each_file_gets_the_outcome_it_gets_alone(batch, reference):
    for name, case in CASES.items():
        case.check(batch[name], reference)


def test_in_a_batch_the_good_document_reads_as_it_does_alone(batch, reference):
    assert _plain(batch["zz_good.txt"]) == reference["good"]


# --- the store ----------------------------------------------------------------------------
def _graph_quads(store: GraphStore, source: str) -> set[str]:
    return {str(q) for q in store.graph_quads(graph_iri(source))}


def test_ingest_stores_the_readable_files_rejects_the_rest_and_leaves_the_good_one_as_alone(tmp_path, corpus):
    store = GraphStore(tmp_path / "batch")
    outcomes = {Path(o.path).name: o for o in ingest_many(store, sorted(corpus.iterdir()))}
    rejected = {name: o.reason for name, o in outcomes.items() if isinstance(o, Rejected)}
    assert set(rejected) == REJECTED
    assert not any("internal error" in reason for reason in rejected.values())
    stored = {d.source for d in store.documents()}
    assert stored == {name for name, o in outcomes.items() if isinstance(o, Ingested)}
    alone = GraphStore(tmp_path / "alone")
    [only] = ingest_many(alone, [corpus / "zz_good.txt"])
    assert isinstance(only, Ingested)
    assert _graph_quads(store, "zz_good.txt") == _graph_quads(alone, "zz_good.txt")
    assert outcomes["zz_good.txt"].triples == only.triples


def test_markup_in_a_name_is_kept_as_text_in_the_graph_and_escaped_in_the_view(tmp_path, corpus):
    store_dir, page = tmp_path / "store", tmp_path / "view.html"
    store = GraphStore(store_dir)
    [outcome] = ingest_many(store, [corpus / "markup_in_fields.txt"])
    assert isinstance(outcome, Ingested)
    labels = {r["l"].value for r in store.query(
        'SELECT ?l WHERE { ?p <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(CONTAINS(?l, "alert")) }')}
    assert labels == {HOSTILE_KEPT}
    store.flush()
    del store
    done = subprocess.run([str(BIN), "view", "科技创新券", "--out", str(page), "--store", str(store_dir)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    html = page.read_text("utf-8")
    assert "<script>alert(1)" not in html and "alert(1)</script>" not in html
    assert not re.search(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", html, re.IGNORECASE)
    assert re.search(r"\\u003cscript\\u003ealert\(1\)|&lt;script&gt;alert\(1\)", html)  # shown, as text


# --- the command line ---------------------------------------------------------------------
def _cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=timeout, check=False)


def test_extract_command_reports_each_rejected_file_and_writes_the_others(tmp_path, corpus, reference):
    out = tmp_path / "records.json"
    done = _cli("extract", str(corpus), "--json", str(out), "-q")
    assert done.returncode == 1
    for name in REJECTED:
        assert re.search(rf"^budgetkg: \S*{re.escape(name)}: \S", done.stderr, re.MULTILINE), name
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    records = {r["source"]: r for r in json.loads(out.read_text("utf-8"))}
    assert set(records) == set(CASES) - REJECTED | {"zz_good.txt"}
    assert records["zz_good.txt"] == reference["good"]
    # every damaged file that could be read says what it could not read; the good one may be clean
    assert [name for name, r in records.items() if not r["issues"] and name != "zz_good.txt"] == []


def test_ingest_command_reports_each_rejected_file_and_stores_the_others(tmp_path, corpus):
    store = tmp_path / "store"
    done = _cli("ingest", str(corpus), "--store", str(store))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    for name in REJECTED:
        assert re.search(rf"^budgetkg: \S*{re.escape(name)}: \S", done.stderr, re.MULTILINE), name
    readable = len(CASES) - len(REJECTED) + 1
    assert f"{readable} document(s) stored, {len(REJECTED)} rejected" in done.stderr
    opened = GraphStore(store, read_only=True)
    assert {d.source for d in opened.documents()} >= set(CASES) - REJECTED | {"zz_good.txt"}


# --- big files: time and memory -----------------------------------------------------------
@dataclass(frozen=True)
class Measured:
    returncode: int
    seconds: float
    stderr: str


def _measured(args: list[str], timeout: float, tmp_path: Path) -> Measured:
    """Run the CLI and its wall time; killed after `timeout` s (then returncode is -9)."""
    started = time.monotonic()
    proc = subprocess.Popen([str(BIN), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return Measured(proc.returncode, time.monotonic() - started, err)


_MEASURE = """
import json, resource, sys, time
from budgetkg.extract.pipeline import extract_many
started = time.perf_counter()
[outcome] = extract_many([sys.argv[1]])
print(json.dumps({"seconds": time.perf_counter() - started,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "reason": getattr(outcome, "reason", None),
                  "projects": len(getattr(outcome, "performance_projects", ())),
                  "issues": [[i.line, i.message] for i in getattr(outcome, "issues", ())]}))
"""


def test_a_10mb_single_line_file_is_extracted_in_seconds_and_bounded_memory(corpus):
    """Measured in a process of its own (extraction alone, no limits): time and peak memory."""
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(corpus / "single_line_10mb.txt")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    print(f"10 MB single line: {got['seconds']:.1f} s, {got['max_rss_mb']:.0f} MB")
    assert got["reason"] is None and got["projects"] == 0
    assert [None, "no 预算支出总表 found"] in got["issues"]
    assert got["seconds"] < 30 and got["max_rss_mb"] < 1024


# These rest on the per-document limits of `ingest`/`extract` (--max-bytes, --timeout,
# --max-memory; issue 9, part 4). Without them a 100 MB disclosure takes about 70 s and 3.5 GB to
# extract and some 17 GB to ingest (docs/reliability.md).


@pytest.fixture(scope="module")
def big_batch(tmp_path_factory) -> Path:
    """A 100 MB disclosure (the base seed, repeated) and a good one."""
    folder = tmp_path_factory.mktemp("big")
    seed = BASE.read_bytes()
    with open(folder / "big_100mb.txt", "wb") as fh:
        fh.writelines(seed for _ in range(100_000_000 // len(seed) + 1))
    (folder / "zz_good.txt").write_bytes(GOOD.read_bytes())
    return folder


def _check_big_refused(run: Measured, store: Path | None, limit: str) -> None:
    assert run.returncode == 1, run.stderr  # one file rejected, the other stored
    [line] = [t for t in run.stderr.splitlines() if "big_100mb.txt" in t]
    assert limit in line and LIMIT_REASON.search(line), line
    assert "Traceback" not in run.stderr
    assert run.seconds < 45
    if store is not None:
        stored = GraphStore(store, read_only=True).documents()
        assert [d.source for d in stored if d.source.endswith(".txt")] == ["zz_good.txt"]


def test_a_100mb_file_is_refused_by_the_default_size_limit_and_the_batch_goes_on(tmp_path, big_batch):
    store = tmp_path / "store"
    run = _measured(["ingest", str(big_batch), "--store", str(store)], 60, tmp_path)
    print(f"100 MB, default limits: {run.seconds:.1f} s")
    _check_big_refused(run, store, "--max-bytes")


def test_a_100mb_file_without_a_size_limit_is_stopped_at_the_time_limit(tmp_path, big_batch):
    store = tmp_path / "store"
    run = _measured(["ingest", str(big_batch), "--store", str(store), "--max-bytes", "0", "--timeout", "3"],
                    60, tmp_path)
    print(f"100 MB, --timeout 3: {run.seconds:.1f} s")
    _check_big_refused(run, store, "--timeout")


def test_a_100mb_file_over_the_memory_limit_is_refused_by_extract(tmp_path, big_batch):
    out = tmp_path / "records.json"
    run = _measured(["extract", str(big_batch), "--json", str(out), "--max-bytes", "0", "--timeout", "40",
                     "--max-memory", "300"], 60, tmp_path)
    print(f"100 MB, --max-memory 300: {run.seconds:.1f} s")
    _check_big_refused(run, None, "--max-memory")
    assert [r["source"] for r in json.loads(out.read_text("utf-8"))] == ["zz_good.txt"]
