"""Load test of the trace endpoint: wrk with 50 connections against `budgetkg serve` on loopback.

    .venv/bin/python benchmarks/trace_load.py [--duration 30] [--connections 50] [--threads 2]
                                              [--workers 2] [--cache-mb 64] [--mix 200] [--store DIR]

The five seeds are ingested into a new store (not timed) unless --store names one; the server is
the installed `budgetkg serve`, read-only with default settings except --workers and
--cache-mb (0 turns off the answer cache, so every request computes its trace), on a free
loopback port. Two runs of wrk (https://github.com/wg/wrk, `apt install wrk`), each bounded by
--duration and each after a short warm-up:

1. one policy: GET /api/policies/{the most cited policy}/trace (晋政办发〔2021〕42号 on the seeds),
   the same URL over and over;
2. a mix: a wrk Lua script cycles over the trace URLs of the other policies up to rank --mix
   (all of them on the seeds), not warmed up, so each one's first request computes its trace.

Printed for each: requests/s, latency p50 / p90 / p99 / max, errors (non-2xx, socket errors),
and a Markdown table row for docs/benchmarks.md. Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
BIN = Path(sys.executable).with_name("budgetkg")
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}
_MIX_LUA = """
paths = {%s}
i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def build_store(path: Path) -> None:
    """The five seeds, as `budgetkg ingest` stores them."""
    from budgetkg.graph.ingest import Rejected, ingest_many
    from budgetkg.graph.policy_graph import refresh_policies
    from budgetkg.graph.store import GraphStore

    store = GraphStore(path)
    outcomes = list(ingest_many(store, sorted(SEEDS.glob("*.txt"))))
    rejected = [o for o in outcomes if isinstance(o, Rejected)]
    if rejected or not outcomes:
        raise SystemExit(f"ingest failed: {rejected or 'no seeds in ' + str(SEEDS)}")
    refresh_policies(store)
    store.flush()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(store: str, port: int, args: argparse.Namespace) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUDGETKG_")}
    process = subprocess.Popen(
        [str(BIN), "serve", "--store", store, "--port", str(port), "--workers", str(args.workers),
         "--cache-mb", str(args.cache_mb), "--log-level", "warning"], env=env)
    url = f"http://127.0.0.1:{port}/health"
    for _ in range(300):
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def trace_paths(base: str, count: int) -> list[tuple[str, str]]:
    """(number or title, trace path) of the `count` most cited policies."""
    items = httpx.get(base + "/api/policies", params={"limit": count}, timeout=60).json()["items"]
    return [(p["number"] or p["title"] or p["id"], p["trace_url"]) for p in items]


def wrk(url: str, args: argparse.Namespace, script: str | None = None) -> dict:
    """Run wrk once and read its figures: requests/s, latency percentiles in ms, errors."""
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
               "--latency", "--timeout", "10s", *(["-s", script] if script else []), url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
               "requests": int(re.search(r"(\d+) requests in", out).group(1)),
               "non2xx": int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1]),
               "socket_errors": (re.search(r"Socket errors: (.*)", out) or [None, "none"])[1]}
    for pct in ("50", "90", "99"):
        figures["p" + pct] = _ms(re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", out, re.MULTILINE).group(1))
    figures["max"] = _ms(re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", out).group(1))
    return figures


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def warm_up(base: str, paths: list[str]) -> None:
    for path in paths:
        for _ in range(3):
            httpx.get(base + path, timeout=60).raise_for_status()


def report(name: str, f: dict, args: argparse.Namespace) -> None:
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{name} (load average after: {load}): {f['requests']} requests, {f['rps']:.1f} req/s, p50 {f['p50']:.0f} ms, "
          f"p90 {f['p90']:.0f} ms, p99 {f['p99']:.0f} ms, max {f['max']:.0f} ms, "
          f"non-2xx {f['non2xx']}, socket errors {f['socket_errors']}")
    print(f"| {name} | {args.cache_mb} | {args.connections} | {args.workers} | {args.duration} s | {f['requests']:,} | "
          f"{f['rps']:.1f} | {f['p50']:.0f} | {f['p90']:.0f} | {f['p99']:.0f} | {f['max']:.0f} | {f['non2xx']} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="the server's query workers")
    parser.add_argument("--cache-mb", type=int, default=64,
                        help="the server's answer cache (0: every request computes its trace)")
    parser.add_argument("--mix", type=int, default=200,
                        help="the mixed run cycles over the next most cited policies up to this rank (0: skip it)")
    parser.add_argument("--store", default=None, help="an existing store (default: ingest the seeds)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt install wrk)")
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or str(Path(tmp) / "store")
        if args.store is None:
            build_store(Path(store))
        port = free_port()
        server = start_server(store, port, args)
        try:
            run(f"http://127.0.0.1:{port}", args, Path(tmp))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    return 0


def run(base: str, args: argparse.Namespace, tmp: Path) -> None:
    policies = trace_paths(base, max(1, args.mix))
    name, path = policies[0]
    print(f"most cited policy: {name} → {path}")
    warm_up(base, [path])
    report(f"one policy ({name})", wrk(base + path, args), args)
    if args.mix > 1:  # not warmed up: each policy's first request computes its trace
        script = tmp / "mix.lua"
        script.write_text(_MIX_LUA % ", ".join(f'"{p}"' for _, p in policies[1:]), encoding="utf-8")
        report(f"mix of {len(policies) - 1} other policies, cold", wrk(base + path, args, str(script)), args)


if __name__ == "__main__":
    sys.exit(main())
