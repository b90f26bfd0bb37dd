"""The indicator table (一级/二级/三级指标 → 指标值) of a performance table.

Rows are read by content, not by column: each row splits into segments of
[level-1 label] [level-2 label] name value, the first segment for the 实施期 column and the next for
the 年度 column. Column positions, where the layout keeps them, only break ties between sides.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import NamedTuple

from budgetkg.extract.kpi_columns import (
    drop_scores,
    join_split_tokens,
    join_split_values,
    mirror_two_values,
    names_two_values,
)
from budgetkg.extract.kpi_levels import NUMBERED, Placed, assign_states
from budgetkg.extract.kpi_value import parse_kpi_value
from budgetkg.extract.labels import LevelLabel, level_label, level_labels, squash
from budgetkg.extract.model import Issue, Kpi, Row

CJK_ONLY = re.compile(r"[\u4e00-\u9fff\s]+")
DIGIT = re.compile(r"\d")
ENUMERATED = NUMBERED  # 1. / 1、 / (1): a numbered item
ENUMERATED_PAIR = re.compile(r"^(\d{1,2})([.、．]\D.*?)(\1[.、．]\D.*)$")  # 1.name1.value
# The indicator column's heading, a glyph of it, or a goal heading of the form above the table
# (总体目标, 主要目标, 实施期目标) that a converter pushed into an indicator row: no indicator.
ROW_HEADER = re.compile(r"^(年度)?绩效指标$|^[绩效指标]$|^(主要|总体|绩效|年度|实施期)目标$")
HEADER_FRAGMENT = re.compile(r"^([一二三]级)?指?标?值?$|^[一二三]级指标$|^二级$|^三级$|^指标值$|^(指标)?目标值$")
COMPARE_WORDS = "不低于|不少于|不超过|不高于|不多于"
BEFORE_DATE_OR_RANK = re.compile(r"(?:\d\s*[年月]|[第年月])$")  # 2023年|12月, 次年|3月, 第|2期: not a cut
NUMBER_ONLY = re.compile(r"[\d.,]+")
UNFINISHED_END = frozenset("0123456789万亿年")  # a figure cut here has its unit (or 月) to come
_UNITS = "万亿千百元个项家人次场期篇册套件条种所名位台批份户座本部处辆张幅轮年月日天周季度小时分钟秒米平方吨"
UNIT_GLYPHS = frozenset(_UNITS)  # a figure cut after one of these may have more unit to come (人 / 次)
_FIGURE_END_GLYPHS = frozenset("/%％‰度以上下内前后底末初旬左右")  # what else ends a figure: …/月, 90 / %, 月 / 底
FIGURE_TAILS = frozenset(["前", "底前", "日前", "之前", "以前", "以上", "以下", "以内"])  # 10月底 / 前
DATE_TAIL = re.compile(r"[月日](?:底|末|初|中|上旬|中旬|下旬)?(?:前|之前|以前)?")  # 2026年12 / 月底前
PAGE_NUMBER = re.compile(r"\s*[-—]?\s*\d{1,3}\s*[-—]?\s*")  # 2, - 12 -
YEAR_MONTH = re.compile(r"(?:19|20)\d\d年\d{1,2}月")
DATE_WORD = re.compile(r"^(?:19|20)\d\d\s*年|^\d{1,2}\s*月")
NAME_END = re.compile(r"[率性度数量额]$")  # 知晓率, 及时性: a short name, not the rest of a value
# …费, …率, …数量 (or a table's title, …表): a name printed whole, not the first line of one
# cut by its cell (数, 量 and 度 end lines mid-word too: 人员数 / 量, 工程进度 / 款)
WHOLE_NAME = re.compile(r"(?:[率性费额表]|数量|人数|次数|满意度)$")
GLUED_FIGURE = re.compile(rf"(?:[≥≤＞＜≧≦]|{COMPARE_WORDS})\s*\d[\d,.]*\s*\S{{0,6}}$")
COMPARATOR = re.compile(rf"[≥≤><=＞＜≧≦]|{COMPARE_WORDS}|不小于")
# A figure glued to the end of a name with no value of its own: 使用兑现数量13次, …局面提高90%.
GLUED_TAIL = re.compile(
    rf"(?<=[\u4e00-\u9fff，。、）)])(?:提高|提升|增长|增加|降低|减少|达到|{COMPARE_WORDS}|[≥≤＞＜≧≦])?"
    r"\d+(?:\.\d+)?(?:%|％|‰|万元|亿元|元|[个项家人次场期篇册套件条种所名位台批份户座本部处辆张年月日天周])"
    r"(?:/[个项家人次年月])?$"
)
UNIT_TAIL = re.compile(
    rf"\d[{_UNITS}度"
    r"/%％‰以上下内前后底末初旬及左右约（）()A-Za-z完成达]*$"
)


# Token(...) and Placed(...), built per cell and per indicator, without the Python-level
# __new__ that NamedTuple adds in front of tuple.__new__ (which halves the cost of each).
_new = tuple.__new__


class Token(NamedTuple):
    """One cell (or one part of a glued cell) of the indicator table, with its label if any."""

    col: int | None
    text: str
    label: LevelLabel | None
    line: int = 0


@dataclass
class Segment:
    """One column group of a row: labels, then an indicator name and its value."""

    l1: list[str] = field(default_factory=list)
    l2: list[str] = field(default_factory=list)
    name: str | None = None
    value: str | None = None
    col: int | None = None
    line: int = 0  # where the segment starts
    name_line: int = 0  # the last line its name was printed on
    name_start: int = 0  # the first, when the name wrapped over lines (0: name_line)
    label_line: int = 0  # where its 二级 label was printed
    value_line: int = 0  # the last line its value was printed on

    def empty(self) -> bool:
        return not (self.l1 or self.l2 or self.name)


def _label(seg: Segment) -> str:
    """A segment's last 二级 label as labels are compared: without white space."""
    return squash(seg.l2[-1])


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


@lru_cache(maxsize=65536)
def is_figure(text: str) -> bool:
    """A cell that reads as a target figure: ≥12项, 100%, 12月底前, 1.2万元/人/年.

    Not 发放标准1, 统计11个市科协 or a long sentence ending in 90%: a figure is short, opens
    with at most a few characters before its number and ends in units. Memoized: a cell is
    asked about as the next token and again as the current one.
    """
    t = squash(text)
    if not t or len(t) > 20 or ENUMERATED.match(t):
        return False
    comparator = COMPARATOR.search(t)
    if comparator and comparator.start() <= 3:
        return True
    first = DIGIT.search(t)
    return first is not None and first.start() <= 3 and bool(UNIT_TAIL.search(t))


def is_value_like(text: str) -> bool:
    """A cell that reads as an indicator value (a figure or a short verdict such as 持续提升)."""
    return is_figure(text) or len(squash(text)) <= 4


