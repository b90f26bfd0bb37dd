"""Record JSON (as `budgetkg extract --json` writes it) back into typed records.

The mapping is a stage of its own: it can be re-run on a record written out earlier, and its
golden cases are record JSON in, TriG out, independent of how extraction reads a layout.
Fields the JSON lacks take the model's defaults; fields the mapping does not use are ignored.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from budgetkg.extract.model import (
    BudgetLine,
    Citation,
    Department,
    FunctionRow,
    Funds,
    Issue,
    Kpi,
    KpiValue,
    PerformanceProject,
    Record,
    Section,
)

SOURCES = ("central", "provincial", "city_county", "self_raised", "other")


def record_from_dict(d: dict[str, Any]) -> Record:
    """One record from its JSON object."""
    return Record(
        source=d["source"],
        department=Department(**(d.get("department") or {})),
        totals=dict(d.get("totals") or {}),
        expenditure_by_function=tuple(
            FunctionRow(**r) for r in d.get("expenditure_by_function", [])
        ),
        project_budget_lines=tuple(BudgetLine(**b) for b in d.get("project_budget_lines", [])),
        department_kpis=tuple(kpi_from_dict(k) for k in d.get("department_kpis", [])),
        performance_projects=tuple(project_from_dict(p) for p in d.get("performance_projects", [])),
        sections=tuple(Section(**s) for s in d.get("sections", [])),
        issues=tuple(Issue(**i) for i in d.get("issues", [])),
        family=d.get("layout"),
        encoding=d.get("encoding"),
    )


def project_from_dict(p: dict[str, Any]) -> PerformanceProject:
    return PerformanceProject(
        name=p.get("name"),
        line=p["line"],
        end_line=p.get("end_line", p["line"]),
        supervising_dept=p.get("supervising_dept"),
        supervising_code=p.get("supervising_code"),
        implementing_unit=p.get("implementing_unit"),
        attribute=p.get("attribute"),
        period=p.get("period"),
        period_funds=_funds(p.get("total_funds_yuan"), p.get("period_funds_by_source_yuan")),
        annual_funds=_funds(p.get("annual_funds_yuan"), p.get("annual_funds_by_source_yuan")),
        legal_bases=tuple(Citation(**c) for c in p.get("legal_bases", [])),
        other_citations=tuple(Citation(**c) for c in p.get("other_citations", [])),
        period_kpis=tuple(kpi_from_dict(k) for k in p.get("period_kpis", [])),
        annual_kpis=tuple(kpi_from_dict(k) for k in p.get("annual_kpis", [])),
        texts=dict(p.get("texts") or {}),
        text_lines={k: tuple(v) for k, v in (p.get("text_lines") or {}).items()},
    )


def _funds(total: Any, by_source: dict[str, Any] | None) -> Funds:
    return Funds(total=total, **{k: (by_source or {}).get(k) for k in SOURCES})


def kpi_from_dict(k: dict[str, Any]) -> Kpi:
    parsed = k.get("parsed")
    return Kpi(
        level1=k.get("level1"),
        level2=k.get("level2"),
        level3=k.get("level3"),
        value=k["value"],
        line=k["line"],
        parsed=_kpi_value(k["value"], parsed) if parsed is not None else None,
    )


def _kpi_value(raw: str, parsed: dict[str, Any]) -> KpiValue:
    """JSON numbers back to Decimal through their text, so 0.1 stays 0.1."""
    fields = dict(parsed)
    for key in ("number", "upper"):
        if fields.get(key) is not None:
            fields[key] = Decimal(str(fields[key]))
    return KpiValue(raw=raw, **fields)
