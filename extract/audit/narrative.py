"""Figures the 情况说明 states in words against the same figures in the tables.

What each sentence states, and where the tables print it, is data/stated_figures.csv; a figure
the tables do not print (政府采购预算总额) or a table the disclosure lacks is not compared.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Record, StatedFigure
from ..tables.narrative import statement_of
from .facts import lookup
from .findings import Figure, Finding, amount, differs, scale_hint


def table_figure(record: Record, stated: StatedFigure) -> Figure | None:
    """The table figure a stated figure must agree with, or None where there is none."""
    st = statement_of(stated.key)
    if st is None:
        return None
    name = stated.key.split(":", 1)[1] if ":" in stated.key else ""
    return lookup(record, st.table, st.row.replace("{name}", name), st.column)


def check_stated_figures(record: Record) -> Iterator[Finding]:
    """Each figure stated in words is the one the table prints (a blank cell is a 0)."""
    for stated in record.stated_figures:
        printed = table_figure(record, stated)
        if printed is None or not differs(stated.value, printed.value):  # type: ignore[arg-type]
            continue
        hint = scale_hint(stated.value, printed.value)  # type: ignore[arg-type]
        yield Finding(
            "narrative",
            f"the 情况说明 states {stated.label} {amount(stated.value)} 万元, "
            f"{printed.where} prints {amount(printed.value)}{hint}",  # type: ignore[arg-type]
            printed,
            Figure(f"第三部分 {stated.section}: {stated.label}", stated.value, stated.line),
        )
