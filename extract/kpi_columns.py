"""Indicator values printed over three columns: 指标性质 | 指标值 | 度量单位 → one value.

Some provinces' templates split a target into its comparator (≥), its figure (100) and its
unit (家), each under a heading of its own. A reader reads them as one target, ≥100家, and so
does the rest of the pipeline: the cells are joined into the 指标值 cell before the table is
read. Only a comparator is joined from the comparator column; what else it holds (正向指标,
定性) says how the target is judged, not what it is, and is left out of the value. Nothing
changes unless the header names such columns beside 指标值. The comparator and unit columns may
stand on either side of it (…指标值 | 度量单位 | 指标性质). Columns that hold no part of an
indicator (分值, 权重, 备注) are blanked, so their figures are not read as indicators.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from budgetkg.extract.kpi_value import PREFIX_COMPARATORS
from budgetkg.extract.labels import level_label, squash
from budgetkg.extract.model import Row

COMPARATOR_HEADINGS = frozenset({"指标性质", "指标方向", "指标方向性", "运算符号", "运算符", "符号", "比较符号"})
UNIT_HEADINGS = frozenset({"度量单位", "计量单位", "单位", "指标单位", "计算单位"})
# Columns beside the indicators that are not part of them: how an indicator is scored, notes.
IGNORED_HEADINGS = frozenset({"分值", "权重", "指标权重", "权重分值", "指标分值", "评分标准", "评分规则", "备注"})
# Headings that stand on a line of their own in layouts printing one cell per line.
ROW_HEADINGS = (COMPARATOR_HEADINGS | UNIT_HEADINGS | IGNORED_HEADINGS | {
    "实施期指标值", "中期指标值", "年度指标值", "实施期目标值", "年度目标值",  # two value columns
}) - {"单位", "符号", "备注"}
# The column headings under a 指标值 spanning both columns (指标值 / 实施期 | 年度).
SIDE_HEADINGS = frozenset({"实施期", "年度", "中期", "实施期目标", "年度目标", "实施期指标值", "年度指标值"})
# What a comparator column holds besides comparators: how the target is judged.
JUDGEMENTS = frozenset({"正向", "反向", "正向指标", "反向指标", "中性", "定量", "定性", "定量指标", "定性指标"})
_PART_HEADINGS = COMPARATOR_HEADINGS | UNIT_HEADINGS
_MAX_UNIT = 6  # 人次/万元 …; a longer cell under 单位 is text, not a unit
_BARE_NUMBER = re.compile(r"^[≥≤><=＞＜≧≦]?\s*-?\d[\d,，.]*$")
_LEADING_NUMBER = re.compile(r"^-?\d")
_SCORE = re.compile(r"^\d{1,3}(\.\d+)?$")


@dataclass(frozen=True)
class SplitValue:
    """Column positions of one value printed in parts; None where the part has no column."""

    comparator: int | None
    value: int
    unit: int | None


def split_values(header: Sequence[Row]) -> list[SplitValue]:
    """The 指标值 columns of the header that have a comparator or unit column beside them."""
    out = []
    for row in header:
        keys = [squash(c) for c in row.cells]
        for i, key in enumerate(keys):
            if not _is_value_heading(key):
                continue
            comparator = _beside(keys, i, COMPARATOR_HEADINGS)
            unit = _beside(keys, i, UNIT_HEADINGS)
            if comparator is not None or unit is not None:
                out.append(SplitValue(comparator, i, unit))
    return out


def _beside(keys: list[str], i: int, headings: frozenset[str]) -> int | None:
    """The column of one of `headings` next to the value column i, or one further when the
    other part's column stands between them (指标值 | 度量单位 | 指标性质)."""
    for j in (i - 1, i + 1, i - 2, i + 2):
        between = keys[min(i, j) + 1 : max(i, j)]
        if 0 <= j < len(keys) and keys[j] in headings and all(k in _PART_HEADINGS for k in between):
            return j
    return None