def tokenize(row: Row, positions: bool = True, glued: bool = False) -> list[Token]:
    """Cells of a row as tokens, with labels recognised and glued label/name cells split. With
    `glued` (pdftotext, whose cells can run together) a figure glued to a name is split off too;
    where the converter kept cells apart, a cell such as 分辨率像素值不低于2.1MP is one value."""
    tokens: list[Token] = []
    line = row.line
    for col, cell in enumerate(row.cells):
        if not cell:
            continue
        if not positions and tokens and (tail := _label_tail(tokens[-1], cell)):
            tokens[-1] = tail
            continue
        if glued and len(row.filled) == 1 and cell.strip() == "指标":
            tokens.append(Token(None, "指标", None, line))  # a label's wrapped tail, for rejoin_wrapped_labels
            continue
        for text, label in _cell_parts(cell):
            if positions:
                tokens.append(_new(Token, (col, text, label, line)))
            elif tokens and (joined := _joined_label(tokens[-1], text)):
                tokens[-1] = joined
            elif glued and not _names_before(tokens):
                tokens.extend(_split_figure(Token(None, text, label, line)))
            else:
                tokens.append(Token(None, text, label, line))
    return tokens


def _label_tail(prev: Token, cell: str) -> Token | None:
    """数量 | 指标 on one line of a stream: the label's 指标 printed as a word of its own (a cell
    数量 指标 whose bounds pdftotext lost) completes it, as in the cell it came from."""
    if prev.label is None or cell.strip() != "指标" or prev.text.endswith("指标"):
        return None
    return _as_one_label(prev, "指标")


def _joined_label(prev: Token, text: str) -> Token | None:
    """服务对象 | 满意度 on one line of a stream: the label 服务对象满意度, split at the space a
    wrapped cell leaves (pdftotext prints it as two words), not a name followed by a label."""
    return None if prev.label is not None else _as_one_label(prev, text)


def _as_one_label(prev: Token, text: str) -> Token | None:
    """`prev` with `text` after it, where together they are a label of the vocabulary."""
    joined = squash(prev.text) + squash(text)
    info = level_labels().get(joined)
    return prev._replace(text=joined, label=info) if info else None


def _names_before(tokens: list[Token]) -> bool:
    """The row's last two tokens are a label or value, then a name: a cell after that name on
    its line is its value, whole (视频分辨率 | 分辨率像素值不低于2.1MP), not a name glued to a figure."""
    if not tokens or tokens[-1].label is not None or is_value_like(tokens[-1].text):
        return False
    return len(tokens) < 2 or tokens[-2].label is not None or is_figure(tokens[-2].text)


@lru_cache(maxsize=65536)
def _cell_parts(cell: str) -> tuple[tuple[str, LevelLabel | None], ...]:
    """A cell's tokens as (text, label) pairs; none for a blank cell or a piece of the column
    header. Memoized per cell, so a cell repeated down the table is looked up once, not squashed,
    checked and split again."""
    key = squash(cell)
    if not key or _is_header_fragment(key):
        return ()
    return _glued_parts(cell.strip())


def _is_header_fragment(key: str) -> bool:
    # Neither pattern matches more than six glyphs (年度绩效指标): longer keys skip both.
    return len(key) <= 6 and bool(ROW_HEADER.match(key) or HEADER_FRAGMENT.match(key))


def _split_figure(tok: Token) -> list[Token]:
    """4.培训人数≥1000人 → name 4.培训人数 and figure ≥1000人 (a comparator marks the cut)."""
    if tok.label or is_value_like(tok.text):
        return [tok]
    m = GLUED_FIGURE.search(tok.text)
    if not m or len(squash(tok.text[: m.start()])) < 2:
        return [tok]
    cut = m.start()
    return [tok._replace(text=tok.text[:cut].strip()), Token(tok.col, m.group(0).strip(), None, tok.line)]


@lru_cache(maxsize=65536)
def _glued_parts(text: str) -> tuple[tuple[str, LevelLabel | None], ...]:
    """服务对象满意度指标支持对象满意度 → (label, its info), (name, None)."""
    label = level_label(text)
    if label:
        return ((text, label),)
    m = _glueable_labels().match(squash(text))
    if m:
        return ((m.group(1), level_labels()[m.group(1)]),) + _glued_parts(m.group(2))
    return ((text, None),)


@lru_cache(maxsize=1)
def _glueable_labels() -> re.Pattern[str]:
    """Labels ending in 指标 (longest first) that a converter glued to the name after them."""
    labels = sorted((v for v in level_labels() if v.endswith("指标")), key=len, reverse=True)
    return re.compile("^(" + "|".join(map(re.escape, labels)) + ")(.+)$")


def unpack(seg: Segment, glued: bool = False) -> list[Segment]:
    """A name cell and a value cell that each pack k items separated by spaces → k segments;
    so does one cell packing k "name figure" pairs (a converter that printed a column of rows
    as the paragraphs of one cell: <p>奖励企业数量 ≥20家</p> <p>认定孵化器数量 ≥1家</p>).
    With `glued` (pdftotext, which drops the gap between cells) a name without a value that
    ends in a figure gives it up."""
    if not seg.name:
        return [seg]
    if not seg.value or " " not in seg.value:
        # one cell of pairs; with a value, the last pair's figure was read as the cell's value
        pairs = []
        if " " in seg.name:  # pairs need a space (most names: no string built, no split)
            pairs = _packed_pairs(f"{seg.name} {seg.value}" if seg.value else seg.name)
        if len(pairs) < (3 if seg.value else 2):  # the usual row: one name, one value
            return [_with_glued_value(seg) if glued and not seg.value else seg]
        names, values = [n for n, _ in pairs], [v for _, v in pairs]
    else:
        names, values = seg.name.split(), seg.value.split()
        if not all(DIGIT.search(v) for v in values):
            return [seg]  # ≥600 | 人次, 有效 | 提升: one value wrapped (<br>), not two packed
    if len(names) < 2 or len(names) != len(values) or not all(map(is_value_like, values)):
        return [seg]
    first = Segment(seg.l1, seg.l2, names[0], values[0], seg.col, seg.line)
    rest = [Segment(name=n, value=v, col=seg.col, line=seg.line) for n, v in zip(names[1:], values[1:])]
    return [first] + rest


def _with_glued_value(seg: Segment) -> Segment:
    """A name with no value that ends in a figure printed against it (pdftotext dropped the
    gap between the cells: 按省厅规定时限完成1年) → that name and that figure. Not a date
    (完成时间2023年12月, 次年3月), a rank (第2期) nor a name of fewer than two glyphs."""
    text = seg.name or ""
    m = GLUED_TAIL.search(text)
    if not m:
        return seg
    name = text[: m.start()]
    if len(squash(name)) < 2 or BEFORE_DATE_OR_RANK.search(name):
        return seg
    return replace(seg, name=name.rstrip(), value=m.group(0))


def _packed_pairs(text: str) -> list[tuple[str, str]]:
    """Two or more "name figure" pairs in one text, each figure ending its pair, or []. A name
    keeps its inner spaces (国家级项 目立项总数); a figure with no name before it, or text after
    the last figure, means the text is not such a list. A year (2026年) or a bare number (在 3
    个县) is part of a sentence, not a pair's figure."""
    pairs: list[tuple[str, str]] = []
    name: list[str] = []
    for word in text.split():
        if name and is_figure(word) and not DATE_WORD.match(word) and not NUMBER_ONLY.fullmatch(word):
            pairs.append((" ".join(name), word))
            name = []
        elif is_figure(word):
            return []
        else:
            name.append(word)
    return pairs if len(pairs) >= 2 and not name else []


