"""The vocabulary of measure words and units (data/units.csv), shared by the layout reader and
the value parser: users extend one file, both stages follow."""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def known_units() -> frozenset[str]:
    """项, 个, 人次, 平方米 …: the units a figure may end in, as data/units.csv lists them."""
    text = resources.files("budgetkg.extract").joinpath("data/units.csv").read_text("utf-8")
    rows = csv.DictReader(ln for ln in text.splitlines() if ln and not ln.startswith("#"))
    return frozenset(row["unit"].strip() for row in rows if row["unit"].strip())
