"""Parallel extraction and ingest (issue 8.2): extraction MB/s at --jobs 1 and 2, ingest
triples/s and peak memory of the whole process tree against corpus size, and the 1 M-triple
ingest of issue 5 through `budgetkg ingest --jobs`.

    .venv/bin/python benchmarks/parallel_ingest.py [--parts extract,memory,million]
        [--jobs 1,2] [--runs 3] [--copies 8] [--sizes 100,1000] [--corpora DIR]
        [--backend embedded|oxigraph|virtuoso]

extract  the seeds, each copied --copies times under other names, extracted to JSON text as
         `budgetkg extract --jobs N` does (its task, commands.extract.record_json, in N workers,
         pool start-up included), in a fresh process per run; the in-process loop of earlier
         versions (extract_many, then the record as JSON) beside it. MB/s of file bytes.
memory   `budgetkg ingest DIR --jobs 2` into a new embedded store for corpora of --sizes
         documents (benchmarks/synth.py when present, else seed copies); wall time, triples/s and
         the peak memory of the process tree (the writer, the fork server, the workers), sampled
         every 50 ms as the sum of their proportional set sizes (PSS: shared pages counted once),
         and every 5 s a timeline point (documents stored, tree PSS, writer RSS) so growth with
         corpus size shows. --backend oxigraph|virtuoso: into a server started on loopback by
         tests/servers.py instead, its RSS sampled too. --corpora DIR keeps the corpora.
million  `budgetkg ingest DIR --jobs N` of seed copies planned as benchmarks/corpus.py plans its
         1 M-triple corpus (smallest seeds first, round by round): the end-to-end time, split by
         when the last document, the policies line and the summary line reached stderr.

Other processes on the machine are not stopped: read the load average printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
BIN = Path(sys.executable).with_name("budgetkg")
SEEDS = HERE.parent.parent / "shared" / "seeds"


# --- corpora --------------------------------------------------------------------------------------
def seed_copies(out: Path, copies: int) -> Path:
    """Every seed `copies` times, as c{k}_{name}: other names, so other graphs."""
    out.mkdir(parents=True, exist_ok=True)
    for k in range(copies):
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copy(seed, out / f"c{k:04d}_{seed.name}")
    return out


def synth_corpus(out: Path, docs: int) -> Path:
    """`docs` synthetic disclosures (benchmarks/synth.py, seed 1), or seed copies without it;
    a folder that already holds `docs` files is taken as made (--corpora reuses them)."""
    if out.is_dir() and sum(1 for _ in out.iterdir()) == docs:
        return out
    try:
        import synth
    except ImportError:
        return seed_copies(out, -(-docs // 5))
    out.mkdir(parents=True, exist_ok=True)
    for doc in synth.stream(docs, 1):
        (out / doc.source).write_text(doc.text, "utf-8")
    return out


def million_corpus(out: Path, target: int) -> Path:
    """Seed copies chosen as corpus.plan chooses records: the same documents, as files."""
    import corpus

    seeds = sorted(SEEDS.glob("*.txt"))
    counts = corpus.triple_counts(corpus.seed_records())
    out.mkdir(parents=True, exist_ok=True)
    for k, i in corpus.plan(counts, target):
        shutil.copy(seeds[i], out / f"v{k:04d}_{seeds[i].name}")
    return out


def _mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.iterdir() if f.is_file()) / 1e6


# --- extraction throughput (child) ----------------------------------------------------------------
def child_extract(folder: Path, jobs: int) -> dict:
    """What `budgetkg extract` does per file, up to its JSON text: in this process as before
    --jobs (jobs 0), or its worker task in `jobs` workers."""
    from budgetkg.extract.pipeline import Failure, expand_inputs, extract_many
    from budgetkg.extract.record_json import record_to_dict
    from budgetkg.extract.workers import run_files

    from budgetkg.commands.extract import record_json

    paths = expand_inputs([folder])
    start = time.perf_counter()
    if jobs == 0:
        results = [r if isinstance(r, Failure) else json.dumps(record_to_dict(r), ensure_ascii=False, indent=1)
                   for r in extract_many(paths)]
    else:
        results = list(run_files(record_json, paths, jobs=jobs))
    wall = time.perf_counter() - start
    return {"files": len(paths), "failed": sum(isinstance(r, Failure) for r in results), "wall_s": wall}


# --- process-tree memory --------------------------------------------------------------------------
def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            out += [int(c) for c in task.read_text().split()]
        except OSError:
            pass
    return out


def _tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += _children(p)
    return seen


def _field_kb(path: str, field: str) -> int:
    try:
        with open(path) as fh:
            return next((int(line.split()[1]) for line in fh if line.startswith(field)), 0)
    except OSError:
        return 0


class TreeMemory(threading.Thread):
    """Samples the PSS sum of a process and its descendants; keeps the peak, the root's VmHWM,
    and every `log_every` seconds a timeline point (seconds, documents done, tree PSS MB, writer
    RSS MB) so growth with corpus size shows, not only the peak."""

    def __init__(self, pid: int, every: float = 0.05, log_every: float = 5.0, server_pid: int | None = None):
        super().__init__(daemon=True)
        self.pid, self.every, self.log_every, self.server_pid = pid, every, log_every, server_pid
        self.peak_kb = self.root_hwm_kb = self.most_procs = self.server_peak_kb = 0
        self.done = 0  # documents reported on stderr, set by the reader
        self.timeline: list[tuple[float, int, float, float]] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        start, next_log = time.perf_counter(), 0.0
        while not self.stopped.is_set():
            procs = _tree(self.pid)
            total = sum(_field_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in procs)
            self.peak_kb = max(self.peak_kb, total)
            self.most_procs = max(self.most_procs, len(procs))
            self.root_hwm_kb = max(self.root_hwm_kb, _field_kb(f"/proc/{self.pid}/status", "VmHWM:"))
            server = _field_kb(f"/proc/{self.server_pid}/status", "VmRSS:") if self.server_pid else 0
            self.server_peak_kb = max(self.server_peak_kb, server)
            now = time.perf_counter() - start
            if now >= next_log:
                rss = _field_kb(f"/proc/{self.pid}/status", "VmRSS:")
                self.timeline.append((round(now, 1), self.done, round(total / 1024), round(rss / 1024),
                                      round(server / 1024)))
                next_log = now + self.log_every
            self.stopped.wait(self.every)


def _done(line: str) -> int | None:
    """k of a progress line '[k/N] file: ...'."""
    if line.startswith("[") and "/" in line[:24]:
        head = line[1:line.index("/")]
        return int(head) if head.isdigit() else None
    return None


def run_ingest(folder: Path, store: Path | str, jobs: int, extra: list[str] = (), server=None) -> dict:
    """`budgetkg ingest` as a user runs it; wall time, stderr line times, peak memory (and the
    store server's resident memory when `server` is one of tests/servers.py)."""
    cmd = [str(BIN), "ingest", str(folder), "--store", str(store), "--jobs", str(jobs), *extra]
    start = time.perf_counter()
    env = {**os.environ, **(server.env if server else {})}
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env)
    sampler = TreeMemory(proc.pid, server_pid=server.process.pid if server else None)
    sampler.start()
    lines = []
    for line in proc.stderr:
        lines.append((time.perf_counter() - start, line.rstrip()))
        sampler.done = _done(line) or sampler.done
    proc.wait()
    wall = time.perf_counter() - start
    sampler.stopped.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"ingest failed ({proc.returncode}): {lines[-5:]}")
    return {"wall_s": wall, "lines": lines, "peak_tree_mb": sampler.peak_kb / 1024,
            "peak_writer_mb": sampler.root_hwm_kb / 1024, "processes": sampler.most_procs,
            "timeline": sampler.timeline, "peak_server_mb": sampler.server_peak_kb / 1024,
            "triples": _triples(store, server)}


