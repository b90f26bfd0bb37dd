"""Turn decoded disclosure text into logical rows that keep their original line numbers.

Disclosures reach us through many converters: tab-separated exports, markdown with pipe
tables, PDF-to-markdown tools that emit HTML tables inside markdown (MinerU, marker, docling,
pymupdf4llm), plain HTML, raw `pdftotext`, and converters that put every table cell on its
own line. This module hides those differences behind one shape, a `Document` of `Row`s, so
that the table, section and KPI parsers never look at markup. It deliberately does *not*
re-join wrapped cells or guess table structure: that needs the context those parsers have.

Decisions worth knowing:
* Rows are never renumbered: `line`/`end_line` are 1-based lines of the original file, and a
  row spanning lines (an HTML <tr> or a multi-line <p>) keeps its first and last line.
* Blank lines and rows whose cells are all empty yield no row.
* Inside a cell, block boundaries (<br>, </p><p>, <div>, <li> …) become a single space, so
  a cell is always one line of text; inline tags (<b>, <span> …) vanish without a space.
  Entities are decoded and white-space runs (including U+3000 and NBSP) collapse to one space.
* A cell or line printed twice by the PDF layer (项目名称项目名称) is printed once; see
  `undouble` for the cases left alone.
* The family is per file (the most common markup), but every line is read by its own markup,
  so mixtures (markdown text around HTML tables, headings in TSV exports) work.
"""

from __future__ import annotations

import html
import os
import re
from bisect import bisect_left
from collections import Counter
from functools import lru_cache
from operator import itemgetter

from .gc_pause import gc_paused
from .model import Document, Row
from .labels import LABEL_KEYS, TEXT_LABEL_KEYS
from .units import known_units

__all__ = ["FAMILIES", "clean_cell", "parse_layout", "read_document", "undouble"]

FAMILIES = ("tsv", "html", "markdown", "pdftotext", "cell-per-line", "text")

# --- cell cleaning -------------------------------------------------------------------------
_BLOCK_TAG = re.compile(
    r"<(?:br|/?p|/?div|/?li|/?tr|/?t[dh]|/?h[1-6]|/?ul|/?ol|/?table|/?caption)\b[^<>]*>", re.IGNORECASE
)
_ANY_TAG = re.compile(
    r"<(?:/?[A-Za-z][A-Za-z0-9]*\b[^<>]*|!--.*?--|![A-Za-z][^<>]*|\?[^<>]*)>", re.DOTALL
)
_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
# A well-formed number, as tables print it: 2020, 1,234.50, -3, 90%.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")
_WORDY = re.compile(r"[^\W_]")
# Inline maths that PDF-to-markdown tools (MinerU) write for symbols: $\geq 90\%$, $\geq$95%.
_INLINE_MATH = re.compile(r"\$([^$\n]{1,60})\$")
_MATH_COMMAND = re.compile(r"\\([A-Za-z]+|[%$&#_{}])\s*")
_MATH_SYMBOLS = {
    "geq": "≥", "ge": "≥", "geqslant": "≥", "leq": "≤", "le": "≤", "leqslant": "≤", "gt": ">", "lt": "<",
    "neq": "≠", "ne": "≠", "approx": "≈", "pm": "±", "times": "×", "div": "÷", "cdot": "·", "sim": "~",
    "%": "%", "$": "$", "&": "&", "#": "#", "_": "_", "{": "{", "}": "}",
    "mathrm": "", "text": "", "textrm": "", "mathbf": "", "rm": "", "left": "", "right": "",
}
_MATH_POWERS = {"^{2}": "²", "^2": "²", "^{3}": "³", "^3": "³", "^{\\circ}": "°", "^\\circ": "°"}
# What tools write into a cell with no text: pymupdf4llm's Col3, pandas' Unnamed: 2 and nan, None
_PLACEHOLDER_WORDS = ("Col", "Unnamed", "nan", "NaN", "None")
_PLACEHOLDER = re.compile(r"Col\d{1,3}|Unnamed: ?\d{1,3}(?:_level_\d)?|nan|NaN|None")

# --- line kinds ----------------------------------------------------------------------------
_MD_HEADING = re.compile(r"(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*")
_PIPE_SEP = re.compile(r"\|?(?:[ \t]*:?-+:?[ \t]*[|+])+(?:[ \t]*:?-+:?[ \t]*\|?)?")  # |---|---|, org's |---+---|
_RULE = re.compile(r"[ \t]*[-=]{3,}(?:[ \t]+[-=]{3,})*[ \t]*")  # ----  ---- or ==== ====: a plain-text table's rule
_PIPE_SPLIT = re.compile(r"(?<!\\)\|")
_GRID_RULE = re.compile(r"\+(?:[-=:]+\+)+")  # pandoc's grid table rule: +------+------+
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: a backslash before ASCII punctuation
_HTML_LINE = re.compile(r"<(?:h([1-6])\b|/?[A-Za-z][A-Za-z0-9]*\b[^<>]*>|!)", re.IGNORECASE)