def segments(
    tokens: list[Token], wrapped: bool = False, value_cols: frozenset[int] = frozenset(), cells: bool = False
) -> list[Segment]:
    """Split tokens into [labels] name value groups.

    With `wrapped` (text layouts that break cells over lines) a name continued on the next
    line before any figure is joined to the name, not taken for its value; with `cells` (one
    cell per line) so is a piece right before a figure, which could be no indicator's value.
    """
    out: list[Segment] = []
    cur = Segment()
    prev = None
    for i, (tok, nxt) in enumerate(zip(tokens, [*tokens[1:], None])):
        if not (cur.l1 or cur.l2 or cur.name):  # cur.empty(), inline: asked once per token
            cur.line = tok.line
        if tok.label and _repeats_label(prev, tok, tokens[i + 1 : i + 3]) and _labels_in(tokens, tok) >= 3:
            continue
        prev = tok
        if wrapped and (_continues_value(cur, tok, nxt) or _completes_figure(cur, tok, nxt)):
            cur.value = (cur.value or "") + tok.text
            cur.value_line = tok.line
        elif (wrapped and _continues_name(cur, tok)) or (cells and _name_before_figure(cur, tok, nxt)):
            cur.name = (cur.name or "") + tok.text
            cur.name_start = cur.name_start or cur.name_line
            cur.name_line = tok.line
        elif tok.label and tok.label.level == 1 and tok.label.parent is None:
            if cur.name is not None or _opens_group(cur, tok, out):
                out.append(cur)
                cur = Segment(line=tok.line)
            cur.l1.append(tok.text)
            cur.col = tok.col if cur.col is None else cur.col
        elif tok.label:
            after = tokens[i + 1 : i + 3]  # (the name cut short where it reads as a value)
            named = not (value_cols and _value_beyond(after, value_cols)) and not _dated_name(after)
            cur = _on_level2(out, cur, tok, after, named)
        else:
            cur = _on_text(out, cur, tok, nxt, value_cols)
    if not cur.empty():
        out.append(cur)
    return out


def _opens_group(cur: Segment, tok: Token, out: list[Segment]) -> bool:
    """A 一级 label after a 二级 label opens a new row when that label is of another group
    (成本指标 | 效益指标 | 经济效益指标 …) or is the second column's copy of the label before it
    (社会效益 … 社会效益 / 效益指标 …, -layout printing both columns' labels on one line);
    after the only copy of a label of its own group it is the same row's (社会效益 / 效益指标,
    printed between the lines of a tall cell)."""
    if not cur.l2 or cur.name is not None:
        return False
    info = level_label(cur.l2[-1])
    if info is not None and info.parent is not None and squash(info.parent) != squash(tok.label.label):  # type: ignore[union-attr]
        return True
    last = out[-1] if out else None
    return last is not None and last.name is None and bool(last.l2) and _label(last) == _label(cur)


def _value_columns(header: Sequence[Row]) -> frozenset[int]:
    """The positions of the header's 指标值 cells, where the table keeps its cells' positions."""
    return frozenset(i for row in header for i, c in enumerate(row.cells) if squash(c) == "指标值")


def _value_beyond(after: list[Token], value_cols: frozenset[int]) -> bool:
    """The text after a label sits in a name column and the value in the 指标值 column after
    it (时效指标 | 2023年12月 | 1年): that text is the name, cut short, not the label's value."""
    if len(after) < 2 or after[0].label or after[1].label or after[0].col is None or after[1].col is None:
        return False
    return after[0].col not in value_cols and after[1].col in value_cols and after[1].col == after[0].col + 1


def _repeats_label(prev: Token | None, tok: Token, after: list[Token]) -> bool:
    """A label printed again in the next cell (a merged 一级/二级 cell the converter wrote into
    both columns: ⇥时效指标⇥时效指标⇥name⇥100%⇥时效指标⇥…), which must not read as a column group.
    Not when its value follows: then it is the indicator's name (服务对象满意度⇥服务对象满意度⇥≥90%)."""
    return (
        prev is not None
        and prev.label is not None
        and tok.col is not None
        and prev.col is not None
        and tok.col == prev.col + 1
        and squash(tok.text) == squash(prev.text)
        and not _names_indicator(after)
    )


def _names_indicator(after: list[Token]) -> bool:
    """A label followed by its value, not by a name and a figure: the label is the name."""
    if not after or after[0].label or not is_value_like(after[0].text):
        return False
    return len(after) < 2 or after[1].label is not None or not is_figure(after[1].text)


def _labels_in(tokens: list[Token], label: Token) -> int:
    """How often the row prints this label: a copy beyond one per column group is a repeat
    (printed twice, and once more for the 年度 column); twice may be the two columns' own."""
    key = squash(label.text)
    return sum(1 for t in tokens if t.label and squash(t.text) == key)


def _continues_value(cur: Segment, tok: Token, nxt: Token | None) -> bool:
    """The rest of a value wrapped in a narrow column: a numbered row's value printed on a line
    of its own below its name (1.宣传推广及时性 / 1.及时 / 发布宣 / 传信息), then short pieces
    alone on the lines after it, none a label, figure or numbered item, and no figure after
    them. Only under a numbered name: where only values are numbered (效果 / 1.达到预期 /
    影响力 / 2.持续扩大) a short piece is the next row's name."""
    return (
        cur.value is not None
        and cur.name is not None
        and ENUMERATED.match(cur.name) is not None
        and tok.label is None
        and cur.value_line > cur.name_line
        and tok.line > cur.value_line
        and (nxt is None or (nxt.line != tok.line and not is_figure(nxt.text)))
        and len(squash(tok.text)) <= 3
        and not is_figure(tok.text)
        and not is_figure(cur.value)
        and not ENUMERATED.match(tok.text)
        and not NAME_END.search(tok.text)
    )


def _completes_figure(cur: Segment, tok: Token, nxt: Token | None) -> bool:
    """A figure cut by its column's width, the rest alone on the next line (2026年12 / 月底前,
    ≤0.35万 / 元): a short piece with no digit that ends the figure, not the next row's name
    (the figure before it ends in a digit or a scale, so it is unfinished)."""
    value = cur.value
    return (
        value is not None
        and cur.name is not None
        and tok.label is None
        and tok.line > cur.value_line
        and (nxt is None or nxt.line != tok.line)
        and value[-1:] in UNFINISHED_END
        and len(squash(tok.text)) <= 3
        and not DIGIT.search(tok.text)
        and is_figure(value + squash(tok.text))
    )


def _continues_name(cur: Segment, tok: Token) -> bool:
    """A wrapped name: no value yet, printed on a later line, not a figure nor a new item."""
    return (
        cur.name is not None
        and cur.value is None
        and tok.label is None
        and tok.line != cur.name_line
        and not is_figure(tok.text)
        and not ENUMERATED.match(tok.text)
    )


def _name_before_figure(cur: Segment, tok: Token, nxt: Token | None) -> bool:
    """One cell per line, a name wrapped in its cell (开展山西省公民科学素质 / 监测调查 / 1次): a
    piece after a name, with a figure after it, is the name's second line: as the name's value,
    it would leave that figure no name. Not a copy of the name, nor after a name that ends as
    names do (…费, …率): the other column's indicator, where the first has no value; nor before
    a bare number, which may be a page's; nor after a stray glyph or two (度 of a label wrapped
    above): the first line of a cut name is longer."""
    return (
        cur.name is not None
        and cur.value is None
        and len(cur.name) >= 2
        and not WHOLE_NAME.search(cur.name)
        and nxt is not None
        and tok.label is None
        and nxt.label is None
        and is_figure(nxt.text)
        and not NUMBER_ONLY.fullmatch(squash(nxt.text))
        and not is_figure(tok.text)
        and not ENUMERATED.match(tok.text)
        and squash(tok.text) != squash(cur.name)
    )


