"""What a synthetic disclosure says, before any layout: department, budget, projects, KPIs.

Pure functions of a `random.Random` (and, for citations, the corpus's policy pool), so the same
seed always gives the same content. Amounts of the budget tables are integers in 分 of 万元
(hundredths, as the tables print them) and project funds integers in 元, so that every sum the
tables print is exact and the expected record needs no rounding.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from synth_policies import Cite, Policy, PolicyPool, cite_raw
from synth_words import (
    AGENCIES,
    ATTRIBUTES,
    CLASS_ITEMS,
    DUTY_OBJECTS,
    DUTY_VERBS,
    KPI_NAMES,
    LEVEL1,
    PLACE_FIRST,
    PLACE_SECOND,
    PROJECT_PHRASES,
    PROJECT_SUFFIXES,
    PROVINCES,
    STANDARD_BASIC,
)  # fmt: skip

YEARS = range(2019, 2027)


@dataclass(frozen=True)
class KpiGroup:
    """One 二级指标 of both column groups: (name, value) pairs for 实施期 and 年度."""

    level1: str
    level2: str
    period: tuple[tuple[str, str], ...]
    annual: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Funds:
    """Project funds in 元: total and by source; `other` is printed blank (None)."""

    total: int
    central: int
    provincial: int
    city_county: int
    self_raised: int


@dataclass(frozen=True)
class Project:
    name: str
    unit: str  # 实施单位
    attribute: str
    period: str
    period_funds: Funds
    annual_funds: Funds
    bases: tuple[Cite, ...]  # 立项依据
    basis_text: str
    measures: tuple[Cite, ...]  # cited in 保证项目实施的制度、措施
    measures_text: str
    overview: str
    necessity: str
    plan: str
    goal_period: str
    goal_annual: str
    kpis: tuple[KpiGroup, ...]
    item_code: str  # the 功能分类 item it is charged to


@dataclass(frozen=True)
class Department:
    name: str
    code: str
    year: int
    level: str
    province: str
    abbr: str
    place: str  # the jurisdiction the name begins with
    agency: str
    units: tuple[str, ...]  # the department itself first, then its subordinate units


@dataclass(frozen=True)
class Budget:
    """万元 amounts in hundredths: function items (code → basic, current project, carried over)."""

    items: dict[str, tuple[int, int, int]]
    carryover_lines: tuple[tuple[str, str, int], ...]  # (unit, name, amount)
    overseas: int
    reception: int
    vehicle_purchase: int
    vehicle_operation: int
    office: dict[str, int]  # unit → 机关运行经费
    procurement: int


@dataclass(frozen=True)
class Content:
    index: int
    dept: Department
    budget: Budget
    projects: tuple[Project, ...]
    duties: tuple[str, ...]
    offices: tuple[str, ...]


# --- department ----------------------------------------------------------------------------
def department(rng: random.Random) -> Department:
    province, abbr = rng.choice(PROVINCES)
    agency = rng.choice(tuple(AGENCIES))
    province_name, local_name, _, topics = AGENCIES[agency]
    level = rng.choices(("province", "city", "district"), (2, 5, 3))[0]
    city = _place(rng) + "市"
    place = {
        "province": province,
        "city": city,
        "district": city + _place(rng) + rng.choice("县区"),
    }[level]
    name = place + (province_name if level == "province" else local_name)
    units = (name,) + tuple(
        place + rng.choice(topics) + rng.choice(("服务中心", "研究院", "事务中心", "指导站"))
        for _ in range(rng.choice((0, 0, 1, 2, 3)))
    )
    code = str(rng.randint(100, 899))
    return Department(
        name,
        code,
        rng.choice(YEARS),
        level,
        province,
        abbr,
        place,
        agency,
        tuple(dict.fromkeys(units)),
    )


def _place(rng: random.Random) -> str:
    return rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND)


# --- projects ------------------------------------------------------------------------------
def project_count(rng: random.Random) -> int:
    """2 to 30 performance tables, most documents few (the seeds: 3, 12, 12, 18, 27)."""
    return min(30, 2 + int(rng.expovariate(1 / 12)))


def projects(
    rng: random.Random, dept: Department, pool: PolicyPool, count: int
) -> tuple[Project, ...]:
    topics = AGENCIES[dept.agency][3]
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(topics) + rng.choice(PROJECT_SUFFIXES)
        if name not in names or len(names) >= len(topics) * len(PROJECT_SUFFIXES):
            names.append(name)
    return tuple(_project(rng, dept, pool, name) for name in names)


def _project(rng: random.Random, dept: Department, pool: PolicyPool, name: str) -> Project:
    topic = name[:-4] if name[-4:] in PROJECT_SUFFIXES else name[:-3]
    attribute, period = rng.choice(ATTRIBUTES)
    annual = rng.choice((1, 2, 5, 10, 20, 50, 100, 300)) * rng.randint(1, 99) * 1000
    years = {"99年": 1, "3年": 3, "5年": 5, "1年": 1}[period]
    total = annual if years == 1 or rng.random() < 0.3 else annual * rng.randint(2, years)
    bases = _citations(rng, dept, pool, rng.choice((1, 1, 2, 2, 3, 4)))
    measures = _citations(rng, dept, pool, rng.choice((0, 0, 1, 2)))
    return Project(
        name=name,
        unit=rng.choice(dept.units),
        attribute=attribute,
        period=period,
        period_funds=_funds(rng, dept.level, total),
        annual_funds=_funds(rng, dept.level, annual),
        bases=bases,
        basis_text=_basis_text(rng, bases),
        measures=measures,
        measures_text=_measures_text(rng, topic, measures),
        overview=_prose(rng, topic, rng.randint(3, 9)),
        necessity=_prose(rng, topic, rng.randint(2, 5)),
        plan=_prose(rng, topic, rng.randint(2, 6)),
        goal_period=_prose(rng, topic, rng.randint(2, 4)),
        goal_annual=_prose(rng, topic, rng.randint(1, 3)),
        kpis=kpi_groups(rng, topic, dept.year),
        item_code=rng.choice(CLASS_ITEMS[AGENCIES[dept.agency][2]][1]),
    )


def _funds(rng: random.Random, level: str, total: int) -> Funds:
    """All from the department's own level of government, or part of it from the centre."""
    central = rng.choice((0, 0, 0, total // 2 // 1000 * 1000))
    own = total - central
    if level == "province":
        return Funds(total, central, own, 0, 0)
    return Funds(total, central, 0, own, 0)


def _citations(
    rng: random.Random, dept: Department, pool: PolicyPool, count: int
) -> tuple[Cite, ...]:
    chosen: list[Policy] = []
    for _ in range(count * 3):
        policy = pool.draw(rng, dept.abbr, dept.agency)
        if policy not in chosen:
            chosen.append(policy)
        if len(chosen) == count:
            break
    return tuple(Cite(p, cite_raw(rng, p)) for p in chosen)


def _basis_text(rng: random.Random, cites: tuple[Cite, ...]) -> str:
    style = rng.randrange(3)
    if style == 0:
        return "".join(f"{i}.{c.raw}" for i, c in enumerate(cites, 1))
    if style == 1:
        return "根据" + "、".join(c.raw for c in cites) + "等文件要求。"
    return "；".join(c.raw for c in cites) + "。"


def _measures_text(rng: random.Random, topic: str, cites: tuple[Cite, ...]) -> str:
    rules = "按照" + "、".join(c.raw for c in cites) + "等规定，" if cites else ""
    return rules + _prose(rng, topic, rng.randint(1, 3))


def _prose(rng: random.Random, topic: str, sentences: int) -> str:
    phrases = rng.sample(PROJECT_PHRASES, len(PROJECT_PHRASES))
    return "".join(phrases[i % len(phrases)].format(topic=topic) + "。" for i in range(sentences))


# --- KPIs ----------------------------------------------------------------------------------
def kpi_groups(rng: random.Random, topic: str, year: int) -> tuple[KpiGroup, ...]:
    """Every 二级指标 of the form, most with 1–5 indicators, the 年度 column mostly the same
    indicators as 实施期 (values sometimes differ, as real tables print them)."""
    groups = []
    for level1, level2s in LEVEL1:
        for level2 in level2s:
            empty = level2 == "生态效益" and rng.random() < 0.7
            count = 0 if empty else rng.choice((1, 1, 2, 2, 3, 4, 5))
            period = _kpis(rng, level2, topic, year, count)
            annual = tuple(
                (n, v if rng.random() < 0.8 else _value(rng, level2, kind, year))
                for (n, v), kind in zip(period, _kinds(level2, period, topic))
            )
            groups.append(KpiGroup(level1, level2, period, _uneven(rng, annual)))
    return tuple(groups)


def _uneven(rng: random.Random, annual: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """Now and then the 年度 column lists one indicator fewer than 实施期 (seed 002 does)."""
    return annual[:-1] if len(annual) >= 2 and rng.random() < 0.15 else annual


def _kpis(
    rng: random.Random, level2: str, topic: str, year: int, count: int
) -> tuple[tuple[str, str], ...]:
    templates = list(KPI_NAMES[level2])
    rng.shuffle(templates)
    return tuple(
        (t.format(t=topic), _value(rng, level2, kind, year)) for t, kind in templates[:count]
    )


def _kinds(level2: str, period: tuple[tuple[str, str], ...], topic: str) -> list[str]:
    by_name = {t.format(t=topic): kind for t, kind in KPI_NAMES[level2]}
    return [by_name[n] for n, _ in period]


def _value(rng: random.Random, level2: str, kind: str, year: int) -> str:
    head, _, unit = kind.partition(":")
    if head == "count":
        return (
            rng.choice(("≥", "", ""))
            + f"{rng.choice((1, 2, 3, 5, 8, 10, 12, 20, 50, 100, 300))}{unit}"
        )
    if head == "pct":
        return f"≥{rng.choice((80, 85, 90, 95, 98))}%"
    if head == "full":
        return "100%"
    if head == "deadline":
        return rng.choice(
            (f"{year}年12月底前", f"{year}年{rng.randint(6, 11)}月底前", "12月31日前")
        )
    if head == "cost":
        return f"≤{rng.choice((5, 10, 30, 50, 120, 500))}{unit}"
    if head == "sat":
        return f"≥{rng.choice((85, 90, 95))}%"
    return unit  # word: a qualitative target


# --- budget --------------------------------------------------------------------------------
def budget(rng: random.Random, dept: Department, current: tuple[Project, ...]) -> Budget:
    class_code = AGENCIES[dept.agency][2]
    admin, project_items = CLASS_ITEMS[class_code]
    items: dict[str, list[int]] = {}
    for code in (admin,) + STANDARD_BASIC[: rng.randint(3, len(STANDARD_BASIC))]:
        items.setdefault(code, [0, 0, 0])[0] += rng.randint(500, 300_000)
    for p in current:
        items.setdefault(p.item_code, [0, 0, 0])[1] += p.annual_funds.total // 100
    carry = tuple(
        (
            rng.choice(dept.units),
            rng.choice(AGENCIES[dept.agency][3]) + "结转项目资金",
            rng.randint(100, 90_000) * 10,
        )
        for _ in range(rng.choice((0, 0, 1, 2, 3)))
    )
    for _, _, amount in carry:
        items.setdefault(rng.choice(project_items), [0, 0, 0])[2] += amount
    three = [rng.choice((0, 0, rng.randint(50, 3000))) for _ in range(4)]
    office = {u: rng.randint(1000, 60_000) for u in dept.units}
    return Budget(
        {k: tuple(v) for k, v in sorted(items.items())},
        carry,
        *three,
        office,  # type: ignore[arg-type]
        rng.choice((0, rng.randint(500, 900_000))),
    )


def duties(rng: random.Random, dept: Department) -> tuple[str, ...]:
    topics = AGENCIES[dept.agency][3]
    return tuple(
        rng.choice(DUTY_VERBS)
        + rng.choice(DUTY_OBJECTS).format(topic=rng.choice(topics))
        + "，"
        + rng.choice(DUTY_VERBS)
        + rng.choice(DUTY_OBJECTS).format(topic=rng.choice(topics))
        + "。"
        for _ in range(rng.randint(8, 24))
    )


def content(index: int, seed: int, pool: PolicyPool) -> Content:
    """Document `index` of the corpus of `seed`: independent of how many documents there are."""
    from synth_words import OFFICES

    rng = random.Random(f"budgetkg-synth:{seed}:doc:{index}")
    dept = department(rng)
    projs = projects(rng, dept, pool, project_count(rng))
    return Content(
        index,
        dept,
        budget(rng, dept, projs),
        projs,
        duties(rng, dept),
        tuple(rng.sample(OFFICES, rng.randint(3, len(OFFICES)))),
    )
