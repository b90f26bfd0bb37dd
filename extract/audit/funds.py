"""The money of one 项目支出绩效目标表 (元): its sources add up to its totals, and where the
implementation period holds no more money than the year (实施期资金总额 = 年度资金总额) the two
are the same money, so they come from the same sources.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Funds, Record
from .findings import Figure, Finding, amount

SOURCES = ("central", "provincial", "city_county", "self_raised", "other")
SOURCE_NAMES = {
    "central": "中央",
    "provincial": "省级",
    "city_county": "市县",
    "self_raised": "自筹",
    "other": "其他",
}
YUAN = 1.0  # amounts in 元 are exact; allow for a printed fraction of a 元


def _sources(funds: Funds) -> dict[str, float]:
    return {k: getattr(funds, k) for k in SOURCES if getattr(funds, k) is not None}


def check_sources(record: Record) -> Iterator[Finding]:
    """实施期 and 年度: the sources printed add up to the total printed."""
    for project in record.performance_projects:
        for funds, label in (
            (project.period_funds, "实施期资金总额"),
            (project.annual_funds, "年度资金总额"),
        ):
            parts = _sources(funds)
            if funds.total is None or not any(parts.values()):
                continue  # no source printed (or only zeros: a table the reader lost)
            if abs(sum(parts.values()) - funds.total) <= YUAN:
                continue
            yield Finding(
                "funds",
                f"{project.name}: {label} {amount(funds.total)} 元, but its sources add up to {amount(sum(parts.values()))}",
                Figure(
                    f"项目支出绩效目标表 {project.name} {label}",
                    funds.total,
                    project.line,
                    unit="元",
                ),
                Figure(
                    f"项目支出绩效目标表 {project.name}: {label} by source",
                    sum(parts.values()),
                    project.line,
                    unit="元",
                ),
            )


def check_same_money(record: Record) -> Iterator[Finding]:
    """Equal totals of 实施期 and 年度 split over the sources in the same way."""
    for project in record.performance_projects:
        period, year = _sources(project.period_funds), _sources(project.annual_funds)
        total, annual = project.period_funds.total, project.annual_funds.total
        if total is None or annual is None or abs(total - annual) > YUAN or not period or not year:
            continue
        if all(abs(period.get(k, 0.0) - year.get(k, 0.0)) <= YUAN for k in SOURCES):
            continue
        yield Finding(
            "funds",
            f"{project.name}: 实施期 and 年度 hold the same {amount(total)} 元, from {_split(period)} "
            f"in the one and {_split(year)} in the other",
            Figure(
                f"项目支出绩效目标表 {project.name}: 年度资金 by source",
                _split(year),
                project.line,
                unit="元",
            ),
            Figure(
                f"项目支出绩效目标表 {project.name}: 实施期资金 by source",
                _split(period),
                project.line,
                unit="元",
            ),
        )


def _split(parts: dict[str, float]) -> str:
    return ", ".join(f"{SOURCE_NAMES[k]} {amount(v)}" for k, v in parts.items() if v)
