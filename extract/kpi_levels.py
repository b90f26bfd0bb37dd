"""Place each indicator under its 二级指标 when the printed labels sit in the wrong rows.

Converters displace the merged label cells of the indicator table: a label lands one or many
rows early, two labels share a row, a level-1 label sits on a cost row. Reading the labels
literally then files counts under 质量指标 and dates under 成本指标. The labels that are printed
still give the categories and their order; this module chooses, for every indicator, one of
those labels so that the order is kept and the indicator's own content (a date is 时效, money
is 成本, a count is 数量, 满意 is 满意度) agrees as far as it can with where it is filed. Where
content says nothing, the literal position wins; a category whose label the block does not
print is never invented.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

DIGIT = re.compile(r"\d")
NUMBERED = re.compile(r"^\s*(?:(\d{1,2})[.、．](?!\d)|[（(](\d{1,2})[)）])")  # 1. 1、 (1): its number
DATE = re.compile(r"\d{1,2}\s*月|\d{4}\s*年\s*\d|年底|月底|上半年|下半年|(?<!\d)(?:19|20)\d\d\s*[/.-]\s*\d{1,2}(?!\d)")
MONEY = re.compile(r"元|\d\s*万\s*/")
COUNT = re.compile(r"\d\s*(万|千|百)?\s*[项个家人次场期篇册套件条种所名位台批份户座本部处辆张幅轮]")
COST_NAME = re.compile(r"成本|费|资金|补助|补贴|支出|标准|金额|价格|单价|预算|经费|款")
# Money that is an effect, not a cost: 带动社会资金投入, 科研经费收入, 产值.
BENEFIT_MONEY = re.compile(r"收入|收益|投入|带动|撬动|拉动|产值|营业|效益|增收|节约|节省|吸引|融资|投资")
# Money the project brings in, an economic effect whatever label it sits under (投资 and 投入
# alone may be the project's own spending: 项目总投资, 财政资金投入).
EARNED_MONEY = re.compile(r"收入|收益|带动|撬动|拉动|产值|营业额|增收|融资")
CAPPED = re.compile(r"\s*(?:[≤<＜≦]|不超过|不高于|不多于|控制在)")  # an upper bound: what is spent
BROUGHT = re.compile(r"带动|撬动|拉动|吸引")  # money drawn in …
INVESTED = re.compile(r"投入|投资")  # … and put in, after it
TIMELY = re.compile(r"及时|时限|时间|进度|按时")
PRODUCT = ("数量", "质量", "时效", "成本")

FAMILY = {
    "数量": "产出", "质量": "产出", "时效": "产出", "成本": "产出",
    "经济效益": "效益", "社会效益": "效益", "生态效益": "效益", "可持续影响": "效益",
    "满意度": "满意度",
}
CROSS_FAMILY_PENALTY = 2.0
EXPLICIT_BONUS = 0.75  # the label is printed on the indicator's own row
INHERITED_BONUS = 0.5  # the label is the last one printed above it
FIXED = 10.0  # more than content can outweigh: what the layout settles


class Placed(NamedTuple):
    """An indicator with the label events around it, as read literally."""

    name: str
    value: str
    state: int  # index of the last label event at or before this indicator (-1: none)
    explicit: bool  # that label is printed with this indicator (in its row of cells)
    on_row: bool = False  # and on the line of its name: no converter moved it there


@lru_cache(maxsize=65536)
def content_kind(name: str, value: str) -> str:
    """What an indicator's own text says about its category: a key of FITS ("" for nothing)."""
    if "满意" in name:
        return "satisfaction"
    # Cheap tests first: each pattern below needs a digit or one of the glyphs checked.
    percent = "%" in value
    digit = DIGIT.search(value) is not None
    if not percent and "元" not in value and (digit or "年" in value or "月" in value) and DATE.search(value):
        return "date"
    if ("元" in value or digit and "万" in value) and MONEY.search(value):
        if EARNED_MONEY.search(name) and _earned(name, value):
            return "benefit"
        return "cost" if COST_NAME.search(name) and not BENEFIT_MONEY.search(name) else "money"
    if ("时" in name or "进度" in name) and TIMELY.search(name) and not (percent and name.endswith("率")):
        return "timely"  # (a rate in %, 及时率 or 进度款…达标率, is a quality: the gold files it so)
    if not percent and digit and COUNT.search(value):
        return "count"
    if percent or "率" in name:
        return "rate"
    return ""


