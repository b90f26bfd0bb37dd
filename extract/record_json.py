"""Records as JSON in the shape of EXTRACTION_FORMAT.md, with provenance and parsed values beside.

The scorer and users read the named fields; everything else (line spans, parsed KPI values, free
texts, issues) is added next to them, never in place of them.

A PDF's lines are numbered page × 1000 + line on the page (extract/pdf.py); its record adds
`page_lines`, every line number the record uses mapped to {"page", "line"}, beside the fields
rather than inside them so that the objects keep the shape graph/records.py reads back.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any

from budgetkg.extract.model import Citation, Funds, Kpi, PerformanceProject, Record
from budgetkg.extract.pdf import FAMILY as PDF_FAMILY
from budgetkg.extract.pdf import page_line

SOURCE_KEYS = ("central", "provincial", "city_county", "self_raised", "other")


def record_to_dict(record: Record) -> dict[str, Any]:
    """One document's record in the extraction format."""
    out = {
        "source": record.source,
        "department": asdict(record.department),
        "totals": dict(record.totals),
        "expenditure_by_function": [asdict(r) for r in record.expenditure_by_function],
        "project_budget_lines": [asdict(r) for r in record.project_budget_lines],
        "department_kpis": [kpi_to_dict(k) for k in record.department_kpis],
        "performance_projects": [project_to_dict(p) for p in record.performance_projects],
        "sections": [asdict(s) for s in record.sections],
        "issues": [asdict(i) for i in record.issues],
        "layout": record.family,
        "encoding": record.encoding,
        "budget_tables": [asdict(t) for t in record.budget_tables],
        "stated_figures": [asdict(f) for f in record.stated_figures],
    }
    if record.family == PDF_FAMILY:
        out["page_lines"] = page_lines(out)
    return out


def page_lines(record: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Every line number a PDF's record uses → its page and its line on that page."""
    lines = sorted(set(_line_numbers(record)))
    return {str(n): dict(zip(("page", "line"), page_line(n))) for n in lines}


def _line_numbers(value: Any):
    """The ints under `line`/`end_line` keys and in `text_lines` spans, at any depth."""
    if isinstance(value, list):
        for item in value:
            yield from _line_numbers(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in ("line", "end_line") and isinstance(item, int):
                yield item
            elif key == "text_lines":
                yield from (n for span in item.values() for n in span)
            else:
                yield from _line_numbers(item)


def project_to_dict(p: PerformanceProject) -> dict[str, Any]:
    return {
        "name": p.name,
        "line": p.line,
        "end_line": p.end_line,
        "supervising_dept": p.supervising_dept,
        "supervising_code": p.supervising_code,
        "implementing_unit": p.implementing_unit,
        "attribute": p.attribute,
        "period": p.period,
        "total_funds_yuan": p.period_funds.total,
        "annual_funds_yuan": p.annual_funds.total,
        "annual_funds_by_source_yuan": _sources(p.annual_funds),
        "period_funds_by_source_yuan": _sources(p.period_funds),
        "legal_bases": [citation_to_dict(c) for c in p.legal_bases],
        "other_citations": [citation_to_dict(c) for c in p.other_citations],
        "period_kpis": [kpi_to_dict(k) for k in p.period_kpis],
        "annual_kpis": [kpi_to_dict(k) for k in p.annual_kpis],
        "texts": dict(p.texts),
        "text_lines": {k: list(v) for k, v in p.text_lines.items()},
    }


def _sources(funds: Funds) -> dict[str, int | float | None]:
    return {k: getattr(funds, k) for k in SOURCE_KEYS}


def citation_to_dict(c: Citation) -> dict[str, Any]:
    return asdict(c)


def kpi_to_dict(k: Kpi) -> dict[str, Any]:
    out: dict[str, Any] = {
        "level1": k.level1,
        "level2": k.level2,
        "level3": k.level3,
        "value": k.value,
        "line": k.line,
    }
    if k.parsed is not None:
        out["parsed"] = {key: _plain(v) for key, v in asdict(k.parsed).items() if key != "raw"}
    return out


def _plain(value: Any) -> Any:
    """Decimals as JSON numbers without float noise (int when whole)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
