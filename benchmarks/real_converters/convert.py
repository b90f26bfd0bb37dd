#!/usr/bin/env python3
"""Convert WORK/pdf/*.pdf with every real tool -> WORK/out/<tool>/<stem>.<ext>. Run with WORK/venv/bin/python."""
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WORK = Path(os.environ.get("REAL_CONVERTERS_WORK", REPO / "out" / "real_converters"))
HERE = WORK
PDFS = sorted((HERE / "pdf").glob("*.pdf"))


def w(tool, stem, ext, text):
    d = HERE / "out" / tool
    d.mkdir(parents=True, exist_ok=True)
    (d / f"{stem}.{ext}").write_text(text, encoding="utf-8")


def run(tool, stem, ext, cmd):
    d = HERE / "out" / tool
    d.mkdir(parents=True, exist_ok=True)
    subprocess.run(cmd + [str(d / f"{stem}.{ext}")] if "{out}" not in cmd else
                   [c.replace("{out}", str(d / f"{stem}.{ext}")) for c in cmd], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main(only=None):
    import fitz
    import pdfplumber
    import pymupdf4llm
    from markitdown import MarkItDown
    md = MarkItDown()
    for pdf in PDFS:
        stem = pdf.stem
        want = lambda t: not only or t in only
        if want("pdftotext"):
            run("pdftotext", stem, "txt", ["pdftotext", "-enc", "UTF-8", str(pdf)])
        if want("pdftotext_layout"):
            run("pdftotext_layout", stem, "txt", ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf)])
        if want("pdftohtml"):
            d = HERE / "out" / "pdftohtml"
            d.mkdir(parents=True, exist_ok=True)
            subprocess.run(["pdftohtml", "-s", "-i", "-noframes", "-q", str(pdf), str(d / stem)], check=True)
            # pdftohtml writes <stem>.html (or <stem>-html.html); normalise
            for cand in (d / f"{stem}-html.html",):
                if cand.exists():
                    cand.rename(d / f"{stem}.html")
        if want("pymupdf4llm"):
            w("pymupdf4llm", stem, "md", pymupdf4llm.to_markdown(str(pdf)))
        if want("markitdown"):
            w("markitdown", stem, "md", md.convert(str(pdf)).text_content)
        if want("pdfplumber_text") or want("pdfplumber_layout"):
            with pdfplumber.open(pdf) as doc:
                if want("pdfplumber_text"):
                    w("pdfplumber_text", stem, "txt", "\n".join(p.extract_text() or "" for p in doc.pages))
                if want("pdfplumber_layout"):
                    w("pdfplumber_layout", stem, "txt",
                      "\n".join(p.extract_text(layout=True) or "" for p in doc.pages))
        if want("pymupdf_text"):
            doc = fitz.open(pdf)
            w("pymupdf_text", stem, "txt", "".join(p.get_text() for p in doc))
        if want("pdf"):
            d = HERE / "out" / "pdf"
            d.mkdir(parents=True, exist_ok=True)
            t = d / f"{stem}.pdf"
            if t.exists() or t.is_symlink():
                t.unlink()
            t.symlink_to(pdf)
        print("converted", stem, file=sys.stderr)


if __name__ == "__main__":
    main(set(sys.argv[1:]) or None)
