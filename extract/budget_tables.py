"""The budget tables of one disclosure: kept as the pipeline's entry point.

The parsers live in `extract/tables/`, one module per family of tables, each registered by its
title; this module re-exports what the pipeline and older callers use.
"""

from __future__ import annotations

from .tables import (
    TOTAL_KEYS,
    BudgetTables,
    extract_budget_tables,
    find_tables,
    is_amount,
    level_of,
    parse_amount,
    read_tables,
)

__all__ = [
    "TOTAL_KEYS", "BudgetTables", "extract_budget_tables", "find_tables", "is_amount",
    "level_of", "parse_amount", "read_tables",
]  # fmt: skip
