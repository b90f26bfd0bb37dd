"""Segment a disclosure into its parts, each with its line span.

Parts are found by their headings (第一部分 概况, 十、绩效管理情况 …). The table of contents lists the
same headings followed by page numbers; those entries are recognised and never taken for content.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from budgetkg.extract.model import Row, Section

PART = re.compile(r"^第[一二三四五六七八九十]+部分")
SUBPART = re.compile(r"^[一二三四五六七八九十]+、")
HEADING_FIRST = frozenset("第一二三四五六七八九十")  # how PART and SUBPART begin: a cheap pre-check
TOC_ENTRY = re.compile(r"([.…·]{2,}|\s)\s*\d{1,3}$")
PART_KINDS = (("名词解释", "glossary"), ("情况说明", "explanation"), ("报表", "budget_tables"), ("概况", "overview"))
SUBPART_KINDS = (
    ("职责", "duties"),
    ("机构设置", "organization"),
    ("政府采购", "procurement"),
    ("绩效管理", "performance"),
    ("国有资产", "assets"),
    ("其他说明", "other"),
)


def is_toc_entry(row: Row) -> bool:
    """A table-of-contents line: a heading followed by a page number."""
    cells = row.filled
    if len(cells) >= 2 and cells[-1].strip().isdigit() and len(cells[-1].strip()) <= 3:
        return True
    return bool(TOC_ENTRY.search(row.text)) and bool(PART.match(row.text) or SUBPART.match(row.text))


def headings(rows: Sequence[Row]) -> list[tuple[int, str, str]]:
    """(row index, level part|subpart, title) of the headings that open content."""
    out = []
    for i, row in enumerate(rows):
        if len(row.filled) > 2 or row.text.lstrip()[:1] not in HEADING_FIRST:
            continue  # the text opens with what its key opens with: most rows are not squashed
        title = row.key
        level = "part" if PART.match(title) else "subpart" if SUBPART.match(title) else None
        if level == "subpart" and len(title) > 30 or not level or is_toc_entry(row):
            continue
        out.append((i, level, title))
    return out


def segment(rows: Sequence[Row], tables: Sequence[tuple[str, str, int, int]] = ()) -> list[Section]:
    """Parts and sub-parts of the disclosure, plus the given table spans (kind, title, line, end)."""
    found = headings(rows)
    sections = []
    for n, (i, level, title) in enumerate(found):
        end = _span_end(rows, found, n)
        kind = _kind(title, PART_KINDS if level == "part" else SUBPART_KINDS)
        if kind:
            sections.append(Section(kind, title, rows[i].line, end))
    sections.extend(Section(k, t, a, b) for k, t, a, b in tables)
    return sorted(sections, key=lambda s: (s.line, -s.end_line))


def _span_end(rows: Sequence[Row], found: list[tuple[int, str, str]], n: int) -> int:
    """A heading's part runs to the next heading of the same or a higher level."""
    level = found[n][1]
    for i, lvl, _ in found[n + 1 :]:
        if lvl == "part" or lvl == level:
            return rows[i - 1].end_line
    return rows[-1].end_line


def _kind(title: str, kinds: Sequence[tuple[str, str]]) -> str | None:
    return next((kind for word, kind in kinds if word in title), None)
