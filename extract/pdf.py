"""A PDF disclosure → one Document, read from the PDF's own text layer and table rulings.

Why pdfplumber: the disclosures' tables are ruled, and pdfplumber (over pdfminer.six) finds a
table from its ruling lines and gives every cell with merged cells as one cell, which is what
the text conversions in ../shared/seeds lost. pypdfium2 (installed with pdfplumber) extracts
plain text 3–4× faster but has no table model, so cell boundaries would have to be guessed again
from positions; PyMuPDF's table finder is comparable but AGPL. Reading costs ~16 pages per
CPU-second, nearly all of it pdfminer parsing content streams (docs/benchmarks.md, "PDF input").

How a page becomes rows, in the model every other layout family produces (extract/model.py):
* each table row is one Row whose cells are the table's columns: a merged cell gives its text
  in its first row and column and "" in the positions it covers (as an HTML rowspan/colspan
  expands), a cell wrapped over several lines is one cell with its lines joined;
* each line of text outside the tables is one Row, split into cells where a gap of more than
  about a character's width separates its words (a table drawn without rulings);
* rows are ordered top to bottom; a table running over a page break simply continues in the
  next page's rows, and header rows the continuation repeats (续表 headers) are dropped;
* running headers and footers are dropped: lines at a page's top or bottom edge that are page
  numbers, or that recur at the edge of at least half of the pages (table titles and their
  (2026年度) line excepted: they stand at the top of every page a table starts on, as content).

Provenance. Row line numbers are `page × 1000 + n`, where n counts the rows of text on that
page from the top (a table row counts once however many lines its cells wrap over): line 3012
is page 3, line 12. They stay 1-based, increasing and unique, which is all the pipeline asks of
them, and anything holding only a line number (a record, a graph span, a trace) can name the
page with `page_line`; a PDF's record JSON maps each of its line numbers to page and line
(`page_lines`, extract/record_json.py). The cell within the row is not carried by the record.

A PDF that cannot be read is refused with UnreadableInput and the reason: no text layer (a scan;
there is no OCR), glyphs without Unicode (they read as (cid:N)), a password needed to open it, or
a damaged file. A PDF whose owner password only restricts copying or printing opens without a
password, as in any viewer, and is read.
"""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import pdfplumber
from budgetkg.extract.model import Document, Row
from budgetkg.extract.read import UnreadableInput
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdftypes import PDFException
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import PdfminerException

__all__ = ["FAMILY", "PAGE_LINES", "is_pdf", "page_line", "read_pdf"]

FAMILY = "pdf"
PAGE_LINES = 1000  # line = page × PAGE_LINES + line on the page
MAGIC = b"%PDF-"
MAGIC_WINDOW = 1024  # readers accept the header anywhere in the first KB
CELL_GAP = 1.0  # a gap wider than this many character heights separates cells of a line
WORD_GAP = 0.2  # a gap wider than this is a space
EDGE_BAND = 0.1  # running headers/footers lie in this share of the page height at either edge
EDGE_LINES = 2  # at most this many furniture lines at each edge
MIN_TEXT_PER_PAGE = 20  # visible characters; fewer on image pages means a scan
MAX_UNMAPPED_SHARE = 0.05  # a few symbol glyphs (ticks, bullets) may lack Unicode; text may not
EDGE_TOLERANCE = 2.0  # points: column edges of a continued table match within this
REPEATED_HEADER_ROWS = 3
PAGE_NUMBER = re.compile(
    r"(?:第#页(?:[,，/／]?共#页)?|[-—–－]#[-—–－]|#(?:/#)?|(?:page|p\.)#(?:(?:of|/)#)?)",
    re.IGNORECASE,
)
# Lines that recur at the top of pages as content: table titles (…绩效目标表, 续表) and the
# (2026年度) line under them. Compared in _key form (digits as #).
TITLE = re.compile(r"表(?:[(（]续[)）]|续)?$|^续表|^[(（]?#年度?[)）]?$")
DIGITS = re.compile(r"\d+")
# Errors pdfminer raises on damaged input; anything else is a bug here and must not be hidden.
DAMAGED = (
    PdfminerException,
    PDFException,
    PSException,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
)