def _triples(store: Path | str, server=None) -> int:
    if server is not None:
        from budgetkg.graph.remote_store import RemoteStore

        rows = RemoteStore(str(store), read_only=True, env=server.env).select("SELECT (COUNT(*) AS ?n) "
                                                                               "WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(next(iter(rows))["n"].value)
    import pyoxigraph as ox

    return len(ox.Store.read_only(str(store)))


def _phase_times(lines: list[tuple[float, str]]) -> dict:
    docs = max((t for t, line in lines if line.startswith("[")), default=0.0)
    policies = next((t for t, line in lines if "policies resolved" in line), docs)
    return {"documents_s": docs, "policies_s": policies - docs, "flush_and_count_s": lines[-1][0] - policies}


# --- the parts ------------------------------------------------------------------------------------
def part_extract(work: Path, jobs_list: list[int], runs: int, copies: int) -> list[dict]:
    folder = seed_copies(work / "extract", copies)
    mb = _mb(folder)
    out = []
    for jobs in [0, *jobs_list]:
        walls = [_child(["extract", "--dir", str(folder), "--jobs-one", str(jobs)])["wall_s"] for _ in range(runs)]
        out.append({"jobs": jobs, "files": copies * 5, "mb": mb, "walls": walls,
                    "mb_s": mb / statistics.median(walls)})
    return out


def part_memory(work: Path, sizes: list[int], jobs: int, corpora: Path | None = None,
                backend: str = "embedded") -> list[dict]:
    out = []
    for size in sizes:
        folder = synth_corpus((corpora or work) / f"corpus-{size}", size)
        with _backend(backend, work / f"store-{size}") as (store, server):
            result = run_ingest(folder, store, jobs, server=server)
        result.pop("lines")
        out.append({"docs": size, "mb": _mb(folder), "jobs": jobs, "backend": backend, **result})
        shutil.rmtree(work / f"store-{size}")
    return out


@contextmanager
def _backend(name: str, where: Path):
    """(--store value, server or None): a new directory, or a server of tests/servers.py there."""
    if name == "embedded":
        yield where, None
        return
    sys.path.insert(0, str(HERE.parent / "tests"))
    from servers import running

    options = {"buffers": 170_000} if name == "virtuoso" else {}  # ~1.3 GB page cache
    with running(name, where, **options) as server:
        yield server.url, server


def part_million(work: Path, jobs_list: list[int], target: int) -> list[dict]:
    folder = million_corpus(work / "million", target)
    out = []
    for jobs in jobs_list:
        result = run_ingest(folder, work / f"million-store-{jobs}", jobs)
        out.append({"jobs": jobs, "docs": len(list(folder.iterdir())), "mb": _mb(folder),
                    **_phase_times(result.pop("lines")), **result})
        shutil.rmtree(work / f"million-store-{jobs}")
    return out


def _child(args: list[str]) -> dict:
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", *args],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- report ---------------------------------------------------------------------------------------
def report(results: dict) -> str:
    lines = []
    if "extract" in results:
        rows = results["extract"]
        one = next((r["mb_s"] for r in rows if r["jobs"] == 1), None)
        lines += ["Extraction (files read in the workers; pool start-up included), median of runs:", "",
                  "| jobs | files | MB | wall s (runs) | MB/s | × jobs 1 |", "|---:|---:|---:|---|---:|---:|"]
        for r in rows:
            name = "in-process" if r["jobs"] == 0 else str(r["jobs"])
            ratio = f"{r['mb_s'] / one:.2f}×" if one else "—"
            lines.append(f"| {name} | {r['files']} | {r['mb']:.1f} | {', '.join(f'{w:.2f}' for w in r['walls'])} "
                         f"| {r['mb_s']:.2f} | {ratio} |")
        lines.append("")
    if "memory" in results:
        lines += [f"Ingest into a new {results['memory'][0].get('backend', 'embedded')} store against corpus size:", "",
                  "| docs | MB | triples | jobs | wall s | triples/s | peak tree PSS MB | writer VmHWM MB "
                  "| server peak RSS MB |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in results["memory"]:
            server = f"{r['peak_server_mb']:.0f}" if r.get("peak_server_mb") else "—"
            lines.append(f"| {r['docs']:,} | {r['mb']:.1f} | {r['triples']:,} | {r['jobs']} | {r['wall_s']:.1f} "
                         f"| {r['triples'] / r['wall_s']:,.0f} | {r['peak_tree_mb']:.0f} | {r['peak_writer_mb']:.0f} "
                         f"| {server} |")
        lines.append("")
        lines += _timeline_table(results["memory"][-1])
    if "million" in results:
        lines += ["The 1 M-triple corpus (seed copies) through `budgetkg ingest`:", "",
                  ("| jobs | docs | MB | triples | total s | documents s | refresh_policies s | flush + count s "
                   "| triples/s | peak tree PSS MB |"), "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in results["million"]:
            lines.append(f"| {r['jobs']} | {r['docs']} | {r['mb']:.1f} | {r['triples']:,} | {r['wall_s']:.2f} "
                         f"| {r['documents_s']:.2f} | {r['policies_s']:.2f} | {r['flush_and_count_s']:.2f} "
                         f"| {r['triples'] / r['wall_s']:,.0f} | {r['peak_tree_mb']:.0f} |")
    return "\n".join(lines)


def _timeline_table(run: dict) -> list[str]:
    """Memory of the largest run at each tenth of its documents: flat or growing."""
    points, lines = run.get("timeline") or [], []
    if not points:
        return lines
    lines += [f"Memory while ingesting the {run['docs']:,} documents (at each tenth of them):", "",
              "| documents done | seconds | tree PSS MB | writer RSS MB | server RSS MB |",
              "|---:|---:|---:|---:|---:|"]
    for tenth in range(1, 11):
        want = run["docs"] * tenth // 10
        seconds, done, tree, rss, *server = next((p for p in points if p[1] >= want), points[-1])
        lines.append(f"| {done:,} | {seconds:.0f} | {tree} | {rss} | {server[0] if server and server[0] else '—'} |")
    return lines + [""]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parts", default="extract,memory,million")
    ap.add_argument("--jobs", default="1,2", help="worker counts to compare")
    ap.add_argument("--runs", type=int, default=3, help="runs per extraction figure")
    ap.add_argument("--copies", type=int, default=8, help="copies of each seed for the extraction figure")
    ap.add_argument("--sizes", default="100,1000", help="corpus sizes (documents) for the memory part")
    ap.add_argument("--target", type=int, default=1_000_000, help="triples of the million part")
    ap.add_argument("--backend", default="embedded", choices=["embedded", "oxigraph", "virtuoso"],
                    help="the memory part's store: a new directory, or a server started on loopback")
    ap.add_argument("--corpora", type=Path, help="keep the memory part's corpora here and reuse them")
    ap.add_argument("--json", help="also write the raw figures here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--dir", help=argparse.SUPPRESS)
    ap.add_argument("--jobs-one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child == "extract":
        print(json.dumps(child_extract(Path(args.dir), args.jobs_one)))
        return 0
    parts, jobs = args.parts.split(","), [int(j) for j in args.jobs.split(",")]
    load, started, results = os.getloadavg(), time.perf_counter(), {}
    with tempfile.TemporaryDirectory(prefix="budgetkg-parallel-") as tmp:
        work = Path(tmp)
        if "extract" in parts:
            results["extract"] = part_extract(work, jobs, args.runs, args.copies)
        if "memory" in parts:
            results["memory"] = part_memory(work, [int(s) for s in args.sizes.split(",")], max(jobs),
                                            args.corpora, args.backend)
        if "million" in parts:
            results["million"] = part_million(work, jobs, args.target)
    print(f"# {os.cpu_count()} cores; load average {load[0]:.1f} at start, {os.getloadavg()[0]:.1f} at end; "
          f"wall {time.perf_counter() - started:.0f} s\n")
    print(report(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
