"""Re-lay a tab-separated seed out in the other converter families, for robustness tests.

The unseen checks run the extractor on copies of the seeds written by other tools: markdown
pipe tables (marker, pymupdf4llm), HTML <table>s inside markdown (MinerU, docling, marker),
one table cell per line, and raw `pdftotext` text. These converters produce such copies from
the tab-separated seeds, written the way those tools write them:

* a *table block* is a run of consecutive lines holding a tab; everything else ("prose") is
  copied unchanged, except that the plain-text families drop markdown heading marks and tags
  (pdftotext and cell-per-line output carry no markup);
* cell text is the seed's cell; "visible" text means tags removed (block tags such as
  `</p> <p>` become one space) and entities decoded, as a PDF tool would print it.

Every converter returns a `Relaid`: the new text and `line_map`, a dict from each 1-based line
of the input to the 1-based line of the output where that line's content starts. Where lines
move, the provenance (`line`) of a re-laid-out record cannot equal the gold's; `remap_gold`
rewrites a gold record's lines through the map so that provenance can still be checked.
"""

from __future__ import annotations

import copy
import html
import re
from dataclasses import dataclass

__all__ = [
    "Relaid",
    "to_markdown_pipes",
    "to_html_tables",
    "to_cell_per_line",
    "to_pdftotext",
    "remap_gold",
    "VARIANTS",
    "relayout",
]

_BLOCK_TAG = re.compile(r"\s*<(?:br|/?p|/?div|/?li)\b[^<>]*>\s*", re.I)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*\b[^<>]*>")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*$")
LABEL_COLUMNS = 3  # the columns where merged (rowspan) cells are reconstructed


@dataclass(frozen=True)
class Relaid:
    text: str
    line_map: dict[int, int]  # input line -> output line where its content starts
    lines_kept: bool  # True when every line keeps its number (provenance comparable as is)


# --- helpers -------------------------------------------------------------------------------
def visible(cell: str) -> str:
    """The text a PDF tool would print for a seed cell: no tags, entities decoded."""
    cell = _BLOCK_TAG.sub(" ", cell)
    cell = _TAG.sub("", cell)
    return " ".join(html.unescape(cell).split())


def plain_line(line: str) -> str:
    """A prose line as plain-text tools print it: no '#' heading marks, no tags."""
    m = _HEADING.match(line)
    if m:
        line = m.group(2)
    return visible(line) if "<" in line or "&" in line else line


def _segments(text: str):
    """('prose', [(n, line)]) and ('table', [(n, [cells])]) runs, n 1-based, in order."""
    out: list[tuple[str, list]] = []
    for n, line in enumerate(text.split("\n"), 1):
        kind = "table" if "\t" in line else "prose"
        item = (n, line.split("\t")) if kind == "table" else (n, line)
        if out and out[-1][0] == kind:
            out[-1][1].append(item)
        else:
            out.append((kind, [item]))
    return out


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.line_map: dict[int, int] = {}

    def emit(self, origin: int | None, *lines: str) -> None:
        if origin is not None and origin not in self.line_map:
            self.line_map[origin] = len(self.lines) + 1
        self.lines.extend(lines)

    def done(self, n_input: int) -> Relaid:
        text = "\n".join(self.lines)
        kept = all(self.line_map.get(n, n) == n for n in range(1, n_input + 1)) and len(
            self.lines
        ) == n_input
        return Relaid(text, self.line_map, kept)


def _pad(rows: list[list[str]]) -> list[list[str]]:
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


# --- markdown pipe tables ------------------------------------------------------------------
def _pipe_cell(cell: str, tags: str) -> str:
    text = visible(cell) if tags == "strip" else " ".join(cell.split())
    return text.replace("|", "\\|")


def _filled_grid(rows: list[list[str]], colspan: bool = True) -> list[list[str]]:
    """docling's markdown export: a merged cell's text repeated in every cell it covers."""
    merged = _merged_grid(rows, LABEL_COLUMNS, colspan=colspan)
    height = len(merged)
    width = max(len(r) for r in rows)
    grid: list[list[str | None]] = [[None] * width for _ in range(height)]
    for r, row in enumerate(merged):
        c = 0
        for text, rs, cs in row:
            while grid[r][c] is not None:
                c += 1
            for i in range(r, min(r + rs, height)):
                for j in range(c, c + cs):
                    grid[i][j] = text
            c += cs
    return [[x or "" for x in row] for row in grid]