@dataclass(frozen=True)
class PageRow:
    """One row of text on a page: a table row (`edges` = its table's column edges) or a line."""

    top: float
    bottom: float
    cells: tuple[str, ...]
    edges: tuple[float, ...] | None = None


@dataclass(frozen=True)
class PdfPage:
    """What one page holds, top to bottom, with what is needed to tell a scan from text."""

    number: int
    height: float
    rows: tuple[PageRow, ...]
    characters: int  # visible characters of the text layer
    images: int
    unmapped: int = 0  # characters whose font gives no Unicode: pdfminer prints them (cid:N)


def is_pdf(data: bytes) -> bool:
    """A PDF by its %PDF- header, white space before it allowed (the suffix alone proves nothing)."""
    return data[:MAGIC_WINDOW].lstrip().startswith(MAGIC)


def page_line(line: int) -> tuple[int, int]:
    """(page, line on the page) of a PDF row's line number: 3012 → (3, 12)."""
    return divmod(line, PAGE_LINES)


def read_pdf(data: bytes, path: str) -> Document:
    """The Document of a PDF's bytes; UnreadableInput with the reason when it has no usable text."""
    pages = _read_pages(data, path)
    _refuse_textless(pages, path)
    _refuse_unmapped(pages, path)
    furniture = _furniture(pages)
    drop = furniture | _repeated_headers(pages, furniture)
    rows = tuple(_rows(pages, drop, path))
    return Document(source=os.path.basename(path), path=path, encoding="", family=FAMILY, rows=rows)


# --- reading ---------------------------------------------------------------------------------
def _read_pages(data: bytes, path: str) -> list[PdfPage]:
    """Every page through pdfplumber; pdfminer's errors on bad input become UnreadableInput."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            raw = [_extract(page) for page in pdf.pages]
    except PdfminerException as err:
        raise UnreadableInput(path, _reason(err.args[0] if err.args else err)) from None
    except PDFPasswordIncorrect as err:
        raise UnreadableInput(path, _reason(err)) from None
    except DAMAGED as err:
        raise UnreadableInput(path, _reason(err)) from None
    if not raw:
        raise UnreadableInput(path, "PDF without pages")
    return [_page(r) for r in raw]


def _reason(err: object) -> str:
    """Why pdfminer could not open the file, in the user's terms."""
    if isinstance(err, PDFPasswordIncorrect):
        return "encrypted PDF: a password is needed to open it (decrypt it first)"
    if isinstance(err, PDFException) and "encrypt" in str(err).lower():
        return f"encrypted PDF this reader cannot decrypt ({err})"
    name = f"{type(err).__name__}: " if isinstance(err, BaseException) else ""
    return f"damaged PDF ({name}{err})"


@dataclass(frozen=True)
class RawPage:
    """What pdfplumber reads off one page, before any of this module's own reading."""

    number: int
    height: float
    tables: tuple  # (column edges, row boxes, cell texts) per table
    lines: tuple  # pdfplumber's text lines outside the tables, with their characters
    characters: int
    images: int
    unmapped: int


def _extract(page) -> RawPage:
    """Only pdfplumber runs here, so that the errors caught around it are the damaged file's,
    not this module's."""
    try:
        found = page.find_tables()
        tables = tuple((_edges(t), [r.bbox for r in t.rows], t.extract()) for t in found)
        boxes = [t.bbox for t in found]
        outside = (
            page.filter(lambda obj: not any(_within(obj, box) for box in boxes)) if boxes else page
        )
        lines = tuple(outside.extract_text_lines(return_chars=True))
        chars = page.chars
        return RawPage(
            page.page_number,
            float(page.height),
            tables,
            lines,
            characters=sum(1 for c in chars if not c["text"].isspace()),
            images=len(page.images),
            unmapped=sum(1 for c in chars if c["text"].startswith("(cid:")),
        )
    finally:
        page.close()


def _edges(table) -> tuple[float, ...]:
    return tuple(float(c.bbox[0]) for c in table.columns) + (float(table.bbox[2]),)


