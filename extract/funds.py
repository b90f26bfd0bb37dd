"""项目资金（元）: the funds of one performance table, read from a stream of cells.

Layouts differ (label and figure side by side; both labels on one row and both figures on the
next; labels wrapped over three lines as 其中：中 / 央财政资 / 金), so labels are recognised in the
running text and each figure goes to the oldest label still waiting for one.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from functools import lru_cache

from budgetkg.extract.labels import squash
from budgetkg.extract.model import Funds

AMOUNT = re.compile(r"^-?\d[\d,，]*(\.\d+)?$")
AMOUNT_IN_UNIT = re.compile(r"^(-?\d[\d,，]*(?:\.\d+)?)(亿元|万元|元)$")  # 360万元, squashed
UNIT_SCALE = {"元": 1, "万元": 10**4, "亿元": 10**8}
SEPARATORS = re.compile(r"[\s,，]")
TWO_FIGURES = re.compile(r"\d\s+\d")  # a space inside an amount only follows its , or . (23, 367. 00)
# Labels that take a figure. fiscal (其中：财政拨款) and total (a bare 资金总额) are not fields of
# the record, but are labels all the same: a figure printed under them must not be paired with
# the next label waiting.
FUND_KEYS = re.compile(
    r"(?P<period_total>实施期资金总额|实施期资金|中期资金总额|中期资金)"
    r"|(?P<annual_total>年度资金总额|年度资金)"
    r"|(?P<joint>中央[和及与、]省级?|省级?[和及与、]市|上级)"  # 中央和省级, 上级财政: neither source alone
    r"|(?P<central>中央)"
    r"|(?P<provincial>省级|省财政|省补助|自治区)"
    r"|(?P<city_county>市县|市[(（][区州][)）]|地[(（][市州][)）]|地市|县[(（]区[)）]|县[(（]市(?:、区)?[)）]|市级|区级|县级|市区|盟市|[市县区]本级)"
    r"|(?P<self_raised>自筹|自有资金)"
    r"|(?P<other>其他资金|其它资金)"
    r"|(?P<fiscal>财政拨款)"
    r"|(?P<total>资金总额|合计)"
)
GLUED_AMOUNT = re.compile(r"^(.*?[^\d\s,，.])[:：]?\s*(-?\d[\d,，]*(?:\.\d+)?(?:亿元|万元|元)?)$")
SOURCES = ("central", "provincial", "city_county", "self_raised", "other")
TOTAL_WORDS = frozenset(["总额", "合计", "总计", "金额"])  # 年度资金总额 | 总额：300万元
_PIECES = re.compile(r"[（）()；;]|其中[:：]")  # what parts a cell of several label：figure pairs
PLACEHOLDERS = frozenset(["—", "——", "-", "--", "－", "/", "／", "\\", "无"])  # a figure cell left empty
NO_FIGURE = "\x00"  # stands for a blank figure cell (see _mark_blank_figures)


def parse_amount(text: str) -> int | float | None:
    """An amount as printed: 14,663,000 → 14663000; 809,020.7 → 809020.7; blank → None. Two
    figures in one cell (16,110,000 5,370,000: the columns of a line read as one) are none: the
    space between them is no separator, and joining them would invent a number."""
    if " " in text and TWO_FIGURES.search(text):
        return None
    s = SEPARATORS.sub("", text)
    if not s or not AMOUNT.match(s):
        return None
    value = float(s)
    return int(value) if value.is_integer() and "." not in s else value


def read_funds(
    cells: Iterable[str], lines: Sequence[int] | None = None, default_scale: int = 1
) -> tuple[Funds, Funds]:
    """(implementation-period funds, annual funds) in 元 from the cells of the funds rows
    (`lines`: the line of each cell, where blank figure cells can be told from them;
    `default_scale`: the unit stated outside the cells, 10**4 for 单位：万元 above the table)."""
    cells = list(cells)
    if lines is not None:
        cells = _mark_blank_figures(cells, list(lines))
    found = _collect(cells, _scale(cells, default_scale))
    sides = _split_sources(found)
    if not found["period_total"] and not found["annual_total"] and found["total"]:
        found["period_total"] = found["total"]  # a bare total: the one column's (see read_project)
    period = Funds(total=_first(found["period_total"]), **sides[0])
    annual = Funds(total=_first(found["annual_total"]), **sides[1])
    return period, annual


def is_total_cell(cell: str) -> bool:
    """实施期资金总额：500,000 (or the label alone): a funds total, wherever it is printed."""
    if "资金总额" not in cell:  # most cells: no squash
        return False
    key = squash(cell)
    m = FUND_KEYS.match(key)
    if m is None or m.lastgroup not in ("period_total", "annual_total") or not m.group().endswith("总额"):
        return False
    rest = key[m.end():].lstrip(":：")
    return not rest or _amount(rest, 1) is not None


def _mark_blank_figures(cells: list[str], lines: list[int]) -> list[str]:
    """A line of two or more fund labels and no figure, followed by a line with labels of its
    own (其中：中央财政资金 | ⎵ | 其中：中央财政资金 | ⎵, then 省级财政资金 | 0 | …): its figure
    cells are blank, so each of its labels takes NO_FIGURE, not the next line's first figure.
    (Labels on one line and their figures on the next are a line of labels before figures.)"""
    runs = []  # (start, end) of each line's cells
    start = 0
    for i in range(1, len(cells) + 1):
        if i == len(cells) or lines[i] != lines[start]:
            runs.append((start, i))
            start = i
    blank = [
        (a, b) for n, (a, b) in enumerate(runs[:-1])
        if b - a >= 2 and all(map(_names_fund, cells[a:b])) and any(map(_names_fund, cells[slice(*runs[n + 1])]))
    ]
    if not blank:
        return cells  # the usual table: every label has its figure cell
    marked = {i for a, b in blank for i in range(a, b)}
    return [c for i, cell in enumerate(cells) for c in ((cell, NO_FIGURE) if i in marked else (cell,))]


@lru_cache(maxsize=4096)
def _names_fund(cell: str) -> bool:
    return FUND_KEYS.search(squash(cell)) is not None


def _collect(cells: Iterable[str], scale: int = 1) -> dict[str, list[int | float | None]]:
    """Figures per fund key in 元 (`scale`: the table's unit), in the order the labels were
    printed; None for a label whose figure is blank or a placeholder (—, /)."""
    found: dict[str, list[int | float | None]] = defaultdict(list)
    labels: dict[str, list[str]] = defaultdict(list)  # the label each figure was printed under
    waiting: deque[tuple[str, str]] = deque()
    buffer = ""
    for cell in _unglued(cells):
        if waiting and (cell == NO_FIGURE or squash(cell) in PLACEHOLDERS):
            key, label = waiting.popleft()
            found[key].append(None)
            labels[key].append(label)
            continue
        amount = _amount(cell, scale)
        if amount is not None and waiting:
            key, label = waiting.popleft()
            found[key].append(amount)
            labels[key].append(label)
            continue
        buffer += squash(cell)
        for m in FUND_KEYS.finditer(buffer):
            waiting.append((m.lastgroup or "", m.group()))
            buffer = buffer[m.end():]
    return _parts_summed(found, labels)


def _parts_summed(found: dict[str, list], labels: dict[str, list[str]]) -> dict[str, list]:
    """A source printed as parts in one column (地（市）资金 | 县（区）资金, both city_county): one
    figure, their sum. The same label twice is the two columns' (实施期, 年度), kept apart."""
    for key in SOURCES:
        printed = labels.get(key, [])
        if len(printed) >= 2 and len(set(printed)) == len(printed) and None not in found[key]:
            found[key] = [sum(found[key])]
    return found


def _amount(cell: str, scale: int) -> int | float | None:
    """A figure in 元: printed bare in the table's unit (`scale`), or with its own (360万元)."""
    value = parse_amount(cell)
    if value is not None:
        return value if scale == 1 else _in_yuan(value, scale)
    m = AMOUNT_IN_UNIT.match(squash(cell)) if cell[-1:] == "元" else None
    if m is None or (value := parse_amount(m.group(1))) is None:
        return None
    return _in_yuan(value, UNIT_SCALE[m.group(2)])


def _scale(cells: list[str], default: int = 1) -> int:
    """万元 or 亿元 where the funds are printed in them (项目资金（万元）, 金额单位：万元), else
    `default`: the record's funds are in 元, whatever unit the table used."""
    for cell in cells:
        if ("亿元" in cell or "万元" in cell) and not AMOUNT_IN_UNIT.match(squash(cell)):  # 360万元 is
            return 10**8 if "亿元" in cell else 10**4  # an amount with its own unit, not the table's
    return default


def _in_yuan(value: int | float, scale: int) -> int | float:
    """An amount printed in 万元/亿元 in 元, to the 分: 120.5 万元 → 1205000."""
    yuan = round(value * scale, 2)
    return int(yuan) if yuan == int(yuan) else yuan


def _unglued(cells: Iterable[str]):
    """年度资金总额: 356,500,000 in one cell → the label, then the figure; 总额：300万元 under a
    total's label → its figure; a cell of several (财政拨款：300万元（其中：上级财政资金：100万元；
    本级财政：200万元）) → each label and figure in turn."""
    for cell in cells:
        for text in _PIECES.split(cell) if "：" in cell and _PIECES.search(cell) else (cell,):
            text = text.strip()
            if not text:
                continue
            ends_amount = text[-1:].isdecimal() or text.endswith((",", "，", "元"))  # as GLUED_AMOUNT does
            m = GLUED_AMOUNT.match(text) if ends_amount else None
            if m and FUND_KEYS.search(squash(m.group(1))):
                yield m.group(1)
                yield m.group(2)
            elif m and squash(m.group(1)).rstrip(":：") in TOTAL_WORDS:
                yield m.group(2)  # the figure of the total whose label stands before it
            else:
                yield text


def _first(values: list[int | float | None]) -> int | float | None:
    return values[0] if values else None


def _split_sources(found: dict[str, list[int | float]]) -> tuple[dict, dict]:
    """Source figures for each side; a single column goes to the total it adds up to."""
    period: dict = {k: None for k in SOURCES}
    annual: dict = {k: None for k in SOURCES}
    single = {k: found[k][0] for k in SOURCES if len(found.get(k, ())) == 1 and found[k][0] is not None}
    for key in SOURCES:
        values = found.get(key, [])
        if len(values) >= 2:
            period[key], annual[key] = values[0], values[1]
    if single:
        target = annual if _single_column_is_annual(found, sum(single.values())) else period
        target.update(single)
    return period, annual


def _single_column_is_annual(found: dict[str, list[int | float]], total: float) -> bool:
    annual_total = _first(found.get("annual_total", []))
    period_total = _first(found.get("period_total", []))
    if annual_total is not None and abs(annual_total - total) < 0.5:
        return True
    if period_total is not None and abs(period_total - total) < 0.5:
        return False
    return annual_total is not None
