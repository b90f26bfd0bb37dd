"""The indicator table (一级/二级/三级指标 → 指标值) of a performance table.

Rows are read by content, not by column: each row splits into segments of
[level-1 label] [level-2 label] name value, the first segment for the 实施期 column and the next for
the 年度 column. Column positions, where the layout keeps them, only break ties between sides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from budgetkg.extract.kpi_levels import Placed, assign_states
from budgetkg.extract.kpi_value import parse_kpi_value
from budgetkg.extract.labels import LevelLabel, level_label, level_labels, squash
from budgetkg.extract.model import Issue, Kpi, Row

ROW_HEADER = re.compile(r"^(年度)?绩效指标$|^[绩效指标]$")
HEADER_FRAGMENT = re.compile(r"^([一二三]级)?指?标?值?$|^[一二三]级指标$|^二级$|^三级$|^指标值$")
FIGURE = re.compile(r"^[≥≤><=＞＜≧≦]|^\d|\d\s*[^\d\s]{0,3}$|[%％]")


@dataclass(frozen=True)
class Token:
    col: int | None
    text: str
    label: LevelLabel | None


@dataclass
class Segment:
    """One column group of a row: labels, then an indicator name and its value."""

    l1: list[str] = field(default_factory=list)
    l2: list[str] = field(default_factory=list)
    name: str | None = None
    value: str | None = None
    col: int | None = None

    def empty(self) -> bool:
        return not (self.l1 or self.l2 or self.name)


@dataclass
class Side:
    """What one column group (实施期 or 年度) has read so far, literally."""

    events: list[tuple[str, str | None]] = field(default_factory=list)  # (l2 label, l1 label)
    items: list[Placed] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    l1: str | None = None
    own: bool = False  # has printed labels of its own

    def add_label(self, l2: str | None, l1: str | None) -> None:
        if l1:
            self.l1 = l1
        if l2 and (not self.events or squash(self.events[-1][0]) != squash(l2)):
            self.events.append((l2, self.l1))


def is_figure(text: str) -> bool:
    """A cell that reads as a target figure: ≥12项, 100%, 12月底前 (not 发放标准1)."""
    return bool(FIGURE.search(text.strip()))


def is_value_like(text: str) -> bool:
    """A cell that reads as an indicator value (a figure or a short verdict such as 持续提升)."""
    return is_figure(text) or len(squash(text)) <= 4


def tokenize(row: Row) -> list[Token]:
    """Cells of a row as tokens, with labels recognised and label+name cells split."""
    tokens: list[Token] = []
    for col, cell in enumerate(row.cells):
        text = cell.strip()
        if not text or ROW_HEADER.match(squash(text)) or HEADER_FRAGMENT.match(squash(text)):
            continue
        tokens.extend(_split_glued(col, text))
    return tokens


def _split_glued(col: int, text: str) -> list[Token]:
    """服务对象满意度指标支持对象满意度 → a label token and a name token."""
    label = level_label(text)
    if label:
        return [Token(col, text, label)]
    key = squash(text)
    for vocab in sorted(level_labels(), key=len, reverse=True):
        if vocab.endswith("指标") and key.startswith(vocab) and len(key) > len(vocab):
            return [Token(col, vocab, level_labels()[vocab]), Token(col, key[len(vocab):], None)]
    return [Token(col, text, None)]


def unpack(seg: Segment) -> list[Segment]:
    """A name cell and a value cell that each pack k items separated by spaces → k segments."""
    if not seg.name or not seg.value:
        return [seg]
    names, values = seg.name.split(), seg.value.split()
    if len(names) < 2 or len(names) != len(values) or not all(map(is_value_like, values)):
        return [seg]
    first = Segment(seg.l1, seg.l2, names[0], values[0], seg.col)
    return [first] + [Segment(name=n, value=v, col=seg.col) for n, v in zip(names[1:], values[1:])]


def segments(tokens: list[Token]) -> list[Segment]:
    out: list[Segment] = []
    cur = Segment()
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok.label and tok.label.level == 1 and tok.label.parent is None:
            if cur.name is not None:
                out.append(cur)
                cur = Segment()
            cur.l1.append(tok.text)
            cur.col = tok.col if cur.col is None else cur.col
        elif tok.label:
            cur = _on_level2(out, cur, tok, nxt)
        else:
            cur = _on_text(out, cur, tok, nxt)
    if not cur.empty():
        out.append(cur)
    return out


def _on_level2(out: list[Segment], cur: Segment, tok: Token, nxt: Token | None) -> Segment:
    label_is_name = nxt is not None and nxt.label is None and is_figure(nxt.text)
    if cur.name is not None:
        out.append(cur)
        if label_is_name:  # 服务对象满意度 ≥90%: the label printed as the indicator's name
            return Segment(l2=[tok.text], name=tok.text, col=tok.col)
        return Segment(l2=[tok.text], col=tok.col)
    if cur.l2 and nxt is not None and nxt.label is None and is_value_like(nxt.text):
        cur.name, cur.col = tok.text, tok.col  # a name that repeats its label (服务对象满意度)
        return cur
    if cur.l2:
        out.append(cur)
        return Segment(l2=[tok.text], col=tok.col)
    cur.l2.append(tok.text)
    cur.col = tok.col if cur.col is None else cur.col
    return cur


def _on_text(out: list[Segment], cur: Segment, tok: Token, nxt: Token | None) -> Segment:
    if cur.value is not None and squash(tok.text) == squash(cur.value):
        return cur  # a value cell printed twice by the converter
    if cur.name is None:
        cur.name, cur.col = tok.text, tok.col
        return cur
    starts_next = nxt is not None and nxt.label is None and is_value_like(nxt.text)
    if cur.value is None and not (starts_next and not is_value_like(tok.text)):
        cur.value = tok.text
        return cur
    out.append(cur)
    return Segment(name=tok.text, col=tok.col)


@dataclass(frozen=True)
class Columns:
    """Where the 年度 column group starts, when the layout keeps cell positions."""

    two_sided: bool
    split: float | None  # a segment starting at or right of this column is 年度


def header_columns(header: Sequence[Row]) -> Columns:
    cols = [i for row in header for i, c in enumerate(row.cells) if squash(c) in ("三级指标", "指标值")]
    names = [i for row in header for i, c in enumerate(row.cells) if squash(c) == "三级指标"]
    two = len(names) >= 2 or len(cols) >= 4
    split = (names[0] + names[1]) / 2 if len(names) >= 2 and names[1] > names[0] else None
    return Columns(two, split)


def read_kpis(
    header: Sequence[Row], rows: Sequence[Row]
) -> tuple[tuple[Kpi, ...], tuple[Kpi, ...], tuple[Issue, ...]]:
    """(实施期 indicators, 年度 indicators, issues) from the rows of one indicator table."""
    columns = header_columns(header)
    parsed = [(row, segments(tokenize(row))) for row in rows]
    two_sided = columns.two_sided or _looks_two_sided(parsed)
    sides = (Side(), Side())
    issues: list[Issue] = []
    for row, segs in parsed:
        sided = _sided(segs, columns, two_sided, row, issues)
        for side, seg in ((side, part) for side, seg in sided for part in unpack(seg)):
            if side == 1 and not seg.l2 and not sides[1].own and sides[0].events:
                sides[1].add_label(*sides[0].events[-1])  # 年度 column printed without labels
            _feed(sides[side], seg, row.line)
    period, annual = _finish(sides[0], sides[1]), _finish(sides[1], sides[0])
    issues += [
        Issue(k.line, f"indicator value not understood, kept as printed: {k.value!r} ({k.level3})")
        for k in period + annual
        if k.parsed is not None and k.parsed.flagged
    ]
    return period, annual, tuple(issues)


def _looks_two_sided(parsed: list[tuple[Row, list[Segment]]]) -> bool:
    named = [sum(1 for s in segs if s.name) for _, segs in parsed]
    return sum(1 for n in named if n >= 2) >= max(1, len(named) // 4)


def _sided(segs: list[Segment], columns: Columns, two_sided: bool, row: Row, issues: list[Issue]):
    """Pair each segment with a side: 0 for 实施期, 1 for 年度."""
    if not two_sided:
        return [(0, s) for s in segs]
    if columns.split is not None and all(s.col is not None for s in segs):
        sides = [1 if s.col >= columns.split else 0 for s in segs]  # type: ignore[operator]
        named_sides = [side for side, g in zip(sides, segs) if g.name]
        if sides == sorted(sides) and len(named_sides) == len(set(named_sides)):
            return list(zip(sides, segs))
    named = [s for s in segs if s.name]
    if len(named) > 2:
        issues.append(Issue(row.line, f"{len(named)} indicators in one row; kept the last two"))
        segs = segs[segs.index(named[-2]):]
    out, side = [], 0
    for seg in segs:
        out.append((min(side, 1), seg))
        if seg.name or (seg.l2 and not seg.name and side == 0):
            side += 1
    return out


def _feed(side: Side, seg: Segment, line: int) -> None:
    side.own = side.own or bool(seg.l2)
    side.add_label(seg.l2[-1] if seg.l2 else None, seg.l1[-1] if seg.l1 else None)
    if not seg.name:
        return
    state = len(side.events) - 1
    side.items.append(Placed(seg.name, seg.value or "", state, bool(seg.l2)))
    side.lines.append(line)


def _finish(side: Side, other: Side) -> tuple[Kpi, ...]:
    """Indicators of one column, each filed under one of the labels the table prints.

    Both columns share the template, so a category printed in only one of them is available
    to both (the 年度 column is often printed without labels of its own).
    """
    order = _merged_labels(side.events, other.events)
    own = [next(i for i, e in enumerate(order) if e is event) for event in side.events]
    items = [replace(it, state=own[it.state] if it.state >= 0 else -1) for it in side.items]
    states = assign_states(items, [_category(label) for label, _ in order])
    out = []
    for item, state, line in zip(items, states, side.lines):
        l2, l1 = order[state] if order else (None, side.l1)
        value = _clean(item.value) or ""
        parsed = parse_kpi_value(value)
        out.append(Kpi(_level1(l2, l1), _clean(l2), _clean(item.name), value, line, parsed))
    return tuple(out)


def _merged_labels(own: list[tuple[str, str | None]], other: list[tuple[str, str | None]]):
    """Own labels in order, with the other column's missing categories inserted in its order."""
    merged = list(own)
    seen = {_category(label) for label, _ in merged}
    for n, event in enumerate(other):
        if _category(event[0]) in seen:
            continue
        before = [_category(label) for label, _ in other[:n]]
        at = max((i + 1 for i, (label, _) in enumerate(merged) if _category(label) in before), default=0)
        merged.insert(at, event)
        seen.add(_category(event[0]))
    return merged


def _category(label: str) -> str:
    info = level_label(label)
    return info.category if info else squash(label)


def _level1(l2: str | None, l1: str | None) -> str | None:
    """Level 1 follows from level 2 where the vocabulary knows its parent."""
    info = level_label(l2) if l2 else None
    if info and info.parent:
        parent = level_label(info.parent)
        if parent and parent.level == 1:
            return info.parent
    return _clean(l1)


def _clean(text: str | None) -> str | None:
    return squash(text) if text is not None and re.fullmatch(r"[\u4e00-\u9fff\s]+", text) else text
