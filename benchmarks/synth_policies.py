"""The corpus's policy pool: policies in popularity order, drawn by departments with a Zipf law.

Built once per corpus seed and shared by all its documents, so a few policies are cited by many
departments and most by a few; a department draws only national policies and those of its own
province, of its own agency or of every agency.
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass

from synth_words import (
    AGENCIES,
    LAWS,
    NATIONAL_CODES,
    NATIONAL_TEMPLATES,
    POLICY_TEMPLATES,
    PROVINCE_CODE_TAILS,
    PROVINCES,
)  # fmt: skip

GENERAL_TOPICS = (
    "预算绩效管理",
    "财政专项资金",
    "政府购买服务",
    "政府采购",
    "行政事业单位国有资产",
)
ZIPF_EXPONENT = 1.1


@dataclass(frozen=True)
class Policy:
    """A policy document of the pool: title and 发文字号 in GB/T 9704 form (None for a law)."""

    title: str
    doc_number: str | None
    code: str | None  # 机关代字, to print the number in other bracket styles
    year: int | None
    serial: int | None
    province: str  # "" for national documents
    agency: str  # "" for documents every agency cites


@dataclass(frozen=True)
class Cite:
    policy: Policy
    raw: str  # as printed


# --- the policy pool ------------------------------------------------------------------------
class PolicyPool:
    """Policies in popularity order; a department draws from the national ones, its province's
    and those of its agency (or of none), with Zipf weights over that candidate list."""

    def __init__(self, policies: list[Policy]):
        self.policies = tuple(policies)
        self._candidates: dict[tuple[str, str], tuple[list[Policy], list[float]]] = {}
        for (_, abbr), agency in itertools.product(PROVINCES, AGENCIES):
            chosen = [p for p in policies if p.province in ("", abbr) and p.agency in ("", agency)]
            self._candidates[(abbr, agency)] = (chosen, _zipf_cumulative(len(chosen)))

    def draw(self, rng: random.Random, abbr: str, agency: str) -> Policy:
        chosen, cumulative = self._candidates[(abbr, agency)]
        return chosen[bisect.bisect_left(cumulative, rng.random() * cumulative[-1])]


def _zipf_cumulative(n: int) -> list[float]:
    return list(itertools.accumulate(1.0 / (k**ZIPF_EXPONENT) for k in range(1, n + 1)))


def policy_pool(seed: int, size: int = 600) -> PolicyPool:
    """The corpus's policies, shuffled into a popularity order (rank 1 the most cited)."""
    rng = random.Random(f"budgetkg-synth:{seed}:pool")
    seen: set[str] = set()
    policies: list[Policy] = [_law(title) for title in LAWS]
    while len(policies) < size:
        policy = _policy(rng)
        if policy.doc_number not in seen and policy.title not in seen:
            seen.update((policy.doc_number or "", policy.title))
            policies.append(policy)
    rng.shuffle(policies)
    return PolicyPool(policies)


def _law(title: str) -> Policy:
    return Policy(title, None, None, None, None, "", "")


def _policy(rng: random.Random) -> Policy:
    agency = rng.choice(("",) + tuple(AGENCIES))
    topic = rng.choice(AGENCIES[agency][3] if agency else GENERAL_TOPICS)
    year, serial = rng.randint(2010, 2018), rng.randint(1, 220)
    if rng.random() < 0.25:
        title = rng.choice(NATIONAL_TEMPLATES).format(topic=topic)
        code, province = rng.choice(NATIONAL_CODES), ""
    else:
        name, province = rng.choice(PROVINCES)
        title = rng.choice(POLICY_TEMPLATES).format(place=name, topic=topic)
        code = province + rng.choice(PROVINCE_CODE_TAILS)
    return Policy(title, f"{code}〔{year}〕{serial}号", code, year, serial, province, agency)


def cite_raw(rng: random.Random, policy: Policy) -> str:
    """《title》 and the number in one of the bracket and parenthesis styles disclosures use."""
    if policy.doc_number is None:
        return f"《{policy.title}》"
    left, right = rng.choices(("〔〕", "[]", "【】"), (6, 2, 2))[0]
    number = f"{policy.code}{left}{policy.year}{right}{policy.serial}号"
    wrap = rng.choices(("（）", "()", ""), (6, 2, 2))[0]
    return f"《{policy.title}》{wrap[:1]}{number}{wrap[1:]}"