def _earned(name: str, value: str) -> bool:
    """Money named as brought in (收入, 带动投资) is an effect, unless capped or named a payment:
    the name's last word says which (科研经费收入 is income, 低收入农户补助标准 and 带动就业补贴资金
    are payments; 带动社会资金投入 is money put in)."""
    if CAPPED.match(value):
        return False
    earned = max(m.end() for m in EARNED_MONEY.finditer(name))  # a name's head word is its last:
    if drawn := BROUGHT.search(name):  # 带动社会资金投入: what is drawn in, put in
        earned = max([earned] + [m.end() for m in INVESTED.finditer(name, drawn.end())])
    paid = max((m.end() for m in COST_NAME.finditer(name)), default=-1)  # 科研经费收入, 低收入…补助标准
    return earned > paid


def _one_of(category: str) -> dict[str, float]:
    return {c: (1.0 if c == category else -1.0) for c in PRODUCT} | {"满意度": -1.0}


# How well an indicator's own text fits each output category (+1 fits, −1 contradicts), by
# what content_kind reads in it.
FITS: dict[str, dict[str, float]] = {
    "satisfaction": {"满意度": 1.0, **{c: -1.0 for c in PRODUCT}},
    "date": _one_of("时效"),
    "cost": _one_of("成本"),
    "money": {"成本": 0.25, "数量": -0.5, "质量": -0.5, "时效": -1.0},
    # money an effect brings (带动投资 ≥1000万元, 成果转化收益, 产值): 经济效益, not a cost
    "benefit": {"经济效益": 1.0, "成本": -0.5, "数量": -0.5, "质量": -0.5, "时效": -1.0},
    "timely": {"时效": 1.0, "数量": -0.5, "成本": -0.5},
    "count": {"数量": 1.0, "时效": -1.0, "成本": -1.0, "质量": -0.5},
    "rate": {"质量": 0.5, "数量": -0.5, "成本": -0.5},
    "": {},
}


def assign_states(items: list[Placed], categories: list[str]) -> list[int]:
    """The label event each indicator is filed under: in order, fitting content and layout."""
    if not items or not categories:
        return [max(it.state, 0) for it in items]
    families = [FAMILY.get(c) for c in categories]  # once per table, not once per item
    memo: dict[tuple, list[float]] = {}  # per table: scores by content kind and position
    scores = [_scores(it, categories, families, memo) for it in items]
    _hold_printed_labels(items, scores, categories)
    _hold_restarted_numbering(items, scores)
    path = _each_best_in_order(scores) or _monotone_best(scores)
    for category in _emptied_labels(items, path, categories):
        path = _with_one_row_under(category, scores, categories) or path
    return path


def _emptied_labels(items: list[Placed], path: list[int], categories: list[str]) -> list[str]:
    """Categories printed on an indicator's row that the best path leaves with no row at all
    (质量指标 printed over two counts, both read as 数量): a label labels something, so one
    row at least belongs under it; which one, content chooses (_with_one_row_under)."""
    used = {categories[state] for state in path}
    printed = {categories[item.state] for item in items if item.on_row and item.state >= 0}
    return [c for c in dict.fromkeys(categories) if c in printed and c not in used]


def _with_one_row_under(category: str, scores: list[list[float]], categories: list[str]) -> list[int] | None:
    """The best path that files at least one row under `category`: the first row (and state of
    the category) whose best path through it scores highest, held there for the next category.

    The best total through each row and state comes from one forward and one backward pass,
    not one search per row (_through)."""
    states = [s for s, c in enumerate(categories) if c == category]
    if not states:
        return None
    through = _through(scores)
    j, s = max(((j, s) for j in range(len(scores)) for s in states), key=lambda js: (through[js[0]][js[1]], -js[0]))
    scores[j][s] += FIXED
    return _each_best_in_order(scores) or _monotone_best(scores)


def _through(scores: list[list[float]]) -> list[list[float]]:
    """For each row and state, the best total of a non-decreasing path through that state there:
    the best path to it, plus the best from it (the forward pass over the rows and states reversed)."""
    forward = _forward(scores)
    backward = [row[::-1] for row in reversed(_forward([row[::-1] for row in reversed(scores)]))]
    return [[f + b - r for f, b, r in zip(fw, bw, row)] for fw, bw, row in zip(forward, backward, scores)]


def _forward(scores: list[list[float]]) -> list[list[float]]:
    """For each row and state, the best total of a non-decreasing path ending there."""
    out = [list(scores[0])]
    for row in scores[1:]:
        best, prev, here = float("-inf"), out[-1], []
        for s, score in enumerate(row):
            best = max(best, prev[s])
            here.append(best + score)
        out.append(here)
    return out