def _dated_name(after: list[Token]) -> bool:
    """A year and month with another figure after it (时效指标 2023年12月 1年): the name, cut
    short by the PDF where it reads as a date, and its value; not the label's own value."""
    return (
        len(after) == 2
        and "月" in after[0].text  # asked of every label: the cheap test first
        and after[0].label is None
        and after[1].label is None
        and YEAR_MONTH.fullmatch(squash(after[0].text)) is not None
        and is_figure(after[1].text)
    )


def _on_level2(out: list[Segment], cur: Segment, tok: Token, after: list[Token], named: bool = True) -> Segment:
    nxt = after[0] if after else None
    label_is_name = named and nxt is not None and nxt.label is None and is_figure(nxt.text)
    if cur.name is not None:
        out.append(cur)
        if label_is_name:  # 服务对象满意度 ≥90%: the label printed as the indicator's name
            return Segment(l2=[tok.text], name=tok.text, col=tok.col, line=tok.line, name_line=tok.line, label_line=tok.line)
        return Segment(l2=[tok.text], col=tok.col, line=tok.line, label_line=tok.line)
    if cur.l2 and tok.label is not None and tok.label.parent and squash(tok.label.parent) == squash(cur.l2[-1]):
        cur.l1.append(cur.l2.pop())  # 成本指标 | 经济成本指标: the 2021 template's 一级 成本指标
        cur.l2.append(tok.text)
        cur.label_line = tok.line
        return cur
    if cur.l2 and _names_indicator(after):  # 服务对象满意度 as a name (not 结题率 ≥90%: a name)
        cur.name, cur.col, cur.name_line = tok.text, tok.col, tok.line
        return cur
    if cur.l2:
        out.append(cur)
        return Segment(l2=[tok.text], col=tok.col, line=tok.line, label_line=tok.line)
    cur.l2.append(tok.text)
    cur.label_line = tok.line
    cur.col = tok.col if cur.col is None else cur.col
    if label_is_name:  # ⇥⇥⇥服务对象满意度⇥≥90%: a later row of its group, the label as its name
        cur.name, cur.name_line = tok.text, tok.line
    return cur


def _on_text(
    out: list[Segment], cur: Segment, tok: Token, nxt: Token | None, value_cols: frozenset[int] = frozenset()
) -> Segment:
    if cur.value is not None and squash(tok.text) == squash(cur.value):
        return cur  # a value cell printed twice by the converter
    if cur.name is None:
        cur.name, cur.col, cur.name_line = tok.text, tok.col, tok.line
        return cur
    if cur.value is None and tok.text[:1] == cur.name[:1] and squash(tok.text) == squash(cur.name) and not is_value_like(tok.text):
        if _merged_copy(cur, tok, value_cols):
            return cur
        out.append(cur)  # the other column's row of the same name; its value is what follows, if any
        value = None if nxt is not None and nxt.label is None and is_value_like(nxt.text) else ""
        return Segment(name=tok.text, value=value, col=tok.col, line=tok.line, name_line=tok.line)
    starts_next = nxt is not None and nxt.label is None and is_figure(nxt.text)
    if cur.value is None and not (starts_next and not is_value_like(tok.text)):
        cur.value, cur.value_line = tok.text, tok.line
        return cur
    if tok.col is None and cur.value is not None and PAGE_NUMBER.fullmatch(tok.text):
        return cur  # a page number between or after the rows of a stream: no indicator's name
    out.append(cur)
    return Segment(name=tok.text, col=tok.col, line=tok.line, name_line=tok.line)


def _merged_copy(cur: Segment, tok: Token, value_cols: frozenset[int]) -> bool:
    """A name's copy in the next column or in a value column is one merged cell written into
    each column it spans (docling), not the other column's row of that name."""
    return tok.col is not None and cur.col is not None and (tok.col == cur.col + 1 or tok.col in value_cols)


@dataclass(frozen=True)
class Columns:
    """Where the 年度 column group starts, when the layout keeps cell positions."""

    two_sided: bool
    split: float | None  # a segment starting at or right of this column is 年度


def header_columns(header: Sequence[Row]) -> Columns:
    """Whether the header names two column groups (实施期, 年度), and where the second begins. A
    heading docling wrote into both cells it spans (三级指标 | 三级指标) is one column."""
    keys = [[squash(c) for c in row.cells] for row in header]
    cells = [k for row in keys for i, k in enumerate(row) if not (i and k and row[i - 1] == k)]
    cols = [c for c in cells if c == "指标值" or c.startswith("三级指")]
    names = [i for row in keys for i, k in enumerate(row) if k == "三级指标" and not (i and row[i - 1] == k)]
    two = len(names) >= 2 or len(cols) >= 4
    split = (names[0] + names[1]) / 2 if len(names) >= 2 and names[1] > names[0] else None
    return Columns(two, split)


def read_kpis(
    header: Sequence[Row], rows: Sequence[Row], mode: str = "columns", goal_columns: bool = False
) -> tuple[tuple[Kpi, ...], tuple[Kpi, ...], tuple[Issue, ...]]:
    """(实施期 indicators, 年度 indicators, issues) from the rows of one indicator table.

    `mode` says how the layout keeps cells: "columns" (tabs, pipes, <td>: positions kept),
    "wrapped" (pdftotext: cells wrapped over lines) or "cells" (one cell per line). The last
    two are read as one stream of cells.
    """
    if mode == "columns":
        header, rows = mirror_two_values(header, rows)
    columns = header_columns(header)
    issues: list[Issue] = []
    if mode == "columns":
        rows = join_split_values(header, rows)
        value_cols = _value_columns(header)
        parsed = [(row, segments(tokenize(row), value_cols=value_cols)) for row in rows]
        two_sided = columns.two_sided or _looks_two_sided(parsed)
        sided = [pair for row, segs in parsed for pair in _sided(segs, columns, two_sided, row, issues)]
    else:
        if mode == "cells":
            rows = join_label_pieces(rows)
        tokens = [t for row in rows for t in tokenize(row, False, mode == "wrapped")]
        if mode == "wrapped":
            tokens = rejoin_wrapped_rows(_without_header_fragments(rejoin_wrapped_labels(tokens)))
        tokens = interleave_packed(split_glued_cells(join_split_tokens(header, tokens)))
        mirrored = names_two_values(header)
        if mirrored:
            tokens = _named_twice(tokens)
        segs = drop_scores(header, segments(tokens, wrapped=mode == "wrapped", cells=mode == "cells"))
        two_sided = mirrored or columns.two_sided or (goal_columns and (not header or _mirrored(segs)))
        sided = _stream_sided(segs, two_sided, cells=mode == "cells")
    sides = (Side(), Side())
    for side, whole in sided:
        for seg in unpack(whole, glued=mode == "wrapped"):
            if side == 1 and not seg.l2 and not sides[1].own and sides[0].events:
                sides[1].add_label(*sides[0].events[-1])  # 年度 column printed without labels
            _feed(sides[side], seg, seg.line, mode == "cells")
    period, annual = _finish(sides[0], sides[1]), _finish(sides[1], sides[0])
    issues += [
        Issue(k.line, f"indicator value not understood, kept as printed: {k.value!r} ({k.level3})")
        for k in period + annual
        if k.parsed is not None and k.parsed.flagged
    ]
    issues += [Issue(k.line, f"indicator without a value ({k.level3})") for k in period + annual if not k.value]
    return period, annual, tuple(issues)