# --- html structure ------------------------------------------------------------------------
_HIDDEN_OPEN = re.compile(r"<(script|style|head)\b|<!--", re.IGNORECASE)
_HIDDEN_CLOSE = {
    kind: re.compile(closer, re.IGNORECASE)
    for kind, closer in (("script", r"</script\b[^>]*>"), ("style", r"</style\b[^>]*>"),
                         ("head", r"</head\b[^>]*>"), ("", r"-->"))
}
_TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>", re.IGNORECASE)
_TR_OPEN = re.compile(r"<tr\b[^>]*>", re.IGNORECASE)
_TR_CLOSE = re.compile(r"</tr\s*>", re.IGNORECASE)
_CELL_OPEN = re.compile(r"<t[dh]\b([^>]*)>", re.IGNORECASE)
_SPAN_ATTR = re.compile(r"\b(col|row)span\s*=\s*[\"']?\s*(\d+)", re.IGNORECASE)
_BLOCK_OPEN = re.compile(r"<(h[1-6]|p|li|caption)\b[^>\n]*>", re.IGNORECASE)
# Box-drawing characters as the grid and pipe tables of plain ASCII: │ → |, ─ ═ → -, corners → +
_BOX_TO_ASCII = str.maketrans(
    {**{c: "|" for c in "│┃║"}, **{c: "-" for c in "─━═"}, **{c: "+" for c in "┼╪╫╬┬┴├┤┌┐└┘╒╕╘╛╞╡╤╧╔╗╚╝╠╣╦╩"}}
)
_BLOCK_END = re.compile(r"</(?:h[1-6]|p|div|li|caption)\s*>", re.IGNORECASE)
_BLOCK_LIMIT = 20_000  # a block longer than this is not a paragraph; leave it to the lines
_NON_NEWLINE = re.compile(r"[^\n]+")
_MAX_COLUMNS = 200  # no disclosure table is wider; spans past this are not expanded
_ALL_ROWS = 1 << 30  # rowspan="0": to the end of the table

# --- plain-text families ------------------------------------------------------------------
# A column gap: two or more spaces, an ideographic space or a tab between text, or a space
# next to CJK text (Chinese prose has no spaces, so a space there separates cells).
_GAP = re.compile(
    r"\S(?: {2,}|[\u3000\t]+)\S|[\u2e80-\u9fff\uff00-\uffef] +\S|\S +[\u2e80-\u9fff\uff00-\uffef]"
)
_LABELS = frozenset(
    ["项目名称", "主管部门及代码", "主管部门", "实施单位", "项目属性", "项目期", "项目资金", "项目概况", "立项依据", "总体目标", "实施期目标", "年度目标", "绩效指标", "一级指标", "二级指标", "三级指标", "指标值"]
)
_SHORT_CELL = 20
# pdftotext cells are split at each space, but not inside an amount printed with spaces
# after its separators ("23, 367. 00", as some PDFs set them).
_PLAIN_CELL_GAP = re.compile(r"(?<!\d[,.，]) |(?<=\d[,.，]) (?!\d)")
_AMOUNT_SEPARATORS = (",", ".", "，")
_PAGE_NUMBER = re.compile(
    r"(?:第\s*\d+\s*页(?:\s*[,，/／]?\s*共\s*\d+\s*页)?|[-—–－]\s*\d{1,4}\s*[-—–－]"
    r"|(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?)",
    re.IGNORECASE,
)
_BARE_INT = re.compile(r"\d{1,4}")
_WORD = re.compile(r"\S+")
# The disclosure's own title at a page's edge (某省科学技术厅2025年部门预算, …预算公开 17): a running
# header even where it is printed once, by the page break it stands at
_RUNNING_TITLE = re.compile(r"\S{2,30}20\d\d年度?(?:部门|单位)?(?:预算|决算)(?:公开)?(?:\s*\d{1,3})?")
_PAGE_NUMBER_AT_EDGE = re.compile(r"^\d{1,4}\s+|\s+\d{1,4}$")  # …部门预算公开 2: the header's own page number
_MIN_PAGE_LINES = 10  # page numbers of consecutive pages are at least this many lines apart
_MAX_FURNITURE_LEN = 60


def read_document(path: str | os.PathLike[str]) -> Document:
    """Read, decode and lay out one disclosure file (extract/load.py; kept for callers)."""
    from budgetkg.extract.load import load_document  # load.py imports this module

    return load_document(path)


@gc_paused
def parse_layout(
    text: str, source: str, *, path: str | None = None, encoding: str = ""
) -> Document:
    """Lay out already decoded `text`; `encoding` is only recorded, "" when unknown."""
    text = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    if "│" in text or "┃" in text or "║" in text:
        text = text.translate(_BOX_TO_ASCII)  # tables drawn with box characters (tabulate's fancy_grid)
    placed, text = _markup_rows(text)
    lines, formfeeds = _classify_lines(text)
    if "\n+-" in text or text.startswith("+-"):  # most files: no grid table, no pass
        lines = _grid_rows(lines)
    if "| 0 |" in text or "|0|" in text:  # pandas' to_markdown: an index column, numbered headings
        lines = _without_frame_numbers(lines)
    family = _detect_family(lines, len(placed))
    drop = _furniture(lines, formfeeds, family)
    split_plain = family == "pdftotext"
    markdown = family == "markdown" or source.lower().endswith((".md", ".markdown"))  # escapes undone
    for line_no, offset, kind, payload, level in lines:
        if line_no in drop:
            continue
        if kind == "html" and len(_BLOCK_END.findall(payload)) > 1:
            placed.extend((offset + at, row) for at, row in _html_blocks(line_no, payload))
            continue
        placed.append((offset, _line_row(line_no, kind, payload, level, split_plain, markdown)))
    placed.sort(key=itemgetter(0))
    rows = tuple(filter(None, map(itemgetter(1), placed)))  # the rows, without the Nones
    if family not in ("pdftotext", "cell-per-line"):  # page breaks seen (_furniture); no rows of cells
        rows = _without_running_headers(rows)
    return Document(source=source, path=path or source, encoding=encoding, family=family, rows=rows)