def _hold_printed_labels(items: list[Placed], scores: list[list[float]], categories: list[str]) -> None:
    """What a label printed on an indicator's row settles, whatever the content says.

    The label sits in its own group (top-aligned or centred) or one row early, never below
    it: the row is not filed under a later label. And where no unlabelled row follows it, the
    label has no other row to label, so the row stays under it (保密费用 0.4万元 under 数量指标,
    高产菌 ≥2个 under 质量指标, each the only row of its label) — unless the next label's row
    reads as displaced too (a date under 成本指标 after a count under 时效指标): then every
    label is printed a row early, and content places the rows.
    """
    labelled = [i for i, item in enumerate(items) if item.on_row and item.state >= 0]
    for n, i in enumerate(labelled):
        item, row = items[i], scores[i]
        for later in range(item.state + 1, len(row)):
            row[later] -= FIXED
        after = items[i + 1] if i + 1 < len(items) else None
        if after is None or after.state != item.state:  # (a copy of the label on the next row,
            # as docling fills a merged cell, keeps the group going)
            following = items[labelled[n + 1]] if n + 1 < len(labelled) else None
            if following is None or not _displaced(following, categories[item.state], categories):
                row[item.state] += FIXED


def _hold_restarted_numbering(items: list[Placed], scores: list[list[float]]) -> None:
    """Rows numbered anew under each label (1.宣传次数 2.宣传人数 3.验收率 | 1.宣传途径 …): a
    row whose number starts again after a label begins that label's group, so it is not moved
    back into the group before, whatever its content (1.宣传途径 ≥3种 under 质量指标); a row
    continuing the numbers with no label of its own stays in its group (3.验收率 ≥90%)."""
    before = None
    for item, row in zip(items, scores):
        number = _number(item.name)
        if number == 1 and before is not None and before > 1 and item.explicit and item.state > 0:
            for earlier in range(item.state):
                row[earlier] -= FIXED
        elif number is not None and before is not None and number == before + 1 and not item.explicit and item.state >= 0:
            for other in range(len(row)):  # 3.验收率 after 1., 2. under no new label: same group
                if other != item.state:
                    row[other] -= FIXED
        before = number


def _number(name: str) -> int | None:
    if not name or not (name[0].isdigit() or name[0] in "(（ "):
        return None  # most names: no regex
    m = NUMBERED.match(name)
    return int(m.group(1) or m.group(2)) if m else None


def _displaced(item: Placed, before: str, categories: list[str]) -> bool:
    """The row's content contradicts its own label and not the label before it."""
    fit = FITS[content_kind(item.name, item.value)]
    return fit.get(categories[item.state], 0.0) < 0 <= fit.get(before, 0.0)


def _each_best_in_order(scores: list[list[float]]) -> list[int] | None:
    """Every item's own strict best, when those already run in order: then no search is needed.

    The usual table prints its labels where they belong; this spares it the full search, and
    gives the same answer, since that path scores strictly higher than any other.
    """
    path, last = [], 0
    for row in scores:
        top = max(row)
        state = row.index(top)
        if state < last or row.count(top) > 1:
            return None
        path.append(state)
        last = state
    return path


def _scores(
    item: Placed, categories: list[str], families: list[str | None], memo: dict[tuple, list[float]]
) -> list[float]:
    """Content fit of the item under each label, plus a bonus for its literal position.

    A label printed with the indicator is not overridden across level-1 families (产出 vs 效益):
    displaced labels stay within their group of merged cells. `families` are the FAMILY of each
    category; `memo` keeps the scores of each (content kind, position) for the table: a fresh
    copy is returned.
    """
    kind = content_kind(item.name, item.value)
    key = (kind, item.state, item.explicit)
    scores = memo.get(key)
    if scores is None:
        scores = memo[key] = _position_scores(kind, item.state, item.explicit, categories, families)
    return scores.copy()


def _position_scores(
    kind: str, state: int, explicit: bool, categories: list[str], families: list[str | None]
) -> list[float]:
    scores = [FITS[kind].get(c, 0.0) for c in categories]
    if state < 0:
        return scores
    scores[state] += EXPLICIT_BONUS if explicit else INHERITED_BONUS
    if explicit:
        family = families[state]
        for s, other in enumerate(families):
            if s != state and other != family:
                scores[s] -= CROSS_FAMILY_PENALTY
    return scores


def _monotone_best(scores: list[list[float]]) -> list[int]:
    """Non-decreasing state sequence with the best total score (Viterbi with forward moves)."""
    k = len(scores[0])
    best = list(scores[0])  # best total of a path ending in each state, up to this item
    back = []  # for each later item: the state before it on the best path to each state
    for row in scores[1:]:
        run_max, run_arg = float("-inf"), 0
        step, arg = [], []
        for s, score in enumerate(row):
            if best[s] > run_max:
                run_max, run_arg = best[s], s
            step.append(run_max + score)
            arg.append(run_arg)
        best = step
        back.append(arg)
    state = max(range(k), key=lambda s: (best[s], -s))
    path = [state]
    for arg in reversed(back):
        state = arg[state]
        path.append(state)
    return path[::-1]