def _within(obj: dict, box: tuple[float, float, float, float]) -> bool:
    """An object's centre lies in the box (text drawn over a ruling still belongs to its cell)."""
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _page(raw: RawPage) -> PdfPage:
    """The page's rows with text, top to bottom (a table row before a line level with it)."""
    rows = [
        PageRow(float(box[1]), float(box[3]), tuple(unwrap(cell) for cell in cells), edges)
        for edges, boxes, texts in raw.tables
        for box, cells in zip(boxes, texts)
    ]
    rows += [
        PageRow(float(ln["top"]), float(ln["bottom"]), line_cells(ln["chars"])) for ln in raw.lines
    ]
    rows = [r for r in rows if any(r.cells)]
    rows.sort(key=lambda r: (round(r.top, 1), r.edges is None))
    return PdfPage(raw.number, raw.height, tuple(rows), raw.characters, raw.images, raw.unmapped)


def unwrap(text: str | None) -> str:
    """A cell's lines joined as one: without a space (Chinese does not break at spaces), except
    between two Latin letters, where the break stood for one.

    >>> unwrap("《山西省科技计划项目管理\\n办法》（晋政办发〔2021〕42\\n号）")
    '《山西省科技计划项目管理办法》（晋政办发〔2021〕42号）'
    >>> unwrap("Annual\\nreport"), unwrap(None)
    ('Annual report', '')
    """
    if not text:
        return ""
    out = ""
    for part in text.split("\n"):
        part = " ".join(part.split())
        if part:
            out += " " + part if _latin(out[-1:]) and _latin(part[0]) else part
    return out


def _latin(char: str) -> bool:
    return char.isascii() and char.isalpha()


def line_cells(chars: Sequence[dict]) -> tuple[str, ...]:
    """The cells of one line of characters: a gap over CELL_GAP character heights starts a new
    cell, a gap over WORD_GAP is a space (the text layer's own spaces are not trusted: PDFs place
    words by position and often print no space glyph at all)."""
    cells: list[str] = []
    current = ""
    previous = None
    unique = {id(c): c for c in chars}.values()  # a glyph of several letters is listed per letter
    for ch in sorted((c for c in unique if not c["text"].isspace()), key=lambda c: c["x0"]):
        if previous is not None:
            gap = ch["x0"] - previous["x1"]
            size = max(float(previous.get("size") or 0), 1.0)
            if gap > CELL_GAP * size:
                cells.append(current)
                current = ""
            elif gap > WORD_GAP * size:
                current += " "
        current += ch["text"]
        previous = ch
    return tuple(cells + [current]) if current else tuple(cells)


# --- what is not content ------------------------------------------------------------------------
def _refuse_textless(pages: Sequence[PdfPage], path: str) -> None:
    """A scan has pictures of text and no text layer; reading it needs OCR, which is not done."""
    characters = sum(p.characters for p in pages)
    if characters >= MIN_TEXT_PER_PAGE * len(pages) or (
        characters and not any(p.images for p in pages)
    ):
        return
    images = sum(1 for p in pages if p.images)
    if images:
        raise UnreadableInput(
            path,
            f"no text layer: {images} of {len(pages)} page(s) are images with {characters} "
            "characters of text in all (a scanned PDF?); OCR is not supported",
        )
    raise UnreadableInput(path, f"no text on any of its {len(pages)} page(s)")


def _refuse_unmapped(pages: Sequence[PdfPage], path: str) -> None:
    """Glyphs whose font has no Unicode mapping read as (cid:N): text that is not there to read."""
    unmapped = sum(p.unmapped for p in pages)
    characters = sum(p.characters for p in pages)
    if unmapped > MAX_UNMAPPED_SHARE * characters:
        raise UnreadableInput(
            path,
            f"{unmapped} of {characters} characters have no Unicode mapping in their font "
            "(they read as (cid:N)); the text layer cannot be read without OCR",
        )