def _named_twice(tokens: list[Token]) -> list[Token]:
    """mirror_two_values for a stream of cells (pdftotext, one cell per line), under a header of
    实施期 and 年度 value columns: a name followed by two values becomes the two columns' rows
    (资助项目数 ≥450项 ≥150项 → 资助项目数 ≥450项 | 资助项目数 ≥150项)."""
    out: list[Token] = []
    for i, tok in enumerate(tokens):
        if (
            i >= 2 and tok.label is None and is_value_like(tok.text)
            and tokens[i - 1].label is None and (is_value_like(tokens[i - 1].text) or is_figure(tok.text))
            and tokens[i - 2].label is None and not is_figure(tokens[i - 2].text)
        ):  # a name, its 实施期 value (a figure, a verdict, or text when a figure follows: 按项目进度拨付), its 年度 one
            at = i - 2  # the name, after its row's 二级 label if printed: both again, for 年度
            while at and tokens[at - 1].label is not None and tokens[at - 1].label.level == 2:
                at -= 1
            out.extend(tokens[at : i - 1])
        out.append(tok)
    return out


def _mirrored(segs: list[Segment]) -> bool:
    """Most indicators printed twice: the 实施期 and 年度 columns repeat each other."""
    names = [squash(s.name) for s in segs if s.name]
    repeated = sum(1 for n in names if names.count(n) >= 2)
    return bool(names) and repeated >= 0.3 * len(names)


def rejoin_wrapped_rows(tokens: list[Token]) -> list[Token]:
    """Fragments printed on the line after a complete row (pdftotext prints a row's second
    lines below it: 开展科技成果转化对接 ≥12场 / 活动场次) joined to the cells they continue.

    A line of fragments holds no label and no figure, does not read as names with short
    verdicts (降低服务对象成本 有效降低), and has as many pieces as the line above has name/value
    pairs (one per column group), alike where those names are; each piece goes to its pair's
    longer cell, the one that wrapped. Any other line is left as printed.
    """
    out: list[Token] = []
    last: list[Token] = []  # the last line kept, the tail of `out`
    for line in (tokens[start:end] for start, end in _line_starts(tokens)):
        pairs = _name_value_pairs(last) if last and _fragments(line) and not _reads_as_pairs(line) else []
        # each piece goes to its pair's longer cell, the one that wrapped
        ends = [n if len(last[n].text) >= len(last[v].text) else v for n, v in pairs] if len(pairs) == len(line) else []
        if not ends or not _wrapped_alike(last, pairs, line) or not _fits_under(last, ends, line):
            out.extend(line)
            last = line
            continue
        for at, piece in zip(ends, line):
            last[at] = last[at]._replace(text=last[at].text + piece.text)
        out[len(out) - len(last) :] = last
    return out


def join_label_pieces(rows: Sequence[Row]) -> list[Row]:
    """One cell per line: a level label wrapped in its cell comes as two or three lines
    (服务对象 / 满意度, 社会 / 效益, 数量 / 指标, 满意 / 度指 / 标), joined where together they are
    a label as the vocabulary prints it and the first piece is not; a copy of a label cut
    short right above it is dropped, and the last line of a wrapped name or figure joins it."""
    vocab = level_labels()
    rows = _tails_after_values(_mirrored_wraps([part for row in rows for part in _label_after_figure(row, vocab)]))
    out: list[Row] = []
    i = 0
    while i < len(rows):
        joined = _label_from_pieces(rows, i, vocab)
        if joined is None:
            if out and _tail_of_cell_above(out[-1], rows, i, vocab):
                above = out[-1]
                out[-1] = Row.of_cells(above.line, rows[i].end_line, (above.text + rows[i].key,))  # type: ignore[assignment]
            elif not _cut_copy(rows, i):
                out.append(rows[i])
            i += 1
            continue
        label, size = joined
        last = rows[i + size - 1]
        out.append(Row.of_cells(rows[i].line, last.end_line, (label,)))  # type: ignore[arg-type]
        i += size
    return out


def _mirrored_wraps(rows: list[Row]) -> list[Row]:
    """Names the two columns wrap at different widths: 促进各类人才投身我 / 市高质量转型发展 / 促进
    and 促进各类人才投身我市 / 高质量转型发展 / 促进 spell one name twice, cut in two places, before
    the same value; each pair of lines is one name (read apart, the second line would be the
    value and the value the next name). Where both columns cut alike nothing tells, and nothing
    is joined."""
    spans: dict[tuple[str, str], list[int]] = {}
    for k in range(len(rows) - 2):
        if _is_piece(rows[k]) and _is_piece(rows[k + 1]) and len(rows[k + 2].filled) == 1:
            spans.setdefault((rows[k].key + rows[k + 1].key, rows[k + 2].key), []).append(k)
    joins = {k for ks in spans.values() if len({rows[k].key for k in ks}) > 1 for k in ks}
    if not joins:
        return rows
    out: list[Row] = []
    skip = False
    for k, row in enumerate(rows):
        if skip:
            skip = False
        elif k in joins and k + 1 not in joins:
            out.append(Row.of_cells(row.line, rows[k + 1].end_line, (row.key + rows[k + 1].key,)))  # type: ignore[arg-type]
            skip = True
        else:
            out.append(row)
    return out


def _tails_after_values(rows: list[Row]) -> list[Row]:
    """A row whose names wrapped, printed line by line across (PyMuPDF): 举办山西省宋庆龄少年 /
    1 项 / 举办山西省宋庆龄少 / 1 项 / 儿童发明奖活动 / 年儿童发明奖活动. Each name's second line
    follows both values; it is joined to its name where the two names come out as one, cut in
    two places (as `_mirrored_wraps`), the only proof that the lines belong there."""
    out = list(rows)
    k = 0
    while k + 5 < len(out):
        a, v, b, w, a2, b2 = (out[k + j] for j in range(6))
        if (all(map(_is_piece, (a, b, a2, b2))) and is_figure(v.text) and is_figure(w.text)
                and a.key != b.key and a.key + a2.key == b.key + b2.key):
            out[k : k + 6] = [Row.of_cells(a.line, a2.end_line, (a.key + a2.key,)), v,  # type: ignore[list-item]
                              Row.of_cells(b.line, b2.end_line, (b.key + b2.key,)), w]  # type: ignore[list-item]
            k += 4
        else:
            k += 1
    return out


def _is_piece(row: Row) -> bool:
    """A line of one cell that is neither a label nor a figure: a piece of a name, maybe."""
    return len(row.filled) == 1 and level_label(row.key) is None and not is_figure(row.text)