def to_markdown_pipes(
    text: str, tags: str = "strip", pad: bool = True, fill_spans: str = ""
) -> Relaid:
    """Each tab row → `| a | b |`, a `|---|` separator after the first row of each block.

    tags="strip": cells hold visible text (marker, pymupdf4llm); tags="keep": <p>/<b> stay
    inside the cells as the seed has them. pad=True gives every row of a block the block's
    width, as markdown writers do. Empty cells stay empty (`|  |`), except with
    fill_spans="all" (docling): cells taken as merged (see `_merged_grid`) repeat the merged
    cell's text; fill_spans="rows" repeats only row-merged label cells.
    """
    w = _Writer()
    for kind, items in _segments(text):
        if kind == "prose":
            for n, line in items:
                w.emit(n, line)
            continue
        rows = [cells for _, cells in items]
        if fill_spans:
            rows = _filled_grid(rows, colspan=fill_spans == "all")
        elif pad:
            rows = _pad(rows)
        for i, ((n, _), cells) in enumerate(zip(items, rows)):
            w.emit(n, "| " + " | ".join(_pipe_cell(c, tags) for c in cells) + " |")
            if i == 0:
                w.emit(None, "|" + "|".join("---" for _ in cells) + "|")
    return w.done(len(text.split("\n")))


# --- html tables ---------------------------------------------------------------------------
def _td(cell: str, rowspan: int = 1, colspan: int = 1) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
        f' colspan="{colspan}"' if colspan > 1 else ""
    )
    return f"<td{attrs}>{html.escape(visible(cell), quote=False)}</td>"


_NUMERIC = re.compile(r"[\d,.%\s≥≤<>=+-]*")


def _label_like(cell: str) -> bool:
    """A cell that may be a merged label: text, not an amount or a value."""
    text = visible(cell)
    return bool(text) and not _NUMERIC.fullmatch(text) and len(text) <= 30


def _merged_grid(rows: list[list[str]], label_columns: int, colspan: bool):
    """Rows of (text, rowspan, colspan) cells, with covered cells removed.

    rowspan: in the first `label_columns` columns an empty cell under a non-empty one is
    taken as covered by it (a PDF tool reconstructing merged label cells), only while the
    row has content to its right and none to its left (a child label cannot outrun its
    parent). colspan: a text (not numeric) cell followed only by empty cells to the row's
    end spans them (项目名称 rows, group headers).
    """
    rows = _pad(rows)
    height, width = len(rows), len(rows[0])
    span = [[1] * width for _ in range(height)]
    covered = [[False] * width for _ in range(height)]
    for c in range(min(label_columns, width)):
        for r in range(height):
            if covered[r][c] or not _label_like(rows[r][c]):
                continue
            k = r + 1
            while (
                k < height
                and not visible(rows[k][c])
                and not covered[k][c]
                and any(visible(x) for x in rows[k][c + 1 :])
                and all(covered[k][j] or not visible(rows[k][j]) for j in range(c))
            ):
                k += 1
            span[r][c] = k - r
            for j in range(r + 1, k):
                covered[j][c] = True
    out = []
    for r, cells in enumerate(rows):
        row = []
        c = 0
        while c < width:
            if covered[r][c]:
                c += 1
                continue
            cs = 1
            if colspan and visible(cells[c]) and not _NUMERIC.fullmatch(visible(cells[c])):
                rest = range(c + 1, width)
                if rest and all(not visible(cells[j]) and not covered[r][j] for j in rest):
                    # only when no rowspan reaches into the tail of this row
                    cs = width - c
            row.append((cells[c], span[r][c] if cs == 1 else 1, cs))
            c += cs
        out.append(row)
    return out


def to_html_tables(
    text: str,
    one_line: bool = False,
    merge: bool = False,
    colspan: bool = False,
    wrapper: bool = True,
    label_columns: int = LABEL_COLUMNS,
) -> Relaid:
    """Each block of tab rows → one <table>.

    one_line=False (variant A): one <tr> per line, <table> opened on the first row's line and
    closed on the last, so every line keeps its number. one_line=True (variant B, MinerU):
    the whole table on one line, wrapped in <html><body> when `wrapper`. merge=True (variant
    C): merged label cells reconstructed as rowspan (see `_merged_grid`), colspan=True also
    merges a cell with the empty tail of its row.
    """
    w = _Writer()
    for kind, items in _segments(text):
        if kind == "prose":
            for n, line in items:
                w.emit(n, line)
            continue
        rows = [cells for _, cells in items]
        if merge or colspan:
            grid = _merged_grid(rows, label_columns if merge else 0, colspan)
        else:
            grid = [[(c, 1, 1) for c in cells] for cells in _pad(rows)]
        trs = ["<tr>" + "".join(_td(c, rs, cs) for c, rs, cs in row) + "</tr>" for row in grid]
        if one_line:
            head, tail = ("<html><body><table>", "</table></body></html>") if wrapper else (
                "<table>", "</table>")
            w.emit(items[0][0], head + "".join(trs) + tail)
            for n, _ in items[1:]:
                w.line_map[n] = len(w.lines)
        else:
            trs[0] = "<table>" + trs[0]
            trs[-1] = trs[-1] + "</table>"
            for (n, _), tr in zip(items, trs):
                w.emit(n, tr)
    return w.done(len(text.split("\n")))


