"""Shared paths: ../shared (seeds, gold, scorer) sits beside the checkout, as in CI."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold"


def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def scorer():
    """The project's official scorer, imported from ../shared/tools."""
    if not (SHARED / "tools" / "score.py").exists():
        pytest.skip("../shared/tools/score.py is not beside the checkout")
    sys.path.insert(0, str(SHARED / "tools"))
    import score  # type: ignore[import-not-found]

    return score


@pytest.fixture(scope="session")
def seed_records():
    """The records of all five seeds, extracted once per test session."""
    from budgetkg.extract.pipeline import extract_file
    from budgetkg.extract.record_json import record_to_dict

    if not SEEDS.exists():
        pytest.skip("../shared/seeds is not beside the checkout")
    return {p.name: record_to_dict(extract_file(p)) for p in seed_paths()}


def gold_records() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text("utf-8")) for p in sorted(GOLD.glob("*.json"))}
