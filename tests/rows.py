"""Build rows for small fixtures the way the layout reader would."""

from __future__ import annotations

from budgetkg.extract.layout import parse_layout
from budgetkg.extract.model import Row


def tsv_rows(text: str) -> list[Row]:
    """Rows of a tab-separated fixture (leading newline ignored), numbered from line 1."""
    return list(parse_layout(text.lstrip("\n"), "fixture.txt").rows)