# --- cells ---------------------------------------------------------------------------------
@lru_cache(maxsize=1 << 16)
def clean_cell(raw: str) -> str:
    """Visible text of one cell: markup gone, entities decoded, one line, printed once.

    Memoized: a disclosure repeats most of its cells (0, 合计, labels, units).
    """
    if "<" in raw:
        raw = _ANY_TAG.sub("", _BLOCK_TAG.sub(" ", raw))
    if "&" in raw:
        raw = html.unescape(raw)
    if "**" in raw:
        raw = raw.replace("**", "")
    if "![" in raw:
        raw = _MD_IMAGE.sub("", raw)
    if "$" in raw:
        raw = _INLINE_MATH.sub(_math_text, raw)
    return undouble(" ".join(raw.split()))


def _math_text(m: re.Match[str]) -> str:
    """The text an inline formula prints ($\\geq 90\\%$ → ≥90%); a formula with a command
    not known here stays as written, dollars and all."""
    body = m.group(1)
    if "\\" not in body and "^" not in body:
        return m.group(0)  # $100$ or a dollar amount: no formula
    for power, glyph in _MATH_POWERS.items():
        body = body.replace(power, glyph)
    unknown = [c for c in _MATH_COMMAND.findall(body) if c not in _MATH_SYMBOLS]
    if unknown or "^" in body:
        return m.group(0)
    body = _MATH_COMMAND.sub(lambda c: _MATH_SYMBOLS[c.group(1)], body)
    return "".join(body.replace("{", "").replace("}", "").split())


