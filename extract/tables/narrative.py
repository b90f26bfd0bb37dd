"""Figures the 情况说明 (第三部分) states in words: 基本支出30,399.57万元, 公开项目绩效目标27个 ….

Which sentence states what is data (data/stated_figures.csv): a sub-heading word, a key and a
pattern. The part is read as the text under each sub-heading (一、… 十、…), its lines joined
— converters wrap sentences mid-number ("上年结转" / "0.00万元") — up to the first table that
follows (the 绩效目标表 printed inside the part) or 第四部分.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..model import Row, StatedFigure
from .text import norm

_NUMBER = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?"
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_SUBPART = re.compile(r"^[一二三四五六七八九十]+、")
_TOC = re.compile(r"\.{3,}|…|·{3,}")
_PAGE = re.compile(r"\s*\d{1,3}\s*")
_END = re.compile(r"绩效目标(?:申报)?表|^第[四五六七八九十]部分")


@dataclass(frozen=True)
class Statement:
    section: str
    key: str
    pattern: re.Pattern[str]
    unit: str
    table: str = ""  # the table figure it must agree with: kind, row ([side/]name), column
    row: str = ""
    column: str = ""


def _load_statements() -> tuple[Statement, ...]:
    """data/stated_figures.csv, compiled once when the module loads (it is read for every
    document)."""
    path = Path(__file__).resolve().parent.parent / "data" / "stated_figures.csv"
    with path.open(encoding="utf-8") as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    out = []
    for rec in csv.DictReader(lines):
        text = rec["pattern"].replace("{N}", f"(?:{_NUMBER})").replace("{C}", r"\d{1,4}")
        unit = "个" if re.search(r"\(\?P<value>\\d", text) else "万元"
        ref = (rec.get("table") or "", rec.get("row") or "", rec.get("column") or "")
        out.append(Statement(rec["section"], rec["key"], re.compile(text), unit, *ref))
    return tuple(out)


@dataclass(frozen=True)
class Passage:
    """The text under one sub-heading, joined, with the line where each piece starts."""

    title: str
    text: str
    starts: tuple[int, ...]  # offset in text where each line's text begins
    lines: tuple[int, ...]

    def line_at(self, offset: int) -> int:
        return self.lines[max(0, bisect_right(self.starts, offset) - 1)]


STATEMENTS = _load_statements()


def statement_of(key: str) -> Statement | None:
    """The statement a stated figure's key comes from (fiscal_class:科学技术支出 → fiscal_class)."""
    base = key.split(":", 1)[0]
    return next((s for s in STATEMENTS if s.key == base and s.table), None)


def _part_start(rows: Sequence[Row]) -> int | None:
    """The row of the 第三部分 (情况说明) heading. The 目录 lists it first, with leader dots or
    a page number (on its own line where each cell has one): the last such heading is the part."""
    found = None
    for i, row in enumerate(rows):
        if "部分" not in row.text or _TOC.search(row.text) or _PAGE.fullmatch(row.filled[-1]):
            continue
        text = norm(row.text)
        if _PART.match(text) and "情况说明" in text:
            found = i
    return found


def passages(rows: Sequence[Row]) -> list[Passage]:
    """The sub-parts of 第三部分, each as one text; a line pdftotext cut into cells is one text."""
    start = _part_start(rows)
    if start is None:
        return []
    out: list[Passage] = []
    title, pieces = "", []
    for row in rows[start + 1 :]:
        text = norm(row.text)
        if _END.search(text):
            break
        if _SUBPART.match(text) and len(text) <= 40:
            out.append(_passage(title, pieces))
            title, pieces = text, []
        else:
            pieces.append((row.line, text))
    out.append(_passage(title, pieces))
    return [p for p in out if p.text]


def _passage(title: str, pieces: list[tuple[int, str]]) -> Passage:
    starts, offset = [], 0
    for _, text in pieces:
        starts.append(offset)
        offset += len(text)
    return Passage(title, "".join(t for _, t in pieces), tuple(starts), tuple(n for n, _ in pieces))


def stated_figures(rows: Sequence[Row]) -> tuple[StatedFigure, ...]:
    """Every figure of data/stated_figures.csv the 情况说明 states, in document order."""
    found: list[StatedFigure] = []
    for passage in passages(rows):
        for st in STATEMENTS:
            if st.section and st.section not in passage.title:
                continue
            found += _matches(passage, st)
    return tuple(sorted(found, key=lambda f: (f.line, f.key)))


def _matches(passage: Passage, st: Statement) -> list[StatedFigure]:
    out = []
    for m in st.pattern.finditer(passage.text):
        value = float(m.group("value").replace(",", ""))
        name = m.groupdict().get("name")
        key = f"{st.key}:{name}" if name else st.key
        label = name or _label(m)
        out.append(
            StatedFigure(
                key, label, value, st.unit, passage.line_at(m.start("value")), passage.title
            )
        )
    return out


def _label(m: re.Match[str]) -> str:
    """The words printed right before the figure (基本支出), for messages."""
    before = m.string[m.start() : m.start("value")]
    return re.split(r"[:;,、]", before)[-1] or before