def _label_after_figure(row: Row, vocab: dict[str, LevelLabel]) -> tuple[Row, ...]:
    """1000 元/月成本指标: a figure and the next cell's label printed on one text line (PyMuPDF
    joins what stands on one baseline), as two cells, each a line of its own."""
    text = row.text
    if not text.endswith("指标") or len(row.filled) != 1:
        return (row,)
    key = row.key
    for size in range(min(len(key) - 1, 9), 3, -1):  # the longest label first (≥90%社会效益指标)
        head, label = key[:-size], key[-size:]
        if label in vocab and head and is_figure(head):
            cut = _cut_before(text, size)
            return (Row.of_cells(row.line, row.end_line, (text[:cut].rstrip(),)),
                    Row.of_cells(row.line, row.end_line, (text[cut:].strip(),)))
    return (row,)


def _cut_before(text: str, glyphs: int) -> int:
    """Where the last `glyphs` non-space characters of `text` begin."""
    seen = 0
    for at in range(len(text) - 1, -1, -1):
        if not text[at].isspace():
            seen += 1
            if seen == glyphs:
                return at
    return 0


def _tail_of_cell_above(above: Row, rows: Sequence[Row], i: int, vocab: dict[str, LevelLabel]) -> bool:
    """The last line of the cell above, wrapped (raw pdftotext prints each cell's lines one
    per line): 2025年10月底 / 前 ends a figure; 支持省级创新实验室 / 数量 / ≥7家 ends a name
    with a word that would read as the label 数量(指标) were it not between the name and its
    value (a label proper is printed in full, or followed by a name)."""
    key = rows[i].key
    if key in FIGURE_TAILS:
        return is_figure(above.text)
    unit_tail = len(key) <= 2 and all(c in UNIT_GLYPHS or c in _FIGURE_END_GLYPHS for c in key)
    if unit_tail or (above.key[-1:].isdigit() and DATE_TAIL.fullmatch(key)):  # ≥5人 / 次, 52457平方 / 米,
        return is_figure(above.text) and is_figure(above.key + key)  # ≥637元/人 / /月, 2026 年12 / 月底前
    if key in vocab or level_label(key) is None or i + 1 == len(rows):
        return False
    return (
        level_label(above.key) is None
        and not is_value_like(above.text)
        and is_figure(rows[i + 1].text)
    )


def _cut_copy(rows: Sequence[Row], i: int) -> bool:
    """效益指标 / 经济 / 经济效益: a copy of the label below cut short by its cell (a merged
    cell the converter printed twice), between two labels, no indicator named 经济. (After
    a name it is that name's value: 依法依规履职 / 可持续 / 可持续影响指标.)"""
    head = rows[i].key
    if not 2 <= len(head) <= 4 or i + 1 == len(rows) or level_label(head) is not None:
        return False
    if not i or level_label(rows[i - 1].key) is None:
        return False
    below = rows[i + 1].key
    return below != head and below.startswith(head) and level_label(below) is not None


def _label_from_pieces(rows: Sequence[Row], i: int, vocab: dict[str, LevelLabel]) -> tuple[str, int] | None:
    """(label, rows it takes) when rows i, i+1 (and i+2) are the pieces of one label."""
    head = rows[i].key
    if len(head) > 6 or head in vocab or len(rows[i].filled) != 1:
        return None
    text = head
    for size in (2, 3):
        if i + size > len(rows) or len(rows[i + size - 1].filled) != 1:
            return None
        piece = rows[i + size - 1].key
        if len(piece) > 6 or piece in vocab:
            return None
        text += piece
        if text in vocab:
            return text, size
    return None


def _without_header_fragments(tokens: list[Token]) -> list[Token]:
    """A 指标 line that completed no label above it: a piece of the column header."""
    return [t for t in tokens if t.label is not None or t.text != "指标"]


def rejoin_wrapped_labels(tokens: list[Token]) -> list[Token]:
    """Level labels wrapped in their column (满意度指 / 标, 服务对象满 / 意度指标, 社会效益 / 指标)
    joined again: a line of label endings only, each completing, in order, the label begun on
    one of the two lines above it."""
    vocab = level_labels()
    tails = _label_tails()
    out = list(tokens)
    lines = _line_starts(out)
    dropped: set[int] = set()
    for n, (start, end) in enumerate(lines):
        line = out[start:end]
        if n == 0 or not all(t.label is None and squash(t.text) in tails for t in line):
            continue
        heads = [i for a, b in lines[max(0, n - 2) : n] for i in range(a, b) if i not in dropped]
        joins, k = [], 0
        for tail in line:
            while k < len(heads) and squash(out[heads[k]].text) + squash(tail.text) not in vocab:
                k += 1
            if k == len(heads):
                break
            joins.append(heads[k])
            k += 1
        if len(joins) != len(line):
            continue
        for at, tail in zip(joins, line):
            text = squash(out[at].text) + squash(tail.text)
            out[at] = out[at]._replace(text=text, label=vocab[text])
        dropped.update(range(start, end))
    return [t for i, t in enumerate(out) if i not in dropped]


def _line_starts(tokens: list[Token]) -> list[tuple[int, int]]:
    """(start, end) of each run of tokens printed on one line."""
    spans: list[tuple[int, int]] = []
    for i, tok in enumerate(tokens):
        if spans and tokens[spans[-1][0]].line == tok.line:
            spans[-1] = (spans[-1][0], i + 1)
        else:
            spans.append((i, i + 1))
    return spans


def _fits_under(last: list[Token], ends: list[int], pieces: list[Token]) -> bool:
    """Each piece no wider than the cell it would continue: a cell wraps at its column's width,
    so its first line is its widest, and a wider line is a cell of its own (pdftotext prints a
    long 年度 name on lines of its own after the row's 实施期 cells: 丙指标 ≥80个 / 能源领域…参与项目 /
    实施数 / ≥3个). Widths as printed: a Latin letter or digit takes half a Chinese glyph's."""
    return all(_width(piece.text) <= _width(last[at].text) for at, piece in zip(ends, pieces))


def _width(text: str) -> float:
    """Narrow (Latin, digits) and half-width forms count half; the rest, Chinese quotation marks
    and ≥ among them (ambiguous width, but full width in a Chinese font), count one."""
    return sum(0.5 if unicodedata.east_asian_width(c) in ("Na", "H") else 1.0 for c in text if not c.isspace())


def _wrapped_alike(last: list[Token], pairs: list[tuple[int, int]], pieces: list[Token]) -> bool:
    """Columns that print the same name wrap it the same way: where the row above has one name
    in both column groups, the pieces below must be alike too (else they are a row of one
    column group: 公交优先发展长效机制 持续发挥作用)."""
    names = {squash(last[name_at].text) for name_at, _ in pairs}
    return len(names) > 1 or len({squash(p.text) for p in pieces}) == 1


def _reads_as_pairs(line: list[Token]) -> bool:
    """降低服务对象成本 有效降低: a name and a short verdict, an indicator's own row."""
    return len(line) % 2 == 0 and all(
        not is_value_like(name.text) and is_value_like(value.text) for name, value in zip(line[::2], line[1::2])
    )


def _fragments(line: list[Token]) -> bool:
    """No label, figure or numbered item, nor the tail of a label (社会效益 / 指标: a label's
    second line, which belongs to the label column, not to the row's name)."""
    tails = _label_tails()
    return all(
        t.label is None and not is_figure(t.text) and not ENUMERATED.match(t.text) and squash(t.text) not in tails
        for t in line
    )


