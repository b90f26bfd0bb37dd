"""What the audit reports: each inconsistency as two figures, each with where it is printed.

A finding always names both sides — the total and the sum of its parts, the table and the
sentence, the 项目支出预算表 line and the 绩效目标表 — with their lines, so a reader can open the
disclosure at both places and see the disagreement for themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

TOLERANCE = 0.01  # 万元 per printed amount: 表因四舍五入可能存在尾差
EPSILON = 1e-6


@dataclass(frozen=True)
class Figure:
    """One side of a finding: a figure (or a name) as printed, and where."""

    where: str  # 预算支出总表 合计 基本支出; 第三部分 三、支出预算情况说明 …
    value: float | int | str | None
    line: int | None
    end_line: int | None = None  # the last line, for a sum over several rows
    unit: str = "万元"


@dataclass(frozen=True)
class Finding:
    """One inconsistency of a disclosure."""

    check: str  # sums | row_sum | balance | cross_table | narrative | funds | counterpart | name | code | count
    message: str
    expected: Figure  # the figure that should hold: the total, the table, the budget line
    found: Figure  # the figure that disagrees: the parts, the sentence, the 绩效目标表

    @property
    def lines(self) -> tuple[int, ...]:
        found = (self.expected.line, self.found.line)
        return tuple(dict.fromkeys(x for x in found if x is not None))


def differs(a: float | None, b: float | None, parts: int = 1) -> bool:
    """Whether two amounts differ by more than the rounding of `parts` printed amounts; a blank
    is a zero (a table leaves a nil amount blank where the text writes 0)."""
    return abs((a or 0.0) - (b or 0.0)) > TOLERANCE * max(1, parts) + EPSILON


def scale_hint(stated: float | None, printed: float | None) -> str:
    """ ", about 10 times the other" where one figure is the other with a digit too many or too
    few (30,399.57 for 3,039.57): within 1% of a power of ten."""
    if not stated or not printed:
        return ""
    ratio = max(abs(stated), abs(printed)) / min(abs(stated), abs(printed))
    for factor in (10, 100, 1000, 10000):
        if abs(ratio - factor) <= factor * 0.01:
            return f", about {factor} times the other"
    return ""


def amount(value: float | None) -> str:
    """An amount as a reader expects it: 30399.57, 0; a blank as "blank"."""
    if value is None:
        return "blank"
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
