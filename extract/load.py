"""Any disclosure file → one Document: the single entry point from bytes to the layout model.

Text conversions (.txt/.md/.html) are decoded (extract/read.py) and laid out (extract/layout.py);
PDFs, known by their %PDF- header rather than their name, are read from their text layer and
table rulings (extract/pdf.py). Every reader of files — `extract`, `ingest`, the upload endpoint
— comes through here, so a new input format is added in one place.
"""

from __future__ import annotations

import os

from budgetkg.extract.layout import parse_layout
from budgetkg.extract.model import Document
from budgetkg.extract.pdf import MAGIC, MAGIC_WINDOW, is_pdf, read_pdf
from budgetkg.extract.read import UnreadableInput, decode_bytes

__all__ = ["SUFFIXES", "document_from_bytes", "load_document"]

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")


def load_document(path: str | os.PathLike[str]) -> Document:
    """Read one disclosure file; raises UnreadableInput when it cannot be read at all."""
    with open(path, "rb") as handle:
        return document_from_bytes(handle.read(), os.fspath(path))


def document_from_bytes(data: bytes, path: str) -> Document:
    """The Document of a file's bytes; `path` names it in messages and provenance."""
    if is_pdf(data) or _named_pdf(path) and MAGIC in data[:MAGIC_WINDOW]:
        return read_pdf(data, path)
    if _named_pdf(path):
        raise UnreadableInput(path, "named .pdf but not a PDF (no %PDF- header)")
    text, encoding = decode_bytes(data, path)
    doc = parse_layout(text, os.path.basename(path), path=path, encoding=encoding)
    if not doc.rows:  # a record of such a file would only list what is missing
        raise UnreadableInput(path, "no visible text (only white space or markup)")
    return doc


def _named_pdf(path: str) -> bool:
    return path.lower().endswith(".pdf")