def _furniture(pages: Sequence[PdfPage]) -> set[tuple[int, int]]:
    """(page index, row index) of page numbers and running headers/footers."""
    edges = {(i, j): _key(page.rows[j]) for i, page in enumerate(pages) for j in _edge_rows(page)}
    once_per_page = {(i, key) for (i, _), key in edges.items()}
    recurring = Counter(key for _, key in once_per_page)
    enough = max(2, (len(pages) + 1) // 2)
    return {
        at
        for at, key in edges.items()
        if PAGE_NUMBER.fullmatch(key) or (recurring[key] >= enough and not TITLE.search(key))
    }


def _edge_rows(page: PdfPage) -> list[int]:
    """Indices of the lines of text nearest the top and the bottom edge, outside tables."""
    band = EDGE_BAND * page.height
    n = len(page.rows)
    top = _leading(range(n), lambda r: r.top <= band, page)
    bottom = _leading(range(n - 1, -1, -1), lambda r: r.bottom >= page.height - band, page)
    return sorted(set(top + bottom))


def _leading(order: range, near, page: PdfPage) -> list[int]:
    out = []
    for j in list(order)[:EDGE_LINES]:
        row = page.rows[j]
        if row.edges is not None or not near(row):
            break
        out.append(j)
    return out


def _key(row: PageRow) -> str:
    """A line as furniture is compared: without white space, numbers as #."""
    return DIGITS.sub("#", "".join("".join(row.cells).split()))


def _repeated_headers(
    pages: Sequence[PdfPage], furniture: set[tuple[int, int]]
) -> set[tuple[int, int]]:
    """Header rows that a table continued from the previous page prints again.

    A table continues when the previous page's content ends in a table and this page's content
    begins with one of the same columns; the continuation's leading rows that equal the first
    rows of the table (as it began, pages earlier perhaps) are repeats.
    """
    drop: set[tuple[int, int]] = set()
    running: list[PageRow] = []  # first rows of the table the previous page ended in
    for i, page in enumerate(pages):
        content = [j for j in range(len(page.rows)) if (i, j) not in furniture]
        blocks = _table_blocks(page, content)
        continued = bool(
            running
            and blocks
            and blocks[0][0] == content[0]
            and _same_edges(page.rows[blocks[0][0]].edges, running[0].edges)
        )
        if continued:
            drop.update((i, j) for j in _repeats(page, blocks[0], running))
        ends_in_table = bool(blocks and blocks[-1][-1] == content[-1])
        if not ends_in_table:
            running = []
        elif not (continued and len(blocks) == 1):
            running = [page.rows[j] for j in blocks[-1][:REPEATED_HEADER_ROWS]]
    return drop


def _table_blocks(page: PdfPage, content: list[int]) -> list[list[int]]:
    """Runs of consecutive content rows of one table (same column edges)."""
    blocks: list[list[int]] = []
    previous = None
    for j in content:
        edges = page.rows[j].edges
        if edges is None:
            previous = None
            continue
        if previous is None or edges != previous:
            blocks.append([])
        blocks[-1].append(j)
        previous = edges
    return blocks


def _same_edges(a: tuple[float, ...] | None, b: tuple[float, ...] | None) -> bool:
    return (
        a is not None
        and b is not None
        and len(a) == len(b)
        and all(abs(x - y) <= EDGE_TOLERANCE for x, y in zip(a, b))
    )


def _repeats(page: PdfPage, block: list[int], head: list[PageRow]) -> list[int]:
    """The leading rows of a continuation that equal the table's first rows (never all of it)."""
    out = []
    for j, model in zip(block[:-1], head):
        if page.rows[j].cells != model.cells:
            break
        out.append(j)
    return out


# --- rows ---------------------------------------------------------------------------------------
def _rows(pages: Sequence[PdfPage], drop: set[tuple[int, int]], path: str):
    """Rows numbered page × 1000 + position on the page, furniture and repeats left out."""
    for i, page in enumerate(pages):
        if len(page.rows) >= PAGE_LINES:
            raise UnreadableInput(
                path,
                f"page {page.number} has {len(page.rows)} lines of text; "
                f"at most {PAGE_LINES - 1} per page can be numbered",
            )
        for j, row in enumerate(page.rows):
            text = " ".join(filter(None, row.cells))
            if text and (i, j) not in drop:
                line = page.number * PAGE_LINES + j + 1
                yield Row(line=line, end_line=line, cells=row.cells, text=text)