# --- one cell per line ---------------------------------------------------------------------
def to_cell_per_line(text: str, blank_between_rows: bool = False) -> Relaid:
    """Every non-empty cell on its own line; rows separated by nothing or by a blank line.
    Prose lines are kept (heading marks and tags dropped, as plain-text output has none)."""
    w = _Writer()
    for kind, items in _segments(text):
        if kind == "prose":
            for n, line in items:
                w.emit(n, plain_line(line))
            continue
        for n, cells in items:
            cells = [v for v in (visible(c) for c in cells) if v]
            if not cells:
                continue
            w.emit(n, *cells)
            if blank_between_rows:
                w.emit(None, "")
    return w.done(len(text.split("\n")))


# --- pdftotext -----------------------------------------------------------------------------
def _wrap(cell: str, width: int) -> list[str]:
    return [cell[i : i + width] for i in range(0, len(cell), width)] or [""]


def to_pdftotext(
    text: str, keep_empty: bool = True, wrap: int | None = None, blank_between_rows: bool = False
) -> Relaid:
    """Cells joined by single spaces, as `pdftotext` (without -layout) prints table rows.

    keep_empty=True joins empty cells too, so they show as runs of spaces (as in seed 004:
    "科技创新券 15.00 15.00     "); False joins only the non-empty cells. wrap=N breaks a
    cell longer than N characters out of its row: the cells before it end the row's line,
    the long cell follows in N-character lines, and the cells after it go on one more line
    (as pdftotext prints a multi-line cell: 项目概况 / its text / the rest). blank_between_rows
    puts an empty line after each table row, as seed 004 shows.
    """
    w = _Writer()
    for kind, items in _segments(text):
        if kind == "prose":
            for n, line in items:
                w.emit(n, plain_line(line))
            continue
        for n, cells in items:
            cells = [visible(c) for c in cells]
            if not any(cells):
                continue
            if not keep_empty:
                cells = [c for c in cells if c]
            out: list[str] = []
            current: list[str] = []
            for c in cells:
                if wrap and len(c) > wrap:
                    if any(current):
                        out.append(" ".join(current))
                    out.extend(_wrap(c, wrap))
                    current = []
                else:
                    current.append(c)
            if any(current):
                out.append(" ".join(current))
            w.emit(n, *out)
            if blank_between_rows:
                w.emit(None, "")
    return w.done(len(text.split("\n")))


# --- the variants the tests run --------------------------------------------------------------
VARIANTS = {
    "md_pipes_strip": (to_markdown_pipes, {"tags": "strip"}),
    "md_pipes_keep_tags": (to_markdown_pipes, {"tags": "keep"}),
    "md_pipes_ragged": (to_markdown_pipes, {"tags": "strip", "pad": False}),
    "md_docling_filled_spans": (to_markdown_pipes, {"fill_spans": "all"}),
    "md_docling_filled_rowspans": (to_markdown_pipes, {"fill_spans": "rows"}),
    "html_A_row_per_line": (to_html_tables, {}),
    "html_B_one_line": (to_html_tables, {"one_line": True}),
    "html_C_rowspan": (to_html_tables, {"one_line": True, "merge": True}),
    "html_C_rowspan_per_line": (to_html_tables, {"merge": True}),
    "html_D_rowspan_colspan": (to_html_tables, {"one_line": True, "merge": True, "colspan": True}),
    "cell_per_line": (to_cell_per_line, {}),
    "cell_per_line_blank": (to_cell_per_line, {"blank_between_rows": True}),
    "pdftotext_spaces": (to_pdftotext, {}),
    "pdftotext_filled": (to_pdftotext, {"keep_empty": False}),
    "pdftotext_wrap30": (to_pdftotext, {"wrap": 30}),
    "pdftotext_wrap30_blank": (to_pdftotext, {"wrap": 30, "blank_between_rows": True}),
}


def relayout(text: str, variant: str) -> Relaid:
    func, kwargs = VARIANTS[variant]
    return func(text, **kwargs)


def remap_gold(gold: dict, line_map: dict[int, int]) -> dict:
    """A copy of a gold record whose project lines point into the re-laid-out text."""
    gold = copy.deepcopy(gold)
    for project in gold.get("performance_projects") or []:
        if project.get("line") is not None:
            project["line"] = line_map.get(int(project["line"]), project["line"])
    return gold