@lru_cache(maxsize=1)
def _label_tails() -> frozenset[str]:
    """Every proper ending of every level label (指标, 意度指标 …)."""
    return frozenset(label[i:] for label in level_labels() for i in range(1, len(label)))


def _name_value_pairs(line: list[Token]) -> list[tuple[int, int]]:
    """(name, value) positions in a line of tokens: a label-free cell followed by a figure."""
    return [
        (i, i + 1)
        for i in range(len(line) - 1)
        if line[i].label is None and line[i + 1].label is None
        and not is_figure(line[i].text) and is_figure(line[i + 1].text)
    ]


def split_glued_cells(tokens: list[Token]) -> list[Token]:
    """A name and its value printed with no gap between them (pdftotext), split where the table
    itself shows the cut: at the twin printed apart beside it (2.是否取得预期科普效果是 beside
    2.是否取得预期科普效果 | 是, the other column's copy), or where the value repeats the name's
    number (1.宣传推广及时性1.及时发布宣传信息)."""
    out: list[Token] = []
    last = len(tokens) - 1
    for i, tok in enumerate(tokens):
        text = tok.text
        cut = 0
        if tok.label is None:
            if i + 2 <= last:
                cut = _twin_cut(text, tokens[i + 1], tokens[i + 2])
            if not cut and i >= 2:
                cut = _twin_cut(text, tokens[i - 2], tokens[i - 1])
            if not cut and text[:1].isdigit():
                m = ENUMERATED_PAIR.match(text)
                cut = m.end(2) if m else 0
        if cut:
            out += [tok._replace(text=text[:cut]), tok._replace(text=text[cut:])]
        else:
            out.append(tok)
    return out


def _twin_cut(text: str, name: Token, value: Token) -> int:
    """Where `text` splits into the name and value tokens printed beside it, or 0."""
    if name.label is not None or value.label is not None or not name.text or not value.text:
        return 0
    n = len(name.text)
    return n if text.startswith(name.text) and text[n:] == value.text else 0


