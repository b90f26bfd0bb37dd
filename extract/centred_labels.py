"""Header labels centred in tall cells, as `pdftotext -layout` prints them.

A 绩效目标表 form centres each label vertically in its cell. When the value beside it runs over
several lines, pdftotext -layout prints the label on the middle line, so half of the value's
lines come *before* their label:

                             1.《山西省科技计划项目管理办法》(晋政办发〔2021〕42号)；2.《关于深化科技
     立项依据
                             计划管理改革的若干意见》（晋科发[2020]15号）

Read in order, those first lines would go to the label above. The layout shows what belongs
where: label lines start in the label column, value lines further right (`Row.indent`), and a
centred label has as many of its value lines above it as below. Rows are put back in reading
order — each label, then its value lines — and nothing changes unless the layout shows that the
form centres its labels (see `_centred`; pdftotext without -layout keeps no indentation at all).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from budgetkg.extract.labels import split_header_label
from budgetkg.extract.model import Row

# pdftotext -layout pads with spaces to keep columns: a label column of 4–8 glyphs is 8–16
# columns wide, so a line starting 8 or more columns right of the labels is in a value column
GAP = 8
MAX_ABOVE = 4  # a name centred beside it fills at most 2×4+1 lines; more above is not its own
ITEM_OPENER = re.compile(r"(?:\d{1,2}[.、．]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]、)?《")  # 1.《 (1)《 《


def recentre(rows: Sequence[Row]) -> list[Row]:
    """Header rows with each centred label's value lines moved after it (see module doc)."""
    if not any(row.indent for row in rows):  # no layout kept: nothing to go by
        return list(rows)
    kinds = _kinds(rows)
    if kinds is None:
        return list(rows)
    if not _centred(rows, kinds):
        return _joined_columns(_openers_to_their_label(_first_label_first(rows, kinds)))
    labels = [i for i, kind in enumerate(kinds) if kind == "label"]
    owner = _owners(kinds, labels, [_opens_list(row) for row in rows])
    out = [row for i, row in enumerate(rows) if owner[i] is None]
    for at in labels:
        out.extend(
            _in_order(
                rows[at],
                [rows[i] for i in range(at) if owner[i] == at],
                [rows[i] for i in range(at + 1, len(rows)) if owner[i] == at],
            )
        )
    return _joined_columns(out)


def _joined_columns(rows: list[Row]) -> list[Row]:
    """Under 实施期目标 | 年度目标, two texts printed side by side line by line (left, right;
    a line of one column alone) joined into one row of the two texts, as a table row has them."""
    out: list[Row] = []
    i = 0
    while i < len(rows):
        out.append(rows[i])
        if _goal_headings(rows[i]) < 2:
            i += 1
            continue
        j, lines = i + 1, []
        while j < len(rows) and len(rows[j].filled) <= 2:
            if _field(rows[j]) == "goal" and len(rows[j].filled) == 1:
                out.append(rows[j])  # 总体目标, centred among the lines
            elif _labelled(rows[j]):
                break
            else:
                lines.append(rows[j])
            j += 1
        if _side_by_side(lines):
            out.append(_two_columns(rows[i], lines))
        else:
            out.extend(lines)
        i = j
    return out


def _side_by_side(lines: list[Row]) -> bool:
    """Lines printed right of the label column, some with a cell of each column: -layout.
    (pdftotext without it prints one column's lines, then the other's.)"""
    return (
        bool(lines)
        and all(r.indent >= GAP for r in lines)
        and any(len(r.filled) == 2 for r in lines)
    )


def _field(row: Row) -> str | None:
    hit = split_header_label(row.filled[0]) if row.filled else None
    return hit[0] if hit else None


def _goal_headings(row: Row) -> int:
    return sum(1 for c in row.filled if (hit := split_header_label(c)) and hit[0] == "goal_columns")


def _two_columns(heading: Row, lines: list[Row]) -> Row:
    left, right = [], []
    column = min(r.indent for r in lines if len(r.filled) == 2)  # where the left column starts
    for row in lines:
        if len(row.filled) == 2:
            left.append(row.filled[0])
            right.append(row.filled[1])
        elif row.indent > column + GAP:  # the right column's line alone
            right.append(row.filled[0])
        else:
            left.append(row.filled[0])
    return Row.of_cells(
        lines[0].line, lines[-1].end_line, ("".join(left), "".join(right)), indent=heading.indent
    )


def _first_label_first(rows: Sequence[Row], kinds: list[str]) -> list[Row]:
    """Value lines before the block's first label (a name centred beside 项目名称, see
    lines_above) can be no one else's: they follow that label."""
    first = kinds.index("label")
    if not any(kind == "value" for kind in kinds[:first]):
        return list(rows)
    return _in_order(rows[first], list(rows[:first]), []) + list(rows[first + 1 :])