def undouble(text: str) -> str:
    """Undo the PDF layer's doubled glyphs: "合计合计" → "合计".

    Left alone where the doubling is not certain: one-character repeats (算算, 常常 are
    words), halves with no letter or digit ("------"), and strings that already read as a
    number ("2020", "1111"). A numeric cell is halved only when the doubled form cannot be a
    number but each half is ("408.27408.27", "150,000150,000").
    """
    size = len(text)
    if size < 4 or size % 2:
        return text
    half = text[: size // 2]
    if not text.endswith(half) or _NUMBER.fullmatch(text):  # endswith: no second slice
        return text
    if _NUMBER.fullmatch(half):
        return half
    if len(set(half)) < 2 or not _WORDY.search(half):
        return text
    return half


def _make_row(line: int, end_line: int, cells, heading: int = 0) -> Row | None:
    """A Row, or None when no cell has visible text (such rows carry nothing)."""
    return Row.of_cells(line, end_line, tuple(cells), heading)


# --- html tables and blocks ----------------------------------------------------------------
def _markup_rows(text: str) -> tuple[list, str]:
    """Rows of HTML tables and multi-line HTML blocks, and the text with those spans blanked.

    Blanking replaces every character but LF by a space, so offsets and line numbers of
    the remaining text are unchanged and the line reader simply sees blank space there.
    """
    if "<" not in text:
        return [], text
    text = _blank(text, _hidden_spans(text))
    line_of = _line_index(text)
    placed, spans = [], []
    for start, body_end, end in _table_spans(text):
        placed.extend(_table_rows(text, start, body_end, line_of))
        spans.append((start, end))
    text = _blank(text, spans)
    blocks = list(_block_spans(text))
    placed.extend((start, _block_row(text, start, end, tag, line_of)) for start, end, tag in blocks)
    return placed, _blank(text, [(start, end) for start, end, _ in blocks])


def _html_blocks(number: int, payload: str) -> list[tuple[int, Row | None]]:
    """(offset in the line, row) for each heading or paragraph of a line that holds several
    (<h2>…</h2><p>单位：万元</p>, a document saved on one line), a heading row at its level; the
    offsets keep them in order with a table on the same line."""
    out, start = [], 0
    for end in [m.end() for m in _BLOCK_END.finditer(payload)] + [len(payload)]:
        raw = payload[start:end]
        piece = raw.strip()
        if piece:
            m = _HTML_LINE.match(piece)
            at = start + len(raw) - len(raw.lstrip())  # where its text begins (a table blanked before it)
            out.append((at, _make_row(number, number, (clean_cell(piece),), int(m.group(1) or 0) if m else 0)))
        start = end
    return out


def _block_row(text: str, start: int, end: int, tag: str, line_of) -> Row | None:
    """One row for a multi-line <p>/<li>/<caption>, or a heading row for <h1>…<h6>."""
    level = int(tag[1]) if tag[0] == "h" else 0
    return _make_row(line_of(start), line_of(end - 1), (clean_cell(text[start:end]),), level)


def _hidden_spans(text: str) -> list[tuple[int, int]]:
    """Spans of comments, <script>, <style> and <head>: markup nobody reads as content.

    Once a closer is missing, later openers of that kind are skipped, so unclosed markup
    costs one scan of the text, not one per opener.
    """
    spans, last, missing = [], 0, set()
    for m in _HIDDEN_OPEN.finditer(text):
        kind = (m.group(1) or "").lower()
        if m.start() < last or kind in missing:
            continue
        close = _HIDDEN_CLOSE[kind].search(text, m.end())
        if close is None:
            missing.add(kind)
            continue
        spans.append((m.start(), close.end()))
        last = close.end()
    return spans


def _line_index(text: str):
    """A function from character offset to 1-based line number. The newlines are listed on its
    first call: markup without tables or multi-line blocks (<p> in TSV cells) never needs them."""
    newlines: list[int] | None = None

    def line_of(offset: int) -> int:
        nonlocal newlines
        if newlines is None:
            newlines = [m.start() for m in re.finditer("\n", text)]
        return bisect_left(newlines, offset) + 1

    return line_of


def _blank(text: str, spans) -> str:
    """`text` with each (start, end) span turned into spaces, newlines kept."""
    if not spans:
        return text
    parts, pos = [], 0
    for start, end in spans:
        parts.append(text[pos:start])
        parts.append(_NON_NEWLINE.sub(lambda m: " " * len(m.group()), text[start:end]))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _table_spans(text: str):
    """(start, body_end, end) of each outermost <table>; an unclosed table runs to the end."""
    depth, start = 0, 0
    for m in _TABLE_TAG.finditer(text):
        if not m.group(1):
            if depth == 0:
                start = m.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                yield start, m.start(), m.end()
    if depth:
        yield start, len(text), len(text)


def _table_rows(text: str, start: int, body_end: int, line_of):
    """(offset, Row) for each <tr>; spans expand so that columns stay aligned."""
    opens = [m for m in _TR_OPEN.finditer(text, start, body_end)]
    raw = []
    for i, m in enumerate(opens):
        stop = opens[i + 1].start() if i + 1 < len(opens) else body_end
        close = _TR_CLOSE.search(text, m.end(), stop)
        end = close.end() if close else m.end() + len(text[m.end():stop].rstrip())
        raw.append((m.start(), end, _tr_cells(text, m.end(), close.start() if close else stop)))
    grid = _expand_spans([cells for _, _, cells in raw])
    return [
        (begin, _make_row(line_of(begin), line_of(end - 1), cells))
        for (begin, end, _), cells in zip(raw, grid)
    ]


def _tr_cells(text: str, start: int, stop: int) -> list[tuple[str, int, int]]:
    """(text, colspan, rowspan) of the cells of one row; closing tags may be omitted."""
    opens = list(_CELL_OPEN.finditer(text, start, stop))
    cells = []
    for i, m in enumerate(opens):
        end = opens[i + 1].start() if i + 1 < len(opens) else stop
        spans = {k.lower(): int(v) for k, v in _SPAN_ATTR.findall(m.group(1))}
        colspan = min(max(spans.get("col", 1), 1), _MAX_COLUMNS)
        rowspan = spans.get("row", 1) or _ALL_ROWS
        cells.append((clean_cell(text[m.end():end]), colspan, rowspan))
    return cells


def _expand_spans(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """Lay cells on a grid: colspan adds empty cells after the cell, rowspan leaves an
    empty cell in the column of the rows it covers.

    Spans are honoured up to _MAX_COLUMNS columns; past that a table is broken or hostile,
    and expanding it would only cost time and memory.
    """
    covered: dict[int, int] = {}  # column -> last row index covered by a rowspan from above
    grid = []
    for r, cells in enumerate(rows):
        out: list[str] = []
        for text, colspan, rowspan in cells:
            while covered.get(len(out), -1) >= r:
                out.append("")
            col = len(out)
            out.append(text)
            if col >= _MAX_COLUMNS:
                continue
            colspan = min(colspan, _MAX_COLUMNS - col)
            out.extend([""] * (colspan - 1))
            if rowspan > 1:
                covered.update((c, r + rowspan - 1) for c in range(col, col + colspan))
        widest = max((c for c, last in covered.items() if last >= r), default=-1)
        out.extend([""] * (widest + 1 - len(out)))
        covered = {c: last for c, last in covered.items() if last > r}
        grid.append(out)
    return grid


def _block_spans(text: str):
    """(start, end, tag) of HTML headings/paragraphs that start a line and span several
    lines; one-line blocks are left to the line reader. Blocks holding a tab are TSV cells.

    Closing tags are collected once per tag and found by bisection, so a file full of
    unclosed <p> stays linear.
    """
    closers: dict[str, tuple[list[int], list[int]]] = {}
    last = 0
    for start, opened, tag in _line_openers(text):
        tag = tag.lower()
        if tag not in closers:
            found = list(re.finditer(rf"</{tag}\s*>", text, re.IGNORECASE))
            closers[tag] = ([c.start() for c in found], [c.end() for c in found])
        starts, ends = closers[tag]
        i = bisect_left(starts, opened)
        if start < last or i == len(starts) or starts[i] - opened > _BLOCK_LIMIT:
            continue
        span = text[start:ends[i]]
        if "\n" in span and "\t" not in span:
            last = ends[i]
            yield start, ends[i], tag


def _line_openers(text: str):
    """(line start, end of the tag, tag name) of each block tag with only spaces or tabs before
    it on its line. Searched from the tag's "<", which the regex engine finds by a fast scan; a
    pattern anchored at line starts (^[ \t]*<…) is tried at every offset of the text instead."""
    for m in _BLOCK_OPEN.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        if not text[start : m.start()].strip(" \t"):
            yield start, m.end(), m.group(1)


# --- lines ---------------------------------------------------------------------------------
def _classify_lines(text: str):
    """(line, offset, kind, payload, heading level or, for a plain line, its indentation) for
    each non-blank line, and the lines holding a form feed (pdftotext's page break)."""
    lines, formfeeds = [], []
    offset = 0
    for number, line in enumerate(text.split("\n"), 1):
        start, offset = offset, offset + len(line) + 1
        if "\f" in line:
            formfeeds.append(number)
            line = line.replace("\f", " ")
        stripped = line.strip()
        if not stripped:
            continue
        at = start if line[0] == stripped[0] else start + len(line) - len(line.lstrip())
        if "\t" in line and stripped[0] != "|":  # most lines of a TSV export: no _kind call
            lines.append((number, at, "tab", line, 0))
        else:
            lines.append((number, at) + _kind(line, stripped))
    return lines, formfeeds


def _grid_rows(lines: list) -> list:
    """pandoc's grid tables: the `|` lines between two +----+ rules are one row, each cell's
    text wrapped over them joined again; the rules themselves are no rows."""
    out: list = []
    pending: list = []
    in_grid = False
    for entry in lines:
        kind, payload = entry[2], entry[3]
        if kind == "plain" and payload[:1] == "+" and _GRID_RULE.fullmatch(payload):
            _flush_grid_row(pending, out)
            in_grid = True
        elif in_grid and kind == "pipe":
            pending.append(entry)
        else:
            _flush_grid_row(pending, out)
            in_grid = False
            out.append(entry)
    _flush_grid_row(pending, out)
    return out


def _without_frame_numbers(lines: list) -> list:
    """Pipe tables as pandas' to_markdown prints a DataFrame: its index (0, 1, 2 … down the
    first column, under an empty heading) is no column of the table, and a heading row of
    the column numbers (| 0 | 1 | 2 |, camelot's frames) no row of it."""
    out: list = []
    run: list = []
    for entry in lines + [None]:
        if entry is not None and entry[2] in ("pipe", "sep") and (not run or entry[0] == run[-1][0] + 1):
            run.append(entry)  # a table: its lines one after the other
            continue
        out.extend(_frame_run(run))
        run = []
        if entry is not None and entry[2] in ("pipe", "sep"):
            run.append(entry)
        elif entry is not None:
            out.append(entry)
    return out


def _frame_run(run: list) -> list:
    rows = [(entry, [c.strip() for c in _pipe_cells(entry[3])]) for entry in run if entry[2] == "pipe"]
    if len(rows) < 2:
        return run
    firsts = [cells[0] for _, cells in rows]
    indexed = _counts_up(firsts[1:] if not firsts[0] else firsts)
    if indexed:
        run = [_first_cell_dropped(entry) if entry[2] == "pipe" else entry for entry in run]
        rows = [(entry, [c.strip() for c in _pipe_cells(entry[3])]) for entry in run if entry[2] == "pipe"]
    heading = [c for c in rows[0][1] if c]  # one figure alone is a row's value, unless under an index
    if _counts_up(heading) and (len(heading) >= 2 or indexed):
        run = [entry for entry in run if entry is not rows[0][0]]
    return run


def _counts_up(cells: list[str]) -> bool:
    """0, 1, 2 … (or from any start): a frame's numbering."""
    if not cells or not all(c.isdigit() for c in cells):
        return False
    start = int(cells[0])
    return [int(c) for c in cells] == list(range(start, start + len(cells)))


def _first_cell_dropped(entry: tuple) -> tuple:
    number, offset, kind, payload, level = entry
    cells = _pipe_cells(payload)
    return (number, offset, kind, "|" + "|".join(cells[1:]) + "|", level)


def _flush_grid_row(pending: list, out: list) -> None:
    if not pending:
        return
    columns = zip(*(_pipe_cells(entry[3]) for entry in pending))  # (cells of a column's lines)
    cells = tuple(_join_wrapped([p.strip() for p in parts]) for parts in columns)
    number, offset = pending[0][0], pending[0][1]
    out.append((number, offset, "grid", (cells, pending[-1][0]), 0))
    pending.clear()


def _join_wrapped(parts: list[str]) -> str:
    """A cell's lines joined: with no space between Chinese glyphs or digits (资助青年科研人员 /
    比例, 3 / 22-山西省…: a wrap inside a word or a number), a space between other words."""
    text = ""
    for part in filter(None, parts):
        gap = "" if not text or (_tight(text[-1]) and _tight(part[0])) else " "
        text += gap + part
    return text


def _tight(char: str) -> bool:
    return char.isdigit() or _CJK.match(char) is not None


def _kind(line: str, stripped: str) -> tuple[str, str, int]:
    """The markup of one line: pipe/sep (markdown table), tab, heading, html or plain."""
    first = stripped[0]
    if first == "|" and len(stripped) > 1:
        return ("sep", stripped, 0) if _PIPE_SEP.fullmatch(stripped) else ("pipe", stripped, 0)
    if "\t" in line:
        return "tab", line, 0
    if first == "#":
        m = _MD_HEADING.fullmatch(stripped)
        if m:
            return "heading", m.group(2), len(m.group(1))
    elif first == "<":
        m = _HTML_LINE.match(stripped)
        if m:
            return "html", stripped, int(m.group(1) or 0)
    if (first == "-" or first == "=") and _RULE.fullmatch(stripped):
        return "rule", stripped, 0  # no row, and no sign of markdown (pandoc and pdftotext print them too)
    return "plain", stripped, len(line) - len(line.lstrip())  # a plain line's indentation


def _line_row(
    number: int, kind: str, payload: str, level: int, split_plain: bool, markdown: bool = False
) -> Row | None:
    """The Row of one classified line; `markdown` when the file is markdown (escapes undone)."""
    if kind == "tab":  # the commonest kind: the Row built here, without _make_row's call
        return Row.of_cells(number, number, tuple(map(clean_cell, payload.split("\t"))), level)
    if kind == "sep" or kind == "rule":
        return None
    if kind == "grid":
        cells, end = payload
        return _make_row(number, end, [clean_cell(md_unescape(c)) for c in cells])
    if kind == "pipe":
        raw = _pipe_cells(payload)
        if "<br" in payload:
            raw = _read_across(raw)
        cells = [clean_cell(md_unescape(c)) for c in raw]
        if any(word in payload for word in _PLACEHOLDER_WORDS):  # most rows: no cell compared
            cells = ["" if _PLACEHOLDER.fullmatch(c) else c for c in cells]
        return _make_row(number, number, cells)
    if kind == "plain":  # `level` is the line's indentation (pdftotext -layout keeps columns)
        if split_plain:
            if markdown and "\\" in payload:  # a markdown file without pipes (pandoc's multiline tables)
                payload = md_unescape(payload)
            if _JOINER in payload:  # invisible in the source too: dropped, so only ours mark joins
                payload = payload.replace(_JOINER, "")
            kept = _kept_together(payload) if " " in payload else payload
            cells = tuple(map(undouble, _plain_cells(clean_cell(kept))))
            starts = _starts(payload, cells, level)
            if kept is not payload:  # the gap is the typesetter's, no character of the text
                cells = tuple(c.replace(_JOINER, "") for c in cells)
            return Row.of_cells(number, number, cells, indent=level, starts=starts)
        level = 0
    text = md_unescape(payload) if markdown or kind == "heading" else payload
    return _make_row(number, number, (clean_cell(text),), level)


_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _read_across(cells: list[str]) -> list[str]:
    """A text field's value cut into the table's grid columns (pymupdf4llm, under a grid that
    other rows' columns make): each piece holds its column's slice of every line of the text,
    lines parted by <br>. Read across, then down (line 1 of every piece, then line 2 …), the
    pieces give the text back, as one cell after its label. Other rows are returned as they are."""
    filled = [c.strip() for c in cells[1:]]
    while filled and not filled[-1]:
        filled.pop()
    if len(filled) < 2 or not all(filled) or _label_key(cells[0]) not in TEXT_LABEL_KEYS:
        return cells
    if len(set(filled)) < len(filled):  # one text written into each cell it spans: not cut
        return cells
    if any(_label_key(c) in LABEL_KEYS for c in filled):  # another field on the row: not one text
        return cells
    lines = [_BR.split(c) for c in filled]
    text = "".join("".join(p[j] for p in lines if j < len(p)) for j in range(max(map(len, lines))))
    return [cells[0], text] + [""] * (len(cells) - 2)


def _label_key(cell: str) -> str:
    """A label cell as the vocabulary keys it: no line breaks, no white space (项目设立必要<br>性)."""
    return "".join(_BR.sub("", cell).split())


def md_unescape(text: str) -> str:
    """Markdown's backslash escapes undone: 晋政办发\\[2021\\]42号, 1\\. and \\| read as printed.
    PDF-to-markdown tools escape the brackets and dots of document numbers and list items."""
    return _MD_ESCAPE.sub(r"\1", text) if "\\" in text else text


def _plain_cells(text: str) -> list[str]:
    """`text` split as _PLAIN_CELL_GAP splits it, without running a regex at every offset:
    at each space, except one after a digit and a separator with a digit after it."""
    if " " not in text:
        return [text]
    pieces = text.split(" ")
    out = [pieces[0]]
    for piece in pieces[1:]:
        prev = out[-1]
        if prev[-1:] in _AMOUNT_SEPARATORS and prev[-2:-1].isdecimal() and piece[:1].isdecimal():
            out[-1] = f"{prev} {piece}"  # "23, 367. 00": one amount
        else:
            out.append(piece)
    return out


# A figure and its unit one space apart (12 月之前, ≤200 万元): Word and WPS set figures apart
# from Chinese text and pdftotext prints the gap as one space; a column gap is wider.
_FIGURE_UNIT_GAP = re.compile(
    r"(?<![^\s\u2060])([≥≤><=＞＜≧≦]?\d[\d,.]*) (?=[^\s\d])(\S{1,6})(?!\S)(?! [\u4e00-\u9fff](?:\s|$))"  # not 1 人 员 经 费
)
_COMPARATOR_GAP = re.compile(r"(?<!\S)([≥≤＞＜≧≦]) (?=\d)")  # ≥ 25 项
_AFTER_UNIT = ("之前", "以前", "底前", "前", "以上", "以下", "以内")
_JOINER = "\u2060"  # marks a space that is no gap between cells while a line is split


def _kept_together(payload: str) -> str:
    """`payload` with each figure–unit gap, and the gap after a comparator standing alone before
    a number, marked _JOINER (see _FIGURE_UNIT_GAP)."""
    if "≥ " in payload or "≤ " in payload:
        payload = _COMPARATOR_GAP.sub(r"\1" + _JOINER, payload)
    return _FIGURE_UNIT_GAP.sub(lambda m: m[1] + _JOINER + m[2] if _is_unit(m[2]) else m[0], payload)


def _is_unit(piece: str) -> bool:
    """A unit, with a scale before it or a deadline word after it: 万元, 个, 千克, 月之前."""
    unit = next((piece[: -len(w)] for w in _AFTER_UNIT if piece.endswith(w) and len(piece) > len(w)), piece)
    units = known_units()
    return unit in units or (unit[:1] in "万亿千" and unit[1:] in units)  # 千克 listed, 万元 scaled


def _starts(payload: str, cells: tuple[str, ...], indent: int) -> tuple[int, ...]:
    """The text column where each cell begins (pdftotext -layout places a table's cells under
    their column's heading): cells are runs of the payload's words, in order."""
    words = [m.start() for m in _WORD.finditer(payload)]
    out, k = [], 0
    for cell in cells:
        if k >= len(words):
            return ()
        out.append(indent + words[k])
        k += cell.count(" ") + cell.count(_JOINER) + 1
    return tuple(out)


def _pipe_cells(stripped: str) -> list[str]:
    """Cells of a markdown table row; the outer pipes do not delimit empty cells."""
    inner = stripped[1:]
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    return _PIPE_SPLIT.split(inner)


# --- family --------------------------------------------------------------------------------
def _detect_family(lines, markup_rows: int) -> str:
    """The markup most rows are written in.

    TSV, HTML and markdown are recognised by their markup; when such lines are rare (under
    3 and under 2 % of the rows), the file is plain text and `_plain_family` tells pdftotext
    output, cell-per-line output and prose apart.
    """
    kinds = Counter(map(itemgetter(2), lines))
    marked = {
        "tsv": kinds["tab"],
        "html": markup_rows + kinds["html"],
        "markdown": kinds["pipe"] + kinds["sep"] + kinds["heading"],
    }
    total = sum(marked.values())
    if total and total >= max(3, 0.02 * (len(lines) + markup_rows)):
        return max(marked, key=marked.get)
    return _plain_family([payload for _, _, kind, payload, _ in lines if kind == "plain"])


def _plain_family(texts: list[str]) -> str:
    """cell-per-line when most lines are one short cell and the labels of a 绩效目标表 stand
    on lines of their own; pdftotext when many lines show column gaps; else text."""
    if not texts:
        return "text"
    texts = [_unspaced(t) for t in texts]
    gaps = sum(1 for t in texts if _has_gap(t)) / len(texts)
    short = sum(1 for t in texts if len(t) <= _SHORT_CELL and len(t.split()) == 1) / len(texts)
    present = set(texts)  # a label undoubles from itself or from itself printed twice
    labels = sum(1 for label in _LABELS if label in present or label + label in present)
    if short >= 0.6 and gaps < 0.2 and labels >= 2:
        return "pdftotext" if _labels_lead_values(texts) else "cell-per-line"
    return "pdftotext" if gaps >= 0.15 else "text"


def _unspaced(text: str) -> str:
    """项 目 名 称 → 项目名称: a word set letter-spaced (a label justified across its cell) is
    one word, not a row of one-glyph cells."""
    if " " not in text or len(text) > 2 * _SHORT_CELL:
        return text
    pieces = text.split()
    return "".join(pieces) if len(pieces) >= 3 and all(len(p) == 1 for p in pieces) else text


def _labels_lead_values(texts: list[str]) -> bool:
    """Most lines that open with a table label carry its value after it (项目名称 科技馆运行费):
    pdftotext, its cells wrapped so narrow that most lines hold one word; one cell per line
    prints each label alone."""
    starts = tuple(_LABELS)
    led = [t.split() for t in texts if t.startswith(starts)]
    with_value = sum(1 for words in led if len(words) > 1 and words[0] in _LABELS)
    return bool(led) and with_value >= 0.5 * len(led)


def _has_gap(text: str) -> bool:
    """_GAP.search, skipped where no space, tab or U+3000 could make a gap (the regex has no
    literal to scan for, so it tries every offset)."""
    return (" " in text or "\u3000" in text or "\t" in text) and bool(_GAP.search(text))


# --- page furniture ------------------------------------------------------------------------
def _furniture(lines, formfeeds: list[int], family: str = "") -> set[int]:
    """Line numbers of page numbers and running headers/footers, which are not content.

    A running header is only recognised next to a page break (a form feed or a page-number
    line): table labels such as 数量指标 or 单位：万元 repeat just as often elsewhere, so
    repetition alone would delete content.

    Where every cell has a line of its own, a bare integer is mostly a cell (a 3-digit 功能分类
    code, a 目录 page, an amount) among the cells of its row; there only one set apart, with
    a blank line or a page break on either side, may count pages.
    """
    plain = [(n, payload) for n, _, kind, payload, _ in lines if kind == "plain"]
    candidates = plain
    if family == "cell-per-line":
        candidates = _set_apart(plain, {n for n, *_ in lines}, set(formfeeds))
    pages = {n for n, t in plain if _PAGE_NUMBER.fullmatch(t)} | _page_number_chain(candidates)
    breaks = [(b, b) for b in formfeeds] + [(p, p + 1) for p in sorted(pages)]
    edges, beyond = _page_edges(lines, breaks, pages)
    # the disclosure's title at a break: a running header even where a short file shows it once
    titled = {n for n, t in edges.items() if _RUNNING_TITLE.fullmatch(t.strip())}
    if len(breaks) < 2:
        return pages | titled
    bounds = [(0, 0), (1 << 62, 1 << 62)]  # the file's start and end bound pages too (its own title
    bound_edges, bound_beyond = _page_edges(lines, bounds, pages)  # is no running one)
    edges, beyond, count = {**bound_edges, **edges}, beyond + bound_beyond, len(breaks) + len(bounds)
    bare = family != "cell-per-line"  # there a bare number is mostly a cell, not a page's
    found = _repeated(edges, count, bare) | titled
    # a header of two lines (山西省科学技术协会 / 2026年度部门预算公开): the line beyond one found
    found |= _repeated({n: t for n, t, nearest in beyond if nearest in found}, count, bare)
    return pages | found


def _repeated(edges: dict[int, str], breaks: int, bare_numbers: bool) -> set[int]:
    """The edge lines whose text recurs at enough page breaks; a page number printed in the
    header's line (…部门预算公开 2, … 3) does not make its text differ, nor, with
    `bare_numbers`, does a page number on a line of its own (2, 3, 4)."""
    keys = {n: _edge_key(t, bare_numbers) for n, t in edges.items()}
    counts = Counter(keys.values())
    return {n for n, key in keys.items() if counts[key] >= 3 and counts[key] >= 0.3 * breaks}


def _without_running_headers(rows: tuple[Row, ...]) -> tuple[Row, ...]:
    """`rows` without the running headers printed inside a table that a page break split.

    Markdown and HTML converters mark no page breaks, so the one sign is where the line stands:
    alone between two rows of cells, and printed elsewhere too: as the document's title (the
    first row, if on its own and of 8 glyphs or more, longer than a cell's value), or at least
    three times in such places and of 10 glyphs or more, longer than the labels printed alone
    between rows of every table (效益指标).
    """
    sizes = [len(row.filled) for row in rows]
    between = [
        i
        for i, (before, size, after) in enumerate(zip(sizes, sizes[1:], sizes[2:]), 1)
        if size == 1 and before > 1 and after > 1 and len(rows[i].text) <= _MAX_FURNITURE_LEN
    ]
    if not between:
        return rows
    title = rows[0].key if sizes[0] == 1 and len(rows[0].key) >= 8 else None  # too long for a cell
    counts = Counter(rows[i].key for i in between)
    drop = {i for i in between if rows[i].key == title or counts[rows[i].key] >= 3 and len(rows[i].key) >= 10}
    return tuple(row for i, row in enumerate(rows) if i not in drop) if drop else rows


def _edge_key(text: str, bare_numbers: bool) -> str:
    text = text.strip()
    if bare_numbers and _BARE_INT.fullmatch(text):
        return "#"
    return _PAGE_NUMBER_AT_EDGE.sub("#", text)


def _page_edges(lines, breaks, pages: set[int]) -> tuple[dict[int, str], list[tuple[int, str, int]]]:
    """Short plain lines nearest each page break (before, after), by line number; and the
    line beyond each of them (line number, text, the nearest line's number)."""
    numbers = [n for n, _, _, _, _ in lines]
    edges: dict[int, str] = {}
    beyond: list[tuple[int, str, int]] = []
    for before, after in breaks:
        i = bisect_left(numbers, before) - 1
        while i >= 0 and numbers[i] in pages:
            i -= 1
        j = bisect_left(numbers, after)
        while j < len(numbers) and numbers[j] in pages:
            j += 1
        for k, step in ((i, -1), (j, 1)):
            nearest = _short_plain(lines, k)
            if nearest is not None:
                edges[lines[k][0]] = nearest
                further = _short_plain(lines, k + step)
                if further is not None:
                    beyond.append((lines[k + step][0], further, lines[k][0]))
    return edges, beyond


def _short_plain(lines, k: int) -> str | None:
    """The text of lines[k] when it is a short plain line (what page furniture can be)."""
    if 0 <= k < len(lines):
        _, _, kind, text, _ = lines[k]
        if kind == "plain" and len(text) <= _MAX_FURNITURE_LEN:
            return text
    return None


def _set_apart(plain, filled: set[int], formfeeds: set[int]) -> list[tuple[int, str]]:
    """The bare integers with no text on the line before or after (a page break counts as
    none), and every other line as it is."""

    def apart(n: int) -> bool:
        return n - 1 not in filled or n - 1 in formfeeds or n in formfeeds

    def apart_after(n: int) -> bool:
        return n + 1 not in filled or n + 1 in formfeeds

    return [
        (n, t) for n, t in plain if not _BARE_INT.fullmatch(t) or (apart(n) and apart_after(n))
    ]


def _page_number_chain(plain: list[tuple[int, str]]) -> set[int]:
    """Bare integers that count pages: n follows n-1 at least a page's worth of lines later.

    A bare number is usually a table cell (0, 60, 2130599), so it is taken as a page number
    only inside such a chain, and only when the chain marks at least three lines.
    """
    seen: dict[int, int] = {}  # value -> line where it last stood alone
    marked = set()
    for number, text in plain:
        if _BARE_INT.fullmatch(text):
            value = int(text)
            previous = seen.get(value - 1)
            if previous is not None and number - previous >= _MIN_PAGE_LINES:
                marked.update((previous, number))
            seen[value] = number
    return marked if len(marked) >= 3 else set()