def ignored_columns(header: Sequence[Row]) -> frozenset[int]:
    """Columns whose heading says they hold no part of an indicator (分值, 权重, 备注), and any
    column right of the indicator names whose heading is no indicator heading (是否核心指标,
    指标解释, 评（扣）分标准): their cells are no indicators, nor the 年度 column group."""
    out = set()
    for row in header:
        keys = [squash(c) for c in row.cells]
        first = next((i for i, k in enumerate(keys) if k.startswith("三级指")), len(keys))
        out.update(i for i, k in enumerate(keys) if k in IGNORED_HEADINGS or (i > first and k and not _names_part(k)))
    return frozenset(out)


def _names_part(key: str) -> bool:
    """A heading of a column that holds a part of an indicator."""
    return (
        key.startswith(("一级指", "二级指", "三级指", "绩效指标"))
        or _is_value_heading(key)
        or key in _PART_HEADINGS
        or key in JUDGEMENTS
        or level_label(key) is not None
    )


def _is_value_heading(key: str) -> bool:
    return "指标值" in key or "目标值" in key


def join_split_values(header: Sequence[Row], rows: Sequence[Row]) -> list[Row]:
    """`rows` with each split target joined into its 指标值 cell (positions kept: the parts'
    cells are left blank). Rows are returned unchanged when the header splits no value."""
    splits, ignored = split_values(header), ignored_columns(header)
    if not (splits or ignored):
        return list(rows)
    # 指标性质 (定量) beside 指标方向 (≥): the comparator comes from one; the other says how
    # the target is judged, no part of it
    used = {s.comparator for s in splits}
    ignored |= {i for row in header for i, c in enumerate(row.cells) if squash(c) in COMPARATOR_HEADINGS and i not in used}
    return [_joined(row, splits, ignored) for row in rows]


def _joined(row: Row, splits: list[SplitValue], ignored: frozenset[int] = frozenset()) -> Row:
    cells = [("" if i in ignored else c) for i, c in enumerate(row.cells)]
    for split in splits:
        if split.value >= len(cells) or not cells[split.value].strip():
            continue
        value = cells[split.value].strip()
        if split.comparator is not None and split.comparator < len(cells):
            comparator = cells[split.comparator].strip()
            if unicodedata.normalize("NFKC", comparator) in PREFIX_COMPARATORS and not value.startswith(comparator):
                value = comparator + value
            cells[split.comparator] = ""
        if split.unit is not None and split.unit < len(cells):
            unit = cells[split.unit].strip()
            if unit and len(unit) <= _MAX_UNIT and not value.endswith(unit) and unit not in "/-—":
                value += unit
                cells[split.unit] = ""
        cells[split.value] = value
    if cells == list(row.cells):
        return row
    return Row(row.line, row.end_line, tuple(cells), " ".join(filter(None, cells)), row.heading)


def mirror_two_values(header: Sequence[Row], rows: Sequence[Row]) -> tuple[list[Row], list[Row]]:
    """One name column and two value columns, 实施期指标值 | 年度指标值 (or 指标值 over 实施期 | 年度 in
    a second header row): each row rewritten as the two column groups the other templates print
    (… 三级指标 | 指标值 | 二级指标 | 三级指标 | 指标值), so the name and its 二级 label stand in
    both. Unchanged for any other header."""
    if not any("年度" in r.text for r in header):  # most tables: no string built
        return list(header), list(rows)
    width = max((len(r.cells) for r in header), default=0)
    keys = ["".join(squash(r.cells[i]) for r in header if i < len(r.cells)) for i in range(width)]
    names = [i for i, k in enumerate(keys) if "三级指" in k]
    values = [i for i, k in enumerate(keys) if _is_value_heading(k) or k in SIDE_HEADINGS]
    if len(names) == 1 and len(values) == 2 and names[0] < values[0] and "年度" in keys[values[1]]:
        name, period, annual = names[0], values[0], values[1]
        order = [*range(period + 1), name - 1, name, annual]
        return [_picked(r, order) for r in header], [_picked(r, order) for r in rows]
    return list(header), list(rows)