def _openers_to_their_label(rows: list[Row]) -> list[Row]:
    """A value line that opens a list of documents and breaks off inside it (1.《晋中市人民政府
    …（市政发) right above a label whose own value goes on from it (立项依据  〔2022〕8号）；
    2.…): the label is centred beside its value, the one label of its form printed so, and
    that line is its first."""
    kinds = _kinds(rows)
    if kinds is None:
        return rows
    out: list[Row] = []
    for at, row in enumerate(rows):
        if kinds[at] == "label" and out and at and kinds[at - 1] == "value" and _opens_list(rows[at - 1]):
            own = row.filled[1] if len(row.filled) > 1 else _next_value(rows, kinds, at)
            if own is not None and not ITEM_OPENER.match(own):
                out[-1:] = _in_order(row, [out[-1]], [])
                continue
        out.append(row)
    return out


def _opens_list(row: Row) -> bool:
    """1.《晋中市人民政府…（市政发: a line opening a list of documents and breaking off inside
    it (a bracket left open), so the value goes on on the next line."""
    if not row.filled or ITEM_OPENER.match(row.filled[0]) is None:
        return False
    text = row.text
    return text.count("《") > text.count("》") or text.count("（") + text.count("(") > text.count("）") + text.count(")")


def _next_value(rows: Sequence[Row], kinds: list[str], at: int) -> str | None:
    return rows[at + 1].filled[0] if at + 1 < len(rows) and kinds[at + 1] == "value" and rows[at + 1].filled else None


def _in_order(label: Row, upper: list[Row], lower: list[Row]) -> list[Row]:
    """The label first, then its value lines top to bottom: the line the label is printed on
    (its middle one) after those above it. A label's second line (（元）) stays among them."""
    if not upper or len(label.filled) < 2:
        return [label, *upper, *lower]
    head = Row.of_cells(label.line, label.end_line, label.filled[:1], indent=label.indent)
    middle = Row.of_cells(label.line, label.end_line, label.filled[1:], indent=label.indent + GAP)
    return [head, *upper, middle, *lower]


def lines_above(rows: Sequence[Row], start: int) -> int:
    """How many value lines just above the row at `start` (a lone 项目名称 label, centred
    beside a name printed over two or three lines) belong to it."""
    label = rows[start]
    if len(label.filled) != 1 or not _labelled(label):
        return 0
    n = 0
    while n < MAX_ABOVE and start - n - 1 >= 0 and rows[start - n - 1].indent >= label.indent + GAP:
        if n + 1 > len(_below(rows, start, label.indent)):
            break
        n += 1
    return n


def _below(rows: Sequence[Row], start: int, base: int) -> list[Row]:
    """The value lines right after `start`, up to the next row in the label column."""
    out = []
    for row in rows[start + 1 : start + 1 + MAX_ABOVE]:
        if row.indent < base + GAP:
            break
        out.append(row)
    return out


def _labelled(row: Row) -> bool:
    return _field(row) is not None


def _kinds(rows: Sequence[Row]) -> list[str] | None:
    """label, value (right of the label column) or fragment (a label's second line) per row."""
    labelled = [_labelled(row) for row in rows]
    base = min((row.indent for row, is_label in zip(rows, labelled) if is_label), default=None)
    if base is None:
        return None
    return [
        "label" if is_label else "value" if row.indent >= base + GAP else "fragment"
        for row, is_label in zip(rows, labelled)
    ]


def _centred(rows: Sequence[Row], kinds: list[str]) -> bool:
    """The form centres its labels: two labels printed alone between value lines, or one whose
    second line (（元）) is printed below a value line of its own. One label alone between value
    lines proves nothing: a top-aligned label over a value starting a line lower looks the same."""
    alone = [
        i for i, kind in enumerate(kinds)
        if kind == "label" and 0 < i < len(rows) - 1 and len(rows[i].filled) == 1
        and kinds[i - 1] == "value" and kinds[i + 1] in ("value", "fragment")
    ]  # fmt: skip
    interleaved = any(kinds[i + 1 : i + 3] == ["value", "fragment"] for i in alone)
    return len(alone) >= 2 or interleaved


def _owners(kinds: list[str], labels: list[int], opens: list[bool]) -> list[int | None]:
    """The label each value row belongs to: those between a label's own lines are its own; of
    those between two labels, the first as many as the upper label had above it are its lower
    half, the rest the lower label's upper half; a line that opens a list of documents
    (`opens`: 1.《…) begins the lower label's value whatever the count."""
    owner: list[int | None] = [None] * len(kinds)
    ends = [
        max([at] + [j for j in range(at + 1, nxt) if kinds[j] == "fragment"])
        for at, nxt in zip(labels, [*labels[1:], len(kinds)])
    ]
    above = 0
    for n, at in enumerate(labels):
        gap = [j for j in range(ends[n - 1] + 1 if n else 0, at) if kinds[j] == "value"]
        lower = min(above, len(gap), next((k for k, j in enumerate(gap) if opens[j]), len(gap))) if n else 0
        for j in gap[:lower]:
            owner[j] = labels[n - 1]
        for j in gap[lower:]:
            owner[j] = at
        above = len(gap) - lower
        for j in range(at, ends[n] + 1):
            if kinds[j] != "label":
                owner[j] = at
    last = labels[-1]
    for j in range(ends[-1] + 1, len(kinds)):
        if kinds[j] == "value":
            owner[j] = last
    for j in labels:
        owner[j] = j
    return owner