def interleave_packed(tokens: list[Token]) -> list[Token]:
    """k names then k figures on one line (a packed cell split on spaces) → name, figure pairs."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        names = _run(tokens, i, lambda t: t.label is None and not is_figure(t.text))
        figures = _run(tokens, i + len(names), lambda t: t.label is None and is_figure(t.text))
        if len(names) >= 2 and len(figures) == len(names) and _same_line(names + figures):
            out.extend(t for pair in zip(names, figures) for t in pair)
            i += 2 * len(names)
        else:
            out.append(tokens[i])
            i += 1
    return out


def _run(tokens: list[Token], start: int, test) -> list[Token]:
    end = start
    while end < len(tokens) and test(tokens[end]) and tokens[end].line == tokens[start].line:
        end += 1
    return tokens[start:end]


def _same_line(tokens: list[Token]) -> bool:
    return len({t.line for t in tokens}) == 1


def _stream_sided(segs: list[Segment], two_sided: bool, cells: bool = False) -> list[tuple[int, Segment]]:
    """Columns alternate 实施期, 年度; a level-1 label, a line holding a whole row or a new
    label printed by both columns (_opens_label_pair) restarts.

    A label printed twice with an indicator under the second copy only bends the alternation:
    either one column's merged cell written twice (it takes no turn, and lends its copy to the
    other column's unlabelled row), or a label with nothing under it in one column (the group's
    rows are then the other column's). `_label_twice` tells which, where the layout shows it.
    A text line packing several rows per column is split at its label's second copy
    (_packed_line_sides).
    """
    if not two_sided:
        return [(0, s) for s in segs]
    named_per_line: dict[int, int] = {}
    for seg in segs:
        if seg.name:
            named_per_line[seg.line] = named_per_line.get(seg.line, 0) + 1
    blank_rows = cells and _blank_between_rows(segs)
    packed = {} if cells else _packed_line_sides(segs)
    out: list[tuple[int, Segment]] = []
    slot, previous_line, only, lent, emptied = 0, None, None, None, False
    for i, seg in enumerate(segs):
        if i in packed:
            out.append((packed[i], seg))
            previous_line = seg.line
            continue
        starts_row = seg.line != previous_line and named_per_line.get(seg.line, 0) >= 2
        if seg.l1 or starts_row or ((cells or seg.name is None) and _opens_label_pair(segs, i)):
            slot = 0
        if seg.l1 or seg.l2 or starts_row:
            only = None
        kind = None if emptied else _label_twice(segs, i, cells, blank_rows)
        if only is not None and seg.name:
            out.append((only, seg))
        elif kind == "merged":
            out.append((slot % 2, seg))
            after = segs[i + 2]
            lent = segs[i + 1] if not (after.l1 or after.l2) else None
        else:
            if lent is not None and seg is not lent:  # the other column's row, unlabelled
                seg = replace(seg, l2=list(lent.l2), label_line=lent.label_line)
                lent = None
            out.append((slot % 2, seg))
            slot += 1
            if emptied:  # the label's second copy and its indicator: the rest is that column's
                only, emptied = out[-1][0], False
            elif kind == "empty":
                emptied = True
        previous_line = seg.line
    return out


def _packed_line_sides(segs: list[Segment]) -> dict[int, int]:
    """Sides of the segments of a text line packing several rows per column (a column printed
    as one paragraph: 数量指标 n1 v1 n2 v2 … 数量指标 m1 w1 m2 w2 …): up to the label's second
    copy the line is 实施期's, from it on 年度's. Only where each copy heads two rows or more."""
    sides: dict[int, int] = {}
    start = 0
    while start < len(segs):
        end = start
        while end < len(segs) and segs[end].line == segs[start].line:
            end += 1
        labelled = [j for j in range(start, end) if segs[j].l2]
        if labelled:
            first = labelled[0]
            key = _label(segs[first])
            second = next((j for j in labelled[1:] if _label(segs[j]) == key), None)
            if second is not None:
                before = sum(1 for j in range(first, second) if segs[j].name)
                after = sum(1 for j in range(second, end) if segs[j].name)
                if before >= 2 and after >= 2:
                    sides.update({j: 0 if j < second else 1 for j in range(first, end)})
        start = end
    return sides


def _opens_label_pair(segs: list[Segment], i: int) -> bool:
    """A new 二级 label printed by both columns one after the other (时效指标 … 时效指标): the
    row opens at its first copy, whatever turn rows printed in one column only left. Asked
    where cells are printed one per line, or of a copy with no indicator (labels centred on
    lines of their own); otherwise text layouts show where rows open by their lines."""
    seg = segs[i]
    if not seg.l2 or i + 1 >= len(segs) or not segs[i + 1].l2 or segs[i + 1].l1:
        return False
    if seg.name is not None and seg.value is None:  # a name still waiting for its value ends
        return False  # a row begun before (样品质量合格率 ≥95% | 质量指标 入库合格率 | 质量指标 …)
    key = _label(seg)
    before = next((s for s in reversed(segs[max(0, i - 8) : i]) if s.l2), None)
    return _label(segs[i + 1]) == key and (before is None or _label(before) != key)


def _blank_between_rows(segs: list[Segment]) -> bool:
    """One cell per line with a blank line after each row: lines skipped between segments."""
    return any(b.line > max(a.line, a.label_line, a.name_line, a.value_line) + 1 for a, b in zip(segs, segs[1:]))


def _label_twice(segs: list[Segment], i: int, cells: bool, blank_rows: bool) -> str | None:
    """What a label printed with no indicator, then again at once with one, is: "merged" when
    the row goes on with the other column (成本指标 成本指标 总成本 ≤1000万元 成本指标 … on one
    row, or an unlabelled indicator of the same row or of the same name): a merged cell the
    converter wrote into two columns; "empty" when the row ends there (成本指标 / 成本指标
    履职成本及项目 控制在预算之内, then 年度 rows alone): the first column has nothing under the
    label. None for any other segment, and where the layout cannot show where rows end (one
    cell per line with no blank lines) and the next row has a label of its own."""
    if i + 2 >= len(segs):
        return None
    label, named, after = segs[i : i + 3]
    if label.name or not label.l2 or not named.l2 or named.l1 or not named.name:
        return None
    key = _label(label)
    if _label(named) != key:
        return None
    if after.l1:
        return "empty"
    if not after.l2 and after.name == named.name:
        return "merged"  # the same indicator again, unlabelled: the other column's copy
    third = bool(after.l2) and _label(after) == key and after.name is not None
    end = named.value_line or named.name_line
    if not cells or blank_rows:
        same_row = after.line == (end + 1 if cells else end)
    elif third:  # rows unseen: a third copy is the other column's unless every row has one
        fourth = segs[i + 3] if i + 3 < len(segs) else None
        same_row = not (fourth and fourth.l2 and _label(fourth) == key and fourth.name)
    elif not after.l2:  # rows unseen, but the group's names tell: copies of one another mean
        # both columns list it, so the two copies were printed side by side (_labels_side_by_side);
        # else each column fills its group from the top, and one with nothing on the group's
        # first row has nothing under the label
        return "merged" if _names_repeat(segs, i + 1) else "empty"
    else:
        return None  # rows unseen: either reading may be wrong, so neither is taken
    if after.l2 and not third:  # the next row's own label: not this row's third copy
        return None if same_row else "empty"
    return "merged" if same_row else "empty"


def _after_a_name(sides: list[int], segs: list[Segment]) -> bool:
    """A segment placed after a named one in the same column, a second name among them: a
    column group reads labels, name, value, so the positions are wrong (⇥效益指标⇥⇥⇥经济效益⇥name⇥⇥value⇥经济效益, the row
    shifted right: the last label is the 年度 column's, the indicator the 实施期's)."""
    named: set[int] = set()
    for side, seg in zip(sides, segs):
        if side in named:
            return True
        if seg.name:
            named.add(side)
    return False


def _labels_side_by_side(segs: list[Segment]) -> bool:
    """A row that opens with one 二级 label twice, then two indicators, the second unlabelled:
    each column's copy of the label, printed side by side where the converter dropped the
    empty cells between them (⇥社会效益⇥社会效益⇥name⇥value⇥name⇥value), so the cells'
    positions do not tell the columns apart. Stream layouts read it so already (the copy is
    lent to the unlabelled indicator, _label_twice)."""
    if len(segs) != 3:
        return False
    label, first, second = segs
    return (
        bool(label.l2) and label.name is None and not label.l1
        and bool(first.l2) and first.name is not None and not first.l1
        and second.name is not None and not second.l2 and not second.l1
        and _label(label) == _label(first)
    )


def _names_repeat(segs: list[Segment], start: int) -> bool:
    """A name printed twice in the label's group from `start` on: both columns list the group's
    indicators (their copies of one another), so the labels were printed side by side, one per
    column, and not one of them over an empty column."""
    seen: set[str] = set()
    for seg in segs[start:]:
        if seg is not segs[start] and (seg.l1 or seg.l2):
            break
        if seg.name:
            key = squash(seg.name)
            if key in seen:
                return True
            seen.add(key)
    return False


def _looks_two_sided(parsed: list[tuple[Row, list[Segment]]]) -> bool:
    named = [sum(1 for s in segs if s.name) for _, segs in parsed]
    return sum(1 for n in named if n >= 2) >= max(1, len(named) // 4)


def _sided(segs: list[Segment], columns: Columns, two_sided: bool, row: Row, issues: list[Issue]):
    """Pair each segment with a side: 0 for 实施期, 1 for 年度."""
    if not two_sided:
        return [(0, s) for s in segs]
    if _labels_side_by_side(segs):  # 社会效益 | 社会效益 | name | value | name | value
        label, first, second = segs
        return [(0, label), (0, replace(first, l2=[])),
                (1, replace(second, l2=list(first.l2), label_line=first.label_line))]
    if columns.split is not None and all(s.col is not None for s in segs):
        sides = [1 if s.col >= columns.split else 0 for s in segs]  # type: ignore[operator]
        if sides == sorted(sides) and not _after_a_name(sides, segs):  # (one name per column)
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


def _feed(side: Side, seg: Segment, line: int, cells: bool = False) -> None:
    """Add one segment to its column. Its label is on the indicator's row when printed on the
    name's first line; one cell per line keeps rows apart only by their order, so there a label
    before the name is on its row."""
    side.own = side.own or bool(seg.l2)
    side.add_label(seg.l2[-1] if seg.l2 else None, seg.l1[-1] if seg.l1 else None)
    if not seg.name:
        return
    state = len(side.events) - 1
    on_row = bool(seg.l2) and (cells or seg.label_line == (seg.name_start or seg.name_line))
    side.items.append(_new(Placed, (seg.name, seg.value or "", state, bool(seg.l2), on_row)))
    side.lines.append(line)


def _finish(side: Side, other: Side) -> tuple[Kpi, ...]:
    """Indicators of one column, each filed under one of the labels the table prints.

    Both columns share the template, so a category printed in only one of them is available
    to both (the 年度 column is often printed without labels of its own).
    """
    order = _merged_labels(side.events, other.events)
    where = {}
    for i, event in enumerate(order):
        where.setdefault(id(event), i)
    own = [where[id(event)] for event in side.events]
    items = [
        _new(Placed, (it.name, it.value, own[it.state] if it.state >= 0 else -1, it.explicit, it.on_row))
        for it in side.items
    ]
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


@lru_cache(maxsize=65536)
def _category(label: str) -> str:
    info = level_label(label)
    return info.category if info else squash(label)


@lru_cache(maxsize=65536)
def _level1(l2: str | None, l1: str | None) -> str | None:
    """Level 1 follows from level 2 where the vocabulary knows its parent: 产出指标 for 数量指标,
    and 成本指标 for 经济成本指标 (the 2021 template makes 成本指标 a 一级指标 of its own, while
    older ones file it under 产出指标). A printed level-1 label of the parent's kind is kept as
    printed (效果指标, Shanghai's name for 效益指标). Memoized: every indicator under a label asks again."""
    info = level_label(l2) if l2 else None
    if info and info.parent:
        printed, parent = level_label(l1) if l1 else None, level_label(info.parent)
        if printed and parent and printed.level == 1 and printed.category == parent.category:
            return printed.label  # 效果指标 as printed; 产出 or 满意度指 (cut short): the parent
        return info.parent
    return _clean(l1)


@lru_cache(maxsize=65536)
def _clean(text: str | None) -> str | None:
    """Chinese text broken by a wrap space (服务对象 满意度) is joined; other text stays as printed."""
    if text is None:
        return None
    joined = squash(text)
    return joined if joined != text and CJK_ONLY.fullmatch(text) else text