def names_two_values(header: Sequence[Row]) -> bool:
    """The header names one 三级指标 and a 实施期 (中期) and a 年度 value column, whatever the
    layout keeps of their positions (实施期指标值 | 年度指标值, or 指标值 over 实施期 | 年度)."""
    if not any("年度" in r.text for r in header):  # most tables: no key built
        return False
    keys = [squash(c) for row in header for c in row.cells if c]
    if sum(1 for k in keys if k.startswith("三级指")) != 1:
        return False
    period = any(k in ("实施期", "中期") or (k.startswith(("实施期", "中期")) and _is_value_heading(k)) for k in keys)
    annual = any(k == "年度" or (k.startswith("年度") and _is_value_heading(k)) for k in keys)
    return period and annual


def _picked(row: Row, order: list[int]) -> Row:
    cells = tuple(row.cells[i] if 0 <= i < len(row.cells) else "" for i in order)
    return Row(row.line, row.end_line, cells, " ".join(filter(None, cells)), row.heading)


def _headings(header: Sequence[Row]) -> set[str]:
    """Every heading the header rows name, whatever its position."""
    return {squash(c) for row in header for c in row.cells}


def names_split_columns(header: Sequence[Row]) -> tuple[bool, bool]:
    """(a comparator column, a unit column) named anywhere in the header rows, whatever
    their positions: what a stream of cells needs to know to join them."""
    keys = _headings(header)
    return bool(keys & COMPARATOR_HEADINGS), bool(keys & UNIT_HEADINGS)


def drop_scores(header: Sequence[Row], segments: list) -> list:
    """Segments of a stream without those made of a 分值 (or 权重) figure alone: where the
    header names such a column, a bare number after an indicator's value is its score, not an
    indicator. `segments` are kpi_table Segments."""
    if not _headings(header) & IGNORED_HEADINGS:
        return segments
    return [s for s in segments if s.l1 or s.l2 or s.value is not None or not _SCORE.match(squash(s.name or "x"))]


def comparator_follows(header: Sequence[Row]) -> bool:
    """The comparator column is printed after the 指标值 column (指标值 | 度量单位 | 指标性质)."""
    keys = [squash(c) for row in header for c in row.cells]
    value = next((i for i, k in enumerate(keys) if _is_value_heading(k)), None)
    comparator = next((i for i, k in enumerate(keys) if k in COMPARATOR_HEADINGS), None)
    return value is not None and comparator is not None and comparator > value


def join_split_tokens(header: Sequence[Row], tokens: list) -> list:
    """The same joining for layouts read as one stream of cells (pdftotext, one cell per line),
    where columns have no positions: a lone comparator opens the figure after it, and a short
    word after a bare figure is its unit, unless a figure follows it (then it names the next
    indicator, its unit cell having been blank). `tokens` are kpi_table Tokens."""
    tokens = _without_flags(header, _without_scores_before_values(header, tokens))
    comparators, units = names_split_columns(header)
    if not (comparators or units):
        return tokens
    after = comparators and comparator_follows(header)
    if units and _column_before_value(header, UNIT_HEADINGS):
        tokens = _units_after_figures(tokens)
    out: list = []
    for i, tok in enumerate(tokens):
        text = tok.text.strip()
        if comparators and tok.label is None and text in JUDGEMENTS:
            continue
        if out and comparators and not after and _lone_comparator(out[-1]) and tok.label is None:
            out[-1] = out[-1]._replace(text=out[-1].text.strip() + text)
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if out and units and _unit_after(out[-1], tok, nxt, after):
            out[-1] = out[-1]._replace(text=out[-1].text.strip() + text)
            continue
        if out and after and _lone_comparator(tok) and _figure_first(out[-1]):
            out[-1] = out[-1]._replace(text=text + out[-1].text.strip())  # 500人次 ≥ → ≥500人次
            continue
        out.append(tok)
    return out


