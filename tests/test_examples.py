"""Golden cases: each shipped example disclosure against the record a person read from it.

The examples (examples/) are written for the project in four layouts; tests/golden/ holds the
hand-checked record of each, scored with the project's scorer.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from budgetkg.extract.pipeline import extract_file
from budgetkg.extract.record_json import record_to_dict
from conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.*"))
FLOOR = 0.99  # every example, overall F1 (all four measured at 1.000)


def _f1(score, expected: dict, got: dict) -> float:
    return score.prf(Counter(score.facts(expected)), Counter(score.facts(got)))[-1]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_extracts_as_its_golden_record(path: Path, scorer):
    import json

    golden = json.loads((ROOT / "tests" / "golden" / f"{path.stem}.json").read_text("utf-8"))
    got = record_to_dict(extract_file(path))
    assert _f1(scorer, golden, got) >= FLOOR
    assert [p["line"] for p in got["performance_projects"]] == [p["line"] for p in golden["performance_projects"]]
