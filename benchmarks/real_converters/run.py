#!/usr/bin/env python3
"""budgetkg on real converters' outputs of real PDFs: the gold seeds printed as PDFs, converted by
pdftotext, pdfplumber, PyMuPDF, pymupdf4llm and markitdown, extracted, and scored against the gold
per kind (no provenance, totals or budget lines: the printed tables show no line numbers of the seeds).

    python3 benchmarks/real_converters/run.py --setup     # once: WORK/venv with the converters
    python3 benchmarks/real_converters/run.py --convert   # gold -> HTML -> PDF (LibreOffice) -> converters
    python3 benchmarks/real_converters/run.py             # extract with .venv/bin/budgetkg, score
    python3 benchmarks/real_converters/run.py --verbose pymupdf4llm --tools pymupdf4llm

Needs Debian's libreoffice-writer-nogui, poppler-utils and fonts-noto-cjk. WORK is
$REAL_CONVERTERS_WORK or out/real_converters; results.md (the table) and results.json go there.
"""
import argparse
import importlib.util
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WORK = Path(os.environ.get("REAL_CONVERTERS_WORK", REPO / "out" / "real_converters"))
HERE = WORK
CODE = Path(__file__).resolve().parent
BUDGETKG = str(REPO / ".venv" / "bin" / "budgetkg")
CONVERTERS = ["pymupdf4llm", "markitdown[pdf]", "pdfplumber", "pymupdf"]
spec = importlib.util.spec_from_file_location("score", REPO.parent / "shared" / "tools" / "score.py")
score = importlib.util.module_from_spec(spec)
spec.loader.exec_module(score)
IGNORE = {"provenance", "totals", "budget_lines"}
KINDS = ["department", "functions", "projects", "project_fields", "funds", "legal_bases", "kpis", "kpi_levels"]
TOOLS = ["pdftotext", "pdftotext_layout", "pdftohtml", "pymupdf4llm", "markitdown",
         "pdfplumber_text", "pdfplumber_layout", "pymupdf_text", "pdf"]


def extract(tool):
    d = HERE / "out" / tool
    files = sorted(p for p in d.iterdir() if p.suffix in (".txt", ".md", ".html", ".pdf"))
    out = d / "budgetkg.json"
    r = subprocess.run([BUDGETKG, "extract", *map(str, files), "--json", str(out)],
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        print(tool, "budgetkg failed:", r.stderr[-500:], file=sys.stderr)
    return out


def tally(gold_docs, got_docs):
    res = {}
    for key, exp in gold_docs.items():
        ef, gf = score.facts(exp), score.facts(got_docs.get(key) or {})
        for k in list(ef) + list(gf):
            if k[0] in IGNORE:
                ef.pop(k, None), gf.pop(k, None)
        res[key] = (ef, gf)
    return res


def f1(e, g):
    return score.prf(e, g)[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-extract", action="store_true")
    ap.add_argument("--convert", action="store_true")
    ap.add_argument("--tools", nargs="*", default=TOOLS)
    ap.add_argument("--verbose")
    ap.add_argument("--setup", action="store_true")
    a = ap.parse_args()
    if a.setup:
        subprocess.run([sys.executable, "-m", "venv", str(HERE / "venv")], check=True)
        subprocess.run([str(HERE / "venv/bin/python"), "-m", "pip", "install", "-q", *CONVERTERS], check=True)
    if a.convert:
        subprocess.run([sys.executable, str(CODE / "gen.py")], check=True)
        subprocess.run(["soffice", "--headless", "--infilter=HTML (StarWriter)", "--convert-to", "pdf",
                        "--outdir", str(HERE / "pdf"), *map(str, sorted((HERE / "src").glob("*.html")))],
                       check=True, capture_output=True)
        subprocess.run([str(HERE / "venv/bin/python"), str(CODE / "convert.py")], check=True)
    gold = {}
    for g in sorted((HERE / "gold").glob("*.json")):
        gold.update(score.documents(g))
    rows, allres = [], {}
    for tool in a.tools:
        out = HERE / "out" / tool / "budgetkg.json"
        if not a.no_extract:
            out = extract(tool)
        got = score.documents(out)
        res = tally(gold, got)
        allres[tool] = {}
        tot_e, tot_g = Counter(), Counter()
        for key, (ef, gf) in res.items():
            cells = {}
            for kind in KINDS:
                e = Counter({k: v for k, v in ef.items() if k[0] == kind})
                g = Counter({k: v for k, v in gf.items() if k[0] == kind})
                cells[kind] = (f1(e, g), sum((e & g).values()), sum(e.values()), sum(g.values()))
            cells["overall"] = (f1(ef, gf), sum((ef & gf).values()), sum(ef.values()), sum(gf.values()))
            tot_e += Counter({(key,) + k: v for k, v in ef.items()})
            tot_g += Counter({(key,) + k: v for k, v in gf.items()})
            allres[tool][key] = cells
            rows.append((tool, key[:3], cells))
            if a.verbose == tool:
                for k in sorted(ef - gf, key=str):
                    print("  missed", key[:3], k)
                for k in sorted(gf - ef, key=str):
                    print("  extra ", key[:3], k)
        allres[tool]["all"] = f1(tot_e, tot_g)
    hdr = "| tool | seed | " + " | ".join(KINDS) + " | overall | lost (missed+extra) |"
    lines = [hdr, "|" + "---|" * (len(KINDS) + 4)]
    for tool, seed, cells in rows:
        lost = cells["overall"][2] - cells["overall"][1] + cells["overall"][3] - cells["overall"][1]
        lines.append(f"| {tool} | {seed} | " + " | ".join(f"{cells[k][0]:.3f}" for k in KINDS)
                     + f" | **{cells['overall'][0]:.3f}** | {lost} |")
    table = "\n".join(lines)
    print(table)
    (HERE / "results.md").write_text(table + "\n")
    (HERE / "results.json").write_text(json.dumps(allres, indent=1))


if __name__ == "__main__":
    main()