def _figure_first(tok) -> bool:
    """A value that opens with its figure, as printed before its comparator's column."""
    return tok.label is None and bool(_LEADING_NUMBER.match(tok.text.strip()))


def _column_before_value(header: Sequence[Row], headings: frozenset[str]) -> bool:
    """One of `headings` is printed left of the 指标值 column (计量单位 | 指标性质 | 指标值)."""
    keys = [squash(c) for row in header for c in row.cells]
    value = next((i for i, k in enumerate(keys) if _is_value_heading(k)), None)
    return value is not None and any(k in headings for k in keys[:value])


def _units_after_figures(tokens: list) -> list:
    """人 ≥ 100 (the unit's column before the value's) → ≥ 100 人, the order the joining reads."""
    out = list(tokens)
    i = 0
    while i + 1 < len(out):
        tok = out[i]
        figure = i + 2 if _lone_comparator(out[i + 1]) else i + 1
        if (
            _is_unit(tok)
            and figure < len(out)
            and out[figure].label is None
            and _BARE_NUMBER.match(out[figure].text.strip())
        ):
            out[i : figure + 1] = [*out[i + 1 : figure + 1], tok]
            i = figure + 1
        else:
            i += 1
    return out


def _without_scores_before_values(header: Sequence[Row], tokens: list) -> list:
    """支持领军人才人数 20 ≥ 100: where a 权重/分值 column stands before the 指标值 column, the bare
    number right after a name and before a figure is the weight, not the value."""
    if not _column_before_value(header, IGNORED_HEADINGS):
        return tokens
    units = _column_before_value(header, UNIT_HEADINGS)
    out = []
    for i, tok in enumerate(tokens):
        prev, nxt = (tokens[i - 1] if i else None), (tokens[i + 1] if i + 1 < len(tokens) else None)
        if units and nxt is not None and _is_unit(nxt) and i + 2 < len(tokens):
            nxt = tokens[i + 2]  # 20 人 ≥ 100: the unit's column stands between weight and value
        if (
            prev is not None and nxt is not None and tok.label is None and prev.label is None
            and _SCORE.match(tok.text.strip()) and not _BARE_NUMBER.match(prev.text.strip())
            and nxt.label is None and (_lone_comparator(nxt) or _BARE_NUMBER.match(nxt.text.strip()))
        ):
            continue
        out.append(tok)
    return out


def _is_unit(tok) -> bool:
    """A unit's cell: short, no digit, no level label (人, %, 万元/项)."""
    text = tok.text.strip()
    return tok.label is None and 0 < len(text) <= _MAX_UNIT and not any(c.isdigit() for c in text) and not level_label(text)


def _without_flags(header: Sequence[Row], tokens: list) -> list:
    """… ≥ 100 是: where the header has a yes/no column after the value (是否核心指标), its 是 or
    否 after a figure is that flag, not the name of the next indicator."""
    if not any(h.startswith("是否") for h in _headings(header)):
        return tokens
    return [
        tok for i, tok in enumerate(tokens)
        if not (i and tok.label is None and tok.text.strip() in ("是", "否") and _BARE_NUMBER.match(tokens[i - 1].text.strip()))
    ]


def _lone_comparator(tok) -> bool:
    return tok.label is None and tok.text.strip() in PREFIX_COMPARATORS


def _unit_after(figure, tok, nxt, comparator_follows: bool = False) -> bool:
    """`tok` is the unit of the bare figure before it: short, no digit, no label, and not
    followed by what opens the next figure (a comparator does not, where its column follows)."""
    return (
        figure.label is None
        and bool(_BARE_NUMBER.match(figure.text.strip()))
        and _is_unit(tok)
        and not (nxt is not None and nxt.label is None and _opens_figure(nxt.text.strip(), comparator_follows))
    )


def _opens_figure(text: str, comparator_follows: bool = False) -> bool:
    return (text in PREFIX_COMPARATORS and not comparator_follows) or bool(_BARE_NUMBER.match(text))
